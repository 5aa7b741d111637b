//! Monthly recurring revenue per month and currency, measured on each month's last day (today
//! for the month under way): the list price (net, per month) of every paid subscription plan
//! and storage pack running that day. A free month pays nothing, so it counts from its end.
//!
//! Its movement from the previous month's last day, per customer: **new** (paying now, never
//! had service before), **reactivated** (paying now, not then, but had service earlier),
//! **expansion** (paying both days: packs added or removed, plan changes), **churned** (paid
//! then, not now; negative). So `mrr = previous + new + reactivated + expansion + churned`.

use diesel::prelude::*;
use diesel::sql_types::{Date, Numeric, Text};
use rust_decimal::Decimal;

use super::{Filter, ReportError};

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Row {
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub mrr: Decimal,
    #[diesel(sql_type = Numeric)]
    pub new: Decimal,
    #[diesel(sql_type = Numeric)]
    pub expansion: Decimal,
    #[diesel(sql_type = Numeric)]
    pub churned: Decimal,
    #[diesel(sql_type = Numeric)]
    pub reactivated: Decimal,
}

pub fn rows(
    conn: &mut PgConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
) -> Result<Vec<Row>, ReportError> {
    Ok(filter.query(
        "WITH m AS (
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
          GROUP BY 1, 2 ORDER BY 2, 1",
    )
    .bind::<Date, _>(today)
    .load(conn)?)
}
