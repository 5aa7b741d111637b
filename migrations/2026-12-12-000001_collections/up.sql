-- Collections: the dunning ladder as data, the base rates default interest is computed from,
-- one notice per level per invoice (the UNIQUE key a retried or racing run cannot get past),
-- the charges a notice put on its own invoice, suspensions, pauses and write-offs.

-- The ladder: which step comes how many days after the due date, per customer type.
CREATE TABLE dunning_levels (
    customer_type    TEXT    NOT NULL CHECK (customer_type IN ('consumer', 'business')),
    level            INT     NOT NULL CHECK (level BETWEEN 1 AND 9),
    days_after_due   INT     NOT NULL CHECK (days_after_due BETWEEN 1 AND 365),
    action           TEXT    NOT NULL CHECK (action IN ('reminder', 'final_notice', 'suspension', 'termination')),
    -- Whether the notice charges the default interest accrued since the last one.
    charges_interest BOOLEAN NOT NULL,
    PRIMARY KEY (customer_type, level)
);

-- A fee per level and currency; no row means no fee. Fees only cover actual costs for
-- consumers (default none); businesses owe the flat EUR 40 of § 288 (5) BGB once.
CREATE TABLE dunning_fees (
    customer_type TEXT    NOT NULL,
    level         INT     NOT NULL,
    currency      CHAR(3) NOT NULL REFERENCES currencies (code),
    amount        NUMERIC NOT NULL CHECK (amount > 0),
    PRIMARY KEY (customer_type, level, currency),
    FOREIGN KEY (customer_type, level) REFERENCES dunning_levels (customer_type, level)
);

-- The base rate (Basiszinssatz, § 247 BGB) in force from a day on, in percent.
CREATE TABLE base_rates (
    valid_from DATE    PRIMARY KEY,
    rate       NUMERIC NOT NULL CHECK (rate BETWEEN -10 AND 30)
);

-- Points above the base rate (§ 288 (1) and (2) BGB).
CREATE TABLE interest_margins (
    customer_type TEXT    PRIMARY KEY CHECK (customer_type IN ('consumer', 'business')),
    points        NUMERIC NOT NULL CHECK (points BETWEEN 0 AND 30)
);

INSERT INTO dunning_levels (customer_type, level, days_after_due, action, charges_interest) VALUES
    ('consumer', 1,  3, 'reminder',     false),
    ('consumer', 2, 14, 'reminder',     true),
    ('consumer', 3, 28, 'final_notice', true),
    ('consumer', 4, 35, 'suspension',   true),
    ('consumer', 5, 90, 'termination',  true),
    ('business', 1,  3, 'reminder',     false),
    ('business', 2, 14, 'reminder',     true),
    ('business', 3, 28, 'final_notice', true),
    ('business', 4, 35, 'suspension',   true),
    ('business', 5, 90, 'termination',  true);
INSERT INTO dunning_fees (customer_type, level, currency, amount) VALUES ('business', 2, 'EUR', 40.00);
INSERT INTO base_rates (valid_from, rate) VALUES ('2026-01-01', 1.27);
INSERT INTO interest_margins (customer_type, points) VALUES ('consumer', 5), ('business', 9);

-- One notice per level per invoice, claimed before anything is written for it: a second run
-- (or a retried one, or one racing beside it) waits on this key and then finds it taken.
CREATE TABLE dunning_notices (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id      BIGINT      NOT NULL REFERENCES invoices (id),
    level           INT         NOT NULL CHECK (level BETWEEN 1 AND 9),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    action          TEXT        NOT NULL CHECK (action IN ('reminder', 'final_notice', 'suspension', 'termination')),
    sent_on         DATE        NOT NULL,
    currency        CHAR(3)     NOT NULL REFERENCES currencies (code),
    open_amount     NUMERIC     NOT NULL,
    fee             NUMERIC     NOT NULL CHECK (fee >= 0),
    interest        NUMERIC     NOT NULL CHECK (interest >= 0),
    -- The last day the interest charged so far covers (the next notice starts after it).
    interest_until  DATE,
    -- The invoice carrying the fee and interest (no VAT: damages, not a supply), if any.
    charge_invoice_id BIGINT    REFERENCES invoices (id),
    -- The reminder letter as sent.
    document_id     BIGINT      REFERENCES documents (id),
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (invoice_id, level)
);
CREATE INDEX dunning_notices_customer_idx ON dunning_notices (customer_id);
CREATE UNIQUE INDEX dunning_notices_charge_idx ON dunning_notices (charge_invoice_id) WHERE charge_invoice_id IS NOT NULL;
CREATE TRIGGER dunning_notices_append_only BEFORE UPDATE OR DELETE ON dunning_notices
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER dunning_notices_no_truncate BEFORE TRUNCATE ON dunning_notices
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- A customer's suspension, lifted the moment the balance is settled. At most one open.
CREATE TABLE suspensions (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    invoice_id      BIGINT      NOT NULL REFERENCES invoices (id),
    suspended_at    TIMESTAMPTZ NOT NULL,
    lifted_at       TIMESTAMPTZ,
    -- What lifted it: the receipt key, or `credit:<number>` for a credit note.
    lifted_by       TEXT,
    CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE UNIQUE INDEX suspensions_one_open ON suspensions (customer_id) WHERE lifted_at IS NULL;

-- Dunning paused for a customer (a dispute, hardship) until a day, with the reason.
CREATE TABLE dunning_pauses (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT      NOT NULL REFERENCES customers (id),
    reason      TEXT        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    until       DATE        NOT NULL,
    created_by  BIGINT      REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX dunning_pauses_customer_idx ON dunning_pauses (customer_id, until);

-- An uncollectable invoice written off: its open amount leaves the receivable (bad debt, with
-- the VAT in it corrected). Once per invoice.
CREATE TABLE write_offs (
    invoice_id      BIGINT      PRIMARY KEY REFERENCES invoices (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    currency        CHAR(3)     NOT NULL REFERENCES currencies (code),
    amount          NUMERIC     NOT NULL CHECK (amount > 0),
    vat             NUMERIC     NOT NULL CHECK (vat >= 0),
    reason          TEXT        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    ledger_entry_id BIGINT      NOT NULL REFERENCES journal_entries (id),
    created_by      BIGINT      REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER write_offs_append_only BEFORE UPDATE OR DELETE ON write_offs
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER write_offs_no_truncate BEFORE TRUNCATE ON write_offs
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The trial-end reminder, once per subscription.
CREATE TABLE trial_end_reminders (
    subscription_id BIGINT      PRIMARY KEY REFERENCES subscriptions (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    sent_at         TIMESTAMPTZ NOT NULL
);

-- What is left to pay now also leaves out what was written off.
CREATE OR REPLACE VIEW invoice_balances AS
SELECT i.id AS invoice_id,
       i.customer_id,
       i.currency,
       i.due_date,
       i.gross,
       i.amount_due,
       COALESCE(c.credited, 0) AS credited,
       COALESCE(p.paid, 0) AS paid,
       GREATEST(i.amount_due - COALESCE(c.credited, 0) - COALESCE(p.paid, 0) - COALESCE(w.amount, 0), 0) AS open_amount
  FROM invoices i
  LEFT JOIN LATERAL (SELECT sum(cn.gross) AS credited FROM invoices cn WHERE cn.credited_invoice_id = i.id) c ON true
  LEFT JOIN LATERAL (SELECT sum(a.amount) AS paid FROM payment_allocations a WHERE a.invoice_id = i.id) p ON true
  LEFT JOIN write_offs w ON w.invoice_id = i.id
 WHERE i.kind = 'invoice';
