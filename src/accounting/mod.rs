//! Accounting for finance and the tax adviser: closing months (locked by PostgreSQL), the VAT
//! returns (OSS per quarter, domestic per month, non-EU registrations per quarter), ECB
//! reference rates, the DATEV export and journal CSV, the trial balance and manual journal
//! entries under the four-eyes rule.

pub mod datev;
pub mod fx;
pub mod journal_csv;
pub mod manual;
pub mod period;
pub mod quarter;
pub mod trial_balance;
pub mod vat_return;

pub use quarter::Quarter;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::invoicing::BillingMonth;

#[derive(Debug, thiserror::Error)]
pub enum AccountingError {
    #[error("month {0} is closed")]
    MonthClosed(String),
    #[error("month {0} is not closed")]
    MonthOpen(String),
    #[error("month {0} has not ended yet")]
    MonthNotOver(String),
    #[error("reopening a month needs a reason")]
    NoReason,
    #[error("only an admin reopens a month")]
    NotAdmin,
    #[error("not a quarter: {0:?} (expected e.g. 2026-Q4)")]
    BadQuarter(String),
    #[error("not a month: {0:?} (expected e.g. 2026-11)")]
    BadMonth(String),
    #[error("the ECB file is not readable: {0}")]
    BadRates(String),
    #[error(
        "no ECB reference rate for {currency} on or after {date}: import the ECB file (`kontor fx import`)"
    )]
    NoRate { currency: String, date: NaiveDate },
    #[error("the manual entry is not valid: {0}")]
    BadManualEntry(String),
    #[error("a manual entry is approved by someone other than who proposed it")]
    SameApprover,
    #[error("manual entry {0} does not exist or is approved already")]
    UnknownProposal(i64),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error("writing the export failed: {0}")]
    Write(String),
    #[error(transparent)]
    Database(diesel::result::Error),
}

impl AccountingError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            AccountingError::MonthClosed(_) => "accounting-month-closed",
            AccountingError::MonthOpen(_) => "accounting-month-open",
            AccountingError::MonthNotOver(_) => "accounting-month-not-over",
            AccountingError::NoReason => "accounting-no-reason",
            AccountingError::NotAdmin => "accounting-not-admin",
            AccountingError::BadQuarter(_) | AccountingError::BadMonth(_) => "accounting-bad-period",
            AccountingError::BadRates(_) => "accounting-bad-rates",
            AccountingError::NoRate { .. } => "accounting-no-rate",
            AccountingError::BadManualEntry(_) => "accounting-bad-manual-entry",
            AccountingError::SameApprover => "accounting-same-approver",
            AccountingError::UnknownProposal(_) => "accounting-unknown-proposal",
            AccountingError::Ledger(error) => error.message_id(),
            AccountingError::Audit(_) | AccountingError::Write(_) | AccountingError::Database(_) => {
                "error-internal"
            }
        }
    }
}

/// A closed month's refusal, raised by the database's trigger, is a domain error.
impl From<diesel::result::Error> for AccountingError {
    fn from(error: diesel::result::Error) -> AccountingError {
        if let diesel::result::Error::DatabaseError(_, info) = &error
            && info.constraint_name() == Some("ledger_month_closed")
        {
            return AccountingError::MonthClosed(info.message().to_owned());
        }
        AccountingError::Database(error)
    }
}

pub fn parse_month(text: &str) -> Result<BillingMonth, AccountingError> {
    text.parse().map_err(|_| AccountingError::BadMonth(text.to_owned()))
}

/// The first instant of `day` in `zone` (the day a month or quarter starts, in the seller's
/// time zone): journal entries carry instants, periods are local days.
pub fn start_of(day: NaiveDate, zone: chrono_tz::Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    zone.from_local_datetime(&midnight)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        // No zone skips midnight of the first of a month in practice; UTC is the safe fallback.
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// The instants a month spans in `zone`: [start, end).
pub fn month_bounds(month: BillingMonth, zone: chrono_tz::Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    (start_of(month.first_day(), zone), start_of(month.end(), zone))
}
