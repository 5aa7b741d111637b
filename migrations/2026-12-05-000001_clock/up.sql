-- Time is an input: the database's own clock must not decide when something is due. A queued
-- email is due at once, whatever instant the caller's clock reads (tests pin it in the past,
-- a replayed day may be earlier than the server's clock).
ALTER TABLE mail_outbox ALTER COLUMN next_attempt_at SET DEFAULT '1970-01-01 00:00:00+00';
