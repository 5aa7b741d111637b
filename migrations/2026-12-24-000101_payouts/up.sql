-- Payouts: money Kontor sends back to customers by SEPA credit transfer (pain.001.001.09).
-- A queue refund (a transfer finance marked for refund) or the credit balance of a closed
-- account becomes a payout item; finance approves it, a payout export writes the file (kept
-- here, so every download gives the same bytes), and the debit in the next bank statement
-- settles it. Nothing is booked before the money leaves: the refund is posted once, by the
-- settlement, under the idempotency key `payout:<id>`.

CREATE TABLE payout_exports (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id     TEXT        NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 35),
    execution_date DATE        NOT NULL,
    count          INTEGER     NOT NULL CHECK (count > 0),
    control_sum    NUMERIC     NOT NULL CHECK (control_sum > 0),
    file_sha256    TEXT        NOT NULL,
    document       BYTEA       NOT NULL CHECK (encode(sha256(document), 'hex') = file_sha256),
    created_by     BIGINT      REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE payouts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source              TEXT        NOT NULL CHECK (source IN ('queue_refund', 'closed_account_credit')),
    -- The transfer that is sent back (queue refunds).
    bank_transaction_id BIGINT      REFERENCES bank_transactions (id),
    customer_id         BIGINT      REFERENCES customers (id),
    creditor_name       TEXT        NOT NULL DEFAULT '' CHECK (length(creditor_name) <= 200),
    iban                TEXT        CHECK (iban IS NULL OR iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
    -- Why the item cannot be paid out as it is (a Fluent message id): no usable IBAN, no name,
    -- not in euros. Such items stay listed and cannot be approved.
    blocked_reason      TEXT,
    amount              NUMERIC     NOT NULL CHECK (amount > 0),
    currency            CHAR(3)     NOT NULL REFERENCES currencies (code),
    state               TEXT        NOT NULL DEFAULT 'proposed'
                        CHECK (state IN ('proposed', 'approved', 'exported', 'settled', 'returned', 'withdrawn')),
    approved_by         BIGINT      REFERENCES users (id),
    approved_at         TIMESTAMPTZ,
    export_id           BIGINT      REFERENCES payout_exports (id) DEFERRABLE INITIALLY DEFERRED,
    -- The statement debit that settled it, and the credit that brought it back.
    settled_by          BIGINT      UNIQUE REFERENCES bank_transactions (id),
    returned_by         BIGINT      UNIQUE REFERENCES bank_transactions (id),
    return_reason       TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (source <> 'queue_refund' OR bank_transaction_id IS NOT NULL),
    CHECK (source <> 'closed_account_credit' OR customer_id IS NOT NULL),
    CHECK (blocked_reason IS NULL OR state IN ('proposed', 'withdrawn')),
    CHECK ((iban IS NOT NULL AND currency = 'EUR' AND creditor_name <> '') OR blocked_reason IS NOT NULL),
    CHECK ((state IN ('exported', 'settled', 'returned')) = (export_id IS NOT NULL)),
    CHECK ((state IN ('settled', 'returned')) = (settled_by IS NOT NULL)),
    CHECK ((state = 'returned') = (returned_by IS NOT NULL))
);
-- One live payout per transfer and per closed account's credit: marking, proposing or
-- approving twice cannot pay twice. A returned one waits for finance; a withdrawn one is gone.
CREATE UNIQUE INDEX payouts_one_per_transfer
    ON payouts (bank_transaction_id) WHERE state NOT IN ('returned', 'withdrawn');
CREATE UNIQUE INDEX payouts_one_per_closed_account
    ON payouts (customer_id) WHERE source = 'closed_account_credit' AND state NOT IN ('settled', 'withdrawn');
CREATE INDEX payouts_state_idx ON payouts (state, id);
-- The statement import looks for its movements that may be payouts' (settle_import): a tiny
-- partial index, so that lookup costs nothing however many transactions the bank table holds.
CREATE INDEX bank_transactions_payout_idx ON bank_transactions (import_id)
    WHERE end_to_end_id LIKE 'KONTOR-PO-%';
CREATE INDEX payouts_export_idx ON payouts (export_id);

CREATE TRIGGER payout_exports_append_only BEFORE UPDATE OR DELETE ON payout_exports
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payout_exports_no_truncate BEFORE TRUNCATE ON payout_exports
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
