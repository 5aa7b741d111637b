//! From document data to PDF bytes. The same document always gives the same bytes: resource
//! names are fixed, dates come from the document, and the file identifier is derived from
//! the invoice number instead of printpdf's random one.

use printpdf::{Mm, PdfDocument, PdfFont, PdfPage, PdfSaveOptions, XObject};
use sha2::{Digest, Sha256};

use super::DocumentError;
use super::canvas::{PAGE_HEIGHT, PAGE_WIDTH, font_id};
use super::fonts::{Weight, fonts};
use super::layout::Layout;
use super::model::InvoiceDocument;
use super::payment::payment;

/// Renders `doc` as an A4 PDF. `seller_country` is the country of the seller's address, for
/// the Swiss QR-bill's creditor.
pub fn render_pdf(doc: &InvoiceDocument, seller_country: &str) -> Result<Vec<u8>, DocumentError> {
    let fonts = fonts()?;
    let payment = payment(doc, seller_country)?;
    let layout = Layout::new(doc, fonts, payment.as_ref());
    let pages: Vec<PdfPage> = layout
        .pages()
        .into_iter()
        .map(|canvas| PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), canvas.ops))
        .collect();

    let mut pdf = PdfDocument::new(&doc.number);
    pdf.metadata.info.author = doc.seller.name.clone();
    pdf.metadata.info.creator = "Kontor".to_owned();
    pdf.metadata.info.producer = "Kontor".to_owned();
    pdf.metadata.info.identifier = doc.number.clone();
    for weight in [Weight::Regular, Weight::Bold] {
        pdf.resources.fonts.map.insert(font_id(weight), PdfFont::new(fonts.face(weight).parsed.clone()));
    }
    if let Some(payment) = &payment {
        let placed = payment.epc_image.iter().chain(payment.swiss.iter().map(|s| &s.image));
        for image in placed {
            pdf.resources.xobjects.map.insert(image.id.clone(), XObject::Image(image.qr.image.clone()));
        }
    }
    let options =
        PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut bytes = pdf.with_pages(pages).save(&options, &mut warnings);
    fix_file_identifier(&mut bytes, &doc.number);
    Ok(bytes)
}

/// printpdf writes two random 32-character strings as the trailer's `/ID`; they become
/// digits derived from the document number, in place, so no offset moves.
fn fix_file_identifier(bytes: &mut [u8], number: &str) {
    let digest = Sha256::digest(number.as_bytes());
    let digits: Vec<u8> = digest.iter().flat_map(|b| [b'0' + b / 26 % 10, b'0' + b % 10]).take(32).collect();
    let Some(trailer) = find_last(bytes, b"trailer") else { return };
    let Some(id_at) = find_last(bytes.get(trailer..).unwrap_or_default(), b"/ID").map(|i| trailer + i) else {
        return;
    };
    let mut at = id_at;
    for _ in 0..2 {
        let Some(open) = bytes.get(at..).and_then(|rest| rest.iter().position(|b| *b == b'(')) else {
            return;
        };
        let start = at + open + 1;
        if let Some(slot) = bytes.get_mut(start..start + 32)
            && slot.iter().all(u8::is_ascii_alphanumeric)
        {
            slot.copy_from_slice(&digits);
        }
        at = start + 32;
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
