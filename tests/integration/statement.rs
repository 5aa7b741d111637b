//! The customer's statement of account: every booking on their own ledger accounts with a
//! running balance, as a page, a CSV and a PDF; a receipt per payment; a year's invoices as the
//! stored PDFs in one ZIP. Always the signed-in customer's own, never anyone else's.

use diesel::prelude::*;
use iso_currency::Currency;
use kontor::db::schema::{invoices, payment_receipts};
use kontor::ids::CustomerId;
use kontor::ledger::chart::SystemAccount;
use kontor::money::Money;
use kontor::payments::{Method, Receipt, apply_receipt};
use rust_decimal::Decimal;
use sha2::Digest;

use crate::support::accounts::{signed_up_and_verified, signed_up_in};
use crate::support::{Browser, TestDb, TestServer, count};

/// Erik (Sweden, Swedish) with one paid month invoiced and overpaid by 10 kronor by bank
/// transfer; returns his browser, customer id, invoice number and the invoice's gross.
pub fn erik_invoiced_and_overpaid(server: &TestServer, db: &TestDb) -> (Browser, i64, String, Decimal) {
    let mut erik = signed_up_in(server, db, "erik@example.se", "Erik Lindqvist", "SE", "sv");
    assert_eq!(erik.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    let month = crate::support::now().format("%Y-%m").to_string();
    let issued = crate::support::invoicing::run_batch(db, &month, crate::support::now());
    assert_eq!(issued.issued, 1);
    let customer = count(db, "SELECT customer_id AS n FROM users WHERE email = 'erik@example.se'");
    let (invoice, number, gross, currency): (i64, String, Decimal, String) = invoices::table
        .filter(invoices::customer_id.eq(customer))
        .select((invoices::id, invoices::number, invoices::gross, invoices::currency))
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(currency.trim(), "SEK", "a Swede pays in kronor");
    let sek = Currency::SEK;
    apply_receipt(
        &mut db.conn(),
        &crate::support::payments::site(),
        &Receipt {
            key: "bank:statement-test:1".to_owned(),
            customer,
            amount: Money::new(gross + Decimal::TEN, sek),
            fee: None,
            received_in: SystemAccount::Cash,
            method: Method::BankTransfer,
            invoices: vec![invoice],
            occurred_at: crate::support::now() + chrono::Duration::hours(1),
            memo: "test".to_owned(),
        },
    )
    .unwrap();
    (erik, customer, number, gross)
}

/// An amount in kronor as Swedish readers see it, with plain spaces (PDF text extraction and
/// the page differ only in which space they use).
fn kronor(amount: Decimal) -> String {
    plain(&kontor::i18n::format::money_in(&kontor::i18n::Lang::supported("sv").unwrap(), amount, "SEK"))
}

fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn the_statement_lists_every_booking_with_a_running_balance_that_is_the_ledgers() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (_erik, customer, number, gross) = erik_invoiced_and_overpaid(&server, &db);
    let today = server.settings.clock.today();
    let tz = server.settings.time_zone;
    let statement =
        kontor::statements::statement(&mut db.conn(), CustomerId(customer), None, today, tz).unwrap();
    assert_eq!(statement.sections.len(), 1);
    let section = &statement.sections[0];
    assert_eq!(section.currency, "SEK");
    let kinds: Vec<&str> = section.lines.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds, ["invoice_issued", "payment_received"]);
    assert_eq!(section.lines[0].document.as_deref(), Some(number.as_str()));
    assert_eq!(section.lines[0].amount, gross, "an invoice adds its gross");
    assert_eq!(section.lines[0].balance, gross);
    assert_eq!(section.lines[1].method.as_deref(), Some("bank_transfer"));
    assert_eq!(section.lines[1].amount, -(gross + Decimal::TEN));
    assert_eq!(section.closing, -Decimal::TEN, "10 kronor in credit");
    // The closing balance is the sum of the postings on the customer's accounts.
    let ledger: Decimal = kontor::ledger::customer_balances(
        &mut db.conn(),
        CustomerId(customer),
        crate::support::now() + chrono::Duration::days(1),
    )
    .unwrap()
    .iter()
    .map(|b| b.balance.amount())
    .sum();
    assert_eq!(section.closing, ledger);

    // A year with nothing in it: no section (nothing brought forward either).
    let last_year = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let empty = kontor::statements::statement(
        &mut db.conn(),
        CustomerId(customer),
        Some(last_year),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        tz,
    )
    .unwrap();
    assert!(empty.sections.is_empty(), "{empty:?}");
    // From tomorrow on, everything so far is brought forward.
    let tomorrow = today.succ_opt().unwrap();
    let later =
        kontor::statements::statement(&mut db.conn(), CustomerId(customer), Some(tomorrow), tomorrow, tz)
            .unwrap();
    assert_eq!(later.sections.len(), 1);
    assert_eq!((later.sections[0].opening, later.sections[0].lines.len()), (-Decimal::TEN, 0));
}

#[test]
fn the_page_csv_and_pdf_show_the_customers_own_statement_in_kronor() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (mut erik, _, number, gross) = erik_invoiced_and_overpaid(&server, &db);

    let mut page = erik.get("/account/statement");
    assert_eq!(page.status, 200, "{}", page.body);
    page.body = plain(&page.body);
    assert!(page.body.contains("Kontoutdrag"), "in Swedish");
    assert!(page.body.contains(&number));
    assert!(page.body.contains(&kronor(-Decimal::TEN)), "the balance in kronor: {}", page.body);
    assert!(page.body.contains(&kronor(gross)), "the invoice's gross in kronor");
    assert!(page.body.contains("/receipt"), "the payment has a receipt");
    assert!(!page.body.contains('€'), "no euros for a Swede");

    let (csv, bytes) = erik.get_bytes("/account/statement/csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap_or_default().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap_or_default().contains("attachment"));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), kontor::statements::csv::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!((&rows[0][1], &rows[0][2], &rows[0][4]), ("invoice_issued", number.as_str(), "SEK"));
    assert_eq!(rows[0][5].parse::<Decimal>().unwrap(), gross);
    assert_eq!(rows[1][5].parse::<Decimal>().unwrap(), -(gross + Decimal::TEN));
    assert_eq!(rows[1][6].parse::<Decimal>().unwrap(), -Decimal::TEN);

    let (pdf, bytes) = erik.get_bytes("/account/statement/pdf");
    assert_eq!(pdf.status, 200);
    assert!(bytes.starts_with(b"%PDF"));
    let dir = crate::support::documents::scratch("statement-pdf");
    let text = plain(&crate::support::documents::pdf_text(&dir, "statement", &bytes));
    assert!(text.contains("Kontoutdrag"), "{text}");
    assert!(text.contains(&number), "{text}");
    assert!(text.contains(&kronor(-Decimal::TEN)), "{text}");
    // The same statement gives the same bytes.
    assert_eq!(erik.get_bytes("/account/statement/pdf").1, bytes);

    // A year: its bookings; a year that is not a year is a 400, not a 500.
    let year = crate::support::now().format("%Y").to_string();
    assert!(erik.get(&format!("/account/statement?year={year}")).body.contains(&number));
    assert_eq!(erik.get("/account/statement?year=abc").status, 400);
    assert_eq!(erik.get("/account/statement/csv?year=1900").status, 400);

    // Someone else sees only their own (empty) statement.
    let mut bob = signed_up_and_verified(&server, &db, "bob@x.example", "Bob");
    let theirs = bob.get("/account/statement");
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains(&number));
    let (_, bobs_csv) = bob.get_bytes("/account/statement/csv");
    assert_eq!(String::from_utf8(bobs_csv).unwrap().lines().count(), 1, "only the header");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_payment_has_a_receipt_only_its_payer_can_download() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (mut erik, customer, number, gross) = erik_invoiced_and_overpaid(&server, &db);
    let entry: i64 = payment_receipts::table
        .filter(payment_receipts::customer_id.eq(customer))
        .select(payment_receipts::ledger_entry_id)
        .first(&mut db.conn())
        .unwrap();
    let path = format!("/account/payments/{entry}/receipt");
    let (response, bytes) = erik.get_bytes(&path);
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(bytes.starts_with(b"%PDF"));
    let dir = crate::support::documents::scratch("receipt-pdf");
    let text = plain(&crate::support::documents::pdf_text(&dir, "receipt", &bytes));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(text.contains("Betalningskvitto"), "{text}");
    assert!(text.contains(&number), "names the invoice it paid: {text}");
    assert!(text.contains(&kronor(gross + Decimal::TEN)), "{text}");
    assert!(text.contains(&kronor(Decimal::TEN)), "what went to credit: {text}");

    // Another customer, an entry that is not a payment, and nonsense: not found, alike.
    let mut bob = signed_up_and_verified(&server, &db, "bob@x.example", "Bob");
    assert_eq!(bob.get(&path).status, 404);
    let invoice_entry = count(&db, "SELECT min(id) AS n FROM journal_entries WHERE kind = 'invoice_issued'");
    assert_eq!(erik.get(&format!("/account/payments/{invoice_entry}/receipt")).status, 404);
    assert_eq!(erik.get("/account/payments/x1/receipt").status, 404);
}

#[test]
fn a_years_invoices_download_as_one_zip_of_the_stored_pdfs() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (mut erik, customer, number, _) = erik_invoiced_and_overpaid(&server, &db);
    let year = crate::support::now().format("%Y").to_string();
    let (response, bytes) = erik.get_bytes(&format!("/account/statement/invoices/{year}"));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("content-type").as_deref(), Some("application/zip"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = archive.file_names().map(|name| name.unwrap().into_owned()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let stored = kontor::documents::store::pdf_of(&mut db.conn(), &number, Some(customer)).unwrap();
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&stored.file_name).unwrap(), &mut pdf).unwrap();
    assert_eq!(pdf, stored.content, "the PDF as sent, not a new rendering");
    let mut sums = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("SHA256SUMS").unwrap(), &mut sums).unwrap();
    assert_eq!(sums, format!("{}  {}\n", hex::encode(sha2::Sha256::digest(&pdf)), stored.file_name));

    // A year without invoices, a year to come, and another customer's year: not found.
    assert_eq!(erik.get("/account/statement/invoices/2020").status, 404);
    assert_eq!(erik.get("/account/statement/invoices/2999").status, 404);
    let mut bob = signed_up_and_verified(&server, &db, "bob@x.example", "Bob");
    assert_eq!(bob.get(&format!("/account/statement/invoices/{year}")).status, 404);
}

#[test]
fn in_the_demo_erik_sees_his_balance_in_kronor_and_downloads_his_statement() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let billing = server.settings.billing();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    let month = crate::support::now().format("%Y-%m").to_string();
    crate::support::invoicing::run_batch(&db, &month, crate::support::now());
    let erik =
        kontor::accounts::User::by_email(&mut db.conn(), "erik.lindqvist@se.example").unwrap().unwrap();
    let customer = erik.customer_id.unwrap();
    let (number, gross): (String, Decimal) = invoices::table
        .filter(invoices::customer_id.eq(customer.0))
        .select((invoices::number, invoices::amount_due))
        .first(&mut db.conn())
        .unwrap();
    let mut browser = server.browser();
    browser.sign_in_as(&db, erik.id);
    let page = plain(&browser.get("/account/statement").body);
    assert!(page.contains("Kontoutdrag") && page.contains(&number), "{page}");
    assert!(page.contains("Ditt saldo (att betala)"), "{page}");
    assert!(page.contains(&format!("data-balance>{}<", kronor(gross))), "his balance in kronor: {page}");
    let (response, pdf) = browser.get_bytes("/account/statement/pdf");
    assert_eq!(response.status, 200);
    assert!(pdf.starts_with(b"%PDF"));
}
