//! Compensation alternatives as data: an incident offering a credit, extra storage, a free
//! month and a donation; each customer's choice granted once, the default after the deadline,
//! the donation owed to the charity (not the customer's credit), the free month worth one
//! month's gross price and covering the next invoice, and the letter naming what was granted.

use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::prelude::*;
use kontor::audit::Actor;
use kontor::incidents::alternatives::{Alternative, Alternatives, Kind};
use kontor::incidents::compensation;
use kontor::incidents::incident::Offer;
use rust_decimal::Decimal;

use crate::support::incidents::{seller, site};
use crate::support::{Line, TestDb, amount, count};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

pub(crate) const CHARITY: &str = "Red Cross Norway";

/// Every alternative, the donation being what customers who do not choose get.
pub(crate) fn all_four(deadline: DateTime<Utc>) -> Offer {
    Offer {
        deadline,
        alternatives: Alternatives::new(
            vec![
                Alternative::Storage { gb: 50, months: 3 },
                Alternative::FreeMonth,
                Alternative::Donation { charity: CHARITY.to_owned() },
            ],
            Kind::Donation,
        )
        .unwrap(),
    }
}

/// `n` paying customers since October, in English, without packs (so an invoice is the plan).
pub(crate) fn paying_customers(db: &TestDb, n: i64) {
    assert_eq!(kontor::seed::customers(&mut db.conn(), n, "2026-12".parse().unwrap()).unwrap(), n);
    for sql in [
        "UPDATE subscriptions SET created_at = '2026-10-01T00:00:00Z', trial_ends_on = NULL, status = 'active'",
        "UPDATE placements SET placed_from = '2026-10-01T00:00:00Z'",
        "DELETE FROM subscription_packs",
        "UPDATE customers SET language = 'en'",
    ] {
        diesel::sql_query(sql).execute(&mut db.conn()).unwrap();
    }
}

#[derive(QueryableByName)]
struct Pair {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn letter(db: &TestDb, customer: i64, incident: i64, now: DateTime<Utc>) -> String {
    let document = db
        .conn()
        .transaction(|c| {
            kontor::letters::compensation::letter_pdf(c, customer, incident, "Kontor", &seller(), now)
        })
        .unwrap();
    crate::incidents::pdf_text(&document.content).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Issues the incident's compensation at `now`, as the job does.
fn issue(db: &TestDb, id: i64, now: DateTime<Utc>) -> compensation::IssueReport {
    compensation::issue(&db.pool(), &site(), &seller(), id, &Actor::system("test"), now).unwrap()
}

/// The subscriptions placed on fs19 with their customers, in id order.
fn affected(db: &TestDb) -> Vec<(i64, i64)> {
    diesel::sql_query(
        "SELECT DISTINCT p.subscription_id AS id, p.customer_id AS n FROM placements p
           JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19' ORDER BY 1",
    )
    .load::<Pair>(&mut db.conn())
    .unwrap()
    .into_iter()
    .map(|p| (p.id, p.n))
    .collect()
}

/// December's invoice batch, as the command line runs it.
fn invoice_december(db: &TestDb) {
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    crate::support::invoicing::run_batch_as(
        db,
        &settings,
        crate::support::now(),
        &crate::support::invoicing::Run::december(),
    );
}

#[test]
fn each_alternative_is_granted_as_chosen_and_the_default_after_the_deadline() {
    let db = TestDb::new();
    paying_customers(&db, 24);
    let deadline = at(25, 0);
    let id = crate::support::incidents::outage_offering(&db, at(3, 10), at(3, 20), Some(all_four(deadline)));
    let affected = affected(&db);
    assert!(affected.len() >= 5, "{affected:?}");
    let before = deadline - Duration::hours(1);
    // Before choosing, the letter names every alternative with its worth.
    let open = letter(&db, affected[0].1, id, before);
    for words in ["a credit of", "50 GB extra storage for 3 months", "a free month", CHARITY] {
        assert!(open.contains(words), "{words}: {open}");
    }
    let kinds = ["credit", "storage", "free_month", "donation"];
    for ((_, customer), kind) in affected.iter().zip(kinds) {
        compensation::choose(&mut db.conn(), *customer, id, kind, &seller(), before).unwrap();
    }
    // Not a kind at all: refused as bad input.
    assert!(compensation::choose(&mut db.conn(), affected[0].1, id, "cash", &seller(), before).is_err());

    let run = issue(&db, id, deadline + Duration::hours(1));
    assert_eq!(run.granted, affected.len(), "{run:?}");
    assert_eq!((run.storage, run.free_months), (1, 1), "{run:?}");
    // The donor and everyone who did not choose (the default is the donation).
    assert_eq!(run.donations, affected.len() - 3, "{run:?}");
    let again = issue(&db, id, deadline + Duration::hours(2));
    assert_eq!((again.granted, again.already), (0, affected.len()));

    let option = |sub: i64| -> String {
        diesel::sql_query(format!(
            "SELECT option AS s FROM compensation_grants WHERE subscription_id = {sub}"
        ))
        .get_result::<Line>(&mut db.conn())
        .unwrap()
        .s
    };
    for ((sub, _), kind) in affected.iter().zip(kinds) {
        assert_eq!(option(*sub), kind);
    }
    assert_eq!(option(affected[4].0), "donation", "the default after the deadline");
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM compensation_grants WHERE incident_id = {id}")),
        affected.len() as i64
    );

    // The donations are owed to the charity, booked to 1790, and never the donors' credit.
    let donated = amount(
        &db,
        &format!(
            "SELECT coalesce(sum(amount), 0) AS n FROM compensation_grants WHERE incident_id = {id} AND option = 'donation'"
        ),
    );
    assert!(donated > Decimal::ZERO);
    let booked = amount(
        &db,
        "SELECT coalesce(sum(p.amount), 0) AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code LIKE '1790-%'",
    );
    assert_eq!(booked.abs(), donated);
    let donor = affected[3].1;
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code LIKE '1750-%-C{donor}'"
            )
        ),
        0,
        "a donation is not the customer's credit"
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM journal_entries WHERE kind = 'compensation_donated'"),
        run.donations as i64
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM journal_entries WHERE kind = 'compensation_free_month'"),
        1
    );
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");

    // The free month: one month's gross price of the plan, and December's invoice is covered.
    let (free_sub, free_customer) = affected[2];
    let month = amount(
        &db,
        &format!("SELECT amount AS n FROM compensation_grants WHERE subscription_id = {free_sub}"),
    );
    let credit = amount(
        &db,
        &format!("SELECT amount AS n FROM compensation_grants WHERE subscription_id = {}", affected[0].0),
    );
    assert!(month >= credit, "never less than the entitlement: {month} < {credit}");
    invoice_december(&db);
    let gross = amount(
        &db,
        &format!("SELECT gross AS n FROM invoices WHERE customer_id = {free_customer} AND kind = 'invoice'"),
    );
    assert_eq!(month, gross, "a free month is the month's gross price");
    let (applied, due) = (
        amount(
            &db,
            &format!(
                "SELECT credit_applied AS n FROM invoices WHERE customer_id = {free_customer} AND kind = 'invoice'"
            ),
        ),
        amount(
            &db,
            &format!(
                "SELECT amount_due AS n FROM invoices WHERE customer_id = {free_customer} AND kind = 'invoice'"
            ),
        ),
    );
    assert_eq!((applied, due), (gross, Decimal::ZERO), "the next invoice is covered");
    // The donor's December invoice is not reduced by the donation.
    assert_eq!(
        amount(
            &db,
            &format!(
                "SELECT credit_applied AS n FROM invoices WHERE customer_id = {donor} AND kind = 'invoice'"
            )
        ),
        Decimal::ZERO
    );
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());

    // The letters name what was granted.
    let now = deadline + Duration::hours(3);
    let free = letter(&db, free_customer, id, now);
    assert!(free.contains("you receive a free month"), "{free}");
    let gift = letter(&db, donor, id, now);
    assert!(gift.contains(&format!("to {CHARITY} on your behalf")), "{gift}");
}

#[test]
fn an_alternative_the_incident_does_not_offer_is_refused() {
    let db = TestDb::new();
    paying_customers(&db, 8);
    let deadline = at(25, 0);
    let storage_only = kontor::incidents::incident::StorageOffer { deadline, storage_gb: 50, months: 3 };
    let id = crate::support::incidents::outage(&db, at(3, 10), at(3, 20), Some(storage_only));
    let customer = count(
        &db,
        "SELECT min(p.customer_id) AS n FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19'",
    );
    let refused = compensation::choose(&mut db.conn(), customer, id, "free_month", &seller(), at(20, 0));
    assert!(matches!(refused, Err(kontor::incidents::IncidentError::NotOffered)), "{refused:?}");
    // The old incidents' offer reads back as the credit (default) and the storage.
    let offered = kontor::incidents::alternatives::of_incident(&mut db.conn(), id).unwrap();
    assert_eq!(offered.default, Kind::Credit);
    assert_eq!(offered.storage(), Some((50, 3)));
}

#[test]
fn a_free_month_counts_the_paid_storage_pack_in_force_at_the_incident() {
    let db = TestDb::new();
    paying_customers(&db, 8);
    let deadline = at(25, 0);
    let id = crate::support::incidents::outage_offering(&db, at(3, 10), at(3, 20), Some(all_four(deadline)));
    let (sub, customer) = affected(&db)[0];
    // A paid 50 GB storage pack since October: in force at the incident, billed every month.
    diesel::sql_query(format!(
        "INSERT INTO subscription_packs (subscription_id, customer_id, plan_code, starts_on, start_announced)
         VALUES ({sub}, {customer}, 'storage_pack_50gb', '2026-10-01', true)"
    ))
    .execute(&mut db.conn())
    .unwrap();
    let before = deadline - Duration::hours(1);
    compensation::choose(&mut db.conn(), customer, id, "free_month", &seller(), before).unwrap();
    let run = issue(&db, id, deadline + Duration::hours(1));
    assert_eq!(run.free_months, 1, "{run:?}");
    let month =
        amount(&db, &format!("SELECT amount AS n FROM compensation_grants WHERE subscription_id = {sub}"));
    invoice_december(&db);
    let invoice = |column: &str| {
        amount(
            &db,
            &format!(
                "SELECT {column} AS n FROM invoices WHERE customer_id = {customer} AND kind = 'invoice'"
            ),
        )
    };
    let lines = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
              WHERE i.customer_id = {customer} AND i.kind = 'invoice'"
        ),
    );
    assert!(lines >= 2, "the invoice bills the plan and the pack ({lines} lines)");
    assert_eq!(month, invoice("gross"), "a free month is the plan and the pack, gross");
    assert_eq!((invoice("credit_applied"), invoice("amount_due")), (month, Decimal::ZERO), "covered");
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

#[test]
fn between_the_deadline_and_the_issue_the_letter_names_the_default_not_the_credit() {
    let db = TestDb::new();
    paying_customers(&db, 8);
    let deadline = at(25, 0);
    let id = crate::support::incidents::outage_offering(&db, at(3, 10), at(3, 20), Some(all_four(deadline)));
    let customers: Vec<i64> = affected(&db).into_iter().map(|(_, customer)| customer).collect();
    let (silent, chooser) = (customers[0], customers[1]);
    compensation::choose(&mut db.conn(), chooser, id, "credit", &seller(), deadline - Duration::hours(1))
        .unwrap();
    let after = deadline + Duration::hours(1);
    // Nothing issued yet: the one who did not choose gets the default, the donation.
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM compensation_grants WHERE incident_id = {id}")),
        0
    );
    let text = letter(&db, silent, id, after);
    assert!(text.contains("You will receive a donation of"), "{text}");
    assert!(text.contains(&format!("to {CHARITY} instead of a credit")), "{text}");
    assert!(!text.contains("You will receive a credit of"), "{text}");
    // Who chose the credit is still told the credit.
    let credit = letter(&db, chooser, id, after);
    assert!(credit.contains("You will receive a credit of"), "{credit}");
}
