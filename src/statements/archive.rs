//! A year's invoices and credit notes in one ZIP: the PDFs exactly as stored at issue (never
//! rendered again), with a `SHA256SUMS` file a customer can check them against
//! (`sha256sum -c SHA256SUMS`). PDFs are compressed already, so entries are stored as they are.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::StatementError;
use crate::documents::store::pdfs_of_year;

/// The ZIP's bytes and how many documents it holds (none: there is nothing to download).
pub fn year_archive(
    conn: &mut diesel::PgConnection,
    customer: crate::ids::CustomerId,
    year: i32,
) -> Result<(Vec<u8>, usize), StatementError> {
    let documents = pdfs_of_year(conn, customer.0, year)?;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed timestamp: the same documents always give the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut sums = String::new();
    for document in &documents {
        zip.start_file(document.file_name.as_str(), options)?;
        zip.write_all(&document.content)?;
        sums.push_str(&format!("{}  {}\n", document.sha256_hex(), document.file_name));
    }
    zip.start_file("SHA256SUMS", options)?;
    zip.write_all(sums.as_bytes())?;
    let bytes = zip.finish()?.into_inner();
    Ok((bytes, documents.len()))
}
