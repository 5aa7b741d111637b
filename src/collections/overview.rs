//! What finance sees of collections: the ladder as configured, and per step the invoices that
//! stand on it (their last notice), counted and summed per currency, with the open suspensions
//! and pauses.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Numeric, Text};
use rust_decimal::Decimal;

use super::CollectionsError;
use super::ladder::Ladder;

/// Invoices on one step in one currency.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepTotal {
    #[diesel(sql_type = Integer)]
    pub level: i32,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub invoices: i64,
    #[diesel(sql_type = Numeric)]
    pub open: Decimal,
}

/// A pause in force.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PauseRow {
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Date)]
    pub until: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Overview {
    pub ladder: Ladder,
    pub steps: Vec<StepTotal>,
    pub suspended: i64,
    pub pauses: Vec<PauseRow>,
}

pub fn overview(conn: &mut PgConnection, today: NaiveDate) -> Result<Overview, CollectionsError> {
    let steps: Vec<StepTotal> = diesel::sql_query(
        "SELECT s.level, trim(b.currency) AS currency, count(*) AS invoices, sum(b.open_amount) AS open
           FROM (SELECT invoice_id, max(level) AS level FROM dunning_notices GROUP BY invoice_id) s
           JOIN invoice_balances b ON b.invoice_id = s.invoice_id
          WHERE b.open_amount > 0
          GROUP BY s.level, b.currency ORDER BY s.level, b.currency",
    )
    .load(conn)?;
    let suspended: i64 = crate::db::schema::suspensions::table
        .filter(crate::db::schema::suspensions::lifted_at.is_null())
        .count()
        .get_result(conn)?;
    let pauses: Vec<PauseRow> = diesel::sql_query(
        "SELECT p.customer_id, c.name, p.reason, p.until FROM dunning_pauses p JOIN customers c ON c.id = p.customer_id
          WHERE p.until >= $1 ORDER BY p.until, p.id",
    )
    .bind::<Date, _>(today)
    .load(conn)?;
    Ok(Overview { ladder: Ladder::load(conn)?, steps, suspended, pauses })
}
