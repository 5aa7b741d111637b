-- The batch retries what failed for a passing reason (a deadlock, a serialization failure, a
-- lost connection): such an item stays pending with its attempts and last error, and the run
-- (or the next one) tries it again. Only a permanent failure (data that cannot be invoiced)
-- marks it failed; `kontor billing failures` lists those with their reasons and
-- `kontor billing retry` queues them again.
ALTER TABLE billing_run_items
    ADD COLUMN attempts INT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN failed_at TIMESTAMPTZ;
CREATE INDEX billing_run_items_failed_idx ON billing_run_items (period, subscription_id) WHERE state = 'failed';
