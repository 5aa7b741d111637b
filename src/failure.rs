//! How a domain error meets a person: every module's error says what kind of failure it is and
//! which Fluent message tells the reader, so the edges (web, CLI) answer with the right status
//! and words while the log keeps the whole cause chain.

use std::error::Error;

/// What kind of failure an error is; the web answers each with its own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The person's input cannot be used: they can correct it (422 on a form, 400 otherwise).
    Input,
    /// Not found, or not theirs: the same answer, so nothing is revealed.
    NotFound,
    /// Too many attempts; retry after this many seconds.
    RateLimited(i64),
    /// Something on our side or a service we depend on failed; nothing was changed.
    Internal,
}

/// An error a person may be shown (by its message id, never its `Display` text).
pub trait UserFacing: Error + Send + Sync + 'static {
    /// The Fluent id of what to tell the reader.
    fn message_id(&self) -> &'static str;

    /// The kind of failure; errors whose message is the generic one are internal.
    fn kind(&self) -> FailureKind {
        match self.message_id() {
            "error-internal" => FailureKind::Internal,
            "error-not-found" => FailureKind::NotFound,
            _ => FailureKind::Input,
        }
    }
}

pub use crate::causes::cause_chain;

/// Implements [`UserFacing`] for errors that already have an inherent `message_id`.
macro_rules! user_facing {
    ($($error:ty),* $(,)?) => {
        $(impl UserFacing for $error {
            fn message_id(&self) -> &'static str {
                <$error>::message_id(self)
            }
        })*
    };
}

user_facing!(
    crate::reports::ReportError,
    crate::invoicing::InvoicingError,
    crate::payments::paypal::PayPalError,
    crate::payments::bank::BankError,
    crate::payments::payouts::PayoutError,
    crate::payments::sepa::SepaError,
    crate::payments::PaymentError,
    crate::documents::DocumentError,
    crate::money::MoneyError,
    crate::money::MoneyParseError,
    crate::catalog::CatalogError,
    crate::support::SupportError,
    crate::accounting::AccountingError,
    crate::statements::StatementError,
    crate::collections::CollectionsError,
);

impl UserFacing for crate::accounts::AccountError {
    fn message_id(&self) -> &'static str {
        crate::accounts::AccountError::message_id(self)
    }

    fn kind(&self) -> FailureKind {
        match self {
            crate::accounts::AccountError::RateLimited { retry_after_seconds } => {
                FailureKind::RateLimited(*retry_after_seconds)
            }
            crate::accounts::AccountError::UnknownUser => FailureKind::NotFound,
            other => match other.message_id() {
                "error-internal" => FailureKind::Internal,
                _ => FailureKind::Input,
            },
        }
    }
}

impl UserFacing for crate::incidents::IncidentError {
    fn message_id(&self) -> &'static str {
        crate::incidents::IncidentError::message_id(self)
    }

    fn kind(&self) -> FailureKind {
        match self {
            crate::incidents::IncidentError::RateLimited { retry_after_seconds } => {
                FailureKind::RateLimited(*retry_after_seconds)
            }
            other => match other.message_id() {
                "error-internal" => FailureKind::Internal,
                _ => FailureKind::Input,
            },
        }
    }
}

impl UserFacing for crate::subscriptions::SubscriptionError {
    fn message_id(&self) -> &'static str {
        crate::subscriptions::SubscriptionError::message_id(self)
    }

    fn kind(&self) -> FailureKind {
        match self {
            crate::subscriptions::SubscriptionError::Account(inner) => inner.kind(),
            other => match other.message_id() {
                "error-internal" => FailureKind::Internal,
                _ => FailureKind::Input,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum Outer {
        #[error("issuing the invoice")]
        Issue(#[source] std::io::Error),
        #[error(transparent)]
        Same(std::io::Error),
    }

    #[test]
    fn the_chain_names_every_cause_once() {
        let io = || std::io::Error::other("disk full");
        assert_eq!(cause_chain(&Outer::Issue(io())), "issuing the invoice: disk full");
        assert_eq!(cause_chain(&Outer::Same(io())), "disk full");
    }
}
