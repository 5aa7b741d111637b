//! Revenue per month, product and country (net, by issue date; credit notes subtract), and
//! deferred revenue: a period billed ahead is earned day by day over its service days, so a
//! month recognises `net × days of the period in the month / days of the period`, and what is
//! billed but not yet earned at a month's end is deferred. Sums per currency, never mixed.

use diesel::prelude::*;
use diesel::sql_types::{Numeric, Text};
use rust_decimal::Decimal;

use super::{Filter, ReportError};

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Row {
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub product: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub net: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Deferred {
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// Net invoiced in the month for service periods.
    #[diesel(sql_type = Numeric)]
    pub billed: Decimal,
    /// Earned in the month by day, whenever it was billed.
    #[diesel(sql_type = Numeric)]
    pub recognised: Decimal,
    /// Billed up to the month's end and not yet earned by then.
    #[diesel(sql_type = Numeric)]
    pub deferred: Decimal,
}

/// The invoice lines the filter selects, signed (credit notes negative), with their
/// document's country and currency.
const LINES: &str = "SELECT i.issue_date, l.service_from, l.service_until, COALESCE(p.product_code, 'other') AS product,
                            COALESCE(i.customer_snapshot->>'country', '') AS country, trim(i.currency) AS currency,
                            CASE WHEN i.kind = 'credit_note' THEN -l.net ELSE l.net END AS net
                       FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
                       LEFT JOIN plans p ON p.code = l.plan_code
                      WHERE ($3::text IS NULL OR i.customer_snapshot->>'country' = $3)
                        AND ($4::text IS NULL OR i.currency = $4)";

pub fn rows(conn: &mut PgConnection, filter: &Filter) -> Result<Vec<Row>, ReportError> {
    Ok(filter
        .query(format!(
            "SELECT to_char(issue_date, 'YYYY-MM') AS month, product, country, currency, sum(net) AS net
           FROM ({LINES} AND i.issue_date BETWEEN $1 AND $2) l
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 4, 2, 3"
        ))
        .load(conn)?)
}

/// Deferred revenue per month of the period and currency, rounded to cents only here at the
/// end. Service periods end on their `service_until` day exclusive. Each line is spread over
/// the months it touches (a monthly period touches two), and what is deferred at a month's end
/// is the running sum of billed less recognised since the first invoice, so the months before
/// the period count too. Months with nothing billed or earned are left out.
pub fn deferred(conn: &mut PgConnection, filter: &Filter) -> Result<Vec<Deferred>, ReportError> {
    let rows: Vec<Deferred> = filter.query(format!(
        "WITH l AS ({LINES} AND l.service_from IS NOT NULL AND l.service_until > l.service_from
                            AND i.issue_date <= $2),
              -- Lines of one issue month and one service period spread alike: summed first,
              -- the spreading below works on thousands of periods instead of every line.
              periods AS (SELECT date_trunc('month', issue_date::timestamp)::date AS issue_month, currency,
                                 service_from, service_until, sum(net) AS net
                            FROM l GROUP BY 1, 2, 3, 4),
              spans AS (SELECT periods.*, date_trunc('month', service_from::timestamp)::date AS first_month,
                               service_until - service_from AS days
                          FROM periods),
              flows AS (
                SELECT issue_month AS month, currency, net AS billed, 0 AS recognised
                  FROM spans
                UNION ALL
                -- A monthly period touches two months: those two without a series, and only
                -- longer periods' further months from one.
                SELECT first_month, currency, 0,
                       net * (LEAST(service_until, (first_month + interval '1 month')::date) - service_from) / days
                  FROM spans
                UNION ALL
                SELECT (first_month + interval '1 month')::date, currency, 0,
                       net * (LEAST(service_until, (first_month + interval '2 months')::date)
                              - (first_month + interval '1 month')::date) / days
                  FROM spans WHERE service_until > (first_month + interval '1 month')::date
                UNION ALL
                SELECT g::date, currency, 0, net * (LEAST(service_until, (g + interval '1 month')::date) - g::date) / days
                  FROM spans CROSS JOIN LATERAL generate_series(first_month + interval '2 months',
                                                                (service_until - 1)::timestamp, interval '1 month') g
                 WHERE service_until > (first_month + interval '2 months')::date),
              months AS (
                SELECT month, currency, sum(billed) AS billed, sum(recognised) AS recognised
                  FROM flows WHERE month <= $2 GROUP BY 1, 2)
         SELECT to_char(month, 'YYYY-MM') AS month, currency, billed, recognised, deferred
           FROM (SELECT *, sum(billed - recognised) OVER (PARTITION BY currency ORDER BY month) AS deferred
                   FROM months) running
          WHERE month >= date_trunc('month', $1::timestamp)::date
          ORDER BY 2, 1"
    ))
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Deferred {
            billed: r.billed.round_dp(2),
            recognised: r.recognised.round_dp(2),
            deferred: r.deferred.round_dp(2),
            ..r
        })
        .collect())
}
