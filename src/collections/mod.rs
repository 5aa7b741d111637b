//! Collections: what happens when an invoice is not paid. A ladder of notices (as data, per
//! customer type), lawful interest and fees on their own invoice, a letter and an email per
//! notice in the customer's language, suspension and reactivation as provisioning events,
//! pauses and write-offs. The daily run sends one notice per level per invoice, exactly once:
//! the `dunning_notices` UNIQUE key, not a check here, is what guarantees it.

pub mod charges;
pub mod direct_debit;
pub mod interest;
pub mod ladder;
pub mod letters;
pub mod overview;
pub mod pause;
pub mod profile;
pub mod run;
pub mod suspension;
pub mod termination;
pub mod trial_end;
pub mod write_off;

use chrono::NaiveDate;

#[derive(Debug, thiserror::Error)]
pub enum CollectionsError {
    #[error("{0:?} is not a day: expected YYYY-MM-DD")]
    BadDate(String),
    #[error("no base rate is known for {0}")]
    NoBaseRate(NaiveDate),
    #[error("a reason is needed")]
    NoReason,
    #[error("the reason: {0}")]
    BadReason(crate::text::TextProblem),
    #[error("a pause ends between today and a year from now")]
    BadPauseEnd,
    #[error("unknown customer {0}")]
    UnknownCustomer(i64),
    #[error("unknown invoice {0}")]
    UnknownInvoice(String),
    #[error("nothing is open on invoice {0}")]
    NothingOpen(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Invoicing(#[from] crate::invoicing::InvoicingError),
    #[error(transparent)]
    Documents(#[from] crate::documents::DocumentError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Subscription(#[from] crate::subscriptions::SubscriptionError),
    #[error("closing the account")]
    Closing(#[source] termination::ClosingFailed),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("database pool")]
    Pool(#[source] diesel::r2d2::PoolError),
}

impl CollectionsError {
    pub fn message_id(&self) -> &'static str {
        match self {
            CollectionsError::BadDate(_) => "dunning-bad-date",
            CollectionsError::NoBaseRate(_) => "dunning-no-base-rate",
            CollectionsError::NoReason => "dunning-no-reason",
            CollectionsError::BadReason(problem) => problem.message_id(),
            CollectionsError::BadPauseEnd => "dunning-bad-pause-end",
            CollectionsError::UnknownCustomer(_) | CollectionsError::UnknownInvoice(_) => "error-not-found",
            CollectionsError::NothingOpen(_) => "dunning-nothing-open",
            _ => "error-internal",
        }
    }
}

/// Parses `--today`'s `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, CollectionsError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| CollectionsError::BadDate(text.to_owned()))
}
