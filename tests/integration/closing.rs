//! Closing an account ends its billing: the subscription ends with what was paid for, the
//! mandate is revoked, the platform is told, nothing more is invoiced; the customer keeps a
//! read-only view to see and pay what is open, and the log-in ends once all is settled.

use chrono::Duration;
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::ledger::chart::SystemAccount;
use kontor::money::Money;
use kontor::payments::allocation::{Method, Receipt, apply_receipt};
use rust_decimal::Decimal;

use crate::support::accounts::{PASSWORD, signed_up_and_verified};
use crate::support::{TestDb, TestServer, count};

#[test]
fn closing_ends_billing_keeps_invoices_payable_and_ends_the_log_in_once_settled() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser = signed_up_and_verified(&server, &db, "leaving@x.example", "Leaving Person");
    assert_eq!(browser.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    let mandate = browser.submit(
        "/account/direct-debit",
        &[("debtor_name", "Leaving Person"), ("iban", "DE89370400440532013000"), ("accept", "yes")],
    );
    assert_eq!(mandate.status, 200, "{}", mandate.body);
    let clock = &server.settings.clock;
    let month = kontor::invoicing::BillingMonth::containing(clock.today()).to_string();
    assert_eq!(crate::support::invoicing::run_batch(&db, &month, clock.now()).issued, 1);
    let customer = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'leaving@x.example'");
    let invoice = count(&db, &format!("SELECT id AS n FROM invoices WHERE customer_id = {customer}"));

    // Closing: confirmed with the password, answered with the sign-in page and a notice.
    let closed = browser.submit("/account/close", &[("password", PASSWORD)]);
    assert!(closed.notice().is_some_and(|n| n.contains("closed")), "{}", closed.body);
    let (period_end, cancel_on): (chrono::NaiveDate, Option<chrono::NaiveDate>) =
        kontor::db::schema::subscriptions::table
            .filter(kontor::db::schema::subscriptions::customer_id.eq(customer))
            .select((
                kontor::db::schema::subscriptions::anchor_date,
                kontor::db::schema::subscriptions::cancel_on,
            ))
            .first(&mut db.conn())
            .unwrap();
    let services_end = cancel_on.expect("the subscription ends");
    assert!(services_end > period_end, "it runs to the end of what was invoiced: {services_end}");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM sepa_mandates WHERE status = 'active'"),
        0,
        "mandate revoked"
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'account-closed:%'"),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sessions"), 0, "signed out everywhere");

    // Signing in again gives a read-only view: invoices and paying, nothing else.
    let signed_in = browser.post("/login", &[("email", "leaving@x.example"), ("password", PASSWORD)]);
    assert_eq!((signed_in.status, signed_in.location().as_str()), (303, "/account"));
    let overview = browser.get("/account");
    assert!(
        overview.body.contains("Your account is closed") && overview.body.contains("still open"),
        "{}",
        overview.body
    );
    assert_eq!(browser.get("/account/invoices").status, 200);
    for page in ["/account/storage", "/account/settings", "/account/direct-debit"] {
        assert_eq!(browser.get(page).location(), "/account", "{page} is closed");
    }
    let before = count(&db, "SELECT count(*) AS n FROM subscription_packs");
    let refused = browser.post("/account/storage/add", &[("plan", "storage_pack_10gb")]);
    assert_eq!((refused.status, refused.location().as_str()), (303, "/account"));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscription_packs"), before, "nothing added");

    // After the end of what was paid for, the services end and the platform is told; the next
    // run invoices nothing more.
    clock.set(services_end.and_hms_opt(10, 0, 0).unwrap().and_utc());
    kontor::subscriptions::advance::advance(&mut db.conn(), &server.settings.billing(), clock.now()).unwrap();
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM provisioning_events WHERE customer_id = {customer} AND kind = 'subscription_ended'"
            )
        ),
        1
    );
    for month in [services_end, services_end + Duration::days(31)] {
        let month = kontor::invoicing::BillingMonth::containing(month).to_string();
        crate::support::invoicing::run_batch(&db, &month, clock.now());
    }
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM invoices WHERE customer_id = {customer}")), 1);

    // Still open: the log-in stays. Paid: it ends.
    assert_eq!(kontor::closing::disable_settled(&mut db.conn(), clock.now()).unwrap(), 0);
    let open: Decimal = diesel::sql_query(format!(
        "SELECT open_amount AS n FROM invoice_balances WHERE invoice_id = {invoice}"
    ))
    .get_result::<crate::support::Amount>(&mut db.conn())
    .unwrap()
    .n;
    apply_receipt(
        &mut db.conn(),
        &crate::support::payments::site(),
        &Receipt {
            key: "closing-test-payment".to_owned(),
            customer,
            amount: Money::new(open, Currency::EUR),
            fee: None,
            received_in: SystemAccount::Bank,
            method: Method::BankTransfer,
            invoices: vec![invoice],
            occurred_at: clock.now(),
            memo: "test".to_owned(),
        },
    )
    .unwrap();
    assert_eq!(kontor::closing::disable_settled(&mut db.conn(), clock.now()).unwrap(), 1);
    let mut again = server.browser();
    let refused = again.post("/login", &[("email", "leaving@x.example"), ("password", PASSWORD)]);
    assert_eq!(refused.status, 200, "a settled closed account signs in no more");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM customers WHERE closed_at IS NOT NULL"),
        1,
        "the record stays"
    );
}

#[test]
fn closing_in_the_free_month_costs_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser = signed_up_and_verified(&server, &db, "trying@x.example", "Trying");
    assert_eq!(browser.post("/account/subscription/start", &[("mode", "trial")]).status, 303);
    browser.submit("/account/close", &[("password", PASSWORD)]);
    let clock = &server.settings.clock;
    for day in 0..70 {
        clock.set(crate::support::now() + Duration::days(day));
        kontor::subscriptions::advance::advance(&mut db.conn(), &server.settings.billing(), clock.now())
            .unwrap();
        let month = kontor::invoicing::BillingMonth::containing(clock.today()).to_string();
        crate::support::invoicing::run_batch(&db, &month, clock.now());
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), 0, "nothing invoiced");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscriptions WHERE status = 'ended'"), 1);
    assert_eq!(kontor::closing::disable_settled(&mut db.conn(), clock.now()).unwrap(), 1);
}
