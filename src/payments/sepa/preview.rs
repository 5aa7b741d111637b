//! What finance sees before and after a direct debit export: the collections an export on a
//! date would make (grouped by due date and sequence type, counted and summed), and the
//! exports made, each with its stored document.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Numeric, Text};
use rust_decimal::Decimal;

use super::SepaError;
use super::export::due_sql;

/// Invoices due on one day that go out with one sequence type.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DueGroup {
    #[diesel(sql_type = Date)]
    pub due_date: NaiveDate,
    /// `FRST` or `RCUR`.
    #[diesel(sql_type = Text)]
    pub sequence_type: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
    /// EUR.
    #[diesel(sql_type = Numeric)]
    pub sum: Decimal,
}

/// What an export with `collection_date` would collect now. The same selection as the export
/// (which may still find less, if another export claims some meanwhile).
pub fn due_groups(conn: &mut PgConnection, collection_date: NaiveDate) -> Result<Vec<DueGroup>, SepaError> {
    Ok(diesel::sql_query(format!(
        "WITH due AS ({due})
         SELECT due_date, CASE WHEN sequence = 'first' AND nth = 1 THEN 'FRST' ELSE 'RCUR' END AS sequence_type,
                count(*) AS count, sum(open_amount) AS sum
           FROM due WHERE open_amount > 0
          GROUP BY 1, 2 ORDER BY 1, 2",
        due = due_sql()
    ))
    .bind::<Date, _>(collection_date)
    .load(conn)?)
}

/// An export made, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ExportRow {
    pub id: i64,
    pub message_id: String,
    pub collection_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub count: i32,
    pub control_sum: Decimal,
    /// False for exports made before exports kept their document: no download.
    pub has_document: bool,
}

pub fn exports(conn: &mut PgConnection, limit: i64) -> Result<Vec<ExportRow>, SepaError> {
    use crate::db::schema::direct_debit_exports as e;
    Ok(e::table
        .order(e::id.desc())
        .limit(limit)
        .select((
            e::id,
            e::message_id,
            e::collection_date,
            e::created_at,
            e::count,
            e::control_sum,
            e::document.is_not_null(),
        ))
        .load(conn)?)
}
