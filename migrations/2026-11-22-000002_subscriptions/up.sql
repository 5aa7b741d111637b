-- Catalog and subscriptions: what is sold at which price, who has what, and the events the
-- mail and storage platform reads to set quotas.

-- A secret per installation, for keyed hashes (trial identities). Made here, from
-- PostgreSQL's strong random source, so every server of an installation shares it.
CREATE TABLE installation_secrets (
    name   TEXT  PRIMARY KEY,
    secret BYTEA NOT NULL CHECK (length(secret) >= 32)
);
INSERT INTO installation_secrets (name, secret)
VALUES ('identity', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

CREATE TABLE products (
    code TEXT PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    kind TEXT NOT NULL CHECK (kind IN ('mail', 'storage'))
);

-- What a customer subscribes to (the base plan) or adds (storage packs). Names and
-- descriptions are Fluent messages `plan-<code>` and `plan-<code>-description`.
CREATE TABLE plans (
    code         TEXT    PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    product_code TEXT    NOT NULL REFERENCES products (code),
    kind         TEXT    NOT NULL CHECK (kind IN ('base', 'pack')),
    storage_gb   INT     NOT NULL CHECK (storage_gb > 0),
    sort_order   INT     NOT NULL DEFAULT 0,
    available    BOOLEAN NOT NULL DEFAULT true
);

-- Monthly prices per currency with the date they apply from. A price is never changed: a
-- new one with a later start replaces it from the first period that starts on or after it.
CREATE TABLE prices (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_code      TEXT        NOT NULL REFERENCES plans (code),
    currency       CHAR(3)     NOT NULL REFERENCES currencies (code),
    monthly_amount NUMERIC     NOT NULL CHECK (monthly_amount >= 0 AND monthly_amount = round(monthly_amount, 2)),
    valid_from     DATE        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by     BIGINT      REFERENCES users (id),
    UNIQUE (plan_code, currency, valid_from)
);
CREATE TRIGGER prices_append_only BEFORE UPDATE OR DELETE ON prices
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- One live subscription per customer. Billing periods are monthly, anchored on
-- `anchor_date` (a local date in the provider's time zone).
CREATE TABLE subscriptions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    BIGINT      NOT NULL REFERENCES customers (id),
    plan_code      TEXT        NOT NULL REFERENCES plans (code),
    currency       CHAR(3)     NOT NULL REFERENCES currencies (code),
    anchor_date    DATE        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('trial', 'active', 'ended')),
    -- The first day after the free month; NULL for subscriptions that started paid.
    trial_ends_on  DATE,
    -- A cancellation takes effect on this date (the end of a period); NULL if none is due.
    cancel_on      DATE,
    ended_on       DATE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((status = 'ended') = (ended_on IS NOT NULL))
);
CREATE UNIQUE INDEX subscriptions_one_live_per_customer ON subscriptions (customer_id) WHERE status <> 'ended';

-- Storage packs on a subscription, each with the days it is in force (end exclusive).
CREATE TABLE subscription_packs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    plan_code       TEXT        NOT NULL REFERENCES plans (code),
    starts_on       DATE        NOT NULL,
    ends_on         DATE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Whether the provisioning events for the pack's start and end have been written: a pack
    -- scheduled for a later date is announced when that date comes.
    start_announced BOOLEAN     NOT NULL DEFAULT false,
    end_announced   BOOLEAN     NOT NULL DEFAULT false,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX subscription_packs_subscription_idx ON subscription_packs (subscription_id);

-- Amounts owed for part of a period (an upgrade mid-period), waiting for the next invoice.
CREATE TABLE pending_charges (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key TEXT        NOT NULL UNIQUE,
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id),
    -- The pack charged: its period line must not charge the same days again.
    pack_id         BIGINT      REFERENCES subscription_packs (id),
    plan_code       TEXT        NOT NULL REFERENCES plans (code),
    service_from    DATE        NOT NULL,
    service_until   DATE        NOT NULL,
    currency        CHAR(3)     NOT NULL REFERENCES currencies (code),
    net_amount      NUMERIC     NOT NULL CHECK (net_amount >= 0 AND net_amount = round(net_amount, 2)),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Set by the invoice run that bills it.
    invoiced_at     TIMESTAMPTZ
);
CREATE INDEX pending_charges_open_idx ON pending_charges (customer_id) WHERE invoiced_at IS NULL;

-- One free month per person: who claimed a trial, by keyed hash of a normalized email,
-- IBAN or PayPal payer id. The unique constraint is what refuses a second claim.
CREATE TABLE trial_claims (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT      NOT NULL REFERENCES customers (id),
    kind        TEXT        NOT NULL CHECK (kind IN ('email', 'iban', 'paypal_payer')),
    fingerprint BYTEA       NOT NULL CHECK (length(fingerprint) = 32),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kind, fingerprint)
);

-- What the mail and storage platform must provision, in order. `sequence` is gapless per
-- customer; `id` orders all events and is the cursor of the API.
CREATE TABLE provisioning_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT      NOT NULL REFERENCES customers (id),
    sequence    BIGINT      NOT NULL CHECK (sequence > 0),
    kind        TEXT        NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$'),
    mail_gb     INT         NOT NULL CHECK (mail_gb >= 0),
    storage_gb  INT         NOT NULL CHECK (storage_gb >= 0),
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    details     JSONB       NOT NULL DEFAULT '{}',
    UNIQUE (customer_id, sequence)
);
CREATE TRIGGER provisioning_events_append_only BEFORE UPDATE OR DELETE ON provisioning_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The catalog every installation starts with.
INSERT INTO products (code, kind) VALUES ('mailbox', 'mail'), ('online_storage', 'storage');
INSERT INTO plans (code, product_code, kind, storage_gb, sort_order) VALUES
    ('mailbox_10gb', 'mailbox', 'base', 10, 0),
    ('mail_pack_10gb', 'mailbox', 'pack', 10, 10),
    ('mail_pack_50gb', 'mailbox', 'pack', 50, 11),
    ('mail_pack_100gb', 'mailbox', 'pack', 100, 12),
    ('mail_pack_500gb', 'mailbox', 'pack', 500, 13),
    ('storage_pack_10gb', 'online_storage', 'pack', 10, 20),
    ('storage_pack_50gb', 'online_storage', 'pack', 50, 21),
    ('storage_pack_100gb', 'online_storage', 'pack', 100, 22),
    ('storage_pack_500gb', 'online_storage', 'pack', 500, 23);
INSERT INTO prices (plan_code, currency, monthly_amount, valid_from)
SELECT plan, currency, amount, DATE '2026-01-01'
  FROM (VALUES
    ('mailbox_10gb', 1.00, 1.00, 12.00, 12.00, 8.00, 1.00),
    ('mail_pack_10gb', 0.99, 0.99, 11.00, 11.00, 7.50, 0.89),
    ('mail_pack_50gb', 2.99, 2.99, 33.00, 33.00, 22.00, 2.59),
    ('mail_pack_100gb', 4.99, 4.99, 55.00, 55.00, 37.00, 4.39),
    ('mail_pack_500gb', 14.99, 14.99, 165.00, 165.00, 112.00, 12.99),
    ('storage_pack_10gb', 0.99, 0.99, 11.00, 11.00, 7.50, 0.89),
    ('storage_pack_50gb', 2.99, 2.99, 33.00, 33.00, 22.00, 2.59),
    ('storage_pack_100gb', 4.99, 4.99, 55.00, 55.00, 37.00, 4.39),
    ('storage_pack_500gb', 14.99, 14.99, 165.00, 165.00, 112.00, 12.99)
  ) AS p(plan, eur, chf, sek, nok, dkk, gbp)
  CROSS JOIN LATERAL (VALUES ('EUR', eur), ('CHF', chf), ('SEK', sek), ('NOK', nok), ('DKK', dkk), ('GBP', gbp))
       AS c(currency, amount);
