-- Accounting: closed months (locked by PostgreSQL), ECB reference rates, the DATEV export's
-- record of which month each journal entry went out in, and manual journal entries awaiting
-- a second person's approval.

-- A closed month: no journal entry may be dated in [starts_at, ends_at). The bounds are the
-- month's first instants in the seller's time zone, computed when the month is closed, so the
-- trigger below needs no zone. Reopening deletes the row (audited, admin only, with a reason).
CREATE TABLE closed_months (
    month     DATE        PRIMARY KEY CHECK (extract(day FROM month) = 1),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at   TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    closed_at TIMESTAMPTZ NOT NULL,
    closed_by BIGINT      REFERENCES users (id)
);

-- Checked once per INSERT statement over all its rows: the batch path posts thousands of
-- entries per statement, and a closed month refuses them all, also from hand-written SQL.
CREATE FUNCTION ledger_refuse_closed_month() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT e.id, e.occurred_at, c.month INTO bad
      FROM new_entries e
      JOIN closed_months c ON e.occurred_at >= c.starts_at AND e.occurred_at < c.ends_at
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % is dated %, in the closed month %; book corrections in an open month',
            bad.id, bad.occurred_at, to_char(bad.month, 'YYYY-MM')
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_month_closed';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER journal_entries_month_open AFTER INSERT ON journal_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_closed_month();

-- ECB euro foreign exchange reference rates: units of `currency` per 1 EUR.
CREATE TABLE fx_rates (
    currency  CHAR(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'EUR'),
    rate_date DATE        NOT NULL,
    rate      NUMERIC     NOT NULL CHECK (rate > 0),
    source    TEXT        NOT NULL DEFAULT 'ecb',
    PRIMARY KEY (currency, rate_date)
);

-- Which month's DATEV export each journal entry went out in: the primary key is what makes
-- every entry go out exactly once.
CREATE TABLE datev_exported_entries (
    entry_id BIGINT NOT NULL PRIMARY KEY REFERENCES journal_entries (id),
    month    DATE   NOT NULL CHECK (extract(day FROM month) = 1)
);
CREATE INDEX datev_exported_entries_month_idx ON datev_exported_entries (month, entry_id);

-- A journal entry finance proposes by hand; a second finance or admin user approves it, and
-- only then is it posted (the four-eyes rule, held by the CHECK as well as in Kontor).
CREATE TABLE manual_entries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_on DATE        NOT NULL,
    memo        TEXT        NOT NULL CHECK (length(memo) BETWEEN 1 AND 500),
    -- [{"account": "<code>", "amount": "<decimal, debit positive>"}, ...]
    postings    JSONB       NOT NULL,
    proposed_by BIGINT      NOT NULL REFERENCES users (id),
    proposed_at TIMESTAMPTZ NOT NULL,
    approved_by BIGINT      REFERENCES users (id),
    approved_at TIMESTAMPTZ,
    entry_id    BIGINT      UNIQUE REFERENCES journal_entries (id),
    CHECK (approved_by IS NULL OR approved_by <> proposed_by),
    CHECK ((approved_by IS NULL) = (approved_at IS NULL) AND (approved_by IS NULL) = (entry_id IS NULL))
);

-- The DATEV export finds each invoice entry's treatment, country and rate through this.
CREATE INDEX invoices_ledger_entry_idx ON invoices (ledger_entry_id);
