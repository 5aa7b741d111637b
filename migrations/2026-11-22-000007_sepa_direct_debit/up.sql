-- SEPA direct debit: customers' mandates, the collections drawn under them and the pain.008
-- files that carried the collections to the bank.

CREATE TABLE sepa_mandates (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id         BIGINT      NOT NULL REFERENCES customers (id),
    -- "KONTOR-<customer number>-<n>": unique per creditor, printed on pre-notifications.
    reference           TEXT        NOT NULL UNIQUE CHECK (reference ~ '^[A-Za-z0-9+?/:().,'' -]{1,35}$'),
    debtor_name         TEXT        NOT NULL CHECK (length(debtor_name) BETWEEN 1 AND 70),
    iban                TEXT        NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    bic                 TEXT        CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
    signed_on           DATE        NOT NULL,
    creditor_id         TEXT        NOT NULL,
    -- 'first' until a collection under it was exported with FRST, then 'recurring'.
    sequence            TEXT        NOT NULL DEFAULT 'first' CHECK (sequence IN ('first', 'recurring')),
    status              TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    revoked_at          TIMESTAMPTZ,
    -- SHA-256 (hex) of the mandate text exactly as the customer saw and accepted it.
    mandate_text_sha256 TEXT        NOT NULL CHECK (mandate_text_sha256 ~ '^[0-9a-f]{64}$'),
    language            TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
-- At most one active mandate per customer.
CREATE UNIQUE INDEX sepa_mandates_one_active ON sepa_mandates (customer_id) WHERE status = 'active';

CREATE TABLE direct_debit_exports (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      TEXT        NOT NULL UNIQUE,
    collection_date DATE        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    file_sha256     TEXT        NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    count           INT         NOT NULL CHECK (count >= 0),
    control_sum     NUMERIC     NOT NULL CHECK (control_sum >= 0)
);

CREATE TABLE direct_debit_collections (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id      BIGINT      NOT NULL REFERENCES invoices (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    mandate_id      BIGINT      NOT NULL REFERENCES sepa_mandates (id),
    end_to_end_id   TEXT        NOT NULL UNIQUE CHECK (length(end_to_end_id) BETWEEN 1 AND 35),
    amount          NUMERIC     NOT NULL CHECK (amount > 0),
    currency        CHAR(3)     NOT NULL REFERENCES currencies (code) CHECK (currency = 'EUR'),
    collection_date DATE        NOT NULL,
    sequence_type   TEXT        NOT NULL CHECK (sequence_type IN ('FRST', 'RCUR')),
    -- Deferred: the export's row is written after its collections, once the file exists.
    export_id       BIGINT      REFERENCES direct_debit_exports (id) DEFERRABLE INITIALLY DEFERRED,
    status          TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'settled', 'returned')),
    -- The receipt that settled it and the bank entry of its return, for the ledger trail.
    settlement_key  TEXT,
    return_key      TEXT,
    return_reason   TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- An invoice is collected at most once at a time: a second export cannot pick it up again
-- (only a returned collection frees it, and returned invoices are not collected again).
CREATE UNIQUE INDEX direct_debit_collections_one_live
    ON direct_debit_collections (invoice_id) WHERE status <> 'returned';
CREATE INDEX direct_debit_collections_invoice_idx ON direct_debit_collections (invoice_id);
CREATE INDEX direct_debit_collections_export_idx ON direct_debit_collections (export_id);
CREATE INDEX sepa_mandates_customer_idx ON sepa_mandates (customer_id);
