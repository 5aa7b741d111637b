//! Bank statements: importing camt.053 / camt.054 files, matching transfers to invoices,
//! undoing returns, and the reconciliation queue for what matched nothing.

pub mod import;
pub mod incoming;
pub mod matching;
pub mod queue;
pub mod references;
pub mod returns;
pub mod statement;
mod suspense;

pub use import::{ImportRequest, Summary, import, import_file};

use super::PaymentError;
use super::camt::CamtError;

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("the statement cannot be read: {0}")]
    Unreadable(String),
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
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Audit(#[from] crate::accounts::AccountError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl BankError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            BankError::Unreadable(_) => "bank-unreadable",
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
            BankError::Ledger(error) => error.message_id(),
            BankError::Audit(error) => error.message_id(),
            BankError::Corrupt(_) | BankError::Database(_) => "error-internal",
        }
    }
}
