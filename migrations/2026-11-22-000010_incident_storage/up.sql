-- Extra storage chosen as outage compensation: a complimentary pack, never billed, made
-- exactly once per grant.
ALTER TABLE subscription_packs ADD COLUMN grant_id BIGINT REFERENCES compensation_grants (id);
CREATE UNIQUE INDEX subscription_packs_grant_idx ON subscription_packs (grant_id) WHERE grant_id IS NOT NULL;
