//! `kontor` commands for money coming in: bank statements and the reconciliation queue, SEPA
//! exports, PayPal.

use clap::Subcommand;

use super::{CliError, open_migrated, require_own_seller};
use crate::config::Settings;
use crate::db::DbError;

#[derive(Subcommand)]
pub(super) enum BankCommand {
    /// Import camt.053 / camt.054 files: each file is booked completely or not at all, and a
    /// movement already imported is never booked again.
    Import {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// List the transactions waiting in the reconciliation queue, with suggestions.
    Queue {
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Assign a queued transaction to invoices (--invoice, repeatable) or to a customer's
    /// credit (--customer ID). Audited; undo it in the back office.
    Assign {
        id: i64,
        #[arg(long)]
        invoice: Vec<String>,
        #[arg(long)]
        customer: Option<i64>,
    },
}

#[derive(Subcommand)]
pub(super) enum SepaCommand {
    /// Write a pain.008.001.08 file (.02 with KONTOR_SEPA_PAIN008_VERSION=02) of every open
    /// EUR invoice due by the collection date of customers with an active mandate, and mark
    /// them as collection pending (a second export never includes them again). Writes no file
    /// when nothing is due.
    Export {
        #[arg(long)]
        collection_date: chrono::NaiveDate,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Write the pain.008 file of an export again, byte for byte, from the database.
    File {
        export_id: i64,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub(super) enum PaypalCommand {
    /// Process webhook events (refunds, chargebacks) still waiting for a capture that is
    /// booked by now (the server's worker does it every minute).
    Sweep,
}

pub(super) fn bank_command(settings: &Settings, command: BankCommand) -> Result<(), CliError> {
    use crate::payments::bank::{import_file, queue};
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    match command {
        BankCommand::Import { files } => {
            let returns = settings.sepa_returns();
            let accounts = settings.own_bank_accounts();
            for file in files {
                let bar = indicatif::ProgressBar::new_spinner();
                if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
                }
                let show = |read: u64| bar.set_message(format!("{}: {read} entries read", file.display()));
                let request = crate::payments::bank::ImportRequest {
                    file_name: "",
                    actor: None,
                    now: settings.clock.now(),
                    returns: &returns,
                    accounts: &accounts,
                };
                let summary =
                    import_file(&mut conn, &file, &request, &crate::audit::Actor::command_line(), &show);
                bar.finish_and_clear();
                let s = summary.map_err(|e| {
                    CliError::Usage(format!("{}: refused, nothing booked: {e}", file.display()))
                })?;
                println!(
                    "{}: {} entries read, {} new transactions: {} paid, {} partly paid, {} overpaid, {} unmatched (in the reconciliation queue); {} already imported, {} returned, {} ignored, {} not booked yet; payouts: {} paid out, {} returned by the bank",
                    file.display(),
                    s.entries_read,
                    s.new_transactions,
                    s.paid,
                    s.partly_paid,
                    s.overpaid,
                    s.unmatched,
                    s.already_imported,
                    s.returned,
                    s.ignored,
                    s.not_booked,
                    s.paid_out,
                    s.payouts_returned
                );
            }
            Ok(())
        }
        BankCommand::Queue { limit } => {
            let stdout = std::io::stdout().lock();
            queue::write_csv(&mut conn, std::io::BufWriter::new(stdout), limit, 1_000)?;
            Ok(())
        }
        BankCommand::Assign { id, invoice, customer } => {
            let target = match (invoice.is_empty(), customer) {
                (false, None) => queue::Target::Invoices(invoice),
                (true, Some(customer)) => queue::Target::Credit(customer),
                _ => {
                    return Err(CliError::Usage(
                        "give --invoice (repeatable) or --customer, not both".to_owned(),
                    ));
                }
            };
            let actor = crate::audit::Actor::system("cli");
            let applied =
                queue::assign(&mut conn, &settings.site(), id, &target, &actor, settings.clock.now())?;
            let paid: Vec<String> = applied
                .paid
                .iter()
                .map(|(invoice, amount)| format!("invoice id {invoice}: {amount}"))
                .collect();
            println!("assigned: {}; to customer credit: {}", paid.join(", "), applied.to_credit);
            Ok(())
        }
    }
}

pub(super) fn sepa(command: SepaCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        SepaCommand::Export { collection_date, out } => {
            require_own_seller(settings)?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let now = settings.clock.now();
            let summary = crate::payments::sepa::export::export_to_file(
                &mut conn,
                &settings.sepa_export(),
                collection_date,
                settings.billing().today(now),
                now,
                &out,
            )
            .map_err(|e| match e {
                e @ crate::payments::sepa::SepaError::FileNotWritten { .. } => {
                    CliError::Usage(format!("sepa export: {e}"))
                }
                e => CliError::Usage(format!("sepa export: nothing exported: {e}")),
            })?;
            match &summary.message_id {
                None => println!("nothing to collect by {collection_date}; no file written"),
                Some(message_id) => println!(
                    "{}: {message_id}, {} collections ({} FRST, {} RCUR), {} EUR, collection date {collection_date}",
                    out.display(),
                    summary.count,
                    summary.first,
                    summary.recurring,
                    summary.control_sum
                ),
            }
            Ok(())
        }
        SepaCommand::File { export_id, out } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let message_id = crate::payments::sepa::export::write_file(&mut conn, export_id, &out)
                .map_err(|e| CliError::Usage(format!("sepa file: {e}")))?;
            println!("{}: {message_id} (export {export_id})", out.display());
            Ok(())
        }
    }
}

pub(super) fn paypal(command: PaypalCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        PaypalCommand::Sweep => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let swept = crate::payments::paypal::webhooks::sweep_waiting(
                &mut conn,
                &settings.billing(),
                &settings.publishing(),
                settings.clock.now(),
            )
            .map_err(|e| CliError::Usage(format!("paypal sweep: {e}")))?;
            println!("{swept} capture(s) had webhook events waiting; processed");
            Ok(())
        }
    }
}
