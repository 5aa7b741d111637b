//! PayPal against the fake PayPal server (`kontor::payments::paypal::fake`): checkout end to end
//! in the browser, a capture whose answer times out, webhooks duplicated, out of order, late
//! and forged, refunds from the back office, chargebacks, and the amounts of six currencies as
//! they crossed the wire.

use std::time::Duration;

use diesel::prelude::*;
use iso_currency::Currency;
use kontor::accounts::Role;
use kontor::money::Money;
use kontor::payments::open_amounts;
use kontor::payments::paypal::fake::{FakePayPal, Webhook};
use rust_decimal::Decimal;

use crate::support::paypal::World;
use crate::support::{Browser, TestDb, TestServer, count};

impl World {
    pub(crate) fn new(customers: i64, timeout_secs: u64) -> World {
        let db = TestDb::new();
        let invoices = crate::support::payments::invoiced(&db, customers);
        let fake = FakePayPal::start("127.0.0.1:0").unwrap();
        let mut env: Vec<(&str, String)> = fake.env();
        env.push(("KONTOR_PAYPAL_TIMEOUT_SECS", timeout_secs.to_string()));
        let server = TestServer::start_with(&db, &env);
        World { db, fake, server, invoices }
    }

    fn webhook_url(&self) -> String {
        format!("http://127.0.0.1:{}/webhooks/paypal", self.server.port)
    }

    fn deliver(&self, webhook: &Webhook) -> u16 {
        FakePayPal::deliver(webhook, &self.webhook_url())
    }

    /// The first invoice in `currency`: (id, number, customer, amount due).
    pub(crate) fn invoice_in(&self, currency: &str, nth: usize) -> (i64, String, i64, Decimal) {
        let (id, customer, due, _) =
            self.invoices.iter().filter(|(_, _, _, c)| c == currency).nth(nth).cloned().expect("an invoice");
        let number: String = kontor::db::schema::invoices::table
            .find(id)
            .select(kontor::db::schema::invoices::number)
            .first(&mut self.db.conn())
            .unwrap();
        (id, number, customer, due)
    }

    /// A browser signed in as the customer (a portal user made for them).
    pub(crate) fn customer(&self, customer: i64) -> Browser {
        use kontor::db::schema::users;
        let user: i64 = diesel::insert_into(users::table)
            .values((
                users::email.eq(format!("payer-{customer}@example.com")),
                users::role.eq("customer"),
                users::customer_id.eq(customer),
                users::language.eq("en"),
                users::email_verified_at.eq(crate::support::now()),
            ))
            .returning(users::id)
            .get_result(&mut self.db.conn())
            .unwrap();
        let mut browser = self.server.browser();
        browser.sign_in_as(&self.db, kontor::ids::UserId(user));
        browser
    }

    pub(crate) fn open(&self, invoice: i64) -> Decimal {
        open_amounts(&mut self.db.conn(), &[invoice]).unwrap()[&invoice].amount()
    }

    pub(crate) fn healthy(&self) {
        let report = kontor::ledger::verify(&mut self.db.conn()).unwrap();
        assert!(report.is_healthy(), "{report}");
    }

    pub(crate) fn n(&self, sql: &str) -> i64 {
        count(&self.db, sql)
    }

    /// Everything that counts money: entries, receipts, allocations, refunds, credit notes.
    pub(crate) fn books(&self) -> [i64; 5] {
        [
            self.n("SELECT count(*) AS n FROM journal_entries"),
            self.n("SELECT count(*) AS n FROM payment_receipts"),
            self.n("SELECT count(*) AS n FROM payment_allocations"),
            self.n("SELECT count(*) AS n FROM paypal_refunds"),
            self.n("SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'"),
        ]
    }

    fn balance(&self, code: &str) -> Decimal {
        #[derive(QueryableByName)]
        struct Sum {
            #[diesel(sql_type = diesel::sql_types::Numeric)]
            n: Decimal,
        }
        diesel::sql_query(format!(
            "SELECT COALESCE(sum(p.amount), 0) AS n FROM postings p
               JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = '{code}'"
        ))
        .get_result::<Sum>(&mut self.db.conn())
        .unwrap()
        .n
    }

    /// "Pay with PayPal" and approval at the fake; returns the order id and the return path.
    pub(crate) fn start_payment(&self, browser: &mut Browser, number: &str) -> (String, String) {
        let page = browser.get(&format!("/account/invoices/{number}"));
        assert!(page.body.contains("Pay with PayPal"), "{}", page.body);
        let started = browser.post(&format!("/account/invoices/{number}/paypal"), &[]);
        assert_eq!(started.status, 303, "{}", started.body);
        let approval = started.location();
        assert!(approval.starts_with(&format!("{}/checkoutnow?token=", self.fake.url)), "{approval}");
        let order = approval.rsplit('=').next().unwrap().to_owned();
        let back = self.fake.approve(&order).unwrap();
        assert!(back.starts_with(&format!("http://127.0.0.1:{}/paypal/", self.server.port)), "{back}");
        let path = back[back.find("/paypal/").expect("a return URL")..].to_owned();
        assert!(path.starts_with("/paypal/return?token="), "{path}");
        (order, path)
    }

    /// Checkout to the end: returns the order id and the capture id.
    pub(crate) fn pay(&self, browser: &mut Browser, number: &str) -> (String, String) {
        let (order, back) = self.start_payment(browser, number);
        let confirmed = browser.get(&back);
        assert!(confirmed.body.contains("has been received"), "{}", confirmed.body);
        let capture = self.fake.capture_of(&order).unwrap();
        (order, capture)
    }
}

#[test]
fn a_customer_pays_an_invoice_with_paypal_and_the_books_balance() {
    let world = World::new(12, 10);
    let (invoice, number, customer, due) = world.invoice_in("EUR", 0);
    let mut browser = world.customer(customer);
    let (order, capture) = world.pay(&mut browser, &number);

    assert_eq!(world.open(invoice), Decimal::ZERO, "the invoice is paid");
    world.healthy();
    assert_eq!(world.n("SELECT count(*) AS n FROM payment_receipts WHERE method = 'paypal'"), 1);
    let fee: Decimal = kontor::db::schema::paypal_captures::table
        .find(&capture)
        .select(kontor::db::schema::paypal_captures::fee)
        .first(&mut world.db.conn())
        .unwrap();
    assert!(fee > Decimal::ZERO, "the fake reports a fee");
    assert_eq!(world.balance("1360-EUR"), due - fee, "PayPal clearing holds the net");
    assert_eq!(world.balance("6855-EUR"), fee, "the fee is an expense");
    assert_eq!(world.balance(&format!("1400-EUR-C{customer}")), Decimal::ZERO, "nothing receivable");
    let state: String = kontor::db::schema::paypal_orders::table
        .filter(kontor::db::schema::paypal_orders::order_id.eq(&order))
        .select(kontor::db::schema::paypal_orders::state)
        .first(&mut world.db.conn())
        .unwrap();
    assert_eq!(state, "captured");
    // Paid on the return leg: one email, saying how.
    let mails = crate::support::payments::paid_emails(&world.db);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].key, format!("invoice-paid:{invoice}"));
    assert!(mails[0].text.contains(": PayPal"), "{}", mails[0].text);
    // The payer id is now a payment identity for the one-free-month rule.
    assert_eq!(
        world.n(&format!(
            "SELECT count(*) AS n FROM trial_claims WHERE customer_id = {customer} AND kind LIKE 'paypal%'"
        )),
        1
    );

    // What Kontor sent: the documented order shape, the invoice number, a request id.
    let requests = world.fake.requests();
    let create = requests.iter().find(|r| r.path == "/v2/checkout/orders").unwrap();
    assert_eq!(create.body["intent"], "CAPTURE");
    assert_eq!(create.body["purchase_units"][0]["invoice_id"], number.as_str());
    assert_eq!(create.body["purchase_units"][0]["amount"]["value"], format!("{due:.2}").as_str());
    assert!(create.request_id.as_deref().is_some_and(|id| id.starts_with("kontor-order-")));
    let context = &create.body["payment_source"]["paypal"]["experience_context"];
    assert!(context["return_url"].as_str().unwrap().ends_with("/paypal/return"));
    assert!(context["cancel_url"].as_str().unwrap().ends_with("/paypal/cancel"));
    let capture_call = requests.iter().find(|r| r.path.ends_with("/capture")).unwrap();
    assert_eq!(capture_call.request_id.as_deref(), Some(format!("kontor-capture-{order}").as_str()));
    assert_eq!(
        requests.iter().filter(|r| r.path == "/v1/oauth2/token").count(),
        1,
        "the token is cached between calls"
    );

    // Paid: no button any more; a reload of the return page books nothing twice.
    let before = world.books();
    let page = browser.get(&format!("/account/invoices/{number}"));
    assert!(!page.body.contains("Pay with PayPal"));
    let again = browser.get(&format!("/paypal/return?token={order}"));
    assert!(again.body.contains("already been received"), "{}", again.body);
    assert_eq!(world.books(), before);
    // Another customer cannot use this order.
    let (_, _, other, _) = world.invoice_in("EUR", 1);
    assert_eq!(world.customer(other).get(&format!("/paypal/return?token={order}")).status, 404);
}

#[test]
fn cancelling_at_paypal_returns_to_the_invoice_and_books_nothing() {
    let world = World::new(12, 10);
    let (invoice, number, customer, due) = world.invoice_in("EUR", 0);
    let mut browser = world.customer(customer);
    let before = world.books();
    let started = browser.post(&format!("/account/invoices/{number}/paypal"), &[]);
    let order = started.location().rsplit('=').next().unwrap().to_owned();
    let cancelled = browser.get(&format!("/paypal/cancel?token={order}"));
    assert_eq!(cancelled.status, 200);
    assert!(cancelled.body.contains("You cancelled the payment at PayPal"), "{}", cancelled.body);
    assert!(cancelled.body.contains(&number));
    assert_eq!(world.books(), before, "nothing booked");
    assert_eq!(world.open(invoice), due);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_orders WHERE state = 'cancelled'"), 1);
    // The page speaks the reader's language.
    browser.cookies.insert("kontor_lang".to_owned(), "de".to_owned());
    let german = browser.get(&format!("/paypal/cancel?token={order}"));
    assert!(german.body.contains("Sie haben die Zahlung bei PayPal abgebrochen"), "{}", german.body);
}

#[test]
fn a_second_click_reuses_the_order_paypal_waits_on_and_never_starts_a_second_payment() {
    let world = World::new(12, 1);
    let (_, number, customer, _) = world.invoice_in("EUR", 0);
    let mut browser = world.customer(customer);
    let pay = |browser: &mut Browser| browser.post(&format!("/account/invoices/{number}/paypal"), &[]);
    let creations = || {
        world.fake.requests().iter().filter(|r| r.method == "POST" && r.path == "/v2/checkout/orders").count()
    };
    let state = |order: &str| -> String {
        kontor::db::schema::paypal_orders::table
            .filter(kontor::db::schema::paypal_orders::order_id.eq(order))
            .select(kontor::db::schema::paypal_orders::state)
            .first(&mut world.db.conn())
            .unwrap()
    };

    // Forms may lead to PayPal's approval page and nowhere else outside the portal.
    let policy = browser.get(&format!("/account/invoices/{number}")).header("content-security-policy");
    assert!(policy.unwrap().contains(&format!("form-action 'self' {};", world.fake.url)));

    // A double click: one order at PayPal, both clicks sent to its approval page.
    let first = pay(&mut browser).location();
    assert!(first.starts_with(&format!("{}/checkoutnow?token=", world.fake.url)), "{first}");
    assert_eq!(pay(&mut browser).location(), first);
    assert_eq!(creations(), 1);

    // Approved at PayPal and abandoned (the payer never came back): given up for a new order.
    let abandoned = first.rsplit('=').next().unwrap().to_owned();
    world.fake.approve(&abandoned).unwrap();
    let second = pay(&mut browser).location();
    assert!(second.starts_with(&format!("{}/checkoutnow?token=", world.fake.url)), "{second}");
    assert_ne!(second, first);
    assert_eq!(creations(), 2);
    assert_eq!(state(&abandoned), "failed");

    // Captured at PayPal, but the answer timed out and nothing is booked yet: another click
    // starts no second payment; the customer is told PayPal is still confirming.
    let order = second.rsplit('=').next().unwrap().to_owned();
    let back = world.fake.approve(&order).unwrap();
    world.fake.set_capture_delay(Duration::from_secs(3));
    assert!(browser.get(&back[back.find("/paypal/").unwrap()..]).body.contains("still confirming"));
    let again = pay(&mut browser);
    assert_eq!(again.status, 200, "{}", again.head);
    assert!(again.body.contains("PayPal is still confirming"), "{}", again.body);
    assert_eq!(creations(), 2);
}

#[test]
fn a_capture_that_times_out_after_paypal_captured_is_booked_by_the_webhook_once() {
    let world = World::new(12, 1);
    let (invoice, number, customer, due) = world.invoice_in("EUR", 0);
    let mut browser = world.customer(customer);
    let (order, back) = world.start_payment(&mut browser, &number);
    world.fake.set_capture_delay(Duration::from_secs(4));
    let before = world.books();
    let waiting = browser.get(&back);
    assert!(waiting.body.contains("PayPal is still confirming"), "{}", waiting.body);
    assert_eq!(world.books(), before, "nothing booked without an answer");
    let capture = world.fake.capture_of(&order).expect("PayPal captured all the same");

    let completed = world.fake.capture_event("PAYMENT.CAPTURE.COMPLETED", &capture).unwrap();
    assert_eq!(world.deliver(&completed), 200);
    assert_eq!(world.open(invoice), Decimal::ZERO, "the webhook booked it");
    let booked = world.books();
    assert_eq!(booked[1], before[1] + 1, "one receipt");

    // The customer retries: the same capture request gets the same answer, booked once.
    world.fake.set_capture_delay(Duration::ZERO);
    let retried = browser.get(&back);
    assert!(retried.body.contains("already been received") || retried.body.contains("has been received"));
    assert_eq!(world.books(), booked);
    // PayPal delivers the same event again: acknowledged, nothing changes.
    assert_eq!(world.deliver(&completed), 200);
    assert_eq!(world.books(), booked);
    assert_eq!(world.balance(&format!("1400-EUR-C{customer}")), Decimal::ZERO);
    // The webhook, the retried return and the repeated event told the customer once.
    let mails = crate::support::payments::paid_emails(&world.db);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].key, format!("invoice-paid:{invoice}"));
    assert!(mails[0].subject.contains(&number), "{}", mails[0].subject);
    assert!(mails[0].text.contains(": PayPal"), "{}", mails[0].text);
    assert!(due > Decimal::ZERO);
    world.healthy();
}

#[test]
fn webhooks_in_any_order_twice_or_late_end_the_same() {
    let world = World::new(12, 1);
    // Two customers: one gets the events in order, the other in reverse.
    let (a, number_a, customer_a, _) = world.invoice_in("EUR", 0);
    let (b, number_b, customer_b, _) = world.invoice_in("EUR", 3);
    world.fake.set_capture_delay(Duration::from_secs(3));
    let capture_of = |number: &str, customer: i64| {
        let mut browser = world.customer(customer);
        let (order, back) = world.start_payment(&mut browser, number);
        assert!(browser.get(&back).body.contains("still confirming"));
        world.fake.capture_of(&order).unwrap()
    };
    let capture_a = capture_of(&number_a, customer_a);
    let capture_b = capture_of(&number_b, customer_b);
    let part = "0.40";

    // In order: completed, then a refund made on PayPal's side.
    let completed_a = world.fake.capture_event("PAYMENT.CAPTURE.COMPLETED", &capture_a).unwrap();
    let refunded_a = world.fake.refund_event("PAYMENT.CAPTURE.REFUNDED", &capture_a, Some(part)).unwrap();
    assert_eq!(world.deliver(&completed_a), 200);
    assert_eq!(world.deliver(&refunded_a), 200);

    // Out of order: the refund arrives before the capture; it waits, then both book.
    let completed_b = world.fake.capture_event("PAYMENT.CAPTURE.COMPLETED", &capture_b).unwrap();
    let refunded_b = world.fake.refund_event("PAYMENT.CAPTURE.REFUNDED", &capture_b, Some(part)).unwrap();
    let before = world.books();
    assert_eq!(world.deliver(&refunded_b), 200);
    assert_eq!(world.books(), before, "a refund of a capture not booked yet waits");
    assert_eq!(world.deliver(&completed_b), 200);

    // Duplicates and late repeats change nothing.
    let settled = world.books();
    for webhook in [&completed_a, &refunded_a, &completed_b, &refunded_b, &refunded_b] {
        assert_eq!(world.deliver(webhook), 200);
    }
    assert_eq!(world.books(), settled);
    // Unknown types are stored and acknowledged.
    let other = world.fake.other_event("CHECKOUT.ORDER.APPROVED");
    assert_eq!(world.deliver(&other), 200);
    assert_eq!(world.books(), settled);
    assert_eq!(
        world.n("SELECT count(*) AS n FROM paypal_webhook_events WHERE event_type = 'CHECKOUT.ORDER.APPROVED' AND outcome = 'ignored'"),
        1
    );
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_webhook_events WHERE processed_at IS NULL"), 0);

    // Both customers end exactly alike.
    for (invoice, customer) in [(a, customer_a), (b, customer_b)] {
        assert_eq!(world.open(invoice), Decimal::ZERO, "paid");
        assert_eq!(
            world.balance(&format!("1750-EUR-C{customer}")),
            Decimal::ZERO,
            "the refund paid out its credit"
        );
        assert_eq!(
            world.n(&format!("SELECT count(*) AS n FROM invoices WHERE credited_invoice_id = {invoice}")),
            1,
            "one credit note"
        );
    }
    assert_eq!(world.n("SELECT count(*) AS n FROM payment_receipts"), 2);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_refunds"), 2);
    world.healthy();
}

#[test]
fn a_webhook_with_a_bad_signature_is_refused_and_changes_nothing() {
    let world = World::new(12, 1);
    let (invoice, number, customer, due) = world.invoice_in("GBP", 0);
    world.fake.set_capture_delay(Duration::from_secs(3));
    let mut browser = world.customer(customer);
    let (order, back) = world.start_payment(&mut browser, &number);
    browser.get(&back);
    let capture = world.fake.capture_of(&order).unwrap();
    let genuine = world.fake.capture_event("PAYMENT.CAPTURE.COMPLETED", &capture).unwrap();
    let events = || world.n("SELECT count(*) AS n FROM paypal_webhook_events");
    let before = (world.books(), events());

    let mut forged_signature = genuine.clone();
    for (name, value) in &mut forged_signature.headers {
        if name == "paypal-transmission-sig" {
            *value = "0".repeat(64);
        }
    }
    assert_eq!(world.deliver(&forged_signature), 400);
    let mut forged_body = genuine.clone();
    forged_body.body =
        forged_body.body.replacen(&format!("\"value\":\"{due:.2}\""), "\"value\":\"999.00\"", 1);
    assert_ne!(forged_body.body, genuine.body);
    assert_eq!(world.deliver(&forged_body), 400);
    let unsigned = Webhook { headers: Vec::new(), ..genuine.clone() };
    assert_eq!(world.deliver(&unsigned), 400);
    assert_eq!((world.books(), events()), before, "nothing stored, nothing booked");
    assert_eq!(world.open(invoice), due);

    assert_eq!(world.deliver(&genuine), 200);
    assert_eq!(world.open(invoice), Decimal::ZERO);
    world.healthy();
}

#[test]
fn finance_refunds_partly_then_fully_and_a_chargeback_reopens_an_invoice() {
    let world = World::new(12, 10);
    let (invoice, number, customer, due) = world.invoice_in("CHF", 0);
    let mut browser = world.customer(customer);
    let (_, capture) = world.pay(&mut browser, &number);
    let mut finance = crate::support::accounts::staff_browser(
        &world.server,
        &world.db,
        "fin@kontor.example",
        Role::Finance,
    );
    let list = finance.get("/backoffice/paypal");
    assert!(list.body.contains(&capture), "{}", list.body);
    // Support cannot refund.
    let mut support = crate::support::accounts::staff_browser(
        &world.server,
        &world.db,
        "sue@kontor.example",
        Role::Support,
    );
    assert_eq!(
        support.post("/backoffice/paypal/refund", &[("capture", &capture), ("amount", "0.10")]).status,
        404
    );

    let partial = finance.submit("/backoffice/paypal/refund", &[("capture", &capture), ("amount", "0.50")]);
    assert!(partial.body.contains("has been refunded"), "{}", partial.body);
    // A reload of the result sends the form again: PayPal is not asked twice, one credit note.
    let again = finance.reload_result();
    assert!(again.body.contains("has been refunded"), "{}", again.body);
    assert_eq!(world.fake.requests().iter().filter(|r| r.path.ends_with("/refund")).count(), 1);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_refunds"), 1);
    let sent = world.fake.requests();
    let refund_call = sent.iter().find(|r| r.path.ends_with("/refund")).unwrap();
    assert_eq!(refund_call.body["amount"], serde_json::json!({ "currency_code": "CHF", "value": "0.50" }));
    assert_eq!(refund_call.body["invoice_id"], number.as_str());
    assert!(refund_call.request_id.is_some());
    assert_eq!(world.n("SELECT count(*) AS n FROM audit_log WHERE action = 'paypal.refund'"), 1);
    world.healthy();

    let too_much = finance.post("/backoffice/paypal/refund", &[("capture", &capture), ("amount", "999")]);
    assert!(too_much.body.contains("more than what is left to refund"), "{}", too_much.body);
    let rest = finance.submit("/backoffice/paypal/refund", &[("capture", &capture), ("amount", "")]);
    assert!(rest.body.contains("has been refunded"), "{}", rest.body);
    let refunded: Decimal = kontor::db::schema::paypal_refunds::table
        .select(diesel::dsl::sum(kontor::db::schema::paypal_refunds::amount).assume_not_null())
        .first(&mut world.db.conn())
        .unwrap();
    assert_eq!(refunded, due, "all of it went back");
    let credited: Decimal = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::credited_invoice_id.eq(invoice))
        .select(diesel::dsl::sum(kontor::db::schema::invoices::gross).assume_not_null())
        .first(&mut world.db.conn())
        .unwrap();
    assert_eq!(credited.abs(), due, "credit notes for the whole invoice");
    assert_eq!(world.balance(&format!("1750-CHF-C{customer}")), Decimal::ZERO, "no credit left over");
    assert_eq!(world.open(invoice), Decimal::ZERO);
    // PayPal's webhook for our own refund books nothing more.
    let refund_id: String = kontor::db::schema::paypal_refunds::table
        .select(kontor::db::schema::paypal_refunds::refund_id)
        .first(&mut world.db.conn())
        .unwrap();
    let books = world.books();
    assert_eq!(world.deliver(&world.fake.event_of_refund(&refund_id).unwrap()), 200);
    assert_eq!(world.books(), books);
    world.healthy();

    // A chargeback on another invoice: open again, finance told.
    let (other, other_number, other_customer, other_due) = world.invoice_in("EUR", 0);
    let mut payer = world.customer(other_customer);
    let (_, other_capture) = world.pay(&mut payer, &other_number);
    assert_eq!(world.open(other), Decimal::ZERO);
    let reversed = world.fake.refund_event("PAYMENT.CAPTURE.REVERSED", &other_capture, None).unwrap();
    assert_eq!(world.deliver(&reversed), 200);
    assert_eq!(world.open(other), other_due, "the invoice is open again");
    assert_eq!(world.balance(&format!("1400-EUR-C{other_customer}")), other_due, "receivable again");
    assert_eq!(world.n("SELECT count(*) AS n FROM audit_log WHERE action = 'paypal.chargeback'"), 1);
    assert_eq!(
        world.n("SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'paypal-chargeback:%' AND recipient = 'fin@kontor.example'"),
        1,
        "finance gets an email"
    );
    let books = world.books();
    assert_eq!(world.deliver(&reversed), 200);
    assert_eq!(world.books(), books, "a repeated chargeback changes nothing");
    world.healthy();
}

#[test]
fn amounts_go_out_with_the_right_decimals_in_every_currency() {
    let world = World::new(12, 10);
    for code in ["EUR", "CHF", "SEK", "NOK", "DKK", "GBP"] {
        let (invoice, number, customer, due) = world.invoice_in(code, 0);
        let mut browser = world.customer(customer);
        world.pay(&mut browser, &number);
        assert_eq!(world.open(invoice), Decimal::ZERO, "{code} paid");
        let sent = world.fake.requests();
        let create = sent
            .iter()
            .filter(|r| r.path == "/v2/checkout/orders")
            .find(|r| r.body["purchase_units"][0]["invoice_id"] == number.as_str())
            .unwrap();
        let amount = &create.body["purchase_units"][0]["amount"];
        assert_eq!(amount["currency_code"], code);
        let value = amount["value"].as_str().unwrap();
        let expected = Money::new(due, Currency::from_code(code).unwrap());
        assert_eq!(value, format!("{:.2}", expected.amount()), "{code}");
        let (whole, cents) = value.split_once('.').unwrap();
        assert!(whole.chars().all(|c| c.is_ascii_digit()) && cents.len() == 2, "{code}: {value}");
    }
    world.healthy();
}

#[test]
fn without_credentials_there_is_no_paypal_button_and_no_webhook_endpoint() {
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 12);
    let (invoice, customer, _, _) = invoices[0].clone();
    let number: String = kontor::db::schema::invoices::table
        .find(invoice)
        .select(kontor::db::schema::invoices::number)
        .first(&mut db.conn())
        .unwrap();
    let server = TestServer::start(&db);
    let user: i64 = diesel::insert_into(kontor::db::schema::users::table)
        .values((
            kontor::db::schema::users::email.eq("nopaypal@example.com"),
            kontor::db::schema::users::role.eq("customer"),
            kontor::db::schema::users::customer_id.eq(customer),
            kontor::db::schema::users::language.eq("en"),
        ))
        .returning(kontor::db::schema::users::id)
        .get_result(&mut db.conn())
        .unwrap();
    let mut browser = server.browser();
    browser.sign_in_as(&db, kontor::ids::UserId(user));
    let page = browser.get(&format!("/account/invoices/{number}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&number) && !page.body.contains("Pay with PayPal"));
    assert!(page.header("content-security-policy").unwrap().contains("form-action 'self';"));
    assert_eq!(browser.post(&format!("/account/invoices/{number}/paypal"), &[]).status, 404);
    let webhook = Webhook { event_id: "WH-1".into(), body: "{}".into(), headers: Vec::new() };
    assert_eq!(
        FakePayPal::deliver(&webhook, &format!("http://127.0.0.1:{}/webhooks/paypal", server.port)),
        404
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM paypal_orders"), 0);
}

#[test]
fn a_refund_arriving_while_its_capture_is_booked_is_never_left_waiting() {
    let world = World::new(12, 1);
    let (invoice, number, customer, _) = world.invoice_in("EUR", 0);
    world.fake.set_capture_delay(Duration::from_secs(3));
    let mut browser = world.customer(customer);
    let (order, back) = world.start_payment(&mut browser, &number);
    assert!(browser.get(&back).body.contains("still confirming"));
    let capture = world.fake.capture_of(&order).unwrap();
    let completed = world.fake.capture_event("PAYMENT.CAPTURE.COMPLETED", &capture).unwrap();
    let refunded = world.fake.refund_event("PAYMENT.CAPTURE.REFUNDED", &capture, Some("0.40")).unwrap();
    // The capture is booked here and has just looked for refunds waiting for it (none) ...
    let pool = world.db.pool();
    let settings = world.server.settings.clone();
    let (action, reached, release) = kontor::failpoint::pause();
    let booking = std::thread::spawn(move || {
        let _armed = kontor::failpoint::arm("paypal-after-waiting-check", action);
        let mut conn = pool.get().unwrap();
        conn.transaction(|c| {
            kontor::payments::paypal::webhooks::receive(
                c,
                &completed.body,
                &settings.billing(),
                &settings.publishing(),
                crate::support::now(),
            )
        })
        .unwrap()
    });
    reached.recv().unwrap();
    // ... when the refund's webhook arrives, before the capture's transaction commits.
    let url = world.webhook_url();
    let delivering = std::thread::spawn(move || FakePayPal::deliver(&refunded, &url));
    let db = &world.db;
    while !delivering.is_finished()
        && count(
            db,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        ) == 0
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    release.send(()).unwrap();
    booking.join().unwrap();
    assert_eq!(delivering.join().unwrap(), 200);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_webhook_events WHERE processed_at IS NULL"), 0);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_refunds"), 1, "the refund is booked");
    assert_eq!(world.balance(&format!("1750-EUR-C{customer}")), Decimal::ZERO);
    assert_eq!(world.open(invoice), Decimal::ZERO);
    world.healthy();
}

#[test]
fn the_sweep_processes_events_still_waiting_for_a_booked_capture() {
    let world = World::new(12, 1);
    let (_, number, customer, _) = world.invoice_in("EUR", 1);
    let mut browser = world.customer(customer);
    let (_, capture) = world.pay(&mut browser, &number);
    // A refund event left waiting, whatever the cause (stored by an older version, a crash).
    let refunded = world.fake.refund_event("PAYMENT.CAPTURE.REFUNDED", &capture, Some("0.25")).unwrap();
    diesel::sql_query(format!(
        "INSERT INTO paypal_webhook_events (event_id, event_type, capture_id, body, outcome)
         VALUES ('{}', 'PAYMENT.CAPTURE.REFUNDED', '{capture}', '{}'::jsonb, 'waiting for capture')",
        refunded.event_id,
        refunded.body.replace('\'', "''")
    ))
    .execute(&mut world.db.conn())
    .unwrap();
    let output = crate::support::kontor_command()
        .args(["paypal", "sweep"])
        .env("DATABASE_URL", world.db.url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 capture(s)"));
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_webhook_events WHERE processed_at IS NULL"), 0);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_refunds"), 1);
    // A delivery of the same event later is a duplicate: nothing twice.
    assert_eq!(world.deliver(&refunded), 200);
    assert_eq!(world.n("SELECT count(*) AS n FROM paypal_refunds"), 1);
    world.healthy();
}
