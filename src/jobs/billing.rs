//! The billing run as the edges start it (the command line, the demo, the benchmarks): the
//! batch with the configured seller, payment terms, documents and clock.

use crate::config::Settings;
use crate::invoicing::batch::{BatchContext, RunOptions, Summary, run};
use crate::invoicing::progress::Reporter;
use crate::invoicing::{BillingMonth, InvoicingError};

/// The month of the latest period a run today may invoice: today's, or the next one's when the
/// configured lead reaches into it.
pub fn last_month_due(settings: &Settings) -> BillingMonth {
    let lead = chrono::Days::new(u64::from(settings.billing_lead_days));
    BillingMonth::containing(settings.clock.today() + lead)
}

/// Runs the batch with the configured seller, payment terms and documents, at the clock's now.
pub fn run_configured(
    settings: &Settings,
    pool: &crate::db::PgPool,
    options: &RunOptions,
    reporter: &Reporter,
) -> Result<Summary, InvoicingError> {
    let billing = settings.billing();
    let publishing = settings.publishing();
    let ctx = BatchContext {
        billing: &billing,
        seller: &settings.seller,
        payment_terms_days: settings.payment_terms_days,
        publishing: &publishing,
        now: settings.clock.now(),
    };
    run(pool, &ctx, options, reporter)
}
