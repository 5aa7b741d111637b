DROP INDEX subscription_packs_grant_idx;
ALTER TABLE subscription_packs DROP COLUMN grant_id;
