-- Invoicing: immutable invoices and credit notes with gapless numbers per series and year,
-- their lines and VAT breakdown, and the work list of monthly batch runs.

-- The next free number per series and year. Taken under a row lock in the transaction that
-- issues the invoices, so a rolled-back transaction gives its numbers back: no gaps.
CREATE TABLE invoice_series (
    series      TEXT   NOT NULL CHECK (series IN ('invoice', 'credit_note')),
    year        INT    NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    next_number BIGINT NOT NULL DEFAULT 1 CHECK (next_number > 0),
    PRIMARY KEY (series, year)
);

CREATE TABLE invoices (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                TEXT        NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    number              TEXT        NOT NULL UNIQUE,
    series_year         INT         NOT NULL,
    sequence            BIGINT      NOT NULL CHECK (sequence > 0),
    customer_id         BIGINT      NOT NULL REFERENCES customers (id),
    subscription_id     BIGINT      REFERENCES subscriptions (id),
    -- The batch period (YYYY-MM) that issued it; one invoice per subscription and period.
    billing_period      TEXT        CHECK (billing_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    service_from        DATE,
    service_until       DATE,
    credited_invoice_id BIGINT      REFERENCES invoices (id),
    reason              TEXT,
    issue_date          DATE        NOT NULL,
    due_date            DATE        NOT NULL,
    currency            CHAR(3)     NOT NULL REFERENCES currencies (code),
    net                 NUMERIC     NOT NULL,
    vat                 NUMERIC     NOT NULL,
    gross               NUMERIC     NOT NULL,
    -- Customer credit (overpayments, compensation) applied to this invoice.
    credit_applied      NUMERIC     NOT NULL DEFAULT 0 CHECK (credit_applied >= 0),
    amount_due          NUMERIC     NOT NULL,
    vat_treatment       TEXT        NOT NULL,
    vat_note            TEXT,
    language            TEXT        NOT NULL,
    customer_snapshot   JSONB       NOT NULL,
    seller_snapshot     JSONB       NOT NULL,
    payment_reference   TEXT        NOT NULL,
    ledger_entry_id     BIGINT      NOT NULL REFERENCES journal_entries (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kind, series_year, sequence),
    CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)),
    CHECK (gross = net + vat),
    CHECK (amount_due = gross - credit_applied)
);
CREATE UNIQUE INDEX invoices_one_per_subscription_and_period
    ON invoices (subscription_id, billing_period) WHERE kind = 'invoice' AND billing_period IS NOT NULL;
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
CREATE INDEX invoices_period_idx ON invoices (billing_period);

CREATE TABLE invoice_lines (
    invoice_id    BIGINT  NOT NULL REFERENCES invoices (id),
    line_no       INT     NOT NULL CHECK (line_no > 0),
    description   TEXT    NOT NULL,
    plan_code     TEXT    REFERENCES plans (code),
    service_from  DATE,
    service_until DATE,
    quantity      NUMERIC NOT NULL,
    unit_price    NUMERIC NOT NULL,
    net           NUMERIC NOT NULL,
    vat_rate      NUMERIC NOT NULL,
    vat           NUMERIC NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE invoice_vat (
    invoice_id BIGINT  NOT NULL REFERENCES invoices (id),
    rate       NUMERIC NOT NULL,
    net        NUMERIC NOT NULL,
    vat        NUMERIC NOT NULL,
    PRIMARY KEY (invoice_id, rate)
);

-- Issued documents never change: corrections are credit notes.
CREATE TRIGGER invoices_append_only BEFORE UPDATE OR DELETE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER invoice_lines_append_only BEFORE UPDATE OR DELETE ON invoice_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER invoice_vat_append_only BEFORE UPDATE OR DELETE ON invoice_vat
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The work list of a batch run: every subscription due in the period, claimed in chunks
-- with FOR UPDATE SKIP LOCKED by any number of workers.
CREATE TABLE billing_run_items (
    period          TEXT        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id),
    state           TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped', 'failed')),
    invoice_id      BIGINT      REFERENCES invoices (id),
    error           TEXT,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (period, subscription_id)
);
CREATE INDEX billing_run_items_pending_idx ON billing_run_items (period, subscription_id) WHERE state = 'pending';

ALTER TABLE pending_charges ADD COLUMN invoice_id BIGINT REFERENCES invoices (id);
