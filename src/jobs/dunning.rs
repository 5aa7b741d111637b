//! The dunning run as the edges start it (the command line, the worker, the demo): with the
//! configured documents and payment terms, at the clock's today or a given day; then the
//! trial-end reminders of the day.

use chrono::NaiveDate;

use crate::collections::CollectionsError;
use crate::collections::run::{RunContext, Summary, run};
use crate::config::Settings;

pub fn run_configured(
    settings: &Settings,
    pool: &crate::db::PgPool,
    today: Option<NaiveDate>,
    dry_run: bool,
    workers: usize,
) -> Result<Summary, CollectionsError> {
    let publishing = settings.publishing();
    let billing = settings.billing();
    let ctx = RunContext {
        publishing: &publishing,
        billing: &billing,
        payment_days: settings.payment_terms_days,
        today: today.unwrap_or_else(|| settings.clock.today()),
        now: settings.clock.now(),
        dry_run,
    };
    let mut summary = run(pool, &ctx, workers)?;
    if !dry_run {
        let mut conn = pool.get().map_err(CollectionsError::Pool)?;
        summary.trial_reminders =
            crate::collections::trial_end::remind(&mut conn, &billing, &publishing.site, ctx.today, ctx.now)?;
    }
    Ok(summary)
}
