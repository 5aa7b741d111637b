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
        if self.seconds > 0.0 {
            self.entries as f64 / self.seconds
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub measurements: Vec<Measurement>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<52} {:>9} {:>9} {:>12}",
            "ledger: 4-posting entries", "entries", "seconds", "entries/s"
        )?;
        for m in &self.measurements {
            writeln!(
                f,
                "{:<52} {:>9} {:>9.3} {:>12.0}",
                m.label,
                m.entries,
                m.seconds,
                m.per_second()
            )?;
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
        kind: "payment_received".to_owned(),
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
    let mut options = ClusterOptions::new(&settings.data_dir);
    options.bin_dir = settings.pg_bin_dir.clone();
    options.service_user = settings.pg_user.clone();
    let cluster = LocalCluster::start(&options)?;
    let mut admin = PgConnection::establish(&cluster.database_url("postgres"))?;
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(BENCH_DATABASE)
    ))
    .execute(&mut admin)?;
    cluster.ensure_database(BENCH_DATABASE)?;
    let mut conn = PgConnection::establish(&cluster.database_url(BENCH_DATABASE))?;
    migrate(&mut conn)?;
    conn.batch_execute(PLAIN_TABLES)?;
    let accounts = Accounts {
        clearing: SystemAccount::PayPalClearing.open(&mut conn, Currency::EUR)?.id,
        fees: SystemAccount::PaymentFees.open(&mut conn, Currency::EUR)?.id,
        revenue: SystemAccount::Revenue.open(&mut conn, Currency::EUR)?.id,
        vat: SystemAccount::VatPayable.open(&mut conn, Currency::EUR)?.id,
    };
    let now = Utc::now();
    let mut report = Report::default();
    let mut measure = |label: String, entries: usize, run: &mut dyn FnMut() -> Result<(), BenchError>| {
        let started = Instant::now();
        run()?;
        report.measurements.push(Measurement {
            label,
            entries,
            seconds: started.elapsed().as_secs_f64(),
        });
        Ok::<(), BenchError>(())
    };

    measure(
        "ledger, one entry per transaction".to_owned(),
        params.single,
        &mut || {
            for n in 0..params.single {
                let entry = entry(&accounts, "single", n, now);
                conn.transaction(|c| post_entry(c, &entry))?;
            }
            Ok(())
        },
    )?;
    measure(
        "plain INSERTs, one entry per transaction".to_owned(),
        params.single,
        &mut || {
            for n in 0..params.single {
                let entry = entry(&accounts, "plain-single", n, now);
                conn.transaction(|c| insert_plain(c, std::slice::from_ref(&entry)))?;
            }
            Ok(())
        },
    )?;
    let per_batch = format!("{} entries per transaction", params.batch_size);
    measure(format!("ledger, {per_batch}"), params.batched, &mut || {
        for (batch, range) in batches(params.batched, params.batch_size).enumerate() {
            let entries: Vec<NewEntry> = range
                .map(|n| entry(&accounts, &format!("batch{batch}"), n, now))
                .collect();
            conn.transaction(|c| post_entries(c, &entries))?;
        }
        Ok(())
    })?;
    measure(
        format!("plain multi-row INSERTs, {per_batch}"),
        params.batched,
        &mut || {
            for (batch, range) in batches(params.batched, params.batch_size).enumerate() {
                let entries: Vec<NewEntry> = range
                    .map(|n| entry(&accounts, &format!("plain{batch}"), n, now))
                    .collect();
                conn.transaction(|c| insert_plain(c, &entries))?;
            }
            Ok(())
        },
    )?;

    drop(conn);
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(BENCH_DATABASE)
    ))
    .execute(&mut admin)?;
    Ok(report)
}

fn batches(total: usize, size: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..total)
        .step_by(size)
        .map(move |start| start..(start + size).min(total))
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
    diesel::insert_into(bench_plain_postings::table)
        .values(&postings)
        .execute(conn)?;
    Ok(())
}
