//! The customer's account statement: every invoice, credit note, payment, refund, credit and
//! grant with a running balance, read from the ledger (a customer's balance is the sum of the
//! postings on their own accounts), as a page, a PDF and a CSV; a receipt per payment; and a
//! year's invoices as the PDFs stored at issue, in one ZIP.

pub mod archive;
pub mod csv;
pub mod lines;
pub mod pdf;
pub mod receipt;

pub use lines::{Line, Section, Statement, statement};

#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    #[error("no such payment for this customer: {0}")]
    UnknownPayment(i64),
    #[error("inconsistent statement data: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Document(#[from] crate::documents::DocumentError),
    #[error(transparent)]
    Csv(#[from] crate::csv_export::CsvError),
    #[error("writing the ZIP failed")]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl StatementError {
    /// The Fluent message a person sees.
    pub fn message_id(&self) -> &'static str {
        match self {
            StatementError::UnknownPayment(_) => "error-not-found",
            _ => "error-internal",
        }
    }
}
