//! The support console: finding a caller with one search box, everything about a customer on
//! one page, and what staff do for them (each action audited and done once per form).
//! Nothing here reads settings or knows about the web: handlers and the CLI pass what it needs.

pub mod actions;
pub mod customer_file;
pub mod search;

/// What went wrong in the support console; each variant is a Fluent message id for the reader.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error("no such customer")]
    UnknownCustomer,
    #[error("no such email for this customer, or one that cannot be sent again")]
    UnknownMail,
    #[error("the customer has no free month running that could be extended")]
    NoFreeMonth,
    #[error("days must be from 1 to {max}")]
    Days { max: i32 },
    #[error("the amount is not a positive amount in the customer's currency")]
    Amount,
    #[error("a reason is needed (1 to 500 characters)")]
    Reason,
    #[error("a note is 1 to 4000 characters")]
    Note,
    #[error("the customer has no log-in")]
    NoLogIn,
    /// A refusal another module worded (the new address is the current one, ...).
    #[error("refused: {0}")]
    Refused(&'static str),
    #[error(transparent)]
    Account(#[from] crate::accounts::AccountError),
    #[error(transparent)]
    Subscription(#[from] crate::subscriptions::SubscriptionError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl SupportError {
    pub fn message_id(&self) -> &'static str {
        match self {
            SupportError::UnknownCustomer => "error-not-found",
            SupportError::UnknownMail => "support-mail-unknown",
            SupportError::NoFreeMonth => "support-no-free-month",
            SupportError::Days { .. } => "support-days-invalid",
            SupportError::Amount => "support-amount-invalid",
            SupportError::Reason => "support-reason-invalid",
            SupportError::Note => "support-note-invalid",
            SupportError::NoLogIn => "support-no-login",
            SupportError::Refused(message_id) => message_id,
            SupportError::Account(inner) => inner.message_id(),
            SupportError::Subscription(inner) => inner.message_id(),
            SupportError::Ledger(_)
            | SupportError::Mail(_)
            | SupportError::Audit(_)
            | SupportError::Database(_) => "error-internal",
        }
    }

    /// A refusal the staff member can fix or should know about, as opposed to a failure.
    pub fn is_refusal(&self) -> bool {
        !matches!(self.message_id(), "error-internal" | "error-not-found")
    }
}

/// A customer's number as staff and invoices write it (`K000042`).
pub use crate::invoicing::customer_number;

/// The customer a number names: `K000042`, `k42` or `42`.
pub fn parse_customer_number(text: &str) -> Option<i64> {
    let text = text.trim();
    let digits = text.strip_prefix(['K', 'k']).unwrap_or(text);
    (!digits.is_empty() && digits.len() <= 15 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_numbers_read_with_or_without_their_letter() {
        assert_eq!(parse_customer_number("K000042"), Some(42));
        assert_eq!(parse_customer_number(" k42 "), Some(42));
        assert_eq!(parse_customer_number("42"), Some(42));
        assert_eq!(parse_customer_number("K0"), None);
        assert_eq!(parse_customer_number("K-1"), None);
        assert_eq!(parse_customer_number("Meier"), None);
        assert_eq!(parse_customer_number("9999999999999999999"), None);
    }
}
