//! The server's background worker, outside any request: runs queued jobs, delivers queued
//! mail, advances subscriptions, sweeps PayPal events that waited for their capture, checks
//! business customers' VAT IDs with VIES when due, switches off settled closed accounts and
//! tidies rate-limit counters and old form submissions. It stops when its handle is dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::config::Settings;
use crate::db::PgPool;
use crate::mail::Mailer;

pub struct WorkerHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Connections of the server's worker, beside the requests' pool: one for a job, one for
/// mail and the minute's chores, two for the dunning run's worker.
pub const POOL_SIZE: u32 = 4;

/// How long a job's claim holds without a step: a worker silent for longer is taken for dead.
pub const LEASE_SECONDS: f64 = 60.0;

/// Forgets form submissions old enough that no page with their key is open any more: the web's
/// own table, so the web hands the worker its function (`web::purge_submissions`).
pub type PurgeSubmissions =
    fn(&mut diesel::PgConnection, chrono::DateTime<chrono::Utc>) -> diesel::QueryResult<usize>;

/// Runs the worker; `mailer` is built by the caller (`Mailer::new(&settings.mail_delivery())`).
pub fn spawn(
    pool: PgPool,
    settings: Settings,
    mut mailer: Mailer,
    purge_submissions: PurgeSubmissions,
) -> std::io::Result<WorkerHandle> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::Builder::new().name("kontor-worker".to_owned()).spawn(move || {
        // Background work yields the CPU to requests (KONTOR_BATCH_NICE).
        if let Err(error) = crate::priority::lower_this_thread(settings.batch_nice) {
            tracing::warn!(%error, "could not lower the worker's priority");
        }
        let mut rounds: u64 = 0;
        while !flag.load(Ordering::Relaxed) {
            let context = super::run::Context {
                site: settings.site(),
                seller: settings.billing().seller,
                now: settings.clock.now(),
                lease_seconds: LEASE_SECONDS,
            };
            match super::run::run_next(&pool, &context) {
                Ok(Some((job, ran))) => tracing::info!(job, ?ran, "job run"),
                Ok(None) => {}
                Err(error) => tracing::error!(error = %crate::failure::cause_chain(&error), "running a job"),
            }
            if let Ok(mut conn) = pool.get() {
                match mailer.deliver_due(&mut conn, settings.clock.now(), 100) {
                    Ok(report) if !report.is_empty() => {
                        let (sent, retrying, failed) = (report.sent, report.retrying, report.failed);
                        tracing::info!(sent, retrying, failed, "mail delivered");
                    }
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "mail delivery"),
                }
                if rounds.is_multiple_of(60) {
                    if let Err(error) = crate::rate_limit::purge(&mut conn, settings.clock.now()) {
                        tracing::warn!(%error, "purging rate-limit counters");
                    }
                    if let Err(error) = purge_submissions(&mut conn, settings.clock.now()) {
                        tracing::warn!(%error, "purging old form submissions");
                    }
                    if let Err(error) = crate::incidents::subscribers::purge(&mut conn, settings.clock.now())
                    {
                        tracing::warn!(%error, "purging dead requests to follow the status page");
                    }
                    match crate::subscriptions::advance::advance(
                        &mut conn,
                        &settings.billing(),
                        settings.clock.now(),
                    ) {
                        Ok(report) if report != Default::default() => {
                            tracing::info!(?report, "subscriptions advanced")
                        }
                        Ok(_) => {}
                        Err(error) => tracing::error!(%error, "advancing subscriptions"),
                    }
                    if let Err(error) = crate::payments::paypal::webhooks::sweep_waiting(
                        &mut conn,
                        &settings.billing(),
                        &settings.publishing(),
                        settings.clock.now(),
                    ) {
                        tracing::error!(%error, "processing waiting PayPal events");
                    }
                    // Idempotent: the first round of a day sends that day's notices, the others
                    // find them sent.
                    match super::dunning::run_configured(
                        &settings,
                        &pool,
                        super::dunning::RunOptions::daily(),
                    ) {
                        Ok(summary) if !summary.sent.is_empty() || summary.reactivated > 0 => {
                            let (sent, reactivated) = (summary.sent.len(), summary.reactivated);
                            tracing::info!(sent, reactivated, "dunning notices sent")
                        }
                        Ok(_) => {}
                        Err(error) => {
                            tracing::error!(error = %crate::failure::cause_chain(&error), "dunning run")
                        }
                    }
                    // Each minute finds whoever is due: unanswered checks after an hour, and
                    // everyone in the last days of a quarter (`tax::vies::recheck`).
                    let scope = super::vat_ids::due_scope(&settings);
                    match super::vat_ids::run_configured(
                        &settings,
                        &pool,
                        scope,
                        Some(super::vat_ids::PER_ROUND),
                        |_, _, _, _| {},
                    ) {
                        Ok(summary) if summary != Default::default() => {
                            let (valid, invalid, unavailable) =
                                (summary.valid, summary.invalid, summary.unavailable);
                            tracing::info!(valid, invalid, unavailable, "VAT IDs checked with VIES")
                        }
                        Ok(_) => {}
                        Err(error) => {
                            tracing::error!(error = %crate::failure::cause_chain(&error), "checking VAT IDs")
                        }
                    }
                    match crate::closing::disable_settled(&mut conn, settings.clock.now()) {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(accounts = n, "closed accounts settled, log-ins switched off")
                        }
                        Err(error) => tracing::error!(%error, "switching off settled closed accounts"),
                    }
                }
            }
            rounds = rounds.wrapping_add(1);
            // Short sleeps so a stop request is honoured quickly.
            for _ in 0..10 {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    })?;
    Ok(WorkerHandle { stop, thread: Some(thread) })
}
