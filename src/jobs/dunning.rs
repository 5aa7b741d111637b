//! The dunning run as the edges start it (the command line, the worker, the demo): with the
//! configured documents and payment terms, at the clock's today or a given day; then the
//! trial-end reminders of the day.

use chrono::NaiveDate;

use crate::collections::CollectionsError;
use crate::collections::profile::Profile;
use crate::collections::run::{DEFAULT_CHUNK, RunContext, Summary, run};
use crate::config::Settings;

/// How the edges ask for a run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The clock's today when `None`.
    pub today: Option<NaiveDate>,
    pub dry_run: bool,
    /// Threads sharing the customers.
    pub workers: usize,
    /// Notices per transaction.
    pub chunk: usize,
    pub profile: Option<&'a Profile>,
}

impl RunOptions<'_> {
    /// The worker's daily run: today, one thread, chunks of the default size.
    pub fn daily() -> Self {
        RunOptions { today: None, dry_run: false, workers: 1, chunk: DEFAULT_CHUNK, profile: None }
    }
}

pub fn run_configured(
    settings: &Settings,
    pool: &crate::db::PgPool,
    options: RunOptions<'_>,
) -> Result<Summary, CollectionsError> {
    let RunOptions { today, dry_run, workers, chunk, profile } = options;
    let publishing = settings.publishing();
    let billing = settings.billing();
    let now = settings.clock.now();
    let close_account = crate::closing::for_dunning(&billing, &publishing.site, now);
    let ctx = RunContext {
        publishing: &publishing,
        close_account: &close_account,
        payment_days: settings.payment_terms_days,
        today: today.unwrap_or_else(|| settings.clock.today()),
        now,
        dry_run,
        chunk,
        profile,
    };
    let mut summary = run(pool, &ctx, workers)?;
    if !dry_run {
        let mut conn = pool.get().map_err(CollectionsError::Pool)?;
        summary.trial_reminders =
            crate::collections::trial_end::remind(&mut conn, &billing, &publishing.site, ctx.today, ctx.now)?;
    }
    Ok(summary)
}
