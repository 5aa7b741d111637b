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
use crate::mail::OutgoingMail;
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

/// A document rendered and its email written, ready to store with both.
pub struct Ready {
    pub pdf: RenderedPdf,
    pub mail: OutgoingMail,
    /// The stored document's id, which the email attaches.
    pub document_id: i64,
}

/// Renders `documents` (each with whether it goes out as Factur-X) and writes their emails,
/// attaching the stored documents `document_ids` (one per document, reserved beforehand with
/// `db::sequence::reserve_ids`). No database: a batch does this while another chunk holds the
/// number counter. On all cores: documents are independent.
pub fn render_ready(
    documents: &[(InvoiceDocument, bool)],
    document_ids: &[i64],
    publishing: &Publishing,
) -> Result<Vec<Ready>, DocumentError> {
    if documents.len() != document_ids.len() {
        return Err(DocumentError::Corrupt("one document id per document".to_owned()));
    }
    let work: Vec<(&(InvoiceDocument, bool), i64)> =
        documents.iter().zip(document_ids.iter().copied()).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let per_thread = work.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<Ready>, DocumentError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|((doc, facturx), document_id)| {
                            let pdf = render_one(doc, *facturx, &publishing.seller_country)?;
                            let mail = document_email(doc, *document_id, &publishing.site)?;
                            Ok(Ready { pdf, mail, document_id: *document_id })
                        })
                        .collect()
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
    let mut ready = Vec::with_capacity(documents.len());
    for part in parts {
        ready.extend(part?);
    }
    Ok(ready)
}

/// Stores rendered documents and queues their emails, in the caller's transaction.
pub fn store_ready(
    conn: &mut PgConnection,
    ready: Vec<Ready>,
    mail_domain: &str,
) -> Result<Published, DocumentError> {
    let published =
        Published { documents: ready.len(), bytes: ready.iter().map(|r| r.pdf.bytes.len()).sum() };
    let ids: Vec<i64> = ready.iter().map(|r| r.document_id).collect();
    let (pdfs, mails): (Vec<RenderedPdf>, Vec<OutgoingMail>) =
        ready.into_iter().map(|r| (r.pdf, r.mail)).unzip();
    store_pdfs(conn, &pdfs, &ids)?;
    crate::phases::lap("PDFs stored");
    crate::mail::outbox::enqueue_many(conn, &mails, mail_domain)?;
    crate::phases::lap("emails queued");
    Ok(published)
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

/// Those of `customers` who asked for e-invoices.
pub fn e_invoice_customers(
    conn: &mut PgConnection,
    customers: &[i64],
) -> Result<BTreeSet<i64>, DocumentError> {
    Ok(customers::table
        .filter(customers::id.eq_any(customers))
        .filter(customers::wants_e_invoice)
        .select(customers::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

/// Renders the written documents `invoice_ids` (in id order) as the stored documents
/// `document_ids`, with their emails.
pub fn render_written(
    conn: &mut PgConnection,
    invoice_ids: &[i64],
    document_ids: &[i64],
    publishing: &Publishing,
) -> Result<Vec<Ready>, DocumentError> {
    let requested = requested(conn, invoice_ids)?;
    let documents: Vec<(InvoiceDocument, bool)> = load(conn, invoice_ids)?
        .into_iter()
        .map(|doc| {
            let facturx = wanted(&doc, requested.contains(&doc.id), publishing.facturx_threshold_eur);
            (doc, facturx)
        })
        .collect();
    crate::phases::lap("documents read");
    let ready = render_ready(&documents, document_ids, publishing)?;
    crate::phases::lap("render");
    Ok(ready)
}

/// Renders, stores and mails the issued documents `invoice_ids`, in the caller's transaction.
pub fn publish(
    conn: &mut PgConnection,
    invoice_ids: &[i64],
    publishing: &Publishing,
) -> Result<Published, DocumentError> {
    let document_ids = crate::db::sequence::reserve_ids(conn, "documents", invoice_ids.len())?;
    let ready = render_written(conn, invoice_ids, &document_ids, publishing)?;
    store_ready(conn, ready, &publishing.site.mail_domain)
}
