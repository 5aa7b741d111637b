//! The ledger against a real PostgreSQL: what the database itself refuses, idempotent
//! posting, balances and `kontor ledger verify`.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::ids::CustomerId;
use kontor::ledger::chart::{CustomerAccount, SystemAccount};
use kontor::ledger::{
    Account, AccountId, LedgerError, NewEntry, NewPosting, Posted, account_balance, customer_balances,
    post_entries, post_entry, verify,
};
use kontor::money::Money;

use crate::support::{Count, TestDb, scalar_count};

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn at(day: u32) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T12:00:00Z")).unwrap().to_utc()
}

struct Books {
    bank: Account,
    revenue: Account,
    chf_bank: Account,
}

fn books(conn: &mut PgConnection) -> Books {
    Books {
        bank: SystemAccount::Cash.open(conn, Currency::EUR).unwrap(),
        revenue: SystemAccount::Revenue.open(conn, Currency::EUR).unwrap(),
        chf_bank: SystemAccount::Cash.open(conn, Currency::CHF).unwrap(),
    }
}

fn sale(key: &str, bank: AccountId, revenue: AccountId, minor: i64, day: u32) -> NewEntry {
    NewEntry {
        idempotency_key: key.to_owned(),
        kind: "payment_received".to_owned(),
        memo: String::new(),
        occurred_at: at(day),
        reference: None,
        postings: vec![NewPosting::debit(bank, eur(minor)), NewPosting::credit(revenue, eur(minor))],
    }
}

fn count(conn: &mut PgConnection, table: &str) -> i64 {
    scalar_count(conn, &format!("SELECT count(*) AS n FROM {table}"))
}

/// Writes an entry with raw SQL, past every check in Rust: what the database alone refuses.
/// `postings` are (account id, currency, amount as SQL literal).
fn raw_entry(conn: &mut PgConnection, key: &str, postings: &[(i64, &str, &str)]) -> QueryResult<usize> {
    let rows: Vec<String> = postings
        .iter()
        .map(|(account, currency, amount)| format!("SELECT id, {account}, '{currency}', {amount} FROM e"))
        .collect();
    conn.transaction(|c| {
        diesel::sql_query(format!(
            "WITH e AS (INSERT INTO journal_entries (idempotency_key, kind, occurred_at, fingerprint)
                        VALUES ('{key}', 'adjustment', now(), sha256('x')) RETURNING id)
             INSERT INTO postings (entry_id, account_id, currency, amount) {}",
            rows.join(" UNION ALL ")
        ))
        .execute(c)
    })
}

fn error_text(result: QueryResult<usize>) -> String {
    result.expect_err("the database must refuse this").to_string()
}

#[test]
fn database_refuses_an_unbalanced_entry() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let (bank, revenue) = (b.bank.id.0, b.revenue.id.0);
    let result = raw_entry(&mut conn, "raw:1", &[(bank, "EUR", "10.00"), (revenue, "EUR", "-9.99")]);
    let text = error_text(result);
    assert!(text.contains("does not balance"), "{text}");
    assert_eq!(count(&mut conn, "journal_entries"), 0, "nothing of the entry may remain");
    assert_eq!(count(&mut conn, "postings"), 0);
}

#[test]
fn database_refuses_an_entry_without_postings_and_one_with_a_single_posting() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let result = conn.transaction(|c| {
        diesel::sql_query(
            "INSERT INTO journal_entries (idempotency_key, kind, occurred_at, fingerprint)
             VALUES ('raw:empty', 'adjustment', now(), sha256('x'))",
        )
        .execute(c)
    });
    let text = error_text(result);
    assert!(text.contains("has 0 posting(s)"), "the check runs at commit: {text}");
    let result = raw_entry(&mut conn, "raw:single", &[(b.bank.id.0, "EUR", "0")]);
    assert!(error_text(result).contains("posting_amount_nonzero"));
    assert_eq!(count(&mut conn, "journal_entries"), 0);
}

#[test]
fn an_entrys_postings_cannot_be_added_in_a_second_statement() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let (bank, revenue) = (b.bank.id.0, b.revenue.id.0);
    // Even with the deferred check forced early, a later statement cannot unbalance an entry.
    let result = conn.transaction(|c| {
        raw_entry(c, "raw:split", &[(bank, "EUR", "1"), (revenue, "EUR", "-1")])?;
        diesel::sql_query("SET CONSTRAINTS ALL IMMEDIATE").execute(c)?;
        diesel::sql_query(format!(
            "INSERT INTO postings (entry_id, account_id, currency, amount)
             SELECT id, {bank}, 'EUR', 100 FROM journal_entries WHERE idempotency_key = 'raw:split'"
        ))
        .execute(c)
    });
    assert!(error_text(result).contains("is closed"));
    // Postings to accounts or entries that do not exist.
    let result = raw_entry(&mut conn, "raw:ghost", &[(bank, "EUR", "1"), (999_999, "EUR", "-1")]);
    assert!(error_text(result).contains("ledger account 999999, which does not exist"));
    let result = diesel::sql_query(format!(
        "INSERT INTO postings (entry_id, account_id, currency, amount) VALUES (424242, {bank}, 'EUR', 1)"
    ))
    .execute(&mut conn);
    assert!(error_text(result).contains("journal entry 424242, which does not exist"));
    assert_eq!(count(&mut conn, "postings"), 0);
}

#[test]
fn database_refuses_updates_deletes_and_truncation_of_the_ledger() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    conn.transaction(|c| post_entry(c, &sale("sale:1", b.bank.id, b.revenue.id, 100, 1))).unwrap();
    for sql in [
        "UPDATE postings SET amount = amount * 2",
        "DELETE FROM postings",
        "UPDATE journal_entries SET memo = 'changed'",
        "DELETE FROM journal_entries",
        "TRUNCATE postings",
        "TRUNCATE journal_entries CASCADE",
    ] {
        let text = error_text(diesel::sql_query(sql).execute(&mut conn));
        assert!(text.contains("append-only"), "{sql}: {text}");
    }
    let text =
        error_text(diesel::sql_query("UPDATE ledger_accounts SET currency = 'CHF'").execute(&mut conn));
    assert!(text.contains("never change"), "{text}");
    let text = error_text(diesel::sql_query("DELETE FROM ledger_accounts").execute(&mut conn));
    assert!(text.contains("never deleted"), "{text}");
    assert_eq!(count(&mut conn, "postings"), 2);
}

#[test]
fn database_refuses_a_posting_in_another_currency_than_its_account() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    // Raw SQL: a CHF posting to the EUR bank account.
    let (bank, chf_bank) = (b.bank.id.0, b.chf_bank.id.0);
    let result = raw_entry(&mut conn, "raw:chf", &[(bank, "CHF", "5"), (chf_bank, "CHF", "-5")]);
    assert!(error_text(result).contains("which is kept in EUR"));
    // Through the Rust API the same mistake is a domain error.
    let mixed = NewEntry {
        postings: vec![
            NewPosting::debit(b.bank.id, Money::from_minor(500, Currency::CHF)),
            NewPosting::credit(b.chf_bank.id, Money::from_minor(500, Currency::CHF)),
        ],
        ..sale("api:chf", b.bank.id, b.revenue.id, 1, 1)
    };
    let result = conn.transaction(|c| post_entry(c, &mixed));
    assert!(matches!(result, Err(LedgerError::CurrencyMismatch)), "{result:?}");
    assert_eq!(count(&mut conn, "journal_entries"), 0);
}

#[test]
fn database_refuses_fractions_of_a_cent_and_late_postings() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let (bank, revenue) = (b.bank.id.0, b.revenue.id.0);
    let result = raw_entry(&mut conn, "raw:frac", &[(bank, "EUR", "0.001"), (revenue, "EUR", "-0.001")]);
    assert!(error_text(result).contains("minor units"));

    // An entry committed earlier is closed: a later transaction cannot add to it, even
    // with postings that balance among themselves.
    let posted =
        conn.transaction(|c| post_entry(c, &sale("sale:closed", b.bank.id, b.revenue.id, 100, 1))).unwrap();
    let result = conn.transaction(|c| {
        diesel::sql_query(format!(
            "INSERT INTO postings (entry_id, account_id, currency, amount) VALUES ({0}, {1}, 'EUR', 1), ({0}, {2}, 'EUR', -1)",
            posted.id().0, b.bank.id.0, b.revenue.id.0
        ))
        .execute(c)
    });
    assert!(error_text(result).contains("is closed"));
}

#[test]
fn the_same_idempotency_key_twice_gives_one_entry() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let entry = sale("payment:42", b.bank.id, b.revenue.id, 1_190, 3);
    let first = conn.transaction(|c| post_entry(c, &entry)).unwrap();
    // A retry lists the postings in another order: still the same entry.
    let mut retry = entry.clone();
    retry.postings.reverse();
    let second = conn.transaction(|c| post_entry(c, &retry)).unwrap();
    assert!(matches!(first, Posted::Created(_)));
    assert_eq!(second, Posted::AlreadyPosted(first.id()));
    assert_eq!(count(&mut conn, "journal_entries"), 1);
    assert_eq!(count(&mut conn, "postings"), 2);

    let mut different = entry.clone();
    different.postings =
        vec![NewPosting::debit(b.bank.id, eur(999)), NewPosting::credit(b.revenue.id, eur(999))];
    let result = conn.transaction(|c| {
        post_entry(c, &sale("payment:43", b.bank.id, b.revenue.id, 500, 3))?;
        post_entry(c, &different)
    });
    assert!(matches!(result, Err(LedgerError::IdempotencyConflict { ref key }) if key == "payment:42"));
    assert_eq!(count(&mut conn, "journal_entries"), 1, "the failed transaction wrote nothing");
    assert_eq!(count(&mut conn, "postings"), 2);
}

#[test]
fn concurrent_posts_with_one_key_make_one_entry() {
    let db = TestDb::new();
    let b = books(&mut db.conn());
    let entry = sale("webhook:abc", b.bank.id, b.revenue.id, 700, 4);
    let outcomes: Vec<Posted> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let pool = db.pool();
                let entry = entry.clone();
                scope.spawn(move || pool.get().unwrap().transaction(|c| post_entry(c, &entry)).unwrap())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let created = outcomes.iter().filter(|o| matches!(o, Posted::Created(_))).count();
    assert_eq!(created, 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| o.id() == outcomes[0].id()));
    assert_eq!(count(&mut db.conn(), "journal_entries"), 1);
}

#[test]
fn batches_post_new_entries_and_recognise_known_ones() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let entries: Vec<NewEntry> =
        (0..2_500).map(|n| sale(&format!("batch:{n}"), b.bank.id, b.revenue.id, 100 + n, 5)).collect();
    let first = conn.transaction(|c| post_entries(c, &entries[..1_000])).unwrap();
    assert!(first.iter().all(|o| matches!(o, Posted::Created(_))));
    // Re-running the whole batch after a crash posts only what is missing.
    let second = conn.transaction(|c| post_entries(c, &entries)).unwrap();
    assert_eq!(second.iter().filter(|o| matches!(o, Posted::AlreadyPosted(_))).count(), 1_000);
    assert_eq!(second.iter().filter(|o| matches!(o, Posted::Created(_))).count(), 1_500);
    assert_eq!(
        &second[..1_000].iter().map(|o| o.id()).collect::<Vec<_>>(),
        &first.iter().map(|o| o.id()).collect::<Vec<_>>()
    );
    assert_eq!(count(&mut conn, "journal_entries"), 2_500);
    assert_eq!(count(&mut conn, "postings"), 5_000);
    // A key repeated within one batch is posted once.
    let twice = vec![sale("dup", b.bank.id, b.revenue.id, 1, 5), sale("dup", b.bank.id, b.revenue.id, 1, 5)];
    let outcomes = conn.transaction(|c| post_entries(c, &twice)).unwrap();
    assert!(matches!(outcomes[0], Posted::Created(_)));
    assert_eq!(outcomes[1], Posted::AlreadyPosted(outcomes[0].id()));
    assert!(verify(&mut conn).unwrap().is_healthy());
}

#[test]
fn balances_are_sums_of_postings_at_a_point_in_time() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    let customer: i64 = diesel::sql_query(
        "INSERT INTO customers (email, name, country, language, currency)
         VALUES ('ada@de.example', 'Ada', 'DE', 'de', 'EUR') RETURNING id AS n",
    )
    .get_result::<Count>(&mut conn)
    .unwrap()
    .n;
    let customer = CustomerId(customer);
    let receivable = CustomerAccount::Receivable.open(&mut conn, customer, Currency::EUR).unwrap();
    let credit = CustomerAccount::Credit.open(&mut conn, customer, Currency::EUR).unwrap();
    conn.transaction(|c| {
        post_entry(c, &sale("invoice:1", receivable.id, b.revenue.id, 119, 1))?;
        post_entry(c, &sale("payment:1", b.bank.id, receivable.id, 119, 10))?;
        post_entry(c, &sale("overpaid:1", b.bank.id, credit.id, 50, 10))
    })
    .unwrap();
    assert_eq!(account_balance(&mut conn, &receivable, at(5)).unwrap(), eur(119));
    assert_eq!(account_balance(&mut conn, &receivable, at(10)).unwrap(), eur(0));
    assert_eq!(account_balance(&mut conn, &b.bank, at(30)).unwrap(), eur(169));
    assert_eq!(account_balance(&mut conn, &b.revenue, at(30)).unwrap(), eur(-119));
    assert_eq!(account_balance(&mut conn, &b.bank, at(1) - Duration::days(1)).unwrap(), eur(0));
    let balances = customer_balances(&mut conn, customer, at(30)).unwrap();
    assert_eq!(balances.len(), 2);
    assert_eq!(balances[0].account.code, receivable.code);
    assert_eq!(balances[0].balance, eur(0));
    assert_eq!(balances[1].balance, eur(-50), "Kontor owes the customer 0.50");
    // Opening an account again finds it; a clash in currency is refused.
    assert_eq!(CustomerAccount::Credit.open(&mut conn, customer, Currency::EUR).unwrap().id, credit.id);
    let clash = Account::open(
        &mut conn,
        &kontor::ledger::NewAccount {
            code: &credit.code,
            name: "x",
            kind: credit.kind,
            currency: Currency::CHF,
            customer_id: Some(customer),
        },
    );
    assert!(matches!(clash, Err(LedgerError::AccountConflict(_))));
}

/// Corrupts the ledger the way only a superuser can: triggers off for the session.
fn corrupt_behind_the_triggers(conn: &mut PgConnection, b: &Books) -> i64 {
    conn.transaction(|c| {
        diesel::sql_query("SET LOCAL session_replication_role = replica").execute(c)?;
        let entry = diesel::sql_query(
            "INSERT INTO journal_entries (idempotency_key, kind, occurred_at, fingerprint)
             VALUES ('corrupt:1', 'adjustment', now(), sha256('x')) RETURNING id AS n",
        )
        .get_result::<Count>(c)?
        .n;
        diesel::sql_query(format!(
            "INSERT INTO postings (entry_id, account_id, currency, amount) VALUES ({entry}, {}, 'EUR', 10), ({entry}, {}, 'EUR', -9)",
            b.bank.id.0, b.revenue.id.0
        ))
        .execute(c)?;
        Ok::<_, diesel::result::Error>(entry)
    })
    .unwrap()
}

#[test]
fn verify_passes_on_healthy_books_and_names_a_corrupted_entry() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let b = books(&mut conn);
    conn.transaction(|c| post_entry(c, &sale("sale:ok", b.bank.id, b.revenue.id, 100, 1))).unwrap();
    let healthy = verify(&mut conn).unwrap();
    assert!(healthy.is_healthy(), "{healthy}");
    assert_eq!(healthy.entries, 1);

    let bad = corrupt_behind_the_triggers(&mut conn, &b);
    let report = verify(&mut conn).unwrap();
    assert!(!report.is_healthy());
    assert!(report.findings.iter().any(|f| f.check == "unbalanced" && f.entry_id == Some(bad)), "{report}");
    assert!(report.findings.iter().any(|f| f.check == "trial-balance"), "{report}");
    assert!(report.to_string().contains(&format!("entry {bad}")));
}

#[test]
fn verify_notices_disabled_protections() {
    let db = TestDb::new();
    let mut conn = db.conn();
    diesel::sql_query("ALTER TABLE postings DISABLE TRIGGER postings_append_only")
        .execute(&mut conn)
        .unwrap();
    let report = verify(&mut conn).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.check == "protection-missing" && f.detail.contains("postings_append_only")),
        "{report}"
    );
}

#[test]
fn kontor_ledger_verify_exits_non_zero_on_corruption() {
    let db = TestDb::new();
    let b = books(&mut db.conn());
    let run = || {
        crate::support::kontor_command()
            .args(["ledger", "verify"])
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap()
    };
    let healthy = run();
    assert!(healthy.status.success(), "{}", String::from_utf8_lossy(&healthy.stderr));
    assert!(String::from_utf8_lossy(&healthy.stdout).contains("ledger OK"));
    let bad = corrupt_behind_the_triggers(&mut db.conn(), &b);
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(stdout.contains("ledger BROKEN") && stdout.contains(&format!("entry {bad}")), "{stdout}");
}

#[test]
fn demo_data_loads_twice_without_duplicates() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let customers = kontor::demo::load(
        &mut conn,
        &kontor::config::Settings::from_lookup(|_| None).unwrap().billing(),
        crate::support::now(),
    )
    .unwrap();
    assert_eq!(customers.len(), 10);
    kontor::demo::load(
        &mut conn,
        &kontor::config::Settings::from_lookup(|_| None).unwrap().billing(),
        crate::support::now(),
    )
    .unwrap();
    let report = kontor::ledger::verify(&mut conn).unwrap();
    assert!(report.is_healthy(), "{report}");
    // One demo customer paid in advance; loading twice books it once.
    assert_eq!(report.entries, 1);
    assert_eq!(report.postings, 2);
    let countries: std::collections::BTreeSet<&str> = customers.iter().map(|c| c.country).collect();
    assert_eq!(countries.len(), 9, "every country Kontor serves");
}

/// A balanced entry written behind the triggers' back (replica mode), moving `minor` cents
/// from cash to `account`: the books balance, but a sub-ledger no longer agrees.
fn sneak_into(conn: &mut PgConnection, key: &str, account: AccountId, minor: i64) {
    let cash = SystemAccount::Cash.open(conn, Currency::EUR).unwrap();
    let amount = rust_decimal::Decimal::new(minor, 2);
    conn.transaction(|c| {
        diesel::sql_query("SET LOCAL session_replication_role = replica").execute(c)?;
        let entry = diesel::sql_query(format!(
            "INSERT INTO journal_entries (idempotency_key, kind, occurred_at, fingerprint)
             VALUES ('{key}', 'adjustment', now(), sha256('{key}')) RETURNING id AS n"
        ))
        .get_result::<Count>(c)?
        .n;
        diesel::sql_query(format!(
            "INSERT INTO postings (entry_id, account_id, currency, amount)
             VALUES ({entry}, {}, 'EUR', {amount}), ({entry}, {}, 'EUR', -{amount})",
            account.0, cash.id.0
        ))
        .execute(c)?;
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
}

#[test]
fn verify_proves_every_sub_ledger_and_names_each_broken_customer_and_account() {
    use crate::support::bank::{day, eur as money, import_bytes, open_eur_invoices, statement_bytes};
    use kontor::payments::bank::statement::Movement;
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let (paid, overpaid, owing) = (&open[0], &open[1], &open[2]);
    let mut exact = Movement::transfer(money(paid.due), day(), "V-1");
    exact.creditor_reference = Some(paid.reference.clone());
    let mut over = Movement::transfer(money(overpaid.due + rust_decimal::Decimal::new(500, 2)), day(), "V-2");
    over.creditor_reference = Some(overpaid.reference.clone());
    let mut stranger = Movement::transfer(money(rust_decimal::Decimal::new(1234, 2)), day(), "V-3");
    stranger.remittance = Some("?".into());
    import_bytes(&db, &statement_bytes("S-V", vec![exact, over, stranger])).unwrap();
    let mut conn = db.conn();
    let healthy = verify(&mut conn).unwrap();
    assert!(healthy.is_healthy(), "real books with payments, credit and the queue: {healthy}");

    let account = |conn: &mut PgConnection, code: &str| {
        use kontor::db::schema::ledger_accounts as a;
        AccountId(a::table.filter(a::code.eq(code)).select(a::id).first(conn).unwrap())
    };
    let credit = account(&mut conn, &format!("1750-EUR-C{}", overpaid.customer));
    sneak_into(&mut conn, "sneak:credit", credit, 600);
    let receivable = account(&mut conn, &format!("1400-EUR-C{}", owing.customer));
    sneak_into(&mut conn, "sneak:receivable", receivable, 300);
    let bank = account(&mut conn, "1200-EUR");
    sneak_into(&mut conn, "sneak:bank", bank, 700);
    let clearing = SystemAccount::PayPalClearing.open(&mut conn, Currency::EUR).unwrap().id;
    sneak_into(&mut conn, "sneak:paypal", clearing, 200);
    let suspense = account(&mut conn, "1590-EUR");
    sneak_into(&mut conn, "sneak:suspense", suspense, 400);

    let report = verify(&mut conn).unwrap();
    let found = |check: &str, words: &[&str]| {
        report.findings.iter().any(|f| f.check == check && words.iter().all(|w| f.detail.contains(w)))
    };
    let (credit_customer, owing_customer) =
        (format!("customer {}", overpaid.customer), format!("customer {}", owing.customer));
    assert!(found("credit-negative", &[&credit_customer, "1750-EUR-C", "1.00"]), "{report}");
    assert!(found("receivable-mismatch", &[&owing_customer, "1400-EUR-C"]), "{report}");
    assert!(found("bank-mismatch", &["bank account 1200-EUR"]), "{report}");
    assert!(found("paypal-clearing-mismatch", &["1360-EUR", "2.00"]), "{report}");
    assert!(found("suspense-mismatch", &["1590-EUR", "12.34"]), "{report}");
    assert!(!found("receivable-mismatch", &[&credit_customer]), "only the broken customer: {report}");
    assert!(!report.findings.iter().any(|f| f.check == "unbalanced"), "the entries balance: {report}");
    let output = crate::support::kontor_command()
        .args(["ledger", "verify"])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for check in [
        "credit-negative",
        "receivable-mismatch",
        "bank-mismatch",
        "paypal-clearing-mismatch",
        "suspense-mismatch",
    ] {
        assert!(stdout.contains(&format!("[{check}]")), "{stdout}");
    }
}

/// Every record that is written once and kept: the ledger, invoices and their documents,
/// payments, provider evidence, compensation, the audit log.
const APPEND_ONLY: [&str; 17] = [
    "journal_entries",
    "postings",
    "audit_log",
    "prices",
    "provisioning_events",
    "invoices",
    "invoice_lines",
    "invoice_vat",
    "documents",
    "payment_receipts",
    "payment_allocations",
    "paypal_captures",
    "paypal_refunds",
    "compensation_grants",
    "compensation_grant_uses",
    "direct_debit_exports",
    "payout_exports",
];

/// Financial records whose state moves on, but which must never be emptied wholesale.
const NEVER_TRUNCATED: [&str; 10] = [
    "ledger_accounts",
    "bank_imports",
    "bank_transactions",
    "bank_assignments",
    "direct_debit_collections",
    "sepa_mandates",
    "paypal_orders",
    "paypal_webhook_events",
    "invoice_series",
    "payouts",
];

fn first_column(conn: &mut PgConnection, table: &str) -> String {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
    }
    diesel::sql_query(
        "SELECT column_name::text AS column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND is_identity = 'NO' AND is_generated = 'NEVER'
          ORDER BY ordinal_position LIMIT 1",
    )
    .bind::<diesel::sql_types::Text, _>(table)
    .get_result::<Column>(conn)
    .unwrap_or_else(|e| panic!("{table}: {e}"))
    .column_name
}

#[test]
fn every_kept_record_refuses_update_delete_and_truncate() {
    let db = TestDb::new();
    let mut conn = db.conn();
    for table in APPEND_ONLY {
        let column = first_column(&mut conn, table);
        for sql in [format!("TRUNCATE {table} CASCADE"), format!("DELETE FROM {table}")] {
            let text = error_text(diesel::sql_query(&sql).execute(&mut conn));
            assert!(text.contains("append-only"), "{sql}: {text}");
        }
        let sql = format!("UPDATE {table} SET {column} = {column}");
        let text = error_text(diesel::sql_query(&sql).execute(&mut conn));
        assert!(text.contains("append-only"), "{sql}: {text}");
    }
    for table in NEVER_TRUNCATED {
        let sql = format!("TRUNCATE {table} CASCADE");
        let text = error_text(diesel::sql_query(&sql).execute(&mut conn));
        assert!(text.contains("append-only"), "{sql}: {text}");
    }
    // A CASCADE can be refused by a referencing table's trigger: each table guards itself.
    for table in APPEND_ONLY.iter().chain(&NEVER_TRUNCATED) {
        assert!(guards_truncate(&mut conn, table), "{table} has no TRUNCATE trigger of its own");
    }
}

fn guards_truncate(conn: &mut PgConnection, table: &str) -> bool {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(
        "SELECT count(*) AS n FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE c.relname = $1 AND (t.tgtype & 32) <> 0 AND t.tgenabled <> 'D'
            AND p.proname = 'ledger_refuse_change'",
    )
    .bind::<diesel::sql_types::Text, _>(table)
    .get_result::<Found>(conn)
    .unwrap()
    .n > 0
}

/// A table that refuses UPDATE or DELETE and still allows TRUNCATE is a hole: this finds any
/// such table a later migration adds.
#[test]
fn no_table_that_refuses_deletes_allows_truncate() {
    let db = TestDb::new();
    #[derive(QueryableByName)]
    struct Hole {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
    }
    let holes: Vec<Hole> = diesel::sql_query(
        "SELECT DISTINCT c.relname::text AS table_name
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE NOT t.tgisinternal
            AND (t.tgtype & 8) <> 0  -- fires on DELETE
            AND NOT EXISTS (SELECT 1 FROM pg_trigger u
                             WHERE u.tgrelid = t.tgrelid AND NOT u.tgisinternal AND (u.tgtype & 32) <> 0)",
    )
    .load(&mut db.conn())
    .unwrap();
    let holes: Vec<String> = holes.into_iter().map(|h| h.table_name).collect();
    assert!(holes.is_empty(), "tables refusing DELETE but not TRUNCATE: {holes:?}");
}
