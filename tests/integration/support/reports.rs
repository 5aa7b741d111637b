//! The reports as they were first written, straight from the allocations, receipts and
//! subscriptions, kept as the independent recomputation the faster reports must equal: payment
//! behaviour now reads the settlement rows the allocations keep, and MRR looks at customers only
//! where their plans change.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Date, Nullable, Text};
use kontor::reports::{Filter, mrr, payment_behaviour};

fn bound(
    sql: String,
    filter: &Filter,
) -> diesel::query_builder::BoxedSqlQuery<'_, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Date, _>(filter.from)
        .bind::<Date, _>(filter.until)
        .bind::<Nullable<Text>, _>(filter.country.as_deref())
        .bind::<Nullable<Text>, _>(filter.currency.as_deref())
}

/// Every invoice the payment behaviour report counts, with the day it was settled and how,
/// summed from its allocations.
pub fn settlements(
    conn: &mut PgConnection,
    filter: &Filter,
    time_zone: &str,
) -> Vec<payment_behaviour::Settlement> {
    bound(
        format!("{SETTLED} SELECT number, country, method, due_date, paid_on FROM settled ORDER BY number"),
        filter,
    )
    .bind::<Text, _>(time_zone)
    .load(conn)
    .unwrap()
}

/// MRR and its movements from every customer's amount on every month's last day.
pub fn mrr(conn: &mut PgConnection, filter: &Filter, today: NaiveDate) -> Vec<mrr::Row> {
    bound(MRR.to_owned(), filter).bind::<Date, _>(today).load(conn).unwrap()
}

const SETTLED: &str = "WITH inv AS (
           SELECT i.id, i.number, i.due_date, i.amount_due - COALESCE(c.credited, 0) AS owed,
                  COALESCE(i.customer_snapshot->>'country', '') AS country,
                  CASE WHEN s.trial_ends_on IS NOT NULL AND i.service_from = s.trial_ends_on
                       THEN s.trial_ends_on END AS free_month_end
             FROM invoices i
             LEFT JOIN subscriptions s ON s.id = i.subscription_id
             LEFT JOIN (SELECT credited_invoice_id AS id, sum(gross) AS credited FROM invoices
                         WHERE credited_invoice_id IS NOT NULL GROUP BY 1) c ON c.id = i.id
            WHERE i.kind = 'invoice' AND i.issue_date BETWEEN $1 AND $2
              AND ($3::text IS NULL OR i.customer_snapshot->>'country' = $3)
              AND ($4::text IS NULL OR i.currency = $4)),
         pay AS (
           SELECT a.invoice_id, sum(a.amount) AS paid, max((r.occurred_at AT TIME ZONE $5)::date) AS paid_on,
                  (array_agg(a.method ORDER BY r.occurred_at DESC, a.id DESC))[1] AS method
             FROM payment_allocations a JOIN payment_receipts r ON r.key = a.receipt_key
            GROUP BY 1),
         settled AS (
           SELECT inv.*, CASE WHEN COALESCE(pay.paid, 0) >= inv.owed THEN pay.paid_on END AS paid_on,
                  CASE WHEN COALESCE(pay.paid, 0) >= inv.owed THEN pay.method ELSE 'unpaid' END AS method
             FROM inv LEFT JOIN pay ON pay.invoice_id = inv.id WHERE inv.owed > 0)";

const MRR: &str = "WITH m AS (
           SELECT g::date AS start, LEAST((g + interval '1 month' - interval '1 day')::date, $5::date) AS point
             FROM generate_series(date_trunc('month', $1::date) - interval '1 month', $2::date, interval '1 month') g),
         subs AS (
           SELECT s.id, s.customer_id, trim(s.currency) AS currency, s.plan_code,
                  COALESCE(s.trial_ends_on, s.anchor_date) AS paid_from,
                  LEAST(COALESCE(s.cancel_on, 'infinity'), COALESCE(s.ended_on, 'infinity')) AS paid_until
             FROM subscriptions s JOIN customers c ON c.id = s.customer_id
            WHERE ($3::text IS NULL OR c.country = $3) AND ($4::text IS NULL OR s.currency = $4)),
         items AS (
           SELECT customer_id, currency, plan_code, paid_from, paid_until FROM subs
           UNION ALL
           SELECT s.customer_id, s.currency, p.plan_code, GREATEST(p.starts_on, s.paid_from),
                  LEAST(COALESCE(p.ends_on, 'infinity'), s.paid_until)
             FROM subscription_packs p JOIN subs s ON s.id = p.subscription_id),
         price AS (
           SELECT m.point, p.plan_code, trim(p.currency) AS currency,
                  (array_agg(p.monthly_amount ORDER BY p.valid_from DESC, p.id DESC))[1] AS amount
             FROM m JOIN prices p ON p.valid_from <= m.point GROUP BY 1, 2, 3),
         paying AS (
           SELECT m.point, i.customer_id, i.currency, sum(pr.amount) AS amount
             FROM m JOIN items i ON i.paid_from <= m.point AND i.paid_until > m.point
             JOIN price pr ON pr.point = m.point AND pr.plan_code = i.plan_code AND pr.currency = i.currency
            GROUP BY 1, 2, 3),
         firsts AS (SELECT customer_id, min(paid_from) AS first_day FROM subs GROUP BY 1),
         steps AS (SELECT start, point, lag(point) OVER (ORDER BY start) AS previous FROM m),
         now AS (SELECT st.start, st.previous, t.customer_id, t.currency, t.amount
                   FROM steps st JOIN paying t ON t.point = st.point),
         before AS (SELECT st.start, st.previous, p.customer_id, p.currency, p.amount
                      FROM steps st JOIN paying p ON p.point = st.previous),
         moves AS (
           SELECT COALESCE(n.start, b.start) AS start, COALESCE(n.previous, b.previous) AS previous,
                  COALESCE(n.customer_id, b.customer_id) AS customer_id, COALESCE(n.currency, b.currency) AS currency,
                  n.amount AS now, b.amount AS before
             FROM now n FULL JOIN before b
               ON b.start = n.start AND b.customer_id = n.customer_id AND b.currency = n.currency)
         SELECT to_char(mv.start, 'YYYY-MM') AS month, mv.currency,
                COALESCE(sum(now), 0) AS mrr,
                COALESCE(sum(now) FILTER (WHERE before IS NULL AND f.first_day > mv.previous), 0) AS new,
                COALESCE(sum(now - before), 0) AS expansion,
                COALESCE(-sum(before) FILTER (WHERE now IS NULL), 0) AS churned,
                COALESCE(sum(now) FILTER (WHERE before IS NULL AND f.first_day <= mv.previous), 0) AS reactivated
           FROM moves mv JOIN firsts f ON f.customer_id = mv.customer_id
          WHERE mv.start >= date_trunc('month', $1::date)
          GROUP BY 1, 2 ORDER BY 2, 1";
