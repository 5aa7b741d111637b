//! The `kontor` command line: every operational job is a subcommand, so cron, systemd and
//! people all use the same entry points.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db::{Database, DbError};
use crate::{bench, demo, ledger, telemetry, web};
use benchmarks::{BenchCommand, DevCommand};
use billing::{BillingCommand, CatalogCommand, InvoiceCommand, SubscriptionsCommand};
use incidents::{CompensationCommand, IncidentCommand, PlacementCommand};
use mail::MailCommand;
use payments::{BankCommand, PaypalCommand, SepaCommand};
use users::UserCommand;

mod accounting;
mod benchmarks;
mod billing;
mod dunning;
mod incidents;
mod mail;
mod payments;
mod users;

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
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Subscriptions.
    Subscriptions {
        #[command(subcommand)]
        command: SubscriptionsCommand,
    },
    /// The catalog of plans, packs and prices.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// The monthly invoice batch.
    Billing {
        #[command(subcommand)]
        command: BillingCommand,
    },
    /// Invoices and credit notes.
    Invoice {
        #[command(subcommand)]
        command: InvoiceCommand,
    },
    /// Create synthetic customers with subscriptions (benchmarks, demos).
    Seed {
        #[arg(long)]
        customers: i64,
        /// The month their next billing periods start in (default: this month).
        #[arg(long)]
        period: Option<String>,
    },
    /// The mail outbox.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Collections: payment reminders, suspension and reactivation.
    Dunning {
        #[command(subcommand)]
        command: dunning::DunningCommand,
    },
    /// Bank statements (camt.053 / camt.054) and the reconciliation queue.
    Bank {
        #[command(subcommand)]
        command: BankCommand,
    },
    /// SEPA direct debits.
    Sepa {
        #[command(subcommand)]
        command: SepaCommand,
    },
    /// PayPal.
    Paypal {
        #[command(subcommand)]
        command: PaypalCommand,
    },
    /// Incidents and maintenance (for monitoring and staff on the command line).
    Incident {
        #[command(subcommand)]
        command: IncidentCommand,
    },
    /// Where customers live on the platform: the nightly import and who is not placed yet.
    Placements {
        #[command(subcommand)]
        command: PlacementCommand,
    },
    /// Compensation for resolved incidents.
    Compensation {
        #[command(subcommand)]
        command: CompensationCommand,
    },
    /// ECB euro reference rates.
    Fx {
        #[command(subcommand)]
        command: accounting::FxCommand,
    },
    /// VAT returns: OSS, domestic, registrations outside the EU.
    Vat {
        #[command(subcommand)]
        command: accounting::VatCommand,
    },
    /// Month close: the checklist, closing and reopening.
    Month {
        #[command(subcommand)]
        command: accounting::MonthCommand,
    },
    /// Exports for the tax adviser: DATEV, the journal CSV.
    Export {
        #[command(subcommand)]
        command: accounting::ExportCommand,
    },
    /// Benchmarks against a scratch database in the local cluster (never DATABASE_URL).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Development helpers.
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Check every ledger invariant over the whole database; exit 1 if any is broken.
    Verify,
    /// The trial balance at the end of a day: balance per account number and currency.
    TrialBalance {
        #[arg(long)]
        date: chrono::NaiveDate,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Print the connection URL (for psql) of the database Kontor uses.
    Url,
}

// Issue 9: incidents and compensation (one block).

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Incident(#[from] crate::incidents::IncidentError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Documents(#[from] crate::documents::DocumentError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error(transparent)]
    Bench(#[from] bench::BenchError),
    #[error("web server: {0}")]
    Server(#[from] std::io::Error),
    #[error("the ledger is broken (see the report above)")]
    LedgerBroken,
    #[error(transparent)]
    Account(#[from] crate::accounts::AccountError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Subscription(#[from] crate::subscriptions::SubscriptionError),
    #[error(transparent)]
    Closing(#[from] crate::closing::ClosingError),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Invoicing(#[from] crate::invoicing::InvoicingError),
    #[error(transparent)]
    Collections(#[from] crate::collections::CollectionsError),
    #[error(transparent)]
    Bank(#[from] crate::payments::bank::BankError),
    #[error("{0} subscription(s) could not be invoiced (see above and `kontor billing failures`)")]
    BatchFailures(usize),
    #[error("{0} due subscription(s) are neither invoiced nor failed yet: run `kontor billing run` again")]
    BatchUnfinished(u64),
    #[error(
        "the seller is still the demo company: set {} to your own (only `kontor demo` issues documents with the example values)",
        .0.join(", ")
    )]
    DemoSeller(Vec<&'static str>),
}

/// Commands that issue documents or exports refuse to print the demo company's example bank
/// details and identifiers on them.
pub(super) fn require_own_seller(settings: &Settings) -> Result<(), CliError> {
    let left = settings.demo_seller_variables();
    if left.is_empty() { Ok(()) } else { Err(CliError::DemoSeller(left)) }
}

/// The exit code of a run that left due items pending (1 is a failure of items, or any error).
pub const EXIT_UNFINISHED: u8 = 3;

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
            eprintln!("kontor: {}", crate::failure::cause_chain(&error));
            match error {
                CliError::BatchUnfinished(_) => ExitCode::from(EXIT_UNFINISHED),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn execute(command: Command, settings: &Settings) -> Result<(), CliError> {
    match command {
        Command::Serve => {
            require_own_seller(settings)?;
            let database = open_migrated(settings)?;
            serve(settings, &database)
        }
        Command::Migrate => {
            let database = Database::open(&settings.database())?;
            let applied = database.migrate()?;
            println!("applied {} migration(s)", applied.len());
            Ok(())
        }
        Command::Demo => {
            // An example account per currency (where none is configured), so every demo
            // invoice asks for money in its own currency's account.
            let mut demo_settings = demo::with_example_accounts(settings);
            // The demo's business customer pays less than the EUR 250 exemption a month; the
            // demo shows its invoice as the Factur-X it would be above it.
            demo_settings.facturx_threshold_eur = rust_decimal::Decimal::ZERO;
            let settings = &demo_settings;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let customers = demo::load(&mut conn, &settings.billing(), settings.clock.now())?;
            // This month's invoices, so there is something to see, pay and reconcile (a second
            // start issues nothing new: one invoice per subscription and period).
            let options = crate::invoicing::batch::RunOptions {
                month: crate::jobs::billing::last_month_due(settings),
                catch_up: true,
                workers: 1,
                chunk_size: 100,
                dry_run: false,
                lock_wait: crate::invoicing::batch::LOCK_WAIT,
            };
            crate::jobs::billing::run_configured(
                settings,
                &database.pool,
                &options,
                &crate::invoicing::progress::Reporter::Silent,
            )?;
            let statement = demo::bank_statement(
                &mut conn,
                &settings.data_dir,
                &settings.seller.iban,
                settings.clock.today(),
            )?;
            // Lea (CH) has paid from her own account: support finds her by its last digits.
            demo::swiss_payment(&mut conn, settings, settings.clock.today())?;
            // A stranger's transfer without a reference, marked for refund: finance approves it
            // on the payouts page and writes the pain.001.
            demo::refund_to_pay_back(&mut conn, settings, settings.clock.today())?;
            // Finance makes the OSS return of the quarter in the back office (Accounting).
            demo::ecb_rates(&mut conn)?;
            let sek = settings.seller.account_for("SEK").iban;
            let walk = demo::dunning_walk(&mut conn, &settings.data_dir, &sek)?;
            drop(conn);
            println!("Demo data loaded. Demo log-ins, all with the password {}:", demo::DEMO_PASSWORD);
            for customer in customers {
                println!(
                    "  {:<32} customer {} {} {}",
                    customer.email, customer.country, customer.language, customer.currency
                );
            }
            for (email, role) in demo::STAFF {
                let note = if role.requires_second_factor() {
                    " (sets up two-factor authentication first)"
                } else {
                    ""
                };
                println!("  {:<32} {}{note}", email, role.as_str());
            }
            if let Some(path) = statement {
                println!(
                    "A bank statement paying some demo invoices is at {}: import it in the back office (Bank statements) or with `kontor bank import`.",
                    path.display()
                );
            }
            if let Some((walk, path)) = walk {
                println!(
                    "Collections: {} never pays. Walk the ladder in simulated days:",
                    demo::DUNNING_CUSTOMER
                );
                for (day, step) in walk {
                    println!("  kontor dunning run --today {day}    # {step}");
                }
                println!(
                    "Then import {} (back office, Bank statements): the payment reactivates the account. \
                     Finance sees the ladder and writes invoices off at /backoffice/collections.",
                    path.display()
                );
            }
            serve(settings, &database)
        }
        Command::Ledger { command: LedgerCommand::Verify } => {
            let database = Database::open(&settings.database())?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let report = ledger::verify(&mut conn)?;
            print!("{report}");
            if report.is_healthy() { Ok(()) } else { Err(CliError::LedgerBroken) }
        }
        Command::Ledger { command: LedgerCommand::TrialBalance { date } } => {
            accounting::trial_balance(settings, date)
        }
        Command::Fx { command } => accounting::fx(command, settings),
        Command::Vat { command } => accounting::vat(command, settings),
        Command::Month { command } => accounting::month(command, settings),
        Command::Export { command } => accounting::export(command, settings),
        Command::Db { command: DbCommand::Url } => {
            if let Some(url) = &settings.database_url {
                println!("{url}");
                return Ok(());
            }
            let database = Database::open(&settings.database())?;
            println!("{}", database.url());
            eprintln!(
                "(the local cluster stops when the last Kontor process using it exits; keep `kontor serve` running to use this URL)"
            );
            Ok(())
        }
        Command::Seed { customers, period } => {
            let month = match period {
                Some(p) => p.parse::<crate::invoicing::BillingMonth>()?,
                None => crate::invoicing::BillingMonth::containing(settings.clock.today()),
            };
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let started = std::time::Instant::now();
            let made = crate::seed::customers(&mut conn, customers, month).map_err(DbError::from)?;
            println!(
                "seeded {made} customers with subscriptions due in {month} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Bank { command } => payments::bank_command(settings, command),
        Command::Incident { command } => incidents::incidents_command(command, settings),
        Command::Compensation { command } => incidents::compensation_command(command, settings),
        Command::Placements { command } => incidents::placements_command(command, settings),
        Command::User { command } => users::user(command, settings),
        Command::Subscriptions { command } => billing::subscriptions(command, settings),
        Command::Catalog { command } => billing::catalog(command, settings),
        Command::Billing { command } => billing::billing(command, settings),
        Command::Invoice { command } => billing::invoice(command, settings),
        Command::Sepa { command } => payments::sepa(command, settings),
        Command::Paypal { command } => payments::paypal(command, settings),
        Command::Mail { command } => mail::mail(command, settings),
        Command::Dunning { command } => dunning::dunning(command, settings),
        Command::Bench { command } => benchmarks::bench(command, settings),
        Command::Dev { command } => benchmarks::dev(command, settings),
    }
}

pub(super) fn open_migrated(settings: &Settings) -> Result<Database, CliError> {
    let database = Database::open(&settings.database())?;
    database.migrate()?;
    Ok(database)
}

fn serve(settings: &Settings, database: &Database) -> Result<(), CliError> {
    // Customers in a currency without an account of its own are asked to pay elsewhere: said
    // once at start, where whoever deploys reads it.
    for warning in settings.seller.account_warnings() {
        tracing::warn!("{warning}");
    }
    // Computed once before the first request, so no visitor pays for it.
    crate::accounts::password::dummy_verify("");
    let mailer = crate::mail::Mailer::new(&settings.mail_delivery())?;
    println!("{}", mailer.description());
    tracing::info!(mail = mailer.description(), "mail delivery");
    // A snapshot of the status page from the start, so there is one to serve should the
    // database go away before the first change.
    match database.pool.get() {
        Ok(mut conn) => {
            if let Err(error) = web::status_snapshot::render(&mut conn, settings) {
                tracing::error!(error = %crate::causes::cause_chain(&error), "status snapshot");
            }
        }
        Err(error) => tracing::error!(%error, "status snapshot"),
    }
    // The worker's own connections: a dunning run or a burst of mail never holds one a
    // request is waiting for.
    let worker_pool = database.batch_pool(crate::jobs::worker::POOL_SIZE, settings.batch_nice)?;
    let _worker = crate::jobs::worker::spawn(worker_pool, settings.clone(), mailer, web::purge_submissions)?;
    let system = actix_web::rt::System::new();
    let application = system.block_on(async { web::Application::build(settings, database.pool.clone()) })?;
    let port = application.port();
    println!("Kontor is serving on http://{}:{port}/ (Ctrl-C stops it)", settings.bind.ip());
    tracing::info!(port, "serving");
    system.block_on(application.run_until_stopped())?;
    Ok(())
}
