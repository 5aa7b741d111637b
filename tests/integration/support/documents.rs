//! Shared test helpers of the documents capability: what its tests and other capabilities' tests use.

use crate::support::{TestDb, count, scratch_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn scratch(purpose: &str) -> PathBuf {
    let dir = scratch_dir(purpose);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `pdftotext -layout` of the whole document; pages end in a form feed.
pub fn pdf_text(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = write_pdf(dir, name, pdf);
    let out = run(Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(&path).arg("-"));
    String::from_utf8(out).expect("pdftotext writes UTF-8")
}

pub fn assert_shows(text: &str, expected: &str, context: &str) {
    let (text, expected) = (normalized(text), normalized(expected));
    assert!(text.contains(&expected), "{context}: {expected:?} not found in:\n{text}");
}

/// Every invoice and credit note has exactly one stored PDF whose hash and size match its
/// bytes, and exactly one email carrying that PDF; nothing is stored or queued for a document
/// that does not exist. Plain SQL, so it also checks runs made by killed processes.
pub fn assert_one_pdf_and_one_email_per_document(db: &TestDb) {
    let issued = count(db, "SELECT count(*) AS n FROM invoices");
    assert_eq!(
        count(db, "SELECT count(*) AS n FROM documents"),
        issued,
        "one stored PDF per issued invoice and credit note"
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM invoices i
              WHERE (SELECT count(*) FROM documents d WHERE d.invoice_id = i.id) <> 1"
        ),
        0,
        "no document without its PDF or with two"
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM documents d
              WHERE d.invoice_id IS NULL OR NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = d.invoice_id)"
        ),
        0,
        "no PDF without its document"
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM documents d JOIN invoices i ON i.id = d.invoice_id
              WHERE d.sha256 <> sha256(d.content) OR d.byte_size <> length(d.content)
                 OR d.file_name <> i.number || '.pdf' OR d.media_type <> 'application/pdf'
                 OR substr(d.content, 1, 5) <> '\\x255044462d'::bytea"
        ),
        0,
        "every stored PDF is a PDF named after its document, with its own hash and size"
    );
    assert_eq!(count(db, "SELECT count(*) AS n FROM mail_outbox"), issued, "one email per document");
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM invoices i
              WHERE (SELECT count(*) FROM mail_outbox m JOIN documents d ON d.id = m.attachment_document_id
                      WHERE m.idempotency_key = 'document:' || i.number AND d.invoice_id = i.id
                        AND m.recipient = i.customer_snapshot->>'email') <> 1"
        ),
        0,
        "each document's email goes to its customer with its own PDF attached"
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM mail_outbox m
              WHERE m.attachment_document_id IS NULL
                 OR NOT EXISTS (SELECT 1 FROM invoices i WHERE m.idempotency_key = 'document:' || i.number)"
        ),
        0,
        "no email without its document"
    );
}

/// Text as compared here: no-break and narrow no-break spaces (which pdftotext may or may
/// not keep) become plain spaces, and every run of spaces one space, so column padding
/// from `-layout` does not matter.
pub fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_space = false;
    for c in text.chars() {
        let c = if matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t') { ' ' } else { c };
        if c == ' ' && after_space {
            continue;
        }
        after_space = c == ' ';
        out.push(c);
    }
    out
}

pub fn run(command: &mut Command) -> Vec<u8> {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?}: {e} (poppler-utils installed?)"));
    assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

pub fn write_pdf(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    path
}

/// A binary greyscale PGM (P5, maxval < 256): width, height, pixels.
pub fn read_pgm(path: &Path) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    // Magic, width, height, maxval: whitespace-separated, with #-comments to the line end.
    while fields.len() < 4 {
        match bytes[at] {
            b'#' => at += bytes[at..].iter().position(|b| *b == b'\n').unwrap(),
            b if b.is_ascii_whitespace() => at += 1,
            _ => {
                let end = at + bytes[at..].iter().position(u8::is_ascii_whitespace).unwrap();
                fields.push(std::str::from_utf8(&bytes[at..end]).unwrap().to_owned());
                at = end;
            }
        }
    }
    // Exactly one whitespace byte separates the header from the raster.
    at += 1;
    assert_eq!(fields[0], "P5", "{}: a binary greyscale PGM", path.display());
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    assert!(fields[3].parse::<u32>().unwrap() < 256, "one byte per pixel");
    let pixels = bytes[at..].to_vec();
    assert_eq!(pixels.len(), width * height, "{}: raster size", path.display());
    (width, height, pixels)
}

/// Every QR code on every page, as (page, payload): the pages rendered at 150 dpi by
/// `pdftoppm -gray`, decoded by rqrr.
pub fn qr_codes(dir: &Path, name: &str, pdf: &[u8]) -> Vec<(usize, String)> {
    let path = write_pdf(dir, name, pdf);
    let prefix = dir.join(format!("{name}-page"));
    run(Command::new("pdftoppm").args(["-r", "150", "-gray"]).arg(&path).arg(&prefix));
    let stem = format!("{name}-page-");
    let mut pages: Vec<(usize, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let file = p.file_name()?.to_str()?.to_owned();
            let page = file.strip_prefix(&stem)?.strip_suffix(".pgm")?.parse().ok()?;
            Some((page, p))
        })
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "pdftoppm wrote no page");
    let mut codes = Vec::new();
    for (page, file) in pages {
        let (width, height, pixels) = read_pgm(&file);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
        for grid in image.detect_grids() {
            let (_, payload) =
                grid.decode().unwrap_or_else(|e| panic!("page {page}: a QR code fails: {e:?}"));
            codes.push((page, payload));
        }
    }
    codes
}

/// Every stored invoice PDF, its Factur-X XML and its email are exactly what rendering the
/// written rows gives now (`documents::publish::render_written`): whatever the batch rendered
/// before it wrote them, or with a number it expected, nothing differs. Returns how many
/// documents carry Factur-X XML.
pub fn assert_stored_as_written(db: &TestDb, publishing: &kontor::documents::Publishing) -> usize {
    use diesel::prelude::*;
    use kontor::db::schema::{documents, mail_outbox};
    type Stored = (i64, Option<i64>, String, Vec<u8>, Option<Vec<u8>>);
    let mut conn = db.conn();
    let stored: Vec<Stored> = documents::table
        .filter(documents::invoice_id.is_not_null())
        .order(documents::id)
        .select((
            documents::id,
            documents::invoice_id,
            documents::file_name,
            documents::content,
            documents::xml,
        ))
        .load(&mut conn)
        .expect("stored documents");
    assert!(!stored.is_empty(), "documents were stored");
    let mut facturx = 0;
    for (document, invoice, file_name, content, xml) in stored {
        let invoice = invoice.expect("an invoice's document");
        let mut again =
            kontor::documents::publish::render_written(&mut conn, &[invoice], &[document], publishing)
                .expect("renders");
        let again = again.pop().expect("one document");
        assert_eq!(again.pdf.file_name, file_name, "document {document}: the file is named by its number");
        assert!(again.pdf.bytes == content, "{file_name}: the stored PDF is the written invoice's");
        assert_eq!(again.pdf.xml, xml, "{file_name}: the stored XML is the written invoice's");
        facturx += usize::from(xml.is_some());
        let (subject, text, html): (String, String, String) = mail_outbox::table
            .filter(mail_outbox::attachment_document_id.eq(document))
            .select((mail_outbox::subject, mail_outbox::text_body, mail_outbox::html_body))
            .first(&mut conn)
            .expect("the document's email");
        assert_eq!(subject, again.mail.subject, "{file_name}: the email's subject");
        assert_eq!(text, again.mail.text_body, "{file_name}: the email's text");
        assert_eq!(html, again.mail.html_body, "{file_name}: the email's HTML");
    }
    facturx
}
