//! `kontor` commands: incidents, placements and compensation.

use chrono::{DateTime, Utc};
use clap::Subcommand;
use diesel::prelude::*;

use super::{CliError, open_migrated};
use crate::config::Settings;
use crate::db::DbError;

#[derive(Subcommand)]
pub(super) enum IncidentCommand {
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
        /// Also offer a free month (needs --deadline unless --offer gives one).
        #[arg(long)]
        free_month: bool,
        /// Also offer a donation of the amount to this charity.
        #[arg(long)]
        donate: Option<String>,
        /// What customers who did not choose get: credit (default), storage, free_month, donation.
        #[arg(long)]
        default: Option<String>,
        /// The deadline for choosing (RFC 3339) when --offer is not given.
        #[arg(long)]
        deadline: Option<DateTime<Utc>>,
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
pub(super) enum PlacementCommand {
    /// Apply the platform's export: CSV with the header customer,mailbox,resource,service,moved_at
    /// (customer number or mailbox; service only for resources Kontor does not know yet).
    /// Rows already recorded change nothing; refused rows are listed and the rest applied.
    Import { file: std::path::PathBuf },
    /// Sign-ups the platform has not placed yet.
    Unplaced,
}

pub(super) fn placements_command(command: PlacementCommand, settings: &Settings) -> Result<(), CliError> {
    use crate::incidents::platform_moves;
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    match command {
        PlacementCommand::Import { file } => {
            let reader = std::fs::File::open(&file)
                .map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?;
            let rows = platform_moves::read_csv(std::io::BufReader::new(reader))?;
            let outcomes = conn.transaction(|c| platform_moves::apply_all(c, &rows))?;
            let count = |what: &str| outcomes.iter().filter(|o| o.outcome == what).count();
            for refused in outcomes.iter().filter(|o| o.outcome == "refused") {
                // Line numbers count the header.
                eprintln!("line {}: {}", refused.row + 1, refused.detail.as_deref().unwrap_or_default());
            }
            println!(
                "{} placed, {} moved, {} unchanged, {} refused",
                count("placed"),
                count("moved"),
                count("unchanged"),
                count("refused")
            );
        }
        PlacementCommand::Unplaced => {
            let (rows, total) = platform_moves::unplaced(&mut conn, 1_000)?;
            for row in &rows {
                println!(
                    "{}\t{}\tsubscription {}\tsince {}",
                    crate::invoicing::customer_number(row.customer_id),
                    row.email,
                    row.subscription_id,
                    row.created_at.to_rfc3339()
                );
            }
            println!("{total} subscription(s) without a placement");
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub(super) enum CompensationCommand {
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

/// The storage offer with the further alternatives and default the flags name.
fn more_alternatives(
    storage: Option<crate::incidents::incident::StorageOffer>,
    free_month: bool,
    donate: Option<String>,
    default: Option<&str>,
    deadline: Option<DateTime<Utc>>,
) -> Result<Option<crate::incidents::incident::Offer>, CliError> {
    use crate::incidents::alternatives::{Alternative, Alternatives, Kind};
    let mut offered = Vec::new();
    let mut until = deadline;
    if let Some(s) = &storage {
        offered.push(Alternative::Storage { gb: s.storage_gb, months: s.months });
        until = until.or(Some(s.deadline));
    }
    if free_month {
        offered.push(Alternative::FreeMonth);
    }
    if let Some(charity) = donate {
        offered.push(Alternative::Donation { charity });
    }
    if offered.is_empty() {
        return Ok(None);
    }
    let default = match default {
        None => Kind::Credit,
        Some(text) => Kind::parse(text).ok_or_else(|| CliError::Usage(format!("--default {text:?}")))?,
    };
    let deadline = until.ok_or_else(|| CliError::Usage("a deadline for choosing: --deadline".to_owned()))?;
    let alternatives = Alternatives::new(offered, default).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(Some(crate::incidents::incident::Offer { deadline, alternatives }))
}

pub(super) fn incidents_command(command: IncidentCommand, settings: &Settings) -> Result<(), CliError> {
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
            free_month,
            donate,
            default,
            deadline,
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
            let offer = more_alternatives(offer, free_month, donate, default.as_deref(), deadline)?;
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
            return Ok(());
        }
    }
    // After the commit, as the web pages do: the static status page follows every change.
    if let Err(error) = crate::web::status_snapshot::render(&mut conn, settings) {
        eprintln!("kontor: the status page snapshot was not written: {}", crate::causes::cause_chain(&error));
    }
    Ok(())
}

pub(super) fn compensation_command(
    command: CompensationCommand,
    settings: &Settings,
) -> Result<(), CliError> {
    use crate::incidents::compensation;
    let database = open_migrated(settings)?;
    let now = settings.clock.now();
    match command {
        CompensationCommand::Preview { incidents } => {
            let mut conn = database.pool.get().map_err(DbError::from)?;
            for id in incidents {
                let preview = compensation::preview(&mut conn, id, &settings.billing().seller, now)?;
                println!("{}", serde_json::to_string_pretty(&preview).unwrap_or_default());
            }
        }
        CompensationCommand::Issue { incidents } => {
            let site = settings.site();
            let actor = crate::audit::Actor::system("cli");
            for id in incidents {
                let r =
                    compensation::issue(&database.pool, &site, &settings.billing().seller, id, &actor, now)?;
                println!(
                    "incident {id}: {} credit(s) ({} free month(s)), {} storage, {} donation(s), {} without credit, {} still choosing, {} issued before",
                    r.credits, r.free_months, r.storage, r.donations, r.nothing, r.pending_choice, r.already
                );
            }
        }
    }
    Ok(())
}
