//! From document data to PDF bytes. The same document always gives the same bytes: resource
//! names are fixed, dates come from the document, and the file identifier is derived from
//! the invoice number instead of printpdf's random one. printpdf lays out the object tree;
//! the fonts are swapped for cached subsets and the other streams compressed here with one
//! reused compressor per thread.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Object, StringFormat};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions, XObject};
use sha2::{Digest, Sha256};

use super::DocumentError;
use super::canvas::{Canvas, PAGE_HEIGHT, PAGE_WIDTH, font_id};
use super::embedded_fonts::{embed_subsets, face_to_embed};
use super::facturx::pdfa::{Attachment, make_facturx};
use super::layout::Layout;
use super::model::InvoiceDocument;
use super::payment::payment;
use crate::fonts::{Weight, fonts};

/// Renders `doc` as an A4 PDF. `seller_country` is the country of the seller's address, for
/// the Swiss QR-bill's creditor.
pub fn render_pdf(doc: &InvoiceDocument, seller_country: &str) -> Result<Vec<u8>, DocumentError> {
    render_invoice(doc, seller_country, None)
}

/// Renders `doc` as a Factur-X PDF/A-3b that carries `xml` (its stored CII) as `factur-x.xml`.
pub fn render_facturx_pdf(
    doc: &InvoiceDocument,
    seller_country: &str,
    xml: &[u8],
) -> Result<Vec<u8>, DocumentError> {
    let title = super::layout::title_of(doc);
    let attachment = Attachment { xml, title: &title, author: &doc.seller.name, date: doc.issue_date };
    render_invoice(doc, seller_country, Some(&attachment))
}

fn render_invoice(
    doc: &InvoiceDocument,
    seller_country: &str,
    facturx: Option<&Attachment<'_>>,
) -> Result<Vec<u8>, DocumentError> {
    let fonts = fonts().ok_or(super::DocumentError::Font)?;
    let payment = payment(doc, seller_country)?;
    let layout = Layout::new(doc, fonts, payment.as_ref());
    let pages: Vec<PdfPage> = layout
        .pages()
        .into_iter()
        .map(|canvas| PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), canvas.ops))
        .collect();

    let images = payment
        .iter()
        .flat_map(|payment| payment.epc_image.iter().chain(payment.swiss.iter().map(|s| &s.image)))
        .map(|image| (image.id.clone(), XObject::Image(image.qr.image.clone())))
        .collect();
    save(&doc.number, &doc.seller.name, pages, images, facturx)
}

/// Drawn pages as a PDF of Kontor's own (statements, receipts): the same fonts, compression
/// and reproducible file identifier as an invoice.
pub fn render_pages(
    identifier: &str,
    author: &str,
    pages: Vec<Canvas<'_>>,
) -> Result<Vec<u8>, DocumentError> {
    render_pages_with_images(identifier, author, pages, Vec::new())
}

/// [`render_pages`] with the images the pages place (a letter's payment code).
pub fn render_pages_with_images(
    identifier: &str,
    author: &str,
    pages: Vec<Canvas<'_>>,
    images: Vec<(printpdf::XObjectId, XObject)>,
) -> Result<Vec<u8>, DocumentError> {
    let pages =
        pages.into_iter().map(|canvas| PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), canvas.ops)).collect();
    save(identifier, author, pages, images, None)
}

fn save(
    identifier: &str,
    author: &str,
    pages: Vec<PdfPage>,
    images: Vec<(printpdf::XObjectId, XObject)>,
    facturx: Option<&Attachment<'_>>,
) -> Result<Vec<u8>, DocumentError> {
    let mut pdf = PdfDocument::new(identifier);
    pdf.metadata.info.author = author.to_owned();
    pdf.metadata.info.creator = "Kontor".to_owned();
    pdf.metadata.info.producer = "Kontor".to_owned();
    pdf.metadata.info.identifier = identifier.to_owned();
    for weight in [Weight::Regular, Weight::Bold] {
        pdf.resources.fonts.map.insert(font_id(weight), face_to_embed(weight)?);
    }
    for (id, image) in images {
        pdf.resources.xobjects.map.insert(id, image);
    }
    pdf.pages = pages;
    serialize(&pdf, identifier, facturx)
}

/// The PDF's bytes: fonts subset, streams compressed, the file identifier from `identifier`;
/// with `facturx`, made a PDF/A-3 carrying the XML as the last change to the tree.
fn serialize(
    pdf: &PdfDocument,
    identifier: &str,
    facturx: Option<&Attachment<'_>>,
) -> Result<Vec<u8>, DocumentError> {
    let options =
        PdfSaveOptions { optimize: false, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut tree = printpdf::serialize::to_lopdf_doc(pdf, &options, &mut warnings);
    embed_subsets(&mut tree, fonts().ok_or(DocumentError::Font)?)?;
    if let Some(attachment) = facturx {
        make_facturx(&mut tree, attachment)?;
    }
    compress_streams(&mut tree)?;
    tree.trailer.set("ID", file_identifier(identifier));
    let mut bytes = Vec::with_capacity(24 * 1024);
    tree.save_to(&mut bytes).map_err(|e| DocumentError::Corrupt(format!("writing the PDF: {e}")))?;
    Ok(bytes)
}

/// The trailer's `/ID`: twice 16 bytes derived from the document number.
fn file_identifier(number: &str) -> Object {
    let digest = Sha256::digest(number.as_bytes());
    let first: Vec<u8> = digest.iter().take(16).copied().collect();
    Object::Array(vec![
        Object::String(first.clone(), StringFormat::Hexadecimal),
        Object::String(first, StringFormat::Hexadecimal),
    ])
}

/// The fastest level: an invoice's streams (its page and QR image; the fonts come compressed
/// from their cache) grow by about 1.5 KB over level 6, and the render costs about a tenth
/// less, which the batch needs more than PostgreSQL needs the bytes.
const DEFLATE_LEVEL: u32 = 1;

thread_local! {
    /// Reset between streams: setting up a fresh compressor clears about 200 KB of tables,
    /// which costs more than compressing an invoice's page.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(DEFLATE_LEVEL), true));
}

fn deflate(input: &[u8]) -> Result<Vec<u8>, DocumentError> {
    DEFLATE.with(|cell| {
        let mut compressor = cell.borrow_mut();
        compressor.reset();
        let mut output = Vec::with_capacity(input.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
            let rest = input.get(consumed..).unwrap_or_default();
            if output.capacity() - output.len() < 64 {
                output.reserve(output.capacity().max(1024));
            }
            let status = compressor
                .compress_vec(rest, &mut output, FlushCompress::Finish)
                .map_err(|e| DocumentError::Corrupt(format!("deflate: {e}")))?;
            if status == Status::StreamEnd {
                return Ok(output);
            }
        }
    })
}

/// Compresses every stream printpdf marked compressible, as lopdf's own pass would.
fn compress_streams(tree: &mut lopdf::Document) -> Result<(), DocumentError> {
    for object in tree.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let compressed = deflate(&stream.content)?;
            if compressed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn deflate_round_trips_with_a_reused_compressor() {
        let text: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        for _ in 0..3 {
            let packed = deflate(&text).expect("deflates");
            assert!(packed.len() < text.len() / 10, "{} bytes", packed.len());
            let mut unpacked = Vec::new();
            flate2::read::ZlibDecoder::new(packed.as_slice()).read_to_end(&mut unpacked).expect("inflates");
            assert_eq!(unpacked, text);
        }
        assert!(deflate(b"").is_ok_and(|p| !p.is_empty()), "an empty stream still has a zlib header");
    }

    #[test]
    fn the_file_identifier_follows_the_number() {
        assert_eq!(file_identifier("2026-000001"), file_identifier("2026-000001"));
        assert_ne!(file_identifier("2026-000001"), file_identifier("2026-000002"));
    }
}
