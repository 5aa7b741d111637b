//! PayPal: checkout with the Orders v2 API, verified webhooks, refunds and chargebacks.
//!
//! Every path that learns of a capture (the customer's return, a webhook, a retry) books it
//! through the payment allocation API with the receipt key `paypal-capture:<capture id>`, so
//! the ledger sees it once whatever arrives first. Refunds and reversals are keyed by PayPal's
//! refund id the same way.

pub mod checkout;
pub mod client;
pub mod fake;
pub mod orders;
pub mod refunds;
pub mod settings;
pub mod webhooks;
pub mod wire;

pub use client::Client;
pub use settings::{Mode, PayPalSettings, Verification};

use crate::payments::PaymentError;

#[derive(Debug, thiserror::Error)]
pub enum PayPalError {
    #[error("PayPal is not configured")]
    NotConfigured,
    #[error("PayPal could not be reached: {0}")]
    Unreachable(String),
    #[error("PayPal refused the request ({status}): {body}")]
    Refused { status: u16, body: String },
    #[error("PayPal answered something Kontor cannot read: {0}")]
    BadResponse(String),
    #[error("the invoice is already paid")]
    NothingOpen,
    #[error("unknown invoice, order or capture")]
    NotFound,
    #[error("the payment is not completed yet")]
    NotCompleted,
    #[error("the webhook's signature could not be verified")]
    BadSignature,
    #[error("the webhook body is not a PayPal event: {0}")]
    BadEvent(String),
    #[error("the amount is more than what is left to refund")]
    RefundTooLarge,
    #[error("the amount is not valid")]
    BadAmount,
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Invoicing(#[from] crate::invoicing::InvoicingError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error("{0}")]
    Other(String),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error("the customer's account")]
    Account(#[from] crate::accounts::AccountError),
    #[error("an email")]
    Mail(#[from] crate::mail::MailError),
    #[error("the payer's identity")]
    Identity(#[source] crate::subscriptions::SubscriptionError),
    #[error("database pool")]
    Pool(#[source] diesel::r2d2::PoolError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl PayPalError {
    /// The Fluent message a person sees.
    pub fn message_id(&self) -> &'static str {
        match self {
            PayPalError::NotConfigured => "paypal-not-configured",
            PayPalError::Unreachable(_) => "paypal-unreachable",
            PayPalError::Refused { .. } | PayPalError::BadResponse(_) => "paypal-refused",
            PayPalError::NothingOpen => "paypal-nothing-open",
            PayPalError::NotFound => "error-not-found",
            PayPalError::NotCompleted => "paypal-pending",
            PayPalError::BadSignature | PayPalError::BadEvent(_) => "paypal-bad-webhook",
            PayPalError::RefundTooLarge => "paypal-refund-too-large",
            PayPalError::BadAmount => "paypal-bad-amount",
            PayPalError::Payment(e) => e.message_id(),
            PayPalError::Invoicing(e) => e.message_id(),
            PayPalError::Ledger(e) => e.message_id(),
            PayPalError::Money(e) => e.message_id(),
            PayPalError::Other(_)
            | PayPalError::Audit(_)
            | PayPalError::Account(_)
            | PayPalError::Mail(_)
            | PayPalError::Identity(_)
            | PayPalError::Pool(_)
            | PayPalError::Database(_) => "error-internal",
        }
    }
}

/// The receipt (journal entry) key of a capture: the one idempotency key both the return leg
/// and the webhook use.
pub fn capture_key(capture_id: &str) -> String {
    format!("paypal-capture:{capture_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_a_person_can_see_has_a_message() {
        let english = crate::i18n::Lang::english();
        for error in [
            PayPalError::NotConfigured,
            PayPalError::Unreachable(String::new()),
            PayPalError::Refused { status: 422, body: String::new() },
            PayPalError::BadResponse(String::new()),
            PayPalError::NothingOpen,
            PayPalError::NotFound,
            PayPalError::NotCompleted,
            PayPalError::BadSignature,
            PayPalError::BadEvent(String::new()),
            PayPalError::RefundTooLarge,
            PayPalError::BadAmount,
            PayPalError::Other(String::new()),
        ] {
            let id = error.message_id();
            assert_ne!(crate::i18n::t(&english, id), id, "{error:?} has no English message");
        }
    }

    #[test]
    fn both_paths_use_one_receipt_key_per_capture() {
        assert_eq!(capture_key("3C679366HH908993F"), "paypal-capture:3C679366HH908993F");
    }
}
