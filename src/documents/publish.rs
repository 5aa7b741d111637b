//! What happens to freshly issued documents before their transaction commits: each is
//! rendered to PDF, stored with its hash, and gets one email in the outbox. All or nothing
//! with the invoice itself: a crash leaves either everything or nothing of a chunk.

use std::collections::BTreeSet;

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::DocumentError;
use super::facturx::{Guideline, cii_xml, wanted};
use super::mailing::document_email;
use super::model::{InvoiceDocument, load};
use super::render::{render_facturx_pdf, render_pdf};
use super::store::{RenderedPdf, store_pdfs};
use crate::db::schema::{customers, invoices};
use crate::site::Site;

/// Where documents come from and go to.
#[derive(Debug, Clone)]
pub struct Publishing {
    pub site: Site,
    /// The seller's country (ISO alpha-2), for the Swiss QR-bill's creditor address.
    pub seller_country: String,
    /// Euro invoices up to this gross amount go out as plain PDFs (`facturx::wanted`).
    pub facturx_threshold_eur: Decimal,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    pub documents: usize,
    pub bytes: usize,
}

/// Renders on all cores: invoices are independent, and the chunk's transaction (which holds
/// the number counter) should be short.
fn render_all(
    documents: &[(InvoiceDocument, bool)],
    seller_country: &str,
) -> Result<Vec<RenderedPdf>, DocumentError> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let per_thread = documents.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<RenderedPdf>, DocumentError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().map(|(doc, facturx)| render_one(doc, *facturx, seller_country)).collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Err(DocumentError::Corrupt("a renderer panicked".to_owned())))
            })
            .collect()
    });
    let mut rendered = Vec::with_capacity(documents.len());
    for part in parts {
        rendered.extend(part?);
    }
    Ok(rendered)
}

/// The PDF of `doc`; as Factur-X, its XML is written first and attached as the last step.
fn render_one(
    doc: &InvoiceDocument,
    facturx: bool,
    seller_country: &str,
) -> Result<RenderedPdf, DocumentError> {
    let (bytes, xml) = if facturx {
        let xml = cii_xml(doc, seller_country, Guideline::En16931)?;
        (render_facturx_pdf(doc, seller_country, &xml)?, Some(xml))
    } else {
        (render_pdf(doc, seller_country)?, None)
    };
    Ok(RenderedPdf { invoice_id: doc.id, file_name: doc.file_name(), bytes, xml })
}

/// The documents among `invoice_ids` whose customers asked for e-invoices.
fn requested(conn: &mut PgConnection, invoice_ids: &[i64]) -> Result<BTreeSet<i64>, DocumentError> {
    Ok(invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .filter(invoices::id.eq_any(invoice_ids))
        .filter(customers::wants_e_invoice)
        .select(invoices::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

/// Renders, stores and mails the issued documents `invoice_ids`, in the caller's transaction.
pub fn publish(
    conn: &mut PgConnection,
    invoice_ids: &[i64],
    publishing: &Publishing,
) -> Result<Published, DocumentError> {
    let requested = requested(conn, invoice_ids)?;
    let documents: Vec<(InvoiceDocument, bool)> = load(conn, invoice_ids)?
        .into_iter()
        .map(|doc| {
            let facturx = wanted(&doc, requested.contains(&doc.id), publishing.facturx_threshold_eur);
            (doc, facturx)
        })
        .collect();
    crate::phases::lap("documents read");
    let rendered = render_all(&documents, &publishing.seller_country)?;
    let bytes = rendered.iter().map(|r| r.bytes.len()).sum();
    crate::phases::lap("render");
    let stored = store_pdfs(conn, &rendered)?;
    crate::phases::lap("PDFs stored");
    let mails = documents
        .iter()
        .zip(&stored)
        .map(|((doc, _), document_id)| document_email(doc, *document_id, &publishing.site))
        .collect::<Result<Vec<_>, _>>()?;
    crate::phases::lap("emails rendered");
    crate::mail::outbox::enqueue_many(conn, &mails, &publishing.site.mail_domain)?;
    crate::phases::lap("emails queued");
    Ok(Published { documents: documents.len(), bytes })
}
