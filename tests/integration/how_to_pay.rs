//! Every text about paying an invoice (its page, its PDF, the email that carries it) follows
//! the invoice's payment method and currency: a direct debit is announced and never asked for
//! as a transfer; a CHF invoice names the Swiss account and the QR reference everywhere; an
//! SEK invoice names the SEK account when there is one. And `kontor serve` says at start which
//! currencies have no account of their own.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use diesel::prelude::*;
use kontor::db::schema::{customers, invoices, mail_outbox};

use crate::support::documents::{pdf_text, scratch};
use crate::support::{Count, TestDb, TestServer};

/// The default EUR account, as printed.
const EUR_IBAN: &str = "DE89 3704 0044 0532 0130 00";
const SEK_IBAN: &str = "SE45 5000 0000 0583 9825 7466";

fn settings(extra: &[(&str, &str)]) -> kontor::config::Settings {
    kontor::config::Settings::from_lookup(|name| {
        extra.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    })
    .unwrap()
}

fn bill(db: &TestDb, settings: &kontor::config::Settings) {
    let now = "2026-12-01T06:00:00Z".parse().unwrap();
    crate::support::invoicing::run_batch_as(db, settings, now, &crate::support::invoicing::Run::december());
}

/// The first seeded customer living in `country`.
fn customer_in(db: &TestDb, country: &str) -> i64 {
    customers::table
        .filter(customers::country.eq(country))
        .select(customers::id)
        .order(customers::id)
        .first(&mut db.conn())
        .unwrap()
}

/// What the customer reads about paying their one invoice: the page, the PDF as stored, the
/// email as queued (each with single spaces, as `pdftotext` wraps lines).
struct Texts {
    /// The page's "how to pay" section.
    page: String,
    paypal_button: bool,
    pdf: String,
    email: String,
}

fn texts(db: &TestDb, server: &TestServer, customer: i64) -> Texts {
    let number: String = invoices::table
        .filter(invoices::customer_id.eq(customer))
        .select(invoices::number)
        .first(&mut db.conn())
        .unwrap();
    let user = diesel::sql_query(
        "INSERT INTO users (email, role, customer_id, language, email_verified_at)
         SELECT email, 'customer', id, language, now() FROM customers WHERE id = $1
         RETURNING id AS n",
    )
    .bind::<diesel::sql_types::BigInt, _>(customer)
    .get_result::<Count>(&mut db.conn())
    .unwrap()
    .n;
    let mut browser = server.browser();
    browser.sign_in_as(db, kontor::ids::UserId(user));
    let page = browser.get(&format!("/account/invoices/{number}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let document = kontor::documents::store::pdf_of(&mut db.conn(), &number, Some(customer)).unwrap();
    let dir = scratch("how-to-pay");
    let pdf = pdf_text(&dir, &number, &document.content);
    std::fs::remove_dir_all(&dir).unwrap();
    let email: String = mail_outbox::table
        .filter(mail_outbox::idempotency_key.eq(format!("document:{number}")))
        .select(mail_outbox::text_body)
        .first(&mut db.conn())
        .unwrap();
    let single = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let section = page
        .body
        .split_once("class=\"how-to-pay\"")
        .and_then(|(_, rest)| rest.split_once("</section>"))
        .map_or("", |(section, _)| section);
    Texts {
        page: single(section),
        paypal_button: page.body.contains("/paypal\""),
        pdf: single(&pdf),
        email: single(&email),
    }
}

#[test]
fn a_direct_debit_customer_is_told_of_the_debit_and_never_asked_to_transfer() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 3);
    let austrian = customer_in(&db, "AT");
    // In English, so the words can be checked against one language.
    diesel::update(customers::table.find(austrian))
        .set(customers::language.eq("en"))
        .execute(&mut db.conn())
        .unwrap();
    let signed = crate::support::sepa::mandate(&db, austrian, "AT611904300234573201").unwrap();
    let settings = settings(&[]);
    bill(&db, &settings);
    // PayPal on (its API is never called to show a page).
    let paypal: Vec<(&str, String)> = [
        ("KONTOR_PAYPAL_CLIENT_ID", "client"),
        ("KONTOR_PAYPAL_SECRET", "secret"),
        ("KONTOR_PAYPAL_WEBHOOK_ID", "WEBHOOK"),
        ("KONTOR_PAYPAL_API_URL", "http://127.0.0.1:9"),
    ]
    .iter()
    .map(|(k, v)| (*k, (*v).to_owned()))
    .collect();
    let server = TestServer::start_with(&db, &paypal);
    let texts = texts(&db, &server, austrian);
    for (medium, text) in [("page", &texts.page), ("PDF", &texts.pdf), ("email", &texts.email)] {
        assert!(text.contains("will be debited from your account IBAN ending …3201"), "{medium}: {text}");
        assert!(text.contains(&signed.reference), "{medium} names the mandate: {text}");
        let lower = text.to_lowercase();
        assert!(!lower.contains("please transfer") && !lower.contains("please pay"), "{medium}: {text}");
    }
    assert!(!texts.paypal_button, "no second way to pay what is being debited");
    // A customer paying by transfer is offered PayPal.
    assert!(self::texts(&db, &server, customer_in(&db, "FR")).paypal_button);
}

#[test]
fn a_swiss_invoice_names_the_same_swiss_account_and_qr_reference_on_its_page_pdf_and_email() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 2);
    let swiss = customer_in(&db, "CH");
    let settings = settings(&[]);
    bill(&db, &settings);
    let number: String = invoices::table
        .filter(invoices::customer_id.eq(swiss))
        .select(invoices::number)
        .first(&mut db.conn())
        .unwrap();
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let reference =
        kontor::documents::printed::reference_text(&kontor::documents::qr_payload::SwissReference::Qrr(
            kontor::references::qr_reference(&digits).unwrap(),
        ));
    let qr_iban = "CH44 3199 9123 0008 8901 2";
    let server = TestServer::start(&db);
    let texts = texts(&db, &server, swiss);
    for (medium, text) in [("page", &texts.page), ("PDF", &texts.pdf), ("email", &texts.email)] {
        assert!(text.contains(qr_iban), "{medium} names the Swiss QR-IBAN: {text}");
        assert!(text.contains(&reference), "{medium} names the QR reference {reference}: {text}");
        assert!(!text.contains(EUR_IBAN), "{medium} names no EUR account: {text}");
        assert!(!text.contains(" RF"), "{medium} names no RF reference: {text}");
    }
}

#[test]
fn a_swedish_invoice_names_the_swedish_account_when_one_is_configured() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 7);
    let swede = customer_in(&db, "SE");
    let sek = [("KONTOR_SELLER_IBAN_SEK", "SE4550000000058398257466"), ("KONTOR_SELLER_BIC_SEK", "ESSESESS")];
    bill(&db, &settings(&sek));
    let extra: Vec<(&str, String)> = sek.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let server = TestServer::start_with(&db, &extra);
    let texts = texts(&db, &server, swede);
    for (medium, text) in [("page", &texts.page), ("PDF", &texts.pdf), ("email", &texts.email)] {
        assert!(
            text.contains(SEK_IBAN) && text.contains("ESSESESS"),
            "{medium} names the SEK account: {text}"
        );
        assert!(!text.contains(EUR_IBAN), "{medium} names no EUR account: {text}");
    }
}

/// Sweden, Norway and Denmark with accounts of their own and their domestic schemes.
const NORDIC: [(&str, &str); 6] = [
    ("KONTOR_SELLER_IBAN_SEK", "SE4550000000058398257466"),
    ("KONTOR_SELLER_DOMESTIC_SEK", "bankgiro:5050-1055"),
    ("KONTOR_SELLER_IBAN_NOK", "NO9386011117947"),
    ("KONTOR_SELLER_DOMESTIC_NOK", "kid-mod11"),
    ("KONTOR_SELLER_IBAN_DKK", "DK5000400440116243"),
    ("KONTOR_SELLER_DOMESTIC_DKK", "fik71:81234567"),
];

/// The customer's one invoice: its number's digits and the amount due.
fn invoice_of(db: &TestDb, customer: i64) -> (i64, String, rust_decimal::Decimal, String) {
    let (id, number, due, currency): (i64, String, rust_decimal::Decimal, String) = invoices::table
        .filter(invoices::customer_id.eq(customer))
        .select((invoices::id, invoices::number, invoices::amount_due, invoices::currency))
        .first(&mut db.conn())
        .unwrap();
    (id, number.chars().filter(char::is_ascii_digit).collect(), due, currency.trim().to_owned())
}

#[test]
fn nordic_invoices_name_the_domestic_transfer_and_the_import_recognises_its_reference() {
    use kontor::payments::bank::statement::{Movement, StatementHeader, write_camt053};
    use kontor::references::domestic::{KidCheck, fik71_payment_id, kid, ocr};
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 9);
    let settings = settings(&NORDIC);
    bill(&db, &settings);
    let extra: Vec<(&str, String)> = NORDIC.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let server = TestServer::start_with(&db, &extra);

    // The references are worked out here from the invoice number, beside the code's own.
    let (swede, norwegian, dane) = (customer_in(&db, "SE"), customer_in(&db, "NO"), customer_in(&db, "DK"));
    let ocr_number = ocr(&invoice_of(&db, swede).1).unwrap();
    let kid_number = kid(&invoice_of(&db, norwegian).1, KidCheck::Mod11).unwrap();
    let fik_id = fik71_payment_id(&invoice_of(&db, dane).1).unwrap();
    let expected = [
        (swede, format!("bankgiro 5050-1055, OCR-nummer {ocr_number}")),
        (norwegian, format!("kontonummer 8601.11.17947, KID {kid_number}")),
        (dane, format!("+71<{fik_id}+81234567<")),
    ];
    for (customer, words) in &expected {
        let texts = texts(&db, &server, *customer);
        let page = texts.page.replace("&lt;", "<");
        for (medium, text) in [("page", &page), ("PDF", &texts.pdf), ("email", &texts.email)] {
            assert!(text.contains(words.as_str()), "{medium} of customer {customer} says {words}: {text}");
        }
    }

    // Each domestic reference comes back on a statement of its account: structured (OCR, +71)
    // or in the free text (KID), and pays its invoice.
    let accounts = settings.own_bank_accounts();
    let returns = settings.sepa_returns();
    for (customer, iban, structured, text) in [
        (swede, "SE4550000000058398257466", Some(ocr_number.clone()), None),
        (norwegian, "NO9386011117947", None, Some(format!("KID {kid_number}"))),
        (dane, "DK5000400440116243", Some(fik_id.clone()), None),
    ] {
        let (id, _, due, currency) = invoice_of(&db, customer);
        let currency = iso_currency::Currency::from_code(&currency).unwrap();
        let mut movement =
            Movement::transfer(kontor::money::Money::new(due, currency), crate::support::bank::day(), iban);
        movement.creditor_reference = structured;
        movement.remittance = text;
        let mut xml = Vec::new();
        let header = StatementHeader { id: iban, iban, created: crate::support::bank::day() };
        write_camt053(&mut xml, &header, vec![movement]).unwrap();
        let request = kontor::payments::bank::ImportRequest {
            file_name: "nordic.xml",
            actor: None,
            now: crate::support::now(),
            returns: &returns,
            accounts: &accounts,
        };
        let summary =
            kontor::payments::bank::import(&mut db.conn(), xml.as_slice(), &request, &|_| {}).unwrap();
        assert_eq!((summary.paid, summary.unmatched), (1, 0), "{iban}: {summary:?}");
        let state = kontor::payments::invoice_state(&mut db.conn(), id, crate::support::bank::day()).unwrap();
        assert_eq!(state, kontor::payments::InvoiceState::Paid, "{iban}");
    }
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn serve_warns_at_start_about_each_currency_without_an_account_of_its_own() {
    let db = TestDb::new();
    let mut child = crate::support::kontor_command()
        .arg("serve")
        .env("DATABASE_URL", db.url())
        .env("KONTOR_BIND", "127.0.0.1:0")
        .env("KONTOR_DATA_DIR", crate::support::scratch_dir("serve-warnings"))
        // A seller of its own (serve refuses the demo company's example details) without a
        // QR-bill, with SEK and GBP accounts.
        .env("KONTOR_SELLER_VAT_ID", "DE811569869")
        .env("KONTOR_SELLER_REGISTER", "Amtsgericht Berlin, HRB 1 B")
        .env("KONTOR_SELLER_IBAN", "NL91ABNA0417164300")
        .env("KONTOR_SELLER_BIC", "ABNANL2A")
        .env("KONTOR_SELLER_CHF_IBAN", "none")
        .env("KONTOR_SEPA_CREDITOR_ID", "NL42ZZZ123456780001")
        .env("KONTOR_SELLER_IBAN_SEK", "SE4550000000058398257466")
        .env("KONTOR_SELLER_IBAN_GBP", "GB29NWBK60161331926819")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    // Kept open until the server has exited, so it never writes into a closed pipe.
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok);
    assert!(stdout.any(|line| line.contains("serving on")), "the server starts");
    // The warnings come before "serving on"; the server (on the test's database, no cluster of
    // its own) has nothing to leave behind.
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdout);
    let logs = logs.join().unwrap();
    let warned = |currency: &str| {
        logs.lines()
            .any(|l| l.contains("WARN") && l.contains(&format!("no account of its own for {currency}")))
    };
    for currency in ["NOK", "DKK", "CHF"] {
        assert!(warned(currency), "{currency} is named: {logs}");
    }
    for currency in ["SEK", "GBP", "EUR"] {
        assert!(!warned(currency), "{currency} has its account: {logs}");
    }
}
