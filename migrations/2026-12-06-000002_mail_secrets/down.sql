DROP INDEX mail_outbox_secret_expiry_idx;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_secret_expires;
ALTER TABLE mail_outbox DROP COLUMN secret_expires_at;
ALTER TABLE mail_outbox DROP COLUMN secret;
