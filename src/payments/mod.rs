//! Money coming in: how each invoice asks to be paid, receipts allocated to invoices, bank
//! statements, direct debits, PayPal.

pub mod allocation;
pub mod bank;
pub mod paid_notice;
pub mod payouts;
pub mod paypal;
pub mod sepa;

pub use allocation::{
    Applied, Balance, InvoiceState, Method, Receipt, apply_receipt, apply_receipts, balances, invoice_state,
    open_amounts, reverse_receipt,
};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("unknown invoice {0}")]
    UnknownInvoice(i64),
    #[error("invoice {0} belongs to another customer")]
    NotTheCustomers(i64),
    #[error("the payment's currency differs from the invoice's")]
    CurrencyMismatch,
    #[error("{0} is not a payable amount")]
    BadAmount(String),
    #[error("a payment needs a key of 1 to 200 bytes")]
    BadKey,
    #[error("payment {0} was recorded before with a different customer or amount")]
    KeyConflict(String),
    #[error("unknown payment {0}")]
    UnknownReceipt(String),
    #[error("payment {receipt} was already reversed by {by}")]
    AlreadyReversed { receipt: String, by: String },
    #[error("payment {0} is itself a reversal")]
    NotReversible(String),
    #[error("the payment records hold data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("lifting a suspension")]
    Reactivation(#[source] Box<crate::collections::CollectionsError>),
    #[error("queuing the paid email")]
    Mail(#[source] Box<crate::mail::MailError>),
}

impl PaymentError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            PaymentError::UnknownInvoice(_) => "payment-unknown-invoice",
            PaymentError::NotTheCustomers(_) => "payment-not-the-customers",
            PaymentError::CurrencyMismatch => "payment-currency-mismatch",
            PaymentError::BadAmount(_) => "payment-bad-amount",
            PaymentError::BadKey
            | PaymentError::Corrupt(_)
            | PaymentError::Database(_)
            | PaymentError::Reactivation(_)
            | PaymentError::Mail(_) => "error-internal",
            PaymentError::KeyConflict(_) => "payment-key-conflict",
            PaymentError::UnknownReceipt(_) => "payment-unknown-receipt",
            PaymentError::AlreadyReversed { .. } => "payment-already-reversed",
            PaymentError::NotReversible(_) => "payment-not-reversible",
            PaymentError::Ledger(error) => error.message_id(),
            PaymentError::Money(error) => error.message_id(),
        }
    }
}
