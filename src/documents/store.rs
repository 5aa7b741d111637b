//! Documents as sent: written once with their SHA-256 in the transaction that issues them,
//! read back (and checked against the hash) whenever a customer, finance or the mail worker
//! needs them. Never rendered again.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::DocumentError;
use crate::db::schema::{documents, invoices};

pub const PDF: &str = "application/pdf";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub sha256: Vec<u8>,
    pub content: Vec<u8>,
}

impl StoredDocument {
    pub fn sha256_hex(&self) -> String {
        hex::encode(&self.sha256)
    }
}

#[derive(Insertable)]
#[diesel(table_name = documents, treat_none_as_default_value = false)]
struct NewDocument<'a> {
    id: i64,
    invoice_id: Option<i64>,
    file_name: &'a str,
    media_type: &'a str,
    sha256: Vec<u8>,
    byte_size: i32,
    content: &'a [u8],
    xml: Option<&'a [u8]>,
    xml_sha256: Option<Vec<u8>>,
}

/// A rendered PDF of an issued invoice or credit note.
pub struct RenderedPdf {
    pub invoice_id: i64,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The Factur-X XML the PDF carries, stored beside it.
    pub xml: Option<Vec<u8>>,
}

/// Stores `pdfs` in one COPY as the documents `ids` (reserved beforehand with
/// `db::sequence::reserve_ids`, one per PDF). A second PDF for the same invoice violates the
/// unique key and fails the caller's transaction.
pub fn store_pdfs(conn: &mut PgConnection, pdfs: &[RenderedPdf], ids: &[i64]) -> Result<(), DocumentError> {
    if pdfs.len() != ids.len() {
        return Err(DocumentError::Corrupt("one document id per PDF".to_owned()));
    }
    let rows = pdfs
        .iter()
        .zip(ids)
        .map(|(pdf, id)| {
            let byte_size = i32::try_from(pdf.bytes.len())
                .map_err(|_| DocumentError::Corrupt(format!("{} is too large", pdf.file_name)))?;
            Ok(NewDocument {
                id: *id,
                invoice_id: Some(pdf.invoice_id),
                file_name: &pdf.file_name,
                media_type: PDF,
                sha256: Sha256::digest(&pdf.bytes).to_vec(),
                byte_size,
                content: &pdf.bytes,
                xml: pdf.xml.as_deref(),
                xml_sha256: pdf.xml.as_ref().map(|xml| Sha256::digest(xml).to_vec()),
            })
        })
        .collect::<Result<Vec<_>, DocumentError>>()?;
    diesel::copy_from(documents::table).from_insertable(&rows).execute(conn)?;
    Ok(())
}

/// Stores one PDF that belongs to no invoice (a letter); returns its document id.
pub fn store_pdf(conn: &mut PgConnection, file_name: &str, bytes: &[u8]) -> Result<i64, DocumentError> {
    let byte_size = i32::try_from(bytes.len())
        .map_err(|_| DocumentError::Corrupt(format!("{file_name} is too large")))?;
    let id = crate::db::sequence::reserve_ids(conn, "documents", 1)?
        .first()
        .copied()
        .ok_or_else(|| DocumentError::Corrupt("no document id".to_owned()))?;
    diesel::insert_into(documents::table)
        .values(NewDocument {
            id,
            invoice_id: None,
            file_name,
            media_type: PDF,
            sha256: Sha256::digest(bytes).to_vec(),
            byte_size,
            content: bytes,
            xml: None,
            xml_sha256: None,
        })
        .execute(conn)?;
    Ok(id)
}

/// A stored document by id, checked against its hash.
pub fn stored(conn: &mut PgConnection, id: i64) -> Result<StoredDocument, DocumentError> {
    let row: Option<Row> = documents::table.find(id).select(COLUMNS).first(conn).optional()?;
    checked(row.ok_or_else(|| DocumentError::NotFound(id.to_string()))?)
}

type Row = (i64, String, String, Vec<u8>, Vec<u8>);

/// What a stored document is read as (a `Row`).
const COLUMNS: (
    documents::id,
    documents::file_name,
    documents::media_type,
    documents::sha256,
    documents::content,
) = (documents::id, documents::file_name, documents::media_type, documents::sha256, documents::content);

fn checked((id, file_name, media_type, sha256, content): Row) -> Result<StoredDocument, DocumentError> {
    if Sha256::digest(&content).as_slice() != sha256.as_slice() {
        return Err(DocumentError::Tampered(file_name));
    }
    Ok(StoredDocument { id, file_name, media_type, sha256, content })
}

/// The stored PDF of the invoice or credit note `number`; `customer` scopes the lookup to
/// that customer's documents (anyone else's: not found).
pub fn pdf_of(
    conn: &mut PgConnection,
    number: &str,
    customer: Option<i64>,
) -> Result<StoredDocument, DocumentError> {
    let mut query =
        documents::table.inner_join(invoices::table).filter(invoices::number.eq(number)).into_boxed();
    if let Some(customer) = customer {
        query = query.filter(invoices::customer_id.eq(customer));
    }
    let row: Option<Row> = query.select(COLUMNS).first(conn).optional()?;
    checked(row.ok_or_else(|| DocumentError::NotFound(number.to_owned()))?)
}

/// The stored PDFs of every invoice and credit note `customer` was issued in `year`, oldest
/// first, each checked against its SHA-256. A customer's year is a few dozen documents of
/// tens of KB, so they are read at once.
pub fn pdfs_of_year(
    conn: &mut PgConnection,
    customer: i64,
    year: i32,
) -> Result<Vec<StoredDocument>, DocumentError> {
    let first =
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or(DocumentError::NotFound(year.to_string()))?;
    let next =
        chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or(DocumentError::NotFound(year.to_string()))?;
    let rows: Vec<Row> = documents::table
        .inner_join(invoices::table)
        .filter(invoices::customer_id.eq(customer))
        .filter(invoices::issue_date.ge(first))
        .filter(invoices::issue_date.lt(next))
        .order((invoices::issue_date, invoices::id))
        .select(COLUMNS)
        .load(conn)?;
    rows.into_iter().map(checked).collect()
}

/// A document's Factur-X XML and its hash, both absent for a plain PDF.
type XmlRow = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The stored Factur-X XML of the invoice or credit note `number`, checked against its own
/// hash; `customer` scopes the lookup as in [`pdf_of`]. Not found when it went out as a plain PDF.
pub fn xml_of(
    conn: &mut PgConnection,
    number: &str,
    customer: Option<i64>,
) -> Result<Vec<u8>, DocumentError> {
    let mut query =
        documents::table.inner_join(invoices::table).filter(invoices::number.eq(number)).into_boxed();
    if let Some(customer) = customer {
        query = query.filter(invoices::customer_id.eq(customer));
    }
    let row: Option<XmlRow> = query.select((documents::xml, documents::xml_sha256)).first(conn).optional()?;
    match row {
        Some((Some(xml), Some(sha256))) if Sha256::digest(&xml).as_slice() == sha256.as_slice() => Ok(xml),
        Some((Some(_), _)) => Err(DocumentError::Tampered(format!("{number}.xml"))),
        _ => Err(DocumentError::NotFound(number.to_owned())),
    }
}
