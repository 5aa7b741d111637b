//! Invoicing against a real PostgreSQL: the batch issues one invoice per subscription and
//! period with gapless numbers, survives SIGKILL at any moment, runs in several processes at
//! once, and credit notes and customer credit book exactly.

use std::process::{Command, Stdio};

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::support::invoicing::{PERIOD, run_batch, run_batch_leading, seed};
use crate::support::{TestDb, count};

fn kontor(db: &TestDb, args: &[&str]) -> Command {
    let mut command = crate::support::kontor_command();
    command.args(args).env("DATABASE_URL", db.url()).env("KONTOR_LOG_FORMAT", "json");
    command
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
    crate::support::documents::assert_one_pdf_and_one_email_per_document(db);
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

/// Every invoice as a comparable row: subscription, number, dates, amounts, reference, and
/// its lines, VAT rows, PDFs and emails.
fn invoices_one_by_one(db: &TestDb) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        row: String,
    }
    diesel::sql_query(
        "SELECT concat_ws('|', i.subscription_id, i.customer_id, i.number, i.issue_date, i.due_date,
                i.service_from, i.service_until, i.currency, i.net, i.vat, i.gross, i.credit_applied, i.amount_due,
                i.payment_reference, i.vat_treatment,
                (SELECT string_agg(concat_ws(';', l.line_no, l.description, l.net, l.vat), ',' ORDER BY l.line_no)
                   FROM invoice_lines l WHERE l.invoice_id = i.id),
                (SELECT string_agg(concat_ws(';', v.rate, v.net, v.vat), ',' ORDER BY v.rate) FROM invoice_vat v WHERE v.invoice_id = i.id),
                (SELECT count(*) FROM documents d WHERE d.invoice_id = i.id),
                (SELECT count(*) FROM mail_outbox m JOIN documents d ON d.id = m.attachment_document_id WHERE d.invoice_id = i.id)) AS row
           FROM invoices i ORDER BY i.subscription_id",
    )
    .load::<Row>(&mut db.conn())
    .unwrap()
    .into_iter()
    .map(|r| r.row)
    .collect()
}

#[test]
fn a_batch_killed_inside_its_transactions_ends_invoice_for_invoice_like_an_uninterrupted_run() {
    let (subscriptions, chunk) = (240, 40);
    let killed = TestDb::new();
    seed(&killed, subscriptions);
    let run = |db: &TestDb, failpoint: Option<String>| {
        let mut command = kontor(
            db,
            &["billing", "run", "--period", PERIOD, "--workers", "1", "--chunk", &chunk.to_string()],
        );
        if let Some(point) = failpoint {
            command.env("KONTOR_FAILPOINT", point);
        }
        command.stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap()
    };
    let done = || count(&killed, "SELECT count(*) AS n FROM billing_run_items WHERE state = 'done'");
    // Each run dies (like kill -9) at a named instant of its n-th chunk's transaction: the
    // chunks before it are committed, that one leaves nothing, not even a number.
    for (point, nth) in [
        ("batch-after-claim", 1),
        ("batch-after-compose", 2),
        ("batch-after-render-ahead", 2),
        ("batch-after-issue", 1),
        ("batch-after-publish", 2),
        ("batch-before-commit", 1),
    ] {
        let before = done();
        let status = run(
            &killed,
            Some(format!("{point}={}", if nth == 1 { "abort".to_owned() } else { format!("abort@{nth}") })),
        );
        assert_eq!(status.code(), None, "{point}: killed by the failpoint, not finished: {status:?}");
        let after = done();
        assert_eq!(
            after,
            before + (nth as i64 - 1) * chunk,
            "{point}: only the chunks before the kill are done"
        );
        assert_eq!(
            count(&killed, "SELECT count(*) AS n FROM invoices"),
            after,
            "{point}: no invoice of the killed chunk"
        );
        assert_eq!(
            count(&killed, "SELECT COALESCE(max(sequence), 0) AS n FROM invoices"),
            after,
            "{point}: no number used by the killed chunk"
        );
    }
    // The next run takes over the items the dead connections held (waiting for PostgreSQL
    // to notice, instead of skipping them) and finishes: exit 0.
    let status = run(&killed, None);
    assert!(status.success(), "{status:?}");
    assert_complete(&killed, subscriptions);

    let uninterrupted = TestDb::new();
    seed(&uninterrupted, subscriptions);
    assert!(run(&uninterrupted, None).success());
    assert_complete(&uninterrupted, subscriptions);
    let (a, b) = (invoices_one_by_one(&killed), invoices_one_by_one(&uninterrupted));
    assert_eq!(a.len(), b.len());
    for (killed_row, whole_row) in a.iter().zip(&b) {
        assert_eq!(killed_row, whole_row);
    }
    assert_eq!(totals(&killed), totals(&uninterrupted));
}

/// A customer with a user, subscribed (paid) since 2026-11-10: December's period
/// (2026-12-10 to 2027-01-10) is due in the 2026-12 batch.
fn subscribed_customer(db: &TestDb, email: &str, country: &str, currency: &str) -> kontor::accounts::User {
    use kontor::subscriptions::trial::{self, Start};
    let mut conn = db.conn();
    diesel::sql_query(format!(
        "INSERT INTO customers (email, name, country, language, currency) VALUES ('{email}', 'C', '{country}', 'en', '{currency}')"
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO users (email, role, customer_id, language, email_verified_at)
         SELECT '{email}', 'customer', id, 'en', now() FROM customers WHERE email = '{email}'"
    ))
    .execute(&mut conn)
    .unwrap();
    let user = kontor::accounts::User::by_email(&mut conn, email).unwrap().unwrap();
    let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
    // Paid from 1 November: December's period began on the 1st and is due by the pinned today.
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z").unwrap().to_utc();
    conn.transaction(|c| trial::start(c, &billing, &user, Start::Paid, None, "10.0.0.1", start)).unwrap();
    user
}

#[test]
fn a_cancellation_during_a_chunk_waits_for_it_and_no_period_after_the_end_is_invoiced() {
    use kontor::subscriptions::changes::{self, ChangeRequest};
    let db = TestDb::new();
    let user = subscribed_customer(&db, "leaving@x.example", "DE", "EUR");
    let pause = crate::support::FilePause::new("cancel-race");
    // The batch has read the subscription (not cancelled) and composed December's invoice.
    let mut batch = kontor(&db, &["billing", "run", "--period", PERIOD, "--workers", "1"])
        .env("KONTOR_FAILPOINT", pause.at("batch-after-compose", 1))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    pause.reached(&mut batch);
    // Now the customer cancels.
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let pid = crate::support::backend_pid(&mut conn);
    let cancelling = std::thread::spawn(move || {
        let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
        let request = ChangeRequest {
            billing: &billing,
            customer: user.customer_id.unwrap(),
            actor: user.id,
            ip: "10.0.0.1",
            now: crate::support::now(),
        };
        conn.transaction(|c| changes::cancel(c, &request)).unwrap()
    });
    crate::support::blocked_on_a_lock(&db, pid, || cancelling.is_finished());
    pause.release();
    assert!(batch.wait().unwrap().success());
    let ends = cancelling.join().unwrap();
    // The cancellation came after the invoice: it takes effect at the end of what was
    // invoiced (and paid for), never before a period the customer was billed for.
    let (from, until): (chrono::NaiveDate, chrono::NaiveDate) = kontor::db::schema::invoices::table
        .select((
            kontor::db::schema::invoices::service_from.assume_not_null(),
            kontor::db::schema::invoices::service_until.assume_not_null(),
        ))
        .first(&mut db.conn())
        .unwrap();
    assert!(from < ends, "invoiced {from}..{until} but cancelled from {ends}");
    assert_eq!(ends, until);
}

#[test]
fn credit_is_spent_once_when_a_reversal_races_the_batch() {
    use kontor::audit::Actor;
    use kontor::payments::bank::queue::{self, Target};
    use kontor::payments::bank::statement::Movement;
    let db = TestDb::new();
    let user = subscribed_customer(&db, "credit@x.example", "DE", "EUR");
    let customer = user.customer_id.unwrap().0;
    // 5.00 waits in the queue and finance gives it to the customer's credit.
    let mut gift = Movement::transfer(
        crate::support::bank::eur(Decimal::new(500, 2)),
        crate::support::bank::day(),
        "GIFT",
    );
    gift.remittance = Some("?".into());
    crate::support::bank::import_bytes(&db, &crate::support::bank::statement_bytes("S-G", vec![gift]))
        .unwrap();
    let waiting = queue::list(&mut db.conn(), 10).unwrap()[0].id;
    let (actor, now) = (Actor::system("127.0.0.1"), crate::support::now());
    queue::assign(
        &mut db.conn(),
        &crate::support::payments::site(),
        waiting,
        &Target::Credit(customer),
        &actor,
        now,
    )
    .unwrap();
    // The batch reads the credit and composes an invoice that uses it ...
    let pause = crate::support::FilePause::new("credit-race");
    let mut batch = kontor(&db, &["billing", "run", "--period", PERIOD, "--workers", "1"])
        .env("KONTOR_FAILPOINT", pause.at("batch-after-compose", 1))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    pause.reached(&mut batch);
    // ... while finance undoes the assignment, which takes the 5.00 back out of the credit.
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let pid = crate::support::backend_pid(&mut conn);
    let undoing = std::thread::spawn(move || queue::undo(&mut conn, waiting, &actor, now).unwrap());
    crate::support::blocked_on_a_lock(&db, pid, || undoing.is_finished());
    pause.release();
    assert!(batch.wait().unwrap().success());
    undoing.join().unwrap();
    // Spent once: the invoice used the credit, and the undo, finding it spent, opened the
    // invoice again instead of taking the credit below zero.
    let (invoice, gross, applied): (i64, Decimal, Decimal) = kontor::db::schema::invoices::table
        .select((
            kontor::db::schema::invoices::id,
            kontor::db::schema::invoices::gross,
            kontor::db::schema::invoices::credit_applied,
        ))
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(applied, gross, "the credit paid the invoice");
    let open = kontor::payments::open_amounts(&mut db.conn(), &[invoice]).unwrap();
    let credit =
        kontor::payments::allocation::credit_available(&mut db.conn(), customer, iso_currency::Currency::EUR)
            .unwrap();
    assert_eq!(credit, Decimal::ZERO);
    assert_eq!(open.values().next().map(|m| m.amount()), Some(gross), "the invoice is open again");
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn permanent_failures_are_listed_and_retried_and_transient_ones_are_retried_by_the_run() {
    let db = TestDb::new();
    seed(&db, 6);
    // One subscription's plan has no price: it cannot be invoiced until finance adds one.
    let mut conn = db.conn();
    diesel::sql_query(
        "INSERT INTO plans (code, product_code, kind, storage_gb, sort_order) VALUES ('mailbox_odd', 'mailbox', 'base', 10, 99)",
    )
    .execute(&mut conn)
    .unwrap();
    let broken: i64 = crate::support::scalar_count(
        &mut conn,
        "UPDATE subscriptions SET plan_code = 'mailbox_odd'
          WHERE id = (SELECT min(id) FROM subscriptions WHERE currency = 'EUR') RETURNING id AS n",
    );
    drop(conn);
    let pause = crate::support::FilePause::new("transient");
    let mut batch = kontor(&db, &["billing", "run", "--period", PERIOD, "--workers", "1"])
        .env("KONTOR_FAILPOINT", pause.at("batch-after-compose", 1))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    pause.reached(&mut batch);
    // The batch's connections are lost in the middle of its chunk (a failover, a restart).
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut db.conn())
    .unwrap();
    pause.release();
    let output = batch.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "one failed for good: {stdout}");
    assert!(
        stdout.contains("issued 5 invoice(s)") && stdout.contains(&format!("FAILED subscription {broken}")),
        "{stdout}"
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), 5, "the lost chunk was tried again");
    let failures = kontor(&db, &["billing", "failures", "--period", PERIOD]).output().unwrap();
    let listed = String::from_utf8_lossy(&failures.stdout);
    assert!(
        listed.contains(&format!("{PERIOD},{broken},")) && listed.contains("no EUR price for mailbox_odd"),
        "{listed}"
    );
    // Running again does not try it: it waits for a person.
    let again = kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("issued 0 invoice(s)"));
    // Finance adds the price and queues it again.
    diesel::sql_query("INSERT INTO prices (plan_code, currency, monthly_amount, valid_from) VALUES ('mailbox_odd', 'EUR', 1.00, '2026-01-01')")
        .execute(&mut db.conn())
        .unwrap();
    let retried = kontor(&db, &["billing", "retry", "--period", PERIOD]).output().unwrap();
    assert!(String::from_utf8_lossy(&retried.stdout).contains("1 failed subscription(s)"));
    let last = kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap();
    assert!(last.status.success(), "{}", String::from_utf8_lossy(&last.stdout));
    assert_complete(&db, 6);
    let none = kontor(&db, &["billing", "failures"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&none.stdout).contains(PERIOD));
}

#[test]
fn a_run_never_exits_0_while_another_run_holds_due_items() {
    let db = TestDb::new();
    seed(&db, 30);
    let pause = crate::support::FilePause::new("held");
    let mut first = kontor(&db, &["billing", "run", "--period", PERIOD, "--workers", "1", "--chunk", "10"])
        .env("KONTOR_FAILPOINT", pause.at("batch-after-compose", 2))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    pause.reached(&mut first);
    // A second run does everything it can, waits (briefly here) for the held chunk, and
    // says it is not finished.
    let second = kontor(&db, &["billing", "run", "--period", PERIOD, "--chunk", "10", "--lock-wait", "1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&second.stdout);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "{stdout}{stderr}");
    assert!(stdout.contains("UNFINISHED: 10 due subscription(s)"), "{stdout}");
    assert!(stderr.contains("run `kontor billing run` again"), "{stderr}");
    pause.release();
    assert!(first.wait().unwrap().success());
    assert_complete(&db, 30);
    let third = kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap();
    assert!(third.status.success());
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
    assert_eq!(lines.next(), Some(kontor::reports::invoice_list::HEADER.join(",").as_str()));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 12);
    for row in &rows {
        assert_eq!(row.len(), 13);
        assert!(kontor::references::is_valid_rf(row[12]), "{row:?}");
        assert_eq!(row[11], "open");
    }
    assert_eq!(rows[0][0], "2026-000001");
}

#[test]
fn the_csv_export_streams_in_bounded_pages_and_writes_the_same_bytes() {
    use kontor::invoicing::queries::Filter;
    use kontor::reports::invoice_list::write_csv;
    let db = TestDb::new();
    seed(&db, 12);
    assert!(kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success());
    let number: String = kontor::db::schema::invoices::table
        .select(kontor::db::schema::invoices::number)
        .order(kontor::db::schema::invoices::id)
        .first(&mut db.conn())
        .unwrap();
    let credit = kontor(&db, &["invoice", "credit", &number, "--reason", "Goodwill"]).output().unwrap();
    assert!(credit.status.success(), "{}", String::from_utf8_lossy(&credit.stderr));
    let today = crate::support::now().date_naive();
    let mut whole = Vec::new();
    let one_page = write_csv(&mut db.conn(), &Filter::default(), today, &mut whole, 10_000).unwrap();
    assert_eq!((one_page.rows, one_page.pages), (13, 1));
    let mut paged = Vec::new();
    let pages = write_csv(&mut db.conn(), &Filter::default(), today, &mut paged, 5).unwrap();
    assert_eq!(pages.rows, 13);
    assert_eq!(pages.largest_page, 5, "never more than a page of rows in memory");
    assert_eq!(pages.pages, 3);
    assert_eq!(String::from_utf8(paged).unwrap(), String::from_utf8(whole.clone()).unwrap());
    // The command writes the same thing, and the credit note comes last, negative.
    let output = kontor(&db, &["invoice", "list", "--format", "csv"]).output().unwrap();
    assert_eq!(output.stdout, whole);
    let last = String::from_utf8(whole).unwrap().lines().last().unwrap().to_owned();
    assert!(last.starts_with("CN-2026-000001,credit_note,") && last.contains(",-"), "{last}");
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

    // Customer credit (e.g. an overpayment at the counter) is used by the next invoice.
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
    let january = kontor(&db, &["billing", "run", "--period", "2027-01"])
        .env("KONTOR_NOW", "2027-01-01T09:00:00Z")
        .output()
        .unwrap();
    assert!(january.status.success(), "{january:?}");
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
    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let list = support.get("/backoffice/invoices?period=2026-12&country=SE");
    assert_eq!(list.status, 200);
    assert_eq!(list.body.matches("<a href=\"/backoffice/invoices/2026-").count(), 2, "{}", list.body);
    let first = support.get("/backoffice/invoices/2026-000001");
    assert!(first.body.contains("RF") && !first.body.contains("/credit\""), "support reads, cannot credit");
    assert_eq!(support.post("/backoffice/invoices/2026-000001/credit", &[("reason", "x")]).status, 404);

    let mut finance =
        crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let refused = finance.post("/backoffice/invoices/2026-000001/credit", &[("amount", ""), ("reason", "")]);
    assert!(refused.body.contains("give a reason"), "{}", refused.body);
    let issued =
        finance.submit("/backoffice/invoices/2026-000001/credit", &[("amount", ""), ("reason", "Goodwill")]);
    assert!(issued.body.contains("Credit note CN-2026-000001 has been issued"), "{}", issued.body);
    // Reloading the result sends the form again: the same credit note, not a second one.
    let again = finance.reload_result();
    assert!(again.body.contains("Credit note CN-2026-000001 has been issued"), "{}", again.body);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'"), 1);
    assert!(finance.get("/backoffice/invoices?number=CN-").body.contains("CN-2026-000001"));
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
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
    // The next period bills the pack as a line. With a lead of nine days, December's period
    // (from the 10th) is invoiced on the 1st, in advance.
    let december = at("2026-12-01T08:00:00Z");
    assert_eq!(run_batch(&db, "2026-12", december).issued, 0, "not before it begins without a lead");
    run_batch_leading(&db, "2026-12", december, 9);
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
    run_batch_leading(&db, "2027-01", at("2027-01-02T08:00:00Z"), 9);
    // January: the first pack has ended with what was paid for.
    assert_eq!(net_of(&db, "2027-01"), (Decimal::new(315, 2), 3), "base + the second pack + its late charge");
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

#[test]
fn absurd_reasons_and_prices_are_refused_and_a_long_reason_prints_in_full() {
    let db = TestDb::new();
    seed(&db, 2);
    assert!(kontor(&db, &["billing", "run", "--period", PERIOD]).output().unwrap().status.success());
    let number: String = kontor::db::schema::invoices::table
        .select(kontor::db::schema::invoices::number)
        .order(kontor::db::schema::invoices::id)
        .first(&mut db.conn())
        .unwrap();
    for reason in ["x".repeat(100_000), "Outage\u{7}".to_owned()] {
        let refused = kontor(&db, &["invoice", "credit", &number, "--reason", &reason]).output().unwrap();
        assert!(!refused.status.success(), "{} characters", reason.len());
    }
    let price = |amount: &str| {
        let args = [
            "catalog",
            "price",
            "--plan",
            "mailbox_10gb",
            "--currency",
            "EUR",
            "--amount",
            amount,
            "--from",
            "2027-02-01",
        ];
        kontor(&db, &args).output().unwrap().status.success()
    };
    assert!(!price("0.00") && !price("2147483647"), "a zero and an absurd price are refused");
    assert!(price("1.20"), "a sane price is taken");
    assert_eq!(
        crate::support::count(&db, "SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'"),
        0
    );
    // One unbroken word of 480 characters: wrapped between characters, printed completely.
    let reason: String = (0..480).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    let credited = kontor(&db, &["invoice", "credit", &number, "--reason", &reason]).output().unwrap();
    assert!(credited.status.success(), "{}", String::from_utf8_lossy(&credited.stderr));
    let pdf: Vec<u8> = kontor::db::schema::documents::table
        .inner_join(kontor::db::schema::invoices::table)
        .filter(kontor::db::schema::invoices::kind.eq("credit_note"))
        .select(kontor::db::schema::documents::content)
        .first(&mut db.conn())
        .unwrap();
    let dir = crate::support::documents::scratch("long-reason");
    let text: String = crate::support::documents::pdf_text(&dir, "credit", &pdf).split_whitespace().collect();
    assert!(text.contains(&reason), "the whole reason is on the credit note:\n{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A chunk renders its documents with the numbers the counter will give if nothing else takes
/// one first (`invoicing::forecast`). Here something does: while the run's first chunk waits
/// after rendering, three invoice numbers go elsewhere (another process). That chunk's
/// documents carry numbers that did not come true: it renders them again inside the lock, the
/// next chunks forecast from what it got, and every stored PDF and email is the written
/// invoice's, numbered without a gap.
#[test]
fn documents_rendered_with_numbers_another_process_took_are_rendered_again() {
    let db = TestDb::new();
    seed(&db, 30);
    let due = 30;
    let pause = crate::support::FilePause::new("forecast");
    let mut batch = kontor(&db, &["billing", "run", "--period", PERIOD, "--workers", "1", "--chunk", "5"])
        .env("KONTOR_FAILPOINT", pause.at("batch-after-render-ahead", 1))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    pause.reached(&mut batch);
    let year = chrono::Datelike::year(&crate::support::now());
    diesel::sql_query(format!(
        "INSERT INTO invoice_series (series, year, next_number) VALUES ('invoice', {year}, 4)
         ON CONFLICT (series, year) DO UPDATE SET next_number = invoice_series.next_number + 3"
    ))
    .execute(&mut db.conn())
    .unwrap();
    pause.release();
    assert!(batch.wait().unwrap().success());
    assert_eq!(count(&db, "SELECT count(*) AS n FROM billing_run_items WHERE state = 'pending'"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM invoices"), due);
    assert_eq!(count(&db, "SELECT count(DISTINCT sequence) AS n FROM invoices"), due);
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
    assert_eq!(count(&db, "SELECT min(sequence) AS n FROM invoices"), 4, "the three numbers went elsewhere");
    assert_eq!(count(&db, "SELECT max(sequence) AS n FROM invoices"), 3 + due, "no gap after them");
    crate::support::documents::assert_one_pdf_and_one_email_per_document(&db);
    let publishing = kontor::config::Settings::from_lookup(|_| None).unwrap().publishing();
    crate::support::documents::assert_stored_as_written(&db, &publishing);
}
