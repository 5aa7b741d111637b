//! Reports for finance: read-only views across invoicing and payments, written as CSV a page
//! at a time. They sit above both, so neither needs the other to answer "what is still open".
//!
//! Each report is one file: its SQL (PostgreSQL does the counting and summing, so a year of a
//! million invoices is one query, not a million rows in memory) and its row type. Amounts stay
//! exact `Decimal`s summed per currency, never mixed; `chart` draws them as SVG only.

pub mod ar_ageing;
pub mod chart;
pub mod compensation;
pub mod invoice_list;
pub mod mrr;
pub mod payment_behaviour;
pub mod revenue;
pub mod signups;

use chrono::{Datelike, NaiveDate};
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Date, Nullable, Text};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("report-error-period")]
    Period,
}

impl ReportError {
    pub fn message_id(&self) -> &'static str {
        match self {
            ReportError::Database(_) => "error-internal",
            ReportError::Period => "report-error-period",
        }
    }
}

/// What every report can be narrowed to: days `from..=until`, a customer country, a currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub country: Option<String>,
    pub currency: Option<String>,
}

impl Filter {
    /// `sql` with the filter bound as $1 to $4 (from, until, country, currency), the order
    /// every report's SQL takes them in; a report binds its own parameters after them.
    pub(crate) fn query(&self, sql: impl Into<String>) -> BoxedSqlQuery<'_, Pg, SqlQuery> {
        diesel::sql_query(sql)
            .into_boxed()
            .bind::<Date, _>(self.from)
            .bind::<Date, _>(self.until)
            .bind::<Nullable<Text>, _>(self.country.as_deref())
            .bind::<Nullable<Text>, _>(self.currency.as_deref())
    }

    /// The twelve months up to and including the month of `today`.
    pub fn last_twelve_months(today: NaiveDate) -> Filter {
        let first = today.with_day(1).unwrap_or(today);
        let from = first.checked_sub_months(chrono::Months::new(11)).unwrap_or(first);
        Filter { from, until: today, country: None, currency: None }
    }

    /// A filter over `from..=until`; a period that ends before it starts, or spans more than ten
    /// years (a typo, not a question), is refused.
    pub fn new(
        from: NaiveDate,
        until: NaiveDate,
        country: Option<String>,
        currency: Option<String>,
    ) -> Result<Filter, ReportError> {
        if until < from || (until - from).num_days() > 3_660 {
            return Err(ReportError::Period);
        }
        let code = |c: Option<String>| c.map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty());
        Ok(Filter { from, until, country: code(country), currency: code(currency) })
    }

    /// The first day of every month the period touches.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut month = self.from.with_day(1).unwrap_or(self.from);
        let mut months = Vec::new();
        while month <= self.until {
            months.push(month);
            month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
        }
        months
    }
}

/// `part / whole` as a percentage with one decimal, or zero when there is no whole.
pub fn share(part: i64, whole: i64) -> rust_decimal::Decimal {
    if whole == 0 {
        return rust_decimal::Decimal::ZERO;
    }
    (rust_decimal::Decimal::from(part) * rust_decimal::Decimal::ONE_HUNDRED
        / rust_decimal::Decimal::from(whole))
    .round_dp(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_last_twelve_months_end_today_and_list_each_month_once() {
        let filter = Filter::last_twelve_months(day(2026, 12, 5));
        assert_eq!(filter.from, day(2026, 1, 1));
        let months = filter.months();
        assert_eq!(months.len(), 12);
        assert_eq!(months[11], day(2026, 12, 1));
        assert!(Filter::new(day(2026, 2, 1), day(2026, 1, 1), None, None).is_err());
        let narrowed =
            Filter::new(day(2026, 1, 1), day(2026, 1, 31), Some(" de ".into()), Some(String::new()));
        assert_eq!(narrowed.unwrap().country.as_deref(), Some("DE"));
        assert_eq!(share(23, 25), rust_decimal::Decimal::new(92, 0));
        assert_eq!(share(1, 3), rust_decimal::Decimal::new(333, 1));
        assert_eq!(share(1, 0), rust_decimal::Decimal::ZERO);
    }
}
