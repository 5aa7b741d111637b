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

/// An invoice standing on a step: its last notice is that step's.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepInvoice {
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Date)]
    pub due_date: NaiveDate,
    #[diesel(sql_type = Date)]
    pub sent_on: NaiveDate,
    #[diesel(sql_type = Numeric)]
    pub open: Decimal,
}

/// One step's page: its totals per currency and its invoices, oldest due first, at most
/// `limit` of them.
#[derive(Debug, Clone)]
pub struct Step {
    pub totals: Vec<StepTotal>,
    pub invoices: Vec<StepInvoice>,
}

/// Invoices whose last notice is at `level` and that are still open.
const ON_STEP: &str = "
    WITH last AS (SELECT DISTINCT ON (invoice_id) invoice_id, level, sent_on
                    FROM dunning_notices ORDER BY invoice_id, level DESC)
    SELECT i.number, b.customer_id, c.name, trim(b.currency) AS currency, b.due_date, last.sent_on,
           b.open_amount AS open
      FROM last
      JOIN invoice_balances b ON b.invoice_id = last.invoice_id
      JOIN invoices i ON i.id = last.invoice_id
      JOIN customers c ON c.id = b.customer_id
     WHERE last.level = $1 AND b.open_amount > 0";

pub fn step(conn: &mut PgConnection, level: i32, limit: i64) -> Result<Step, CollectionsError> {
    let totals: Vec<StepTotal> = diesel::sql_query(format!(
        "SELECT $1 AS level, s.currency, count(*) AS invoices, sum(s.open) AS open
           FROM ({ON_STEP}) s GROUP BY s.currency ORDER BY s.currency"
    ))
    .bind::<Integer, _>(level)
    .load(conn)?;
    let invoices: Vec<StepInvoice> =
        diesel::sql_query(format!("{ON_STEP} ORDER BY b.due_date, i.number LIMIT $2"))
            .bind::<Integer, _>(level)
            .bind::<BigInt, _>(limit)
            .load(conn)?;
    Ok(Step { totals, invoices })
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
