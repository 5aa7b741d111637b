//! Factur-X / ZUGFeRD (EN 16931): the CII XML of each kind of business invoice Kontor issues
//! passes the Factur-X schema and the CEN's EN 16931 schematron, and says what the invoice says.

use diesel::prelude::*;
use iso_currency::Currency;
use kontor::db::schema::{documents, invoices};
use kontor::documents::facturx::{Guideline, cii_xml};
use kontor::documents::how_to_pay::{HowToPay, Settled};
use kontor::documents::model::{InvoiceDocument, Kind, Party};
use kontor::documents::{render_facturx_pdf, render_pdf, sample};
use kontor::money::Money;
use rust_decimal::Decimal;

use crate::support::documents::scratch;
use crate::support::facturx::{
    assert_valid_en16931, attachment_of, qpdf_check, schematron_failures, uncompressed,
};

const SELLER_COUNTRY: &str = "DE";

fn business(
    company: &str,
    street: &str,
    postal_code: &str,
    city: &str,
    country: &str,
    vat_id: &str,
) -> Party {
    Party {
        name: "Accounts Payable".to_owned(),
        company_name: Some(company.to_owned()),
        street: street.to_owned(),
        postal_code: postal_code.to_owned(),
        city: city.to_owned(),
        country: country.to_owned(),
        vat_id: Some(vat_id.to_owned()),
    }
}

fn german_business() -> Party {
    business("Müller & Söhne GmbH", "Königstraße 5", "70173", "Stuttgart", "DE", "DE811907980")
}

/// Three lines at `rate` percent, issued under `treatment`.
fn invoice(customer: Party, rate: i64, treatment: &str, note: Option<&str>) -> InvoiceDocument {
    let mut doc = sample::invoice("de", customer, Currency::EUR, 3, 1990, Decimal::from(rate));
    doc.vat_treatment = treatment.to_owned();
    doc.vat_note = note.map(str::to_owned);
    doc
}

fn xml_of(doc: &InvoiceDocument) -> String {
    String::from_utf8(cii_xml(doc, SELLER_COUNTRY, Guideline::En16931).expect("the CII is written"))
        .expect("UTF-8")
}

fn cases() -> Vec<(&'static str, InvoiceDocument)> {
    let domestic = invoice(german_business(), 19, "domestic", None);
    let austrian =
        business("Wiener Werkstätten GmbH", "Mariahilfer Straße 1", "1060", "Wien", "AT", "ATU13585627");
    let reverse_charge =
        invoice(austrian, 0, "reverse_charge", Some("Steuerschuldnerschaft des Leistungsempfängers"));
    let swiss =
        business("Zürcher Uhren AG", "Bahnhofstrasse 12", "8001", "Zürich", "CH", "CHE-116.281.710 MWST");
    let outside_scope = invoice(swiss, 0, "outside_eu", Some("Nicht im Inland steuerbare Leistung"));

    let mut credit_note = invoice(german_business(), 19, "domestic", None);
    credit_note.kind = Kind::CreditNote;
    credit_note.number = "2026-G00012".to_owned();
    credit_note.credited_number = Some("2026-004711".to_owned());
    credit_note.reason = Some("Storage upgrade cancelled".to_owned());
    credit_note.how_to_pay = HowToPay::Nothing(Settled::CreditNote);

    let mut with_credit = invoice(german_business(), 19, "domestic", None);
    with_credit.credit_applied = Money::from_minor(2500, Currency::EUR);
    with_credit.amount_due = with_credit.gross.checked_sub(with_credit.credit_applied).unwrap();
    vec![
        ("domestic-19", domestic),
        ("reverse-charge-at", reverse_charge),
        ("outside-scope-ch", outside_scope),
        ("credit-note", credit_note),
        ("customer-credit", with_credit),
    ]
}

#[test]
fn every_kind_of_business_invoice_passes_the_schema_and_the_en16931_schematron() {
    let dir = scratch("facturx-cases");
    for (name, doc) in cases() {
        let xml = cii_xml(&doc, SELLER_COUNTRY, Guideline::En16931).expect("the CII is written");
        assert_valid_en16931(&dir, name, &xml);
    }
}

#[test]
fn the_xml_says_what_the_invoice_says() {
    let cases = cases();
    let xml = |wanted: &str| xml_of(&cases.iter().find(|(name, _)| *name == wanted).unwrap().1);

    let domestic = xml("domestic-19");
    for expected in [
        "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
        "<ram:TypeCode>380</ram:TypeCode>",
        "<ram:CategoryCode>S</ram:CategoryCode>",
        "<ram:RateApplicablePercent>19</ram:RateApplicablePercent>",
        "<ram:ID schemeID=\"VA\">DE136695976</ram:ID>",
        "<ram:ID schemeID=\"VA\">DE811907980</ram:ID>",
        "<ram:TypeCode>58</ram:TypeCode>",
        "<ram:IBANID>DE89370400440532013000</ram:IBANID>",
        "<ram:DueDateDateTime><udt:DateTimeString format=\"102\">20261115</udt:DateTimeString>",
        // 3 x 19.90 = 59.70 net, 3 x 3.78 VAT.
        "<ram:GrandTotalAmount>71.04</ram:GrandTotalAmount>",
        "<ram:DuePayableAmount>71.04</ram:DuePayableAmount>",
    ] {
        assert!(domestic.contains(expected), "domestic: {expected} missing in\n{domestic}");
    }
    assert!(domestic.contains(&format!(
        "<ram:PaymentReference>{}</ram:PaymentReference>",
        kontor::references::rf_reference("2026-004711")
    )));

    let reverse = xml("reverse-charge-at");
    for expected in [
        "<ram:CategoryCode>AE</ram:CategoryCode>",
        "<ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>",
        "<ram:ExemptionReason>Steuerschuldnerschaft des Leistungsempfängers</ram:ExemptionReason>",
        "<ram:ID schemeID=\"VA\">ATU13585627</ram:ID>",
        "<ram:CountryID>AT</ram:CountryID>",
    ] {
        assert!(reverse.contains(expected), "reverse charge: {expected} missing in\n{reverse}");
    }

    let swiss = xml("outside-scope-ch");
    assert!(swiss.contains("<ram:CategoryCode>O</ram:CategoryCode>"), "{swiss}");
    assert!(swiss.contains("<ram:ExemptionReasonCode>VATEX-EU-O</ram:ExemptionReasonCode>"), "{swiss}");
    assert!(!swiss.contains("schemeID=\"VA\""), "outside the scope of VAT no VAT ID is named (BR-O-02)");
    assert!(!swiss.contains("RateApplicablePercent"), "outside the scope of VAT there is no rate (BR-O-05)");

    let credit_note = xml("credit-note");
    assert!(credit_note.contains("<ram:TypeCode>381</ram:TypeCode>"), "{credit_note}");
    assert!(
        credit_note.contains(
            "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>2026-004711</ram:IssuerAssignedID>"
        )
    );
    assert!(
        !credit_note.contains("SpecifiedTradeSettlementPaymentMeans"),
        "a credit note asks for no payment"
    );

    let credit = xml("customer-credit");
    assert!(credit.contains("<ram:TotalPrepaidAmount>25.00</ram:TotalPrepaidAmount>"), "{credit}");
    assert!(credit.contains("<ram:DuePayableAmount>46.04</ram:DuePayableAmount>"), "{credit}");
}

#[test]
fn the_schematron_check_catches_a_wrong_total() {
    // The validation is real: the same XML with a grand total that does not add up is refused.
    let dir = scratch("facturx-broken");
    let xml = xml_of(&invoice(german_business(), 19, "domestic", None))
        .replace("<ram:GrandTotalAmount>71.04<", "<ram:GrandTotalAmount>71.05<");
    let file = dir.join("broken.xml");
    std::fs::write(&file, xml).unwrap();
    let failures = schematron_failures(&file);
    assert!(failures.iter().any(|f| f.starts_with("BR-CO-15")), "{failures:?}");
}

#[test]
fn the_xrechnung_download_declares_the_xrechnung_guideline() {
    let (_, doc) = cases().into_iter().next().unwrap();
    let xml = String::from_utf8(cii_xml(&doc, SELLER_COUNTRY, Guideline::XRechnung).unwrap()).unwrap();
    assert!(xml.contains("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"));
    assert!(xml.contains("<ram:BuyerReference>K-0012345</ram:BuyerReference>"));
}

#[test]
fn the_pdf_is_a_pdfa3_that_carries_the_exact_xml_which_validates() {
    let dir = scratch("facturx-pdf");
    for (name, doc) in cases() {
        let xml = cii_xml(&doc, SELLER_COUNTRY, Guideline::En16931).expect("the CII is written");
        let pdf = render_facturx_pdf(&doc, SELLER_COUNTRY, &xml).expect("the Factur-X PDF renders");
        let file = dir.join(format!("{name}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        qpdf_check(&file);
        let extracted = attachment_of(&file, "factur-x.xml");
        assert_eq!(extracted, xml, "{name}: the attachment is byte-identical to the XML");
        assert_valid_en16931(&dir, &format!("{name}-extracted"), &extracted);

        let objects = uncompressed(&dir, &file);
        for expected in [
            "<pdfaid:part>3</pdfaid:part>",
            "<pdfaid:conformance>B</pdfaid:conformance>",
            "<fx:DocumentType>INVOICE</fx:DocumentType>",
            "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
            "<fx:Version>1.0</fx:Version>",
            "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
            "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
            "/AFRelationship /Alternative",
            "/S /GTS_PDFA1",
            "/DestOutputProfile",
            "/EmbeddedFiles",
            "/Subtype /text#2fxml",
        ] {
            assert!(
                objects.to_lowercase().contains(&expected.to_lowercase()),
                "{name}: {expected} missing from the PDF"
            );
        }
        assert!(objects.contains("/AF ["), "{name}: the catalog lists the associated file");
        assert!(pdf.starts_with(b"%PDF-1.7"), "{name}: PDF/A-3 is PDF 1.7 based");
        assert_eq!(
            render_facturx_pdf(&doc, SELLER_COUNTRY, &xml).unwrap(),
            pdf,
            "{name}: the same document gives the same bytes"
        );
    }
    // A plain PDF carries none of it.
    let (_, doc) = cases().into_iter().next().unwrap();
    let plain = dir.join("plain.pdf");
    std::fs::write(&plain, render_pdf(&doc, SELLER_COUNTRY).unwrap()).unwrap();
    assert!(!uncompressed(&dir, &plain).contains("factur-x.xml"));
}

// ---------------------------------------------------------------------------------------------
// Issued by the real batch: the XML stored beside the PDF that carries it.

fn bill(db: &crate::support::TestDb, settings: &kontor::config::Settings) {
    let run = crate::support::invoicing::Run {
        workers: 1,
        chunk_size: 5,
        ..crate::support::invoicing::Run::december()
    };
    crate::support::invoicing::run_batch_as(db, settings, crate::support::now(), &run);
}

#[test]
fn the_batch_stores_the_xml_with_its_hash_beside_the_pdf_that_carries_it() {
    let db = crate::support::TestDb::new();
    crate::support::invoicing::seed(&db, 4);
    // On request: these customers have no VAT ID but asked for e-invoices.
    diesel::sql_query("UPDATE customers SET wants_e_invoice = true").execute(&mut db.conn()).unwrap();
    let settings = kontor::config::Settings::from_lookup(|key| {
        (key == "KONTOR_FACTURX_THRESHOLD_EUR").then(|| "0".to_owned())
    })
    .unwrap();
    bill(&db, &settings);
    let issued = crate::support::count(&db, "SELECT count(*) AS n FROM invoices");
    assert!(issued >= 4);
    assert_eq!(
        crate::support::count(
            &db,
            "SELECT count(*) AS n FROM documents WHERE xml IS NOT NULL AND xml_sha256 = sha256(xml)"
        ),
        issued,
        "every document has its XML, stored with its own hash"
    );
    let dir = scratch("facturx-batch");
    let rows: Vec<(String, Vec<u8>, Vec<u8>)> = documents::table
        .inner_join(invoices::table)
        .select((invoices::number, documents::content, documents::xml.assume_not_null()))
        .load(&mut db.conn())
        .unwrap();
    for (number, pdf, xml) in rows {
        let file = dir.join(format!("{number}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        qpdf_check(&file);
        assert_eq!(attachment_of(&file, "factur-x.xml"), xml, "{number}: the PDF carries the stored XML");
        assert_valid_en16931(&dir, &number, &xml);
        let mut conn = db.conn();
        assert_eq!(kontor::documents::store::xml_of(&mut conn, &number, None).unwrap(), xml);
    }
    // The stored XML cannot be changed afterwards: documents are append-only.
    let update = diesel::sql_query("UPDATE documents SET xml = 'x'::bytea").execute(&mut db.conn());
    assert!(update.is_err(), "the XML is never rewritten");
}

#[test]
fn customers_without_a_vat_id_who_did_not_ask_get_plain_pdfs() {
    let db = crate::support::TestDb::new();
    crate::support::invoicing::seed(&db, 3);
    diesel::sql_query("UPDATE customers SET vat_id = NULL").execute(&mut db.conn()).unwrap();
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    bill(&db, &settings);
    assert!(crate::support::count(&db, "SELECT count(*) AS n FROM documents") >= 3);
    assert_eq!(crate::support::count(&db, "SELECT count(*) AS n FROM documents WHERE xml IS NOT NULL"), 0);
}

#[test]
fn small_euro_invoices_stay_plain_under_the_threshold() {
    let (_, doc) = cases().into_iter().next().unwrap();
    assert!(doc.gross.amount() < Decimal::from(250));
    assert!(!kontor::documents::facturx::wanted(&doc, false, Decimal::from(250)), "71.04 EUR is under 250");
    assert!(
        kontor::documents::facturx::wanted(&doc, false, Decimal::ZERO),
        "a business customer without threshold"
    );
    let mut consumer = doc.clone();
    consumer.customer.vat_id = None;
    assert!(
        !kontor::documents::facturx::wanted(&consumer, false, Decimal::ZERO),
        "consumers only on request"
    );
    assert!(kontor::documents::facturx::wanted(&consumer, true, Decimal::ZERO));
    assert!(
        kontor::documents::facturx::wanted(&consumer, true, Decimal::from(250)),
        "who asked gets the small ones too"
    );
}

#[test]
fn the_demo_business_customer_receives_a_factur_x_invoice_that_validates() {
    let db = crate::support::TestDb::new();
    let mut settings = kontor::demo::with_example_accounts(&crate::support::seller_settings());
    // As `kontor demo` runs it: no threshold, so the small business invoice is Factur-X.
    settings.facturx_threshold_eur = Decimal::ZERO;
    kontor::demo::load(&mut db.conn(), &settings.billing(), crate::support::now()).unwrap();
    let run = crate::support::invoicing::Run {
        month: crate::support::now().format("%Y-%m").to_string().parse().unwrap(),
        ..crate::support::invoicing::Run::december()
    };
    crate::support::invoicing::run_batch_as(&db, &settings, crate::support::now(), &run);
    let business: Vec<(String, Option<Vec<u8>>)> = documents::table
        .inner_join(invoices::table)
        .select((invoices::number, invoices::customer_snapshot, documents::xml))
        .load::<(String, serde_json::Value, Option<Vec<u8>>)>(&mut db.conn())
        .unwrap()
        .into_iter()
        .filter(|(_, snapshot, _)| snapshot["vat_id"] == "DE811569869")
        .map(|(number, _, xml)| (number, xml))
        .collect();
    assert!(!business.is_empty(), "the business customer was invoiced");
    let dir = scratch("facturx-demo");
    for (number, xml) in business {
        let xml = xml.unwrap_or_else(|| panic!("{number} went out without its XML"));
        assert_valid_en16931(&dir, &number, &xml);
        let text = String::from_utf8(xml).unwrap();
        assert!(text.contains("<ram:Name>Müller Webdesign GmbH</ram:Name>"), "{text}");
        assert!(text.contains("<ram:ID schemeID=\"VA\">DE811569869</ram:ID>"), "{text}");
    }
    assert_eq!(
        crate::support::count(
            &db,
            "SELECT count(*) AS n FROM documents d JOIN invoices i ON i.id = d.invoice_id
              WHERE d.xml IS NOT NULL AND i.customer_snapshot->>'vat_id' IS NULL"
        ),
        0,
        "the demo's consumers get plain PDFs"
    );
}

#[test]
fn the_customer_downloads_the_xrechnung_of_an_e_invoice_only() {
    let db = crate::support::TestDb::new();
    crate::support::invoicing::seed(&db, 2);
    let (alice, bob) = (
        crate::support::count(&db, "SELECT min(id) AS n FROM customers"),
        crate::support::count(&db, "SELECT max(id) AS n FROM customers"),
    );
    diesel::sql_query(format!("UPDATE customers SET wants_e_invoice = (id = {alice}), vat_id = NULL"))
        .execute(&mut db.conn())
        .unwrap();
    let settings = kontor::config::Settings::from_lookup(|key| {
        (key == "KONTOR_FACTURX_THRESHOLD_EUR").then(|| "0".to_owned())
    })
    .unwrap();
    bill(&db, &settings);
    let number_of = |customer: i64| -> String {
        invoices::table
            .filter(invoices::customer_id.eq(customer))
            .select(invoices::number)
            .first(&mut db.conn())
            .unwrap()
    };
    let (e_invoice, plain) = (number_of(alice), number_of(bob));
    let server = crate::support::TestServer::start(&db);
    let mut browser = server.browser();
    browser.sign_in_as(&db, user_of(&db, alice));
    let page = browser.get(&format!("/account/invoices/{e_invoice}"));
    assert!(
        page.body.contains(&format!("/account/invoices/{e_invoice}/xrechnung.xml")),
        "the page offers it"
    );
    for _ in 0..2 {
        let xml = browser.get(&format!("/account/invoices/{e_invoice}/xrechnung.xml"));
        assert_eq!(xml.status, 200);
        assert!(xml.body.contains("urn:xeinkauf.de:kosit:xrechnung_3.0"), "{}", xml.body);
        assert!(xml.body.contains(&format!("<ram:ID>{e_invoice}</ram:ID>")));
    }
    // Someone else's invoice is not found, whether it is an e-invoice or not.
    assert_eq!(browser.get(&format!("/account/invoices/{plain}/xrechnung.xml")).status, 404);
    let mut other = server.browser();
    other.sign_in_as(&db, user_of(&db, bob));
    assert_eq!(other.get(&format!("/account/invoices/{e_invoice}/xrechnung.xml")).status, 404);
    assert_eq!(
        other.get(&format!("/account/invoices/{plain}/xrechnung.xml")).status,
        404,
        "a plain PDF has none"
    );
    let page = other.get(&format!("/account/invoices/{plain}"));
    assert!(!page.body.contains("xrechnung.xml"), "no link where there is nothing to download");
}

fn user_of(db: &crate::support::TestDb, customer: i64) -> kontor::ids::UserId {
    kontor::ids::UserId(crate::support::count(
        db,
        &format!(
            "INSERT INTO users (email, role, customer_id, language, email_verified_at)
             SELECT email, 'customer', id, language, now() FROM customers WHERE id = {customer}
             RETURNING id AS n"
        ),
    ))
}

#[test]
fn a_customer_without_a_vat_id_asks_for_e_invoices_and_the_next_invoice_carries_factur_x() {
    let db = crate::support::TestDb::new();
    crate::support::invoicing::seed(&db, 2);
    diesel::sql_query("UPDATE customers SET vat_id = NULL").execute(&mut db.conn()).unwrap();
    let customers: Vec<i64> = {
        use kontor::db::schema::customers;
        customers::table.order(customers::id).select(customers::id).load(&mut db.conn()).unwrap()
    };
    let (asking, other) = (customers[0], customers[1]);
    let server = crate::support::TestServer::start(&db);
    let mut browser = server.browser();
    browser.sign_in_as(&db, user_of(&db, asking));
    let form = browser.get("/account/settings");
    assert!(form.body.contains("name=\"wants_e_invoice\"") && !form.body.contains("value=\"yes\" checked"));
    let wants = || {
        crate::support::count(
            &db,
            &format!("SELECT count(*) AS n FROM customers WHERE id = {asking} AND wants_e_invoice"),
        )
    };

    // Not without the CSRF token, not with a value the checkbox never sends.
    assert_eq!(browser.post_without_csrf("/account/e-invoice", &[("wants_e_invoice", "yes")]).status, 403);
    assert_eq!(browser.post("/account/e-invoice", &[("wants_e_invoice", "please")]).status, 400);
    assert_eq!(wants(), 0);

    let saved = browser.submit("/account/e-invoice", &[("wants_e_invoice", "yes")]);
    let language: String = {
        use kontor::db::schema::customers;
        customers::table.find(asking).select(customers::language).first(&mut db.conn()).unwrap()
    };
    let told = kontor::i18n::t(&kontor::i18n::Lang::supported(&language).unwrap(), "settings-e-invoice-on");
    assert!(saved.body.contains(&told), "{told}: {}", saved.body);
    assert!(saved.body.contains("value=\"yes\" checked"), "the box shows what was saved");
    assert!(browser.reload_result().body.contains("value=\"yes\" checked"));
    assert_eq!(wants(), 1);
    let audited = "SELECT count(*) AS n FROM audit_log WHERE action = 'profile.e_invoice'";
    assert_eq!(crate::support::count(&db, audited), 1, "a reload records nothing more");

    // The next invoice, with the default threshold (its few euros are far below it).
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    bill(&db, &settings);
    let xml_of = |customer: i64| -> Vec<(String, Vec<u8>, Option<Vec<u8>>)> {
        documents::table
            .inner_join(invoices::table)
            .filter(invoices::customer_id.eq(customer))
            .select((invoices::number, documents::content, documents::xml))
            .load(&mut db.conn())
            .unwrap()
    };
    let asked = xml_of(asking);
    assert!(!asked.is_empty());
    let dir = scratch("facturx-on-request");
    for (number, pdf, xml) in asked {
        let xml = xml.unwrap_or_else(|| panic!("{number} has no XML"));
        let file = dir.join(format!("{number}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        assert_eq!(attachment_of(&file, "factur-x.xml"), xml, "{number} carries factur-x.xml");
    }
    assert!(xml_of(other).iter().all(|(_, _, xml)| xml.is_none()), "who did not ask gets plain PDFs");

    // Unticked: the next invoices are plain again.
    browser.submit("/account/e-invoice", &[]);
    assert_eq!(wants(), 0);
}
