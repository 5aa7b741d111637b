//! Gapless numbers: a counter row per series and year, locked and advanced inside the
//! transaction that issues the documents. If that transaction rolls back, so does the counter.

use diesel::prelude::*;

use super::InvoicingError;
use crate::db::schema::invoice_series;

/// A document's series, which is also its kind as `invoices.kind` stores it (the CHECK's list,
/// which a test reads back from the migration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Series {
    Invoice,
    CreditNote,
}

impl Series {
    pub const ALL: [Series; 2] = [Series::Invoice, Series::CreditNote];

    pub fn parse(text: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|series| series.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Series::Invoice => "invoice",
            Series::CreditNote => "credit_note",
        }
    }

    /// `2026-000001` for invoices, `CN-2026-000001` for credit notes.
    pub fn number(self, year: i32, sequence: i64) -> String {
        match self {
            Series::Invoice => format!("{year}-{sequence:06}"),
            Series::CreditNote => format!("CN-{year}-{sequence:06}"),
        }
    }
}

/// Reserves `count` consecutive numbers; returns the first. Holds the series row lock until
/// the caller's transaction ends, so take it as late as possible.
pub fn reserve(
    conn: &mut PgConnection,
    series: Series,
    year: i32,
    count: i64,
) -> Result<i64, InvoicingError> {
    diesel::insert_into(invoice_series::table)
        .values((invoice_series::series.eq(series.as_str()), invoice_series::year.eq(year)))
        .on_conflict_do_nothing()
        .execute(conn)?;
    let next: i64 = diesel::update(invoice_series::table.find((series.as_str(), year)))
        .set(invoice_series::next_number.eq(invoice_series::next_number + count))
        .returning(invoice_series::next_number)
        .get_result(conn)?;
    Ok(next - count)
}

/// The next number of `series` in `year` as last committed, read without locking the counter:
/// a forecast, not a reservation.
pub fn peek(conn: &mut PgConnection, series: Series, year: i32) -> Result<Option<i64>, InvoicingError> {
    Ok(invoice_series::table
        .find((series.as_str(), year))
        .select(invoice_series::next_number)
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_are_the_ones_the_database_allows() {
        let migration = include_str!("../../migrations/2026-11-22-000003_invoicing/up.sql");
        let allowed = crate::db::check_list(migration, "invoices", "kind");
        let ours: Vec<&str> = Series::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(allowed, ours);
        assert!(Series::ALL.into_iter().all(|s| Series::parse(s.as_str()) == Some(s)));
    }
}
