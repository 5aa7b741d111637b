-- Bank statement imports (camt.053 / camt.054) and the bank transactions they carry.
-- A transaction is stored once, by its identity (the account, the bank's reference, the
-- booking date and the amount), whichever file or overlapping statement brings it again.
-- The money is in the ledger (a receipt for a matched transfer, the suspense account for the
-- rest); the row records what the bank said and where finance is with it.

CREATE TABLE bank_imports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name   TEXT        NOT NULL,
    file_sha256 BYTEA       NOT NULL CHECK (length(file_sha256) = 32),
    imported_by BIGINT      REFERENCES users (id),
    summary     JSONB       NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE bank_transactions (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity             TEXT        NOT NULL UNIQUE CHECK (length(identity) BETWEEN 1 AND 200),
    import_id            BIGINT      NOT NULL REFERENCES bank_imports (id),
    account_iban         TEXT        NOT NULL,
    direction            TEXT        NOT NULL CHECK (direction IN ('credit', 'debit')),
    currency             CHAR(3)     NOT NULL REFERENCES currencies (code),
    amount               NUMERIC     NOT NULL CHECK (amount > 0),
    booking_date         DATE        NOT NULL,
    value_date           DATE,
    account_servicer_ref TEXT,
    end_to_end_id        TEXT,
    creditor_reference   TEXT,
    remittance           TEXT,
    debtor_name          TEXT,
    debtor_iban          TEXT,
    return_reason        TEXT,
    reversal             BOOLEAN     NOT NULL DEFAULT false,
    -- booked: paid invoices or customer credit; unassigned / suggested: waiting in suspense
    -- for finance; refund: finance sends it back; returned: the bank took it back;
    -- ignored: a debit that is not a return (fees, outgoing payments), not booked here.
    state                TEXT        NOT NULL CHECK (state IN ('booked', 'unassigned', 'suggested', 'refund', 'returned', 'ignored')),
    -- For booked transactions: paid, partly_paid, overpaid or credit (no invoice named).
    outcome              TEXT,
    customer_id          BIGINT      REFERENCES customers (id),
    -- Likely customers and invoices for the reconciliation queue.
    suggestions          JSONB       NOT NULL DEFAULT '[]',
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX bank_transactions_queue_idx ON bank_transactions (booking_date, id)
    WHERE state IN ('unassigned', 'suggested', 'refund');
CREATE INDEX bank_transactions_end_to_end_idx ON bank_transactions (end_to_end_id) WHERE end_to_end_id IS NOT NULL;
CREATE INDEX bank_transactions_debtor_iban_idx ON bank_transactions (debtor_iban) WHERE debtor_iban IS NOT NULL;

-- Each assignment finance makes from the queue, and its undoing: the receipt it booked.
CREATE TABLE bank_assignments (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bank_transaction_id BIGINT      NOT NULL REFERENCES bank_transactions (id),
    receipt_key         TEXT        NOT NULL UNIQUE REFERENCES payment_receipts (key),
    undone_by           TEXT        UNIQUE REFERENCES payment_receipts (key),
    assigned_by         BIGINT      REFERENCES users (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX bank_assignments_transaction_idx ON bank_assignments (bank_transaction_id);

-- Suggestions look customers up by the payer's name, compared without case and extra spaces.
CREATE INDEX customers_name_normalized_idx ON customers (lower(regexp_replace(btrim(name), '\s+', ' ', 'g')));
