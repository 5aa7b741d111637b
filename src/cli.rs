//! The `kontor` command line: every operational job is a subcommand, so cron, systemd and
//! people all use the same entry points.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db::{Database, DbError};
use crate::{bench, demo, ledger, telemetry, web};

#[derive(Parser)]
#[command(name = "kontor", version, about = "Billing and account self-service portal")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the portal (KONTOR_BIND, default 127.0.0.1:8080).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Start the local database, load demo data (idempotently) and serve the portal.
    Demo,
    /// Ledger operations.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Database helpers.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Benchmarks against a scratch database in the local cluster (never DATABASE_URL).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Check every ledger invariant over the whole database; exit 1 if any is broken.
    Verify,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Print the connection URL (for psql) of the database Kontor uses.
    Url,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Post 4-posting journal entries: one per transaction, in batches, and plain INSERTs.
    Ledger {
        /// Entries posted one per transaction.
        #[arg(long, default_value_t = 2_000)]
        single: usize,
        /// Entries posted in batches.
        #[arg(long, default_value_t = 50_000)]
        batched: usize,
        /// Entries per batch (one transaction each).
        #[arg(long, default_value_t = 1_000)]
        batch_size: usize,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error(transparent)]
    Bench(#[from] bench::BenchError),
    #[error("web server: {0}")]
    Server(#[from] std::io::Error),
    #[error("the ledger is broken (see the report above)")]
    LedgerBroken,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("kontor: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_format);
    match execute(cli.command, &settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kontor: {error}");
            ExitCode::FAILURE
        }
    }
}

fn execute(command: Command, settings: &Settings) -> Result<(), CliError> {
    match command {
        Command::Serve => {
            let database = open_migrated(settings)?;
            serve(settings, &database)
        }
        Command::Migrate => {
            let database = Database::open(settings)?;
            let applied = database.migrate()?;
            println!("applied {} migration(s)", applied.len());
            Ok(())
        }
        Command::Demo => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let customers = demo::load(&mut conn)?;
            drop(conn);
            println!("Demo data loaded. Demo customers (log-in arrives with the accounts module):");
            for customer in customers {
                println!(
                    "  {:<32} {} {} {}",
                    customer.email, customer.country, customer.language, customer.currency
                );
            }
            serve(settings, &database)
        }
        Command::Ledger {
            command: LedgerCommand::Verify,
        } => {
            let database = Database::open(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let report = ledger::verify(&mut conn)?;
            print!("{report}");
            if report.is_healthy() {
                Ok(())
            } else {
                Err(CliError::LedgerBroken)
            }
        }
        Command::Db {
            command: DbCommand::Url,
        } => {
            if let Some(url) = &settings.database_url {
                println!("{url}");
                return Ok(());
            }
            let database = Database::open(settings)?;
            println!("{}", database.url());
            eprintln!(
                "(the local cluster stops when the last Kontor process using it exits; keep `kontor serve` running to use this URL)"
            );
            Ok(())
        }
        Command::Bench {
            command:
                BenchCommand::Ledger {
                    single,
                    batched,
                    batch_size,
                },
        } => {
            let report = bench::ledger(
                settings,
                bench::LedgerBench {
                    single,
                    batched,
                    batch_size,
                },
            )?;
            print!("{report}");
            Ok(())
        }
    }
}

fn open_migrated(settings: &Settings) -> Result<Database, CliError> {
    let database = Database::open(settings)?;
    database.migrate()?;
    Ok(database)
}

fn serve(settings: &Settings, database: &Database) -> Result<(), CliError> {
    let system = actix_web::rt::System::new();
    let application = system.block_on(async { web::Application::build(settings, database.pool.clone()) })?;
    let port = application.port();
    println!(
        "Kontor is serving on http://{}:{port}/ (Ctrl-C stops it)",
        settings.bind.ip()
    );
    tracing::info!(port, "serving");
    system.block_on(application.run_until_stopped())?;
    Ok(())
}
