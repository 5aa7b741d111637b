ALTER TABLE mail_outbox ALTER COLUMN next_attempt_at SET DEFAULT now();
