-- The settlement rows of many invoices, each found through its indexes. The grouped version of
-- 2026-12-23-000301 joined its sums to the invoices by a nested loop whenever the planner
-- believed the touched invoices were few: inside a statement import the statistics of
-- `invoices` and `payment_allocations` predate the rows the import is writing, the estimate is
-- one row, and each of a chunk's 2,000 invoices re-aggregated all 2,000 allocations (3.3 s per
-- chunk in a debug run of 5,000 entries). Here each invoice sums its own credit notes and
-- allocations by index lookups, so the cost is a few lookups per invoice whatever the
-- statistics say. Sequential scans are ruled out for this function only: with stale
-- statistics a table the import has grown still looks empty, and a scan of it per invoice is
-- what made the first version quadratic.
CREATE OR REPLACE FUNCTION invoice_settlements_refresh(ids BIGINT[]) RETURNS void LANGUAGE sql
SET enable_seqscan = off
AS $$
    INSERT INTO invoice_settlements AS s (invoice_id, issue_date, due_date, currency, country, subscription_id,
                                          service_from, owed, paid, settled_at, method)
    SELECT i.id, i.issue_date, i.due_date, i.currency, COALESCE(i.customer_snapshot->>'country', ''),
           i.subscription_id, i.service_from, i.amount_due - COALESCE(c.credited, 0), COALESCE(p.paid, 0),
           CASE WHEN COALESCE(p.paid, 0) >= i.amount_due - COALESCE(c.credited, 0) THEN p.last_at END,
           CASE WHEN COALESCE(p.paid, 0) >= i.amount_due - COALESCE(c.credited, 0) AND p.last_at IS NOT NULL
                THEN p.method ELSE 'unpaid' END
      FROM invoices i
      LEFT JOIN LATERAL (SELECT sum(cn.gross) AS credited FROM invoices cn WHERE cn.credited_invoice_id = i.id) c ON true
      LEFT JOIN LATERAL (
           SELECT sum(a.amount) AS paid, max(r.occurred_at) AS last_at,
                  (array_agg(a.method ORDER BY r.occurred_at DESC, a.id DESC))[1] AS method
             FROM payment_allocations a JOIN payment_receipts r ON r.key = a.receipt_key
            WHERE a.invoice_id = i.id) p ON true
     WHERE i.id = ANY (ids) AND i.kind = 'invoice'
    ON CONFLICT (invoice_id) DO UPDATE
       SET owed = EXCLUDED.owed, paid = EXCLUDED.paid, settled_at = EXCLUDED.settled_at, method = EXCLUDED.method
$$;
