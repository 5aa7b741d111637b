//! The portal in a real browser (headless Chromium, see `support::browser`): what only a
//! browser shows, such as the Content-Security-Policy refusing a redirect, and what people do
//! with one: click twice, go back, reload a result page. Few and whole journeys; each asserts
//! that a reload changed nothing.

use chrono::Duration;
use diesel::prelude::*;
use kontor::db::schema::{invoices, users};

use crate::support::browser::Chromium;
use crate::support::paypal::World;
use crate::support::{TestDb, TestServer, count};

const PASSWORD: &str = "correct horse battery staple";

/// A portal user with a password for one of the seeded customers.
fn customer_user(db: &TestDb, customer: i64, email: &str) {
    let password = kontor::accounts::password::Password::parse(PASSWORD, &[]).unwrap();
    let hash = kontor::accounts::password::hash(&password).unwrap();
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::password_hash.eq(hash.as_str()),
            users::role.eq("customer"),
            users::customer_id.eq(customer),
            users::language.eq("en"),
            users::email_verified_at.eq(crate::support::now()),
        ))
        .execute(&mut db.conn())
        .unwrap();
}

/// Signs in through the form; `submit` is the button's text in the page's language (the
/// menu has a link with the same words, hence the form as scope).
fn sign_in(chromium: &Chromium, email: &str, submit: &str) {
    chromium.goto("/login");
    chromium.fill_all(&[("email", email), ("password", PASSWORD)]);
    chromium.click_in("form[action=\"/login\"]", submit);
    chromium.wait_for_url("/account");
}

/// The order id in an approval page's address (`.../checkoutnow?token=<order>`).
fn order_of(path: &str) -> String {
    url::Url::parse(path)
        .ok()
        .and_then(|url| url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()))
        .unwrap_or_else(|| panic!("no order token in {path}"))
}

#[test]
fn paypal_in_chromium_reaches_the_approval_page_reuses_its_order_and_books_once() {
    let world = World::new(12, 10);
    let Some(chromium) = world.server.chromium() else { return };
    let (invoice, number, customer, due) = world.invoice_in("EUR", 0);
    customer_user(&world.db, customer, "payer@example.com");
    sign_in(&chromium, "payer@example.com", "Sign in");
    let creations = || {
        world.fake.requests().iter().filter(|r| r.method == "POST" && r.path == "/v2/checkout/orders").count()
    };
    let invoice_page = format!("/account/invoices/{number}");
    let approval = format!("{}/checkoutnow?token=", world.fake.url);
    let before = world.books();

    // The click leaves the portal for PayPal's approval page (the CSP lets exactly it through).
    chromium.goto(&invoice_page);
    chromium.click("Pay with PayPal");
    let first = chromium.wait_for_url(&approval);
    chromium.wait_for_text("Fake PayPal");
    let order = order_of(&first);

    // Back, and a second click: the same order, not a second one at PayPal.
    chromium.goto(&invoice_page);
    chromium.click("Pay with PayPal");
    let second = chromium.wait_for_url(&approval);
    assert_eq!(order_of(&second), order, "the second click goes to the same order");
    assert_eq!(creations(), 1, "PayPal was asked for one order");

    // Cancel at PayPal: back on the invoice, nothing booked, and a reload books nothing either.
    chromium.click("Cancel and return to the shop");
    chromium.wait_for_url("/paypal/cancel?token=");
    chromium.wait_for_text("You cancelled the payment at PayPal");
    chromium.reload();
    let page = chromium.wait_for_text("You cancelled the payment at PayPal");
    assert!(page.contains(&number), "{page}");
    assert_eq!(world.books(), before, "nothing booked after cancelling");
    assert_eq!(world.open(invoice), due);

    // Paying after all: still the same order; "Pay now" brings the payer back with the receipt.
    chromium.click("Pay with PayPal");
    assert_eq!(order_of(&chromium.wait_for_url(&approval)), order);
    chromium.click("Pay now");
    chromium.wait_for_url("/paypal/return?token=");
    chromium.wait_for_text("has been received and this invoice is paid");
    assert_eq!(creations(), 1, "one order from the first click to the payment");
    assert_eq!(world.open(invoice), rust_decimal::Decimal::ZERO, "paid");
    let paid = world.books();
    assert_eq!(paid[1], before[1] + 1, "one receipt");
    assert_eq!(paid[0], before[0] + 1, "one journal entry");

    // Reloading the return page captures nothing twice and books nothing twice.
    chromium.reload();
    chromium.wait_for_text("This PayPal payment has already been received");
    assert_eq!(world.books(), paid);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_captures"), 1);
    assert_eq!(world.fake.requests().iter().filter(|r| r.path.ends_with("/capture")).count(), 1);
    // Paid: the button is gone.
    chromium.goto(&invoice_page);
    assert!(!chromium.html().contains(&format!("{invoice_page}/paypal")), "{}", chromium.text());
    world.healthy();
}

#[test]
fn a_visitor_signs_up_in_german_and_downloads_the_first_invoice() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    let email = "erika@example.de";
    let users = || count(&db, "SELECT count(*) AS n FROM users");
    let customers = || count(&db, "SELECT count(*) AS n FROM customers");

    // Sign-up, in German.
    chromium.goto("/");
    chromium.click_css("nav.languages a[hreflang=\"de\"]");
    chromium.click("Registrieren");
    chromium.wait_for_url("/signup");
    chromium.fill_all(&[
        ("email", email),
        ("password", PASSWORD),
        ("name", "Erika Mustermann"),
        ("street", "Heidestraße 17"),
        ("postal_code", "51147"),
        ("city", "Köln"),
        ("country", "DE"),
        ("language", "de"),
    ]);
    chromium.click_in("main", "Konto erstellen");
    chromium.wait_for_text("Bitte prüfen Sie Ihren Posteingang");
    let link = crate::support::accounts::mailed_link(&server, &db, email, "/verify");
    // Reloading the result (the form is sent again until it answers with a redirect) makes no
    // second account.
    chromium.reload();
    chromium.wait_for_text("Bitte prüfen Sie Ihren Posteingang");
    assert_eq!((users(), customers()), (1, 1), "one account");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'verify:%'"), 1);

    // The link from the email.
    chromium.goto(&link);
    chromium.wait_for_text("Vielen Dank! Ihre E-Mail-Adresse ist bestätigt.");
    let verified_at = || {
        users::table
            .select(users::email_verified_at)
            .first::<Option<chrono::DateTime<chrono::Utc>>>(&mut db.conn())
    };
    let verified = verified_at().unwrap();
    assert!(verified.is_some());
    // The link works once: a reload says so (or confirms again), and verifies nothing twice.
    chromium.reload();
    let again = chromium.text();
    assert!(again.contains("ist bestätigt"), "{again}");
    assert_eq!(verified_at().unwrap(), verified, "verified once");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'email.verified'"), 1);

    // Signed in, the free month starts; a reload of the dashboard starts nothing more.
    sign_in(&chromium, email, "Anmelden");
    chromium.click_in("main", "Kostenlosen Monat starten");
    chromium.wait_for_url("/account");
    chromium.wait_for_text("Ihr kostenloser Monat endet in");
    chromium.reload();
    chromium.wait_for_text("Ihr kostenloser Monat endet in");
    let trials = || count(&db, "SELECT count(*) AS n FROM provisioning_events WHERE kind = 'trial_started'");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscriptions"), 1);
    assert_eq!(trials(), 1);

    // The free month ends; the jobs run as the command line runs them.
    let clock = &server.settings.clock;
    clock.advance(Duration::days(31));
    let report =
        kontor::subscriptions::advance::advance(&mut db.conn(), &server.settings.billing(), clock.now())
            .unwrap();
    assert_eq!(report.trials_converted, 1);
    let options = kontor::invoicing::batch::RunOptions {
        month: kontor::invoicing::BillingMonth::containing(clock.today()),
        catch_up: false,
        workers: 1,
        chunk_size: 100,
        dry_run: false,
        lock_wait: kontor::invoicing::batch::LOCK_WAIT,
    };
    let summary = kontor::jobs::billing::run_configured(
        &server.settings,
        &db.pool(),
        &options,
        &kontor::invoicing::progress::Reporter::Silent,
    )
    .unwrap();
    assert_eq!((summary.issued, summary.failed.len()), (1, 0), "{summary:?}");
    let number: String = invoices::table.select(invoices::number).first(&mut db.conn()).unwrap();

    // A month later the session has lapsed: the customer signs in again and finds the invoice
    // under "Rechnungen", its page (reloaded), and its PDF.
    sign_in(&chromium, email, "Anmelden");
    chromium.click_in("main", "Rechnungen");
    chromium.wait_for_url("/account/invoices");
    chromium.click(&number);
    chromium.wait_for_url(&format!("/account/invoices/{number}"));
    chromium.wait_for_text(&format!("Rechnung {number}"));
    chromium.reload();
    chromium.wait_for_text(&format!("Rechnung {number}"));
    let pdf_link = chromium.link("PDF herunterladen");
    let (response, pdf) = chromium.http().get_bytes(&pdf_link);
    assert_eq!(response.status, 200, "{}", response.head);
    assert!(pdf.starts_with(b"%PDF"), "{}", response.head);
    let dir = crate::support::scratch_dir("browser-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let text = crate::support::documents::pdf_text(&dir, "first", &pdf);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(text.contains(&number), "{text}");

    assert_eq!((users(), customers()), (1, 1));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscriptions"), 1);
    assert_eq!(trials(), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), 1, "one invoice");
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

/// A staff member signed in through the pages in Chromium: the set-password link, the sign-in
/// form, the authenticator set-up with a code computed from the secret the page shows.
pub(crate) fn staff_in_chromium(
    chromium: &Chromium,
    server: &TestServer,
    db: &TestDb,
    email: &str,
    role: kontor::accounts::Role,
) {
    let address = kontor::accounts::email::EmailAddress::parse(email).unwrap();
    let (_, link) = db
        .conn()
        .transaction(|c| {
            kontor::accounts::staff::create_staff(
                c,
                &server.settings.site(),
                &address,
                role,
                crate::support::now(),
            )
        })
        .unwrap();
    chromium.goto(&link[link.find("/password/set").unwrap()..]);
    chromium.fill("password", PASSWORD);
    chromium.click_in("main", "Save new password");
    chromium.wait_for_url("/login");
    chromium.fill_all(&[("email", email), ("password", PASSWORD)]);
    chromium.click_in("form[action=\"/login\"]", "Sign in");
    chromium.wait_for_url("/backoffice/2fa/enrol");
    let html = chromium.html();
    let start = html.find("class=\"secret\">").unwrap() + "class=\"secret\">".len();
    let secret = kontor::accounts::totp::TotpSecret::from_base32(&html[start..start + 32]).unwrap();
    let code = kontor::accounts::totp::code_at(&secret, server.settings.clock.now().timestamp() as u64);
    chromium.fill("code", &code);
    chromium.click_in("main", "Confirm");
    chromium.wait_for_text("recovery codes");
}

#[test]
fn finance_refunds_and_credits_in_chromium_and_reloading_the_results_repeats_nothing() {
    let world = World::new(12, 10);
    let Some(chromium) = world.server.chromium() else { return };
    let (_, number, customer, _) = world.invoice_in("EUR", 0);
    let mut payer = world.customer(customer);
    let (_, capture) = world.pay(&mut payer, &number);
    staff_in_chromium(
        &chromium,
        &world.server,
        &world.db,
        "fin@kontor.example",
        kontor::accounts::Role::Finance,
    );
    let refund_calls = || world.fake.requests().iter().filter(|r| r.path.ends_with("/refund")).count();

    // A partial refund; F5 on its result page changes nothing at PayPal or in the books.
    chromium.goto("/backoffice/paypal");
    chromium.wait_for_text(&capture);
    chromium.fill("amount", "0.40");
    chromium.click_in("main", "Refund");
    chromium.wait_for_text("has been refunded");
    let books = world.books();
    chromium.reload();
    chromium.wait_for_text("has been refunded");
    assert_eq!(refund_calls(), 1, "PayPal was asked once");
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_refunds"), 1);
    assert_eq!(world.books(), books, "nothing booked twice");

    // A credit note on another invoice; F5 issues no second (gapless, immutable) one.
    let (_, other, _, _) = world.invoice_in("EUR", 1);
    chromium.goto(&format!("/backoffice/invoices/{other}"));
    chromium.fill("reason", "Goodwill after a support call");
    chromium.click_in("main", "Issue credit note");
    chromium.wait_for_text("has been issued");
    let credit_notes = world.n("SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'");
    chromium.reload();
    chromium.wait_for_text("has been issued");
    assert_eq!(world.n("SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'"), credit_notes);
    world.healthy();
}

#[test]
fn a_customer_adds_storage_in_chromium_and_reloading_the_result_adds_nothing() {
    let world = World::new(12, 10);
    let Some(chromium) = world.server.chromium() else { return };
    let (_, _, customer, _) = world.invoice_in("EUR", 0);
    customer_user(&world.db, customer, "packer@example.com");
    sign_in(&chromium, "packer@example.com", "Sign in");
    let packs =
        || world.n(&format!("SELECT count(*) AS n FROM subscription_packs WHERE customer_id = {customer}"));
    let charges = || world.n("SELECT count(*) AS n FROM pending_charges");
    let (packs_before, charges_before) = (packs(), charges());
    chromium.goto("/account/storage");
    chromium.click_css("a[href=\"/account/storage/add?plan=storage_pack_10gb\"]");
    chromium.wait_for_url("/account/storage/add?plan=");
    chromium.click_in("main", "Add and pay on the next invoice");
    chromium.wait_for_text("will be on your next invoice");
    assert_eq!((packs(), charges()), (packs_before + 1, charges_before + 1), "the pack and its charge");
    chromium.reload();
    chromium.wait_for_text("will be on your next invoice");
    assert_eq!((packs(), charges()), (packs_before + 1, charges_before + 1), "still one pack, one charge");
}

#[test]
fn a_customer_changes_their_email_address_and_reloads_each_result() {
    let db = TestDb::new();
    crate::support::invoicing::seed(&db, 1);
    let customer: i64 = kontor::db::schema::customers::table
        .select(kontor::db::schema::customers::id)
        .first(&mut db.conn())
        .unwrap();
    let (old, new) = ("ines@example.com", "ines.neu@example.org");
    diesel::update(kontor::db::schema::customers::table.find(customer))
        .set(kontor::db::schema::customers::email.eq(old))
        .execute(&mut db.conn())
        .unwrap();
    customer_user(&db, customer, old);
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    let links = |purpose: &str| {
        count(&db, &format!("SELECT count(*) AS n FROM one_time_tokens WHERE purpose = '{purpose}'"))
    };
    sign_in(&chromium, old, "Sign in");

    // In the settings: the new address and the password; a link goes to the new address.
    chromium.goto("/account/settings");
    chromium.fill_all(&[("new_email", new), ("email_password", PASSWORD)]);
    chromium.click_in("form[action=\"/account/email\"]", "Change email address");
    chromium.wait_for_url("/account/settings?submission=");
    let sent = format!("We have sent a link to {new}");
    chromium.wait_for_text(&sent);
    chromium.reload();
    chromium.wait_for_text(&sent);
    assert_eq!(links("change_email"), 1, "a reload sends no second link");
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM users WHERE email = '{old}'")), 1, "not yet");

    // The link from the email asks first, then changes the address.
    let link = crate::support::accounts::mailed_link(&server, &db, new, "/email/confirm");
    chromium.goto(&link);
    chromium.wait_for_text(&format!("Sign in and receive your invoices at {new} from now on?"));
    chromium.click_in("main", "Confirm the new address");
    chromium.wait_for_url("/account/settings?submission=");
    let done = format!("Your email address is now {new}");
    chromium.wait_for_text(&done);
    chromium.reload();
    let page = chromium.wait_for_text(&done);
    assert!(page.contains(&format!("You sign in and receive your invoices at {new}")), "{page}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'email.changed'"), 1, "once");
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM users WHERE email = '{new}'")), 1);
    assert_eq!(links("restore_email"), 1, "the old address got its way back, once");
    // Signed in all along; the old address was told.
    let told = crate::support::accounts::delivered_mail(&server, &db, old);
    assert!(told.contains("i…@e….org"), "{told}");
}

#[test]
fn finance_filters_a_report_drills_down_from_the_ageing_and_reloads_each_page_in_chromium() {
    let db = TestDb::new();
    crate::reports::fixed_data_set(&db);
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    staff_in_chromium(&chromium, &server, &db, "fin@kontor.example", kontor::accounts::Role::Finance);
    chromium.goto("/backoffice");
    chromium.click_in("main", "Reports");
    chromium.wait_for_url("/backoffice/reports");
    chromium.click_in("main", "Receivables ageing");
    chromium.wait_for_url("/backoffice/reports/ar-ageing");
    chromium.fill("currency", "EUR");
    chromium.click_in("#report-filter", "Show");
    chromium.wait_for_url("currency=EUR");
    let page = chromium.wait_for_text("1–30 days");
    assert!(!page.contains("CHF"), "narrowed to EUR: {page}");
    assert!(chromium.html().contains("<svg"), "the chart is drawn without JavaScript");
    chromium.reload();
    chromium.wait_for_text("1–30 days");
    chromium.click_css("#figures a[href*='bucket=1-30']");
    chromium.wait_for_url("/backoffice/reports/ar-ageing/invoices");
    chromium.wait_for_text("2026-009202");
    chromium.reload();
    let page = chromium.wait_for_text("2026-009202");
    assert!(!page.contains("2026-009205"), "only the invoice 1-30 days overdue");
}

#[test]
fn a_customer_affected_by_an_outage_chooses_extra_storage_and_reloading_changes_nothing() {
    use chrono::TimeZone;
    let db = TestDb::new();
    assert_eq!(kontor::seed::customers(&mut db.conn(), 6, "2026-12".parse().unwrap()).unwrap(), 6);
    for sql in [
        "UPDATE subscriptions SET created_at = '2026-10-01T00:00:00Z', trial_ends_on = NULL, status = 'active'",
        "UPDATE placements SET placed_from = '2026-10-01T00:00:00Z'",
    ] {
        diesel::sql_query(sql).execute(&mut db.conn()).unwrap();
    }
    let customer = count(
        &db,
        "SELECT min(p.customer_id) AS n FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19'",
    );
    // fs19 down ten hours in November, resolved; extra storage offered until 20 December.
    let offer = kontor::incidents::incident::StorageOffer {
        deadline: chrono::Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).unwrap(),
        storage_gb: 50,
        months: 3,
    };
    let at = |day, hour| chrono::Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap();
    let incident = crate::support::incidents::outage(&db, at(3, 10), at(3, 20), Some(offer));
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    customer_user(&db, customer, "affected@example.com");
    sign_in(&chromium, "affected@example.com", "Sign in");
    chromium.goto("/account/incidents");
    chromium.wait_for_text("50 GB");
    assert!(
        chromium.html().contains(&format!("/account/incidents/{incident}/letter.pdf")),
        "the letter is linked"
    );
    choose_and_reload(&chromium, &db, incident, "storage", "Extra storage");
}

#[test]
fn the_status_page_shows_times_in_the_browser_s_time_zone_also_after_a_reload() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    // Opened at 07:00 UTC: 16:00 in Tokyo (no summer time there, whatever the date).
    crate::support::incidents::open_storage_incident(&db, &server.settings.site());
    let Some(chromium) = server.chromium_in_zone("Asia/Tokyo") else { return };
    chromium.goto("/status");
    let page = chromium.wait_for_text("16:00");
    assert!(page.contains("05/12/2026, 16:00"), "{page}");
    assert!(!page.contains("07:00 UTC"), "every time rewritten: {page}");
    assert!(page.contains("Times are in your browser's time zone."), "{page}");
    // The instant itself stays in the markup, and the server's words in the title.
    let html = chromium.html();
    assert!(html.contains("datetime=\"2026-12-05T07:00:00+00:00\""), "{html}");
    assert!(html.contains("title=\"05/12/2026 07:00 UTC\""), "{html}");
    chromium.reload();
    let again = chromium.wait_for_text("16:00");
    assert!(again.contains("05/12/2026, 16:00") && !again.contains("07:00 UTC"), "{again}");
}

#[test]
fn a_customer_offered_four_alternatives_chooses_the_free_month_and_reloading_changes_nothing() {
    use chrono::TimeZone;
    let db = TestDb::new();
    crate::compensation_alternatives::paying_customers(&db, 6);
    let customer = count(
        &db,
        "SELECT min(p.customer_id) AS n FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19'",
    );
    let at = |day, hour| chrono::Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap();
    let deadline = chrono::Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).unwrap();
    let offer = crate::compensation_alternatives::all_four(deadline);
    let incident = crate::support::incidents::outage_offering(&db, at(3, 10), at(3, 20), Some(offer));
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    customer_user(&db, customer, "four@example.com");
    sign_in(&chromium, "four@example.com", "Sign in");
    chromium.goto("/account/incidents");
    let page = chromium.wait_for_text("a free month");
    assert!(page.contains(crate::compensation_alternatives::CHARITY), "{page}");
    assert!(page.contains("(applies without a choice)"), "the default is marked: {page}");
    choose_and_reload(&chromium, &db, incident, "free_month", "Free month");
}

/// Chooses `option` on the customer's incidents page and saves; the choice is stored once,
/// and reloading the result page, twice, shows it (`label`) and stores nothing again.
fn choose_and_reload(chromium: &Chromium, db: &TestDb, incident: i64, option: &str, label: &str) {
    chromium.click_css(&format!("input[name=\"option\"][value=\"{option}\"]"));
    chromium.click_in(&format!("form[action=\"/account/incidents/{incident}/choice\"]"), "Save");
    chromium.wait_for_text("Your choice has been saved.");
    let chosen = || {
        count(
            db,
            &format!(
                "SELECT count(*) AS n FROM compensation_choices WHERE incident_id = {incident} AND option = '{option}'"
            ),
        )
    };
    assert_eq!(chosen(), 1);
    let shown = format!("Your choice: {label}");
    chromium.reload();
    chromium.wait_for_text(&shown);
    chromium.reload();
    assert!(chromium.text().contains(&shown), "{}", chromium.text());
    assert_eq!(count(db, "SELECT count(*) AS n FROM compensation_choices"), 1);
    assert_eq!(chosen(), 1);
}

#[test]
fn finance_exports_direct_debits_in_chromium_and_reloading_the_result_exports_nothing_more() {
    let db = crate::support::TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 4);
    for (_, customer, _, currency) in &invoices {
        if currency == "EUR" {
            crate::support::sepa::mandate(&db, *customer, "DE89370400440532013000").unwrap();
        }
    }
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    staff_in_chromium(&chromium, &server, &db, "fin@kontor.example", kontor::accounts::Role::Finance);
    let exports = || crate::support::count(&db, "SELECT count(*) AS n FROM direct_debit_exports");

    chromium.goto("/backoffice/direct-debits?collection_date=2026-12-15");
    chromium.wait_for_text("To be collected on 2026-12-15");
    chromium.reload();
    chromium.wait_for_text("To be collected on 2026-12-15");
    chromium.click_in("main", "Write the pain.008.001.08 file");
    chromium.wait_for_text("3 debits were exported");
    chromium.reload();
    chromium.wait_for_text("3 debits were exported");
    assert_eq!(exports(), 1, "a reload of the result exports nothing more");
    assert_eq!(crate::support::count(&db, "SELECT count(*) AS n FROM direct_debit_collections"), 3);

    // The download link, with the browser's session: the same bytes each time.
    let link = chromium.link("Download");
    let mut http = chromium.http();
    let (first, bytes) = http.get_bytes(&link);
    assert_eq!(first.status, 200);
    assert!(String::from_utf8_lossy(&bytes).contains("pain.008.001.08"));
    assert_eq!(http.get_bytes(&link).1, bytes);
    chromium.reload();
    chromium.wait_for_text("3 debits were exported");
    assert_eq!(exports(), 1);
}

#[test]
fn finance_approves_a_refund_writes_the_payout_file_in_chromium_and_reloads_change_nothing() {
    let db = crate::support::TestDb::new();
    crate::support::bank::open_eur_invoices(&db);
    let (_, payout, _) = crate::support::payouts::queue_refund(
        &db,
        "REF-CHROMIUM",
        "18.90".parse().unwrap(),
        Some(crate::support::payouts::PAYER_IBAN),
    );
    let e2e = kontor::payments::payouts::end_to_end_id(payout);
    let server = TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    staff_in_chromium(&chromium, &server, &db, "fin@kontor.example", kontor::accounts::Role::Finance);
    let state = || crate::support::payouts::state_of(&db, payout);
    let exports = || count(&db, "SELECT count(*) AS n FROM payout_exports");

    chromium.goto("/backoffice/payouts");
    chromium.wait_for_text(&e2e);
    chromium.reload();
    chromium.wait_for_text("Waiting for approval");
    chromium.click_in("#proposed", "Approve");
    let approved = format!("Payout {e2e} is approved for the next file.");
    chromium.wait_for_text(&approved);
    chromium.reload();
    chromium.wait_for_text(&approved);
    assert_eq!(state(), "approved");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'payout.approved'"), 1);

    chromium.click_in("main", "Write the pain.001.001.09 file");
    chromium.wait_for_text("1 transfers were written to");
    chromium.reload();
    chromium.wait_for_text("1 transfers were written to");
    assert_eq!(exports(), 1, "a reload of the result writes nothing more");
    assert_eq!(state(), "exported");

    // The download link, with the browser's session: the same bytes each time, a valid file.
    let link = chromium.link("Download");
    let mut http = chromium.http();
    let (first, bytes) = http.get_bytes(&link);
    assert_eq!(first.status, 200);
    assert_eq!(http.get_bytes(&link).1, bytes);
    let file = crate::support::payouts::written("chromium.xml", &bytes);
    let (valid, errors) = crate::support::payouts::validates(&file);
    assert!(valid, "{errors}");
    chromium.reload();
    chromium.wait_for_text("1 transfers were written to");
    assert_eq!(exports(), 1);
    crate::support::payouts::ledger_clean(&db);
}
