-- The grouped version of 2026-12-23-000301_import_settlement_refresh.
CREATE OR REPLACE FUNCTION invoice_settlements_refresh(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    WITH credited AS (
        SELECT cn.credited_invoice_id AS invoice_id, sum(cn.gross) AS credited
          FROM invoices cn
         WHERE cn.credited_invoice_id = ANY (ids)
         GROUP BY cn.credited_invoice_id
    ), paid AS (
        SELECT a.invoice_id, sum(a.amount) AS paid, max(r.occurred_at) AS last_at,
               (array_agg(a.method ORDER BY r.occurred_at DESC, a.id DESC))[1] AS method
          FROM payment_allocations a JOIN payment_receipts r ON r.key = a.receipt_key
         WHERE a.invoice_id = ANY (ids)
         GROUP BY a.invoice_id
    )
    INSERT INTO invoice_settlements AS s (invoice_id, issue_date, due_date, currency, country, subscription_id,
                                          service_from, owed, paid, settled_at, method)
    SELECT i.id, i.issue_date, i.due_date, i.currency, COALESCE(i.customer_snapshot->>'country', ''),
           i.subscription_id, i.service_from, i.amount_due - COALESCE(c.credited, 0), COALESCE(p.paid, 0),
           CASE WHEN COALESCE(p.paid, 0) >= i.amount_due - COALESCE(c.credited, 0) THEN p.last_at END,
           CASE WHEN COALESCE(p.paid, 0) >= i.amount_due - COALESCE(c.credited, 0) AND p.last_at IS NOT NULL
                THEN p.method ELSE 'unpaid' END
      FROM invoices i
      LEFT JOIN credited c ON c.invoice_id = i.id
      LEFT JOIN paid p ON p.invoice_id = i.id
     WHERE i.id = ANY (ids) AND i.kind = 'invoice'
    ON CONFLICT (invoice_id) DO UPDATE
       SET owed = EXCLUDED.owed, paid = EXCLUDED.paid, settled_at = EXCLUDED.settled_at, method = EXCLUDED.method
$$;
