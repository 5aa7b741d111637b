//! What happens to freshly issued documents before their transaction commits: each is
//! rendered to PDF, stored with its hash, and gets one email in the outbox. All or nothing
//! with the invoice itself: a crash leaves either everything or nothing of a chunk.

use diesel::PgConnection;

use super::DocumentError;
use super::mailing::document_email;
use super::model::{InvoiceDocument, load};
use super::render::render_pdf;
use super::store::{RenderedPdf, store_pdfs};
use crate::site::Site;

/// Where documents come from and go to.
#[derive(Debug, Clone)]
pub struct Publishing {
    pub site: Site,
    /// The seller's country (ISO alpha-2), for the Swiss QR-bill's creditor address.
    pub seller_country: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    pub documents: usize,
    pub bytes: usize,
}

/// Renders on all cores: invoices are independent, and the chunk's transaction (which holds
/// the number counter) should be short.
fn render_all(
    documents: &[InvoiceDocument],
    seller_country: &str,
) -> Result<Vec<RenderedPdf>, DocumentError> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let per_thread = documents.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<RenderedPdf>, DocumentError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|doc| {
                            Ok(RenderedPdf {
                                invoice_id: doc.id,
                                file_name: doc.file_name(),
                                bytes: render_pdf(doc, seller_country)?,
                            })
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
    let mut rendered = Vec::with_capacity(documents.len());
    for part in parts {
        rendered.extend(part?);
    }
    Ok(rendered)
}

/// Renders, stores and mails the issued documents `invoice_ids`, in the caller's transaction.
pub fn publish(
    conn: &mut PgConnection,
    invoice_ids: &[i64],
    publishing: &Publishing,
) -> Result<Published, DocumentError> {
    let documents = load(conn, invoice_ids)?;
    let rendered = render_all(&documents, &publishing.seller_country)?;
    let bytes = rendered.iter().map(|r| r.bytes.len()).sum();
    let stored = store_pdfs(conn, &rendered)?;
    let mails = documents
        .iter()
        .zip(&stored)
        .map(|(doc, document_id)| document_email(doc, *document_id, &publishing.site))
        .collect::<Result<Vec<_>, _>>()?;
    crate::mail::outbox::enqueue_many(conn, &mails, &publishing.site.mail_domain)?;
    Ok(Published { documents: documents.len(), bytes })
}
