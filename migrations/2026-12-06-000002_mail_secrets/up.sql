-- A single-use link (verification, password reset) lives in the email's body only until the
-- email is delivered or given up, or the link expires, whichever comes first: then the body
-- keeps the mail, not the secret.
ALTER TABLE mail_outbox ADD COLUMN secret TEXT CHECK (secret IS NULL OR length(secret) >= 16);
ALTER TABLE mail_outbox ADD COLUMN secret_expires_at TIMESTAMPTZ;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_secret_expires
    CHECK ((secret IS NULL) = (secret_expires_at IS NULL));
CREATE INDEX mail_outbox_secret_expiry_idx ON mail_outbox (secret_expires_at) WHERE secret IS NOT NULL;
