CREATE OR REPLACE VIEW invoice_balances AS
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
DROP TABLE trial_end_reminders;
DROP TABLE write_offs;
DROP TABLE dunning_pauses;
DROP TABLE suspensions;
DROP TABLE dunning_notices;
DROP TABLE interest_margins;
DROP TABLE base_rates;
DROP TABLE dunning_fees;
DROP TABLE dunning_levels;
