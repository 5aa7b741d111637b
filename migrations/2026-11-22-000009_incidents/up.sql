-- Issue 9: where customers live (resources, placements), incidents and maintenance with
-- multilingual timelines, SLA policies per plan, and compensation grants issued once per
-- incident and subscription.

CREATE TABLE resources (
    id         BIGSERIAL   PRIMARY KEY,
    code       TEXT        NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{0,40}$'),
    service    TEXT        NOT NULL CHECK (service IN ('mail', 'storage', 'web')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A subscription lives on a resource for a time range; a move ends one placement and starts
-- another, so history is remembered.
CREATE TABLE placements (
    id              BIGSERIAL   PRIMARY KEY,
    subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    resource_id     BIGINT      NOT NULL REFERENCES resources (id),
    placed_from     TIMESTAMPTZ NOT NULL,
    placed_until    TIMESTAMPTZ,
    CHECK (placed_until IS NULL OR placed_until > placed_from)
);
CREATE INDEX placements_by_resource ON placements (resource_id, placed_from);
CREATE INDEX placements_by_customer ON placements (customer_id);
CREATE UNIQUE INDEX placements_one_open ON placements (subscription_id, resource_id) WHERE placed_until IS NULL;

CREATE TABLE incidents (
    id               BIGSERIAL   PRIMARY KEY,
    kind             TEXT        NOT NULL CHECK (kind IN ('incident', 'maintenance')),
    severity         TEXT        NOT NULL CHECK (severity IN ('minor', 'major', 'critical', 'maintenance')),
    -- Title per language code, English required: {"en": "...", "de": "..."}.
    title            JSONB       NOT NULL CHECK (title ? 'en'),
    services         TEXT[]      NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL,
    ended_at         TIMESTAMPTZ,
    -- When it was made public (maintenance announced ahead is excluded from downtime).
    announced_at     TIMESTAMPTZ NOT NULL,
    created_by       BIGINT      REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Compensation choices: customers may take extra storage instead of a credit until then.
    choice_deadline  TIMESTAMPTZ,
    storage_gb       INT         CHECK (storage_gb IS NULL OR storage_gb > 0),
    storage_months   INT         CHECK (storage_months IS NULL OR storage_months > 0),
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    CHECK ((choice_deadline IS NULL) = (storage_gb IS NULL) AND (storage_gb IS NULL) = (storage_months IS NULL))
);
CREATE INDEX incidents_by_start ON incidents (started_at DESC);

CREATE TABLE incident_resources (
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    resource_id BIGINT NOT NULL REFERENCES resources (id),
    PRIMARY KEY (incident_id, resource_id)
);

CREATE TABLE incident_updates (
    id          BIGSERIAL   PRIMARY KEY,
    incident_id BIGINT      NOT NULL REFERENCES incidents (id),
    posted_at   TIMESTAMPTZ NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'completed')),
    body        JSONB       NOT NULL CHECK (body ? 'en'),
    -- Monitoring may retry a request: the same key posts the update once.
    idempotency_key TEXT    UNIQUE
);
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, posted_at);

-- SLA policy per plan, as data.
CREATE TABLE sla_policies (
    plan_code          TEXT    PRIMARY KEY REFERENCES plans (code),
    -- Monthly availability target in percent, e.g. 99.9.
    target_percent     NUMERIC NOT NULL CHECK (target_percent > 0 AND target_percent <= 100),
    -- [{"below": "99.9", "percent": "10"}, ...]: credit when availability is below.
    tiers              JSONB   NOT NULL,
    -- Down longer than this in the period: 100 % of the fee.
    full_credit_hours  INT     NOT NULL CHECK (full_credit_hours > 0),
    -- Maintenance announced at least this many days ahead does not count.
    announce_days      INT     NOT NULL CHECK (announce_days >= 0),
    trial_rule         TEXT    NOT NULL DEFAULT 'none' CHECK (trial_rule IN ('none', 'pro_rata', 'full')),
    cancelled_rule     TEXT    NOT NULL DEFAULT 'pro_rata' CHECK (cancelled_rule IN ('none', 'pro_rata', 'full'))
);

INSERT INTO sla_policies (plan_code, target_percent, tiers, full_credit_hours, announce_days)
SELECT code, 99.9,
       '[{"below": "99.9", "percent": "10"}, {"below": "99", "percent": "25"}, {"below": "95", "percent": "50"}]'::jsonb,
       72, 7
FROM plans WHERE kind = 'base'
ON CONFLICT DO NOTHING;

-- A customer's pick among an incident's options (before its deadline).
CREATE TABLE compensation_choices (
    incident_id     BIGINT      NOT NULL REFERENCES incidents (id),
    subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    option          TEXT        NOT NULL CHECK (option IN ('credit', 'storage')),
    chosen_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (incident_id, subscription_id)
);

-- What each subscription got for an incident: exactly once (the primary key).
CREATE TABLE compensation_grants (
    id               BIGSERIAL   PRIMARY KEY,
    incident_id      BIGINT      NOT NULL REFERENCES incidents (id),
    subscription_id  BIGINT      NOT NULL REFERENCES subscriptions (id),
    customer_id      BIGINT      NOT NULL REFERENCES customers (id),
    currency         CHAR(3)     NOT NULL REFERENCES currencies (code),
    amount           NUMERIC     NOT NULL CHECK (amount >= 0 AND amount = round(amount, 2)),
    downtime_seconds BIGINT      NOT NULL CHECK (downtime_seconds >= 0),
    percent          NUMERIC     NOT NULL,
    -- Why this amount: tier, trial_none, cancelled_pro_rata, cap, ...
    reason           TEXT        NOT NULL,
    option           TEXT        NOT NULL CHECK (option IN ('credit', 'storage')),
    ledger_entry_id  BIGINT      REFERENCES journal_entries (id),
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (incident_id, subscription_id),
    CHECK ((option = 'credit' AND amount > 0) = (ledger_entry_id IS NOT NULL))
);
CREATE INDEX compensation_grants_by_customer ON compensation_grants (customer_id, currency, id);

-- Which grants an invoice's credit_applied consumed (written in the invoice's transaction).
CREATE TABLE compensation_grant_uses (
    invoice_id BIGINT  NOT NULL REFERENCES invoices (id),
    grant_id   BIGINT  NOT NULL REFERENCES compensation_grants (id),
    amount     NUMERIC NOT NULL CHECK (amount > 0),
    PRIMARY KEY (invoice_id, grant_id)
);
CREATE INDEX compensation_grant_uses_by_grant ON compensation_grant_uses (grant_id);

-- Customers who asked to be told by email about incidents on their resources.
CREATE TABLE incident_notice_subscribers (
    customer_id BIGINT      PRIMARY KEY REFERENCES customers (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
