//! The `kontor` command line: every operational job is a subcommand, so cron, systemd and
//! people all use the same entry points.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use diesel::prelude::*;

use crate::accounts::Role;
use crate::accounts::email::EmailAddress;
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
    /// Compensation for resolved incidents.
    Compensation {
        #[command(subcommand)]
        command: CompensationCommand,
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
enum DevCommand {
    /// Serve a fake PayPal API (orders, captures, refunds, webhook verification, an approval
    /// page) until Ctrl-C, for the demo; prints the KONTOR_PAYPAL_* variables to give Kontor.
    PaypalFake {
        #[arg(long, default_value = "127.0.0.1:8099")]
        bind: String,
        /// Kontor's webhook address; the fake then posts signed webhooks after each capture and
        /// refund (default: http://$KONTOR_BIND/webhooks/paypal).
        #[arg(long)]
        webhook_url: Option<String>,
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
enum UserCommand {
    /// Create a staff member and print their one-time set-password link (valid 72 hours).
    Create {
        #[arg(long)]
        email: String,
        /// support (read-only), finance or admin.
        #[arg(long)]
        role: String,
    },
    /// Change a staff member's role (their sessions end).
    Role {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Remove a staff member's two-factor authentication (lost phone); they enrol again.
    #[command(name = "reset-2fa")]
    Reset2fa {
        #[arg(long)]
        email: String,
    },
    /// Change a staff member's email address; both addresses are told (audited).
    Email {
        /// Their current address.
        #[arg(long)]
        email: String,
        /// The new address.
        #[arg(long = "new")]
        new_email: String,
    },
}

#[derive(Subcommand)]
enum SubscriptionsCommand {
    /// Apply what is due today: free months ending, cancellations and pack changes taking
    /// effect (idempotent; run daily from cron, the server also runs it every minute).
    Advance,
}

#[derive(Subcommand)]
enum CatalogCommand {
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
enum BillingCommand {
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
enum InvoiceCommand {
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

#[derive(Subcommand)]
enum MailCommand {
    /// Deliver every due message now (KONTOR_SMTP_URL, else $KONTOR_DATA_DIR/mail/outbox/*.eml).
    Deliver,
    /// List the messages that failed for good and wait for a person.
    Failed,
    /// Queue a failed message again (audited).
    Retry { id: i64 },
}

#[derive(Subcommand)]
enum SepaCommand {
    /// Write a pain.008.001.02 file of every open EUR invoice due by the collection date of
    /// customers with an active mandate, and mark them as collection pending (a second export
    /// never includes them again). Writes no file when nothing is due.
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
enum PaypalCommand {
    /// Process webhook events (refunds, chargebacks) still waiting for a capture that is
    /// booked by now (the server's worker does it every minute).
    Sweep,
}

#[derive(Subcommand)]
enum BankCommand {
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
enum BenchCommand {
    /// Compensation preview and issue for one incident affecting N customers.
    Compensation {
        #[arg(long, default_value_t = 100_000)]
        customers: i64,
    },
    /// Seed customers and run the month's invoice batch; with --baseline also insert the same
    /// rows with plain multi-row INSERTs.
    Billing {
        #[arg(long, default_value_t = 100_000)]
        customers: i64,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        #[arg(long, default_value_t = 500)]
        chunk: usize,
        #[arg(long)]
        baseline: bool,
    },
    /// Render invoice PDFs on one core (no database), and the same invoice with headless
    /// Chromium for comparison.
    Pdf {
        #[arg(long, default_value_t = 2_000)]
        count: usize,
        /// Chromium runs (0: skip the comparison).
        #[arg(long, default_value_t = 5)]
        chromium_runs: usize,
        /// Also write a sample PDF per language to this folder.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Import a generated camt.053 with one entry per open invoice (the invoices are made by
    /// the real batch first, untimed).
    Bank {
        #[arg(long, default_value_t = 100_000)]
        entries: i64,
    },
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

// Issue 9: incidents and compensation (one block).
#[derive(Subcommand)]
enum IncidentCommand {
    /// Open an incident (or announce maintenance with --maintenance); prints its id.
    Open {
        /// minor, major, critical or maintenance.
        #[arg(long)]
        severity: String,
        /// Title as LANG=TEXT, repeatable; English (en=...) required.
        #[arg(long = "title", required = true)]
        titles: Vec<String>,
        /// First update as LANG=TEXT, repeatable; English required.
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
        /// Affected services: mail, storage, web (comma-separated).
        #[arg(long, default_value = "")]
        services: String,
        /// Affected resources, e.g. fs19,nmail5.
        #[arg(long, default_value = "")]
        resources: String,
        /// Start (RFC 3339); default now.
        #[arg(long)]
        start: Option<chrono::DateTime<chrono::Utc>>,
        /// Planned end (maintenance).
        #[arg(long)]
        end: Option<chrono::DateTime<chrono::Utc>>,
        #[arg(long)]
        maintenance: bool,
        /// Offer extra storage instead of a credit: GB,MONTHS,DEADLINE(RFC 3339).
        #[arg(long)]
        offer: Option<String>,
        /// A retried call with the same key opens the incident once.
        #[arg(long)]
        key: Option<String>,
    },
    /// Post an update to an incident's timeline.
    Update {
        id: i64,
        /// investigating, identified, monitoring, in_progress, ...
        #[arg(long)]
        status: String,
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
        #[arg(long)]
        key: Option<String>,
    },
    /// Resolve an incident (end default now).
    Resolve {
        id: i64,
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
        #[arg(long)]
        end: Option<chrono::DateTime<chrono::Utc>>,
        #[arg(long)]
        key: Option<String>,
    },
    /// Place a subscription on a resource from now (a move when it is on another of that service).
    Place {
        #[arg(long)]
        subscription: i64,
        #[arg(long)]
        resource: String,
        /// When the placement starts (RFC 3339); default now.
        #[arg(long)]
        from: Option<chrono::DateTime<chrono::Utc>>,
    },
}

#[derive(Subcommand)]
enum CompensationCommand {
    /// What issuing would grant (JSON): affected, downtime distribution, totals per currency.
    Preview {
        #[arg(long = "incident", required = true)]
        incidents: Vec<i64>,
    },
    /// Grant it: one ledger entry per incident and subscription, exactly once; safe to re-run.
    Issue {
        #[arg(long = "incident", required = true)]
        incidents: Vec<i64>,
    },
}

fn lang_texts(pairs: &[String]) -> Result<crate::incidents::Texts, CliError> {
    let parsed = pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(l, t)| (l.to_owned(), t.to_owned()))
                .ok_or_else(|| CliError::Usage(format!("{p:?}: expected LANG=TEXT")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(crate::incidents::Texts::parse(parsed)?)
}

fn incidents_command(command: IncidentCommand, settings: &Settings) -> Result<(), CliError> {
    use crate::incidents::incident::{self, Kind, NewIncident, StorageOffer};
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let site = settings.site();
    let actor = crate::audit::Actor::system("cli");
    let now = settings.clock.now();
    let list =
        |s: &str| s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect::<Vec<_>>();
    match command {
        IncidentCommand::Open {
            severity,
            titles,
            texts,
            services,
            resources,
            start,
            end,
            maintenance,
            offer,
            key,
        } => {
            let offer = match offer {
                None => None,
                Some(text) => {
                    let parts: Vec<&str> = text.splitn(3, ',').collect();
                    let bad = || CliError::Usage(format!("--offer {text:?}: expected GB,MONTHS,DEADLINE"));
                    match parts.as_slice() {
                        [gb, months, deadline] => Some(StorageOffer {
                            storage_gb: gb.trim().parse().map_err(|_| bad())?,
                            months: months.trim().parse().map_err(|_| bad())?,
                            deadline: deadline.trim().parse().map_err(|_| bad())?,
                        }),
                        _ => return Err(bad()),
                    }
                }
            };
            let kind = if maintenance { Kind::Maintenance } else { Kind::Incident };
            let new = NewIncident {
                kind,
                severity,
                title: lang_texts(&titles)?,
                services: list(&services),
                resources: list(&resources),
                started_at: start.unwrap_or(now),
                ended_at: end,
                status: if maintenance { "scheduled" } else { "investigating" }.to_owned(),
                body: lang_texts(&texts)?,
                offer,
                idempotency_key: key.map(|k| format!("cli:{k}")),
            };
            let id = conn.transaction(|c| incident::open(c, &site, &new, &actor, now))?;
            println!("{id}");
        }
        IncidentCommand::Update { id, status, texts, key } => {
            let body = lang_texts(&texts)?;
            let key = key.map(|k| format!("cli:{k}"));
            conn.transaction(|c| {
                incident::post_update(c, &site, id, &status, &body, key.as_deref(), &actor, now)
            })?;
            println!("incident {id} updated: {status}");
        }
        IncidentCommand::Resolve { id, texts, end, key } => {
            let body = lang_texts(&texts)?;
            let key = key.map(|k| format!("cli:{k}"));
            conn.transaction(|c| incident::resolve(c, &site, id, end, &body, key.as_deref(), &actor, now))?;
            println!("incident {id} resolved");
        }
        IncidentCommand::Place { subscription, resource, from } => {
            conn.transaction(|c| {
                let customer: i64 = crate::db::schema::subscriptions::table
                    .find(subscription)
                    .select(crate::db::schema::subscriptions::customer_id)
                    .first(c)
                    .optional()?
                    .ok_or(crate::incidents::IncidentError::UnknownSubscription(subscription))?;
                crate::incidents::placements::place(c, subscription, customer, &resource, from.unwrap_or(now))
            })?;
            println!("subscription {subscription} placed on {resource}");
        }
    }
    Ok(())
}

fn compensation_command(command: CompensationCommand, settings: &Settings) -> Result<(), CliError> {
    use crate::incidents::compensation;
    let database = open_migrated(settings)?;
    let now = settings.clock.now();
    match command {
        CompensationCommand::Preview { incidents } => {
            let mut conn = database.pool.get().map_err(DbError::from)?;
            for id in incidents {
                let preview = compensation::preview(&mut conn, id, now)?;
                println!("{}", serde_json::to_string_pretty(&preview).unwrap_or_default());
            }
        }
        CompensationCommand::Issue { incidents } => {
            let site = settings.site();
            let actor = crate::audit::Actor::system("cli");
            for id in incidents {
                let r = compensation::issue(&database.pool, &site, id, &actor, now)?;
                println!(
                    "incident {id}: {} credit(s), {} storage, {} without credit, {} still choosing, {} issued before",
                    r.credits, r.storage, r.nothing, r.pending_choice, r.already
                );
            }
        }
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
enum CliError {
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
fn require_own_seller(settings: &Settings) -> Result<(), CliError> {
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
            eprintln!("kontor: {error}");
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
            let settings = &demo::with_example_accounts(settings);
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let customers = demo::load(&mut conn, &settings.billing(), settings.clock.now())?;
            // This month's invoices, so there is something to see, pay and reconcile (a second
            // start issues nothing new: one invoice per subscription and period).
            let options = crate::invoicing::batch::RunOptions {
                month: crate::invoicing::batch::last_month_due(settings),
                catch_up: true,
                workers: 1,
                chunk_size: 100,
                dry_run: false,
                lock_wait: crate::invoicing::batch::LOCK_WAIT,
            };
            crate::invoicing::batch::run_configured(
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
            serve(settings, &database)
        }
        Command::Ledger { command: LedgerCommand::Verify } => {
            let database = Database::open(&settings.database())?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let report = ledger::verify(&mut conn)?;
            print!("{report}");
            if report.is_healthy() { Ok(()) } else { Err(CliError::LedgerBroken) }
        }
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
        Command::User { command: UserCommand::Create { email, role } } => {
            let email = EmailAddress::parse(&email)
                .ok_or_else(|| CliError::Usage(format!("{email:?} is not an email address")))?;
            let role = Role::parse(&role).filter(|r| r.is_staff()).ok_or_else(|| {
                CliError::Usage(format!("{role:?}: the role must be support, finance or admin"))
            })?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let site = settings.site();
            let (user, link) = conn.transaction(|conn| {
                crate::accounts::staff::create_staff(conn, &site, &email, role, settings.clock.now())
            })?;
            println!("Staff member {email} (user {}, role {}) created.", user.0, role.as_str());
            println!("One-time link to set the password (valid 72 hours):\n  {link}");
            if role.requires_second_factor() {
                println!("They must set up two-factor authentication at their first sign-in.");
            }
            Ok(())
        }
        Command::User { command: UserCommand::Role { email, role } } => {
            let role = staff_role(&role)?;
            staff_action(settings, &email, |conn, operator, user| {
                crate::accounts::staff::change_role(conn, operator, user, role)
            })?;
            println!("{email} is now {}; their sessions have ended.", role.as_str());
            Ok(())
        }
        Command::User { command: UserCommand::Email { email, new_email } } => {
            let new = EmailAddress::parse(&new_email)
                .ok_or_else(|| CliError::Usage(format!("{new_email:?} is not an email address")))?;
            let (site, now) = (settings.site(), settings.clock.now());
            staff_action(settings, &email, |conn, operator, user| {
                crate::accounts::email_change::change_staff_email(conn, &site, operator, user, &new, now)
            })?;
            println!("{email} now signs in as {new}; both addresses have been told.");
            Ok(())
        }
        Command::User { command: UserCommand::Reset2fa { email } } => {
            staff_action(settings, &email, crate::accounts::staff::reset_second_factor)?;
            println!(
                "Two-factor authentication of {email} removed; they set it up again at their next sign-in."
            );
            Ok(())
        }
        Command::Subscriptions { command: SubscriptionsCommand::Advance } => {
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
        Command::Catalog { command: CatalogCommand::List } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            print!("{}", crate::catalog::listing(&mut conn)?);
            Ok(())
        }
        Command::Catalog { command: CatalogCommand::Price { plan, currency, amount, from } } => {
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
        Command::Billing { command: BillingCommand::Run { period, workers, chunk, dry_run, lock_wait } } => {
            let catch_up = period.is_none();
            let month = match period {
                Some(period) => period.parse()?,
                None => crate::invoicing::batch::last_month_due(settings),
            };
            if !dry_run {
                require_own_seller(settings)?;
            }
            let mut run_settings = settings.clone();
            run_settings.db_pool_size = run_settings.db_pool_size.max(2 * workers as u32 + 1);
            let database = open_migrated(&run_settings)?;
            let options = crate::invoicing::batch::RunOptions {
                month,
                catch_up,
                workers,
                chunk_size: chunk,
                dry_run,
                lock_wait: std::time::Duration::from_secs(lock_wait),
            };
            let reporter = crate::invoicing::progress::Reporter::for_stderr();
            let summary =
                crate::invoicing::batch::run_configured(settings, &database.pool, &options, &reporter);
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
        Command::Billing { command: BillingCommand::Failures { period } } => {
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
        Command::Billing { command: BillingCommand::Retry { period, subscription } } => {
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
        Command::Invoice { command: InvoiceCommand::List { period, format } } => {
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
            let export = crate::invoicing::export::write_csv(
                &mut conn,
                &filter,
                settings.clock.today(),
                stdout,
                crate::invoicing::export::PAGE_SIZE,
            );
            export?;
            Ok(())
        }
        Command::Invoice { command: InvoiceCommand::Pdf { number, out } } => {
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
        Command::Invoice { command: InvoiceCommand::Credit { number, amount, reason } } => {
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
        Command::Bank { command } => bank_command(settings, command),
        Command::Sepa { command: SepaCommand::Export { collection_date, out } } => {
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
        Command::Sepa { command: SepaCommand::File { export_id, out } } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let message_id = crate::payments::sepa::export::write_file(&mut conn, export_id, &out)
                .map_err(|e| CliError::Usage(format!("sepa file: {e}")))?;
            println!("{}: {message_id} (export {export_id})", out.display());
            Ok(())
        }
        Command::Paypal { command: PaypalCommand::Sweep } => {
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
        Command::Mail { command: MailCommand::Deliver } => {
            let mut mailer = crate::mail::Mailer::new(&settings.mail_delivery())?;
            println!("{}", mailer.description());
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let report = mailer.deliver_due(&mut conn, settings.clock.now(), usize::MAX)?;
            println!(
                "sent {}, retrying later {}, failed permanently {}",
                report.sent, report.retrying, report.failed
            );
            if report.failed > 0 {
                println!("see `kontor mail failed`");
            }
            Ok(())
        }
        Command::Mail { command: MailCommand::Failed } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let failed = crate::mail::outbox::failed(&mut conn, 1000)?;
            for mail in &failed {
                println!(
                    "{}\t{}\t{}\t{} attempt(s)\t{}\t{}",
                    mail.id,
                    mail.failed_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    mail.recipient,
                    mail.attempts,
                    mail.subject,
                    mail.last_error.as_deref().unwrap_or("")
                );
            }
            println!("{} undeliverable message(s)", failed.len());
            Ok(())
        }
        Command::Mail { command: MailCommand::Retry { id } } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let operator = crate::audit::Actor::command_line();
            let now = settings.clock.now();
            if !conn.transaction(|conn| crate::mail::outbox::retry(conn, &operator, id, now))? {
                return Err(CliError::Usage(format!("message {id} is not a failed message")));
            }
            println!("message {id} is queued again");
            Ok(())
        }
        Command::Incident { command } => incidents_command(command, settings),
        Command::Compensation { command } => compensation_command(command, settings),
        Command::Bench { command: BenchCommand::Compensation { customers } } => {
            print!("{}", bench::compensation::compensation(settings, customers)?);
            Ok(())
        }
        Command::Dev { command: DevCommand::PaypalFake { bind, webhook_url } } => {
            use crate::payments::paypal::fake;
            let webhook_url =
                webhook_url.unwrap_or_else(|| format!("{}/webhooks/paypal", settings.public_url));
            fake::serve_until_stopped(&bind, Some(&webhook_url), |url| {
                println!("Fake PayPal on {url} (Ctrl-C stops it); webhooks go to {webhook_url}.");
                println!("Start Kontor with:");
                println!(
                    "  KONTOR_PAYPAL_CLIENT_ID={} KONTOR_PAYPAL_SECRET={} \\",
                    fake::CLIENT_ID,
                    fake::SECRET
                );
                println!(
                    "  KONTOR_PAYPAL_WEBHOOK_ID={} KONTOR_PAYPAL_API_URL={url} kontor demo",
                    fake::WEBHOOK_ID
                );
            })?;
            Ok(())
        }
        Command::Bench { command: BenchCommand::Billing { customers, workers, chunk, baseline } } => {
            let report =
                bench::billing(settings, bench::BillingBench { customers, workers, chunk, baseline })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench { command: BenchCommand::Bank { entries } } => {
            print!("{}", bench::bank(settings, bench::BankBench { entries })?);
            Ok(())
        }
        Command::Bench { command: BenchCommand::Pdf { count, chromium_runs, out } } => {
            print!("{}", bench::pdf(bench::PdfBench { count, chromium_runs, out })?);
            Ok(())
        }
        Command::Bench { command: BenchCommand::Ledger { single, batched, batch_size } } => {
            let report = bench::ledger(settings, bench::LedgerBench { single, batched, batch_size })?;
            print!("{report}");
            Ok(())
        }
    }
}

fn staff_role(role: &str) -> Result<Role, CliError> {
    Role::parse(role)
        .filter(|r| r.is_staff())
        .ok_or_else(|| CliError::Usage(format!("{role:?}: the role must be support, finance or admin")))
}

/// Runs a staff action on the staff member with `email`, audited as done by this operator.
fn staff_action(
    settings: &Settings,
    email: &str,
    action: impl FnOnce(
        &mut diesel::PgConnection,
        &crate::audit::Actor,
        crate::ids::UserId,
    ) -> Result<(), crate::accounts::AccountError>,
) -> Result<(), CliError> {
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let user = crate::accounts::User::by_email(&mut conn, email)?
        .filter(|u| u.role.is_staff())
        .ok_or_else(|| CliError::Usage(format!("no staff member with the address {email}")))?;
    let operator = crate::audit::Actor::command_line();
    conn.transaction(|conn| action(conn, &operator, user.id))?;
    Ok(())
}

fn open_migrated(settings: &Settings) -> Result<Database, CliError> {
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
    let _worker = crate::jobs::worker::spawn(database.pool.clone(), settings.clone(), mailer)?;
    let system = actix_web::rt::System::new();
    let application = system.block_on(async { web::Application::build(settings, database.pool.clone()) })?;
    let port = application.port();
    println!("Kontor is serving on http://{}:{port}/ (Ctrl-C stops it)", settings.bind.ip());
    tracing::info!(port, "serving");
    system.block_on(application.run_until_stopped())?;
    Ok(())
}

fn bank_command(settings: &Settings, command: BankCommand) -> Result<(), CliError> {
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
                    "{}: {} entries read, {} new transactions: {} paid, {} partly paid, {} overpaid, {} unmatched (in the reconciliation queue); {} already imported, {} returned, {} ignored, {} not booked yet",
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
                    s.not_booked
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
            let applied = queue::assign(&mut conn, id, &target, &actor, settings.clock.now())?;
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
