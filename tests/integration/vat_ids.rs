//! EU VAT IDs checked against VIES (a fake VIES on loopback): at sign-up, when a customer
//! changes theirs, and by `kontor vat check-ids`; reverse charge only while the latest check of
//! the VAT ID on file is valid.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use kontor::tax::vies::fake::Known;

use crate::support::accounts::{PASSWORD, mailed_link, signup_fields};
use crate::support::invoicing::run_batch;
use crate::support::vies::{AUSTRIAN_INVALID, AUSTRIAN_VALID, confirmed, env, fake};
use crate::support::{Browser, NOW, SELLER, TestDb, TestServer, count, kontor_command, now};

/// Another Austrian company the fake knows, until a test says it was deregistered.
const AUSTRIAN_OTHER: &str = "ATU12345675";

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct Check {
    #[diesel(sql_type = Text)]
    vat_id: String,
    #[diesel(sql_type = Text)]
    result: String,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    request_identifier: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    reason: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    checked_at: DateTime<Utc>,
}

/// The checks kept for `customer`, oldest first.
fn checks(db: &TestDb, customer: i64) -> Vec<Check> {
    diesel::sql_query(
        "SELECT vat_id, result, name, request_identifier, reason, checked_at FROM vat_id_checks
          WHERE customer_id = $1 ORDER BY id",
    )
    .bind::<BigInt, _>(customer)
    .load(&mut db.conn())
    .unwrap()
}

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct Invoiced {
    #[diesel(sql_type = Text)]
    treatment: String,
    /// Some VAT of ours on it.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    vat: bool,
}

/// How `customer`'s invoice for the period starting `from` was taxed: treatment and VAT.
fn invoiced(db: &TestDb, customer: i64, from: &str) -> Invoiced {
    diesel::sql_query(
        "SELECT vat_treatment AS treatment, vat > 0 AS vat FROM invoices
          WHERE customer_id = $1 AND service_from = $2::date AND credited_invoice_id IS NULL",
    )
    .bind::<BigInt, _>(customer)
    .bind::<Text, _>(from)
    .get_result(&mut db.conn())
    .unwrap_or_else(|e| panic!("an invoice of customer {customer} from {from}: {e}"))
}

fn customer_of(db: &TestDb, email: &str) -> i64 {
    count(db, &format!("SELECT customer_id AS n FROM users WHERE email = '{email}'"))
}

/// A server asking the fake, as the seller of the tests (whose VAT ID goes along as requester).
fn server_with(db: &TestDb, fake: &kontor::tax::vies::fake::FakeVies) -> TestServer {
    let mut extra: Vec<(&str, String)> = env(fake);
    extra.extend(SELLER.iter().map(|(k, v)| (*k, (*v).to_owned())));
    TestServer::start_with(db, &extra)
}

/// An Austrian business signed up with `vat_id`, verified and signed in, reading German.
fn business_signs_up(server: &TestServer, db: &TestDb, email: &str, vat_id: &str) -> Browser {
    let mut browser = server.browser();
    let mut fields = signup_fields(email, "Lukas Gruber", "de");
    fields.retain(|(key, _)| *key != "country");
    fields.extend([("country", "AT"), ("company_name", "Gruber Hosting GmbH"), ("vat_id", vat_id)]);
    let response = browser.submit("/signup", &fields);
    assert_eq!(response.status, 200, "{}", response.body);
    let link = mailed_link(server, db, email, "/verify");
    assert_eq!(browser.get(&link).status, 200);
    let response = browser.post("/login", &[("email", email), ("password", PASSWORD)]);
    assert_eq!(response.status, 303, "{}", response.body);
    browser
}

fn check_ids(db: &TestDb, vies_url: &str, args: &[&str], at: &str) -> String {
    let output = kontor_command()
        .env("DATABASE_URL", db.url())
        .env("KONTOR_VIES_URL", vies_url)
        .env("KONTOR_NOW", at)
        .args(["vat", "check-ids"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[test]
fn a_valid_austrian_vat_id_at_sign_up_is_confirmed_and_reverse_charged() {
    let db = TestDb::new();
    let vies = fake();
    let server = server_with(&db, &vies);
    let mut lukas = business_signs_up(&server, &db, "lukas@firma.at", "ATU 1358 5627");
    let customer = customer_of(&db, "lukas@firma.at");

    assert_eq!(vies.checks(), [AUSTRIAN_VALID], "one check, in VIES's own form");
    let kept = checks(&db, customer);
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].vat_id.as_str(), kept[0].result.as_str()), (AUSTRIAN_VALID, "valid"));
    assert_eq!(kept[0].name.as_deref(), Some("Gruber Hosting GmbH"));
    assert!(
        kept[0].request_identifier.as_deref().is_some_and(|id| id.starts_with("WAPIFAKE")),
        "asked as the seller, VIES gives a consultation number: {:?}",
        kept[0].request_identifier
    );
    assert_eq!(kept[0].checked_at, now());
    let settings = lukas.get("/account/settings").body;
    assert!(
        settings.contains("hat ATU13585627 am") && settings.contains("als gültig bestätigt"),
        "{settings}"
    );

    assert_eq!(lukas.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    run_batch(&db, "2026-12", now());
    assert_eq!(
        invoiced(&db, customer, "2026-12-05"),
        Invoiced { treatment: "reverse_charge".to_owned(), vat: false }
    );
}

#[test]
fn an_invalid_vat_id_is_charged_destination_vat_and_the_settings_page_says_so() {
    let db = TestDb::new();
    let vies = fake();
    let server = server_with(&db, &vies);
    let mut firm = business_signs_up(&server, &db, "office@falsch.at", AUSTRIAN_INVALID);
    let customer = customer_of(&db, "office@falsch.at");

    let kept = checks(&db, customer);
    assert_eq!(kept.iter().map(|c| c.result.as_str()).collect::<Vec<_>>(), ["invalid"]);
    let body = firm.get("/account/settings").body;
    assert!(body.contains("ist ATU10223006 nicht gültig"), "told in German: {body}");
    assert!(body.contains("role=\"alert\""), "and noticeably");

    assert_eq!(firm.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    run_batch(&db, "2026-12", now());
    // Like a consumer in Austria: Austrian VAT through the One-Stop Shop.
    assert_eq!(invoiced(&db, customer, "2026-12-05"), Invoiced { treatment: "oss".to_owned(), vat: true });
}

#[test]
fn an_unanswered_check_lets_sign_up_through_and_check_ids_confirms_it_later() {
    let db = TestDb::new();
    let vies = fake();
    vies.set_unavailable(true);
    let server = server_with(&db, &vies);
    let mut lukas = business_signs_up(&server, &db, "lukas@firma.at", AUSTRIAN_VALID);
    let customer = customer_of(&db, "lukas@firma.at");
    let kept = checks(&db, customer);
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].result.as_str(), kept[0].reason.as_deref()), ("unavailable", Some("MS_UNAVAILABLE")));
    let body = lukas.get("/account/settings").body;
    assert!(body.contains("ATU13585627 konnte noch nicht"), "{body}");
    assert_eq!(lukas.post("/account/subscription/start", &[("mode", "paid")]).status, 303);

    // VIES is back; the due re-check waits an hour after an unanswered check, then asks again.
    vies.set_unavailable(false);
    let at_once = check_ids(&db, &vies.url, &["--before-quarter"], NOW);
    assert!(at_once.contains("0 VAT ID(s) checked"), "{at_once}");
    let later = (now() + Duration::hours(2)).to_rfc3339();
    let output = check_ids(&db, &vies.url, &["--before-quarter"], &later);
    assert!(output.contains(&format!("[1/1] customer {customer} ATU13585627: valid")), "{output}");
    assert!(output.contains("1 VAT ID(s) checked: 1 valid, 0 invalid, 0 unavailable"), "{output}");
    assert_eq!(checks(&db, customer).last().map(|c| c.result.as_str()), Some("valid"));

    run_batch(&db, "2026-12", now());
    assert_eq!(invoiced(&db, customer, "2026-12-05").treatment, "reverse_charge");
}

#[test]
fn changing_the_vat_id_in_the_settings_checks_the_new_one_only() {
    let db = TestDb::new();
    let vies = fake();
    let server = server_with(&db, &vies);
    let mut browser =
        crate::support::accounts::signed_up_in(&server, &db, "anna@firma.at", "Anna Berg", "AT", "en");
    let customer = customer_of(&db, "anna@firma.at");
    assert!(vies.checks().is_empty(), "no VAT ID, nothing to check");
    let form = |vat_id: &'static str, city: &'static str| {
        vec![
            ("name", "Anna Berg"),
            ("company_name", "Berg KG"),
            ("vat_id", vat_id),
            ("street", "Hauptstraße 1"),
            ("postal_code", "1010"),
            ("city", city),
            ("language", "en"),
        ]
    };

    let saved = browser.submit("/account/settings", &form(AUSTRIAN_VALID, "Wien"));
    assert_eq!(saved.status, 200);
    assert_eq!(vies.checks(), [AUSTRIAN_VALID]);
    assert!(saved.body.contains("confirmed ATU13585627 as valid"), "{}", saved.body);

    // Saving other details keeps the VAT ID and asks VIES nothing.
    assert_eq!(browser.submit("/account/settings", &form(AUSTRIAN_VALID, "Graz")).status, 200);
    assert_eq!(vies.checks().len(), 1);

    let changed = browser.submit("/account/settings", &form(AUSTRIAN_INVALID, "Graz"));
    assert_eq!(vies.checks(), [AUSTRIAN_VALID, AUSTRIAN_INVALID]);
    assert!(changed.body.contains("reports ATU10223006 as not valid"), "{}", changed.body);
    // A refused form with another VAT ID typed asks nothing and says nothing of VIES's answer
    // about the one on file.
    let mut refused = form(AUSTRIAN_VALID, "Graz");
    refused[0].1 = "";
    let page = browser.post("/account/settings", &refused);
    assert_eq!(page.status, 422, "what to correct, nothing changed");
    assert!(
        page.body.contains("value=\"ATU13585627\"") && !page.body.contains("id=\"vat-check\""),
        "{}",
        page.body
    );
    assert_eq!(vies.checks().len(), 2);
    let results: Vec<(String, String)> =
        checks(&db, customer).into_iter().map(|c| (c.vat_id, c.result)).collect();
    assert_eq!(
        results,
        [
            (AUSTRIAN_VALID.to_owned(), "valid".to_owned()),
            (AUSTRIAN_INVALID.to_owned(), "invalid".to_owned())
        ]
    );
}

#[test]
fn check_ids_rechecks_every_business_and_a_deregistered_id_loses_reverse_charge() {
    let db = TestDb::new();
    let vies = fake();
    vies.set(AUSTRIAN_OTHER, Known::Valid { name: "Huber OG".to_owned(), address: "Linz".to_owned() });
    let billing = crate::support::seller_settings().billing();
    let mut conn = db.conn();
    let customer = |email, country, currency, vat_id| {
        crate::support::subscriptions::customer(&mut db.conn(), email, country, currency, vat_id)
    };
    let gruber = customer("gruber@x.example", "AT", "EUR", Some(AUSTRIAN_VALID));
    let huber = customer("huber@x.example", "AT", "EUR", Some(AUSTRIAN_OTHER));
    let consumer = customer("private@x.example", "AT", "EUR", None);
    let swiss = customer("swiss@x.example", "CH", "CHF", Some("CHE-100.155.212 MWST"));
    for user in [&gruber, &huber, &consumer, &swiss] {
        kontor::subscriptions::trial::start(
            &mut conn,
            &billing,
            user,
            kontor::subscriptions::trial::Start::Paid,
            None,
            "192.0.2.1",
            now(),
        )
        .unwrap();
    }
    let (gruber, huber) = (gruber.customer_id.unwrap().0, huber.customer_id.unwrap().0);

    let first = check_ids(&db, &vies.url, &[], NOW);
    assert!(first.contains("2 VAT ID(s) checked: 2 valid, 0 invalid, 0 unavailable"), "{first}");
    assert!(first.contains("[1/2]") && first.contains("[2/2]"), "progress per check: {first}");
    assert_eq!(vies.checks().len(), 2, "VIES knows no Swiss numbers, and a consumer has none");
    run_batch(&db, "2026-12", now());
    assert_eq!(invoiced(&db, gruber, "2026-12-05").treatment, "reverse_charge");
    assert_eq!(invoiced(&db, huber, "2026-12-05").treatment, "reverse_charge");

    // Huber OG is deregistered; the re-check in the last days of the quarter finds out (before
    // them, nobody is due: both were checked since the last quarter's re-check).
    vies.set(AUSTRIAN_OTHER, Known::Invalid);
    let early = check_ids(&db, &vies.url, &["--before-quarter"], NOW);
    assert!(early.contains("0 VAT ID(s) checked"), "{early}");
    let second = check_ids(&db, &vies.url, &["--before-quarter"], "2026-12-30T09:00:00Z");
    assert!(second.contains("2 VAT ID(s) checked: 1 valid, 1 invalid"), "{second}");
    assert!(second.contains(&format!("customer {huber} ATU12345675: invalid")), "{second}");
    assert!(second.contains(&format!("customer {gruber} ATU13585627: valid")), "{second}");
    let january = "2027-01-05T09:00:00Z".parse::<DateTime<Utc>>().unwrap();
    run_batch(&db, "2027-01", january);
    assert_eq!(invoiced(&db, gruber, "2027-01-05").treatment, "reverse_charge");
    let lost = invoiced(&db, huber, "2027-01-05");
    assert_eq!(lost, Invoiced { treatment: "oss".to_owned(), vat: true }, "charged like a consumer now");
}

#[test]
fn a_business_created_in_the_database_is_reverse_charged_only_with_a_valid_check() {
    let db = TestDb::new();
    let billing = crate::support::seller_settings().billing();
    let mut conn = db.conn();
    let user =
        crate::support::subscriptions::customer(&mut conn, "b@x.example", "AT", "EUR", Some(AUSTRIAN_VALID));
    let id = user.customer_id.unwrap();
    let rate = |conn: &mut PgConnection| {
        kontor::subscriptions::changes::vat_for(conn, &billing, id, now().date_naive()).unwrap()
    };
    assert_eq!(rate(&mut conn).1, None, "never checked: Austrian VAT, no reverse-charge note");
    confirmed(&mut conn, id.0, AUSTRIAN_VALID);
    assert_eq!(rate(&mut conn), (rust_decimal::Decimal::ZERO, Some("vat-note-reverse-charge")));
}

#[test]
fn vat_ids_on_file_are_checked_as_written_and_one_of_wrong_form_is_not_asked_about() {
    let db = TestDb::new();
    let vies = fake();
    let customer = |email, vat_id| {
        crate::support::subscriptions::customer(&mut db.conn(), email, "AT", "EUR", Some(vat_id))
            .customer_id
            .unwrap()
            .0
    };
    // Written by hand, not as sign-up writes it; and one whose check digit is wrong.
    let spaced = customer("spaced@x.example", "atu 1358 5627");
    let broken = customer("broken@x.example", "ATU13585626");

    let output = check_ids(&db, &vies.url, &["--before-quarter"], NOW);
    assert!(output.contains("1 VAT ID(s) checked: 1 valid"), "{output}");
    assert_eq!(vies.checks(), [AUSTRIAN_VALID], "only the one of valid form, in VIES's form");
    let spaced_checks = checks(&db, spaced);
    assert_eq!(
        (spaced_checks[0].vat_id.as_str(), spaced_checks[0].result.as_str()),
        ("atu 1358 5627", "valid")
    );
    let broken_checks = checks(&db, broken);
    assert_eq!(broken_checks.len(), 1);
    assert_eq!(broken_checks[0].result, "invalid");
    assert_eq!(broken_checks[0].reason.as_deref(), Some(kontor::tax::vies::recheck::NOT_A_VAT_ID));

    // Both have their standing now: nobody is due again, and VIES is not asked.
    let again = check_ids(&db, &vies.url, &["--before-quarter"], NOW);
    assert!(again.contains("0 VAT ID(s) checked"), "{again}");
    assert_eq!(vies.checks().len(), 1);
    let billing = crate::support::seller_settings().billing();
    let vat = |id| {
        kontor::subscriptions::changes::vat_for(
            &mut db.conn(),
            &billing,
            kontor::ids::CustomerId(id),
            now().date_naive(),
        )
        .unwrap()
        .1
    };
    assert_eq!(vat(spaced), Some("vat-note-reverse-charge"));
    assert_eq!(vat(broken), None);
}
