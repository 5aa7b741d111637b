-- One-time submission keys: every form that changes something carries a fresh random key; the
-- first POST with it does the work and stores where its result is shown, in the same
-- transaction. A reload or a double click brings the same key again: the primary key refuses a
-- second row, and the visitor is sent to the first result. Nothing happens twice.
CREATE TABLE form_submissions (
    key        TEXT        PRIMARY KEY CHECK (length(key) BETWEEN 16 AND 64),
    user_id    BIGINT      REFERENCES users (id),
    form       TEXT        NOT NULL CHECK (length(form) <= 200),
    -- Where the result is shown (the redirect after the POST); NULL while work that cannot be
    -- one transaction (a call to PayPal, a long job) is still under way.
    location   TEXT        CHECK (length(location) <= 2000),
    -- The confirmation shown above the result, in the reader's language.
    notice     TEXT        CHECK (length(notice) <= 2000),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);

-- Browsers a person signed in from before: the per-account cap on wrong passwords, which
-- strangers reach from many networks, does not lock the owner out of a browser they used.
CREATE TABLE trusted_devices (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id),
    token_hash BYTEA       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX trusted_devices_user_idx ON trusted_devices (user_id);
