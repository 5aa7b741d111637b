//! The support console: staff find a caller by any key they read out, see their page, and act
//! for them; every action is audited and a form sent twice does it once; roles hold; staff
//! viewing the portal as a customer change nothing.

use diesel::prelude::*;
use kontor::accounts::Role;
use kontor::support::search::{self, Kind};

use crate::support::accounts::{signed_up_and_verified, staff_browser};
use crate::support::{Browser, TestDb, TestServer, count};

/// A customer with a log-in, a paid subscription, an issued invoice (with its email), a
/// mandate and a PayPal order; returns their customer id and invoice number.
fn caller(server: &TestServer, db: &TestDb, email: &str, name: &str) -> (i64, String, Browser) {
    let mut browser = signed_up_and_verified(server, db, email, name);
    assert_eq!(browser.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    let customer = count(db, &format!("SELECT customer_id AS n FROM users WHERE email = '{email}'"));
    let month = crate::support::now().format("%Y-%m").to_string();
    crate::support::invoicing::run_batch(db, &month, crate::support::now());
    let number: String = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::customer_id.eq(customer))
        .select(kontor::db::schema::invoices::number)
        .first(&mut db.conn())
        .expect("an invoice");
    (customer, number, browser)
}

fn found(db: &TestDb, query: &str) -> Vec<(i64, Kind)> {
    search::search(&mut db.conn(), query)
        .unwrap()
        .into_iter()
        .map(|hit| (hit.customer_id, hit.matched))
        .collect()
}

#[test]
fn search_finds_a_customer_by_every_key_and_customers_have_no_search() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (muller, number, mut customer_browser) = caller(&server, &db, "j.mueller@x.example", "Jürgen Müller");
    let (other, _, _) = caller(&server, &db, "anna@x.example", "Anna Schmidt");
    crate::support::sepa::mandate(&db, muller, "DE89370400440532013000").unwrap();
    crate::support::sepa::mandate(&db, other, "DE02120300000000202051").unwrap();
    let invoice_id = count(&db, &format!("SELECT id AS n FROM invoices WHERE number = '{number}'"));
    diesel::sql_query(format!(
        "INSERT INTO paypal_orders (request_id, order_id, invoice_id, customer_id, currency, amount, state, payer_id)
         VALUES ('req-1', 'ORDER1', {invoice_id}, {muller}, 'EUR', 1.19, 'captured', 'QYR5Z8XDVJNXQ')"
    ))
    .execute(&mut db.conn())
    .unwrap();
    let reference: String = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::number.eq(&number))
        .select(kontor::db::schema::invoices::payment_reference)
        .first(&mut db.conn())
        .unwrap();
    let qr = kontor::references::qr_reference(&number.replace(|c: char| !c.is_ascii_digit(), "")).unwrap();
    // As a payer types it from a slip: with a space.
    let spaced_rf = format!("{} {}", &reference[..4], &reference[4..]);
    let keys: Vec<(String, Kind)> = vec![
        ("muller".to_owned(), Kind::Name),
        ("MÜLLER".to_owned(), Kind::Name),
        ("jürgen müll".to_owned(), Kind::Name),
        ("ller jurg".to_owned(), Kind::Name),
        ("j.mueller@x.example".to_owned(), Kind::Email),
        ("J.Mueller@".to_owned(), Kind::Email),
        (kontor::support::customer_number(muller), Kind::CustomerNumber),
        (number.clone(), Kind::InvoiceNumber),
        (spaced_rf, Kind::PaymentReference),
        (qr, Kind::PaymentReference),
        ("3000".to_owned(), Kind::IbanEnding),
        ("…3000".to_owned(), Kind::IbanEnding),
        ("QYR5Z8XDVJNXQ".to_owned(), Kind::PaypalPayer),
    ];
    for (query, kind) in &keys {
        let hits = found(&db, query);
        assert!(hits.contains(&(muller, *kind)), "{query:?} finds Müller by {kind:?}: {hits:?}");
        assert!(!hits.iter().any(|(id, _)| *id == other), "{query:?} finds only Müller: {hits:?}");
    }
    assert_eq!(found(&db, "2051"), vec![(other, Kind::IbanEnding)]);
    // Anna pays her invoice from a Swiss account: its last digits find her too, once the
    // transfer is hers.
    let (due, anna_reference): (rust_decimal::Decimal, String) = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::customer_id.eq(other))
        .select((kontor::db::schema::invoices::amount_due, kontor::db::schema::invoices::payment_reference))
        .first(&mut db.conn())
        .unwrap();
    assert!(found(&db, "2957").is_empty());
    let mut transfer = kontor::payments::bank::statement::Movement::transfer(
        crate::support::bank::eur(due),
        crate::support::bank::day(),
        "SUPPORT-1",
    );
    transfer.debtor_iban = Some("CH9300762011623852957".to_owned());
    transfer.creditor_reference = Some(anna_reference);
    let summary = crate::support::bank::import_bytes(
        &db,
        &crate::support::bank::statement_bytes("S-1", vec![transfer]),
    )
    .unwrap();
    assert_eq!(summary.paid, 1);
    assert_eq!(found(&db, "2957"), vec![(other, Kind::IbanEnding)]);
    assert!(found(&db, "nobody-like-this").is_empty());
    // Wildcards typed into the box are letters, not patterns.
    assert!(found(&db, "%%%").is_empty());
    assert!(found(&db, "___@").is_empty());

    // Through the page: support finds the caller; customers have no search at all.
    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let page = support.get("/backoffice/customers?q=muller");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&kontor::support::customer_number(muller)), "{}", page.body);
    assert!(!page.body.contains("Anna Schmidt"));
    for path in [
        "/backoffice/customers?q=muller",
        &format!("/backoffice/customers/{}", kontor::support::customer_number(muller)),
    ] {
        let refused = customer_browser.get(path);
        assert_eq!(refused.status, 404, "a customer searching: {path}");
        assert!(!refused.body.contains("Müller"), "nothing about anyone leaks");
    }
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    assert_eq!(finance.get("/backoffice/customers?q=schmidt").status, 200);
}

/// Counts of an audit action about a customer.
fn audited(db: &TestDb, action: &str, customer: i64) -> i64 {
    count(
        db,
        &format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = '{action}' AND target = 'customer:{customer}'"
        ),
    )
}

/// Posts an action's form, checks that it is done and audited once, then sends the very same
/// form again (a reload, a double click): nothing more happens.
fn once(
    db: &TestDb,
    staff: &mut Browser,
    customer: i64,
    action: &str,
    path: &str,
    fields: &[(&str, &str)],
    effect: &dyn Fn() -> i64,
) {
    let before = effect();
    let response = staff.post(path, fields);
    assert_eq!(response.status, 303, "{path}: {}", response.body);
    let page = staff.follow(response);
    assert_eq!(page.status, 200, "{path}");
    assert!(page.notice().is_some(), "{path} says what it did");
    let after = effect();
    assert_ne!(before, after, "{path} did something");
    assert_eq!(audited(db, action, customer), 1, "{action} audited once");
    let again = staff.reload_result();
    assert_eq!(again.status, 200, "{path} again");
    assert_eq!(effect(), after, "{path} sent again does nothing");
    assert_eq!(audited(db, action, customer), 1, "{action} sent again is not audited again");
}

#[test]
fn every_action_is_audited_and_a_resubmitted_form_does_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (paying, number, _) = caller(&server, &db, "lea@x.example", "Lea Meier");
    let mut trying = signed_up_and_verified(&server, &db, "tom@x.example", "Tom Trial");
    assert_eq!(trying.post("/account/subscription/start", &[("mode", "trial")]).status, 303);
    let trial = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'tom@x.example'");
    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let page =
        |customer: i64| format!("/backoffice/customers/{}", kontor::support::customer_number(customer));

    let outbox = || count(&db, "SELECT count(*) AS n FROM mail_outbox");
    let shown = support.get(&page(paying));
    assert_eq!(shown.status, 200);
    for section in [&number, "Lea Meier", "lea@x.example", "Hauptstraße 1", "subscription.started"] {
        assert!(shown.body.contains(section), "the page shows {section}");
    }
    assert!(
        !shown.body.contains(">null<") && !shown.body.contains("T00:00"),
        "every value is written for people"
    );
    once(
        &db,
        &mut support,
        paying,
        "support.mail_resent",
        &format!("{}/mail/resend", page(paying)),
        &[("invoice", &number)],
        &outbox,
    );
    let copy: (String, Option<i64>, String) = kontor::db::schema::mail_outbox::table
        .order(kontor::db::schema::mail_outbox::id.desc())
        .select((
            kontor::db::schema::mail_outbox::recipient,
            kontor::db::schema::mail_outbox::attachment_document_id,
            kontor::db::schema::mail_outbox::message_id,
        ))
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(copy.0, "lea@x.example");
    assert!(copy.1.is_some(), "the invoice PDF goes with it again");
    let original =
        count(&db, &format!("SELECT count(*) AS n FROM mail_outbox WHERE message_id = '{}'", copy.2));
    assert_eq!(original, 1, "the copy is a new message with its own Message-ID");

    // The email that carried the verification link cannot be sent again: the link is gone.
    let verification = count(
        &db,
        "SELECT id AS n FROM mail_outbox WHERE subject LIKE 'Please confirm%' AND recipient = 'lea@x.example'",
    );
    let refused =
        support.post(&format!("{}/mail/resend", page(paying)), &[("mail", &verification.to_string())]);
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("single-use link"), "{}", refused.body);
    assert!(!shown.body.contains(&format!("name=\"mail\" value=\"{verification}\"")), "no button for it");

    let cancel_on = || {
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM subscriptions WHERE customer_id = {paying} AND cancel_on IS NOT NULL"
            ),
        )
    };
    once(
        &db,
        &mut support,
        paying,
        "support.cancelled",
        &format!("{}/cancel", page(paying)),
        &[],
        &cancel_on,
    );
    once(
        &db,
        &mut support,
        paying,
        "support.reactivated",
        &format!("{}/reactivate", page(paying)),
        &[],
        &cancel_on,
    );

    let credit = || {
        count(&db, &format!(
            "SELECT coalesce(-sum(p.amount) * 100, 0)::bigint AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
              WHERE a.customer_id = {paying} AND a.code LIKE '1750-%'"
        ))
    };
    once(
        &db,
        &mut finance,
        paying,
        "support.goodwill_credit",
        &format!("{}/goodwill", page(paying)),
        &[("amount", "5.00"), ("reason", "Waited long on the phone")],
        &credit,
    );
    assert_eq!(credit(), 500, "5.00 of customer credit");
    let verify = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(verify.findings.is_empty(), "{:?}", verify.findings);

    let trial_end = || {
        count(
            &db,
            &format!(
                "SELECT (trial_ends_on - DATE '2026-01-01')::bigint AS n FROM subscriptions WHERE customer_id = {trial}"
            ),
        )
    };
    let first_end = trial_end();
    once(
        &db,
        &mut finance,
        trial,
        "support.free_month_extended",
        &format!("{}/free-month", page(trial)),
        &[("days", "7")],
        &trial_end,
    );
    assert_eq!(trial_end(), first_end + 7);

    // Failed log-ins of Tom's from two networks: unlocking forgets both.
    let failures = || {
        count(
            &db,
            "SELECT coalesce(sum(hits), 0)::bigint AS n FROM rate_limit_hits WHERE bucket LIKE 'login-fail%tom@x.example%'",
        )
    };
    for ip in ["198.51.100.1", "198.51.100.2"] {
        let mut stranger = server.browser();
        stranger.ip = ip.to_owned();
        stranger.post("/login", &[("email", "tom@x.example"), ("password", "not the password at all")]);
    }
    assert!(failures() > 0);
    once(
        &db,
        &mut support,
        trial,
        "support.login_unlocked",
        &format!("{}/unlock", page(trial)),
        &[],
        &failures,
    );
    assert_eq!(failures(), 0);

    let sessions = || {
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.customer_id = {trial}"
            ),
        )
    };
    once(
        &db,
        &mut support,
        trial,
        "support.sessions_ended",
        &format!("{}/sessions/end", page(trial)),
        &[],
        &sessions,
    );
    assert_eq!(sessions(), 0);
    assert_eq!(trying.get("/account").status, 303, "Tom is signed out");

    let notes = || count(&db, "SELECT count(*) AS n FROM staff_notes");
    once(
        &db,
        &mut support,
        trial,
        "support.note_added",
        &format!("{}/notes", page(trial)),
        &[("body", "Called about the free month.")],
        &notes,
    );
    assert!(support.get(&page(trial)).body.contains("Called about the free month."));
    let changed = diesel::sql_query("UPDATE staff_notes SET body = 'rewritten'").execute(&mut db.conn());
    assert!(changed.is_err(), "notes are append-only");
    assert!(diesel::sql_query("DELETE FROM staff_notes").execute(&mut db.conn()).is_err());

    let links = || count(&db, "SELECT count(*) AS n FROM one_time_tokens WHERE purpose = 'change_email'");
    once(
        &db,
        &mut support,
        trial,
        "support.email_change_requested",
        &format!("{}/email", page(trial)),
        &[("new_email", "tom.new@x.example")],
        &links,
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM users WHERE email = 'tom@x.example'"),
        1,
        "only the customer's click changes it"
    );

    // Refusals change nothing and say why.
    let refused = finance.post(&format!("{}/free-month", page(paying)), &[("days", "7")]);
    assert_eq!(refused.status, 200, "a paying customer has no free month to extend");
    assert!(refused.body.contains("no free month"), "{}", refused.body);
    let refused = finance.post(&format!("{}/goodwill", page(paying)), &[("amount", "-5"), ("reason", "x")]);
    assert_eq!(refused.status, 200);
    assert_eq!(credit(), 500);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'support.%' AND target = 'customer:999999'"
        ),
        0
    );
    assert_eq!(support.post("/backoffice/customers/K999999/unlock", &[]).status, 404);
}

#[test]
fn roles_decide_who_acts_and_staff_viewing_as_a_customer_change_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (lea, _, mut customer) = caller(&server, &db, "lea@x.example", "Lea Meier");
    let page = format!("/backoffice/customers/{}", kontor::support::customer_number(lea));
    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    // Money is finance's, accounts are support's; both see the page.
    assert_eq!(support.post(&format!("{page}/goodwill"), &[("amount", "5"), ("reason", "x")]).status, 404);
    assert_eq!(support.post(&format!("{page}/free-month"), &[("days", "3")]).status, 404);
    assert_eq!(finance.post(&format!("{page}/cancel"), &[]).status, 404);
    assert_eq!(finance.post(&format!("{page}/view-as"), &[]).status, 404);
    assert_eq!(finance.get(&page).status, 200);
    assert_eq!(customer.post(&format!("{page}/notes"), &[("body", "hi")]).status, 404);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'support.%'"), 0);

    // View as the customer: their pages with a banner, and every write refused.
    let response = support.post(&format!("{page}/view-as"), &[]);
    assert_eq!(response.location(), "/account");
    let account = support.follow(response);
    assert_eq!(account.status, 200);
    assert!(account.body.contains("id=\"view-as\""), "the banner is shown");
    assert!(account.body.contains("lea@x.example"));
    assert_eq!(audited(&db, "support.view_as_started", lea), 1);
    assert_eq!(support.get("/account/invoices").status, 200);
    let before = count(&db, "SELECT count(*) AS n FROM subscriptions WHERE cancel_on IS NOT NULL");
    let refused = support.post("/account/subscription/cancel", &[]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(support.post("/account/settings", &[("name", "Hijacked")]).status, 403);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscriptions WHERE cancel_on IS NOT NULL"), before);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM customers WHERE name = 'Hijacked'"), 0);
    // The back office still works for the staff member, and ending the view leads back.
    assert_eq!(support.get(&page).status, 200);
    let back = support.post("/backoffice/view-as/end", &[]);
    assert_eq!(back.location(), page);
    assert_eq!(audited(&db, "support.view_as_ended", lea), 1);
    assert_eq!(support.get("/account").status, 404, "staff are no customers again");
    // The customer's own session never views as anyone.
    assert!(!customer.get("/account").body.contains("id=\"view-as\""));
}

#[test]
fn support_finds_a_caller_in_chromium_and_resends_their_invoice_once_however_often_reloaded() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (lea, number, _) = caller(&server, &db, "lea@x.example", "Lea Meier");
    let Some(chromium) = server.chromium() else { return };
    crate::browser::staff_in_chromium(&chromium, &server, &db, "sue@kontor.example", Role::Support);
    let customer = kontor::support::customer_number(lea);

    chromium.goto("/backoffice");
    chromium.fill("q", "meier");
    chromium.click_in("main", "Search");
    chromium.wait_for_text(&customer);
    chromium.reload();
    chromium.wait_for_text(&customer);
    chromium.click_in("#hits", &customer);
    chromium.wait_for_url(&format!("/backoffice/customers/{customer}"));
    chromium.wait_for_text(&number);

    let outbox = || count(&db, "SELECT count(*) AS n FROM mail_outbox");
    let before = outbox();
    chromium.click_in("#invoices", "Send again");
    chromium.wait_for_text("queued again");
    assert_eq!(outbox(), before + 1, "one email more");
    assert_eq!(audited(&db, "support.mail_resent", lea), 1);
    // F5 on the result page: the same form again, and nothing more is sent.
    chromium.reload();
    chromium.wait_for_text("queued again");
    chromium.goto(&format!("/backoffice/customers/{customer}"));
    chromium.wait_for_text(&number);
    assert_eq!(outbox(), before + 1, "reloading sent nothing more");
    assert_eq!(audited(&db, "support.mail_resent", lea), 1);
}

#[test]
fn in_the_demo_support_finds_lea_meier_by_her_name_her_invoice_number_and_her_iban() {
    let db = TestDb::new();
    let billing = crate::support::seller_settings().billing();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    let month = crate::support::now().format("%Y-%m").to_string();
    crate::support::invoicing::run_batch(&db, &month, crate::support::now());
    let lea = count(&db, "SELECT id AS n FROM customers WHERE email = 'lea.meier@ch.example'");
    let number: String = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::customer_id.eq(lea))
        .select(kontor::db::schema::invoices::number)
        .first(&mut db.conn())
        .expect("Lea pays, so she has an invoice");
    assert!(found(&db, "meier").contains(&(lea, Kind::Name)));
    assert_eq!(found(&db, &number), vec![(lea, Kind::InvoiceNumber)]);
    // Lea has paid from her Swiss account: its last digits find her; a second start pays nothing.
    let settings = kontor::demo::with_example_accounts(&crate::support::seller_settings());
    assert!(found(&db, "2957").is_empty());
    assert!(
        kontor::demo::swiss_payment(&mut db.conn(), &settings, crate::support::now().date_naive()).unwrap()
    );
    assert!(
        !kontor::demo::swiss_payment(&mut db.conn(), &settings, crate::support::now().date_naive()).unwrap()
    );
    assert_eq!(found(&db, "2957"), vec![(lea, Kind::IbanEnding)]);
    assert_eq!(
        found(&db, &kontor::demo::LEA_IBAN[kontor::demo::LEA_IBAN.len() - 4..]),
        vec![(lea, Kind::IbanEnding)]
    );
    // Lukas pays by direct debit: the last digits of his IBAN find him.
    let lukas = count(&db, "SELECT id AS n FROM customers WHERE email = 'lukas.gruber@at.example'");
    assert_eq!(found(&db, "3201"), vec![(lukas, Kind::IbanEnding)]);
}

#[test]
fn one_goodwill_form_sent_twice_at_the_same_time_credits_once() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (lea, _, _) = caller(&server, &db, "lea@x.example", "Lea Meier");
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let path = format!("/backoffice/customers/{}/goodwill", kontor::support::customer_number(lea));
    // The same rendered form (one CSRF token, one submission key) sent by two connections at once.
    let fields = vec![
        ("csrf".to_owned(), finance.csrf()),
        ("submission".to_owned(), crate::support::submission_key()),
        ("amount".to_owned(), "5.00".to_owned()),
        ("reason".to_owned(), "Double click".to_owned()),
    ];
    let barrier = std::sync::Barrier::new(2);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let senders: Vec<_> = (0..2)
            .map(|_| {
                let mut twin = server.browser();
                twin.cookies = finance.cookies.clone();
                twin.ip = finance.ip.clone();
                let (fields, path, barrier) = (fields.clone(), path.clone(), &barrier);
                scope.spawn(move || {
                    let fields: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    barrier.wait();
                    twin.post(&path, &fields).status
                })
            })
            .collect();
        senders.into_iter().map(|s| s.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| matches!(s, 200 | 303)), "{statuses:?}");
    let entries = count(&db, "SELECT count(*) AS n FROM journal_entries WHERE kind = 'goodwill_credited'");
    assert_eq!(entries, 1, "one credit, however the two requests interleave");
    assert_eq!(audited(&db, "support.goodwill_credit", lea), 1);
}

#[test]
fn the_page_of_a_dunned_customer_shows_their_notices_the_open_suspension_and_the_pause_in_force() {
    use crate::support::collections::{customer, d, dun, invoice};
    use kontor::i18n::Lang;
    use kontor::i18n::format::date;
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let dunned = customer(&db, "dunned@x.example", "DE", "EUR", None);
    let (_, number) =
        invoice(&db, dunned, rust_decimal::Decimal::new(100, 2), iso_currency::Currency::EUR, d(2026, 10, 1));
    let mut conn = db.conn();
    for day in [d(2026, 10, 4), d(2026, 10, 15), d(2026, 10, 29), d(2026, 11, 5)] {
        dun(&mut conn, day);
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NULL"), 1);
    // A pause that ended in November, and one in force on the page's day (the pinned clock's).
    let actor = kontor::audit::Actor::system("test");
    let pause = |conn: &mut PgConnection, reason: &str, until, today| {
        kontor::collections::pause::pause(conn, dunned, reason, until, today, &actor, crate::support::now())
            .unwrap()
    };
    pause(&mut conn, "Asked for a week", d(2026, 11, 20), d(2026, 11, 10));
    pause(&mut conn, "Disputes the October invoice", d(2026, 12, 20), d(2026, 12, 5));
    drop(conn);

    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let page = support.get(&format!("/backoffice/customers/{}", kontor::support::customer_number(dunned)));
    assert_eq!(page.status, 200, "{}", page.body);
    let start = page.body.find("id=\"dunning\"").expect("the dunning section");
    let section = &page.body[start..start + page.body[start..].find("</div>").unwrap()];
    let en = Lang::english();
    assert!(section.contains(&format!("for invoice {number}.")), "{section}");
    assert!(section.contains("Suspended since "), "{section}");
    assert!(section.contains("Still suspended"), "{section}");
    // Four notices, newest first: the suspension on step 4, sent on 5 November.
    let notices = &section[section.find("id=\"dunning-notices\"").unwrap()..];
    let notices = &notices[..notices.find("</table>").unwrap()];
    assert_eq!(notices.matches(&format!("<td>{number}</td>")).count(), 4, "{notices}");
    let newest =
        format!("<td>{number}</td><td>4</td><td>Suspension</td><td>{}</td>", date(&en, d(2026, 11, 5)));
    assert!(notices.contains(&newest), "{newest} missing from {notices}");
    assert!(notices.contains("<td>Final notice</td>") && notices.contains("<td>Reminder</td>"), "{notices}");
    // The pause in force above the tables, the ended one only in its table.
    let paused =
        format!("Dunning is paused until {}: Disputes the October invoice", date(&en, d(2026, 12, 20)));
    assert!(section.contains(&paused), "{paused} missing from {section}");
    assert_eq!(section.matches("Dunning is paused until").count(), 1, "only the pause in force: {section}");
    let pauses = &section[section.find("id=\"dunning-pauses\"").unwrap()..];
    assert!(pauses.contains("Asked for a week") && pauses.contains("Over"), "{pauses}");
    assert_eq!(pauses.matches("In force").count(), 1, "{pauses}");
}
