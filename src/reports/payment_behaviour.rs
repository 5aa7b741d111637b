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

/// Each invoice the report counts: the day it was settled in full (none if not) and how, read
/// from its settlement row (`invoice_settlements`), which the allocations and credit notes keep
/// up to date themselves, so the report is one scan and no longer sums and sorts the year's
/// payments (4.4 s at 1,000,000 invoices before).
const SETTLED: &str = "WITH settled AS (
           SELECT st.invoice_id, st.due_date, st.country, st.method,
                  CASE WHEN s.trial_ends_on IS NOT NULL AND st.service_from = s.trial_ends_on
                       THEN s.trial_ends_on END AS free_month_end,
                  (st.settled_at AT TIME ZONE $5)::date AS paid_on
             FROM invoice_settlements st
             LEFT JOIN subscriptions s ON s.id = st.subscription_id
            WHERE st.issue_date BETWEEN $1 AND $2
              AND ($3::text IS NULL OR st.country = $3)
              AND ($4::text IS NULL OR st.currency = $4)
              AND st.owed > 0)";

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
            "{SETTLED} SELECT i.number, country, method, settled.due_date, paid_on
                         FROM settled JOIN invoices i ON i.id = settled.invoice_id ORDER BY i.number"
        ))
        .bind::<Text, _>(time_zone)
        .load(conn)?)
}

/// One row per country and method, then the totals row; `days` is N, `today` ends the windows.
/// The totals row adds up the groups rather than `GROUPING SETS`, which PostgreSQL computes
/// by sorting every invoice in one process instead of hashing them in parallel.
pub fn rows(
    conn: &mut PgConnection,
    filter: &Filter,
    days: i32,
    today: chrono::NaiveDate,
    time_zone: &str,
) -> Result<Vec<Row>, ReportError> {
    Ok(filter
        .query(format!(
            "{SETTLED},
         grouped AS (
           SELECT country, method,
                  count(*) FILTER (WHERE due_date + $6 < $7)::int8 AS invoices,
                  count(*) FILTER (WHERE due_date + $6 < $7 AND paid_on <= due_date + $6)::int8 AS paid_within,
                  count(*) FILTER (WHERE free_month_end + $6 < $7)::int8 AS first_invoices,
                  count(*) FILTER (WHERE free_month_end + $6 < $7 AND paid_on <= free_month_end + $6)::int8
                      AS first_paid_within
             FROM settled GROUP BY 1, 2)
         SELECT * FROM (
           SELECT * FROM grouped
           UNION ALL
           SELECT '', '', COALESCE(sum(invoices), 0)::int8, COALESCE(sum(paid_within), 0)::int8,
                  COALESCE(sum(first_invoices), 0)::int8, COALESCE(sum(first_paid_within), 0)::int8
             FROM grouped) t
          ORDER BY method = '', country, method"
        ))
        .bind::<Text, _>(time_zone)
        .bind::<diesel::sql_types::Int4, _>(days)
        .bind::<Date, _>(today)
        .load(conn)?)
}
