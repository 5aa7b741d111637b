//! `kontor billing run`: issues every invoice due in a month. The work list is a table;
//! workers (threads here, processes or machines elsewhere) claim chunks of it with
//! `FOR UPDATE SKIP LOCKED` and issue each chunk in one transaction, so a run killed at any
//! instant resumes where it stopped, and runs side by side never issue anything twice.
//!
//! A chunk locks its customers and their subscriptions (the order of `db::locks`) before it
//! reads them: customer credit is read and spent under the customer's lock, and a
//! cancellation or a pack change waits for the chunk (or the chunk for it), so what is billed
//! is what the subscription says when the invoice is issued.
//!
//! Failures: a transient one (deadlock, serialization failure, lost connection) is retried
//! with backoff, and an item still failing so stays pending for the next run; a permanent one
//! (data that cannot be invoiced) marks the item failed with its reason, listed by
//! `kontor billing failures`. Items another run holds are waited for (a bounded wait) at the
//! end: a run reports `unfinished` while due items are neither done nor failed.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use super::due::{Catalog, IssueContext, attach_accounts, compose_chunk};
use super::forecast::NumberForecast;
use super::issue::{Draft, issue, issue_numbered};
use super::numbering::Series;
use super::progress::Progress;
use super::render_ahead;
use super::run_item::ItemState;
use super::{BillingMonth, InvoicingError};
use crate::db::schema::billing_run_items;
use crate::db::{PgPool, PooledPg};
use crate::ledger::{Account, AccountSpec};
use crate::money::Money;
use crate::seller::SellerDetails;
use crate::subscriptions::Billing;

#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The month whose periods are invoiced (each no earlier than its first day, or the
    /// configured lead before it).
    pub month: BillingMonth,
    /// Also every earlier month with a period still unbilled (`kontor billing run` without
    /// `--period`): a day the run did not happen is made good by the next one.
    pub catch_up: bool,
    pub workers: usize,
    pub chunk_size: usize,
    pub dry_run: bool,
    /// How long the end of the run waits for items other transactions hold ([`LOCK_WAIT`]).
    pub lock_wait: Duration,
}

/// How long the end of a run waits, by default, for items another run (or a killed run's
/// connection) still holds, before it gives up and reports them unfinished.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);
/// Attempts at a transaction that fails for a transient reason, within one run.
const ATTEMPTS: u32 = 5;

/// Totals per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrencyTotals {
    pub invoices: usize,
    pub net: rust_decimal::Decimal,
    pub vat: rust_decimal::Decimal,
    pub gross: rust_decimal::Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub issued: usize,
    pub skipped: usize,
    /// Failed for good (subscription, reason): `kontor billing failures` lists them.
    pub failed: Vec<(i64, String)>,
    /// Failed for a transient reason every time this run tried: still pending, for the next run.
    pub retry_later: Vec<(i64, String)>,
    /// Due items neither done, skipped nor failed when the run ended (retry_later included,
    /// and items another run still held after the wait).
    pub unfinished: u64,
    pub per_currency: BTreeMap<String, CurrencyTotals>,
    /// Gross per (VAT country, currency), for the dry run's preview.
    pub per_vat_country: BTreeMap<(String, String), rust_decimal::Decimal>,
    pub elapsed: Duration,
    /// Bytes of PDF written.
    pub pdf_bytes: usize,
}

impl Summary {
    fn add(&mut self, draft: &Draft) {
        let totals = self.per_currency.entry(draft.currency.code().to_owned()).or_default();
        totals.invoices += 1;
        totals.net += draft.totals.net.amount();
        totals.vat += draft.totals.vat.amount();
        totals.gross += draft.totals.gross.amount();
        let country =
            draft.customer_snapshot.get("country").and_then(|c| c.as_str()).unwrap_or_default().to_owned();
        *self.per_vat_country.entry((country, draft.currency.code().to_owned())).or_default() +=
            draft.totals.gross.amount();
    }

    fn merge(&mut self, other: Summary) {
        self.issued += other.issued;
        self.skipped += other.skipped;
        self.pdf_bytes += other.pdf_bytes;
        self.failed.extend(other.failed);
        self.retry_later.extend(other.retry_later);
        self.unfinished += other.unfinished;
        for (currency, t) in other.per_currency {
            let mine = self.per_currency.entry(currency).or_default();
            mine.invoices += t.invoices;
            mine.net += t.net;
            mine.vat += t.vat;
            mine.gross += t.gross;
        }
        for (key, gross) in other.per_vat_country {
            *self.per_vat_country.entry(key).or_default() += gross;
        }
    }
}

/// Everything the batch needs besides the database.
pub struct BatchContext<'a> {
    pub billing: &'a Billing,
    pub seller: &'a SellerDetails,
    pub payment_terms_days: u32,
    pub now: DateTime<Utc>,
    /// Every invoice's PDF and email are made in its transaction.
    pub publishing: &'a crate::documents::Publishing,
}

impl<'a> BatchContext<'a> {
    fn issue_context(&self, issue_date: NaiveDate) -> IssueContext<'a> {
        IssueContext {
            billing: self.billing,
            seller: self.seller,
            issue_date,
            payment_terms_days: self.payment_terms_days,
            publishing: self.publishing,
        }
    }
}

/// The subscriptions of a month, each with the period starting in it (`start`, the anchor's
/// day clamped to the month's length, as `period::nth_period` counts) and its first paid day.
/// Binds: $1 the month (text), $2 its end (exclusive), $3 its first day, $4 the issue date,
/// $5 the lead in days.
const DUE_FROM: &str = "subscriptions s
    CROSS JOIN LATERAL (SELECT LEAST($3::date + (extract(day FROM s.anchor_date)::int - 1), $2::date - 1) AS start,
                               COALESCE(s.trial_ends_on, s.anchor_date) AS first_paid) p";

/// Due in the month: its period is paid for (not a day of the free month, before the end)
/// and has begun, or begins within the lead but never before the free month is over; or the
/// month has no such period and charges wait to be billed (a final invoice after the end).
///
/// The final invoice waits for the end itself: issued earlier it would take the month's one
/// invoice, and a customer who withdraws the cancellation before the end would never be billed
/// the month's period (found by the simulated year).
const DUE_CONDITION: &str = "s.anchor_date < $2
    AND CASE WHEN p.start >= p.first_paid
                  AND p.start < LEAST(COALESCE(s.cancel_on, 'infinity'), COALESCE(s.ended_on, 'infinity'))
             THEN GREATEST(p.start - $5::int, p.first_paid) <= $4
             ELSE EXISTS (SELECT 1 FROM pending_charges c WHERE c.subscription_id = s.id AND c.invoice_id IS NULL)
                  AND (p.start < p.first_paid
                       OR LEAST(COALESCE(s.cancel_on, 'infinity'), COALESCE(s.ended_on, 'infinity')) <= $4)
        END";

/// The first month with a period not invoiced yet: a run that catches up starts there.
fn first_unbilled_month(conn: &mut PgConnection) -> Result<Option<BillingMonth>, InvoicingError> {
    #[derive(QueryableByName)]
    struct Day {
        #[diesel(sql_type = diesel::sql_types::Nullable<Date>)]
        day: Option<NaiveDate>,
    }
    let first: Day = diesel::sql_query(
        "SELECT min(GREATEST(b.until, p.first_paid)) AS day
           FROM subscriptions s
          CROSS JOIN LATERAL (SELECT COALESCE(s.trial_ends_on, s.anchor_date) AS first_paid) p
          CROSS JOIN LATERAL (SELECT COALESCE(max(i.service_until), p.first_paid) AS until FROM invoices i
                               WHERE i.subscription_id = s.id AND i.kind = 'invoice') b
          WHERE GREATEST(b.until, p.first_paid)
                < LEAST(COALESCE(s.cancel_on, 'infinity'), COALESCE(s.ended_on, 'infinity'))",
    )
    .get_result(conn)?;
    Ok(first.day.map(BillingMonth::containing))
}

/// The months a run works through, oldest first.
fn months_to_run(conn: &mut PgConnection, options: &RunOptions) -> Result<Vec<BillingMonth>, InvoicingError> {
    let mut months = Vec::new();
    if options.catch_up
        && let Some(mut month) = first_unbilled_month(conn)?
    {
        while month < options.month {
            months.push(month);
            month = month.next();
        }
    }
    months.push(options.month);
    Ok(months)
}

/// Puts every subscription due in the month on the work list (again: nothing doubles).
fn prepare(
    conn: &mut PgConnection,
    month: BillingMonth,
    issue_date: NaiveDate,
    lead_days: u32,
) -> Result<u64, InvoicingError> {
    diesel::sql_query(format!(
        "INSERT INTO billing_run_items (period, subscription_id)
         SELECT $1, s.id FROM {DUE_FROM} WHERE {DUE_CONDITION}
         ON CONFLICT DO NOTHING"
    ))
    .bind::<Text, _>(month.to_string())
    .bind::<Date, _>(month.end())
    .bind::<Date, _>(month.first_day())
    .bind::<Date, _>(issue_date)
    .bind::<diesel::sql_types::Integer, _>(lead_days as i32)
    .execute(conn)?;
    let pending: i64 = billing_run_items::table
        .filter(billing_run_items::period.eq(month.to_string()))
        .filter(billing_run_items::state.eq(ItemState::Pending.as_str()))
        .count()
        .get_result(conn)?;
    Ok(pending.max(0) as u64)
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Runs the batch with `options.workers` threads sharing the work list.
pub fn run(
    pool: &PgPool,
    ctx: &BatchContext<'_>,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<Summary, InvoicingError> {
    let started = Instant::now();
    let mut conn = pool.get().map_err(InvoicingError::Pool)?;
    let months = months_to_run(&mut conn, options)?;
    drop(conn);
    let mut summary = Summary::default();
    for month in months {
        let options = RunOptions { month, ..options.clone() };
        summary.merge(run_month(pool, ctx, &options, progress)?);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Issues what is due in one month.
fn run_month(
    pool: &PgPool,
    ctx: &BatchContext<'_>,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<Summary, InvoicingError> {
    let mut conn = pool.get().map_err(InvoicingError::Pool)?;
    let issue_date = ctx.billing.today(ctx.now);
    if options.dry_run {
        return dry_run(&mut conn, ctx, options, issue_date, progress);
    }
    let total = prepare(&mut conn, options.month, issue_date, ctx.billing.lead_days)?;
    drop(conn);
    progress.started(total);
    let done = Mutex::new(0u64);
    let forecast = NumberForecast::default();
    let results: Vec<Result<Summary, InvoicingError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..options.workers.max(1))
            .map(|_| scope.spawn(|| worker(pool, ctx, options, issue_date, progress, &done, &forecast)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Err(InvoicingError::Corrupt("a worker panicked".to_owned())))
            })
            .collect()
    });
    let mut summary = Summary::default();
    for result in results {
        summary.merge(result?);
    }
    // Items the workers skipped because another transaction held them: a run side by side
    // (wait for it to finish them), or a killed run whose connection PostgreSQL has not
    // closed yet (wait for it to go, then issue them).
    let gave_up: Vec<i64> = summary.retry_later.iter().map(|(id, _)| *id).collect();
    let waited = finish_held(pool, ctx, options, issue_date, &gave_up)?;
    summary.merge(waited);
    let mut conn = pool.get().map_err(InvoicingError::Pool)?;
    let left: i64 = billing_run_items::table
        .filter(billing_run_items::period.eq(options.month.to_string()))
        .filter(billing_run_items::state.eq(ItemState::Pending.as_str()))
        .count()
        .get_result(&mut conn)?;
    summary.unfinished = left.max(0) as u64;
    Ok(summary)
}

/// Claims the items still pending that others held while the workers ran, as they come free
/// (a run beside this one finishing them, or PostgreSQL noticing a killed run's connection),
/// and issues them; looks again every 100 ms for up to `options.lock_wait`. Never blocks on a
/// lock itself, so the wait is bounded by this process's clock alone. Leaves alone the items
/// this run already gave up on.
fn finish_held(
    pool: &PgPool,
    ctx: &BatchContext<'_>,
    options: &RunOptions,
    issue_date: NaiveDate,
    gave_up: &[i64],
) -> Result<Summary, InvoicingError> {
    let pool_error = InvoicingError::Pool;
    let mut conn = pool.get().map_err(pool_error)?;
    let mut accounts_conn = pool.get().map_err(pool_error)?;
    let catalog = Catalog::load(&mut conn)?;
    let issue_ctx = ctx.issue_context(issue_date);
    let mut summary = Summary::default();
    let mut skip = gave_up.to_vec();
    let period = options.month.to_string();
    let deadline = Instant::now() + options.lock_wait;
    loop {
        let outcome = conn.transaction(|conn| {
            chunk(
                conn,
                &mut accounts_conn,
                &catalog,
                &issue_ctx,
                options,
                ctx.now,
                Claim::Waiting(&skip),
                None,
            )
        });
        match outcome {
            Ok((0, _, _)) => {
                let held: i64 = billing_run_items::table
                    .filter(billing_run_items::period.eq(&period))
                    .filter(billing_run_items::state.eq(ItemState::Pending.as_str()))
                    .filter(billing_run_items::subscription_id.ne_all(&skip))
                    .count()
                    .get_result(&mut conn)?;
                if held == 0 || Instant::now() >= deadline {
                    if held > 0 {
                        tracing::warn!(held, "subscriptions still held by another run");
                    }
                    return Ok(summary);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok((_, _, part)) => summary.merge(part),
            // One of them cannot be invoiced now: one by one, each outcome recorded.
            Err(_) => {
                let ids: Vec<i64> = billing_run_items::table
                    .filter(billing_run_items::period.eq(&period))
                    .filter(billing_run_items::state.eq(ItemState::Pending.as_str()))
                    .filter(billing_run_items::subscription_id.ne_all(&skip))
                    .order(billing_run_items::subscription_id)
                    .limit(options.chunk_size.max(1) as i64)
                    .select(billing_run_items::subscription_id)
                    .load(&mut conn)?;
                let part =
                    each(pool, &mut conn, &mut accounts_conn, &catalog, &issue_ctx, options, ctx.now, &ids)?;
                skip.extend(part.retry_later.iter().map(|(id, _)| *id));
                skip.extend(part.failed.iter().map(|(id, _)| *id));
                summary.merge(part);
                if ids.is_empty() {
                    return Ok(summary);
                }
            }
        }
    }
}

fn worker(
    pool: &PgPool,
    ctx: &BatchContext<'_>,
    options: &RunOptions,
    issue_date: NaiveDate,
    progress: &dyn Progress,
    done: &Mutex<u64>,
    forecast: &NumberForecast,
) -> Result<Summary, InvoicingError> {
    let pool_error = InvoicingError::Pool;
    let mut conn = pool.get().map_err(pool_error)?;
    let mut accounts_conn = pool.get().map_err(pool_error)?;
    let catalog = Catalog::load(&mut conn)?;
    let issue_ctx = ctx.issue_context(issue_date);
    let mut summary = Summary::default();
    let mut cursor = 0;
    crate::phases::on_thread(|| {
        loop {
            let mut attempt = 0;
            let outcome = loop {
                let outcome = conn.transaction(|conn| {
                    chunk(
                        conn,
                        &mut accounts_conn,
                        &catalog,
                        &issue_ctx,
                        options,
                        ctx.now,
                        Claim::After(cursor),
                        Some(forecast),
                    )
                });
                crate::phases::lap("commit");
                match outcome {
                    Err(error) if error.is_transient() && attempt + 1 < ATTEMPTS => {
                        tracing::warn!(%error, attempt, "chunk failed for a passing reason; trying again");
                        attempt += 1;
                        backoff(attempt);
                        // Lost connections are replaced (the pool hands out working ones).
                        if let (Ok(fresh), Ok(fresh_accounts)) = (pool.get(), pool.get()) {
                            conn = fresh;
                            accounts_conn = fresh_accounts;
                        }
                    }
                    other => break other,
                }
            };
            let (processed, highest, part) = match outcome {
                Ok(result) => result,
                // One bad subscription must not stop the others: redo the chunk one by one.
                Err(error) => {
                    tracing::warn!(%error, "chunk failed; retrying its subscriptions one by one");
                    one_by_one(
                        pool,
                        &mut conn,
                        &mut accounts_conn,
                        &catalog,
                        &issue_ctx,
                        options,
                        ctx.now,
                        cursor,
                    )?
                }
            };
            if processed == 0 {
                if cursor == 0 {
                    return Ok(summary);
                }
                // A last sweep from the start picks up items another worker gave back.
                cursor = 0;
                continue;
            }
            cursor = highest;
            summary.merge(part);
            if let Ok(mut count) = done.lock() {
                *count += processed as u64;
                progress.advanced(*count);
            }
        }
    })
}

/// Waits a little longer after each failed attempt: 50 ms, 100 ms, 200 ms, ...
fn backoff(attempt: u32) {
    std::thread::sleep(Duration::from_millis(50u64 << attempt.min(6)));
}

/// Which pending items a transaction claims.
#[derive(Debug, Clone, Copy)]
enum Claim<'a> {
    /// The next chunk above this subscription id (skipping items others hold).
    After(i64),
    /// Exactly this subscription (if nobody holds it).
    Only(i64),
    /// The first chunk of pending items not in the list (skipping items others hold).
    Waiting(&'a [i64]),
}

/// Claims pending items and issues their invoices; returns how many were claimed and the
/// highest subscription id among them. With a `forecast` (the run's workers), the documents
/// are rendered before the number counter is locked.
#[allow(clippy::too_many_arguments)]
fn chunk(
    conn: &mut PgConnection,
    accounts_conn: &mut PgConnection,
    catalog: &Catalog,
    ctx: &IssueContext<'_>,
    options: &RunOptions,
    now: DateTime<Utc>,
    claim: Claim<'_>,
    forecast: Option<&NumberForecast>,
) -> Result<(usize, i64, Summary), InvoicingError> {
    let period = options.month.to_string();
    let skip: Vec<i64> = match claim {
        Claim::Waiting(skip) => skip.to_vec(),
        _ => Vec::new(),
    };
    let (sql, key) = match claim {
        // Walking forward from the worker's last chunk keeps the claim off the finished
        // items at the start of the index, which would otherwise be rescanned every time.
        Claim::After(cursor) => (
            "SELECT subscription_id AS id FROM billing_run_items
              WHERE period = $1 AND state = 'pending' AND subscription_id > $3 AND subscription_id <> ALL($4)
              ORDER BY subscription_id LIMIT $2 FOR UPDATE SKIP LOCKED",
            cursor,
        ),
        Claim::Only(id) => (
            "SELECT subscription_id AS id FROM billing_run_items
              WHERE period = $1 AND state = 'pending' AND subscription_id = $3 AND $2 > 0
                AND subscription_id <> ALL($4)
              FOR UPDATE SKIP LOCKED",
            id,
        ),
        Claim::Waiting(_) => (
            "SELECT subscription_id AS id FROM billing_run_items
              WHERE period = $1 AND state = 'pending' AND $3 = 0 AND subscription_id <> ALL($4)
              ORDER BY subscription_id LIMIT $2 FOR UPDATE SKIP LOCKED",
            0,
        ),
    };
    let claimed: Vec<IdRow> = diesel::sql_query(sql)
        .bind::<Text, _>(&period)
        .bind::<BigInt, _>(options.chunk_size.max(1) as i64)
        .bind::<BigInt, _>(key)
        .bind::<diesel::sql_types::Array<BigInt>, _>(&skip)
        .load(conn)?;
    let ids: Vec<i64> = claimed.into_iter().map(|r| r.id).collect();
    crate::phases::lap("claim");
    if ids.is_empty() {
        return Ok((0, 0, Summary::default()));
    }
    crate::failpoint::hit("batch-after-claim");
    let highest = ids.iter().copied().max().unwrap_or(0);
    let claimed_count = ids.len();
    // The customers, then their subscriptions (the order of `db::locks`), before anything of
    // theirs is read: credit is read and spent under the customer's lock, and a cancellation
    // or pack change cannot slip in between composing and issuing.
    let owners: Vec<i64> = crate::db::schema::subscriptions::table
        .filter(crate::db::schema::subscriptions::id.eq_any(&ids))
        .select(crate::db::schema::subscriptions::customer_id)
        .load(conn)?;
    crate::db::locks::lock_customers(conn, &owners)?;
    diesel::sql_query("SELECT id FROM subscriptions WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        .bind::<diesel::sql_types::Array<BigInt>, _>(&ids)
        .execute(conn)?;
    crate::phases::lap("customers and subscriptions locked");
    let mut summary = Summary::default();
    let mut drafts = Vec::new();
    let mut specs = Vec::new();
    let mut skipped = Vec::new();
    for due in compose_chunk(conn, catalog, ctx, options.month, &ids)? {
        let due = due.map_err(|(_, e)| e)?;
        match due.draft {
            Some(draft) => {
                specs.extend(due.accounts.iter().cloned());
                drafts.push((due.subscription_id, draft, due.accounts));
            }
            None => skipped.push(due.subscription_id),
        }
    }
    crate::phases::lap("compose");
    crate::failpoint::hit("batch-after-compose");
    // Shared accounts (revenue, VAT) are opened in their own, immediately committed
    // transaction, so no chunk waits on another's uncommitted ones; a customer's own accounts
    // belong to this chunk alone and are opened inside it.
    let (own, shared): (Vec<AccountSpec>, Vec<AccountSpec>) =
        specs.into_iter().partition(|s| s.customer_id.is_some());
    let mut account_ids = accounts_conn.transaction(|c| Account::open_many(c, &shared))?;
    account_ids.extend(Account::open_many(conn, &own)?);
    for (_, draft, accounts) in &mut drafts {
        attach_accounts(draft, accounts, &account_ids)?;
    }
    crate::phases::lap("ledger accounts");
    let (subscriptions, documents): (Vec<i64>, Vec<Draft>) =
        drafts.into_iter().map(|(s, d, _)| (s, d)).unzip();
    let issued = match forecast.filter(|_| !documents.is_empty()) {
        // The PDFs are rendered before the counter is locked, with the numbers it will give.
        Some(forecast) => {
            let mut ahead = render_ahead::prepare(conn, forecast, &documents, ctx.publishing)?;
            crate::phases::lap("render ahead");
            crate::failpoint::hit("batch-after-render-ahead");
            ahead.wait_for_turn();
            crate::phases::lap("waiting for the turn");
            let invoice_ids = ahead.invoice_ids.clone();
            let issued = issue_numbered(
                conn,
                Series::Invoice,
                &documents,
                now,
                Some(&invoice_ids),
                &mut |_, first, count| ahead.numbered(first, count),
            )?;
            crate::failpoint::hit("batch-after-issue");
            summary.pdf_bytes += ahead.publish(conn, &issued, ctx.publishing)?.bytes;
            issued
        }
        None => {
            let issued = issue(conn, Series::Invoice, &documents, now)?;
            crate::failpoint::hit("batch-after-issue");
            let ids: Vec<i64> = issued.iter().map(|d| d.id).collect();
            summary.pdf_bytes += crate::documents::publish(conn, &ids, ctx.publishing)?.bytes;
            issued
        }
    };
    crate::failpoint::hit("batch-after-publish");
    let mut documents_ids = Vec::with_capacity(issued.len());
    for (draft, document) in documents.iter().zip(&issued) {
        summary.add(draft);
        summary.issued += 1;
        documents_ids.push(document.id);
    }
    // One statement for the whole chunk, not one per subscription.
    diesel::sql_query(
        "UPDATE billing_run_items b SET state = 'done', invoice_id = v.invoice, updated_at = $4
           FROM unnest($2::bigint[], $3::bigint[]) AS v(subscription, invoice)
          WHERE b.period = $1 AND b.subscription_id = v.subscription",
    )
    .bind::<Text, _>(&period)
    .bind::<diesel::sql_types::Array<BigInt>, _>(&subscriptions)
    .bind::<diesel::sql_types::Array<BigInt>, _>(&documents_ids)
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .execute(conn)?;
    if !skipped.is_empty() {
        summary.skipped += skipped.len();
        diesel::update(
            billing_run_items::table
                .filter(billing_run_items::period.eq(&period))
                .filter(billing_run_items::subscription_id.eq_any(&skipped)),
        )
        .set((
            billing_run_items::state.eq(ItemState::Skipped.as_str()),
            billing_run_items::updated_at.eq(now),
        ))
        .execute(conn)?;
    }
    crate::phases::lap("run items");
    crate::failpoint::hit("batch-before-commit");
    Ok((claimed_count, highest, summary))
}

/// Processes the next chunk's items each in its own transaction, recording failures.
#[allow(clippy::too_many_arguments)]
fn one_by_one(
    pool: &PgPool,
    conn: &mut PooledPg,
    accounts_conn: &mut PooledPg,
    catalog: &Catalog,
    ctx: &IssueContext<'_>,
    options: &RunOptions,
    now: DateTime<Utc>,
    cursor: i64,
) -> Result<(usize, i64, Summary), InvoicingError> {
    let period = options.month.to_string();
    let ids: Vec<i64> = billing_run_items::table
        .filter(billing_run_items::period.eq(&period))
        .filter(billing_run_items::state.eq(ItemState::Pending.as_str()))
        .filter(billing_run_items::subscription_id.gt(cursor))
        .order(billing_run_items::subscription_id)
        .limit(options.chunk_size.max(1) as i64)
        .select(billing_run_items::subscription_id)
        .load(conn)?;
    let summary = each(pool, conn, accounts_conn, catalog, ctx, options, now, &ids)?;
    Ok((ids.len(), ids.iter().copied().max().unwrap_or(cursor), summary))
}

/// Issues each item in its own transaction: transient failures are tried again (with
/// backoff) and, failing still, left pending with their attempts and reason for the next run;
/// permanent ones mark the item failed.
#[allow(clippy::too_many_arguments)]
fn each(
    pool: &PgPool,
    conn: &mut PooledPg,
    accounts_conn: &mut PooledPg,
    catalog: &Catalog,
    ctx: &IssueContext<'_>,
    options: &RunOptions,
    now: DateTime<Utc>,
    ids: &[i64],
) -> Result<Summary, InvoicingError> {
    let period = options.month.to_string();
    let mut summary = Summary::default();
    for id in ids {
        let mut attempt = 0;
        let outcome = loop {
            match conn
                .transaction(|c| chunk(c, accounts_conn, catalog, ctx, options, now, Claim::Only(*id), None))
            {
                Err(error) if error.is_transient() => {
                    // A lost connection is replaced, also for recording the outcome below.
                    if let (Ok(fresh), Ok(fresh_accounts)) = (pool.get(), pool.get()) {
                        *conn = fresh;
                        *accounts_conn = fresh_accounts;
                    }
                    attempt += 1;
                    if attempt >= ATTEMPTS {
                        break Err(error);
                    }
                    backoff(attempt);
                }
                other => break other,
            }
        };
        let error = match outcome {
            Ok((_, _, part)) => {
                summary.merge(part);
                continue;
            }
            Err(error) => error,
        };
        let reason = error.to_string();
        let item = billing_run_items::table
            .find((&period, *id))
            .filter(billing_run_items::state.eq(ItemState::Pending.as_str()));
        if error.is_transient() {
            tracing::warn!(subscription = id, %reason, "could not invoice now; the next run tries again");
            diesel::update(item)
                .set((
                    billing_run_items::error.eq(&reason),
                    billing_run_items::attempts.eq(billing_run_items::attempts + 1),
                    billing_run_items::updated_at.eq(now),
                ))
                .execute(conn)?;
            summary.retry_later.push((*id, reason));
        } else {
            tracing::error!(subscription = id, %reason, "could not invoice");
            diesel::update(item)
                .set((
                    billing_run_items::state.eq(ItemState::Failed.as_str()),
                    billing_run_items::error.eq(&reason),
                    billing_run_items::attempts.eq(billing_run_items::attempts + 1),
                    billing_run_items::failed_at.eq(now),
                    billing_run_items::updated_at.eq(now),
                ))
                .execute(conn)?;
            summary.failed.push((*id, reason));
        }
    }
    Ok(summary)
}

/// A subscription the batch could not invoice, for `kontor billing failures`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub period: String,
    pub subscription_id: i64,
    pub customer_id: i64,
    pub attempts: i32,
    pub failed_at: Option<DateTime<Utc>>,
    pub reason: String,
}

/// The items that failed for good (in `month`, or all), oldest period first.
pub fn failures(
    conn: &mut PgConnection,
    month: Option<BillingMonth>,
) -> Result<Vec<Failure>, InvoicingError> {
    use crate::db::schema::subscriptions;
    let mut query = billing_run_items::table
        .inner_join(subscriptions::table.on(subscriptions::id.eq(billing_run_items::subscription_id)))
        .filter(billing_run_items::state.eq(ItemState::Failed.as_str()))
        .into_boxed();
    if let Some(month) = month {
        query = query.filter(billing_run_items::period.eq(month.to_string()));
    }
    type Row = (String, i64, i64, i32, Option<DateTime<Utc>>, Option<String>);
    let rows: Vec<Row> = query
        .order((billing_run_items::period, billing_run_items::subscription_id))
        .select((
            billing_run_items::period,
            billing_run_items::subscription_id,
            subscriptions::customer_id,
            billing_run_items::attempts,
            billing_run_items::failed_at,
            billing_run_items::error,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(period, subscription_id, customer_id, attempts, failed_at, reason)| Failure {
            period,
            subscription_id,
            customer_id,
            attempts,
            failed_at,
            reason: reason.unwrap_or_default(),
        })
        .collect())
}

/// Puts failed items of `month` (all, or one subscription) back on the work list; the next
/// run tries them again. Returns how many.
pub fn retry_failed(
    conn: &mut PgConnection,
    month: BillingMonth,
    subscription: Option<i64>,
    now: DateTime<Utc>,
) -> Result<usize, InvoicingError> {
    let mut query = diesel::update(billing_run_items::table)
        .filter(billing_run_items::period.eq(month.to_string()))
        .filter(billing_run_items::state.eq(ItemState::Failed.as_str()))
        .into_boxed();
    if let Some(id) = subscription {
        query = query.filter(billing_run_items::subscription_id.eq(id));
    }
    Ok(query
        .set((
            billing_run_items::state.eq(ItemState::Pending.as_str()),
            billing_run_items::attempts.eq(0),
            billing_run_items::failed_at.eq(None::<DateTime<Utc>>),
            billing_run_items::updated_at.eq(now),
        ))
        .execute(conn)?)
}

/// What a run would issue, computed without writing anything.
fn dry_run(
    conn: &mut PgConnection,
    ctx: &BatchContext<'_>,
    options: &RunOptions,
    issue_date: NaiveDate,
    progress: &dyn Progress,
) -> Result<Summary, InvoicingError> {
    let month = options.month;
    let ids: Vec<IdRow> = diesel::sql_query(format!(
        "SELECT s.id FROM {DUE_FROM} WHERE {DUE_CONDITION}
           AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.subscription_id = s.id AND i.billing_period = $1)
         ORDER BY s.id"
    ))
    .bind::<Text, _>(month.to_string())
    .bind::<Date, _>(month.end())
    .bind::<Date, _>(month.first_day())
    .bind::<Date, _>(issue_date)
    .bind::<diesel::sql_types::Integer, _>(ctx.billing.lead_days as i32)
    .load(conn)?;
    let ids: Vec<i64> = ids.into_iter().map(|r| r.id).collect();
    progress.started(ids.len() as u64);
    let catalog = Catalog::load(conn)?;
    let issue_ctx = ctx.issue_context(issue_date);
    let mut summary = Summary::default();
    let mut done = 0;
    for chunk in ids.chunks(options.chunk_size.max(1)) {
        for due in compose_chunk(conn, &catalog, &issue_ctx, month, chunk)? {
            match due {
                Ok(due) => match due.draft {
                    Some(draft) => {
                        summary.add(&draft);
                        summary.issued += 1;
                    }
                    None => summary.skipped += 1,
                },
                Err((id, error)) => summary.failed.push((id, error.to_string())),
            }
        }
        done += chunk.len() as u64;
        progress.advanced(done);
    }
    Ok(summary)
}

/// Formats totals for people: `EUR 1234 invoices net 1000.00 VAT 190.00 gross 1190.00`.
pub fn describe(summary: &Summary, dry_run: bool) -> String {
    let mut out = format!(
        "{} {} invoice(s), {} without anything to bill, {} failed, in {:.1} s\n",
        if dry_run { "would issue" } else { "issued" },
        summary.issued,
        summary.skipped,
        summary.failed.len(),
        summary.elapsed.as_secs_f64()
    );
    for (currency, t) in &summary.per_currency {
        let money = |amount| {
            Money::new(
                amount,
                iso_currency::Currency::from_code(currency).unwrap_or(iso_currency::Currency::EUR),
            )
        };
        out.push_str(&format!(
            "  {currency}: {} invoice(s), net {}, VAT {}, gross {}\n",
            t.invoices,
            money(t.net).round().amount(),
            money(t.vat).round().amount(),
            money(t.gross).round().amount()
        ));
    }
    if dry_run {
        for ((country, currency), gross) in &summary.per_vat_country {
            out.push_str(&format!("  customers in {country}: {currency} {gross} gross\n"));
        }
    }
    for (subscription, reason) in &summary.failed {
        out.push_str(&format!("  FAILED subscription {subscription}: {reason}\n"));
    }
    for (subscription, reason) in &summary.retry_later {
        out.push_str(&format!(
            "  NOT YET subscription {subscription} (tried again by the next run): {reason}\n"
        ));
    }
    if summary.unfinished > 0 {
        out.push_str(&format!(
            "  UNFINISHED: {} due subscription(s) are neither invoiced nor failed (held by another run, or failing for a passing reason); run again\n",
            summary.unfinished
        ));
    }
    out
}
