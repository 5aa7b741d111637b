//! Collections against a real PostgreSQL: the ladder walked day by day for consumers and
//! businesses in EUR and CHF, fees and interest to the cent, exactly one notice per level per
//! invoice however the run is repeated, raced or killed, interest across a base-rate change and
//! a leap day as the letter prints it, and suspension lifted by a bank transfer in the same
//! transaction as its receipt.

use std::process::Stdio;

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::money::Money;
use rust_decimal::Decimal;

use crate::support::collections::{customer, d, dun, invoice, notices, pay, vies_said};
use crate::support::{TestDb, count};

#[derive(Debug, Clone, Copy)]
enum Pays {
    BeforeFirstReminder,
    AfterSecondReminder,
    Never,
}

struct Case {
    vat_id: Option<&'static str>,
    currency: Currency,
    pays: Pays,
    /// (level, days after due, fee, interest) expected.
    expected: &'static [(i32, i64, &'static str, &'static str)],
}

/// On 1,190.00 due 2026-12-01: consumers 1.27 + 5 = 6.27 % (14 days: 2.86, 7 days: 1.43),
/// businesses 1.27 + 9 = 10.27 % (14 days: 4.69, 7 days: 2.34) and EUR 40 at the second
/// reminder (in EUR only: the ladder's fee rows are per currency).
const CONSUMER_NEVER: &[(i32, i64, &str, &str)] =
    &[(1, 3, "0", "0"), (2, 14, "0", "2.86"), (3, 28, "0", "2.86"), (4, 35, "0", "1.43")];
const BUSINESS_EUR_NEVER: &[(i32, i64, &str, &str)] =
    &[(1, 3, "0", "0"), (2, 14, "40.00", "4.69"), (3, 28, "0", "4.69"), (4, 35, "0", "2.34")];
const BUSINESS_CHF_NEVER: &[(i32, i64, &str, &str)] =
    &[(1, 3, "0", "0"), (2, 14, "0", "4.69"), (3, 28, "0", "4.69"), (4, 35, "0", "2.34")];

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for currency in [Currency::EUR, Currency::CHF] {
        for vat_id in [None, Some("DE811907980")] {
            let never = match (vat_id, currency) {
                (None, _) => CONSUMER_NEVER,
                (Some(_), Currency::EUR) => BUSINESS_EUR_NEVER,
                (Some(_), _) => BUSINESS_CHF_NEVER,
            };
            cases.push(Case { vat_id, currency, pays: Pays::BeforeFirstReminder, expected: &[] });
            cases.push(Case { vat_id, currency, pays: Pays::AfterSecondReminder, expected: &never[..2] });
            cases.push(Case { vat_id, currency, pays: Pays::Never, expected: never });
        }
    }
    cases
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn the_ladder_sends_the_right_notices_on_the_right_days_with_exact_fees_and_interest() {
    let db = TestDb::new();
    let due = d(2026, 12, 1);
    let mut invoices = Vec::new();
    for (n, case) in cases().iter().enumerate() {
        let country = if case.currency == Currency::CHF { "CH" } else { "DE" };
        let vat_id = case.vat_id.map(|v| if country == "CH" { "CHE-123.456.788" } else { v });
        let customer =
            customer(&db, &format!("ladder-{n}@example.com"), country, case.currency.code(), vat_id);
        let (id, _) = invoice(&db, customer, Decimal::new(100_000, 2), case.currency, due);
        invoices.push((customer, id));
    }
    let mut conn = db.conn();
    // Every day for 40 days after the due date, each run twice: the second finds nothing to do.
    for offset in 0..=40 {
        let today = due + chrono::Days::new(offset);
        for (case, (customer, id)) in cases().iter().zip(&invoices) {
            let pay_on = match case.pays {
                Pays::BeforeFirstReminder => Some(2),
                Pays::AfterSecondReminder => Some(15),
                Pays::Never => None,
            };
            if pay_on == Some(offset) {
                let gross = Money::new(Decimal::new(119_000, 2), case.currency);
                pay(&db, *customer, gross, &[*id], &format!("cash:{id}"));
            }
        }
        dun(&mut conn, today);
        assert!(dun(&mut conn, today).sent.is_empty(), "a second run on {today} sends nothing");
    }
    for (case, (_, id)) in cases().iter().zip(&invoices) {
        let got = notices(&db, *id);
        let want: Vec<(i32, NaiveDate, Decimal, Decimal)> = case
            .expected
            .iter()
            .map(|(level, days, fee, interest)| {
                (*level, due + chrono::Days::new(*days as u64), dec(fee), dec(interest))
            })
            .collect();
        assert_eq!(got, want, "{:?} {:?} {}", case.pays, case.vat_id, case.currency);
    }
    // Each notice with a fee or interest has its own VAT-free charges invoice of exactly that.
    let wrong = count(
        &db,
        "SELECT count(*) AS n FROM dunning_notices n LEFT JOIN invoices i ON i.id = n.charge_invoice_id
          WHERE (n.fee + n.interest > 0) <> (i.id IS NOT NULL)
             OR (i.id IS NOT NULL AND (i.gross <> n.fee + n.interest OR i.vat <> 0))",
    );
    assert_eq!(wrong, 0);
    // A letter and an email carrying it for every notice.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM dunning_notices n JOIN documents d ON d.id = n.document_id WHERE d.sha256 = sha256(d.content)"
        ),
        count(&db, "SELECT count(*) AS n FROM dunning_notices")
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'dunning:%'"),
        count(&db, "SELECT count(*) AS n FROM dunning_notices")
    );
    // The ones that never paid are suspended, once each.
    assert_eq!(count(&db, "SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NULL"), 4);
    let report = kontor::ledger::verify(&mut conn).unwrap();
    assert!(report.is_healthy(), "{report}");
}

fn overdue_customers(db: &TestDb, n: usize) -> Vec<(i64, i64)> {
    (0..n)
        .map(|i| {
            let vat = if i % 2 == 0 { None } else { Some("DE811907980") };
            let c = customer(db, &format!("race-{i}@example.com"), "DE", "EUR", vat);
            let (id, _) = invoice(db, c, Decimal::new(50_000, 2), Currency::EUR, d(2026, 11, 1));
            (c, id)
        })
        .collect()
}

/// Nothing twice: one notice per invoice at the day's level, one charges invoice per notice
/// with charges, one letter and one email per notice, gapless invoice numbers.
fn assert_once(db: &TestDb, invoices: usize, level: i32) {
    assert_eq!(
        count(db, &format!("SELECT count(*) AS n FROM dunning_notices WHERE level = {level}")),
        invoices as i64
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM (SELECT invoice_id, level FROM dunning_notices GROUP BY 1, 2 HAVING count(*) > 1) x"
        ),
        0
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.charge_invoice_id = i.id) AND i.id NOT IN (SELECT invoice_id FROM dunning_notices)"
        ),
        0,
        "no charges invoice without its notice"
    );
    assert_eq!(
        count(db, "SELECT count(*) AS n FROM documents WHERE invoice_id IS NULL"),
        count(db, "SELECT count(*) AS n FROM dunning_notices")
    );
    assert_eq!(
        count(db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'dunning:%'"),
        count(db, "SELECT count(*) AS n FROM dunning_notices")
    );
    assert_eq!(
        count(db, "SELECT max(sequence) - count(*) AS n FROM invoices WHERE kind = 'invoice'"),
        0,
        "numbers without gaps"
    );
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn two_runs_racing_send_each_notice_once() {
    let db = TestDb::new();
    let invoices = overdue_customers(&db, 12);
    // The second reminder (day +14 after 1 November), with fees and interest: first the first.
    dun(&mut db.conn(), d(2026, 11, 4));
    let day = d(2026, 11, 15);
    let sent: Vec<usize> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..2).map(|_| scope.spawn(|| dun(&mut db.conn(), day).sent.len())).collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(sent.iter().sum::<usize>(), invoices.len(), "{sent:?}");
    assert_once(&db, invoices.len(), 2);
}

#[test]
fn a_run_killed_midway_leaves_whole_notices_and_the_next_run_sends_the_rest_once() {
    let db = TestDb::new();
    let invoices = overdue_customers(&db, 6);
    dun(&mut db.conn(), d(2026, 11, 4));
    let run = |failpoint: Option<&str>| dunning_run(&db, "2026-11-15", "2", failpoint);
    // Chunks of two: killed in the second chunk, the first stays whole and nothing of the second.
    let killed = run(Some("dunning-before-notice=abort@3"));
    assert!(killed.status.code().is_none(), "killed by the failpoint: {killed:?}");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM dunning_notices WHERE level = 2"),
        2,
        "the first chunk of two committed, the third notice not"
    );
    let done = run(None);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(
        String::from_utf8_lossy(&done.stdout).contains("sent 4 notice(s)"),
        "{}",
        String::from_utf8_lossy(&done.stdout)
    );
    let again = run(None);
    assert!(String::from_utf8_lossy(&again.stdout).contains("sent 0 notice(s)"));
    assert_once(&db, invoices.len(), 2);
}

/// `kontor dunning run` on one worker in chunks of `chunk`, killed at `failpoint` if given.
fn dunning_run(db: &TestDb, today: &str, chunk: &str, failpoint: Option<&str>) -> std::process::Output {
    let mut command = crate::support::kontor_command();
    command
        .args(["dunning", "run", "--today", today, "--workers", "1", "--chunk", chunk])
        .env("DATABASE_URL", db.url());
    if let Some(point) = failpoint {
        command.env("KONTOR_FAILPOINT", point);
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap()
}

#[test]
fn a_run_killed_at_the_chunks_commit_leaves_nothing_of_the_chunk_and_the_next_run_sends_it_once() {
    let db = TestDb::new();
    let invoices = overdue_customers(&db, 6);
    dun(&mut db.conn(), d(2026, 11, 4));
    let before_invoices = count(&db, "SELECT count(*) AS n FROM invoices");
    let before_documents = count(&db, "SELECT count(*) AS n FROM documents");
    let before_mails = count(&db, "SELECT count(*) AS n FROM mail_outbox");
    // The second reminder charges interest (and the businesses' fee): every step of the chunk
    // wrote its charges invoice, letter and email before the kill at the commit.
    let killed = dunning_run(&db, "2026-11-15", "100", Some("dunning-before-commit=abort@1"));
    assert!(killed.status.code().is_none(), "killed by the failpoint: {killed:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM dunning_notices WHERE level = 2"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), before_invoices, "no charges invoice");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM documents"), before_documents, "no letter");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox"), before_mails, "no email");
    let done = dunning_run(&db, "2026-11-15", "100", None);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(
        String::from_utf8_lossy(&done.stdout).contains("sent 6 notice(s)"),
        "{}",
        String::from_utf8_lossy(&done.stdout)
    );
    assert_once(&db, invoices.len(), 2);
}

#[test]
fn a_chunk_meeting_a_notice_sent_beside_it_is_retried_one_by_one_and_sends_the_rest_once() {
    let db = TestDb::new();
    let invoices = overdue_customers(&db, 4);
    let (first_customer, first_invoice) = invoices[0];
    let (action, reached, release) = kontor::failpoint::pause();
    let pool = db.pool();
    let running = std::thread::spawn(move || {
        let _armed = kontor::failpoint::arm("dunning-before-notice", action);
        dun(&mut pool.get().unwrap(), d(2026, 11, 4))
    });
    // The run has checked that the first invoice's notice is not sent yet; another sends it now.
    reached.recv().unwrap();
    diesel::sql_query(
        "INSERT INTO dunning_notices (invoice_id, level, customer_id, action, sent_on, currency, open_amount, fee, interest, created_at)
         VALUES ($1, 1, $2, 'reminder', '2026-11-04', 'EUR', 595.00, 0, 0, now())",
    )
    .bind::<diesel::sql_types::BigInt, _>(first_invoice)
    .bind::<diesel::sql_types::BigInt, _>(first_customer)
    .execute(&mut db.conn())
    .unwrap();
    release.send(()).unwrap();
    drop((reached, release));
    let summary = running.join().unwrap();
    assert_eq!(summary.already_sent, 1, "{summary:?}");
    assert_eq!(summary.sent.len(), invoices.len() - 1, "{summary:?}");
    assert!(summary.sent.iter().all(|s| s.customer_id != first_customer), "{summary:?}");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM dunning_notices WHERE level = 1"),
        invoices.len() as i64
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'dunning:%'"),
        invoices.len() as i64 - 1,
        "one email per notice this run sent, none for the one sent beside it"
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM documents WHERE invoice_id IS NULL"),
        invoices.len() as i64 - 1
    );
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn only_a_vat_id_vies_confirmed_puts_a_customer_on_the_business_ladder() {
    let db = TestDb::new();
    let confirmed = customer(&db, "confirmed@example.com", "DE", "EUR", Some("DE811907980"));
    let unconfirmed = {
        let id = customer(&db, "unconfirmed@example.com", "DE", "EUR", None);
        diesel::sql_query("UPDATE customers SET vat_id = 'DE811907981' WHERE id = $1")
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(&mut db.conn())
            .unwrap();
        vies_said(&db, id, "DE811907981", "invalid");
        id
    };
    // Once valid, the latest answer counts: VIES no longer confirms it.
    vies_said(&db, confirmed, "DE811907980", "valid");
    let lapsed = customer(&db, "lapsed@example.com", "DE", "EUR", Some("DE811907982"));
    vies_said(&db, lapsed, "DE811907982", "invalid");
    let due = d(2026, 12, 1);
    let ids: Vec<i64> = [confirmed, unconfirmed, lapsed]
        .iter()
        .map(|c| invoice(&db, *c, Decimal::new(100_000, 2), Currency::EUR, due).0)
        .collect();
    let mut conn = db.conn();
    for days in [3, 14] {
        dun(&mut conn, due + chrono::Days::new(days));
    }
    // On 1,190.00 for 14 days: a business pays EUR 40 and 10.27 % (4.69), a consumer no fee and
    // 6.27 % (2.86).
    let second = |invoice: i64| {
        let got = notices(&db, invoice);
        (got[1].2, got[1].3)
    };
    assert_eq!(second(ids[0]), (Decimal::new(4000, 2), Decimal::new(469, 2)), "confirmed: a business");
    assert_eq!(second(ids[1]), (Decimal::ZERO, Decimal::new(286, 2)), "refused: a consumer");
    assert_eq!(second(ids[2]), (Decimal::ZERO, Decimal::new(286, 2)), "no longer confirmed: a consumer");
}

#[test]
fn interest_across_a_base_rate_change_and_a_leap_day_is_what_the_letter_says() {
    let db = TestDb::new();
    diesel::sql_query("INSERT INTO base_rates (valid_from, rate) VALUES ('2028-03-01', 2.27)")
        .execute(&mut db.conn())
        .unwrap();
    let c = customer(&db, "leap@example.com", "DE", "EUR", None);
    let due = d(2028, 2, 10);
    let (id, number) = invoice(&db, c, Decimal::new(100_000, 2), Currency::EUR, due);
    let mut conn = db.conn();
    for day in [d(2028, 2, 13), d(2028, 2, 24), d(2028, 3, 9)] {
        assert_eq!(dun(&mut conn, day).sent.len(), 1, "{day}");
    }
    // 25-29 February (the 29th counts) at 6.27 %, 1-9 March at 7.27 %, on 1,190.00, actual/365:
    // 1190 * 0.0627 * 5 / 365 = 1.022 -> 1.02; 1190 * 0.0727 * 9 / 365 = 2.133 -> 2.13.
    let got = notices(&db, id);
    assert_eq!(got[2].3, Decimal::new(315, 2));
    let (pdf, charges): (Vec<u8>, i64) = {
        use kontor::db::schema::{documents, dunning_notices as n};
        let (doc, charges): (i64, Option<i64>) = n::table
            .filter(n::invoice_id.eq(id).and(n::level.eq(3)))
            .select((n::document_id.assume_not_null(), n::charge_invoice_id))
            .first(&mut conn)
            .unwrap();
        (documents::table.find(doc).select(documents::content).first(&mut conn).unwrap(), charges.unwrap())
    };
    let dir = crate::support::documents::scratch("dunning-letter");
    let text =
        crate::support::documents::normalized(&crate::support::documents::pdf_text(&dir, "letter", &pdf));
    for expected in [
        format!("Default interest on invoice {number}: 5 days at 6.27 % p.a."),
        "9 days at 7.27 % p.a.".to_owned(),
        "1.02".to_owned(),
        "2.13".to_owned(),
        "actual days / 365".to_owned(),
    ] {
        assert!(
            text.contains(&crate::support::documents::normalized(&expected)),
            "{expected:?} not in {text}"
        );
    }
    // The charges invoice carries the same lines, without VAT.
    let lines: Vec<(String, Decimal, Decimal)> = {
        use kontor::db::schema::invoice_lines as l;
        l::table
            .filter(l::invoice_id.eq(charges))
            .order(l::line_no)
            .select((l::description, l::net, l::vat))
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(
        lines.iter().map(|l| l.1).collect::<Vec<_>>(),
        vec![Decimal::new(102, 2), Decimal::new(213, 2)]
    );
    assert!(lines.iter().all(|l| l.2.is_zero()));
    assert!(lines[0].0.contains("5 days at 6.27 % p.a."), "{}", lines[0].0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A German-speaking customer walked to suspension over one invoice of 1.19 (small enough that
/// the interest rounds to nothing); returns the customer and the statement that pays it.
fn suspended_customer(db: &TestDb) -> (i64, Vec<u8>) {
    use kontor::payments::bank::statement::Movement;
    let c = customer(db, "suspended@example.com", "DE", "EUR", None);
    diesel::sql_query("UPDATE customers SET language = 'de' WHERE id = $1")
        .bind::<diesel::sql_types::BigInt, _>(c)
        .execute(&mut db.conn())
        .unwrap();
    let (id, _) = invoice(db, c, Decimal::new(100, 2), Currency::EUR, d(2026, 10, 1));
    let mut conn = db.conn();
    for day in [d(2026, 10, 4), d(2026, 10, 15), d(2026, 10, 29), d(2026, 11, 5)] {
        dun(&mut conn, day);
    }
    assert_eq!(count(db, "SELECT count(*) AS n FROM dunning_notices"), 4);
    assert_eq!(count(db, "SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NULL"), 1);
    let reference: String = {
        use kontor::db::schema::invoices;
        invoices::table.find(id).select(invoices::payment_reference).first(&mut conn).unwrap()
    };
    let mut transfer = Movement::transfer(
        Money::new(Decimal::new(119, 2), Currency::EUR),
        crate::support::bank::day(),
        "PAY-1",
    );
    transfer.creditor_reference = Some(reference);
    (c, crate::support::bank::statement_bytes("S-1", vec![transfer]))
}

const REACTIVATION_EMAILS: &str =
    "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'reactivated:%'";

#[test]
fn a_receipt_dying_after_the_reactivation_email_was_queued_leaves_neither() {
    let db = TestDb::new();
    let (_, xml) = suspended_customer(&db);
    {
        let _armed = kontor::failpoint::arm("reactivation-after-email", kontor::failpoint::Action::Panic);
        let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::support::bank::import_bytes(&db, &xml)
        }));
        assert!(died.is_err(), "the import stopped at the failpoint");
    }
    assert_eq!(count(&db, REACTIVATION_EMAILS), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NULL"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM provisioning_events WHERE kind = 'reactivated'"), 0);
    // Imported for real: lifted and told together.
    crate::support::bank::import_bytes(&db, &xml).unwrap();
    assert_eq!(count(&db, "SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NULL"), 0);
    assert_eq!(count(&db, REACTIVATION_EMAILS), 1);
}

#[test]
fn a_suspended_customer_paying_by_bank_transfer_is_active_again_in_the_receipts_transaction() {
    let db = TestDb::new();
    let (c, xml) = suspended_customer(&db);
    let mut conn = db.conn();
    crate::support::bank::import_bytes(&db, &xml).unwrap();
    // The suspension was lifted by that very receipt (its key), with a provisioning event after
    // the suspension's.
    let lifted_by: Option<String> = {
        use kontor::db::schema::suspensions;
        suspensions::table
            .filter(suspensions::customer_id.eq(c))
            .select(suspensions::lifted_by)
            .first(&mut conn)
            .unwrap()
    };
    let receipt: String = {
        use kontor::db::schema::payment_receipts;
        payment_receipts::table
            .filter(payment_receipts::customer_id.eq(c))
            .select(payment_receipts::key)
            .first(&mut conn)
            .unwrap()
    };
    assert_eq!(lifted_by.as_deref(), Some(receipt.as_str()));
    let events: Vec<(i64, String)> = {
        use kontor::db::schema::provisioning_events as p;
        p::table
            .filter(p::customer_id.eq(c))
            .order(p::sequence)
            .select((p::sequence, p::kind))
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(events, vec![(1, "suspended".to_owned()), (2, "reactivated".to_owned())]);
    // The receipt's transaction told the customer too, in German; later runs add nothing.
    assert_eq!(count(&db, REACTIVATION_EMAILS), 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'reactivated:%' AND subject = 'Ihr Konto ist wieder aktiv'"
        ),
        1
    );
    dun(&mut conn, d(2026, 12, 5));
    dun(&mut conn, d(2026, 12, 5));
    assert_eq!(count(&db, REACTIVATION_EMAILS), 1);
    let report = kontor::ledger::verify(&mut conn).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn a_pause_holds_the_ladder_until_its_end_and_a_write_off_books_bad_debt_with_the_vat_taken_back() {
    let db = TestDb::new();
    let c = customer(&db, "pause@example.com", "DE", "EUR", None);
    let due = d(2026, 11, 1);
    let (id, number) = invoice(&db, c, Decimal::new(100_000, 2), Currency::EUR, due);
    let mut conn = db.conn();
    let finance = kontor::audit::Actor::system("test");
    let pause = |conn: &mut PgConnection, reason: &str, until: NaiveDate| {
        kontor::collections::pause::pause(conn, c, reason, until, due, &finance, crate::support::now())
    };
    let bad = pause(&mut conn, " ", d(2026, 11, 20));
    assert_eq!(bad.unwrap_err().message_id(), "dunning-no-reason");
    let late = pause(&mut conn, "Disputed", d(2028, 1, 1));
    assert_eq!(late.unwrap_err().message_id(), "dunning-bad-pause-end");
    pause(&mut conn, "Disputed: says it was cancelled", d(2026, 11, 20)).unwrap();
    for offset in 1..=19 {
        assert!(dun(&mut conn, due + chrono::Days::new(offset)).sent.is_empty(), "paused on day {offset}");
    }
    // The day after the pause, the ladder resumes where it stands: the first step, then the next
    // as its day has long come.
    assert_eq!(dun(&mut conn, d(2026, 11, 21)).sent[0].level, 1);
    assert_eq!(dun(&mut conn, d(2026, 11, 22)).sent[0].level, 2);

    let vat_before = count(
        &db,
        "SELECT (-sum(p.amount) * 100)::bigint AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code LIKE '1776-%'",
    );
    let write_off = |conn: &mut PgConnection| {
        conn.transaction(|conn| {
            kontor::collections::write_off::write_off(
                conn,
                &number,
                "Insolvent",
                &finance,
                crate::support::now(),
            )
        })
    };
    let off = write_off(&mut conn).unwrap();
    assert_eq!((off.amount.amount(), off.vat.amount()), (Decimal::new(119_000, 2), Decimal::new(19_000, 2)));
    let vat_after = count(
        &db,
        "SELECT (-sum(p.amount) * 100)::bigint AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code LIKE '1776-%'",
    );
    assert_eq!(vat_before - vat_after, 19_000, "the VAT of the unpaid supply is taken back");
    assert_eq!(
        count(
            &db,
            &format!("SELECT (open_amount * 100)::bigint AS n FROM invoice_balances WHERE invoice_id = {id}")
        ),
        0
    );
    let again = write_off(&mut conn);
    assert_eq!(again.unwrap_err().message_id(), "dunning-nothing-open");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM audit_log WHERE action IN ('invoice.written_off', 'dunning.paused')"
        ),
        2
    );
    assert!(
        dun(&mut conn, d(2026, 12, 30)).sent.iter().all(|s| s.invoice != number),
        "nothing more for a written-off invoice"
    );
    let report = kontor::ledger::verify(&mut conn).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn the_trial_end_reminder_goes_out_three_days_before_once_with_the_price() {
    let db = TestDb::new();
    let user =
        crate::support::subscriptions::customer(&mut db.conn(), "trial@example.com", "DE", "EUR", None);
    let c = user.customer_id.unwrap().0;
    diesel::sql_query(
        "INSERT INTO subscriptions (customer_id, plan_code, currency, anchor_date, status, trial_ends_on)
         VALUES ($1, 'mailbox_10gb', 'EUR', '2026-12-01', 'trial', '2027-01-01')",
    )
    .bind::<diesel::sql_types::BigInt, _>(c)
    .execute(&mut db.conn())
    .unwrap();
    let settings = crate::support::seller_settings();
    let site = settings.publishing().site;
    let remind = |day: NaiveDate| {
        kontor::collections::trial_end::remind(
            &mut db.conn(),
            &settings.billing(),
            &site,
            day,
            crate::support::now(),
        )
        .unwrap()
    };
    assert_eq!(remind(d(2026, 12, 28)), 0, "four days before: not yet");
    assert_eq!(remind(d(2026, 12, 29)), 1);
    assert_eq!(remind(d(2026, 12, 30)), 0, "once");
    let body: String = {
        use kontor::db::schema::mail_outbox as m;
        m::table
            .filter(m::idempotency_key.like("trial-end:%"))
            .select(m::text_body)
            .first(&mut db.conn())
            .unwrap()
    };
    assert!(body.contains("€1.19") || body.contains("1.19"), "the price with VAT: {body}");
    assert!(body.contains("/account/subscription/cancel"), "{body}");
}

#[test]
fn termination_closes_through_the_closing_path_and_hands_the_claim_over_as_csv() {
    let db = TestDb::new();
    let c = customer(&db, "never@example.com", "DE", "EUR", Some("DE811907980"));
    diesel::sql_query(
        "INSERT INTO subscriptions (customer_id, plan_code, currency, anchor_date, status) VALUES ($1, 'mailbox_10gb', 'EUR', '2026-08-01', 'active')",
    )
    .bind::<diesel::sql_types::BigInt, _>(c)
    .execute(&mut db.conn())
    .unwrap();
    let due = d(2026, 9, 1);
    let (overdue, number) = invoice(&db, c, Decimal::new(10_000, 2), Currency::EUR, due);
    let mut conn = db.conn();
    for days in [3, 14, 28, 35, 89] {
        dun(&mut conn, due + chrono::Days::new(days));
    }
    // A mandate whose debit of the invoice came back for a reason that is not presented again
    // (so the invoice stays on the ladder): the closing revokes it. And a French speaker.
    diesel::sql_query(
        "WITH m AS (INSERT INTO sepa_mandates (customer_id, reference, debtor_name, iban, signed_on, creditor_id, mandate_text_sha256, language)
                    VALUES ($1, 'KONTOR-T-1', 'Test Person', 'DE89370400440532013000', '2026-08-01', 'DE98ZZZ09999999999', repeat('a', 64), 'fr') RETURNING id)
         INSERT INTO direct_debit_collections (invoice_id, customer_id, mandate_id, end_to_end_id, amount, currency, collection_date, sequence_type, status, return_reason)
         SELECT $2, $1, m.id, 'T-1', 119.00, 'EUR', '2026-09-01', 'FRST', 'returned', 'MD01' FROM m",
    )
    .bind::<diesel::sql_types::BigInt, _>(c)
    .bind::<diesel::sql_types::BigInt, _>(overdue)
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query("UPDATE customers SET language = 'fr' WHERE id = $1")
        .bind::<diesel::sql_types::BigInt, _>(c)
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM subscriptions WHERE cancel_on IS NOT NULL"),
        0,
        "not before day 90"
    );
    let summary = dun(&mut conn, due + chrono::Days::new(90));
    assert_eq!(summary.terminated, 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM subscriptions WHERE cancel_on IS NOT NULL"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM customers WHERE closed_at IS NOT NULL"), 1);
    // Closed through the one closing path: the mandate revoked, the closing email in French,
    // and the log-in kept (something is still open to pay).
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sepa_mandates WHERE status = 'revoked'"), 1);
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key = 'account-closed:{c}' AND language = 'fr'"
            )
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM users WHERE disabled_at IS NOT NULL"), 0);
    // The next day's run changes nothing more.
    assert_eq!(dun(&mut conn, due + chrono::Days::new(91)).terminated, 0);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'account-closed:%'"),
        1
    );
    let mut csv = Vec::new();
    assert_eq!(kontor::collections::termination::export_claims(&mut conn, &mut csv).unwrap(), 1);
    let csv = String::from_utf8(csv).unwrap();
    let row = csv.lines().nth(1).unwrap();
    // 119.00 open, the EUR 40 flat fee, and interest at 10.27 % for 90 days (from 2 September).
    assert!(row.contains(&format!(",{number},2026-09-01,EUR,119.00,40.00,")), "{csv}");
    let interest: Decimal = row.rsplit(',').nth(3).unwrap().parse().unwrap();
    let expected = Decimal::new(11_900, 2) * Decimal::new(1027, 4) * Decimal::from(90) / Decimal::from(365);
    assert!((interest - expected).abs() <= Decimal::new(3, 2), "{interest} ~ {expected}: rounded per notice");
}

#[test]
fn finance_sees_the_ladder_and_pauses_and_writes_off_once_however_often_the_form_is_sent() {
    let db = TestDb::new();
    let server = crate::support::TestServer::start(&db);
    let c = customer(&db, "dunned@example.com", "DE", "EUR", None);
    let (_, number) = invoice(&db, c, Decimal::new(10_000, 2), Currency::EUR, d(2026, 11, 1));
    dun(&mut db.conn(), d(2026, 11, 4));
    let mut finance = crate::support::accounts::staff_browser(
        &server,
        &db,
        "finance@kontor.example",
        kontor::accounts::Role::Finance,
    );
    let page = finance.get("/backoffice/collections");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Final notice") && page.body.contains("Base rate + 9 points"),
        "{}",
        page.body
    );
    assert!(page.body.contains("119.00"), "the invoice on step 1: {}", page.body);

    let paused = finance.post(
        "/backoffice/collections/pause",
        &[("customer", &c.to_string()), ("until", "2026-12-20"), ("reason", "Disputed")],
    );
    assert_eq!(paused.status, 303);
    assert_eq!(finance.resend().status, 303, "the same key again: the first result");
    assert_eq!(finance.reload_result().status, 200);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM dunning_pauses"), 1);
    let bad = finance.post(
        "/backoffice/collections/pause",
        &[("customer", &c.to_string()), ("until", "tomorrow"), ("reason", "x")],
    );
    assert_eq!(bad.status, 422, "bad input is a localized 4xx: {}", bad.body);

    let written =
        finance.post("/backoffice/collections/write-off", &[("invoice", &number), ("reason", "Insolvent")]);
    assert_eq!(written.status, 303);
    assert_eq!(finance.resend().status, 303);
    let result = finance.reload_result();
    assert!(result.body.contains(&format!("Invoice {number} written off")), "{}", result.body);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM write_offs"), 1);
    let again =
        finance.post("/backoffice/collections/write-off", &[("invoice", &number), ("reason", "Insolvent")]);
    assert_eq!(again.status, 422, "nothing open any more: {}", again.body);
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn a_suspended_customer_sees_the_banner_with_the_amount_and_a_pay_button_until_paid_in_chromium() {
    let db = TestDb::new();
    let server = crate::support::TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    let c = customer(&db, "banner@example.com", "DE", "EUR", None);
    let password = kontor::accounts::password::Password::parse("correct horse battery staple", &[]).unwrap();
    let hash = kontor::accounts::password::hash(&password).unwrap();
    diesel::sql_query("UPDATE users SET password_hash = $1 WHERE customer_id = $2")
        .bind::<diesel::sql_types::Text, _>(hash.as_str())
        .bind::<diesel::sql_types::BigInt, _>(c)
        .execute(&mut db.conn())
        .unwrap();
    let (id, _) = invoice(&db, c, Decimal::new(100, 2), Currency::EUR, d(2026, 10, 1));
    for day in [d(2026, 10, 4), d(2026, 10, 15), d(2026, 10, 29), d(2026, 11, 5)] {
        dun(&mut db.conn(), day);
    }
    chromium.goto("/login");
    chromium.fill_all(&[("email", "banner@example.com"), ("password", "correct horse battery staple")]);
    chromium.click_in("form[action=\"/login\"]", "Sign in");
    chromium.wait_for_url("/account");
    let text = chromium.wait_for_text("Your account is suspended");
    assert!(text.contains("€1.19"), "{text}");
    chromium.reload();
    assert!(chromium.wait_for_text("Your account is suspended").contains("€1.19"));
    chromium.click("Pay now");
    chromium.wait_for_url("/account/invoices");
    chromium.reload();
    assert!(chromium.path().starts_with("/account/invoices"));
    pay(&db, c, Money::new(Decimal::new(119, 2), Currency::EUR), &[id], "cash:banner");
    chromium.goto("/account");
    chromium.reload();
    let text = chromium.wait_for_text("Sign out");
    assert!(!text.contains("Your account is suspended"), "{text}");
}

/// The demo's SEK account (a registry example IBAN).
const SEK_IBAN: &str = "SE4550000000058398257466";

#[test]
fn the_demo_customer_who_never_pays_walks_the_ladder_in_swedish_is_suspended_and_active_again_after_paying() {
    let db = TestDb::new();
    let billing = crate::support::seller_settings().billing();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    crate::support::invoicing::run_daily(&db, crate::support::now(), 0);
    let dir = crate::support::documents::scratch("demo-dunning");
    let (walk, statement) =
        kontor::demo::dunning_walk(&mut db.conn(), &dir, SEK_IBAN).unwrap().expect("Daan has an invoice");
    let mut conn = db.conn();
    let erik: i64 = {
        use kontor::db::schema::customers;
        customers::table
            .filter(customers::email.eq(kontor::demo::DUNNING_CUSTOMER))
            .select(customers::id)
            .first(&mut conn)
            .unwrap()
    };
    // The other demo customers have not paid either: they walk beside Erik.
    for (day, _) in &walk {
        assert_eq!(dun(&mut conn, *day).sent.iter().filter(|s| s.customer_id == erik).count(), 1, "{day}");
    }
    let subjects: Vec<String> = {
        use kontor::db::schema::mail_outbox as m;
        m::table
            .filter(m::idempotency_key.like("dunning:%").and(m::recipient.eq(kontor::demo::DUNNING_CUSTOMER)))
            .order(m::id)
            .select(m::subject)
            .load(&mut conn)
            .unwrap()
    };
    assert!(subjects[0].starts_with("Vänlig påminnelse"), "{subjects:?}");
    assert!(subjects[3].starts_with("Ditt konto är spärrat"), "{subjects:?}");
    let open = || {
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM suspensions WHERE lifted_at IS NULL AND customer_id = {erik}"
            ),
        )
    };
    assert_eq!(open(), 1);
    let accounts =
        [kontor::payments::bank::OwnAccount { iban: SEK_IBAN.to_owned(), currency: Currency::SEK }];
    let returns = crate::support::seller_settings().sepa_returns();
    let request = kontor::payments::bank::ImportRequest {
        file_name: "demo.xml",
        actor: None,
        now: crate::support::now(),
        returns: &returns,
        accounts: &accounts,
    };
    kontor::payments::bank::import(
        &mut conn,
        std::fs::read(&statement).unwrap().as_slice(),
        &request,
        &|_| {},
    )
    .unwrap();
    assert_eq!(open(), 0, "active again");
    dun(&mut conn, walk[3].0 + chrono::Days::new(1));
    let body: String = {
        use kontor::db::schema::mail_outbox as m;
        m::table
            .filter(
                m::idempotency_key.like("reactivated:%").and(m::recipient.eq(kontor::demo::DUNNING_CUSTOMER)),
            )
            .select(m::subject)
            .first(&mut conn)
            .unwrap()
    };
    assert_eq!(body, "Ditt konto är aktivt igen");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reminder_lists_every_open_invoice_and_carries_the_payment_code_of_the_dunned_one() {
    let db = TestDb::new();
    // EUR: an EPC code with the RF reference; CHF to the seller's QR-IBAN: a Swiss QR-bill code
    // with the QR reference.
    for (currency, country, header) in [(Currency::EUR, "DE", "BCD"), (Currency::CHF, "CH", "SPC")] {
        let c = customer(&db, &format!("open-{country}@example.com"), country, currency.code(), None);
        let (first, first_number) = invoice(&db, c, Decimal::new(10_000, 2), currency, d(2026, 11, 1));
        let (_, second_number) = invoice(&db, c, Decimal::new(5_000, 2), currency, d(2026, 11, 20));
        let mut conn = db.conn();
        let sent = dun(&mut conn, d(2026, 11, 4)).sent;
        assert_eq!(
            sent.iter().map(|s| s.invoice.as_str()).collect::<Vec<_>>(),
            vec![first_number.as_str()],
            "only the first invoice is overdue"
        );
        let (pdf, reference): (Vec<u8>, String) = {
            use kontor::db::schema::{documents, dunning_notices as n, invoices};
            let doc: i64 = n::table
                .filter(n::invoice_id.eq(first).and(n::level.eq(1)))
                .select(n::document_id.assume_not_null())
                .first(&mut conn)
                .unwrap();
            let reference =
                invoices::table.find(first).select(invoices::payment_reference).first(&mut conn).unwrap();
            (documents::table.find(doc).select(documents::content).first(&mut conn).unwrap(), reference)
        };
        let dir = crate::support::documents::scratch("dunning-open");
        let text =
            crate::support::documents::normalized(&crate::support::documents::pdf_text(&dir, "letter", &pdf));
        for expected in ["Also open on your account", &format!("Invoice {second_number}"), "59.50"] {
            assert!(text.contains(expected), "{country}: {expected:?} not in {text}");
        }
        let codes = crate::support::documents::qr_codes(&dir, "letter", &pdf);
        assert_eq!(codes.len(), 1, "{country}: one payment code: {codes:?}");
        let payload = &codes[0].1;
        assert!(payload.starts_with(header), "{country}: {payload}");
        // The EPC format writes "EUR119", the Swiss one "119.00".
        let amount = if currency == Currency::EUR { "\nEUR119\n" } else { "\n119.00\n" };
        assert!(payload.contains(amount), "{country}: the open amount of the dunned invoice: {payload}");
        match currency {
            Currency::EUR => assert!(payload.contains(&reference), "{payload} lacks {reference}"),
            _ => assert!(payload.contains("\nQRR\n"), "a QR reference on the QR-IBAN: {payload}"),
        }
        // The email names the other invoice and points to the code on the attached letter.
        let body: String = {
            use kontor::db::schema::mail_outbox as m;
            m::table
                .filter(m::idempotency_key.eq(format!("dunning:{first}:1")))
                .select(m::text_body)
                .first(&mut conn)
                .unwrap()
        };
        assert!(body.contains(&second_number) && body.contains("payment code"), "{body}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn finance_sees_each_step_with_its_invoices_and_sums_per_currency() {
    let db = TestDb::new();
    let server = crate::support::TestServer::start(&db);
    let eur = customer(&db, "step-eur@example.com", "DE", "EUR", None);
    let chf = customer(&db, "step-chf@example.com", "CH", "CHF", None);
    let (_, eur_number) = invoice(&db, eur, Decimal::new(10_000, 2), Currency::EUR, d(2026, 11, 1));
    let (_, chf_number) = invoice(&db, chf, Decimal::new(20_000, 2), Currency::CHF, d(2026, 11, 1));
    let (_, later) = invoice(&db, eur, Decimal::new(1_000, 2), Currency::EUR, d(2026, 11, 10));
    dun(&mut db.conn(), d(2026, 11, 4));
    dun(&mut db.conn(), d(2026, 11, 15));
    let mut finance = crate::support::accounts::staff_browser(
        &server,
        &db,
        "finance-steps@kontor.example",
        kontor::accounts::Role::Finance,
    );
    let overview = finance.get("/backoffice/collections");
    assert!(overview.body.contains("/backoffice/collections/steps/2"), "{}", overview.body);
    let step_two = finance.get("/backoffice/collections/steps/2");
    assert_eq!(step_two.status, 200);
    // Both 1 November invoices are on step 2 (day 14), the 10 November one on step 1 (day 5).
    for expected in [eur_number.as_str(), chf_number.as_str(), "119.00", "238.00"] {
        assert!(step_two.body.contains(expected), "{expected} not on step 2: {}", step_two.body);
    }
    assert!(!step_two.body.contains(&later), "{later} is on step 1");
    let step_one = finance.get("/backoffice/collections/steps/1");
    assert!(step_one.body.contains(&later) && !step_one.body.contains(&eur_number), "{}", step_one.body);
    assert_eq!(finance.get("/backoffice/collections/steps/9").status, 200, "an empty step says so");
    assert_eq!(finance.get("/backoffice/collections/steps/x").status, 404, "not a step: a 4xx");
    let mut support = crate::support::accounts::staff_browser(
        &server,
        &db,
        "support-steps@kontor.example",
        kontor::accounts::Role::Support,
    );
    assert_eq!(support.get("/backoffice/collections/steps/2").status, 404, "money is finance's");
}
