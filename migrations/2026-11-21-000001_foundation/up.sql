-- Foundation: currencies, customers and the double-entry ledger.
-- The database itself enforces the ledger's invariants, so that no bug in Kontor and no
-- hand-written SQL can break the books:
--   * every journal entry has at least two postings that sum to zero per currency: checked
--     when the postings are written and again at commit by a deferred constraint trigger;
--   * entries and postings are append-only (UPDATE, DELETE and TRUNCATE are refused);
--   * an entry's postings are written by one statement, in the transaction that records it;
--   * postings refer to existing entries and accounts;
--   * a posting is in its account's currency and in whole minor units of it;
--   * every entry carries a unique idempotency key.
-- Restoring a dump needs `pg_restore --disable-triggers` (the checks would see half-loaded tables).

CREATE TABLE currencies (
    code        CHAR(3)  PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    minor_units SMALLINT NOT NULL CHECK (minor_units BETWEEN 0 AND 4)
);
INSERT INTO currencies (code, minor_units) VALUES
    ('EUR', 2), ('CHF', 2), ('SEK', 2), ('NOK', 2), ('DKK', 2), ('GBP', 2);

CREATE TABLE customers (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      TEXT        NOT NULL CHECK (email LIKE '%_@_%'),
    name       TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    country    CHAR(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    language   TEXT        NOT NULL CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    currency   CHAR(3)     NOT NULL REFERENCES currencies (code),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

CREATE TABLE ledger_accounts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT        NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 100),
    name        TEXT        NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    currency    CHAR(3)     NOT NULL REFERENCES currencies (code),
    customer_id BIGINT      REFERENCES customers (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_accounts_customer_idx ON ledger_accounts (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE journal_entries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key TEXT        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    kind            TEXT        NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,62}$'),
    memo            TEXT        NOT NULL DEFAULT '',
    occurred_at     TIMESTAMPTZ NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    reference_type  TEXT,
    reference_id    TEXT,
    -- SHA-256 of the entry's content: a retry with the same key must carry the same content.
    fingerprint     BYTEA       NOT NULL CHECK (length(fingerprint) = 32),
    -- The transaction that recorded the entry; only it may add postings.
    created_xact    XID8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT journal_entries_idempotency_key_key UNIQUE (idempotency_key),
    CHECK ((reference_type IS NULL) = (reference_id IS NULL))
);
CREATE INDEX journal_entries_reference_idx ON journal_entries (reference_type, reference_id)
    WHERE reference_type IS NOT NULL;
CREATE INDEX journal_entries_occurred_idx ON journal_entries (occurred_at);

-- entry_id and account_id are checked by the statement trigger `postings_check` below, once
-- per INSERT over all its rows, rather than by foreign keys, whose row-by-row lookups tripled
-- the cost of posting a batch. Entries and accounts can never be deleted, so a reference,
-- once checked, stays valid; `kontor ledger verify` re-checks it.
CREATE TABLE postings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id   BIGINT  NOT NULL,
    account_id BIGINT  NOT NULL,
    currency   CHAR(3) NOT NULL,
    -- Debits are positive, credits negative. Unconstrained NUMERIC: a typed scale would
    -- round silently, and the ledger refuses rather than rounds.
    amount     NUMERIC NOT NULL CONSTRAINT posting_amount_nonzero CHECK (amount <> 0)
);
CREATE INDEX postings_entry_idx ON postings (entry_id);
CREATE INDEX postings_account_idx ON postings (account_id);

-- Entries and postings are never changed or removed: mistakes are reversed by new entries.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused; correct mistakes with a reversing entry',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'ledger_append_only';
END $$;

CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- An account may be renamed, but what it is (code, kind, currency, owner) never changes,
-- and it is never deleted: postings would lose their meaning.
CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger accounts are never deleted'
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'ledger_append_only';
    END IF;
    IF NEW.code IS DISTINCT FROM OLD.code OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.currency IS DISTINCT FROM OLD.currency OR NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
        RAISE EXCEPTION 'ledger account %: code, kind, currency and customer never change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'ledger_account_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_accounts_guard BEFORE UPDATE OR DELETE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_account_guard();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Checked once per INSERT statement over all its rows (set-based: a 4,000-row batch costs a
-- few joins, not 12,000 lookups). The postings of an entry are written by one statement, in
-- the transaction that recorded the entry, and balance per currency right there; a later
-- statement cannot add to an entry, so nothing can unbalance it afterwards.
CREATE FUNCTION ledger_postings_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT x.entry_id, e.id IS NULL AS missing,
           e.created_xact IS DISTINCT FROM pg_current_xact_id() AS closed INTO bad
      FROM (SELECT entry_id, count(*) AS n FROM new_postings GROUP BY entry_id) x
      LEFT JOIN journal_entries e ON e.id = x.entry_id
     WHERE e.id IS NULL
        OR e.created_xact <> pg_current_xact_id()
        OR (SELECT count(*) FROM postings p WHERE p.entry_id = x.entry_id) <> x.n
     LIMIT 1;
    IF FOUND THEN
        IF bad.missing THEN
            RAISE EXCEPTION 'postings refer to journal entry %, which does not exist', bad.entry_id
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'posting_entry_exists';
        END IF;
        RAISE EXCEPTION 'journal entry % is closed: all its postings are written by one statement, in the transaction that records the entry',
            bad.entry_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'posting_entry_open';
    END IF;
    SELECT x.account_id, x.currency, a.id IS NULL AS missing, a.currency AS account_currency INTO bad
      FROM (SELECT DISTINCT account_id, currency FROM new_postings) x
      LEFT JOIN ledger_accounts a ON a.id = x.account_id
     WHERE a.id IS NULL OR a.currency <> x.currency
     LIMIT 1;
    IF FOUND THEN
        IF bad.missing THEN
            RAISE EXCEPTION 'postings refer to ledger account %, which does not exist', bad.account_id
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'posting_account_exists';
        END IF;
        RAISE EXCEPTION 'posting in % to ledger account %, which is kept in %',
            bad.currency, bad.account_id, bad.account_currency
            USING ERRCODE = 'check_violation', CONSTRAINT = 'posting_currency_matches_account';
    END IF;
    -- A handful of currencies: scanning them beats an index probe per posting.
    WITH c AS MATERIALIZED (SELECT code, minor_units FROM currencies)
    SELECT p.entry_id, p.amount, p.currency INTO bad
      FROM new_postings p JOIN c ON c.code = p.currency
     WHERE p.amount <> round(p.amount, c.minor_units)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry %: % % is not a whole number of minor units',
            bad.entry_id, bad.amount, bad.currency
            USING ERRCODE = 'check_violation', CONSTRAINT = 'posting_amount_in_minor_units';
    END IF;
    SELECT p.entry_id, p.currency, sum(p.amount) AS total INTO bad
      FROM new_postings p
     GROUP BY p.entry_id, p.currency HAVING sum(p.amount) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance: its % postings sum to %',
            bad.entry_id, bad.currency, bad.total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER postings_check AFTER INSERT ON postings
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_check();

-- The balance rule, checked at commit, once per entry: this is what refuses an entry whose
-- postings never came (or that has just one).
CREATE FUNCTION ledger_entry_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    summary record;
BEGIN
    SELECT coalesce(sum(n), 0) AS postings,
           (array_agg(currency || ' postings sum to ' || total) FILTER (WHERE total <> 0))[1] AS problem
      INTO summary
      FROM (SELECT currency, sum(amount) AS total, count(*) AS n
              FROM postings WHERE entry_id = NEW.id GROUP BY currency) per_currency;
    IF summary.postings < 2 THEN
        RAISE EXCEPTION 'journal entry % (%) has % posting(s); a balanced entry needs at least two',
            NEW.id, NEW.idempotency_key, summary.postings
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced';
    END IF;
    IF summary.problem IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % (%) does not balance: its %', NEW.id, NEW.idempotency_key, summary.problem
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_entry_balanced AFTER INSERT ON journal_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_check_balanced();
