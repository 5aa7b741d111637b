-- Issue 18, item 4: anyone may follow the status page by email, per component or all, with a
-- confirmation link first (double opt-in) and a one-click way out in every email.

-- A request to follow, waiting for its link to be used. Only the SHA-256 of the link's token is
-- kept. An unconfirmed request receives nothing but that one email.
CREATE TABLE status_subscription_requests (
    token_hash BYTEA       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    email      TEXT        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- Empty: every component.
    components TEXT[]      NOT NULL CHECK (components <@ ARRAY['mail', 'webmail', 'storage', 'portal']),
    language   TEXT        NOT NULL CHECK (language IN ('da', 'de', 'en', 'fr', 'nb', 'nl', 'sv')),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX status_subscription_requests_expiry ON status_subscription_requests (expires_at);

-- Someone who confirmed: one row per address (any case), which a later confirmed request
-- replaces. Unsubscribing deletes the row; nothing about the address is kept.
CREATE TABLE status_subscribers (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        TEXT        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- Empty: every component.
    components   TEXT[]      NOT NULL CHECK (components <@ ARRAY['mail', 'webmail', 'storage', 'portal']),
    language     TEXT        NOT NULL CHECK (language IN ('da', 'de', 'en', 'fr', 'nb', 'nl', 'sv')),
    confirmed_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX status_subscribers_email ON status_subscribers (lower(email));

-- The unsubscribe link of one update email: a token of its own per email (only its hash here),
-- so the outbox can forget the token once the email is out. One email per subscriber and update.
CREATE TABLE status_unsubscribe_links (
    token_hash    BYTEA       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    subscriber_id BIGINT      NOT NULL REFERENCES status_subscribers (id) ON DELETE CASCADE,
    update_id     BIGINT      NOT NULL REFERENCES incident_updates (id),
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (subscriber_id, update_id)
);

-- The URL a mail client's unsubscribe button posts to (RFC 8058), sent as List-Unsubscribe.
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe TEXT;
