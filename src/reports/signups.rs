//! Sign-ups, cancellations and closings per month and country (the provider's monthly report
//! table), and trial conversion: of the free months that ended in a month, how many went on
//! as paid subscriptions. Days are the provider's calendar days (`time_zone`).
//!
//! A sign-up is a customer created; a cancellation a subscription whose last day (`cancel_on`)
//! falls in the month; a closing an account closed. Country and currency are the customer's.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use super::{Filter, ReportError};

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Row {
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = BigInt)]
    pub signups: i64,
    #[diesel(sql_type = BigInt)]
    pub cancellations: i64,
    #[diesel(sql_type = BigInt)]
    pub closings: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Conversion {
    #[diesel(sql_type = Text)]
    pub month: String,
    /// Free months whose last day was in the month (and before today).
    #[diesel(sql_type = BigInt)]
    pub trials_ended: i64,
    /// Of those, subscriptions still running on the first paid day.
    #[diesel(sql_type = BigInt)]
    pub converted: i64,
}

impl Conversion {
    pub fn rate(&self) -> rust_decimal::Decimal {
        super::share(self.converted, self.trials_ended)
    }
}

pub fn rows(conn: &mut PgConnection, filter: &Filter, time_zone: &str) -> Result<Vec<Row>, ReportError> {
    Ok(filter
        .query(
            "WITH c AS (
           SELECT id, trim(country) AS country, (created_at AT TIME ZONE $5)::date AS signed_up,
                  (closed_at AT TIME ZONE $5)::date AS closed
             FROM customers
            WHERE ($3::text IS NULL OR country = $3) AND ($4::text IS NULL OR currency = $4)),
         events AS (
           SELECT signed_up AS day, country, 1 AS s, 0 AS x, 0 AS z FROM c WHERE signed_up BETWEEN $1 AND $2
           UNION ALL
           SELECT s.cancel_on, c.country, 0, 1, 0 FROM subscriptions s JOIN c ON c.id = s.customer_id
            WHERE s.cancel_on BETWEEN $1 AND $2
           UNION ALL
           SELECT closed, country, 0, 0, 1 FROM c WHERE closed BETWEEN $1 AND $2)
         SELECT to_char(day, 'YYYY-MM') AS month, country, sum(s)::int8 AS signups,
                sum(x)::int8 AS cancellations, sum(z)::int8 AS closings
           FROM events GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .bind::<Text, _>(time_zone)
        .load(conn)?)
}

/// Trial conversion per month in which free months ended, up to `today` (a free month that
/// has not ended yet has not converted or lapsed).
pub fn conversion(
    conn: &mut PgConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
) -> Result<Vec<Conversion>, ReportError> {
    Ok(filter.query(
        "SELECT to_char(s.trial_ends_on, 'YYYY-MM') AS month, count(*)::int8 AS trials_ended,
                count(*) FILTER (WHERE (s.cancel_on IS NULL OR s.cancel_on > s.trial_ends_on)
                                   AND (s.ended_on IS NULL OR s.ended_on > s.trial_ends_on))::int8 AS converted
           FROM subscriptions s JOIN customers c ON c.id = s.customer_id
          WHERE s.trial_ends_on BETWEEN $1 AND $2 AND s.trial_ends_on <= $5
            AND ($3::text IS NULL OR c.country = $3) AND ($4::text IS NULL OR s.currency = $4)
          GROUP BY 1 ORDER BY 1",
    )
    .bind::<Date, _>(today)
    .load(conn)?)
}
