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
    },
    /// Write the claims handed over to a collection agency as CSV (to standard output).
    Claims,
}

pub(super) fn dunning(command: DunningCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        DunningCommand::Run { dry_run, today, workers } => {
            let today = today.as_deref().map(crate::collections::parse_day).transpose()?;
            let database = open_migrated(settings)?;
            let summary =
                crate::jobs::dunning::run_configured(settings, &database.pool, today, dry_run, workers)?;
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
