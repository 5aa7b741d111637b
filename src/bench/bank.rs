//! `kontor bench bank`: a camt.053 statement with one entry per open invoice, imported
//! against that many open invoices, for each size asked for (so the cost per entry can be
//! compared across sizes), with where the import's time goes phase by phase and, as the peer,
//! the same rows written by plain INSERTs. The invoices are made by the real batch (PDFs and
//! all), which takes minutes; only the import and its peer are timed.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{BenchError, Measurement, Report, Scratch, peak_rss_kib};
use crate::config::Settings;
use crate::db::schema::{customers, invoices};
use crate::money::Money;
use crate::payments::bank::{ImportRequest, OwnAccount};

/// The account the generated statement is for.
const BENCH_IBAN: &str = "DE02120300000000202051";
use crate::payments::bank::statement::{Movement, StatementHeader, write_camt053_statements};

pub struct BankBench {
    /// One statement per size, each with one entry per open invoice of customers of its own
    /// (so the sizes are imported one after the other against the same database).
    pub entries: Vec<i64>,
}

pub fn bank(settings: &Settings, params: BankBench) -> Result<Report, BenchError> {
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    let month: crate::invoicing::BillingMonth = "2026-12".parse().map_err(|_| BenchError::BatchSize)?;
    let mut report = Report { title: "bank statement import".to_owned(), ..Report::default() };

    let started = Instant::now();
    let pool = crate::db::pool(&scratch.url, 6)?;
    let customers: i64 = params.entries.iter().sum();
    super::seed_and_invoice(settings, &mut conn, &pool, customers, month)?;
    report
        .notes
        .push(format!("setup (seed and invoice run): {:.0} s, not timed", started.elapsed().as_secs_f64()));
    conn.batch_execute(PLAIN_TABLES)?;

    let path = settings.data_dir.join("bench-camt053.xml");
    // Each size's movements are read when its statement is written: all of them at once stayed
    // resident through every import and counted in its peak memory.
    let mut skip = 0;
    let returns = settings.sepa_returns();
    // The generated statements are for an account of their own, kept in every currency the
    // seeded customers pay in, not the configured seller's.
    let accounts: Vec<OwnAccount> =
        [Currency::EUR, Currency::CHF, Currency::DKK, Currency::NOK, Currency::SEK, Currency::GBP]
            .into_iter()
            .map(|currency| OwnAccount { iban: BENCH_IBAN.to_owned(), currency })
            .collect();
    let request = ImportRequest {
        file_name: "",
        actor: None,
        now: settings.clock.now(),
        returns: &returns,
        accounts: &accounts,
    };
    let actor = crate::audit::Actor::system("bench");
    let import = |conn: &mut PgConnection| {
        crate::phases::record(|| crate::payments::bank::import_file(conn, &path, &request, &actor, &|_| {}))
    };
    let mut peak = 0;
    for size in params.entries {
        let movements = statement_movements(&mut conn, skip, size)?;
        skip += size;
        let entries = movements.len();
        write_statement(&path, movements)?;
        let file_size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_default();

        let before = Marks::now(&mut conn)?;
        // Peak memory of the import alone: the setup's batch and the statement are not its cost.
        // What they freed goes back to the system first; glibc keeps freed heap resident
        // otherwise, and the baseline would be the seeding's high-water mark.
        // SAFETY: malloc_trim only releases free memory of the allocator; it takes no pointers.
        unsafe { libc::malloc_trim(0) };
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let at_start = peak_rss_kib().unwrap_or_default();
        let started = Instant::now();
        let (summary, profile) = import(&mut conn);
        let seconds = started.elapsed().as_secs_f64();
        let summary = summary.map_err(|e| BenchError::Invoicing(e.to_string()))?;
        let rss = peak_rss_kib().unwrap_or_default();
        peak = peak.max(rss);
        report.measurements.push(Measurement {
            label: format!("import {entries}: parse, match, book (one transaction)"),
            entries,
            seconds,
        });
        report.notes.push(format!(
            "import of {entries} entries ({:.1} MB): paid {}, partly paid {}, overpaid {}, unmatched {}, peak RSS {:.1} MiB ({:.1} MiB when it started)",
            file_size as f64 / 1e6,
            summary.paid,
            summary.partly_paid,
            summary.overpaid,
            summary.unmatched,
            rss as f64 / 1024.0,
            at_start as f64 / 1024.0
        ));
        report.notes.push(super::phase_table(
            &format!("the import of {entries} entries"),
            entries,
            "entry",
            &profile,
        ));

        let (rows, plain) = plain_rows(&mut conn, &before)?;
        report.measurements.push(Measurement {
            label: format!("peer {entries}: the same {rows} rows, plain INSERT"),
            entries,
            seconds: plain.as_secs_f64(),
        });
        let refresh = settlements_refresh(&mut conn, &before)?;
        report.notes.push(format!(
            "settlement triggers: refreshing the same invoices' settlement rows once more takes {:.0} ms",
            refresh.as_secs_f64() * 1e3
        ));

        let started = Instant::now();
        let (again, _) = import(&mut conn);
        let again = again.map_err(|e| BenchError::Invoicing(e.to_string()))?;
        report.measurements.push(Measurement {
            label: format!("import {entries} again (everything already imported)"),
            entries: again.already_imported as usize,
            seconds: started.elapsed().as_secs_f64(),
        });
        report.measurements.push(Measurement {
            label: format!("floor {entries}: the same rows again with every check, in SQL"),
            entries,
            seconds: constrained_rows(&mut conn, &before)?.as_secs_f64(),
        });
    }
    report.peak_rss_kib = Some(peak);
    let _ = std::fs::remove_file(&path);
    drop(pool);
    drop(conn);
    scratch.finish()?;
    Ok(report)
}

fn write_statement(path: &std::path::Path, movements: Vec<Movement>) -> Result<(), BenchError> {
    let io = |e| BenchError::Io(path.display().to_string(), e);
    let mut per_currency: BTreeMap<&'static str, Vec<Movement>> = BTreeMap::new();
    for m in movements {
        per_currency.entry(m.amount.currency().code()).or_default().push(m);
    }
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let header = StatementHeader { id: "BENCH-1", iban: BENCH_IBAN, created: day() };
    write_camt053_statements(&mut out, &header, per_currency.into_values()).map_err(io)?;
    out.flush().map_err(io)
}

/// One line per phase: milliseconds, share, and microseconds per entry (flat per entry or not).
/// The newest row of each table the import writes, before it: its rows are the ones after.
struct Marks {
    transaction: i64,
    entry: i64,
    posting: i64,
    allocation: i64,
    mail: i64,
}

impl Marks {
    fn now(conn: &mut PgConnection) -> Result<Marks, BenchError> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            transaction: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            entry: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            posting: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            allocation: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            mail: i64,
        }
        let row: Row = diesel::sql_query(
            "SELECT (SELECT coalesce(max(id), 0) FROM bank_transactions) AS transaction,
                    (SELECT coalesce(max(id), 0) FROM journal_entries) AS entry,
                    (SELECT coalesce(max(id), 0) FROM postings) AS posting,
                    (SELECT coalesce(max(id), 0) FROM payment_allocations) AS allocation,
                    (SELECT coalesce(max(id), 0) FROM mail_outbox) AS mail",
        )
        .get_result(conn)?;
        Ok(Marks {
            transaction: row.transaction,
            entry: row.entry,
            posting: row.posting,
            allocation: row.allocation,
            mail: row.mail,
        })
    }
}

/// The peer: the rows the import wrote (transactions, journal entries, postings, receipts,
/// allocations, emails) written again into tables of the same columns without indexes,
/// constraints or triggers, in one transaction, by the database itself (no client round trip
/// at all): what writing these rows costs on this machine, before any of the import's checks.
fn plain_rows(conn: &mut PgConnection, before: &Marks) -> Result<(usize, std::time::Duration), BenchError> {
    conn.batch_execute(
        "TRUNCATE plain_bank_transactions, plain_entries, plain_postings, plain_receipts, plain_allocations, plain_mail",
    )?;
    let statements = [
        format!(
            "INSERT INTO plain_bank_transactions SELECT * FROM bank_transactions WHERE id > {}",
            before.transaction
        ),
        format!("INSERT INTO plain_entries SELECT * FROM journal_entries WHERE id > {}", before.entry),
        format!("INSERT INTO plain_postings SELECT * FROM postings WHERE id > {}", before.posting),
        format!(
            "INSERT INTO plain_receipts SELECT * FROM payment_receipts WHERE ledger_entry_id > {}",
            before.entry
        ),
        format!(
            "INSERT INTO plain_allocations SELECT * FROM payment_allocations WHERE id > {}",
            before.allocation
        ),
        format!("INSERT INTO plain_mail SELECT * FROM mail_outbox WHERE id > {}", before.mail),
    ];
    let started = Instant::now();
    let rows = conn.transaction(|conn| {
        statements.iter().try_fold(0, |sum, sql| diesel::sql_query(sql).execute(conn).map(|n| sum + n))
    })?;
    Ok((rows, started.elapsed()))
}

/// The floor of any import on this machine: the rows the import wrote (entries, postings,
/// receipts, allocations, transactions, emails) written again into the real tables under new
/// keys, by PostgreSQL itself in one statement per table, so every index, foreign key and
/// trigger runs as for the import, then the deferred balance checks; then rolled back. No
/// parsing, matching, client or round trip is in it: an import cannot write its rows faster.
fn constrained_rows(conn: &mut PgConnection, before: &Marks) -> Result<std::time::Duration, BenchError> {
    // Far above any id the scratch database hands out, so the copies' ids collide with none.
    const SHIFT: i64 = 1 << 40;
    let statements = [
        format!(
            "INSERT INTO journal_entries (id, idempotency_key, kind, memo, occurred_at, reference_type, reference_id, fingerprint)
             OVERRIDING SYSTEM VALUE
             SELECT id + {SHIFT}, idempotency_key || '/floor', kind, memo, occurred_at, reference_type,
                    reference_id || '/floor', fingerprint
               FROM journal_entries WHERE id > {entry}",
            entry = before.entry
        ),
        format!(
            "INSERT INTO postings (entry_id, account_id, currency, amount)
             SELECT entry_id + {SHIFT}, account_id, currency, amount FROM postings WHERE id > {}",
            before.posting
        ),
        format!(
            "INSERT INTO payment_receipts (key, customer_id, method, currency, amount, fee, to_credit, received_in,
                                           ledger_entry_id, occurred_at)
             SELECT key || '/floor', customer_id, method, currency, amount, fee, to_credit, received_in,
                    ledger_entry_id + {SHIFT}, occurred_at
               FROM payment_receipts WHERE ledger_entry_id > {}",
            before.entry
        ),
        format!(
            "INSERT INTO payment_allocations (receipt_key, invoice_id, customer_id, currency, amount, method, ledger_entry_id)
             SELECT receipt_key || '/floor', invoice_id, customer_id, currency, amount, method, ledger_entry_id + {SHIFT}
               FROM payment_allocations WHERE id > {}",
            before.allocation
        ),
        format!(
            "INSERT INTO bank_transactions (identity, import_id, account_iban, direction, currency, amount, booking_date,
                                            value_date, account_servicer_ref, end_to_end_id, creditor_reference,
                                            remittance, debtor_name, debtor_iban, return_reason, reversal, state,
                                            outcome, customer_id, suggestions)
             SELECT identity || '/floor', import_id, account_iban, direction, currency, amount, booking_date,
                    value_date, account_servicer_ref, end_to_end_id, creditor_reference, remittance, debtor_name,
                    debtor_iban, return_reason, reversal, state, outcome, customer_id, suggestions
               FROM bank_transactions WHERE id > {}",
            before.transaction
        ),
        format!(
            "INSERT INTO mail_outbox (id, idempotency_key, message_id, recipient, language, subject, text_body, html_body)
             OVERRIDING SYSTEM VALUE
             SELECT nextval(pg_get_serial_sequence('mail_outbox', 'id')), idempotency_key || '/floor',
                    message_id || '/floor', recipient, language, subject, text_body, html_body
               FROM mail_outbox WHERE id > {}",
            before.mail
        ),
        "SET CONSTRAINTS ALL IMMEDIATE".to_owned(),
    ];
    conn.batch_execute("BEGIN")?;
    let started = Instant::now();
    let written = statements.iter().try_for_each(|sql| diesel::sql_query(sql).execute(conn).map(drop));
    let took = started.elapsed();
    conn.batch_execute("ROLLBACK")?;
    written?;
    Ok(took)
}

/// What the settlement triggers do for the import's allocations, done once more by hand.
fn settlements_refresh(conn: &mut PgConnection, before: &Marks) -> Result<std::time::Duration, BenchError> {
    let started = Instant::now();
    conn.transaction(|conn| {
        diesel::sql_query(format!(
            "SELECT invoice_settlements_refresh(ARRAY(SELECT DISTINCT invoice_id FROM payment_allocations WHERE id > {}))",
            before.allocation
        ))
        .execute(conn)
    })?;
    Ok(started.elapsed())
}

const PLAIN_TABLES: &str = "
    CREATE TABLE plain_bank_transactions (LIKE bank_transactions);
    CREATE TABLE IF NOT EXISTS plain_entries (LIKE journal_entries);
    CREATE TABLE IF NOT EXISTS plain_postings (LIKE postings);
    CREATE TABLE plain_receipts (LIKE payment_receipts);
    CREATE TABLE plain_allocations (LIKE payment_allocations);
    CREATE TABLE plain_mail (LIKE mail_outbox);";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or_default()
}

/// One transfer per open invoice, the way customers pay: most with the RF reference, some
/// with the number in free text, some short, some over, and some naming nothing (by name).
/// `take` of them, after the first `skip` open invoices.
fn statement_movements(conn: &mut PgConnection, skip: i64, take: i64) -> Result<Vec<Movement>, BenchError> {
    let open: Vec<(String, String, Decimal, String, String)> = invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .filter(invoices::kind.eq("invoice").and(invoices::amount_due.gt(Decimal::ZERO)))
        .order(invoices::id)
        .offset(skip)
        .limit(take)
        .select((
            invoices::number,
            invoices::payment_reference,
            invoices::amount_due,
            invoices::currency,
            customers::name,
        ))
        .load(conn)?;
    Ok(open
        .into_iter()
        .enumerate()
        .filter_map(|(n, (number, reference, due, currency, name))| {
            let i = usize::try_from(skip).unwrap_or_default() + n;
            let currency = Currency::from_code(currency.trim())?;
            let amount = match i % 20 {
                18 => due - Decimal::new(10, 2),
                19 => due + Decimal::ONE,
                _ => due,
            };
            let mut m = Movement::transfer(Money::new(amount, currency), day(), &format!("BENCH-{i}"));
            m.debtor_name = Some(name);
            m.debtor_iban = Some(format!("DE{:020}", i));
            match i % 20 {
                0..=13 | 18 | 19 => m.creditor_reference = Some(reference),
                14..=16 => m.remittance = Some(format!("Rechnung {}", number.replace('-', " "))),
                _ => m.remittance = Some("Mailbox".to_owned()),
            }
            Some(m)
        })
        .collect())
}
