-- PayPal (issue 8). Money facts live in the ledger and in payment_allocations; these tables
-- remember what PayPal told us, so every path (return leg, webhook, retry) books once.

-- An order Kontor created for an invoice. `state` follows the order: created (waiting for the
-- payer), captured, cancelled, denied, failed. The PayPal-Request-Id is chosen before the API
-- call, so a retried creation cannot make a second order.
CREATE TABLE paypal_orders (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   TEXT NOT NULL UNIQUE,
    order_id     TEXT UNIQUE,
    invoice_id   BIGINT NOT NULL REFERENCES invoices (id),
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    currency     CHAR(3) NOT NULL,
    amount       NUMERIC(20, 4) NOT NULL CHECK (amount > 0),
    state        TEXT NOT NULL DEFAULT 'created'
                 CHECK (state IN ('created', 'captured', 'pending', 'cancelled', 'denied', 'failed')),
    payer_id     TEXT,
    capture_id   TEXT UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX paypal_orders_invoice_idx ON paypal_orders (invoice_id);
CREATE INDEX paypal_orders_customer_idx ON paypal_orders (customer_id);

-- A capture booked to the ledger (once: the capture id is the primary key and the receipt's
-- idempotency key is derived from it).
CREATE TABLE paypal_captures (
    capture_id   TEXT PRIMARY KEY,
    order_id     TEXT,
    invoice_id   BIGINT NOT NULL REFERENCES invoices (id),
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    currency     CHAR(3) NOT NULL,
    amount       NUMERIC(20, 4) NOT NULL CHECK (amount > 0),
    fee          NUMERIC(20, 4) NOT NULL DEFAULT 0 CHECK (fee >= 0),
    ledger_entry_id BIGINT NOT NULL REFERENCES journal_entries (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX paypal_captures_customer_idx ON paypal_captures (customer_id);

-- Money that went back out of a capture: refunds (from the back office or PayPal's side) and
-- reversals (chargebacks). One row per PayPal refund id.
CREATE TABLE paypal_refunds (
    refund_id    TEXT PRIMARY KEY,
    capture_id   TEXT NOT NULL REFERENCES paypal_captures (capture_id),
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    kind         TEXT NOT NULL CHECK (kind IN ('refund', 'reversal')),
    currency     CHAR(3) NOT NULL,
    amount       NUMERIC(20, 4) NOT NULL CHECK (amount > 0),
    credit_note_id BIGINT REFERENCES invoices (id),
    ledger_entry_id BIGINT NOT NULL REFERENCES journal_entries (id),
    actor_user_id BIGINT REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX paypal_refunds_capture_idx ON paypal_refunds (capture_id);

-- Every verified webhook event, once by PayPal's event id. `processed_at` stays empty while
-- the event waits for something that has not happened yet (a refund of a capture not booked
-- yet); it is processed again when that happens.
CREATE TABLE paypal_webhook_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     TEXT NOT NULL UNIQUE,
    event_type   TEXT NOT NULL,
    capture_id   TEXT,
    body         JSONB NOT NULL,
    outcome      TEXT NOT NULL DEFAULT 'received',
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at TIMESTAMPTZ
);
CREATE INDEX paypal_webhook_events_waiting_idx ON paypal_webhook_events (capture_id)
    WHERE processed_at IS NULL;
