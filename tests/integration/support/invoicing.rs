//! Shared test helpers of the invoicing capability: what its tests and other capabilities' tests use.

use crate::support::TestDb;
use chrono::Utc;

pub const PERIOD: &str = "2026-12";

pub fn seed(db: &TestDb, customers: i64) {
    let made = kontor::seed::customers(&mut db.conn(), customers, PERIOD.parse().unwrap()).unwrap();
    assert_eq!(made, customers);
}

pub fn run_batch(db: &TestDb, month: &str, now: chrono::DateTime<Utc>) -> kontor::invoicing::batch::Summary {
    run_batch_leading(db, month, now, 0)
}

/// A run that may invoice periods `lead_days` before they begin.
pub fn run_batch_leading(
    db: &TestDb,
    month: &str,
    now: chrono::DateTime<Utc>,
    lead_days: u32,
) -> kontor::invoicing::batch::Summary {
    run_batch_with(db, month.parse().unwrap(), false, now, lead_days)
}

/// The daily run: every month up to today (and the lead) with something unbilled.
pub fn run_daily(
    db: &TestDb,
    now: chrono::DateTime<Utc>,
    lead_days: u32,
) -> kontor::invoicing::batch::Summary {
    let today = kontor::subscriptions::period::local_date(now, chrono_tz::Europe::Berlin);
    let month = kontor::invoicing::BillingMonth::containing(today + chrono::Days::new(lead_days.into()));
    run_batch_with(db, month, true, now, lead_days)
}

pub fn run_batch_with(
    db: &TestDb,
    month: kontor::invoicing::BillingMonth,
    catch_up: bool,
    now: chrono::DateTime<Utc>,
    lead_days: u32,
) -> kontor::invoicing::batch::Summary {
    let mut settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    settings.billing_lead_days = lead_days;
    let run = Run { month, catch_up, workers: 1, chunk_size: 50 };
    run_batch_as(db, &settings, now, &run)
}

/// How a test runs the batch.
pub struct Run {
    pub month: kontor::invoicing::BillingMonth,
    pub catch_up: bool,
    pub workers: usize,
    pub chunk_size: usize,
}

impl Run {
    /// December's run (`PERIOD`), one worker, chunks of 50.
    pub fn december() -> Run {
        Run { month: PERIOD.parse().unwrap(), catch_up: false, workers: 1, chunk_size: 50 }
    }
}

/// The batch with `settings` (its seller, accounts and lead) at `now`, 14 days to pay.
pub fn run_batch_as(
    db: &TestDb,
    settings: &kontor::config::Settings,
    now: chrono::DateTime<Utc>,
    run: &Run,
) -> kontor::invoicing::batch::Summary {
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
        month: run.month,
        catch_up: run.catch_up,
        workers: run.workers,
        chunk_size: run.chunk_size,
        dry_run: false,
        lock_wait: kontor::invoicing::batch::LOCK_WAIT,
    };
    kontor::invoicing::batch::run(&db.pool(), &ctx, &options, &kontor::invoicing::progress::Reporter::Silent)
        .unwrap()
}
