//! The billing model: each monthly period is invoiced on its first day (or a configured lead
//! before it) by a daily run that catches up on any day it missed; the free month is never
//! invoiced, not even a pack added in it, and cancelling in it costs nothing. The dashboard's
//! next invoice, the cancel page's end, the pack preview and the invoice lines agree.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use kontor::db::schema::{invoice_lines, invoices};
use kontor::subscriptions::trial::Start;

use crate::support::accounts::signed_up_and_verified;
use crate::support::invoicing::run_daily;
use crate::support::{TestDb, TestServer, count};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// (service from, service until) of every periodic invoice of a customer, oldest first.
fn billed_periods(db: &TestDb, customer: i64) -> Vec<(NaiveDate, NaiveDate)> {
    invoices::table
        .filter(invoices::customer_id.eq(customer))
        .filter(invoices::kind.eq("invoice"))
        .order(invoices::service_from)
        .select((invoices::service_from.assume_not_null(), invoices::service_until.assume_not_null()))
        .load(&mut db.conn())
        .unwrap()
}

fn customer_of(db: &TestDb, email: &str) -> i64 {
    count(db, &format!("SELECT customer_id AS n FROM users WHERE email = '{email}'"))
}

/// A verified customer whose subscription starts at `at`, free month or paid.
fn subscribed(db: &TestDb, email: &str, mode: Start, at: DateTime<Utc>) -> i64 {
    let mut conn = db.conn();
    let user = crate::support::subscriptions::customer(&mut conn, email, "DE", "EUR", None);
    let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
    conn.transaction(|c| kontor::subscriptions::trial::start(c, &billing, &user, mode, None, "10.1.0.1", at))
        .unwrap();
    user.customer_id.unwrap().0
}

fn billing_run(db: &TestDb, now: &str, lead_days: u32) -> std::process::Output {
    let output = crate::support::kontor_command()
        .args(["billing", "run"])
        .env("DATABASE_URL", db.url())
        .env("KONTOR_NOW", now)
        .env("KONTOR_BILLING_LEAD_DAYS", lead_days.to_string())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output
}

#[test]
fn the_free_month_is_never_invoiced_a_pack_in_it_is_free_and_cancelling_in_it_costs_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let clock = server.settings.clock.clone();
    let mut stays = signed_up_and_verified(&server, &db, "stays@x.example", "Stays");
    let mut leaves = signed_up_and_verified(&server, &db, "leaves@x.example", "Leaves");
    for browser in [&mut stays, &mut leaves] {
        assert_eq!(browser.post("/account/subscription/start", &[("mode", "trial")]).status, 303);
        // The free month (5 December to 4 January) covers storage added in it too.
        let preview = browser.get("/account/storage/add?plan=mail_pack_10gb");
        assert!(preview.body.contains("free until your free month ends on 04/01/2027"), "{}", preview.body);
        let added = browser.submit("/account/storage/add", &[("plan", "mail_pack_10gb")]);
        assert!(added.notice().is_some(), "{}", added.body);
        assert!(browser.reload_result().notice().is_some(), "the reloaded result page says the same");
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscription_packs"), 2, "reloading added nothing");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM pending_charges"),
        0,
        "nothing to pay for the free month"
    );
    let dashboard = stays.get("/account");
    assert!(dashboard.body.contains("On 05/01/2027"), "the first invoice comes when the free month ends");
    // The cancel page names the free month's last day, and cancelling there costs nothing.
    let cancel = leaves.get("/account/subscription/cancel");
    assert!(cancel.body.contains("on 04/01/2027"), "{}", cancel.body);
    let cancelled = leaves.submit("/account/subscription/cancel", &[]);
    assert!(cancelled.notice().is_some_and(|n| n.contains("04/01/2027")), "{}", cancelled.body);

    // The daily run, every night at 03:00 in Berlin, and the daily jobs, into February.
    let billing = server.settings.billing();
    let mut night = at("2026-12-06T02:00:00Z");
    while night < at("2027-02-06T02:00:00Z") {
        clock.set(night);
        kontor::subscriptions::advance::advance(&mut db.conn(), &billing, night).unwrap();
        let summary = run_daily(&db, night, 0);
        assert!(summary.failed.is_empty() && summary.unfinished == 0, "{summary:?}");
        let issued = count(&db, "SELECT count(*) AS n FROM invoices");
        if night < at("2027-01-05T00:00:00Z") {
            assert_eq!(issued, 0, "nothing is invoiced in the free month ({night})");
        }
        night += Duration::days(1);
    }
    let stays_id = customer_of(&db, "stays@x.example");
    assert_eq!(
        billed_periods(&db, stays_id),
        vec![(day(2027, 1, 5), day(2027, 2, 5)), (day(2027, 2, 5), day(2027, 3, 5))],
        "each paid period once, from the day the free month ended"
    );
    let first_from: NaiveDate = invoices::table
        .filter(invoices::customer_id.eq(stays_id))
        .select(diesel::dsl::min(invoices::issue_date).assume_not_null())
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(first_from, day(2027, 1, 5), "invoiced on the period's first day");
    let lines: Vec<(NaiveDate, String)> = invoice_lines::table
        .inner_join(invoices::table)
        .filter(invoices::customer_id.eq(stays_id))
        .filter(invoices::service_from.eq(day(2027, 1, 5)))
        .select((invoice_lines::service_from.assume_not_null(), invoice_lines::description))
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(lines.len(), 2, "the mailbox and the pack: {lines:?}");
    for (from, description) in &lines {
        assert_eq!(*from, day(2027, 1, 5));
        assert!(description.contains("05/01/2027") && description.contains("04/02/2027"), "{description}");
    }
    let leaves_id = customer_of(&db, "leaves@x.example");
    assert!(billed_periods(&db, leaves_id).is_empty(), "cancelled in the free month: never invoiced");
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM invoices WHERE customer_id = {leaves_id}")), 0);

    // After the first invoice the dashboard and the cancel page look at the next period.
    clock.set(at("2027-01-06T09:00:00Z"));
    let mut stays = signed_up_and_verified_again(&server, "stays@x.example");
    let dashboard = stays.get("/account");
    assert!(dashboard.body.contains("On 05/03/2027"), "{}", dashboard.body);
    let cancel = stays.get("/account/subscription/cancel");
    assert!(cancel.body.contains("on 04/03/2027"), "the end of what is invoiced: {}", cancel.body);
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

/// Signs in again (sessions lapse over the simulated weeks).
fn signed_up_and_verified_again(server: &TestServer, email: &str) -> crate::support::Browser {
    let mut browser = server.browser();
    let response =
        browser.post("/login", &[("email", email), ("password", crate::support::accounts::PASSWORD)]);
    assert_eq!(response.status, 303, "{}", response.body);
    browser
}

#[test]
fn a_paid_start_after_a_monthly_run_is_billed_by_the_next_run() {
    let db = TestDb::new();
    // Cron runs monthly: the run of 1 December finds nothing; the customer starts on the 10th.
    billing_run(&db, "2026-12-01T04:00:00Z", 0);
    let customer = subscribed(&db, "late@x.example", Start::Paid, at("2026-12-10T08:00:00Z"));
    // The run of 1 January catches up on December's period, and does not bill January's yet.
    let january = billing_run(&db, "2027-01-01T04:00:00Z", 0);
    assert!(String::from_utf8_lossy(&january.stdout).contains("issued 1 invoice"), "{january:?}");
    assert_eq!(billed_periods(&db, customer), vec![(day(2026, 12, 10), day(2027, 1, 10))]);
    billing_run(&db, "2027-02-01T04:00:00Z", 0);
    billing_run(&db, "2027-02-01T05:00:00Z", 0);
    assert_eq!(
        billed_periods(&db, customer),
        vec![(day(2026, 12, 10), day(2027, 1, 10)), (day(2027, 1, 10), day(2027, 2, 10))],
        "every paid day billed once, however late the run"
    );
}

#[test]
fn no_period_is_invoiced_before_it_begins_and_a_lead_never_reaches_into_the_free_month() {
    let db = TestDb::new();
    let paid = subscribed(&db, "paid@x.example", Start::Paid, at("2026-11-10T08:00:00Z"));
    let trial = subscribed(&db, "trial@x.example", Start::Trial, at("2026-11-20T08:00:00Z"));
    // November's paid period, on its first day.
    billing_run(&db, "2026-11-10T09:00:00Z", 0);
    assert_eq!(billed_periods(&db, paid).len(), 1);
    // The day before December's period: not without a lead; with five days, yes.
    billing_run(&db, "2026-12-09T09:00:00Z", 0);
    assert_eq!(billed_periods(&db, paid).len(), 1, "not before it begins");
    billing_run(&db, "2026-12-09T09:00:00Z", 5);
    assert_eq!(billed_periods(&db, paid).len(), 2, "within the lead");
    // The trial's first paid period begins on 20 December: a lead never invoices it earlier.
    billing_run(&db, "2026-12-16T09:00:00Z", 5);
    assert!(billed_periods(&db, trial).is_empty(), "the lead stops at the free month");
    billing_run(&db, "2026-12-20T09:00:00Z", 5);
    assert_eq!(billed_periods(&db, trial), vec![(day(2026, 12, 20), day(2027, 1, 20))]);
    // Later periods take the lead: January's (the 20th) on the 15th, not the 14th.
    billing_run(&db, "2027-01-14T09:00:00Z", 5);
    assert_eq!(billed_periods(&db, trial).len(), 1);
    billing_run(&db, "2027-01-15T09:00:00Z", 5);
    assert_eq!(billed_periods(&db, trial).len(), 2);
    assert_eq!(billed_periods(&db, paid).len(), 3, "the paid one's January period (the 10th) too");
}

/// Found by the simulated year with customers who never pay: a pack added while a cancellation
/// was pending got its final invoice before the end and took the month's one invoice, so the
/// month's period went unbilled once the cancellation was withdrawn; and on the day the
/// cancellation took effect a pack could still be added, billed past the end.
#[test]
fn a_withdrawn_cancellation_still_bills_the_month_and_nothing_is_added_on_the_last_day() {
    use kontor::subscriptions::SubscriptionError;
    use kontor::subscriptions::changes::{self, ChangeRequest};
    let db = TestDb::new();
    let customer = subscribed(&db, "withdrawn@x.example", Start::Paid, at("2026-11-07T08:00:00Z"));
    let user: i64 = count(&db, &format!("SELECT id AS n FROM users WHERE customer_id = {customer}"));
    let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
    let request = |now: &str| ChangeRequest {
        billing: &billing,
        customer: kontor::ids::CustomerId(customer),
        actor: kontor::ids::UserId(user),
        ip: "10.1.0.1",
        now: at(now),
    };
    let mut conn = db.conn();
    billing_run(&db, "2026-11-07T04:00:00Z", 0);
    let end = conn.transaction(|c| changes::cancel(c, &request("2026-11-20T10:00:00Z"))).unwrap();
    assert_eq!(end, day(2026, 12, 7));
    conn.transaction(|c| changes::add_pack(c, &request("2026-12-01T10:00:00Z"), "storage_pack_50gb"))
        .unwrap();
    // 1 December: the pack's charge waits for the end (or the next regular invoice).
    billing_run(&db, "2026-12-01T11:00:00Z", 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices WHERE kind = 'invoice'"), 1);
    conn.transaction(|c| changes::reactivate(c, &request("2026-12-02T10:00:00Z"))).unwrap();
    billing_run(&db, "2026-12-07T04:00:00Z", 0);
    assert_eq!(
        billed_periods(&db, customer),
        vec![(day(2026, 11, 7), day(2026, 12, 7)), (day(2026, 12, 7), day(2027, 1, 7))],
        "the withdrawn cancellation's month is billed"
    );
    let pack_lines = count(
        &db,
        "SELECT count(*) AS n FROM invoice_lines WHERE plan_code = 'storage_pack_50gb'
           AND service_until <= '2027-01-07'",
    );
    assert_eq!(pack_lines, 2, "the pack's first days and its first full period");

    // Cancelled again: on the day it takes effect, no pack, and cancelling again keeps the end.
    let end = conn.transaction(|c| changes::cancel(c, &request("2026-12-20T10:00:00Z"))).unwrap();
    assert_eq!(end, day(2027, 1, 7));
    let refused =
        conn.transaction(|c| changes::add_pack(c, &request("2027-01-07T10:00:00Z"), "mail_pack_10gb"));
    assert!(matches!(refused, Err(SubscriptionError::Ended)), "{refused:?}");
    let again = conn.transaction(|c| changes::cancel(c, &request("2027-01-07T10:00:00Z"))).unwrap();
    assert_eq!(again, day(2027, 1, 7), "cancelling on the last day does not move the end");
    billing_run(&db, "2027-01-07T11:00:00Z", 0);
    let after_end = count(
        &db,
        "SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE i.kind = 'invoice' AND l.service_until > '2027-01-07'",
    );
    assert_eq!(after_end, 0, "nothing billed past the end");
}
