-- Payments: money received (a bank transfer, a direct debit, a PayPal capture) and how it
-- was allocated to invoices. Both are append-only, like the ledger they mirror: a returned
-- transfer or a chargeback is a reversing receipt, never a changed row.

-- One row per received payment. `key` is also the idempotency key of its journal entry, so a
-- payment seen twice (the same statement imported again, a webhook and a redirect) is
-- recorded once.
CREATE TABLE payment_receipts (
    key             TEXT        PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    method          TEXT        NOT NULL CHECK (method IN ('bank_transfer', 'direct_debit', 'paypal', 'manual')),
    currency        CHAR(3)     NOT NULL REFERENCES currencies (code),
    -- Gross received and the provider's fee, both positive; a reversal repeats them.
    amount          NUMERIC     NOT NULL CHECK (amount > 0),
    fee             NUMERIC     NOT NULL DEFAULT 0 CHECK (fee >= 0 AND fee < amount),
    -- What was not needed for the invoices and went to the customer's credit.
    to_credit       NUMERIC     NOT NULL CHECK (to_credit >= 0 AND to_credit <= amount),
    received_in     BIGINT      NOT NULL REFERENCES ledger_accounts (id),
    ledger_entry_id BIGINT      NOT NULL REFERENCES journal_entries (id),
    occurred_at     TIMESTAMPTZ NOT NULL,
    -- Set on the reversing receipt; a receipt is reversed at most once.
    reversal_of     TEXT        UNIQUE REFERENCES payment_receipts (key),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payment_receipts_customer_idx ON payment_receipts (customer_id);

CREATE TABLE payment_allocations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receipt_key     TEXT        NOT NULL REFERENCES payment_receipts (key),
    invoice_id      BIGINT      NOT NULL REFERENCES invoices (id),
    customer_id     BIGINT      NOT NULL REFERENCES customers (id),
    currency        CHAR(3)     NOT NULL REFERENCES currencies (code),
    -- Positive pays the invoice, negative (a reversal) opens it again.
    amount          NUMERIC     NOT NULL CHECK (amount <> 0),
    method          TEXT        NOT NULL,
    ledger_entry_id BIGINT      NOT NULL REFERENCES journal_entries (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (receipt_key, invoice_id)
);
CREATE INDEX payment_allocations_invoice_idx ON payment_allocations (invoice_id);

CREATE TRIGGER payment_receipts_append_only BEFORE UPDATE OR DELETE ON payment_receipts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payment_allocations_append_only BEFORE UPDATE OR DELETE ON payment_allocations
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Credit notes are looked up by the invoice they credit whenever an open amount is needed.
CREATE INDEX invoices_credited_invoice_idx ON invoices (credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;

-- What is left to pay on each invoice: the amount due, less credit notes against it, less
-- payments allocated to it. Overpayments went to customer credit when they arrived, so the
-- open amount is never below zero.
CREATE VIEW invoice_balances AS
SELECT i.id AS invoice_id,
       i.customer_id,
       i.currency,
       i.due_date,
       i.gross,
       i.amount_due,
       COALESCE(c.credited, 0) AS credited,
       COALESCE(p.paid, 0) AS paid,
       GREATEST(i.amount_due - COALESCE(c.credited, 0) - COALESCE(p.paid, 0), 0) AS open_amount
  FROM invoices i
  LEFT JOIN LATERAL (SELECT sum(cn.gross) AS credited FROM invoices cn WHERE cn.credited_invoice_id = i.id) c ON true
  LEFT JOIN LATERAL (SELECT sum(a.amount) AS paid FROM payment_allocations a WHERE a.invoice_id = i.id) p ON true
 WHERE i.kind = 'invoice';
