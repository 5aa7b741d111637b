//! The portal in a real browser (headless Chromium, see `support::browser`): what only a
//! browser shows, such as the Content-Security-Policy refusing a redirect, and what people do
//! with one: click twice, go back, reload a result page. Few and whole journeys; each asserts
//! that a reload changed nothing.

use chrono::Duration;
use diesel::prelude::*;
use kontor::db::schema::{invoices, users};

use crate::support::browser::Chromium;
use crate::support::{TestDb, TestServer, count};

const PASSWORD: &str = "correct horse battery staple";

/// Signs in through the form; `submit` is the button's text in the page's language (the
/// menu has a link with the same words, hence the form as scope).
fn sign_in(chromium: &Chromium, email: &str, submit: &str) {
    chromium.goto("/login");
    chromium.fill_all(&[("email", email), ("password", PASSWORD)]);
    chromium.click_in("form[action=\"/login\"]", submit);
    chromium.wait_for_url("/account");
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
    let link = crate::accounts::mailed_link(&server, &db, email, "/verify");
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
    assert!(again.contains("ist bestätigt") || again.contains("bereits verwendet"), "{again}");
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
        workers: 1,
        chunk_size: 100,
        dry_run: false,
    };
    let summary = kontor::invoicing::batch::run_configured(
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
    let text = crate::documents::pdf_text(&dir, "first", &pdf);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(text.contains(&number), "{text}");

    assert_eq!((users(), customers()), (1, 1));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscriptions"), 1);
    assert_eq!(trials(), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), 1, "one invoice");
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}
