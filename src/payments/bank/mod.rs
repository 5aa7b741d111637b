//! Bank statements: importing camt.053 / camt.054 files, matching transfers to invoices,
//! undoing returns, and the reconciliation queue for what matched nothing.

mod booking;
pub mod camt;
pub mod import;
pub mod incoming;
pub mod matching;
mod notices;
pub mod queue;
pub mod references;
pub mod returns;
pub mod state;
pub mod statement;
mod suspense;

pub use import::{ImportRequest, Summary, import, import_file, import_statement};

use super::PaymentError;
use camt::CamtError;

/// An account of the seller's that statements may be for: money on it is ours, in its currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OwnAccount {
    /// Compact and upper case, as [`crate::iban::Iban`] writes it.
    pub iban: String,
    #[serde(with = "currency_code")]
    pub currency: iso_currency::Currency,
}

/// A currency as its ISO code in JSON (a statement import job keeps the accounts it imports for).
mod currency_code {
    use iso_currency::Currency;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(currency: &Currency, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(currency.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Currency, D::Error> {
        let code = String::deserialize(input)?;
        Currency::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown currency {code}")))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// `file` names the file when there is one; the cause says why.
    #[error("the statement cannot be read{}", .file.as_deref().map(|f| format!(": {f}")).unwrap_or_default())]
    Unreadable {
        file: Option<String>,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("line {line}: the statement names no account IBAN")]
    NoAccount { line: u64 },
    #[error("line {line}: the statement is for account {iban}, which is not one of the seller's accounts")]
    ForeignAccount { line: u64, iban: String },
    #[error("line {line}: an entry in {currency} on account {iban}, which is kept in {account_currency}")]
    ForeignCurrency { line: u64, iban: String, currency: String, account_currency: String },
    #[error(transparent)]
    Camt(#[from] CamtError),
    #[error("unknown bank transaction {0}")]
    UnknownTransaction(i64),
    #[error("bank transaction {0} is not waiting in the reconciliation queue")]
    NotInQueue(i64),
    #[error("bank transaction {0} has nothing to undo")]
    NothingToUndo(i64),
    #[error("unknown invoice {0}")]
    UnknownInvoice(String),
    #[error("unknown customer {0}")]
    UnknownCustomer(i64),
    #[error("name at least one invoice or a customer")]
    NothingToAssign,
    #[error("the invoices belong to different customers")]
    SeveralCustomers,
    #[error("the invoice is in another currency than the transfer")]
    CurrencyMismatch,
    #[error("the bank records hold data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    DirectDebit(#[from] super::sepa::SepaError),
    #[error(transparent)]
    Payout(#[from] super::payouts::PayoutError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl BankError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            BankError::Unreadable { .. } => "bank-unreadable",
            BankError::NoAccount { .. } => "bank-no-account",
            BankError::ForeignAccount { .. } => "bank-foreign-account",
            BankError::ForeignCurrency { .. } => "bank-foreign-currency",
            BankError::Camt(error) => error.message_id(),
            BankError::UnknownTransaction(_) => "bank-unknown-transaction",
            BankError::NotInQueue(_) => "bank-not-in-queue",
            BankError::NothingToUndo(_) => "bank-nothing-to-undo",
            BankError::UnknownInvoice(_) => "bank-unknown-invoice",
            BankError::UnknownCustomer(_) => "bank-unknown-customer",
            BankError::NothingToAssign => "bank-nothing-to-assign",
            BankError::SeveralCustomers => "bank-several-customers",
            BankError::CurrencyMismatch => "payment-currency-mismatch",
            BankError::Payment(error) => error.message_id(),
            BankError::DirectDebit(error) => error.message_id(),
            BankError::Payout(error) => error.message_id(),
            BankError::Ledger(error) => error.message_id(),
            BankError::Corrupt(_) | BankError::Audit(_) | BankError::Database(_) => "error-internal",
        }
    }

    /// What the message of [`Self::message_id`] names besides the line.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            BankError::ForeignAccount { iban, .. } => vec![("iban", iban.clone())],
            BankError::ForeignCurrency { iban, currency, account_currency, .. } => vec![
                ("iban", iban.clone()),
                ("currency", currency.clone()),
                ("account_currency", account_currency.clone()),
            ],
            _ => Vec::new(),
        }
    }

    /// The line of the file a refused statement is refused at, for the messages that name it.
    pub fn line(&self) -> Option<u64> {
        match self {
            BankError::Camt(error) => Some(error.line()),
            BankError::NoAccount { line }
            | BankError::ForeignAccount { line, .. }
            | BankError::ForeignCurrency { line, .. } => Some(*line),
            _ => None,
        }
    }
}
