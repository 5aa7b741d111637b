//! Subscriptions against a real PostgreSQL: the free month and its abuse rules, packs with
//! proration and VAT, cancellation, time moving on, and the provisioning event stream.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use kontor::accounts::User;
use kontor::subscriptions::changes::{self, ChangeRequest};
use kontor::subscriptions::provisioning::{entitlement, events_after};
use kontor::subscriptions::trial::{self, Start};
use kontor::subscriptions::{Billing, Status, Subscription, SubscriptionError, TrialRefusal, advance};
use rust_decimal::Decimal;

use crate::support::TestDb;
use crate::support::subscriptions::customer;

fn billing() -> Billing {
    kontor::config::Settings::from_lookup(|_| None).unwrap().billing()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn start(
    conn: &mut PgConnection,
    user: &User,
    mode: Start,
    iban: Option<&str>,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Subscription, SubscriptionError> {
    conn.transaction(|c| trial::start(c, &billing(), user, mode, iban, ip, now))
}

fn refusal(result: Result<Subscription, SubscriptionError>) -> TrialRefusal {
    match result {
        Err(SubscriptionError::TrialRefused(reason)) => reason,
        other => panic!("expected a refused trial, got {other:?}"),
    }
}

#[test]
fn one_free_month_per_person_by_email_iban_and_network() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let now = at("2026-11-21T10:00:00Z");
    let first = customer(&mut conn, "j.doe@gmail.com", "DE", "EUR", None);
    let trial = start(&mut conn, &first, Start::Trial, None, "192.0.2.1", now).unwrap();
    assert_eq!(trial.status, Status::Trial);
    assert_eq!(trial.trial_ends_on, NaiveDate::from_ymd_opt(2026, 12, 21));

    // Gmail ignores dots and +tags, and googlemail.com is gmail.com.
    for variant in ["J.Doe+kontor@GMail.com", "jdoe@googlemail.com", "j.d.o.e+x@gmail.com"] {
        let again = customer(&mut conn, variant, "DE", "EUR", None);
        let reason = refusal(start(&mut conn, &again, Start::Trial, None, "192.0.2.50", now));
        assert_eq!(reason, TrialRefusal::EmailUsed, "{variant}");
        let text = kontor::i18n::t(&kontor::i18n::Lang::supported("de").unwrap(), reason.message_id());
        assert!(text.contains("E-Mail"), "a clear, localized message: {text}");
        // Subscribing paid right away is always possible.
        let paid = start(&mut conn, &again, Start::Paid, None, "192.0.2.50", now).unwrap();
        assert_eq!((paid.status, paid.trial_ends_on), (Status::Active, None));
    }

    // The same bank account, however it is typed, pays for one free month.
    let with_iban = customer(&mut conn, "anna@de.example", "DE", "EUR", None);
    start(&mut conn, &with_iban, Start::Trial, Some("DE89 3704 0044 0532 0130 00"), "192.0.2.2", now)
        .unwrap();
    let same_iban = customer(&mut conn, "bernd@de.example", "DE", "EUR", None);
    let reason =
        refusal(start(&mut conn, &same_iban, Start::Trial, Some("de89370400440532013000"), "192.0.2.3", now));
    assert_eq!(reason, TrialRefusal::PaymentIdentityUsed);
    let stored: Vec<Vec<u8>> = kontor::db::schema::trial_claims::table
        .select(kontor::db::schema::trial_claims::fingerprint)
        .load(&mut conn)
        .unwrap();
    assert!(stored.iter().all(|f| f.len() == 32), "only keyed hashes are stored");
    let bad = customer(&mut conn, "typo@de.example", "DE", "EUR", None);
    assert!(matches!(
        start(&mut conn, &bad, Start::Trial, Some("DE89 3704 0044 0532 0130 01"), "192.0.2.4", now),
        Err(SubscriptionError::InvalidIban)
    ));

    // Three free months a day from one network (/24), then no more.
    for n in 0..3 {
        let neighbour = customer(&mut conn, &format!("n{n}@nl.example"), "NL", "EUR", None);
        start(&mut conn, &neighbour, Start::Trial, None, &format!("203.0.113.{}", 10 + n), now).unwrap();
    }
    let fourth = customer(&mut conn, "n4@nl.example", "NL", "EUR", None);
    let reason = refusal(start(&mut conn, &fourth, Start::Trial, None, "203.0.113.99", now));
    assert_eq!(reason, TrialRefusal::NetworkLimit);
    // The next day the network may start one again.
    start(&mut conn, &fourth, Start::Trial, None, "203.0.113.99", now + Duration::days(1)).unwrap();
}

#[test]
fn unverified_customers_cannot_start_and_nobody_has_two_subscriptions() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let now = crate::support::now();
    let user = customer(&mut conn, "unverified@x.example", "DE", "EUR", None);
    diesel::sql_query("UPDATE users SET email_verified_at = NULL").execute(&mut conn).unwrap();
    let user = User::by_id(&mut conn, user.id).unwrap().unwrap();
    assert!(matches!(
        start(&mut conn, &user, Start::Trial, None, "10.1.1.1", now),
        Err(SubscriptionError::NotVerified)
    ));
    diesel::sql_query("UPDATE users SET email_verified_at = now()").execute(&mut conn).unwrap();
    let user = User::by_id(&mut conn, user.id).unwrap().unwrap();
    start(&mut conn, &user, Start::Trial, None, "10.1.1.1", now).unwrap();
    assert!(matches!(
        start(&mut conn, &user, Start::Paid, None, "10.1.1.1", now),
        Err(SubscriptionError::AlreadySubscribed)
    ));
}

fn quote(conn: &mut PgConnection, user: &User, plan: &str, now: DateTime<Utc>) -> changes::Quote {
    changes::quote_pack(conn, &billing(), user.customer_id.unwrap(), plan, now).unwrap()
}

#[test]
fn upgrades_are_prorated_by_day_with_the_customers_vat() {
    let db = TestDb::new();
    let mut conn = db.conn();
    // Started on 2026-11-10 (Berlin): periods run from the 10th to the 10th.
    let started = at("2026-11-10T09:00:00Z");
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a str, i64, Decimal, Decimal);
    let cases: [Case; 5] = [
        // 50 GB pack 2.99 EUR; 30-day period, 15 days left -> 1.495 -> 1.50.
        (
            "de@x.example",
            "DE",
            "EUR",
            None,
            "2026-11-25T12:00:00Z",
            150,
            Decimal::new(19, 0),
            Decimal::new(29, 2),
        ),
        (
            "at@x.example",
            "AT",
            "EUR",
            None,
            "2026-11-25T12:00:00Z",
            150,
            Decimal::new(20, 0),
            Decimal::new(30, 2),
        ),
        // An Austrian business: reverse charge, no VAT.
        (
            "atb@x.example",
            "AT",
            "EUR",
            Some("ATU13585627"),
            "2026-11-25T12:00:00Z",
            150,
            Decimal::ZERO,
            Decimal::ZERO,
        ),
        // 33.00 SEK, Swedish VAT 25 %: 16.50 + 4.13 (4.125 rounds up).
        (
            "se@x.example",
            "SE",
            "SEK",
            None,
            "2026-11-25T12:00:00Z",
            1_650,
            Decimal::new(25, 0),
            Decimal::new(413, 2),
        ),
        // The first day of the period: the full month.
        ("ch@x.example", "CH", "CHF", None, "2026-11-10T12:00:00Z", 299, Decimal::ZERO, Decimal::ZERO),
    ];
    for (email, country, currency, vat_id, when, net_minor, rate, vat) in cases {
        let user = customer(&mut conn, email, country, currency, vat_id);
        if let Some(vat_id) = vat_id {
            crate::support::vies::confirmed(&mut conn, user.customer_id.unwrap().0, vat_id);
        }
        start(&mut conn, &user, Start::Paid, None, "10.0.0.1", started).unwrap();
        let plan = "mail_pack_50gb";
        let q = quote(&mut conn, &user, plan, at(when));
        assert_eq!(q.net.to_minor().unwrap(), net_minor, "{email} net");
        assert_eq!(q.vat_rate, rate, "{email} rate");
        assert_eq!(q.vat.amount(), vat, "{email} vat");
        assert_eq!(q.gross, q.net.checked_add(q.vat).unwrap());
        if vat_id.is_some() {
            assert_eq!(q.vat_note, Some("vat-note-reverse-charge"));
        }
        if country == "CH" {
            assert_eq!(q.vat_note, Some("vat-note-outside-eu"));
        }
        // What the preview says is what ends up pending for the invoice.
        let added = conn
            .transaction(|c| {
                changes::add_pack(
                    c,
                    &ChangeRequest {
                        billing: &billing(),
                        customer: user.customer_id.unwrap(),
                        actor: user.id,
                        ip: "10.0.0.1",
                        now: at(when),
                    },
                    plan,
                )
            })
            .unwrap();
        assert_eq!(added.net, q.net);
        let pending: Decimal = kontor::db::schema::pending_charges::table
            .filter(kontor::db::schema::pending_charges::customer_id.eq(user.customer_id.unwrap().0))
            .select(kontor::db::schema::pending_charges::net_amount)
            .first(&mut conn)
            .unwrap();
        assert_eq!(pending, q.net.amount());
        assert_eq!(
            entitlement(&mut conn, user.customer_id.unwrap(), at(when).date_naive()).unwrap().mail_gb,
            60
        );
    }
}

#[test]
fn removals_downgrades_and_cancellation_take_effect_at_the_period_end() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = billing();
    let started = at("2026-11-10T09:00:00Z");
    let user = customer(&mut conn, "mover@x.example", "DE", "EUR", None);
    let customer_id = user.customer_id.unwrap();
    start(&mut conn, &user, Start::Trial, None, "10.0.0.2", started).unwrap();
    let mid = at("2026-11-20T10:00:00Z");
    let request = |now| ChangeRequest { billing: &b, customer: customer_id, actor: user.id, ip: "ip", now };
    let mut tx = |f: &mut dyn FnMut(&mut PgConnection) -> Result<(), SubscriptionError>| {
        conn.transaction(|c| f(c)).unwrap()
    };
    tx(&mut |c| changes::add_pack(c, &request(mid), "storage_pack_100gb").map(|_| ()));
    tx(&mut |c| changes::add_pack(c, &request(mid), "mail_pack_10gb").map(|_| ()));
    let mut conn = db.conn();
    let packs = kontor::subscriptions::Pack::current(&mut conn, 1, mid.date_naive()).unwrap();
    let (storage, mail) = (packs[0].id, packs[1].id);
    // A smaller storage pack from the next period; the mail pack removed at the period end.
    let switch_on =
        conn.transaction(|c| changes::switch_pack(c, &request(mid), storage, "storage_pack_10gb")).unwrap();
    let remove_on = conn
        .transaction(|c| {
            changes::remove_pack(
                c,
                &ChangeRequest { billing: &b, customer: customer_id, actor: user.id, ip: "ip", now: mid },
                mail,
            )
        })
        .unwrap();
    let period_end = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    assert_eq!((switch_on, remove_on), (period_end, period_end));
    let before = entitlement(&mut conn, customer_id, NaiveDate::from_ymd_opt(2026, 12, 9).unwrap()).unwrap();
    assert_eq!((before.mail_gb, before.storage_gb), (20, 100), "nothing changes before the period ends");
    let cancel_on = conn
        .transaction(|c| {
            changes::cancel(
                c,
                &ChangeRequest { billing: &b, customer: customer_id, actor: user.id, ip: "ip", now: mid },
            )
        })
        .unwrap();
    assert_eq!(cancel_on, period_end, "during the free month: ends with it");
    conn.transaction(|c| {
        changes::reactivate(
            c,
            &ChangeRequest { billing: &b, customer: customer_id, actor: user.id, ip: "ip", now: mid },
        )
    })
    .unwrap();
    assert!(matches!(
        conn.transaction(|c| changes::reactivate(
            c,
            &ChangeRequest { billing: &b, customer: customer_id, actor: user.id, ip: "ip", now: mid }
        )),
        Err(SubscriptionError::NotCancelled)
    ));

    // The period ends: the free month becomes paid, the pack changes happen.
    let next_day = at("2026-12-10T08:00:00Z");
    let report = advance::advance(&mut conn, &b, next_day).unwrap();
    assert_eq!((report.trials_converted, report.packs_started, report.packs_ended), (1, 1, 2));
    assert_eq!(advance::advance(&mut conn, &b, next_day).unwrap(), Default::default(), "idempotent");
    let after = entitlement(&mut conn, customer_id, period_end).unwrap();
    assert_eq!((after.mail_gb, after.storage_gb), (10, 10));
    let subscription = Subscription::live_of(&mut conn, customer_id, false).unwrap().unwrap();
    assert_eq!(subscription.status, Status::Active);

    // Cancelled now: ends on 2027-01-10; afterwards nothing is provisioned.
    conn.transaction(|c| {
        changes::cancel(
            c,
            &ChangeRequest { billing: &b, customer: customer_id, actor: user.id, ip: "ip", now: next_day },
        )
    })
    .unwrap();
    let report = advance::advance(&mut conn, &b, at("2027-01-10T00:30:00Z")).unwrap();
    assert_eq!(report.subscriptions_ended, 1);
    assert!(Subscription::live_of(&mut conn, customer_id, false).unwrap().is_none());
    let kinds: Vec<(i64, String, i32, i32)> = events_after(&mut conn, 0, 100)
        .unwrap()
        .into_iter()
        .map(|e| (e.sequence, e.kind, e.mail_gb, e.storage_gb))
        .collect();
    let expected = [
        (1, "trial_started", 10, 0),
        (2, "pack_added", 10, 100),
        (3, "pack_added", 20, 100),
        (4, "trial_converted", 10, 10),
    ];
    for (got, want) in kinds.iter().zip(expected) {
        assert_eq!((got.0, got.1.as_str(), got.2, got.3), want, "{kinds:?}");
    }
    assert_eq!(
        kinds.last().map(|k| (k.1.as_str(), k.2, k.3)),
        Some(("subscription_ended", 0, 0)),
        "{kinds:?}"
    );
    let sequences: Vec<i64> = kinds.iter().map(|k| k.0).collect();
    assert_eq!(sequences, (1..=kinds.len() as i64).collect::<Vec<_>>());
}

#[test]
fn cancelling_in_the_free_month_costs_nothing() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = billing();
    let user = customer(&mut conn, "tryer@x.example", "FR", "EUR", None);
    let customer_id = user.customer_id.unwrap();
    let started = at("2026-11-10T09:00:00Z");
    start(&mut conn, &user, Start::Trial, None, "10.0.0.3", started).unwrap();
    conn.transaction(|c| {
        changes::cancel(
            c,
            &ChangeRequest {
                billing: &b,
                customer: customer_id,
                actor: user.id,
                ip: "ip",
                now: started + Duration::days(3),
            },
        )
    })
    .unwrap();
    let view =
        kontor::subscriptions::overview::overview(&mut conn, &b, customer_id, started + Duration::days(3))
            .unwrap()
            .unwrap();
    assert_eq!(view.next_invoice, None, "nothing will be invoiced");
    assert_eq!(view.trial_days_left, Some(27));
    advance::advance(&mut conn, &b, at("2026-12-10T06:00:00Z")).unwrap();
    assert!(Subscription::live_of(&mut conn, customer_id, false).unwrap().is_none());
}

#[test]
fn a_new_price_applies_from_the_next_period_only() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = billing();
    let user = customer(&mut conn, "pricey@x.example", "DE", "EUR", None);
    let customer_id = user.customer_id.unwrap();
    let started = at("2026-11-10T09:00:00Z");
    start(&mut conn, &user, Start::Paid, None, "10.0.0.4", started).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
    let new_price = kontor::money::Money::parse("1.20", iso_currency::Currency::EUR).unwrap();
    let mid_period = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    conn.transaction(|c| {
        kontor::catalog::add_price(c, "mailbox_10gb", new_price, mid_period, today, None, started)
    })
    .unwrap();
    assert!(matches!(
        conn.transaction(|c| kontor::catalog::add_price(
            c,
            "mailbox_10gb",
            new_price,
            today,
            today,
            None,
            started
        )),
        Err(kontor::catalog::CatalogError::PriceNotInFuture)
    ));
    // Before the running period is invoiced, it is the next invoice (due since its first day).
    let unbilled =
        kontor::subscriptions::overview::overview(&mut conn, &b, customer_id, at("2026-11-10T10:00:00Z"))
            .unwrap()
            .unwrap();
    assert_eq!(unbilled.next_invoice_on, NaiveDate::from_ymd_opt(2026, 11, 10));
    assert_eq!(unbilled.next_invoice.unwrap().net.amount(), Decimal::ONE);
    crate::support::invoicing::run_batch(&db, "2026-11", started);
    let view =
        kontor::subscriptions::overview::overview(&mut conn, &b, customer_id, at("2026-11-25T10:00:00Z"))
            .unwrap()
            .unwrap();
    assert_eq!(view.base_monthly.amount(), Decimal::ONE, "the running period keeps its price");
    assert_eq!(view.next_invoice.unwrap().net, new_price, "the next period has the new one");
    assert_eq!(view.next_invoice_on, NaiveDate::from_ymd_opt(2026, 12, 10));
}

#[test]
fn provisioning_sequence_is_gapless_under_concurrent_changes() {
    let db = TestDb::new();
    let user = customer(&mut db.conn(), "busy@x.example", "DE", "EUR", None);
    let customer_id = user.customer_id.unwrap();
    let now = crate::support::now();
    start(&mut db.conn(), &user, Start::Paid, None, "10.0.0.5", now).unwrap();
    let other = customer(&mut db.conn(), "other@x.example", "DE", "EUR", None);
    start(&mut db.conn(), &other, Start::Paid, None, "10.0.0.6", now).unwrap();
    std::thread::scope(|scope| {
        for n in 0..8 {
            let pool = db.pool();
            let (user, other) = (user.clone(), other.clone());
            scope.spawn(move || {
                let mut conn = pool.get().unwrap();
                let (who, customer) =
                    if n % 3 == 0 { (&other, other.customer_id.unwrap()) } else { (&user, customer_id) };
                let plan = if n % 2 == 0 { "mail_pack_10gb" } else { "storage_pack_10gb" };
                conn.transaction(|c| {
                    changes::add_pack(
                        c,
                        &ChangeRequest { billing: &billing(), customer, actor: who.id, ip: "ip", now },
                        plan,
                    )
                })
                .unwrap();
            });
        }
    });
    let events = events_after(&mut db.conn(), 0, 1_000).unwrap();
    for customer in [customer_id.0, other.customer_id.unwrap().0] {
        let mine: Vec<i64> =
            events.iter().filter(|e| e.customer_id == customer).map(|e| e.sequence).collect();
        assert_eq!(mine, (1..=mine.len() as i64).collect::<Vec<_>>(), "gapless and in id order");
    }
    assert_eq!(events.len(), 2 + 8);
}

/// The whole story in a browser: free month, storage with a prorated preview, removal and
/// cancellation at the period end, and the platform following along through the API.
#[test]
fn a_customer_starts_upgrades_downgrades_and_cancels_and_the_platform_follows() {
    use crate::support::{PROVISIONING_TOKEN, TestServer};
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser =
        crate::support::accounts::signed_up_and_verified(&server, &db, "story@x.example", "Story Teller");
    let dashboard = browser.get("/account");
    assert!(dashboard.body.contains("Start free month"), "{}", dashboard.body);
    assert_eq!(browser.post("/account/subscription/start", &[("mode", "trial")]).location(), "/account");
    let dashboard = browser.get("/account").body;
    assert!(dashboard.contains("Your free month ends in"), "{dashboard}");
    assert!(dashboard.contains("10 GB"));

    let storage = browser.get("/account/storage");
    assert!(
        storage.body.contains("Mailbox +50 GB") && storage.body.contains("€3.56 incl. 19\u{a0}% VAT"),
        "{}",
        storage.body
    );
    let preview = browser.get("/account/storage/add?plan=mail_pack_50gb");
    assert_eq!(preview.status, 200);
    let expected = changes::quote_pack(
        &mut db.conn(),
        &server.settings.billing(),
        User::by_email(&mut db.conn(), "story@x.example").unwrap().unwrap().customer_id.unwrap(),
        "mail_pack_50gb",
        crate::support::now(),
    )
    .unwrap();
    let shown = kontor::i18n::format::money(&kontor::i18n::Lang::english(), expected.gross);
    assert!(preview.body.contains(&shown), "the preview shows {shown}: {}", preview.body);
    assert!(preview.body.contains("VAT 19 %"), "{}", preview.body);
    let added = browser.submit("/account/storage/add", &[("plan", "mail_pack_50gb")]);
    assert!(added.body.contains(&shown), "{}", added.body);
    // A reload of the result sends the form again: still one pack, one charge.
    let again = browser.reload_result();
    assert!(again.body.contains(&shown), "{}", again.body);
    assert_eq!(crate::support::count(&db, "SELECT count(*) AS n FROM subscription_packs"), 1);
    assert!(browser.get("/account").body.contains("60 GB"));

    let pack: i64 = kontor::db::schema::subscription_packs::table
        .select(kontor::db::schema::subscription_packs::id)
        .first(&mut db.conn())
        .unwrap();
    let removed = browser.submit(&format!("/account/storage/{pack}/remove"), &[]);
    assert_eq!(removed.status, 200);
    assert!(removed.body.contains("stays available until"));
    assert!(
        browser.get("/account/subscription/cancel").body.contains("ends at the end of the current period")
    );
    let cancelled = browser.submit("/account/subscription/cancel", &[]);
    assert!(cancelled.body.contains("Your subscription ends on"));
    // The notice goes out through the same outbox as every other email, once.
    let notices: Vec<(String, String)> = kontor::db::schema::mail_outbox::table
        .filter(kontor::db::schema::mail_outbox::idempotency_key.like("subscription-cancelled:%"))
        .select((kontor::db::schema::mail_outbox::recipient, kontor::db::schema::mail_outbox::subject))
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].0, "story@x.example");
    assert!(notices[0].1.starts_with("Your subscription ends on"), "{notices:?}");
    assert!(browser.get("/account").body.contains("Keep my subscription"));

    // The platform reads the changes in order, with the token only.
    let mut platform = server.browser();
    assert_eq!(platform.get("/api/provisioning/events").status, 401);
    assert_eq!(platform.get_with("/api/provisioning/events", "Authorization", "Bearer wrong").status, 401);
    let auth = format!("Bearer {PROVISIONING_TOKEN}");
    let page = platform.get_with("/api/provisioning/events?after=0", "Authorization", &auth);
    assert_eq!(page.status, 200);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let kinds: Vec<&str> =
        json["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["trial_started", "pack_added"]);
    assert_eq!(json["events"][1]["mail_gb"], 60);
    assert_eq!(json["events"][1]["sequence"], 2);
    let next = json["next_after"].as_i64().unwrap();
    let empty = platform.get_with(&format!("/api/provisioning/events?after={next}"), "Authorization", &auth);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&empty.body).unwrap()["events"].as_array().unwrap().len(),
        0
    );

    // When the period ends, the removal and the end reach the platform too.
    let after_period = crate::support::now() + Duration::days(32);
    advance::advance(&mut db.conn(), &server.settings.billing(), after_period).unwrap();
    let rest = platform.get_with(&format!("/api/provisioning/events?after={next}"), "Authorization", &auth);
    let json: serde_json::Value = serde_json::from_str(&rest.body).unwrap();
    let kinds: Vec<&str> =
        json["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["subscription_ended"], "{}", rest.body);
    assert_eq!(json["events"][0]["mail_gb"], 0);
}

#[test]
fn finance_adds_a_future_price_in_the_back_office_and_support_cannot() {
    use crate::support::TestServer;
    use kontor::accounts::Role;
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "sam@kontor.example", Role::Support);
    let catalog = support.get("/backoffice/catalog");
    assert_eq!(catalog.status, 200);
    assert!(catalog.body.contains("Mailbox 10 GB") && !catalog.body.contains("/backoffice/catalog/prices"));
    let refused = support.post(
        "/backoffice/catalog/prices",
        &[("plan", "mailbox_10gb"), ("currency", "EUR"), ("amount", "1.20"), ("valid_from", "2099-01-01")],
    );
    assert_eq!(refused.status, 404);

    let mut finance =
        crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let past = finance.post(
        "/backoffice/catalog/prices",
        &[("plan", "mailbox_10gb"), ("currency", "EUR"), ("amount", "1.20"), ("valid_from", "2020-01-01")],
    );
    assert!(past.body.contains("must start on a future date"), "{}", past.body);
    let added = finance.submit(
        "/backoffice/catalog/prices",
        &[("plan", "mailbox_10gb"), ("currency", "EUR"), ("amount", "1.20"), ("valid_from", "2099-01-01")],
    );
    assert!(
        added.body.contains("The price has been added") && added.body.contains("€1.20"),
        "{}",
        added.body
    );
    let actions: Vec<String> = kontor::db::schema::audit_log::table
        .select(kontor::db::schema::audit_log::action)
        .load(&mut db.conn())
        .unwrap();
    assert!(actions.iter().any(|a| a == "catalog.price_added"));
}

#[test]
fn event_writers_of_different_customers_never_wait_for_each_other_and_readers_miss_nothing() {
    let db = TestDb::new();
    let first = customer(&mut db.conn(), "first@x.example", "DE", "EUR", None);
    let second = customer(&mut db.conn(), "second@x.example", "DE", "EUR", None);
    let now = crate::support::now();
    // The first customer's free month starts and its transaction pauses after writing the
    // event, still open (rendering, more work, a slow network) ...
    let pool = db.pool();
    let (action, reached, release) = kontor::failpoint::pause();
    let first_id = first.customer_id.unwrap().0;
    let slow = std::thread::spawn(move || {
        let _armed = kontor::failpoint::arm("provisioning-recorded", action);
        let mut conn = pool.get().unwrap();
        start(&mut conn, &first, Start::Paid, None, "10.0.0.7", now).unwrap();
    });
    reached.recv().unwrap();
    // ... while another customer's change goes through (it would wait on the old global
    // event lock: the lock timeout turns that wait into a failure).
    let mut conn = db.conn();
    diesel::sql_query("SET lock_timeout = '10s'").execute(&mut conn).unwrap();
    start(&mut conn, &second, Start::Paid, None, "10.0.0.8", now).unwrap();
    let seen = events_after(&mut conn, 0, 100).unwrap();
    assert_eq!(seen.len(), 1, "only the committed event is visible");
    let cursor = seen[0].id;
    release.send(()).unwrap();
    slow.join().unwrap();
    // The event that committed later comes after the reader's cursor: nothing is missed.
    let later = events_after(&mut conn, cursor, 100).unwrap();
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0].customer_id, first_id);
    assert!(later[0].id > cursor);
    // Positions are written once, by the commit: nobody can move an event.
    let moved =
        diesel::sql_query(format!("UPDATE provisioning_events SET position = 0 WHERE position = {cursor}"))
            .execute(&mut conn);
    assert!(moved.unwrap_err().to_string().contains("append-only"));
}
