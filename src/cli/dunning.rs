//! `kontor dunning run`: the daily dunning run on the command line.

use clap::Subcommand;

use super::{CliError, open_migrated};
use crate::config::Settings;

#[derive(Subcommand)]
pub(super) enum DunningCommand {
    /// Send every notice due today (one per level per invoice, however often it runs).
    Run {
        /// Only list what would be sent.
        #[arg(long)]
        dry_run: bool,
        /// Run as on this day (YYYY-MM-DD), e.g. to walk the ladder in the demo.
        #[arg(long)]
        today: Option<String>,
        /// Threads sharing the customers.
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Notices committed together in one transaction.
        #[arg(long, default_value_t = crate::collections::run::DEFAULT_CHUNK)]
        chunk: usize,
        /// Print where the run spent its time, per phase.
        #[arg(long)]
        profile: bool,
    },
    /// Write the claims handed over to a collection agency as CSV (to standard output).
    Claims,
}

pub(super) fn dunning(command: DunningCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        DunningCommand::Run { dry_run, today, workers, chunk, profile } => {
            let today = today.as_deref().map(crate::collections::parse_day).transpose()?;
            let database = open_migrated(settings)?;
            let timings = crate::collections::profile::Profile::default();
            let options = crate::jobs::dunning::RunOptions {
                today,
                dry_run,
                workers,
                chunk,
                profile: profile.then_some(&timings),
            };
            let summary = crate::jobs::dunning::run_configured(settings, &database.pool, options)?;
            let verb = if dry_run { "would send" } else { "sent" };
            for sent in &summary.sent {
                println!(
                    "{verb}\tinvoice {}\tcustomer {}\tlevel {} ({})\tfee {}\tinterest {}",
                    sent.invoice,
                    sent.customer_id,
                    sent.level,
                    sent.action.as_str(),
                    sent.fee,
                    sent.interest
                );
            }
            println!(
                "{} overdue invoice(s); {verb} {} notice(s); {} already sent; {} suspended; {} reactivated; {} trial-end reminder(s)",
                summary.overdue,
                summary.sent.len(),
                summary.already_sent,
                summary.suspended,
                summary.reactivated,
                summary.trial_reminders
            );
            if profile {
                println!("time per phase, summed over workers: {}", timings.line());
            }
            Ok(())
        }
        DunningCommand::Claims => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(crate::db::DbError::from)?;
            let count = crate::collections::termination::export_claims(&mut conn, std::io::stdout().lock())?;
            eprintln!("{count} claim(s)");
            Ok(())
        }
    }
}
