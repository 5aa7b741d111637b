//! Factur-X / ZUGFeRD e-invoices (EN 16931 profile): the CII XML built from the frozen invoice,
//! and the PDF/A-3 that carries it as `factur-x.xml`. The XML is the legally relevant part; it
//! is written once at issue, stored with its own SHA-256, and never rebuilt.

pub mod cii;
pub mod pdfa;

pub use cii::{Guideline, cii_xml};

use iso_currency::Currency;
use rust_decimal::Decimal;

use super::model::InvoiceDocument;

/// Whether `doc` goes out as Factur-X: for those who asked, always; for business customers (a
/// VAT ID), except euro invoices up to `threshold_eur` gross, which the law leaves as paper.
/// The exemption is the law's, not the customer's: one who asked gets every invoice as
/// Factur-X, also the small ones (most of ours are a few euros).
pub fn wanted(doc: &InvoiceDocument, requested: bool, threshold_eur: Decimal) -> bool {
    let business = doc.customer.vat_id.as_deref().is_some_and(|id| !id.trim().is_empty());
    let small = doc.currency == Currency::EUR && doc.gross.amount().abs() <= threshold_eur;
    requested || (business && !small)
}

#[derive(Debug, thiserror::Error)]
pub enum FacturxError {
    #[error("writing the CII XML: {0}")]
    Xml(#[from] std::io::Error),
    #[error("the invoice cannot be expressed in EN 16931: {0}")]
    Unrepresentable(String),
}

impl FacturxError {
    /// The Fluent message a person sees: nothing here is theirs to correct.
    pub fn message_id(&self) -> &'static str {
        "error-internal"
    }
}
