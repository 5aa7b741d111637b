-- Accounts: log-in identities, sessions, single-use tokens, the audit log, the mail outbox
-- and rate-limit counters.

-- Customers get the postal address and tax details an invoice needs.
ALTER TABLE customers
    ADD COLUMN company_name TEXT CHECK (length(company_name) <= 200),
    ADD COLUMN vat_id       TEXT CHECK (length(vat_id) <= 40),
    ADD COLUMN street       TEXT NOT NULL DEFAULT '' CHECK (length(street) <= 200),
    ADD COLUMN postal_code  TEXT NOT NULL DEFAULT '' CHECK (length(postal_code) <= 20),
    ADD COLUMN city         TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 100),
    ADD COLUMN closed_at    TIMESTAMPTZ,
    ADD COLUMN anonymized_at TIMESTAMPTZ;

CREATE TABLE users (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             TEXT        NOT NULL CHECK (email LIKE '%_@_%' AND length(email) <= 254),
    -- argon2id PHC string; NULL until a staff member sets a password through their link.
    password_hash     TEXT,
    role              TEXT        NOT NULL CHECK (role IN ('customer', 'support', 'finance', 'admin')),
    customer_id       BIGINT      REFERENCES customers (id),
    language          TEXT        NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}$'),
    email_verified_at TIMESTAMPTZ,
    totp_secret       TEXT,
    totp_enabled_at   TIMESTAMPTZ,
    -- The last TOTP time step accepted: a code is good once.
    totp_last_step    BIGINT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    disabled_at       TIMESTAMPTZ,
    CHECK ((role = 'customer') = (customer_id IS NOT NULL)),
    CHECK ((totp_enabled_at IS NULL) OR (totp_secret IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_customer_key ON users (customer_id) WHERE customer_id IS NOT NULL;

-- Sessions live in PostgreSQL so any web server can serve any request. The cookie holds a
-- random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash       BYTEA       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id          BIGINT      NOT NULL REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at       TIMESTAMPTZ NOT NULL,
    -- When this session passed the second factor (staff with TOTP).
    second_factor_at TIMESTAMPTZ,
    ip               TEXT        NOT NULL DEFAULT '',
    user_agent       TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Single-use links: email verification, password reset, a staff member's first password.
CREATE TABLE one_time_tokens (
    token_hash BYTEA       PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    BIGINT      NOT NULL REFERENCES users (id),
    purpose    TEXT        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'set_password')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id, purpose);

CREATE TABLE recovery_codes (
    user_id   BIGINT      NOT NULL REFERENCES users (id),
    code_hash BYTEA       NOT NULL CHECK (length(code_hash) = 32),
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- Every staff action and security event. Append-only, like the ledger.
CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_user_id BIGINT      REFERENCES users (id),
    action        TEXT        NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]*$'),
    target        TEXT        NOT NULL DEFAULT '',
    ip            TEXT        NOT NULL DEFAULT '',
    details       JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Mail is queued in the transaction of the business action and delivered later by
-- `kontor mail deliver` or the server's worker. The unique key makes enqueueing idempotent;
-- the Message-ID is fixed at enqueue time so a re-delivery is recognisably the same mail.
CREATE TABLE mail_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key TEXT        NOT NULL UNIQUE,
    message_id      TEXT        NOT NULL UNIQUE,
    recipient       TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    text_body       TEXT        NOT NULL,
    html_body       TEXT        NOT NULL,
    language        TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts        INT         NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Fixed-window counters for abuse limits, shared by every web server. Unlogged: losing
-- them in a crash only forgives a few attempts.
CREATE UNLOGGED TABLE rate_limit_hits (
    bucket       TEXT        NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INT         NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
