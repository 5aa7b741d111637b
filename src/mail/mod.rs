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

/// Any cause, kept as a source where no one type fits (an address that does not parse, a
/// failed write or SMTP exchange).
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail template {name}: {detail}")]
    Template { name: String, detail: String },
    /// The message cannot be built from what is stored (an address or media type that does
    /// not parse): no retry can help.
    #[error("building the message{}", in_words(.what))]
    Build {
        /// What could not be built (the sender, a recipient, a media type), when it says more.
        what: Option<String>,
        #[source]
        source: Option<Cause>,
    },
    /// Delivery failed for now (a 4xx answer, no connection, a full disk): retried later.
    #[error("delivering{}", in_words(.place))]
    Transport {
        /// Where to (the mail folder), when it says more.
        place: Option<String>,
        #[source]
        source: Cause,
    },
    /// The receiving server refused the message for good (a 5xx answer).
    #[error("refused by the mail server: {0}")]
    Rejected(String),
    /// The transport's settings (the SMTP URL) are unusable.
    #[error("mail transport settings")]
    Config(#[source] lettre::transport::smtp::Error),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl MailError {
    /// True when sending the same message again cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Build { .. } | MailError::Rejected(_))
    }
}

/// `: detail` after a message, when there is a detail.
fn in_words(detail: &Option<String>) -> String {
    detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
}
