//! The double-entry ledger: accounts, journal entries of balanced postings, balances and
//! the verification of every invariant. PostgreSQL enforces the invariants too (see the
//! foundation migration); the checks here give callers clear errors before the database
//! has to refuse.

pub mod account;
pub mod balance;
pub mod chart;
pub mod entry;
pub mod kind;
pub mod verify;

pub use account::{Account, AccountId, AccountKind, AccountSpec, NewAccount};
pub use balance::{AccountBalance, account_balance, customer_balances};
pub use entry::{EntryId, NewEntry, NewPosting, Posted, Reference, post_entries, post_entry};
pub use kind::EntryKind;
pub use verify::{Finding, VerifyReport, verify};

use iso_currency::Currency;

use crate::money::MoneyError;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("invalid journal entry: {0}")]
    InvalidEntry(&'static str),
    #[error("a journal entry needs at least two postings")]
    TooFewPostings,
    #[error("a posting of zero")]
    ZeroPosting,
    #[error("{0} is not a whole number of minor units")]
    NotRounded(String),
    #[error("the postings in {currency} sum to {total}, not zero")]
    Unbalanced { currency: String, total: String },
    #[error("idempotency key {key:?} was already used for a journal entry with different content")]
    IdempotencyConflict { key: String },
    #[error("a posting's currency differs from its account's")]
    CurrencyMismatch,
    #[error("unknown ledger account {0}")]
    UnknownAccount(String),
    #[error("ledger account {0} exists with a different kind, currency or owner")]
    AccountConflict(String),
    #[error("the ledger holds data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("the database refused the ledger change: {0}")]
    Refused(String),
    /// An entry dated in a month finance has closed (the period lock of `accounting`).
    #[error("{0}")]
    MonthClosed(String),
    #[error(transparent)]
    Database(diesel::result::Error),
}

impl LedgerError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            LedgerError::InvalidEntry(_) => "ledger-invalid-entry",
            LedgerError::TooFewPostings => "ledger-too-few-postings",
            LedgerError::ZeroPosting => "ledger-zero-posting",
            LedgerError::NotRounded(_) => "ledger-not-rounded",
            LedgerError::Unbalanced { .. } => "ledger-unbalanced",
            LedgerError::IdempotencyConflict { .. } => "ledger-idempotency-conflict",
            LedgerError::CurrencyMismatch => "ledger-currency-mismatch",
            LedgerError::UnknownAccount(_) => "ledger-unknown-account",
            LedgerError::AccountConflict(_) => "ledger-account-conflict",
            LedgerError::Corrupt(_) => "ledger-corrupt",
            LedgerError::Money(error) => error.message_id(),
            LedgerError::Refused(_) => "ledger-refused",
            LedgerError::MonthClosed(_) => "accounting-month-closed",
            LedgerError::Database(_) => "error-internal",
        }
    }
}

/// Turns the database's refusals (named constraints and triggers) into domain errors.
impl From<diesel::result::Error> for LedgerError {
    fn from(error: diesel::result::Error) -> LedgerError {
        if let diesel::result::Error::DatabaseError(_, info) = &error {
            match info.constraint_name() {
                Some("posting_currency_matches_account") => return LedgerError::CurrencyMismatch,
                Some("ledger_month_closed") => return LedgerError::MonthClosed(info.message().to_owned()),
                Some(
                    "journal_entry_balanced"
                    | "posting_amount_in_minor_units"
                    | "posting_entry_open"
                    | "posting_entry_exists"
                    | "posting_account_exists"
                    | "ledger_append_only"
                    | "ledger_account_immutable"
                    | "posting_amount_nonzero",
                ) => return LedgerError::Refused(info.message().to_owned()),
                _ => {}
            }
        }
        LedgerError::Database(error)
    }
}

pub(crate) fn currency_from_code(code: &str) -> Result<Currency, LedgerError> {
    Currency::from_code(code.trim()).ok_or_else(|| LedgerError::Corrupt(format!("unknown currency {code:?}")))
}
