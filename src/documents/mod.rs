//! What an invoice looks like outside the database: the PDF as sent (rendered once at issue,
//! stored with its SHA-256), its payment QR codes, and the email that carries it.

pub mod canvas;
mod embedded_fonts;
pub mod facturx;
mod font_subset;
pub mod how_to_pay;
pub mod layout;
pub mod letter;
pub mod mailing;
pub mod model;
pub mod payment;
pub mod printed;
pub mod publish;
pub mod qr_image;
pub mod qr_payload;
pub mod render;
pub mod sample;
pub mod snapshot;
pub mod store;
pub mod swiss_bill;

pub use model::{InvoiceDocument, Kind};
pub use publish::{Published, Publishing, publish};
pub use render::{render_facturx_pdf, render_pdf};
pub use store::{StoredDocument, store_pdfs};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the embedded font could not be parsed")]
    Font,
    #[error("QR code: {0}")]
    Qr(String),
    #[error(transparent)]
    Payload(#[from] qr_payload::QrError),
    #[error("document {0} not found")]
    NotFound(String),
    #[error("stored document {0} does not match its SHA-256")]
    Tampered(String),
    #[error("inconsistent document data: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Facturx(#[from] facturx::FacturxError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl DocumentError {
    /// The Fluent message a person sees.
    pub fn message_id(&self) -> &'static str {
        match self {
            DocumentError::NotFound(_) => "error-not-found",
            _ => "error-internal",
        }
    }
}
