//! Invoice and credit note PDFs as a reader gets them: the text poppler's `pdftotext`
//! extracts (localized titles, amounts, names with diacritics, every line on a page with the
//! table header and "page x of y"), the payment QR codes decoded from the rendered page by
//! rqrr and checked element by element against the EPC and Swiss layouts, the same bytes
//! from every place a PDF can be fetched, and the email that carries it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use diesel::prelude::*;
use iso_currency::Currency;
use kontor::db::schema::{documents, invoices, mail_outbox};
use kontor::documents::how_to_pay::{HowToPay, Settled};
use kontor::documents::model::{InvoiceDocument, Party};
use kontor::documents::{qr_payload, render_pdf, sample};
use kontor::i18n::Lang;
use kontor::i18n::format::Formats;
use mail_parser::{MessageParser, MimeHeaders};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::smtp_listener::{Script, SmtpListener};
use crate::support::documents::{
    assert_one_pdf_and_one_email_per_document, assert_shows, normalized, pdf_text, qr_codes, run, scratch,
    write_pdf,
};
use crate::support::{Count, TestDb, TestServer, count};

/// The number `sample::invoice` gives every document.
const SAMPLE_NUMBER: &str = "2026-004711";
const PERIOD: &str = "2026-12";
/// The seller's country in the default settings (Germany).
const SELLER_COUNTRY: &str = "DE";

// ---------------------------------------------------------------------------------------------
// Helpers: scratch folders, poppler, the Fluent files, PGM images.

fn party(name: &str, street: &str, postal_code: &str, city: &str, country: &str) -> Party {
    Party {
        name: name.to_owned(),
        company_name: None,
        street: street.to_owned(),
        postal_code: postal_code.to_owned(),
        city: city.to_owned(),
        country: country.to_owned(),
        vat_id: None,
    }
}

fn swiss_customer() -> Party {
    party("Jürg Müller-Lüthi", "Bahnhofstrasse 12", "8001", "Zürich", "CH")
}

fn austrian_customer() -> Party {
    party("Dörte Pöschl", "Mariahilfer Straße 1", "1060", "Wien", "AT")
}

/// A one-line sample invoice of 2.00 (net) at `rate` percent.
fn small_invoice(lang: &str, customer: Party, currency: Currency, rate: i64) -> InvoiceDocument {
    sample::invoice(lang, customer, currency, 1, 200, Decimal::from(rate))
}

fn render(doc: &InvoiceDocument) -> Vec<u8> {
    render_pdf(doc, SELLER_COUNTRY).expect("the document renders")
}

/// A word on a page as `pdftotext -bbox` places it, in points from the top left.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    text: String,
    x: (f64, f64),
    y: (f64, f64),
}

/// Every word of every page with its bounding box.
fn pdf_words(dir: &Path, name: &str, pdf: &[u8]) -> Vec<Word> {
    let path = write_pdf(dir, name, pdf);
    let out = run(Command::new("pdftotext").args(["-bbox", "-enc", "UTF-8"]).arg(&path).arg("-"));
    let html = String::from_utf8(out).expect("pdftotext writes UTF-8");
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..start + tag[start..].find('"').unwrap()].parse().unwrap()
    };
    let mut words = Vec::new();
    let mut page = 0;
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(tag) = line.strip_prefix("<word ") else { continue };
        let (attributes, rest) = tag.split_once('>').unwrap();
        let text = rest.strip_suffix("</word>").unwrap_or(rest);
        words.push(Word {
            page,
            text: text
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'"),
            x: (attribute(attributes, "xMin"), attribute(attributes, "xMax")),
            y: (attribute(attributes, "yMin"), attribute(attributes, "yMax")),
        });
    }
    assert!(page >= 1 && !words.is_empty(), "{name}: pdftotext -bbox found no words");
    words
}

/// Pairs of words on one page whose boxes overlap: text printed over text. Boxes that only
/// touch, or overlap by less than half a point, do not count.
fn overlapping(words: &[Word]) -> Vec<String> {
    let overlap = |a: (f64, f64), b: (f64, f64)| a.1.min(b.1) - a.0.max(b.0);
    let mut found = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let height = (a.y.1 - a.y.0).min(b.y.1 - b.y.0);
            if a.page == b.page && overlap(a.x, b.x) > 0.5 && overlap(a.y, b.y) > height / 2.0 {
                found.push(format!(
                    "page {}: {:?} (x {:.1}-{:.1}) and {:?} (x {:.1}-{:.1})",
                    a.page, a.text, a.x.0, a.x.1, b.text, b.x.0, b.x.1
                ));
            }
        }
    }
    found
}

/// A single-line message straight from `locales/<lang>/<file>` (not through Kontor's i18n),
/// with `args` put in for its `{ $name }` placeables.
fn message(lang: &str, file: &str, id: &str, args: &[(&str, &str)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang).join(file);
    let source = std::fs::read_to_string(&path).unwrap();
    let mut text = source
        .lines()
        .find_map(|line| line.strip_prefix(id)?.trim_start().strip_prefix('='))
        .unwrap_or_else(|| panic!("{id} is not in {}", path.display()))
        .trim()
        .to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{ ${name} }}"), value);
    }
    assert!(!text.contains('{'), "{id} in {lang} has a placeable this test does not fill: {text}");
    text
}

/// Element names by number from one of the field-layout summaries in
/// `tests/fixtures/qr/`, for messages that say which element is wrong; ranges ("12-18")
/// name each element of the range.
fn layout_names(fixture: &str) -> BTreeMap<usize, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qr").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut names = BTreeMap::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let Some((number, rest)) = trimmed.split_once(' ') else { continue };
        let (first, last) = number.split_once('-').unwrap_or((number, number));
        let (Ok(first), Ok(last)) = (first.parse::<usize>(), last.parse::<usize>()) else { continue };
        // Rows start in the first two columns (" 9", "10"); continuation lines are indented.
        if line.len() - trimmed.len() > 1 || first == 0 || last < first {
            continue;
        }
        let name = rest.trim().split("  ").next().unwrap_or_default().to_owned();
        for n in first..=last {
            names.insert(n, name.clone());
        }
    }
    assert!(names.len() >= 10, "{} lists the elements: {names:?}", path.display());
    names
}

/// ISO 11649 creditor reference check, independent of Kontor's: "RF", two check digits, the
/// reference; moved to the end and letters as numbers (A = 10), the number mod 97 is 1.
fn is_iso11649(reference: &str) -> bool {
    let valid_shape = reference.len() <= 25
        && reference.starts_with("RF")
        && reference.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    let rotated = reference.chars().skip(4).chain(reference.chars().take(4));
    let remainder = rotated.fold(0u64, |acc, c| {
        let value = c.to_digit(36).unwrap_or(0) as u64;
        if value >= 10 { (acc * 100 + value) % 97 } else { (acc * 10 + value) % 97 }
    });
    valid_shape && remainder == 1
}

/// The QR reference check (modulo 10, recursive), independent of Kontor's: run over all 27
/// digits, a valid reference ends with carry 0.
fn is_mod10_recursive(reference: &str) -> bool {
    const TABLE: [u32; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    reference.len() == 27
        && reference.chars().all(|c| c.is_ascii_digit())
        && reference.chars().fold(0, |carry, c| TABLE[((carry + c.to_digit(10).unwrap()) % 10) as usize]) == 0
}

/// Compares a decoded payload element by element (1-based, as the layouts number them).
fn assert_elements(payload: &str, expected: &[&str], names: &BTreeMap<usize, String>) {
    let actual: Vec<&str> = payload.split('\n').collect();
    for (index, want) in expected.iter().enumerate() {
        let number = index + 1;
        let name = names.get(&number).map_or("?", String::as_str);
        assert_eq!(actual.get(index).copied(), Some(*want), "element {number} ({name}) of {payload:?}");
    }
    assert_eq!(actual.len(), expected.len(), "no elements after the last expected one: {payload:?}");
}

// ---------------------------------------------------------------------------------------------
// A database with a month's invoices issued by the batch, with their PDFs and emails.

fn seed_and_bill(db: &TestDb, customers: i64) -> kontor::config::Settings {
    let made = kontor::seed::customers(&mut db.conn(), customers, PERIOD.parse().unwrap()).unwrap();
    assert_eq!(made, customers);
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    let summary = run_batch(db, &settings);
    assert_eq!(count(db, "SELECT count(*) AS n FROM invoices"), customers, "{summary:?}");
    settings
}

fn run_batch(db: &TestDb, settings: &kontor::config::Settings) -> kontor::invoicing::batch::Summary {
    let run = crate::support::invoicing::Run {
        workers: 2,
        chunk_size: 5,
        ..crate::support::invoicing::Run::december()
    };
    crate::support::invoicing::run_batch_as(db, settings, crate::support::now(), &run)
}

/// An issued document as stored: (invoice id, number, customer id, language, customer
/// name and email as frozen at issue).
#[derive(Debug, Clone)]
struct Issued {
    invoice_id: i64,
    number: String,
    customer_id: i64,
    language: String,
    name: String,
    email: String,
}

fn issued(db: &TestDb, kind: &str) -> Vec<Issued> {
    let rows: Vec<(i64, String, i64, String, serde_json::Value)> = invoices::table
        .filter(invoices::kind.eq(kind))
        .order(invoices::id)
        .select((
            invoices::id,
            invoices::number,
            invoices::customer_id,
            invoices::language,
            invoices::customer_snapshot,
        ))
        .load(&mut db.conn())
        .unwrap();
    rows.into_iter()
        .map(|(invoice_id, number, customer_id, language, snapshot)| Issued {
            invoice_id,
            number,
            customer_id,
            language,
            name: snapshot["name"].as_str().unwrap_or_default().to_owned(),
            email: snapshot["email"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// (document id, file name, media type, sha256, byte size, content) of an invoice's PDF.
type StoredRow = (i64, String, String, Vec<u8>, i32, Vec<u8>);

fn stored_pdf(db: &TestDb, invoice_id: i64) -> StoredRow {
    let mut rows: Vec<StoredRow> = documents::table
        .filter(documents::invoice_id.eq(invoice_id))
        .select((
            documents::id,
            documents::file_name,
            documents::media_type,
            documents::sha256,
            documents::byte_size,
            documents::content,
        ))
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(rows.len(), 1, "exactly one stored PDF for invoice {invoice_id}");
    rows.remove(0)
}

/// A seeded customer gets a portal user and a browser signed in as it.
fn customer_browser(server: &TestServer, db: &TestDb, customer_id: i64) -> crate::support::Browser {
    let user = diesel::sql_query(
        "INSERT INTO users (email, role, customer_id, language, email_verified_at)
         SELECT email, 'customer', id, language, now() FROM customers WHERE id = $1
         RETURNING id AS n",
    )
    .bind::<diesel::sql_types::BigInt, _>(customer_id)
    .get_result::<Count>(&mut db.conn())
    .unwrap()
    .n;
    let mut browser = server.browser();
    browser.sign_in_as(db, kontor::ids::UserId(user));
    browser
}

// ---------------------------------------------------------------------------------------------
// 1. Text in every language.

struct LocaleCase {
    label: &'static str,
    lang: &'static str,
    customer: Party,
    currency: Currency,
    rate: Decimal,
    /// Amounts as a reader of that locale writes them, independent of Kontor's formatter:
    /// unit price and line, VAT, total of the one-line invoice.
    literal: [&'static str; 3],
}

fn locale_cases() -> Vec<LocaleCase> {
    let typical = |lang: &'static str| sample::customer_for(lang);
    let case = |label, lang, (customer, currency): (Party, Currency), rate: i64, literal| LocaleCase {
        label,
        lang,
        customer,
        currency,
        rate: Decimal::from(rate),
        literal,
    };
    vec![
        case("en", "en", typical("en"), 20, ["£2.00", "£0.40", "£2.40"]),
        case("de", "de", typical("de"), 19, ["2,00 €", "0,38 €", "2,38 €"]),
        case("fr", "fr", typical("fr"), 20, ["2,00 €", "0,40 €", "2,40 €"]),
        case("nl", "nl", typical("nl"), 21, ["€ 2,00", "€ 0,42", "€ 2,42"]),
        case("sv", "sv", typical("sv"), 25, ["2,00 kr", "0,50 kr", "2,50 kr"]),
        case("da", "da", typical("da"), 25, ["2,00 kr.", "0,50 kr.", "2,50 kr."]),
        case("nb", "nb", typical("nb"), 25, ["2,00 kr", "0,50 kr", "2,50 kr"]),
        // 8.1 %: a rate with decimals.
        LocaleCase {
            rate: Decimal::new(81, 1),
            ..case("de-CH", "de", (swiss_customer(), Currency::CHF), 0, ["CHF 2.00", "CHF 0.16", "CHF 2.16"])
        },
        case("de-AT", "de", (austrian_customer(), Currency::EUR), 20, ["€ 2,00", "€ 0,40", "€ 2,40"]),
    ]
}

#[test]
fn every_language_prints_its_title_amounts_and_the_customers_name() {
    let dir = scratch("pdf-text");
    for case in locale_cases() {
        let doc = sample::invoice(case.lang, case.customer.clone(), case.currency, 1, 200, case.rate);
        let text = pdf_text(&dir, case.label, &render(&doc));
        let context = case.label;
        assert_eq!(text.matches('\u{c}').count(), 1, "{context}: one page");

        let title = message(case.lang, "documents.ftl", "pdf-invoice-title", &[("number", SAMPLE_NUMBER)]);
        assert_shows(&text, &title, context);
        assert_shows(&text, &message(case.lang, "invoicing.ftl", "invoices-description", &[]), context);
        assert_shows(&text, &message(case.lang, "documents.ftl", "pdf-total", &[]), context);
        assert_shows(
            &text,
            &message(case.lang, "documents.ftl", "pdf-page", &[("page", "1"), ("pages", "1")]),
            context,
        );
        assert_shows(&text, &case.customer.name, context);
        assert_shows(&text, &case.customer.city, context);

        let formats = Formats::new(&Lang::supported(case.lang).unwrap(), &case.customer.country);
        for amount in [doc.lines[0].unit_price, doc.vat, doc.gross] {
            assert_shows(&text, &formats.money(amount), context);
        }
        for literal in case.literal {
            assert_shows(&text, literal, context);
        }
        // The formatter and the literal agree on the total, separators and all.
        assert_eq!(normalized(&formats.money(doc.gross)), case.literal[2], "{context}");
    }

    // Grouping: French groups thousands with a narrow no-break space, German with a dot,
    // Swiss German with an apostrophe; the PDF shows what the formatter wrote.
    let big = |lang: &str, customer: Party, currency: Currency| {
        sample::invoice(lang, customer, currency, 1, 123_456, Decimal::ZERO)
    };
    let french = big("fr", sample::customer_for("fr").0, Currency::EUR);
    let formats = Formats::new(&french.language, "FR");
    assert_eq!(formats.money(french.gross), "1\u{202f}234,56\u{a0}€", "narrow no-break space, then no-break");
    let text = pdf_text(&dir, "fr-big", &render(&french));
    assert_shows(&text, "1 234,56 €", "fr grouping");
    assert!(
        !normalized(&text).contains("1234,56"),
        "the group separator is not lost between the digits:\n{text}"
    );
    let german = big("de", sample::customer_for("de").0, Currency::EUR);
    let german_text = pdf_text(&dir, "de-big", &render(&german));
    assert_shows(&german_text, "1.234,56 €", "de grouping");
    // The header's service period ends on the same last day as the lines.
    assert_eq!(normalized(&german_text).matches("01.11.2026 – 30.11.2026").count(), 2, "{german_text}");
    assert!(!german_text.contains("01.12.2026"), "{german_text}");
    let swiss = big("de", swiss_customer(), Currency::CHF);
    let swiss_money = Formats::new(&swiss.language, "CH").money(swiss.gross);
    assert!(swiss_money.starts_with("CHF") && swiss_money.ends_with("234.56"), "{swiss_money}");
    assert_shows(&pdf_text(&dir, "ch-big", &render(&swiss)), &swiss_money, "de-CH grouping");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_text_is_printed_over_other_text_in_any_language() {
    let dir = scratch("pdf-overlap");
    let mut documents: Vec<(String, InvoiceDocument)> = Vec::new();
    for case in locale_cases() {
        let small = sample::invoice(case.lang, case.customer.clone(), case.currency, 1, 200, case.rate);
        // Four-digit amounts (1 234,56 a line): the columns must hold them too.
        let large = sample::invoice(case.lang, case.customer.clone(), case.currency, 3, 123_456, case.rate);
        let mut credit = small.clone();
        credit.kind = kontor::documents::Kind::CreditNote;
        credit.how_to_pay = HowToPay::Nothing(Settled::CreditNote);
        credit.number = "CN-2026-000042".to_owned();
        credit.credited_number = Some(SAMPLE_NUMBER.to_owned());
        credit.reason = Some("Goodwill".to_owned());
        documents.push((format!("{}-small", case.label), small));
        documents.push((format!("{}-large", case.label), large));
        documents.push((format!("{}-credit", case.label), credit));
    }
    let mut problems = Vec::new();
    for (name, doc) in &documents {
        let words = pdf_words(&dir, name, &render(doc));
        problems.extend(overlapping(&words).into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(problems.is_empty(), "text printed over text:\n{}", problems.join("\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 2. Payment QR codes, read back from the printed page.

#[test]
fn the_payment_qr_codes_decode_from_the_page_to_the_standard_layouts() {
    let dir = scratch("pdf-qr");
    let names = layout_names("epc/epc-qr-field-layout.txt");

    // EUR: an EPC code with the seller's account, the amount due and the RF reference.
    let german = small_invoice("de", sample::customer_for("de").0, Currency::EUR, 19);
    let codes = qr_codes(&dir, "epc", &render(&german));
    assert_eq!(codes.len(), 1, "one code on an EUR invoice: {codes:?}");
    let (page, epc) = &codes[0];
    assert_eq!(*page, 1);
    let seller = sample::seller();
    let reference = kontor::references::rf_reference(SAMPLE_NUMBER);
    assert!(kontor::references::is_valid_rf(&reference), "{reference}");
    assert!(is_iso11649(&reference), "{reference} passes an independent ISO 11649 check");
    assert!(!is_iso11649(&reference.replace("RF", "RF0")), "the independent check can fail");
    assert_eq!(german.payment_reference, reference);
    assert_elements(
        epc,
        &["BCD", "002", "1", "SCT", &seller.bic, &seller.name, &seller.iban, "EUR2.38", "", &reference],
        &names,
    );
    assert!(epc.len() <= 331, "EPC069-12 caps the payload at 331 bytes");

    // Amounts in the EPC code: '.' decimals, no grouping, no trailing zeros needed.
    let large = sample::invoice("fr", sample::customer_for("fr").0, Currency::EUR, 1, 123_450, Decimal::ZERO);
    let codes = qr_codes(&dir, "epc-large", &render(&large));
    assert_eq!(codes.len(), 1);
    let amount = codes[0].1.split('\n').nth(7).unwrap();
    assert!(amount == "EUR1234.5" || amount == "EUR1234.50", "element 8 (amount): {amount}");

    // CHF: the Swiss QR-bill on the QR-IBAN with a QR reference from the invoice number.
    let names = layout_names("swiss/swiss-qr-bill-spc-field-layout.txt");
    let swiss = sample::invoice("de", swiss_customer(), Currency::CHF, 1, 200, Decimal::new(81, 1));
    let pdf = render(&swiss);
    let codes = qr_codes(&dir, "spc", &pdf);
    assert_eq!(codes.len(), 1, "one code on a CHF invoice (the QR-bill's, no EPC code): {codes:?}");
    let (page, spc) = &codes[0];
    let pages = pdf_text(&dir, "spc-text", &pdf).matches('\u{c}').count();
    assert_eq!(*page, pages, "the QR-bill is on the last page");
    let qr_reference = kontor::references::qr_reference("2026004711").unwrap();
    assert_eq!(qr_reference.len(), 27);
    assert!(qr_reference.chars().all(|c| c.is_ascii_digit()));
    assert!(qr_reference.starts_with("0000000000000000") && qr_reference[16..26] == *"2026004711");
    assert!(kontor::references::is_valid_qr_reference(&qr_reference), "{qr_reference}");
    assert!(is_mod10_recursive(&qr_reference), "{qr_reference} passes an independent check");
    let wrong_check_digit =
        format!("{}{}", &qr_reference[..26], (qr_reference.as_bytes()[26] - b'0' + 1) % 10);
    assert!(
        !is_mod10_recursive(&wrong_check_digit)
            && !kontor::references::is_valid_qr_reference(&wrong_check_digit)
    );
    let chf_iban = seller.chf_iban.clone().unwrap();
    let debtor = swiss_customer();
    let mut expected: Vec<&str> = vec![
        "SPC",
        "0200",
        "1",
        &chf_iban,
        // Creditor, structured: the seller's street and building, postcode, town, country.
        "S",
        &seller.name,
        "Friedrichstraße",
        "100",
        "10117",
        "Berlin",
        SELLER_COUNTRY,
    ];
    // Ultimate creditor: reserved, seven empty elements.
    expected.extend(["", "", "", "", "", "", ""]);
    expected.extend(["2.16", "CHF"]);
    expected.extend(["S", &debtor.name, "Bahnhofstrasse", "12", &debtor.postal_code, &debtor.city, "CH"]);
    // The unstructured message is the invoice number, as "Additional information" prints it.
    expected.extend(["QRR", &qr_reference, SAMPLE_NUMBER, "EPD"]);
    assert_elements(spc, &expected, &names);
    // The reference the payer reads is the one in the code, grouped in fives from the right.
    let printed =
        kontor::documents::printed::reference_text(&qr_payload::SwissReference::Qrr(qr_reference.clone()));
    assert_eq!(printed.replace(' ', ""), qr_reference);
    assert_shows(&pdf_text(&dir, "spc-reference", &pdf), &printed, "QR-bill reference");

    // No code where nothing is paid by transfer to us: credit notes, other currencies.
    let mut credit = small_invoice("de", sample::customer_for("de").0, Currency::EUR, 19);
    credit.kind = kontor::documents::Kind::CreditNote;
    credit.how_to_pay = HowToPay::Nothing(Settled::CreditNote);
    credit.credited_number = Some("2026-000001".to_owned());
    assert!(qr_codes(&dir, "credit", &render(&credit)).is_empty(), "no payment code on a credit note");
    let (customer, currency) = sample::customer_for("sv");
    assert!(qr_codes(&dir, "sek", &render(&small_invoice("sv", customer, currency, 25))).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 3. Long invoices.

#[test]
fn a_200_line_invoice_repeats_header_and_page_numbers_and_shows_every_line_once() {
    const LINES: usize = 200;
    let dir = scratch("pdf-long");
    let doc =
        sample::invoice("de", sample::customer_for("de").0, Currency::EUR, LINES, 200, Decimal::from(19));
    let text = pdf_text(&dir, "long", &render(&doc));
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert_eq!(pages.last(), Some(&""), "the text ends with the last page's form feed");
    let pages = &pages[..pages.len() - 1];
    let count = pages.len();
    assert!(count >= 4, "{LINES} lines need several pages, got {count}");

    let header = message("de", "invoicing.ftl", "invoices-description", &[]);
    let title = message("de", "documents.ftl", "pdf-invoice-title", &[("number", SAMPLE_NUMBER)]);
    let continued = message("de", "documents.ftl", "pdf-continued", &[("title", &title)]);
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        let number = index + 1;
        let context = format!("page {number} of {count}");
        assert_eq!(page.matches(header.as_str()).count(), 1, "{context}: the table header once");
        let footer = message(
            "de",
            "documents.ftl",
            "pdf-page",
            &[("page", &number.to_string()), ("pages", &count.to_string())],
        );
        assert_shows(page, &footer, &context);
        if number > 1 {
            assert_shows(page, &continued, &context);
        }
        // Rows: the position, then its description (which says which line it is).
        for line in page.lines() {
            let mut words = line.split_whitespace();
            let (Some(first), Some(second)) = (words.next(), words.next()) else { continue };
            let Ok(position) = first.parse::<usize>() else { continue };
            if second != "Mailbox" && second != "Storage" {
                continue;
            }
            *seen.entry(position).or_default() += 1;
            let expected = if position == 1 {
                "Mailbox 10 GB".to_owned()
            } else {
                format!("Storage upgrade +{} GB", 10 * ((position - 1) % 5 + 1))
            };
            assert_shows(line, &expected, &format!("{context}, position {position}"));
            assert_shows(line, "2,00 €", &format!("{context}, position {position}"));
        }
    }
    let positions: Vec<usize> = seen.keys().copied().collect();
    assert_eq!(positions, (1..=LINES).collect::<Vec<_>>(), "every position, in order, none missing");
    assert!(seen.values().all(|n| *n == 1), "no position twice: {seen:?}");
    // The total once, after the lines.
    let total = Formats::new(&doc.language, "DE").money(doc.gross);
    assert_eq!(normalized(&total), "476,00 €");
    let with_total: Vec<usize> =
        (0..count).filter(|i| normalized(pages[*i]).contains(&normalized(&total))).collect();
    assert_eq!(with_total.len(), 1, "the total is printed once: {with_total:?}");
    let last_line_page = (0..count).rev().find(|i| normalized(pages[*i]).contains("200 Storage")).unwrap();
    assert!(with_total[0] >= last_line_page, "the total comes after the last line");
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 4. The same bytes everywhere.

#[test]
fn a_pdf_is_rendered_once_and_every_download_gives_its_exact_bytes() {
    // Rendering is deterministic: no random ids, no clock.
    for (lang, customer, currency) in [
        ("de", sample::customer_for("de").0, Currency::EUR),
        ("de", swiss_customer(), Currency::CHF),
        ("sv", sample::customer_for("sv").0, Currency::SEK),
    ] {
        let doc = small_invoice(lang, customer, currency, 19);
        let first = render(&doc);
        assert!(first.starts_with(b"%PDF-"));
        assert!(first == render(&doc), "{lang} {currency}: two renders are byte-identical");
    }

    let db = TestDb::new();
    let settings = seed_and_bill(&db, 12);
    assert_one_pdf_and_one_email_per_document(&db);
    let invoices = issued(&db, "invoice");
    assert_eq!(invoices.len(), 12);
    let ids: Vec<i64> = invoices.iter().map(|i| i.invoice_id).collect();
    let loaded = kontor::documents::model::load(&mut db.conn(), &ids).unwrap();
    assert_eq!(loaded.len(), invoices.len());
    let mut stored: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (invoice, doc) in invoices.iter().zip(&loaded) {
        assert_eq!(doc.number, invoice.number);
        let (_, file_name, media_type, sha256, byte_size, content) = stored_pdf(&db, invoice.invoice_id);
        assert_eq!(file_name, format!("{}.pdf", invoice.number));
        assert_eq!(media_type, "application/pdf");
        assert_eq!(
            sha256,
            Sha256::digest(&content).to_vec(),
            "{}: the stored hash is the content's",
            invoice.number
        );
        assert_eq!(byte_size as usize, content.len());
        let again = render_pdf(doc, &settings.publishing().seller_country).unwrap();
        assert!(
            again == content,
            "{}: a fresh render of the stored data gives the stored bytes",
            invoice.number
        );
        stored.insert(invoice.number.clone(), content);
    }
    // The CHF invoice's PDF carries a QR-bill, the others' currencies their own formats.
    let currencies: Vec<String> =
        invoices::table.select(invoices::currency).distinct().load(&mut db.conn()).unwrap();
    assert!(currencies.iter().any(|c| c.trim() == "CHF"), "the seed covers CHF: {currencies:?}");

    // A second run issues nothing and stores or queues nothing new.
    let again = run_batch(&db, &settings);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), 12, "{again:?}");
    assert_one_pdf_and_one_email_per_document(&db);

    let server = TestServer::start(&db);
    let mut finance = crate::support::accounts::staff_browser(
        &server,
        &db,
        "fin@kontor.example",
        kontor::accounts::Role::Finance,
    );
    let mut browsers: BTreeMap<i64, crate::support::Browser> = BTreeMap::new();
    for invoice in &invoices {
        let browser = browsers
            .entry(invoice.customer_id)
            .or_insert_with(|| customer_browser(&server, &db, invoice.customer_id));
        let content = &stored[&invoice.number];
        let path = format!("/account/invoices/{}/pdf", invoice.number);
        let (response, body) = browser.get_bytes(&path);
        assert_eq!(response.status, 200, "{path}: {}", response.body);
        assert_eq!(response.header("content-type").as_deref(), Some("application/pdf"), "{path}");
        // A customer's invoice must not stay in a shared browser's or proxy's cache.
        assert_eq!(response.header("cache-control").as_deref(), Some("private, no-store"), "{path}");
        assert!(
            response
                .header("content-disposition")
                .is_some_and(|d| d.contains(&format!("{}.pdf", invoice.number))),
            "{path}: {}",
            response.head
        );
        assert_eq!(response.header("etag"), Some(format!("\"{}\"", hex::encode(Sha256::digest(content)))));
        assert!(body == *content, "{path}: the customer downloads the stored bytes");

        let path = format!("/backoffice/invoices/{}/pdf", invoice.number);
        let (response, body) = finance.get_bytes(&path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("cache-control").as_deref(), Some("private, no-store"), "{path}");
        assert!(body == *content, "{path}: finance downloads the stored bytes");
    }
    // Somebody else's invoice: not found, like an invoice that does not exist.
    let (first, second) = (&invoices[0], &invoices[1]);
    assert_ne!(first.customer_id, second.customer_id);
    let other = browsers.get_mut(&second.customer_id).unwrap();
    let (response, body) = other.get_bytes(&format!("/account/invoices/{}/pdf", first.number));
    assert_eq!(response.status, 404);
    assert!(!body.starts_with(b"%PDF"), "no PDF in the refusal");
    assert_eq!(other.get_bytes("/account/invoices/2026-999999/pdf").0.status, 404);
    assert_eq!(finance.get_bytes("/backoffice/invoices/2026-999999/pdf").0.status, 404);
    // Signed out: nobody's PDF.
    let (response, body) = server.browser().get_bytes(&format!("/account/invoices/{}/pdf", first.number));
    assert_ne!(response.status, 200);
    assert!(!body.starts_with(b"%PDF"));
    // Customers cannot use the back-office route.
    let own = browsers.get_mut(&first.customer_id).unwrap();
    assert_eq!(own.get_bytes(&format!("/backoffice/invoices/{}/pdf", first.number)).0.status, 404);

    // The command line writes the same bytes.
    let dir = scratch("pdf-cli");
    let chf = invoices
        .iter()
        .find(|i| {
            let currency: String =
                invoices::table.find(i.invoice_id).select(invoices::currency).first(&mut db.conn()).unwrap();
            currency.trim() == "CHF"
        })
        .unwrap();
    for invoice in [first, chf] {
        let out = dir.join(format!("{}.pdf", invoice.number));
        let output = crate::support::kontor_command()
            .args(["invoice", "pdf", &invoice.number, "--out"])
            .arg(&out)
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        let content = &stored[&invoice.number];
        assert!(stdout.contains(&hex::encode(Sha256::digest(content))), "{stdout}");
        assert!(
            std::fs::read(&out).unwrap() == *content,
            "{}: the CLI writes the stored bytes",
            invoice.number
        );
    }
    let missing = dir.join("missing.pdf");
    let output = crate::support::kontor_command()
        .args(["invoice", "pdf", "2026-999999", "--out"])
        .arg(&missing)
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(!output.status.success(), "an unknown number is an error");
    assert!(!missing.exists(), "and writes no file");
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 5. The email that carries the PDF.

#[test]
fn every_invoice_is_mailed_once_in_its_customers_language_with_its_pdf() {
    let db = TestDb::new();
    let billed = seed_and_bill(&db, 12);
    assert_one_pdf_and_one_email_per_document(&db);
    let invoices = issued(&db, "invoice");

    let listener = SmtpListener::start(Script::default());
    let url = listener.url();
    let settings = kontor::config::Settings::from_lookup(|name| match name {
        "KONTOR_SMTP_URL" => Some(url.clone()),
        "KONTOR_SMTP_RATE" => Some("0".to_owned()),
        _ => None,
    })
    .unwrap();
    let mut mailer = kontor::mail::Mailer::new(&settings.mail_delivery()).unwrap();
    let report = mailer.deliver_due(&mut db.conn(), crate::support::now(), 1000).unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (invoices.len(), 0, 0));
    assert_eq!(mailer.deliver_due(&mut db.conn(), crate::support::now(), 1000).unwrap().sent, 0, "each once");

    let received = listener.received();
    assert_eq!(received.len(), invoices.len());
    let mut languages = std::collections::BTreeSet::new();
    for invoice in &invoices {
        let mails: Vec<_> = received.iter().filter(|m| m.to == [invoice.email.clone()]).collect();
        assert_eq!(mails.len(), 1, "{}: one email to {}", invoice.number, invoice.email);
        let mail = MessageParser::default().parse(&mails[0].data[..]).expect("a parsable message");
        let subject = message(
            &invoice.language,
            "documents.ftl",
            "email-invoice-subject",
            &[("number", &invoice.number), ("seller", &billed.seller.name)],
        );
        assert_eq!(mail.subject(), Some(subject.as_str()), "{}", invoice.number);
        if invoice.language == "de" {
            assert!(subject.starts_with(&format!("Ihre Rechnung {}", invoice.number)), "{subject}");
        }
        languages.insert(invoice.language.clone());

        let (texts, htmls) = crate::support::text_and_html_parts(&mail);
        assert_eq!(
            (texts.len(), htmls.len()),
            (1, 1),
            "{}: a text/plain and a text/html part",
            invoice.number
        );
        assert!(texts[0].contains(&invoice.number), "{}", texts[0]);
        assert!(htmls[0].contains(&invoice.number), "{}", htmls[0]);
        assert!(
            texts[0].contains(&format!("/account/invoices/{}", invoice.number)),
            "the link to the invoice: {}",
            texts[0]
        );

        assert_eq!(mail.attachment_count(), 1, "{}", invoice.number);
        let attachment = mail.attachments().next().unwrap();
        assert_eq!(attachment.attachment_name(), Some(format!("{}.pdf", invoice.number).as_str()));
        let media_type = attachment.content_type().unwrap();
        assert_eq!((media_type.ctype(), media_type.subtype()), ("application", Some("pdf")));
        let (.., content) = stored_pdf(&db, invoice.invoice_id);
        assert!(
            attachment.contents() == content.as_slice(),
            "{}: the stored PDF, byte for byte",
            invoice.number
        );
    }
    assert!(languages.len() >= 5, "the seed mails in several languages: {languages:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE sent_at IS NULL"), 0);
}

// ---------------------------------------------------------------------------------------------
// 6. Credit notes.

#[test]
fn a_credit_note_gets_its_own_pdf_naming_the_invoice_and_one_email() {
    let db = TestDb::new();
    let settings = seed_and_bill(&db, 12);
    let invoices = issued(&db, "invoice");
    let billing = settings.billing();
    let publishing = settings.publishing();
    let dir = scratch("pdf-credit");
    // A German and an English customer's invoices.
    for (lang, title_word) in [("de", "Gutschrift"), ("en", "Credit note")] {
        let invoice = invoices.iter().find(|i| i.language == lang).unwrap();
        let request = kontor::invoicing::credit_note::CreditRequest {
            invoice_number: &invoice.number,
            amount: None,
            reason: "Goodwill",
            actor: None,
            ip: "test",
            now: crate::support::now(),
        };
        let credit = db
            .conn()
            .transaction(|c| {
                kontor::invoicing::credit_note::issue_credit_note(c, &billing, &publishing, &request)
            })
            .unwrap();
        let (credit_id, kind): (i64, String) = invoices::table
            .filter(invoices::number.eq(&credit.number))
            .select((invoices::id, invoices::kind))
            .first(&mut db.conn())
            .unwrap();
        assert_eq!(kind, "credit_note");
        let (document_id, file_name, _, sha256, _, content) = stored_pdf(&db, credit_id);
        assert_eq!(file_name, format!("{}.pdf", credit.number));
        assert_eq!(sha256, Sha256::digest(&content).to_vec());

        let text = pdf_text(&dir, &credit.number, &content);
        let title = message(lang, "documents.ftl", "pdf-credit-note-title", &[("number", &credit.number)]);
        assert!(title.starts_with(title_word), "{title}");
        assert_shows(&text, &title, lang);
        assert_shows(
            &text,
            &message(lang, "documents.ftl", "pdf-corrects", &[("number", &invoice.number)]),
            lang,
        );
        assert_shows(&text, "Goodwill", lang);
        assert_shows(&text, &invoice.name, lang);
        assert!(
            !normalized(&text).contains(&normalized(&message(lang, "documents.ftl", "pdf-scan-to-pay", &[]))),
            "nothing to pay on a credit note"
        );

        let mails: Vec<(String, String, Option<i64>)> = mail_outbox::table
            .filter(mail_outbox::idempotency_key.eq(format!("document:{}", credit.number)))
            .select((mail_outbox::recipient, mail_outbox::subject, mail_outbox::attachment_document_id))
            .load(&mut db.conn())
            .unwrap();
        let subject = message(
            lang,
            "documents.ftl",
            "email-credit-note-subject",
            &[("number", &credit.number), ("seller", &settings.seller.name)],
        );
        assert_eq!(
            mails,
            [(invoice.email.clone(), subject, Some(document_id))],
            "one email with the credit note"
        );
    }
    assert_eq!(issued(&db, "credit_note").len(), 2);
    // Exactly these two PDFs and emails for credit notes (the invoices' own are checked by
    // the batch tests).
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM documents d JOIN invoices i ON i.id = d.invoice_id
              WHERE i.kind = 'credit_note'"
        ),
        2
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'document:CN-%'"),
        2
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A name, street, postcode and town in each country's own script and letters, for every
/// country the sign-up accepts (and Iceland's letters, for the EEA).
const LOCAL_CUSTOMERS: [(&str, &str, &str, &str, &str); 31] = [
    ("DE", "Jürgen Weiß", "Königstraße 5", "70173", "Stuttgart"),
    ("AT", "Dörte Pöschl", "Mariahilfer Straße 1", "1060", "Wien"),
    ("CH", "Jürg Müller-Lüthi", "Bahnhofstrasse 12", "8001", "Zürich"),
    ("FR", "Françoise Lefèvre-Œuvray", "Rue de l’Église 12", "75002", "Paris"),
    ("NL", "IJsbrand van Dijk-Brouwer", "Prinsengracht 263", "1016 GV", "Amsterdam"),
    ("DK", "Søren Æbelø", "Strøget 3", "1160", "København K"),
    ("NO", "Bjørn Håland", "Karl Johans gate 22", "0159", "Oslo"),
    ("SE", "Åsa Öberg", "Drottninggatan 7", "111 51", "Stockholm"),
    ("GB", "Zoë Brontë", "221B Baker Street", "NW1 6XE", "London"),
    ("BE", "Maël Vanderstraeten", "Rue Neuve 1", "1000", "Bruxelles"),
    ("BG", "Иван Петров", "ул. Шипка 6", "1504", "София"),
    ("CY", "Ευάγγελος Παπαδόπουλος", "Οδός Ληδράς 25", "1011", "Λευκωσία"),
    ("CZ", "Jiří Dvořák", "Náměstí Míru 8", "120 00", "Praha"),
    ("EE", "Jüri Õunapuu", "Pärnu mnt 10", "10148", "Tallinn"),
    ("ES", "Íñigo Muñoz", "Calle Mayor 3", "28013", "Madrid"),
    ("FI", "Päivi Häkkinen", "Mannerheimintie 5", "00100", "Helsinki"),
    ("GR", "Χρυσούλα Γεωργίου", "Ερμού 14", "105 63", "Αθήνα"),
    ("HR", "Đurđa Ćosić", "Ilica 12", "10000", "Zagreb"),
    ("HU", "Őze Ödön Gyöngyvér", "Váci utca 7", "1052", "Budapest"),
    ("IE", "Saoirse Ó Súilleabháin", "Sráid Grafton 5", "D02", "Baile Átha Cliath"),
    ("IT", "Niccolò Rossi", "Via Roma 1", "00184", "Roma"),
    ("LT", "Žydrūnė Šarkienė", "Gedimino pr. 9", "01103", "Vilnius"),
    ("LU", "Mathëis Wagner", "Grand-Rue 14", "1660", "Lëtzebuerg"),
    ("LV", "Ģirts Ķēniņš", "Brīvības iela 21", "1010", "Rīga"),
    ("MT", "Ġużeppi Ħabib", "Triq il-Merkanti 4", "VLT 1170", "Il-Belt Valletta"),
    ("PL", "Łucja Żółkiewska", "ul. Świętokrzyska 11", "00-360", "Warszawa"),
    ("PT", "João Gonçalves", "Rua Augusta 100", "1100-053", "Lisboa"),
    ("RO", "Ștefan Țăranu", "Strada Șelari 9", "030068", "București"),
    ("SI", "Živa Čebašek", "Čopova ulica 3", "1000", "Ljubljana"),
    ("SK", "Ľubomír Ďurčo", "Štúrova 5", "811 02", "Bratislava"),
    // Iceland (EEA): þ and ð.
    ("NO", "Þórunn Sigurðardóttir", "Laugavegur 12", "101", "Reykjavík"),
];

#[test]
fn every_name_and_street_the_sign_up_accepts_prints_on_the_invoice() {
    use kontor::accounts::FieldErrors;
    use kontor::accounts::address::{PostalDetails, PostalInput};
    use kontor::country::Country;
    let dir = scratch("scripts");
    for country in Country::ALL {
        assert!(
            LOCAL_CUSTOMERS.iter().any(|c| c.0 == country.code()),
            "{} needs a customer in its own letters",
            country.code()
        );
    }
    let mut sizes = Vec::new();
    for (country, name, street, postal_code, city) in LOCAL_CUSTOMERS {
        let mut errors = FieldErrors::default();
        let input = PostalInput { name, company_name: "", street, postal_code, city };
        let details = PostalDetails::parse(input, &mut errors);
        assert!(details.is_some(), "{country}: the sign-up accepts {name}, {street}: {errors:?}");
        let doc = small_invoice("en", party(name, street, postal_code, city, country), Currency::EUR, 19);
        let pdf = render(&doc);
        sizes.push(pdf.len());
        let text = normalized(&pdf_text(&dir, country, &pdf));
        for printed in [name, street, &format!("{postal_code} {city}")] {
            assert!(text.contains(printed), "{country}: {printed:?} is missing from the PDF:\n{text}");
        }
    }
    // Subsetting keeps the full font out of each PDF (it is ~750 KB per weight).
    let largest = sizes.iter().max().copied().unwrap_or_default();
    assert!(largest < 60_000, "a one-page invoice takes {largest} bytes");
    // What no font of ours covers is refused at sign-up, in the person's language.
    let mut errors = FieldErrors::default();
    let input =
        PostalInput { name: "王秀英", company_name: "", street: "Main St 1", postal_code: "1", city: "X" };
    assert!(PostalDetails::parse(input, &mut errors).is_none());
    assert_eq!(errors.get("name"), Some("field-unprintable"));
    for lang in ["en", "de", "fr", "nl", "sv", "da", "nb"] {
        let lang = kontor::i18n::Lang::supported(lang).unwrap();
        assert_ne!(kontor::i18n::t(&lang, "field-unprintable"), "field-unprintable");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The batch renders a chunk's PDFs and emails before it locks the number counter, from the
/// drafts and the numbers the counter will give (`invoicing::render_ahead`). What it stores
/// must be what the written rows give: for plain customers, a customer paying by SEPA debit,
/// and one who asked for e-invoices (Factur-X), in several currencies and languages.
#[test]
fn documents_rendered_before_the_counter_is_locked_are_the_written_documents() {
    let db = TestDb::new();
    kontor::seed::customers(&mut db.conn(), 24, PERIOD.parse().unwrap()).unwrap();
    let billed = |currency: &str| {
        count(
            &db,
            &format!(
                "SELECT c.id AS n FROM customers c JOIN subscriptions s ON s.customer_id = c.id
                  WHERE s.trial_ends_on IS NULL AND c.currency = '{currency}' ORDER BY c.id LIMIT 1"
            ),
        )
    };
    let (debited, e_invoiced) = (billed("EUR"), billed("CHF"));
    crate::support::sepa::mandate(&db, debited, "DE89370400440532013000").unwrap();
    diesel::sql_query(format!("UPDATE customers SET wants_e_invoice = true WHERE id = {e_invoiced}"))
        .execute(&mut db.conn())
        .unwrap();
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    let summary = run_batch(&db, &settings);
    assert!(summary.issued >= 18, "{summary:?}");
    assert_one_pdf_and_one_email_per_document(&db);
    let facturx = crate::support::documents::assert_stored_as_written(&db, &settings.publishing());
    assert_eq!(facturx, 1, "the customer who asked gets Factur-X");
    // The debit is announced, as the written invoice decides.
    let debit: i64 = invoices::table
        .filter(invoices::customer_id.eq(debited))
        .select(invoices::id)
        .first(&mut db.conn())
        .unwrap();
    let doc = kontor::documents::model::load(&mut db.conn(), &[debit]).unwrap().remove(0);
    assert!(matches!(doc.how_to_pay, HowToPay::DirectDebit(_)), "{:?}", doc.how_to_pay);
}
