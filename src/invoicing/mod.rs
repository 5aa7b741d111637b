//! Invoices and credit notes: issued once, never changed, numbered without gaps per series
//! and year in the transaction that issues them, each with its balanced ledger entry. The
//! monthly batch issues them in chunks that any number of workers share.

pub mod batch;
pub mod compose;
pub mod credit_note;
pub mod due;
pub mod forecast;
pub mod issue;
pub mod numbering;
pub mod progress;
pub mod queries;
pub mod render_ahead;
pub mod run_item;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

#[derive(Debug, thiserror::Error)]
pub enum InvoicingError {
    #[error("{0:?} is not a billing period: expected YYYY-MM, e.g. 2026-11")]
    BadPeriod(String),
    #[error("unknown invoice {0}")]
    UnknownInvoice(String),
    #[error("a credit note needs a reason")]
    NoReason,
    #[error("the reason: {0}")]
    BadReason(crate::text::TextProblem),
    #[error("the amount")]
    BadAmount(#[source] crate::money::MoneyParseError),
    #[error("the credit note is larger than what is left to credit on the invoice")]
    CreditTooLarge,
    #[error("only invoices can be credited")]
    NotAnInvoice,
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error(transparent)]
    Tax(#[from] crate::tax::TaxError),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("database pool")]
    Pool(#[source] diesel::r2d2::PoolError),
    #[error(transparent)]
    Documents(#[from] crate::documents::DocumentError),
}

impl InvoicingError {
    /// A failure worth trying again (see `db::is_transient`): the batch retries these, and
    /// records anything else as a permanent failure with its reason.
    pub fn is_transient(&self) -> bool {
        match self {
            InvoicingError::Database(e)
            | InvoicingError::Ledger(crate::ledger::LedgerError::Database(e))
            | InvoicingError::Documents(crate::documents::DocumentError::Database(e)) => {
                crate::db::is_transient(e)
            }
            InvoicingError::Pool(_) => true,
            _ => false,
        }
    }

    pub fn message_id(&self) -> &'static str {
        match self {
            InvoicingError::BadPeriod(_) => "invoicing-bad-period",
            InvoicingError::UnknownInvoice(_) => "error-not-found",
            InvoicingError::NoReason => "credit-note-no-reason",
            InvoicingError::BadReason(problem) => problem.message_id(),
            InvoicingError::Money(error) => error.message_id(),
            InvoicingError::BadAmount(error) => error.message_id(),
            InvoicingError::CreditTooLarge => "credit-note-too-large",
            InvoicingError::NotAnInvoice => "credit-note-not-invoice",
            _ => "error-internal",
        }
    }
}

/// A calendar month the batch bills: every subscription whose billing period starts in it.
/// Ordered by time (year, then month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillingMonth {
    pub year: i32,
    pub month: u32,
}

impl BillingMonth {
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the following month.
    pub fn end(self) -> NaiveDate {
        self.first_day().checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX)
    }

    pub fn containing(date: NaiveDate) -> BillingMonth {
        BillingMonth { year: date.year(), month: date.month() }
    }

    /// The month after this one.
    pub fn next(self) -> BillingMonth {
        BillingMonth::containing(self.end())
    }
}

impl FromStr for BillingMonth {
    type Err = InvoicingError;

    fn from_str(text: &str) -> Result<BillingMonth, InvoicingError> {
        let bad = || InvoicingError::BadPeriod(text.to_owned());
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4
            || month.len() != 2
            || !year.bytes().chain(month.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        if !(2000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(BillingMonth { year, month })
    }
}

impl fmt::Display for BillingMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The number customers quote: `K` and six or more digits.
pub fn customer_number(id: i64) -> String {
    format!("K{id:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_strictly() {
        let month: BillingMonth = "2026-11".parse().unwrap();
        assert_eq!(month.first_day(), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert_eq!(month.end(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(month.to_string(), "2026-11");
        for bad in ["2026-13", "abc", "2026-1", "26-11", "2026-00", "2026/11", "", "2026-11-01", "+026-11"] {
            assert!(matches!(bad.parse::<BillingMonth>(), Err(InvoicingError::BadPeriod(_))), "{bad}");
        }
        assert_eq!(customer_number(42), "K000042");
    }
}
