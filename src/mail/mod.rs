//! Mail: an outbox table written in the transaction of the business action, delivery by a
//! worker (SMTP or `.eml` files) with retries and a stable Message-ID, and localized templates.

pub mod mailer;
pub mod outbox;
pub mod send;
pub mod smtp;
pub mod templates;
pub mod transport;

pub use mailer::{DeliverySettings, Mailer, Pacer};
pub use outbox::{DeliveryReport, FailedMail, MailSecret, OutgoingMail, deliver_pending, enqueue};
pub use send::{send, send_with_secret};
pub use templates::render_email;
pub use transport::{FileTransport, Transport};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail template {name}: {detail}")]
    Template { name: String, detail: String },
    /// The message cannot be built from what is stored (an address or media type that does
    /// not parse): no retry can help.
    #[error("building the message: {0}")]
    Build(String),
    /// Delivery failed for now (a 4xx answer, no connection, a full disk): retried later.
    #[error("delivering: {0}")]
    Transport(String),
    /// The receiving server refused the message for good (a 5xx answer).
    #[error("refused by the mail server: {0}")]
    Rejected(String),
    /// The transport's settings (the SMTP URL) are unusable.
    #[error("mail transport settings: {0}")]
    Config(String),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl MailError {
    /// True when sending the same message again cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Build(_) | MailError::Rejected(_))
    }
}
