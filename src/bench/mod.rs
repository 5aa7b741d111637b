//! `kontor bench ...`: re-runnable measurements against a scratch database (`kontor_bench`)
//! in the local cluster, never against `DATABASE_URL`: the ledger is append-only, and
//! benchmark entries have no place in real books.

use std::fmt;
use std::time::Instant;

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::config::Settings;
use crate::db::launcher::{ClusterOptions, LauncherError, LocalCluster, quote_identifier};
use crate::db::{DbError, migrate};
use crate::ledger::chart::SystemAccount;
use crate::ledger::{AccountId, LedgerError, NewEntry, NewPosting, post_entries, post_entry};
use crate::money::Money;

pub mod accounting;
pub mod bank;
pub mod chromium;
pub mod compensation;
pub mod dunning;
pub mod latency;
pub mod load;
pub mod pdf;
pub mod portal;
pub mod reports;
pub mod search;

pub use bank::{BankBench, bank};
pub use pdf::{PdfBench, pdf};

const BENCH_DATABASE: &str = "kontor_bench";

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Launcher(#[from] LauncherError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("benchmark database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("benchmark query: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("batch size must be at least 1")]
    BatchSize,
    #[error("billing run: {0}")]
    Invoicing(String),
    #[error("documents: {0}")]
    Documents(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

pub struct LedgerBench {
    pub single: usize,
    pub batched: usize,
    pub batch_size: usize,
}

#[derive(Debug, Clone)]
pub struct Measurement {
    pub label: String,
    pub entries: usize,
    pub seconds: f64,
}

impl Measurement {
    pub fn per_second(&self) -> f64 {
        if self.seconds > 0.0 { self.entries as f64 / self.seconds } else { 0.0 }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What was measured, the header of the table.
    pub title: String,
    pub measurements: Vec<Measurement>,
    /// The process's peak resident memory after the measured work.
    pub peak_rss_kib: Option<u64>,
    /// Further figures, one line each.
    pub notes: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<52} {:>9} {:>9} {:>12}", self.title, "entries", "seconds", "entries/s")?;
        for m in &self.measurements {
            writeln!(f, "{:<52} {:>9} {:>9.3} {:>12.0}", m.label, m.entries, m.seconds, m.per_second())?;
        }
        if let Some(rss) = self.peak_rss_kib {
            writeln!(f, "peak resident memory: {:.1} MiB", rss as f64 / 1024.0)?;
        }
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        Ok(())
    }
}

diesel::table! {
    bench_plain_entries (id) {
        id -> Int8,
        idempotency_key -> Text,
        kind -> Text,
        memo -> Text,
        occurred_at -> Timestamptz,
        fingerprint -> Bytea,
    }
}

diesel::table! {
    bench_plain_postings (id) {
        id -> Int8,
        entry_id -> Int8,
        account_id -> Int8,
        currency -> Bpchar,
        amount -> Numeric,
    }
}

/// The same columns as the ledger tables, without constraints, triggers or foreign keys.
const PLAIN_TABLES: &str = "
    CREATE TABLE bench_plain_entries (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, idempotency_key TEXT NOT NULL,
        kind TEXT NOT NULL, memo TEXT NOT NULL, occurred_at TIMESTAMPTZ NOT NULL,
        recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(), reference_type TEXT, reference_id TEXT,
        fingerprint BYTEA NOT NULL);
    CREATE TABLE bench_plain_postings (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entry_id BIGINT NOT NULL,
        account_id BIGINT NOT NULL, currency CHAR(3) NOT NULL, amount NUMERIC NOT NULL);";

struct Accounts {
    clearing: AccountId,
    fees: AccountId,
    revenue: AccountId,
    vat: AccountId,
}

/// A realistic invoice-sized entry: 1.14 cleared + 0.05 fee = 1.00 revenue + 0.19 VAT.
fn entry(accounts: &Accounts, run: &str, n: usize, occurred_at: DateTime<Utc>) -> NewEntry {
    let eur = |minor| Money::from_minor(minor, Currency::EUR);
    NewEntry {
        idempotency_key: format!("bench:{run}:{n}"),
        kind: crate::ledger::EntryKind::PaymentReceived.into(),
        memo: format!("bench entry {n}"),
        occurred_at,
        reference: None,
        postings: vec![
            NewPosting::debit(accounts.clearing, eur(114)),
            NewPosting::debit(accounts.fees, eur(5)),
            NewPosting::credit(accounts.revenue, eur(100)),
            NewPosting::credit(accounts.vat, eur(19)),
        ],
    }
}

pub fn ledger(settings: &Settings, params: LedgerBench) -> Result<Report, BenchError> {
    if params.batch_size == 0 {
        return Err(BenchError::BatchSize);
    }
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    conn.batch_execute(PLAIN_TABLES)?;
    let accounts = Accounts {
        clearing: SystemAccount::PayPalClearing.open(&mut conn, Currency::EUR)?.id,
        fees: SystemAccount::PaymentFees.open(&mut conn, Currency::EUR)?.id,
        revenue: SystemAccount::Revenue.open(&mut conn, Currency::EUR)?.id,
        vat: SystemAccount::VatPayable.open(&mut conn, Currency::EUR)?.id,
    };
    let now = settings.clock.now();
    let mut report = Report { title: "ledger: 4-posting entries".to_owned(), ..Report::default() };
    let mut measure = |label: String, entries: usize, run: &mut dyn FnMut() -> Result<(), BenchError>| {
        let started = Instant::now();
        run()?;
        report.measurements.push(Measurement { label, entries, seconds: started.elapsed().as_secs_f64() });
        Ok::<(), BenchError>(())
    };

    measure("ledger, one entry per transaction".to_owned(), params.single, &mut || {
        for n in 0..params.single {
            let entry = entry(&accounts, "single", n, now);
            conn.transaction(|c| post_entry(c, &entry))?;
        }
        Ok(())
    })?;
    measure("plain INSERTs, one entry per transaction".to_owned(), params.single, &mut || {
        for n in 0..params.single {
            let entry = entry(&accounts, "plain-single", n, now);
            conn.transaction(|c| insert_plain(c, std::slice::from_ref(&entry)))?;
        }
        Ok(())
    })?;
    let per_batch = format!("{} entries per transaction", params.batch_size);
    measure(format!("ledger, {per_batch}"), params.batched, &mut || {
        for (batch, range) in batches(params.batched, params.batch_size).enumerate() {
            let entries: Vec<NewEntry> =
                range.map(|n| entry(&accounts, &format!("batch{batch}"), n, now)).collect();
            conn.transaction(|c| post_entries(c, &entries))?;
        }
        Ok(())
    })?;
    measure(format!("plain multi-row INSERTs, {per_batch}"), params.batched, &mut || {
        for (batch, range) in batches(params.batched, params.batch_size).enumerate() {
            let entries: Vec<NewEntry> =
                range.map(|n| entry(&accounts, &format!("plain{batch}"), n, now)).collect();
            conn.transaction(|c| insert_plain(c, &entries))?;
        }
        Ok(())
    })?;

    drop(conn);
    scratch.finish()?;
    Ok(report)
}

fn batches(total: usize, size: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..total).step_by(size).map(move |start| start..(start + size).min(total))
}

/// The baseline: the same rows with plain multi-row INSERTs, nothing checked.
fn insert_plain(conn: &mut PgConnection, entries: &[NewEntry]) -> Result<(), diesel::result::Error> {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                bench_plain_entries::idempotency_key.eq(&e.idempotency_key),
                bench_plain_entries::kind.eq(&e.kind),
                bench_plain_entries::memo.eq(&e.memo),
                bench_plain_entries::occurred_at.eq(e.occurred_at),
                bench_plain_entries::fingerprint.eq(e.fingerprint()),
            )
        })
        .collect();
    let ids: Vec<i64> = diesel::insert_into(bench_plain_entries::table)
        .values(&rows)
        .returning(bench_plain_entries::id)
        .get_results(conn)?;
    let postings: Vec<_> = entries
        .iter()
        .zip(ids)
        .flat_map(|(e, id)| {
            e.postings.iter().map(move |p| {
                (
                    bench_plain_postings::entry_id.eq(id),
                    bench_plain_postings::account_id.eq(p.account.0),
                    bench_plain_postings::currency.eq(p.amount.currency().code()),
                    bench_plain_postings::amount.eq::<Decimal>(p.amount.amount()),
                )
            })
        })
        .collect();
    diesel::insert_into(bench_plain_postings::table).values(&postings).execute(conn)?;
    Ok(())
}

/// `kontor bench billing`: seed `customers` in a scratch database, run the month's batch
/// with `workers`, and (with `baseline`) insert the same rows again with plain multi-row
/// INSERTs into unconstrained tables, the database's own limit.
pub struct BillingBench {
    pub customers: i64,
    pub workers: usize,
    /// Subscriptions per transaction.
    pub chunk: usize,
    pub baseline: bool,
}

/// The local cluster with a fresh, migrated scratch database; dropped again by `finish`.
/// Seeds `customers` due in `month` and runs that month's invoice batch for them (PDFs and
/// emails), as the benchmarks' untimed setup.
pub(crate) fn seed_and_invoice(
    settings: &Settings,
    conn: &mut PgConnection,
    pool: &crate::db::PgPool,
    customers: i64,
    month: crate::invoicing::BillingMonth,
) -> Result<(), BenchError> {
    crate::seed::customers(conn, customers, month)?;
    let run = crate::invoicing::batch::RunOptions {
        month,
        catch_up: false,
        workers: 2,
        chunk_size: 500,
        dry_run: false,
        lock_wait: crate::invoicing::batch::LOCK_WAIT,
    };
    crate::jobs::billing::run_configured(settings, pool, &run, &crate::invoicing::progress::Reporter::Silent)
        .map_err(|e| BenchError::Invoicing(e.to_string()))?;
    Ok(())
}

pub(crate) struct Scratch {
    _cluster: LocalCluster,
    admin: PgConnection,
    pub url: String,
}

impl Scratch {
    pub(crate) fn open(settings: &Settings) -> Result<Scratch, BenchError> {
        let mut options = ClusterOptions::new(&settings.data_dir);
        options.bin_dir = settings.pg_bin_dir.clone();
        options.service_user = settings.pg_user.clone();
        let cluster = LocalCluster::start(&options)?;
        let mut admin = PgConnection::establish(&cluster.database_url("postgres"))?;
        drop_scratch(&mut admin)?;
        cluster.ensure_database(BENCH_DATABASE)?;
        let url = cluster.database_url(BENCH_DATABASE);
        migrate(&mut PgConnection::establish(&url)?)?;
        Ok(Scratch { _cluster: cluster, admin, url })
    }

    pub(crate) fn finish(mut self) -> Result<(), BenchError> {
        drop_scratch(&mut self.admin)?;
        Ok(())
    }
}

fn drop_scratch(admin: &mut PgConnection) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_identifier(BENCH_DATABASE)))
        .execute(admin)
}

pub fn billing(settings: &Settings, params: BillingBench) -> Result<Report, BenchError> {
    let scratch = Scratch::open(settings)?;
    let url = scratch.url.clone();
    let mut conn = PgConnection::establish(&url)?;
    let month: crate::invoicing::BillingMonth = "2026-12".parse().map_err(|_| BenchError::BatchSize)?;
    let mut report = Report { title: "billing".to_owned(), ..Report::default() };
    let started = Instant::now();
    crate::seed::customers(&mut conn, params.customers, month)?;
    report.measurements.push(Measurement {
        label: "seed customers with subscriptions".to_owned(),
        entries: params.customers as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    let pool = crate::db::pool(&url, 2 * params.workers as u32 + 2)?;
    let run = crate::invoicing::batch::RunOptions {
        month,
        catch_up: false,
        workers: params.workers,
        chunk_size: params.chunk,
        dry_run: false,
        lock_wait: crate::invoicing::batch::LOCK_WAIT,
    };
    let started = Instant::now();
    let (summary, profile) = crate::phases::record_threads(|| {
        crate::jobs::billing::run_configured(
            settings,
            &pool,
            &run,
            &crate::invoicing::progress::Reporter::Silent,
        )
    });
    let summary = summary.map_err(|e| BenchError::Invoicing(e.to_string()))?;
    report.measurements.push(Measurement {
        label: format!("billing run with PDFs and emails, {} worker(s)", params.workers),
        entries: summary.issued,
        seconds: started.elapsed().as_secs_f64(),
    });
    report.peak_rss_kib = peak_rss_kib();
    if let Some(mean) = summary.pdf_bytes.checked_div(summary.issued) {
        report.notes.push(format!("PDF bytes per invoice: {mean}"));
    }
    report.notes.push(phase_table(
        "the run, wall time summed over the workers",
        summary.issued,
        "invoice",
        &profile,
    ));
    if !summary.failed.is_empty() {
        report.notes.push(format!("failed: {} (first: {:?})", summary.failed.len(), summary.failed.first()));
    }
    if params.baseline {
        let (rows, elapsed) = plain_copy(&mut conn)?;
        report.measurements.push(Measurement {
            label: "plain multi-row INSERTs of the same rows".to_owned(),
            entries: rows,
            seconds: elapsed.as_secs_f64(),
        });
    }
    drop(pool);
    drop(conn);
    scratch.finish()?;
    Ok(report)
}

/// `profile` as a table: each phase's time, share and time per item (`unit`).
pub(crate) fn phase_table(what: &str, items: usize, unit: &str, profile: &crate::phases::Profile) -> String {
    let total = profile.total().as_secs_f64().max(1e-9);
    let mut out = format!("phases of {what}:\n");
    for (phase, spent) in &profile.phases {
        let s = spent.as_secs_f64();
        out.push_str(&format!(
            "  {phase:<44} {:>9.0} ms {:>5.1} % {:>8.1} us/{unit}\n",
            s * 1e3,
            100.0 * s / total,
            s * 1e6 / items.max(1) as f64
        ));
    }
    out.trim_end().to_owned()
}

/// The process's peak resident memory (VmHWM), in KiB.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// Inserts the batch's rows again (documents, lines, VAT rows, entries, postings) into
/// tables of the same shape without constraints or triggers, 500 invoices per transaction
/// with multi-row INSERTs, timing only the inserts. Returns the invoices and the time.
fn plain_copy(conn: &mut PgConnection) -> Result<(usize, std::time::Duration), BenchError> {
    conn.batch_execute(
        "CREATE TABLE plain_invoices (LIKE invoices); CREATE TABLE plain_lines (LIKE invoice_lines);
         CREATE TABLE plain_vat (LIKE invoice_vat); CREATE TABLE plain_entries (LIKE journal_entries);
         CREATE TABLE plain_postings (LIKE postings);",
    )?;
    let (low, high): (Option<i64>, Option<i64>) = crate::db::schema::invoices::table
        .select((
            diesel::dsl::min(crate::db::schema::invoices::id),
            diesel::dsl::max(crate::db::schema::invoices::id),
        ))
        .first(conn)?;
    let (Some(low), Some(high)) = (low, high) else {
        return Ok((0, std::time::Duration::ZERO));
    };
    let mut total = 0usize;
    let mut elapsed = std::time::Duration::ZERO;
    let mut start = low;
    while start <= high {
        let end = start + 500;
        // Rows are fetched as text VALUES lists outside the timed part.
        let mut fetch = |sql: &str| -> Result<Vec<String>, diesel::result::Error> {
            #[derive(QueryableByName)]
            struct Tuple {
                #[diesel(sql_type = diesel::sql_types::Text)]
                t: String,
            }
            Ok(diesel::sql_query(sql)
                .bind::<diesel::sql_types::BigInt, _>(start)
                .bind::<diesel::sql_types::BigInt, _>(end)
                .load::<Tuple>(conn)?
                .into_iter()
                .map(|r| r.t)
                .collect())
        };
        let row = |table: &str, filter: &str| {
            format!(
                "SELECT format('(%s)', concat_ws(',', VARIADIC (SELECT array_agg(quote_nullable(v)) FROM json_each_text(row_to_json(x)) j(k, v)))) AS t FROM {table} x WHERE {filter}"
            )
        };
        let invoices = fetch(&row("invoices", "id >= $1 AND id < $2"))?;
        let lines = fetch(&row("invoice_lines", "invoice_id >= $1 AND invoice_id < $2"))?;
        let vat = fetch(&row("invoice_vat", "invoice_id >= $1 AND invoice_id < $2"))?;
        let entries = fetch(&row(
            "journal_entries",
            "id IN (SELECT ledger_entry_id FROM invoices WHERE id >= $1 AND id < $2)",
        ))?;
        let postings = fetch(&row(
            "postings",
            "entry_id IN (SELECT ledger_entry_id FROM invoices WHERE id >= $1 AND id < $2)",
        ))?;
        let timed = Instant::now();
        conn.transaction(|c| -> Result<(), diesel::result::Error> {
            for (table, rows) in [
                ("plain_entries", &entries),
                ("plain_postings", &postings),
                ("plain_invoices", &invoices),
                ("plain_lines", &lines),
                ("plain_vat", &vat),
            ] {
                if !rows.is_empty() {
                    c.batch_execute(&format!("INSERT INTO {table} VALUES {}", rows.join(",")))?;
                }
            }
            Ok(())
        })?;
        elapsed += timed.elapsed();
        total += invoices.len();
        start = end;
    }
    Ok((total, elapsed))
}
