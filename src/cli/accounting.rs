//! `kontor` commands for finance's month end: ECB rates, VAT returns, month close, the DATEV
//! export and journal CSV, the trial balance.

use std::io::Write;

use clap::Subcommand;

use super::{CliError, open_migrated};
use crate::accounting::{self, AccountingError, Quarter, datev, fx, period, vat_return};
use crate::config::Settings;
use crate::db::DbError;

#[derive(Subcommand)]
pub(super) enum FxCommand {
    /// Import ECB euro reference rates from the ECB's eurofxref XML (daily, 90 days or
    /// history); importing a file again adds nothing. `assets/ecb/eurofxref-sample.xml` is a sample.
    Import { file: std::path::PathBuf },
}

#[derive(Subcommand)]
pub(super) enum VatCommand {
    /// The OSS return of a quarter (e.g. 2026-Q4) as CSV: supplies per member state and rate in
    /// EUR, corrections of earlier quarters, the total.
    Oss {
        #[arg(long)]
        quarter: String,
    },
    /// Domestic VAT of a month (e.g. 2026-11) as CSV.
    Domestic {
        #[arg(long)]
        month: String,
    },
    /// VAT of the registrations outside the EU (KONTOR_VAT_REGISTRATIONS) for a quarter, in
    /// their currencies, as CSV.
    Local {
        #[arg(long)]
        quarter: String,
    },
    /// Check business customers' EU VAT IDs with VIES (KONTOR_VIES_URL), one line per check:
    /// every open account with one, or with --before-quarter only those due (no check since
    /// the last days of the quarter began, never checked, or unanswered for an hour), as the
    /// server's worker does every day. Reverse charge follows the latest answer.
    CheckIds {
        #[arg(long)]
        before_quarter: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum MonthCommand {
    /// The month-close checklist of a month (e.g. 2026-11).
    Checklist { month: String },
    /// Close a month: PostgreSQL refuses every journal entry dated in it from then on.
    Close {
        month: String,
        /// Why suspense is not empty, if it is not.
        #[arg(long, default_value = "")]
        explanation: String,
    },
    /// Reopen a closed month (as an admin would, with a reason; audited).
    Reopen {
        month: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub(super) enum ExportCommand {
    /// The DATEV Buchungsstapel (EXTF 700) of a closed month, in KONTOR_DATEV_CHART.
    Datev {
        #[arg(long)]
        month: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// The journal of a month as plain CSV (one row per posting).
    Journal {
        #[arg(long)]
        month: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

fn failed(error: AccountingError) -> CliError {
    CliError::Usage(error.to_string())
}

pub(super) fn fx(command: FxCommand, settings: &Settings) -> Result<(), CliError> {
    let FxCommand::Import { file } = command;
    let xml = std::fs::read_to_string(&file)?;
    let rates = fx::parse(&xml).map_err(failed)?;
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let added = fx::import(&mut conn, &rates).map_err(failed)?;
    println!("{} rate(s) read, {added} new", rates.len());
    Ok(())
}

pub(super) fn vat(command: VatCommand, settings: &Settings) -> Result<(), CliError> {
    let database = open_migrated(settings)?;
    if let VatCommand::CheckIds { before_quarter } = command {
        return check_ids(settings, &database.pool, before_quarter);
    }
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let stdout = std::io::stdout();
    match command {
        VatCommand::Oss { quarter } => {
            let quarter: Quarter = quarter.parse().map_err(failed)?;
            let oss = vat_return::oss(&mut conn, quarter, settings.seller_country.code()).map_err(failed)?;
            vat_return::oss_csv(&oss, stdout.lock()).map_err(failed)?;
        }
        VatCommand::Domestic { month } => {
            let month = accounting::parse_month(&month).map_err(failed)?;
            let lines = vat_return::in_own_currency(
                &mut conn,
                vat_return::Treatment::Domestic,
                month.first_day(),
                month.end(),
            )
            .map_err(failed)?;
            print_lines(&lines, &month.to_string())?;
        }
        VatCommand::Local { quarter } => {
            let quarter: Quarter = quarter.parse().map_err(failed)?;
            let lines = vat_return::in_own_currency(
                &mut conn,
                vat_return::Treatment::Local,
                quarter.first_day(),
                quarter.end(),
            )
            .map_err(failed)?;
            let registered: Vec<&str> = settings.vat_registrations.iter().map(|c| c.code()).collect();
            let lines: Vec<_> =
                lines.into_iter().filter(|l| registered.contains(&l.country.as_str())).collect();
            print_lines(&lines, &quarter.to_string())?;
        }
        VatCommand::CheckIds { .. } => {}
    }
    Ok(())
}

fn check_ids(settings: &Settings, pool: &crate::db::PgPool, before_quarter: bool) -> Result<(), CliError> {
    use crate::tax::vies::recheck::Scope;
    let scope = if before_quarter { crate::jobs::vat_ids::due_scope(settings) } else { Scope::All };
    let summary =
        crate::jobs::vat_ids::run_configured(settings, pool, scope, None, |n, total, business, answer| {
            let why = answer.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            println!(
                "[{n}/{total}] customer {} {}: {}{why}",
                business.customer.0,
                business.vat_id,
                answer.verdict.as_str()
            );
        })
        .map_err(|e| CliError::Usage(crate::failure::cause_chain(&e)))?;
    println!(
        "{} VAT ID(s) checked: {} valid, {} invalid, {} unavailable",
        summary.valid + summary.invalid + summary.unavailable,
        summary.valid,
        summary.invalid,
        summary.unavailable
    );
    if summary.unavailable > 0 {
        println!(
            "VIES gave no answer for some: they are asked again (the worker, or `kontor vat check-ids --before-quarter`)."
        );
    }
    Ok(())
}

fn print_lines(lines: &[vat_return::VatLine], period: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "period,country,rate,currency,taxable,vat")?;
    for line in lines {
        writeln!(
            out,
            "{period},{},{},{},{:.2},{:.2}",
            line.country, line.rate, line.currency, line.taxable, line.vat
        )?;
    }
    Ok(())
}

pub(super) fn month(command: MonthCommand, settings: &Settings) -> Result<(), CliError> {
    use diesel::Connection;
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let zone = settings.time_zone;
    let actor = crate::audit::Actor::command_line();
    match command {
        MonthCommand::Checklist { month } => {
            let month = accounting::parse_month(&month).map_err(failed)?;
            let list = period::checklist(&mut conn, month, zone).map_err(failed)?;
            for item in &list.items {
                println!("{:<12} {:<14} {}", item.name, item.state.as_str(), item.detail);
            }
            match list.closed {
                Some(at) => println!("{month} is closed (since {at})"),
                None => println!("{month} is open"),
            }
        }
        MonthCommand::Close { month, explanation } => {
            let month = accounting::parse_month(&month).map_err(failed)?;
            let list = period::checklist(&mut conn, month, zone).map_err(failed)?;
            if !list.ready(!explanation.trim().is_empty()) {
                let open: Vec<&str> = list
                    .items
                    .iter()
                    .filter(|i| i.state == period::CheckState::Open)
                    .map(|i| i.name)
                    .collect();
                return Err(CliError::Usage(format!(
                    "{month} is not ready to close: {} (see `kontor month checklist {month}`; suspense needs --explanation)",
                    open.join(", ")
                )));
            }
            let closing =
                period::Closing { zone, actor: &actor, explanation: &explanation, now: settings.clock.now() };
            let closed = conn.transaction(|conn| period::close(conn, month, &closing)).map_err(failed)?;
            println!("{month} {}", if closed { "closed" } else { "was closed already" });
        }
        MonthCommand::Reopen { month, reason } => {
            let month = accounting::parse_month(&month).map_err(failed)?;
            conn.transaction(|conn| {
                period::reopen(conn, month, crate::accounts::Role::Admin, &reason, &actor)
            })
            .map_err(failed)?;
            println!("{month} reopened");
        }
    }
    Ok(())
}

pub(super) fn export(command: ExportCommand, settings: &Settings) -> Result<(), CliError> {
    use diesel::Connection;
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    match command {
        ExportCommand::Datev { month, out } => {
            let month = accounting::parse_month(&month).map_err(failed)?;
            let options = datev_options(settings);
            let file = std::fs::File::create(&out)?;
            let exported =
                conn.transaction(|conn| datev::export(conn, month, &options, file)).map_err(failed)?;
            println!("{}: {} entries, {} bookings", out.display(), exported.entries, exported.rows);
        }
        ExportCommand::Journal { month, out } => {
            let month = accounting::parse_month(&month).map_err(failed)?;
            let file = std::fs::File::create(&out)?;
            let rows =
                accounting::journal_csv::write(&mut conn, month, settings.time_zone, file).map_err(failed)?;
            println!("{}: {rows} postings", out.display());
        }
    }
    Ok(())
}

/// The export's options from the settings.
pub fn datev_options(settings: &Settings) -> datev::Options {
    datev::Options {
        chart: settings.datev.chart,
        consultant: settings.datev.consultant,
        client: settings.datev.client,
        zone: settings.time_zone,
        now: settings.clock.now(),
    }
}

/// `kontor ledger trial-balance --date D`: balances at the end of a day.
pub(super) fn trial_balance(settings: &Settings, date: chrono::NaiveDate) -> Result<(), CliError> {
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let at = accounting::start_of(date.succ_opt().unwrap_or(date), settings.time_zone);
    let rows = accounting::trial_balance::trial_balance(&mut conn, at, at).map_err(failed)?;
    println!("account,currency,balance");
    for row in rows {
        println!("{},{},{}", row.number, row.currency, row.closing().normalize());
    }
    Ok(())
}
