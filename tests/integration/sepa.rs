//! SEPA direct debit: the mandate page (CSRF, validation, nothing stored on bad input,
//! audit), the pain.008 export (valid against the ISO schema, FRST then RCUR, never an
//! invoice twice), settlement and returns (invoice reopened, fee, email in the customer's
//! language, idempotent, ledger clean).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::money::Money;
use kontor::payments::sepa::export::{export_collections, export_to_file};
use kontor::payments::sepa::{SepaError, return_collection, settle_collection};
use rust_decimal::Decimal;

use crate::support::sepa::{day, e2e_of, mandate, settings};
use crate::support::{Count, TestDb, TestServer, count, scratch_dir};

const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iso20022/xsd/pain.008.001.08.xsd");
const XSD_02: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iso20022/xsd/pain.008.001.02.xsd");

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// xmllint's verdict on `file` against the official pain.008.001.08 schema (the default).
fn validates(file: &Path) -> (bool, String) {
    validates_against(file, XSD)
}

pub(crate) fn validates_against(file: &Path, xsd: &str) -> (bool, String) {
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", xsd])
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

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

#[test]
fn a_customer_sets_up_and_revokes_a_mandate_in_the_browser() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 1); // an Austrian customer, German, billed in EUR
    let customer = count(&db, "SELECT min(id) AS n FROM customers");
    let server = TestServer::start(&db);
    let mut browser = customer_browser(&server, &db, customer);
    let mandates = |db: &TestDb| count(db, "SELECT count(*) AS n FROM sepa_mandates");

    let form = browser.get("/account/direct-debit");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Ich ermächtige Kontor Hosting GmbH"), "{}", form.body);
    assert!(form.body.contains("DE98ZZZ09999999999"));
    assert!(form.body.contains(&format!("KONTOR-K{customer:06}-1")));

    let good = [
        ("debtor_name", "Jürgen Weiß"),
        ("iban", "de89 3704 0044 0532 0130 00"),
        ("bic", ""),
        ("accept", "yes"),
    ];
    let forged = browser.post_without_csrf("/account/direct-debit", &good);
    assert_eq!(forged.status, 403);
    assert_eq!(mandates(&db), 0);

    let bad_iban = browser.post(
        "/account/direct-debit",
        &[("debtor_name", "Jürgen Weiß"), ("iban", "DE89370400440532013001"), ("accept", "yes")],
    );
    assert_eq!(bad_iban.status, 422);
    assert!(bad_iban.body.contains("Bitte geben Sie eine gültige IBAN ein"), "{}", bad_iban.body);
    assert!(bad_iban.body.contains("DE89370400440532013001"), "the input is kept for correction");
    let not_accepted = browser
        .post("/account/direct-debit", &[("debtor_name", "Jürgen Weiß"), ("iban", "DE89370400440532013000")]);
    assert_eq!(not_accepted.status, 422);
    assert!(not_accepted.body.contains("Bitte setzen Sie das Häkchen"));
    let bad_bic = browser.post(
        "/account/direct-debit",
        &[
            ("debtor_name", "Jürgen Weiß"),
            ("iban", "DE89370400440532013000"),
            ("bic", "COBADEF"),
            ("accept", "yes"),
        ],
    );
    assert_eq!(bad_bic.status, 422);
    assert_eq!(mandates(&db), 0, "refused input stores nothing");

    let created = browser.submit("/account/direct-debit", &good);
    assert_eq!(created.status, 200, "{}", created.body);
    let reference = format!("KONTOR-K{customer:06}-1");
    assert!(created.body.contains(&reference));
    assert!(created.body.contains("…3000"));
    let (iban, bic, sequence, status, hash, language): (
        String,
        Option<String>,
        String,
        String,
        String,
        String,
    ) = kontor::db::schema::sepa_mandates::table
        .select((
            kontor::db::schema::sepa_mandates::iban,
            kontor::db::schema::sepa_mandates::bic,
            kontor::db::schema::sepa_mandates::sequence,
            kontor::db::schema::sepa_mandates::status,
            kontor::db::schema::sepa_mandates::mandate_text_sha256,
            kontor::db::schema::sepa_mandates::language,
        ))
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(
        (iban.as_str(), bic, sequence.as_str(), status.as_str(), language.as_str()),
        ("DE89370400440532013000", None, "first", "active", "de")
    );
    assert_eq!(hash.len(), 64);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'sepa.mandate_created'"), 1);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM trial_claims WHERE kind = 'iban'"),
        1,
        "the IBAN is an identity"
    );

    let revoked = browser.submit("/account/direct-debit/revoke", &[]);
    assert_eq!(revoked.status, 200);
    assert!(revoked.body.contains("Die Lastschrift ist widerrufen"));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sepa_mandates WHERE status = 'active'"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'sepa.mandate_revoked'"), 1);

    // Another customer's page shows their own state only; staff and strangers get nothing.
    let mut stranger = server.browser();
    assert_ne!(stranger.get("/account/direct-debit").status, 200);
}

#[test]
fn the_export_validates_never_repeats_an_invoice_and_moves_from_frst_to_rcur() {
    let db = TestDb::new();
    // Customers 1..4: Austria (EUR), Switzerland (CHF), France (EUR), the Netherlands (EUR).
    let invoices = crate::support::payments::invoiced(&db, 4);
    assert_eq!(invoices.len(), 4);
    let eur: Vec<i64> = invoices.iter().filter(|i| i.3 == "EUR").map(|i| i.1).collect();
    assert_eq!(eur.len(), 3);
    for customer in &eur {
        mandate(&db, *customer, "DE89370400440532013000").unwrap();
    }
    let chf = invoices.iter().find(|i| i.3 == "CHF").unwrap().1;
    assert!(matches!(mandate(&db, chf, "CH9300762011623852957"), Err(SepaError::NotEur)));

    // Through the command line, as finance runs it.
    let dir = scratch_dir("sepa-export");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dd-2026-12-15.xml");
    let run = |out: &PathBuf| {
        crate::support::kontor_command()
            .args(["sepa", "export", "--collection-date", "2026-12-15", "--out"])
            .arg(out)
            .env("DATABASE_URL", db.url())
            .env("KONTOR_LOG_FORMAT", "json")
            .output()
            .unwrap()
    };
    let first = run(&file);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let (valid, errors) = validates(&file);
    assert!(valid, "{errors}");
    let xml = std::fs::read_to_string(&file).unwrap();
    assert_eq!(occurrences(&xml, "<DrctDbtTxInf>"), 3);
    assert_eq!(occurrences(&xml, "<SeqTp>FRST</SeqTp>"), 1);
    assert_eq!(occurrences(&xml, "<SeqTp>RCUR</SeqTp>"), 0);
    assert!(xml.contains("<NbOfTxs>3</NbOfTxs>"));
    assert!(xml.contains("<Id>DE32ZZZ00000123456</Id>"), "the configured creditor id");
    assert!(xml.contains("<Id>NOTPROVIDED</Id>"), "no debtor BIC");
    assert!(xml.contains("<Nm>Juergen Weiss</Nm>"));
    assert!(xml.contains("<ReqdColltnDt>2026-12-15</ReqdColltnDt>"));
    assert!(xml.contains("xsd:pain.008.001.08"), "08 is the default");
    assert!(xml.contains("<BICFI>"));
    assert_eq!(occurrences(&xml, "<AmdmntInd>false</AmdmntInd>"), 3, "no mandate replaced another");
    // The creditor's structured address, read from the seller's printed lines.
    for field in ["<StrtNm>Friedrichstrasse</StrtNm>", "<BldgNb>100</BldgNb>", "<PstCd>10117</PstCd>"] {
        assert_eq!(occurrences(&xml, field), 1, "{field} once per payment information block");
    }
    assert!(xml.contains("<TwnNm>Berlin</TwnNm>") && xml.contains("<Ctry>DE</Ctry>"), "{xml}");
    let total: Decimal = invoices.iter().filter(|i| i.3 == "EUR").map(|i| i.2).sum();
    assert!(xml.contains(&format!("<CtrlSum>{total:.2}</CtrlSum>")), "{total}");
    for (invoice, ..) in invoices.iter().filter(|i| i.3 == "EUR") {
        let reference: String = kontor::db::schema::invoices::table
            .find(invoice)
            .select(kontor::db::schema::invoices::payment_reference)
            .first(&mut db.conn())
            .unwrap();
        assert_eq!(occurrences(&xml, &format!("<Ref>{reference}</Ref>")), 1);
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections WHERE status = 'pending'"), 3);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sepa_mandates WHERE sequence = 'recurring'"), 3);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_exports"), 1);

    // The second export finds nothing: no file, no export row, no invoice twice.
    let again = dir.join("again.xml");
    let second = run(&again);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("nothing to collect"));
    assert!(!again.exists());
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_exports"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections"), 3);

    // January: the next invoices go out as RCUR.
    crate::support::invoicing::run_batch(&db, "2027-01", at("2027-01-01T06:00:00Z"));
    let january = dir.join("dd-2027-01-15.xml");
    let export = settings().sepa_export();
    let summary = export_to_file(
        &mut db.conn(),
        &export,
        day("2027-01-15"),
        day("2027-01-10"),
        crate::support::now(),
        &january,
    )
    .unwrap();
    assert_eq!((summary.count, summary.first, summary.recurring), (3, 0, 3));
    let (valid, errors) = validates(&january);
    assert!(valid, "{errors}");
    let xml = std::fs::read_to_string(&january).unwrap();
    assert_eq!(occurrences(&xml, "<SeqTp>RCUR</SeqTp>"), 1);
    assert_eq!(occurrences(&xml, "<SeqTp>FRST</SeqTp>"), 0);
    assert_eq!(
        count(&db, "SELECT count(*) - count(DISTINCT invoice_id) AS n FROM direct_debit_collections"),
        0,
        "no invoice is collected twice"
    );
    assert!(matches!(
        export_collections(
            &mut db.conn(),
            &export,
            day("2027-01-01"),
            day("2027-01-10"),
            crate::support::now()
        ),
        Err(SepaError::CollectionDateInPast(_))
    ));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_replacing_mandate_s_first_collection_carries_the_amendment_and_version_02_stays_available() {
    use kontor::payments::sepa::pain008::Version;
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 1); // an Austrian customer, EUR
    let customer = invoices[0].1;
    let replaced = mandate(&db, customer, "DE89370400440532013000").unwrap();
    let current = mandate(&db, customer, "AT611904300234573201").unwrap();
    assert_ne!(replaced.reference, current.reference);
    let dir = scratch_dir("sepa-amendment");
    std::fs::create_dir_all(&dir).unwrap();

    // A bank that still wants version 02 gets it, amendment included (tried and rolled back).
    let mut export = settings().sepa_export();
    export.version = Version::V02;
    let old_version = dir.join("dd-02.xml");
    let mut conn = db.conn();
    let _ = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        let summary =
            export_collections(conn, &export, day("2026-12-15"), day("2026-12-10"), crate::support::now())
                .unwrap();
        std::fs::write(&old_version, &summary.xml).unwrap();
        Err(diesel::result::Error::RollbackTransaction)
    });
    let (valid, errors) = validates_against(&old_version, XSD_02);
    assert!(valid, "{errors}");
    let xml = std::fs::read_to_string(&old_version).unwrap();
    assert!(xml.contains("xsd:pain.008.001.02") && xml.contains("<BIC>") && !xml.contains("<BICFI>"));
    assert!(!xml.contains("<PstlAdr>"), "version 02's rules allow no structured address");
    assert!(xml.contains(&format!("<OrgnlMndtId>{}</OrgnlMndtId>", replaced.reference)));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections"), 0, "rolled back");

    // The default, 08: the first collection under the new mandate names the replaced mandate
    // and, as the account is at another bank, SMNDA.
    let file = dir.join("dd-08.xml");
    export.version = Version::V08;
    export_to_file(&mut conn, &export, day("2026-12-15"), day("2026-12-10"), crate::support::now(), &file)
        .unwrap();
    let (valid, errors) = validates(&file);
    assert!(valid, "{errors}");
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(xml.contains("<AmdmntInd>true</AmdmntInd>"), "{xml}");
    assert!(xml.contains(&format!("<OrgnlMndtId>{}</OrgnlMndtId>", replaced.reference)));
    assert!(xml.contains(&format!("<MndtId>{}</MndtId>", current.reference)));
    assert!(xml.contains("<Id>SMNDA</Id>"));
    assert!(xml.contains("<SeqTp>FRST</SeqTp>"));

    // The next collection refers to the new mandate alone.
    crate::support::invoicing::run_batch(&db, "2027-01", at("2027-01-01T06:00:00Z"));
    let january = dir.join("dd-2027-01.xml");
    export_to_file(&mut conn, &export, day("2027-01-15"), day("2027-01-10"), crate::support::now(), &january)
        .unwrap();
    let xml = std::fs::read_to_string(&january).unwrap();
    assert!(xml.contains("<SeqTp>RCUR</SeqTp>") && xml.contains("<AmdmntInd>false</AmdmntInd>"), "{xml}");
    assert!(!xml.contains("OrgnlMndtId"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn settlement_pays_and_a_return_reopens_charges_the_fee_and_tells_the_customer_once() {
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 4);
    let (french, dutch) = (invoices[2].1, invoices[3].1);
    mandate(&db, french, "FR1420041010050500013M02606").unwrap();
    mandate(&db, dutch, "NL91ABNA0417164300").unwrap();
    let settings = settings();
    let export = settings.sepa_export();
    let summary = export_collections(
        &mut db.conn(),
        &export,
        day("2026-12-15"),
        day("2026-12-10"),
        crate::support::now(),
    )
    .unwrap();
    assert_eq!(summary.count, 2);
    let context = settings.sepa_returns();
    let (e2e, amount, invoice) = e2e_of(&db, french);
    let eur = |d: Decimal| Money::new(d, Currency::EUR);
    let booked = at("2026-12-16T10:00:00Z");
    let mut conn = db.conn();
    let site = crate::support::payments::site();

    assert_eq!(
        settle_collection(&mut conn, &site, "KONTOR-unknown", eur(amount), booked, "bank:x").unwrap(),
        None
    );
    let settled =
        settle_collection(&mut conn, &site, &e2e, eur(amount), booked, "bank:dd:1").unwrap().unwrap();
    assert!(!settled.applied.already_applied);
    assert_eq!(settled.applied.paid, vec![(invoice, eur(amount))]);
    let today = day("2026-12-16");
    let state = |conn: &mut PgConnection| kontor::payments::invoice_state(conn, invoice, today).unwrap();
    assert_eq!(state(&mut conn), kontor::payments::InvoiceState::Paid);
    let again = settle_collection(&mut conn, &site, &e2e, eur(amount), booked, "bank:dd:1").unwrap().unwrap();
    assert!(again.applied.already_applied, "the same statement entry books nothing twice");
    // Paid by direct debit: the customer hears it once, in their language, with the way it came.
    let mails = crate::support::payments::paid_emails(&db);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].key, format!("invoice-paid:{invoice}"));
    let lang = kontor::i18n::Lang::supported(&mails[0].language).unwrap();
    let method = kontor::i18n::t(&lang, "statement-method-direct-debit");
    assert!(mails[0].text.contains(&method), "{method} missing from: {}", mails[0].text);

    let returned =
        return_collection(&mut conn, &context, &e2e, Some("AM04"), at("2026-12-20T09:00:00Z"), "bank:dd:2")
            .unwrap()
            .unwrap();
    assert!(!returned.already_returned);
    assert_eq!(returned.fee, Some(eur(Decimal::new(300, 2))));
    assert_eq!(returned.reversed.as_ref().map(|r| r.paid.clone()), Some(vec![(invoice, eur(-amount))]));
    assert_eq!(kontor::payments::open_amounts(&mut conn, &[invoice]).unwrap()[&invoice], eur(amount));
    let twice =
        return_collection(&mut conn, &context, &e2e, Some("AM04"), at("2026-12-20T09:00:00Z"), "bank:dd:2")
            .unwrap()
            .unwrap();
    assert!(twice.already_returned);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM journal_entries WHERE kind = 'direct_debit_return_fee'"),
        1
    );
    let fee_owed = count(
        &db,
        &format!(
            "SELECT (sum(p.amount) * 100)::bigint AS n FROM postings p JOIN journal_entries e ON e.id = p.entry_id
              JOIN ledger_accounts a ON a.id = p.account_id
             WHERE e.kind = 'direct_debit_return_fee' AND a.code = '1400-EUR-C{french}'"
        ),
    );
    assert_eq!(fee_owed, 300, "the fee is owed by the customer");

    let (language, subject, body): (String, String, String) = {
        use kontor::db::schema::mail_outbox::dsl as m;
        m::mail_outbox
            .filter(m::idempotency_key.like("sepa-return:%"))
            .select((m::language, m::subject, m::text_body))
            .load::<(String, String, String)>(&mut conn)
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>()
            .pop()
            .unwrap()
    };
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'sepa-return:%'"),
        1
    );
    assert_eq!(language, "fr");
    assert!(subject.contains("a été rejeté"), "{subject}");
    assert!(body.contains("solde du compte était insuffisant"), "{body}");
    assert!(body.contains("3,00"), "the fee is named: {body}");
    // Not enough funds (AM04): the email is the pre-notification of one more presentation.
    assert!(body.contains("une nouvelle fois"), "presented once more: {body}");
    assert!(!body.contains("DE89 3704 0044 0532 0130 00"), "no transfer asked for yet: {body}");

    // So the next export collects it once more, and nothing is dunned meanwhile ...
    let next =
        export_collections(&mut conn, &export, day("2026-12-22"), day("2026-12-21"), crate::support::now())
            .unwrap();
    assert_eq!(next.count, 1, "presented once more");
    let collections = |conn: &mut PgConnection| -> Vec<(String, String)> {
        use kontor::db::schema::direct_debit_collections::dsl as c;
        c::direct_debit_collections
            .filter(c::invoice_id.eq(invoice))
            .order(c::id)
            .select((c::end_to_end_id, c::status))
            .load(conn)
            .unwrap()
    };
    let second = collections(&mut conn)[1].0.clone();
    let dunned = |conn: &mut PgConnection| {
        crate::support::collections::dun(conn, day("2027-01-20"));
        count(&db, &format!("SELECT count(*) AS n FROM dunning_notices WHERE invoice_id = {invoice}"))
    };
    assert_eq!(dunned(&mut conn), 0, "not dunned while the debit may still collect it");
    // ... and when that comes back too, it is not presented a third time: a transfer is asked
    // for, and the invoice goes to the dunning ladder.
    return_collection(&mut conn, &context, &second, Some("AM04"), at("2026-12-28T09:00:00Z"), "bank:dd:4")
        .unwrap()
        .unwrap();
    let last: String = {
        use kontor::db::schema::mail_outbox::dsl as m;
        m::mail_outbox
            .filter(m::idempotency_key.like("sepa-return:%"))
            .order(m::id.desc())
            .select(m::text_body)
            .first(&mut conn)
            .unwrap()
    };
    assert!(last.contains("DE89 3704 0044 0532 0130 00"), "how to pay instead: {last}");
    let third =
        export_collections(&mut conn, &export, day("2026-12-30"), day("2026-12-29"), crate::support::now())
            .unwrap();
    assert_eq!(third.count, 0, "not a third time");
    assert_eq!(dunned(&mut conn), 1, "the second return goes to the ladder");
    assert_eq!(collections(&mut conn).iter().filter(|c| c.1 == "returned").count(), 2);

    // A reject before settlement: nothing to reverse, still reopened and told (in Dutch).
    let (dutch_e2e, ..) = e2e_of(&db, dutch);
    let rejected = return_collection(&mut conn, &context, &dutch_e2e, Some("MS02"), booked, "bank:dd:3")
        .unwrap()
        .unwrap();
    assert_eq!(rejected.reversed, None);
    let dutch_mail: String = {
        use kontor::db::schema::mail_outbox::dsl as m;
        m::mail_outbox
            .filter(m::idempotency_key.eq(format!("sepa-return:{}", rejected.collection_id)))
            .select(m::text_body)
            .first(&mut conn)
            .unwrap()
    };
    assert!(dutch_mail.contains("rekeninghouder heeft de incasso geweigerd"), "{dutch_mail}");

    let report = kontor::ledger::verify(&mut conn).unwrap();
    assert!(report.is_healthy(), "{report}");
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = scratch_dir("sepa-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("invoice.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out =
        Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    let _ = std::fs::remove_dir_all(dir);
    // Layout text wraps lines: compare with single spaces.
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn invoices_announce_the_debit_or_say_how_to_pay() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 4);
    let customers: Vec<i64> = kontor::db::schema::customers::table
        .select(kontor::db::schema::customers::id)
        .order(kontor::db::schema::customers::id)
        .load(&mut db.conn())
        .unwrap();
    // The Austrian customer (German) signs a mandate before the batch; the French one does not.
    let (austrian, french) = (customers[0], customers[2]);
    let signed = mandate(&db, austrian, "AT611904300234573201").unwrap();
    crate::support::invoicing::run_batch(&db, crate::support::invoicing::PERIOD, at("2026-12-01T06:00:00Z"));
    let number_of = |customer: i64| -> String {
        use kontor::db::schema::invoices::dsl as i;
        i::invoices.filter(i::customer_id.eq(customer)).select(i::number).first(&mut db.conn()).unwrap()
    };
    let debited = number_of(austrian);
    let document = kontor::documents::store::pdf_of(&mut db.conn(), &debited, Some(austrian)).unwrap();
    let text = pdf_text(&document.content);
    assert!(text.contains(&format!("unter dem Mandat {} abgebucht", signed.reference)), "{text}");
    assert!(text.contains("IBAN-Endung …3201"), "{text}");
    assert!(!text.contains("Bitte überweisen"), "{text}");

    let server = TestServer::start(&db);
    let mut browser = customer_browser(&server, &db, austrian);
    let page = browser.get(&format!("/account/invoices/{debited}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("IBAN-Endung …3201"), "{}", page.body);
    assert!(!page.body.contains("data:image/svg+xml"), "no transfer code when the debit is announced");

    let transfer = number_of(french);
    let mut browser = customer_browser(&server, &db, french);
    let page = browser.get(&format!("/account/invoices/{transfer}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Comment payer"), "{}", page.body);
    assert!(page.body.contains("DE89 3704 0044 0532 0130 00"));
    assert!(page.body.contains("COBADEFFXXX"));
    let reference: String = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::number.eq(&transfer))
        .select(kontor::db::schema::invoices::payment_reference)
        .first(&mut db.conn())
        .unwrap();
    let grouped = kontor::documents::printed::grouped(&reference, 4);
    assert!(page.body.contains(&grouped), "the RF reference {grouped}");
    assert!(page.body.contains("data:image"), "the EPC code");
    // Another customer's invoice stays hidden.
    assert_eq!(browser.get(&format!("/account/invoices/{debited}")).status, 404);
}

#[test]
fn seed_gives_about_a_third_of_the_euro_customers_a_mandate() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 60);
    // Customer n lives in country n % 12 (EUR for 0, 1, 3, 4, 9, 10, 11); n % 10 in 6, 7, 9 pay by debit.
    let eur = |n: i64| [0, 1, 3, 4, 9, 10, 11].contains(&(n % 12));
    let expected = (1..=60).filter(|n| eur(*n) && [6, 7, 9].contains(&(n % 10))).count() as i64;
    let euro_customers = (1..=60).filter(|n| eur(*n)).count() as i64;
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sepa_mandates WHERE status = 'active'"), expected);
    assert!(
        expected * 10 >= euro_customers * 2 && expected * 10 <= euro_customers * 4,
        "{expected} of {euro_customers}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM sepa_mandates m JOIN customers c ON c.id = m.customer_id WHERE c.currency <> 'EUR'"
        ),
        0
    );
}

#[test]
fn two_exports_at_once_collect_each_invoice_once() {
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 12);
    let eur: Vec<i64> = invoices.iter().filter(|i| i.3 == "EUR").map(|i| i.1).collect();
    for customer in &eur {
        if count(&db, &format!("SELECT count(*) AS n FROM sepa_mandates WHERE customer_id = {customer}")) == 0
        {
            mandate(&db, *customer, "DE89370400440532013000").unwrap();
        }
    }
    let export = settings().sepa_export();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (pool, export, barrier) = (db.pool(), export.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                barrier.wait();
                export_collections(
                    &mut conn,
                    &export,
                    day("2026-12-15"),
                    day("2026-12-10"),
                    crate::support::now(),
                )
                .unwrap()
                .count
            })
        })
        .collect();
    let counts: Vec<usize> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let collections = count(&db, "SELECT count(*) AS n FROM direct_debit_collections");
    assert_eq!(collections, eur.len() as i64);
    assert_eq!(counts.iter().sum::<usize>() as i64, collections, "{counts:?}");
    assert_eq!(
        count(&db, "SELECT count(DISTINCT invoice_id) AS n FROM direct_debit_collections"),
        collections
    );
}

fn sepa_command(db: &TestDb, args: &[&str], out: &Path) -> Command {
    let mut command = crate::support::kontor_command();
    command.args(args).arg("--out").arg(out).env("DATABASE_URL", db.url());
    command
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn an_export_killed_after_its_commit_keeps_its_document_and_sepa_file_writes_it_again() {
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 4);
    for (_, customer, _, currency) in &invoices {
        if currency == "EUR" {
            mandate(&db, *customer, "DE89370400440532013000").unwrap();
        }
    }
    let dir = scratch_dir("sepa-killed");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("dd.xml");
    let export = ["sepa", "export", "--collection-date", "2026-12-15"];
    let killed = sepa_command(&db, &export, &out)
        .env("KONTOR_FAILPOINT", "sepa-export-after-commit=abort")
        .output()
        .unwrap();
    assert_eq!(killed.status.code(), None, "killed between the commit and the file");
    assert!(!out.exists());
    // The collections are committed, and so is their document.
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections WHERE status = 'pending'"), 3);
    let (id, sha): (i64, String) = kontor::db::schema::direct_debit_exports::table
        .select((
            kontor::db::schema::direct_debit_exports::id,
            kontor::db::schema::direct_debit_exports::file_sha256,
        ))
        .first(&mut db.conn())
        .unwrap();
    let written = sepa_command(&db, &["sepa", "file", &id.to_string()], &out).output().unwrap();
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(sha256_hex(&bytes), sha, "byte for byte the exported document");
    let (valid, errors) = validates(&out);
    assert!(valid, "{errors}");
    assert_eq!(occurrences(&String::from_utf8(bytes).unwrap(), "<DrctDbtTxInf>"), 3);
    // Never over an existing file, and nothing is exported twice.
    let again = sepa_command(&db, &["sepa", "file", &id.to_string()], &out).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let refused = sepa_command(&db, &export, &out).output().unwrap();
    assert!(
        !refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("nothing exported")
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_exports"), 1);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no partial files: {leftovers:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_exports_to_one_file_name_never_lose_either_export() {
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 4);
    let eur: Vec<i64> = invoices.iter().filter(|i| i.3 == "EUR").map(|i| i.1).collect();
    for customer in &eur[..2] {
        mandate(&db, *customer, "DE89370400440532013000").unwrap();
    }
    let dir = scratch_dir("sepa-same-name");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("dd.xml");
    let export = ["sepa", "export", "--collection-date", "2026-12-15"];
    // The first export committed its two collections and is about to put its file in place ...
    let pause = crate::support::FilePause::new("sepa-link");
    let mut first = sepa_command(&db, &export, &out)
        .env("KONTOR_FAILPOINT", pause.at("sepa-file-before-link", 1))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    pause.reached(&mut first);
    // ... when a second export (a third mandate since) writes to the same name.
    mandate(&db, eur[2], "DE89370400440532013000").unwrap();
    let second = sepa_command(&db, &export, &out).output().unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    pause.release();
    let first = first.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(!first.status.success(), "the first must not replace the second's file");
    let ids: Vec<i64> = kontor::db::schema::direct_debit_exports::table
        .order(kontor::db::schema::direct_debit_exports::id)
        .select(kontor::db::schema::direct_debit_exports::id)
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert!(stderr.contains(&format!("kontor sepa file {}", ids[0])), "{stderr}");
    // The second export's file is there, whole; the first one's is written from the database.
    let other = dir.join("dd-first.xml");
    assert!(
        sepa_command(&db, &["sepa", "file", &ids[0].to_string()], &other).output().unwrap().status.success()
    );
    let mut in_files = Vec::new();
    for file in [&out, &other] {
        let (valid, errors) = validates(file);
        assert!(valid, "{errors}");
        let xml = std::fs::read_to_string(file).unwrap();
        in_files.extend(
            xml.match_indices("<EndToEndId>")
                .map(|(at, _)| xml[at + 12..].split('<').next().unwrap().to_owned()),
        );
    }
    in_files.sort();
    let mut collected: Vec<String> = kontor::db::schema::direct_debit_collections::table
        .select(kontor::db::schema::direct_debit_collections::end_to_end_id)
        .load(&mut db.conn())
        .unwrap();
    collected.sort();
    assert_eq!(in_files, collected, "every collection in exactly one file");
    assert_eq!(collected.len(), 3);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn finance_exports_from_the_back_office_and_every_download_gives_the_same_bytes() {
    use kontor::accounts::Role;
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 4);
    let eur: Vec<&(i64, i64, Decimal, String)> = invoices.iter().filter(|i| i.3 == "EUR").collect();
    for invoice in &eur {
        mandate(&db, invoice.1, "DE89370400440532013000").unwrap();
    }
    let server = TestServer::start(&db);
    let page = "/backoffice/direct-debits?collection_date=2026-12-15";
    let exports = |db: &TestDb| count(db, "SELECT count(*) AS n FROM direct_debit_exports");

    // Support staff do not see it: not the page, not a file, not the form.
    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    assert_eq!(support.get(page).status, 404);
    assert_eq!(
        support.post("/backoffice/direct-debits/export", &[("collection_date", "2026-12-15")]).status,
        404
    );
    assert_eq!(exports(&db), 0);

    let mut finance =
        crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let preview = finance.get(page);
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<td>FRST</td><td>3</td>"), "{}", preview.body);
    assert!(preview.body.contains("id=\"due-count\">3<"));

    // Bad input changes nothing: a forged form, a date that is none, a date in the past.
    let forged =
        finance.post_without_csrf("/backoffice/direct-debits/export", &[("collection_date", "2026-12-15")]);
    assert_eq!(forged.status, 403);
    assert_eq!(
        finance.post("/backoffice/direct-debits/export", &[("collection_date", "15.12.2026")]).status,
        400
    );
    let past = finance.post("/backoffice/direct-debits/export", &[("collection_date", "2026-12-01")]);
    assert_eq!(past.status, 422);
    assert!(past.body.contains("The collection date is in the past."));
    assert_eq!(exports(&db), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections"), 0);

    let done = finance.submit("/backoffice/direct-debits/export", &[("collection_date", "2026-12-15")]);
    assert_eq!(done.status, 200);
    assert!(done.body.contains("3 debits were exported"), "{}", done.body);
    assert!(done.body.contains("id=\"just-made\""));
    // F5 on the result, and the same form sent again: still one export.
    assert!(finance.reload_result().body.contains("id=\"just-made\""));
    assert_eq!(exports(&db), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections"), 3);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'sepa.exported'"), 1);
    assert!(finance.get(page).body.contains("id=\"nothing-due\""));

    let id = count(&db, "SELECT max(id) AS n FROM direct_debit_exports");
    let file = format!("/backoffice/direct-debits/file?export={id}");
    let (first, bytes) = finance.get_bytes(&file);
    assert_eq!(first.status, 200);
    assert!(first.header("content-disposition").unwrap().contains(".xml"));
    let (_, again) = finance.get_bytes(&file);
    assert_eq!(bytes, again, "a second download gives the same bytes");
    let stored: String = kontor::db::schema::direct_debit_exports::table
        .find(id)
        .select(kontor::db::schema::direct_debit_exports::file_sha256)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(sha256_hex(&bytes), stored);
    let dir = scratch_dir("sepa-page");
    std::fs::create_dir_all(&dir).unwrap();
    let saved = dir.join("download.xml");
    std::fs::write(&saved, &bytes).unwrap();
    let (valid, errors) = validates(&saved);
    assert!(valid, "{errors}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'sepa.export_downloaded'"), 2);
    assert_eq!(support.get(&file).status, 404);
    assert_eq!(finance.get(&format!("/backoffice/direct-debits/file?export={}", id + 1000)).status, 404);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_pain001_payout_file_validates_against_the_iso_schema() {
    use kontor::payments::sepa::pain001::{Debtor, Message, Payout, write};
    let creditor = settings().sepa_export().creditor;
    let payout = |id: &str, amount: &str, bic: Option<&str>| Payout {
        end_to_end_id: id.to_owned(),
        amount: Money::new(amount.parse().unwrap(), Currency::EUR),
        creditor_name: "Jürgen Weiß".to_owned(),
        creditor_iban: "AT611904300234573201".to_owned(),
        creditor_bic: bic.map(str::to_owned),
        remittance: "Refund of the credit of account K000042".to_owned(),
    };
    let message = Message {
        message_id: "KONTOR-CT-1-20261207".to_owned(),
        created_at: at("2026-12-05T09:00:00Z"),
        execution_date: day("2026-12-07"),
        debtor: Debtor {
            name: creditor.name,
            iban: creditor.iban,
            bic: creditor.bic,
            address: creditor.address,
        },
        payouts: vec![payout("KONTOR-RF-1", "12.30", None), payout("KONTOR-RF-2", "0.70", Some("BKAUATWW"))],
    };
    let dir = scratch_dir("pain001");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ct.xml");
    std::fs::write(&file, write(&message).unwrap()).unwrap();
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iso20022/xsd/pain.001.001.09.xsd");
    let (valid, errors) = validates_against(&file, xsd);
    assert!(valid, "{errors}");
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(xml.contains("<CtrlSum>13.00</CtrlSum>") && xml.contains("<BICFI>BKAUATWW</BICFI>"));
    // A file the schema refuses is noticed: the check itself can fail.
    std::fs::write(&file, xml.replace("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>DD</PmtMtd>")).unwrap();
    assert!(!validates_against(&file, xsd).0);
    let _ = std::fs::remove_dir_all(dir);
}
