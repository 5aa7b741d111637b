DROP INDEX billing_run_items_failed_idx;
ALTER TABLE billing_run_items DROP COLUMN failed_at, DROP COLUMN attempts;
