//! The dunning run as the edges start it (the command line, the worker, the demo): with the
//! configured documents and payment terms, at the clock's today or a given day.

use chrono::NaiveDate;

use crate::collections::CollectionsError;
use crate::collections::run::{RunContext, Summary, run};
use crate::config::Settings;

pub fn run_configured(
    settings: &Settings,
    pool: &crate::db::PgPool,
    today: Option<NaiveDate>,
    dry_run: bool,
) -> Result<Summary, CollectionsError> {
    let publishing = settings.publishing();
    let ctx = RunContext {
        publishing: &publishing,
        payment_days: settings.payment_terms_days,
        today: today.unwrap_or_else(|| settings.clock.today()),
        now: settings.clock.now(),
        dry_run,
    };
    run(pool, &ctx)
}
