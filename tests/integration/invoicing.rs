//! Invoicing against a real PostgreSQL: the batch issues one invoice per subscription and
//! period with gapless numbers, survives SIGKILL at any moment, runs in several processes at
//! once, and credit notes and customer credit book exactly.

use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::support::{TestDb, count};

pub(crate) const PERIOD: &str = "2026-12";

fn kontor(db: &TestDb, args: &[&str]) -> Command {
    let mut command = crate::support::kontor_command();
    command.args(args).env("DATABASE_URL", db.url()).env("KONTOR_LOG_FORMAT", "json");
    command
}

pub(crate) fn seed(db: &TestDb, customers: i64) {
    let made = kontor::seed::customers(&mut db.conn(), customers, PERIOD.parse().unwrap()).unwrap();
    assert_eq!(made, customers);
}

/// Every due subscription has exactly one invoice, numbered 1..N without gaps, with one
/// stored PDF and one queued email, and the ledger is healthy.
fn assert_complete(db: &TestDb, subscriptions: i64) {
    assert_eq!(count(db, "SELECT count(*) AS n FROM invoices WHERE kind = 'invoice'"), subscriptions);
    assert_eq!(count(db, "SELECT count(DISTINCT subscription_id) AS n FROM invoices"), subscriptions);
    assert_eq!(count(db, "SELECT max(sequence) AS n FROM invoices WHERE kind = 'invoice'"), subscriptions);
    assert_eq!(
        count(db, "SELECT count(DISTINCT sequence) AS n FROM invoices WHERE kind = 'invoice'"),
        subscriptions
    );
    assert_eq!(count(db, "SELECT count(*) AS n FROM billing_run_items WHERE state <> 'done'"), 0);
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
    assert_eq!(report.entries, subscriptions);
    // Each invoice's PDF and email are made in its transaction: however the run was
    // interrupted, exactly one of each per invoice and none without one.
    crate::documents::assert_one_pdf_and_one_email_per_document(db);
}

fn totals(db: &TestDb) -> Vec<(String, Decimal, Decimal)> {
    kontor::db::schema::invoices::table
        .group_by(kontor::db::schema::invoices::currency)
        .order(kontor::db::schema::invoices::currency)
        .select((
            kontor::db::schema::invoices::currency,
            diesel::dsl::sum(kontor::db::schema::invoices::net).assume_not_null(),
            diesel::dsl::sum(kontor::db::schema::invoices::vat).assume_not_null(),
        ))
        .load(&mut db.conn())
        .unwrap()
}

#[test]
fn two_batch_processes_started_together_issue_every_invoice_once() {
    let db = TestDb::new();
    seed(&db, 2_000);
    let run = || {
        kontor(&db, &["billing", "run", "--period", PERIOD, "--workers", "2", "--chunk", "100"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut first, mut second) = (run(), run());
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    assert_complete(&db, 2_000);
    // And once more: nothing new.
    let again = kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("issued 0 invoice(s)"));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), 2_000);
}

#[test]
fn a_batch_killed_at_random_moments_ends_exactly_like_an_uninterrupted_run() {
    let subscriptions = 2_500;
    let killed = TestDb::new();
    seed(&killed, subscriptions);
    let mut state: u64 =
        std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap_or_default().subsec_nanos() as u64 | 1;
    let mut next_delay = || {
        // xorshift: cheap, and enough to spread the kills.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Duration::from_millis(10 + state % 140)
    };
    let mut kills = 0;
    // On a busy machine a run may die before finishing a chunk: each kill without progress
    // waits a little longer next time, so the run always gets there.
    let mut patience = Duration::ZERO;
    let done = || count(&killed, "SELECT count(*) AS n FROM billing_run_items WHERE state = 'done'");
    loop {
        let before = done();
        let mut child =
            kontor(&killed, &["billing", "run", "--period", PERIOD, "--workers", "2", "--chunk", "40"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
        std::thread::sleep(next_delay() + patience);
        match child.try_wait().unwrap() {
            Some(status) if done() == subscriptions => {
                assert!(status.success());
                break;
            }
            // A run ends early when the rows left are still locked by the connection of a run
            // just killed (PostgreSQL has not noticed its death yet): SKIP LOCKED leaves them
            // to "the other worker". The next run takes them.
            Some(_) => {}
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                kills += 1;
            }
        }
        patience = if done() == before { patience + Duration::from_millis(100) } else { Duration::ZERO };
        assert!(kills < 500, "the batch never finishes");
    }
    assert!(kills >= 20);
    assert_complete(&killed, subscriptions);

    let uninterrupted = TestDb::new();
    seed(&uninterrupted, subscriptions);
    assert!(
        kontor(&uninterrupted, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success()
    );
    assert_complete(&uninterrupted, subscriptions);
    assert_eq!(totals(&killed), totals(&uninterrupted));
}

#[test]
fn bad_periods_are_clear_errors_and_invoices_cannot_be_changed() {
    let db = TestDb::new();
    for bad in ["2026-13", "abc"] {
        let output = kontor(&db, &["billing", "run", "--period", bad]).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("is not a billing period: expected YYYY-MM"), "{stderr}");
    }
    seed(&db, 3);
    assert!(kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success());
    for sql in [
        "UPDATE invoices SET net = 0",
        "DELETE FROM invoices",
        "UPDATE invoice_lines SET net = 0",
        "DELETE FROM invoice_vat",
    ] {
        let error = diesel::sql_query(sql).execute(&mut db.conn()).unwrap_err().to_string();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
}

#[test]
fn the_csv_export_lists_every_document_with_a_stable_header() {
    let db = TestDb::new();
    seed(&db, 12);
    assert!(kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success());
    let output = kontor(&db, &["invoice", "list", "--period", PERIOD, "--format", "csv"]).output().unwrap();
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(kontor::invoicing::export::HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 12);
    for row in &rows {
        assert_eq!(row.len(), 13);
        assert!(kontor::invoicing::reference::is_valid_rf(row[12]), "{row:?}");
        assert_eq!(row[11], "open");
    }
    assert_eq!(rows[0][0], "2026-000001");
}

#[test]
fn credit_notes_reverse_exactly_and_customer_credit_pays_the_next_invoice() {
    let db = TestDb::new();
    seed(&db, 12);
    assert!(kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success());
    // A German customer (19 %): first credit part of the invoice, then the rest.
    let (number, gross, customer): (String, Decimal, i64) = kontor::db::schema::invoices::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("customer_snapshot->>'country' = 'DE'"))
        .order(kontor::db::schema::invoices::id)
        .select((
            kontor::db::schema::invoices::number,
            kontor::db::schema::invoices::gross,
            kontor::db::schema::invoices::customer_id,
        ))
        .first(&mut db.conn())
        .unwrap();
    let partial =
        kontor(&db, &["invoice", "credit", &number, "--amount", "0.50", "--reason", "Outage 2026-12-03"])
            .output()
            .unwrap();
    assert!(partial.status.success(), "{}", String::from_utf8_lossy(&partial.stderr));
    assert!(String::from_utf8_lossy(&partial.stdout).contains("CN-2026-000001"));
    let too_much =
        kontor(&db, &["invoice", "credit", &number, "--amount", "999", "--reason", "x"]).output().unwrap();
    assert!(!too_much.status.success());
    let rest = kontor(&db, &["invoice", "credit", &number, "--reason", "Cancelled"]).output().unwrap();
    assert!(rest.status.success());
    let credited: Decimal = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::kind.eq("credit_note"))
        .select(diesel::dsl::sum(kontor::db::schema::invoices::gross).assume_not_null())
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(credited, gross, "two credit notes reverse the invoice exactly");
    // The receivable of that invoice is back to zero, revenue and VAT reversed.
    let receivable: Decimal = diesel::sql_query(format!(
        "SELECT COALESCE(sum(p.amount), 0) AS n FROM postings p
           JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = '1400-EUR-C{customer}'"
    ))
    .get_result::<Sum>(&mut db.conn())
    .unwrap()
    .n;
    assert_eq!(receivable, Decimal::ZERO);
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());

    // Customer credit (e.g. an overpayment) is used by the next invoice.
    let mut conn = db.conn();
    let credit = kontor::ledger::Account::open_many(
        &mut conn,
        &[kontor::ledger::chart::codes::credit(iso_currency::Currency::EUR, customer)],
    )
    .unwrap()
    .into_values()
    .next()
    .unwrap();
    let bank =
        kontor::ledger::chart::SystemAccount::Cash.open(&mut conn, iso_currency::Currency::EUR).unwrap();
    let eur = |minor| kontor::money::Money::from_minor(minor, iso_currency::Currency::EUR);
    conn.transaction(|c| {
        kontor::ledger::post_entry(
            c,
            &kontor::ledger::NewEntry {
                idempotency_key: "test:overpayment".into(),
                kind: "payment_received".into(),
                memo: String::new(),
                occurred_at: crate::support::now(),
                reference: None,
                postings: vec![
                    kontor::ledger::NewPosting::debit(bank.id, eur(100)),
                    kontor::ledger::NewPosting::credit(credit, eur(100)),
                ],
            },
        )
    })
    .unwrap();
    drop(conn);
    assert!(kontor(&db, &["billing", "run", "--period", "2027-01"]).output().unwrap().status.success());
    let (applied, due): (Decimal, Decimal) = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::customer_id.eq(customer))
        .filter(kontor::db::schema::invoices::billing_period.eq("2027-01"))
        .select((kontor::db::schema::invoices::credit_applied, kontor::db::schema::invoices::amount_due))
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(applied, Decimal::ONE, "1.00 of credit used");
    assert!(due >= Decimal::ZERO);
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    n: Decimal,
}

#[test]
fn finance_finds_invoices_and_issues_a_credit_note_in_the_back_office() {
    use crate::support::TestServer;
    use kontor::accounts::Role;
    let db = TestDb::new();
    seed(&db, 24);
    assert!(kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success());
    let server = TestServer::start(&db);
    let mut support = crate::accounts::staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let list = support.get("/backoffice/invoices?period=2026-12&country=SE");
    assert_eq!(list.status, 200);
    assert_eq!(list.body.matches("<a href=\"/backoffice/invoices/2026-").count(), 2, "{}", list.body);
    let first = support.get("/backoffice/invoices/2026-000001");
    assert!(first.body.contains("RF") && !first.body.contains("/credit\""), "support reads, cannot credit");
    assert_eq!(support.post("/backoffice/invoices/2026-000001/credit", &[("reason", "x")]).status, 404);

    let mut finance = crate::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let refused = finance.post("/backoffice/invoices/2026-000001/credit", &[("amount", ""), ("reason", "")]);
    assert!(refused.body.contains("give a reason"), "{}", refused.body);
    let issued =
        finance.post("/backoffice/invoices/2026-000001/credit", &[("amount", ""), ("reason", "Goodwill")]);
    assert!(issued.body.contains("Credit note CN-2026-000001 has been issued"), "{}", issued.body);
    assert!(finance.get("/backoffice/invoices?number=CN-").body.contains("CN-2026-000001"));
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

pub(crate) fn run_batch(
    db: &TestDb,
    month: &str,
    now: chrono::DateTime<Utc>,
) -> kontor::invoicing::batch::Summary {
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    let billing = settings.billing();
    let publishing = settings.publishing();
    let ctx = kontor::invoicing::batch::BatchContext {
        billing: &billing,
        seller: &settings.seller,
        payment_terms_days: 14,
        publishing: &publishing,
        now,
    };
    let options = kontor::invoicing::batch::RunOptions {
        month: month.parse().unwrap(),
        workers: 1,
        chunk_size: 50,
        dry_run: false,
    };
    kontor::invoicing::batch::run(&db.pool(), &ctx, &options, &kontor::invoicing::progress::Reporter::Silent)
        .unwrap()
}

fn net_of(db: &TestDb, period: &str) -> (Decimal, i64) {
    let (id, net): (i64, Decimal) = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::billing_period.eq(period))
        .select((kontor::db::schema::invoices::id, kontor::db::schema::invoices::net))
        .first(&mut db.conn())
        .unwrap();
    let lines = count(db, &format!("SELECT count(*) AS n FROM invoice_lines WHERE invoice_id = {id}"));
    (net, lines)
}

#[test]
fn packs_are_billed_once_whenever_they_are_added() {
    use kontor::subscriptions::changes::{self, ChangeRequest};
    use kontor::subscriptions::trial::{self, Start};
    let db = TestDb::new();
    let mut conn = db.conn();
    diesel::sql_query(
        "INSERT INTO customers (email, name, country, language, currency) VALUES ('p@x.example', 'P', 'CH', 'de', 'CHF')",
    )
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO users (email, role, customer_id, language, email_verified_at)
         SELECT 'p@x.example', 'customer', id, 'de', now() FROM customers",
    )
    .execute(&mut conn)
    .unwrap();
    let user = kontor::accounts::User::by_email(&mut conn, "p@x.example").unwrap().unwrap();
    let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
    let at = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    let start = at("2026-11-10T08:00:00Z");
    conn.transaction(|c| trial::start(c, &billing, &user, Start::Paid, None, "10.0.0.1", start)).unwrap();
    let request = |now| ChangeRequest {
        billing: &billing,
        customer: user.customer_id.unwrap(),
        actor: user.id,
        ip: "ip",
        now,
    };
    // On the first day, before the period is invoiced: the charge covers the whole period.
    conn.transaction(|c| changes::add_pack(c, &request(start), "mail_pack_10gb")).unwrap();
    drop(conn);
    run_batch(&db, "2026-11", start);
    assert_eq!(
        net_of(&db, "2026-11"),
        (Decimal::new(199, 2), 2),
        "base + the pack's charge, not the pack twice"
    );
    // The next period bills the pack as a line.
    let december = at("2026-12-01T08:00:00Z");
    run_batch(&db, "2026-12", december);
    assert_eq!(net_of(&db, "2026-12"), (Decimal::new(199, 2), 2));
    // A pack added after December's period was invoiced in advance: the rest of November's
    // period pro rata plus all of December's.
    let mut conn = db.conn();
    let late = conn
        .transaction(|c| changes::add_pack(c, &request(at("2026-12-05T08:00:00Z")), "mail_pack_10gb"))
        .unwrap();
    // 5 of 30 days (Dec 5-9) of 0.99 = 0.165 -> 0.17, plus 0.99 for Dec 10 - Jan 9.
    assert_eq!(late.net.amount(), Decimal::new(116, 2));
    assert_eq!(late.period_end, chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    // Removing the first pack now: December was paid for in advance, so it stays until then.
    let first_pack: i64 = kontor::db::schema::subscription_packs::table
        .select(diesel::dsl::min(kontor::db::schema::subscription_packs::id).assume_not_null())
        .first(&mut conn)
        .unwrap();
    let ends = conn
        .transaction(|c| changes::remove_pack(c, &request(at("2026-12-05T09:00:00Z")), first_pack))
        .unwrap();
    assert_eq!(ends, chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    drop(conn);
    run_batch(&db, "2027-01", at("2027-01-02T08:00:00Z"));
    // January: the first pack has ended with what was paid for.
    assert_eq!(net_of(&db, "2027-01"), (Decimal::new(315, 2), 3), "base + the second pack + its late charge");
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}
