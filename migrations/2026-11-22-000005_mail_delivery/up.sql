-- Delivery over SMTP. A message the receiving server refused for good (a 5xx answer), or one
-- that failed MAX_ATTEMPTS times, is marked failed: never retried automatically, listed for
-- finance in the back office and by `kontor mail failed`, retried only by a staff action.
ALTER TABLE mail_outbox ADD COLUMN failed_at TIMESTAMPTZ;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_sent_or_failed
    CHECK (sent_at IS NULL OR failed_at IS NULL);

-- Rows that had used up their attempts before this migration count as failed.
UPDATE mail_outbox SET failed_at = next_attempt_at WHERE sent_at IS NULL AND attempts >= 10;

DROP INDEX mail_outbox_pending_idx;
CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_failed_idx ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;
