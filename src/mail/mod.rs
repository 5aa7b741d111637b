//! Mail: an outbox table written in the transaction of the business action, delivery by a
//! worker with retries and a stable Message-ID, and localized templates.

pub mod outbox;
pub mod templates;
pub mod transport;

pub use outbox::{DeliveryReport, OutgoingMail, deliver_pending, enqueue};
pub use templates::render_email;
pub use transport::{FileTransport, Transport};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail template {name}: {detail}")]
    Template { name: String, detail: String },
    #[error("building the message: {0}")]
    Build(String),
    #[error("delivering: {0}")]
    Transport(String),
    #[error(transparent)]
    Random(#[from] crate::accounts::token::RngError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}
