-- Closing an account no longer switches the log-in off at once: the customer keeps a
-- read-only view of their invoices and payments, and can pay what is open, until everything
-- is settled; then `disabled_at` is set as before.
ALTER TABLE users ADD COLUMN closed_at TIMESTAMPTZ;
