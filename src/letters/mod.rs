//! Letters to customers as PDF documents, stored once with their SHA-256 like invoices: the
//! compensation letter after an outage. Here, above both incidents and documents, because
//! documents already read incidents (an invoice's compensation lines).

pub mod compensation;

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error(transparent)]
    Incident(#[from] crate::incidents::IncidentError),
    #[error(transparent)]
    Document(#[from] crate::documents::DocumentError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl LetterError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            LetterError::Incident(e) => e.message_id(),
            LetterError::Document(_) | LetterError::Database(_) => "error-internal",
        }
    }
}
