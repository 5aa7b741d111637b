//! `kontor` commands: subscriptions, the catalog, the billing run and invoices.

use clap::Subcommand;
use diesel::prelude::*;

use super::{CliError, open_migrated, require_own_seller};
use crate::config::Settings;
use crate::db::DbError;

#[derive(Subcommand)]
pub(super) enum SubscriptionsCommand {
    /// Apply what is due today: free months ending, cancellations and pack changes taking
    /// effect (idempotent; run daily from cron, the server also runs it every minute).
    Advance,
}

#[derive(Subcommand)]
pub(super) enum CatalogCommand {
    /// List plans and packs with their prices.
    List,
    /// Add a monthly price that applies from a future date (from the first period starting then).
    Price {
        #[arg(long)]
        plan: String,
        #[arg(long)]
        currency: String,
        /// The monthly amount, e.g. 1.20
        #[arg(long)]
        amount: String,
        /// YYYY-MM-DD, after today.
        #[arg(long)]
        from: chrono::NaiveDate,
    },
}

#[derive(Subcommand)]
pub(super) enum BillingCommand {
    /// Issue every invoice due in a month. Safe to run again, to kill, and to run on several
    /// machines at once.
    /// Invoice every period that has begun (or begins within KONTOR_BILLING_LEAD_DAYS) and is
    /// not invoiced yet, catching up on any day the run did not happen. Run it daily.
    Run {
        /// YYYY-MM: only the periods starting in this month (default: every month up to today)
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Subscriptions per transaction.
        #[arg(long, default_value_t = 500)]
        chunk: usize,
        /// Show what would be issued; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Seconds to wait at the end for subscriptions another run (or a killed run's
        /// connection) still holds; then exit 3 if any are left.
        #[arg(long, default_value_t = 60)]
        lock_wait: u64,
    },
    /// List the subscriptions the batch could not invoice for good, with the reason.
    Failures {
        /// YYYY-MM (default: every period)
        #[arg(long)]
        period: Option<String>,
    },
    /// Put failed subscriptions of a period back on the work list (all, or --subscription);
    /// the next `billing run` tries them again.
    Retry {
        /// YYYY-MM
        #[arg(long)]
        period: String,
        #[arg(long)]
        subscription: Option<i64>,
    },
}

#[derive(Subcommand)]
pub(super) enum InvoiceCommand {
    /// List invoices and credit notes.
    List {
        /// YYYY-MM
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value = "csv")]
        format: String,
    },
    /// Write the stored PDF of an invoice or credit note, exactly as it was sent.
    Pdf {
        number: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Issue a credit note for an invoice (all of it, or --amount gross).
    Credit {
        number: String,
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        reason: String,
    },
}

pub(super) fn subscriptions(command: SubscriptionsCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        SubscriptionsCommand::Advance => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let report =
                crate::subscriptions::advance::advance(&mut conn, &settings.billing(), settings.clock.now())?;
            let settled = crate::closing::disable_settled(&mut conn, settings.clock.now())?;
            println!(
                "free months converted: {}, subscriptions ended: {}, packs started: {}, packs ended: {}, \
                 closed accounts settled: {settled}",
                report.trials_converted, report.subscriptions_ended, report.packs_started, report.packs_ended
            );
            Ok(())
        }
    }
}

pub(super) fn catalog(command: CatalogCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        CatalogCommand::List => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            print!("{}", crate::catalog::listing(&mut conn)?);
            Ok(())
        }
        CatalogCommand::Price { plan, currency, amount, from } => {
            let currency = iso_currency::Currency::from_code(&currency.to_uppercase())
                .ok_or_else(|| CliError::Usage(format!("{currency:?} is not a currency code")))?;
            let amount = crate::money::Money::parse(&amount, currency)
                .map_err(|e| CliError::Usage(format!("amount {amount:?}: {e}")))?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let now = settings.clock.now();
            let today = settings.billing().today(now);
            conn.transaction(|conn| crate::catalog::add_price(conn, &plan, amount, from, today, None, now))?;
            println!(
                "{plan}: {amount} a month from {from} (applies from the first period starting on or after it)"
            );
            Ok(())
        }
    }
}

pub(super) fn billing(command: BillingCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        BillingCommand::Run { period, workers, chunk, dry_run, lock_wait } => {
            let catch_up = period.is_none();
            let month = match period {
                Some(period) => period.parse()?,
                None => crate::jobs::billing::last_month_due(settings),
            };
            if !dry_run {
                require_own_seller(settings)?;
            }
            let database = open_migrated(settings)?;
            // The run's workers and renderers inherit this thread's priority: a portal on the
            // same machine answers first (KONTOR_BATCH_NICE).
            if let Err(error) = crate::priority::lower_this_thread(settings.batch_nice) {
                tracing::warn!(%error, "could not lower the billing run's priority");
            }
            let pool = database
                .batch_pool(settings.db_pool_size.max(2 * workers as u32 + 1), settings.batch_nice)?;
            let options = crate::invoicing::batch::RunOptions {
                month,
                catch_up,
                workers,
                chunk_size: chunk,
                dry_run,
                lock_wait: std::time::Duration::from_secs(lock_wait),
            };
            let reporter = crate::invoicing::progress::Reporter::for_stderr();
            let summary = crate::jobs::billing::run_configured(settings, &pool, &options, &reporter);
            reporter.finish();
            let summary = summary?;
            print!("{}", crate::invoicing::batch::describe(&summary, dry_run));
            if summary.unfinished > 0 {
                Err(CliError::BatchUnfinished(summary.unfinished))
            } else if !summary.failed.is_empty() {
                Err(CliError::BatchFailures(summary.failed.len()))
            } else {
                Ok(())
            }
        }
        BillingCommand::Failures { period } => {
            let month = period.map(|p| p.parse::<crate::invoicing::BillingMonth>()).transpose()?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let failures = crate::invoicing::batch::failures(&mut conn, month)?;
            println!("period,subscription,customer,attempts,failed_at,reason");
            for f in &failures {
                println!(
                    "{},{},{},{},{},{:?}",
                    f.period,
                    f.subscription_id,
                    crate::invoicing::customer_number(f.customer_id),
                    f.attempts,
                    f.failed_at.map(|at| at.to_rfc3339()).unwrap_or_default(),
                    f.reason
                );
            }
            eprintln!("{} failed subscription(s)", failures.len());
            Ok(())
        }
        BillingCommand::Retry { period, subscription } => {
            let month: crate::invoicing::BillingMonth = period.parse()?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let now = settings.clock.now();
            let queued =
                conn.transaction(|c| crate::invoicing::batch::retry_failed(c, month, subscription, now))?;
            println!(
                "{queued} failed subscription(s) of {month} queued again; run `kontor billing run --period {month}`"
            );
            Ok(())
        }
    }
}

pub(super) fn invoice(command: InvoiceCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        InvoiceCommand::List { period, format } => {
            if format != "csv" {
                return Err(CliError::Usage(format!("--format {format:?}: only csv is supported")));
            }
            let period = period
                .map(|p| p.parse::<crate::invoicing::BillingMonth>().map(|m| m.to_string()))
                .transpose()?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let filter = crate::invoicing::queries::Filter { period, ..Default::default() };
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let export = crate::reports::invoice_list::write_csv(
                &mut conn,
                &filter,
                settings.clock.today(),
                stdout,
                crate::reports::invoice_list::PAGE_SIZE,
            );
            export?;
            Ok(())
        }
        InvoiceCommand::Pdf { number, out } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let document = crate::documents::store::pdf_of(&mut conn, &number, None)?;
            std::fs::write(&out, &document.content)
                .map_err(|e| CliError::Usage(format!("{}: {e}", out.display())))?;
            println!(
                "{} ({} bytes, SHA-256 {}) written to {}",
                document.file_name,
                document.content.len(),
                document.sha256_hex(),
                out.display()
            );
            Ok(())
        }
        InvoiceCommand::Credit { number, amount, reason } => {
            require_own_seller(settings)?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let (billing, publishing) = (settings.billing(), settings.publishing());
            let (actor, now) = (crate::audit::Actor::system("cli"), settings.clock.now());
            let amount_text = amount.clone().unwrap_or_default();
            let issued = conn.transaction(|c| {
                crate::invoicing::credit_note::credit_invoice(
                    c,
                    &billing,
                    &publishing,
                    &number,
                    &amount_text,
                    &reason,
                    &actor,
                    now,
                )
            });
            let issued = match issued {
                Ok(issued) => issued,
                Err(crate::invoicing::InvoicingError::UnknownInvoice(_)) => {
                    return Err(CliError::Usage(format!("no invoice {number}")));
                }
                Err(crate::invoicing::InvoicingError::BadAmount(e)) => {
                    return Err(CliError::Usage(format!("amount {:?}: {e}", amount_text)));
                }
                Err(e) => return Err(e.into()),
            };
            println!("credit note {} for {number}: {}", issued.number, issued.gross);
            Ok(())
        }
    }
}
