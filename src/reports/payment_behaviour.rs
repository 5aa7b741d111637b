//! How fast customers pay: of the invoices issued in the period whose window has passed, the
//! share paid in full within N days of the due date ("92 % pay within 4 days"), and of the
//! first invoices after a free month, the share paid within N days of the free month's end;
//! by country and payment method. An invoice is paid on the day of the payment (bank booking,
//! collection, capture) that settled it; its method is that payment's; unpaid ones are
//! `unpaid`. Invoices fully credited owe nothing and are left out.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};

use super::{Filter, ReportError};

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Row {
    /// Empty in the totals row.
    #[diesel(sql_type = Text)]
    pub country: String,
    /// Empty in the totals row.
    #[diesel(sql_type = Text)]
    pub method: String,
    /// Invoices due at least N days before today.
    #[diesel(sql_type = BigInt)]
    pub invoices: i64,
    #[diesel(sql_type = BigInt)]
    pub paid_within: i64,
    /// First invoices after a free month that ended at least N days before today.
    #[diesel(sql_type = BigInt)]
    pub first_invoices: i64,
    #[diesel(sql_type = BigInt)]
    pub first_paid_within: i64,
}

impl Row {
    pub fn share(&self) -> rust_decimal::Decimal {
        super::share(self.paid_within, self.invoices)
    }

    pub fn first_share(&self) -> rust_decimal::Decimal {
        super::share(self.first_paid_within, self.first_invoices)
    }

    pub fn is_total(&self) -> bool {
        self.country.is_empty() && self.method.is_empty()
    }
}

/// Each invoice the report counts: the day it was settled in full (none if not) and how.
/// Payments are summed over all allocations and joined once by hash: narrowing them to the
/// period's invoices first (`IN (SELECT id FROM inv)`) made PostgreSQL, misjudging the CTE at
/// 200 rows, probe the allocations index once per invoice (1.8 times slower at 100,000).
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

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Settlement {
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Text)]
    pub method: String,
    #[diesel(sql_type = Date)]
    pub due_date: chrono::NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub paid_on: Option<chrono::NaiveDate>,
}

/// The invoices behind the figures, with the day each was settled (the report's drill-down).
pub fn settlements(
    conn: &mut PgConnection,
    filter: &Filter,
    time_zone: &str,
) -> Result<Vec<Settlement>, ReportError> {
    Ok(filter
        .query(format!(
            "{SETTLED} SELECT number, country, method, due_date, paid_on FROM settled ORDER BY number"
        ))
        .bind::<Text, _>(time_zone)
        .load(conn)?)
}

/// One row per country and method, then the totals row; `days` is N, `today` ends the windows.
pub fn rows(
    conn: &mut PgConnection,
    filter: &Filter,
    days: i32,
    today: chrono::NaiveDate,
    time_zone: &str,
) -> Result<Vec<Row>, ReportError> {
    Ok(filter
        .query(format!(
            "{SETTLED}
         SELECT COALESCE(country, '') AS country, COALESCE(method, '') AS method,
                count(*) FILTER (WHERE due_date + $6 < $7)::int8 AS invoices,
                count(*) FILTER (WHERE due_date + $6 < $7 AND paid_on <= due_date + $6)::int8 AS paid_within,
                count(*) FILTER (WHERE free_month_end + $6 < $7)::int8 AS first_invoices,
                count(*) FILTER (WHERE free_month_end + $6 < $7 AND paid_on <= free_month_end + $6)::int8
                    AS first_paid_within
           FROM settled
          GROUP BY GROUPING SETS ((country, method), ())
          ORDER BY GROUPING(country, method), 1, 2"
        ))
        .bind::<Text, _>(time_zone)
        .bind::<diesel::sql_types::Int4, _>(days)
        .bind::<Date, _>(today)
        .load(conn)?)
}
