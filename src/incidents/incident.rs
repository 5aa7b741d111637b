//! Incidents and scheduled maintenance: what is affected (services, resources), when, how bad,
//! and a timeline of updates in one or more languages. Every change is audited and tells the
//! affected customers and the status page's followers, in the same transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

pub use super::alternatives::{Alternative, Alternatives};
use super::{IncidentError, Texts, notices};
use crate::audit::{self, Actor};
use crate::db::schema::{incident_resources, incident_updates, incidents, resources};
use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    Maintenance,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Maintenance => "maintenance",
        }
    }
}

pub const SEVERITIES: [&str; 4] = ["minor", "major", "critical", "maintenance"];
/// What an incident may name; `portal` is Kontor itself (announced maintenance of the portal).
pub const SERVICES: [&str; 4] = ["mail", "storage", "web", "portal"];
/// What a resource customers are placed on runs (the portal has no resources).
pub const RESOURCE_SERVICES: [&str; 3] = ["mail", "storage", "web"];
pub const STATUSES: [&str; 7] =
    ["investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "completed"];

/// An incident's start or end: not before 2000 (a year 0000 would show as current forever) and
/// at most a year ahead (maintenance is announced, not scheduled for the next decade).
fn plausible(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let earliest = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    at >= earliest && at <= now + chrono::Duration::days(366)
}

fn check(value: &str, allowed: &[&str], what: &str) -> Result<(), IncidentError> {
    if allowed.contains(&value) { Ok(()) } else { Err(IncidentError::Invalid(format!("{what} {value:?}"))) }
}

/// The classic offer: extra storage instead of the credit (the default), chosen before the
/// deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageOffer {
    pub deadline: DateTime<Utc>,
    pub storage_gb: i32,
    pub months: i32,
}

/// What an incident offers its affected customers to choose from until the deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub deadline: DateTime<Utc>,
    pub alternatives: Alternatives,
}

impl From<StorageOffer> for Offer {
    fn from(o: StorageOffer) -> Offer {
        Offer {
            deadline: o.deadline,
            alternatives: Alternatives {
                offered: vec![
                    Alternative::Credit,
                    Alternative::Storage { gb: o.storage_gb, months: o.months },
                ],
                default: super::alternatives::Kind::Credit,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewIncident {
    pub kind: Kind,
    pub severity: String,
    pub title: Texts,
    pub services: Vec<String>,
    /// Resource codes, e.g. `fs19`.
    pub resources: Vec<String>,
    pub started_at: DateTime<Utc>,
    /// For maintenance: the planned end.
    pub ended_at: Option<DateTime<Utc>>,
    /// The first timeline entry.
    pub status: String,
    pub body: Texts,
    pub offer: Option<Offer>,
    /// Monitoring retries: the same key opens the incident once.
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: i64,
    pub kind: String,
    pub severity: String,
    pub title: Texts,
    pub services: Vec<String>,
    pub resources: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub announced_at: DateTime<Utc>,
    pub choice_deadline: Option<DateTime<Utc>>,
    pub storage_gb: Option<i32>,
    pub storage_months: Option<i32>,
    pub updates: Vec<Update>,
}

impl Incident {
    /// Resolved incidents have an end in the past; maintenance ends as planned.
    pub fn is_resolved(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_some_and(|end| end <= now)
            && (self.kind == "maintenance" || self.updates.iter().any(|u| u.status == "resolved"))
    }

    pub fn latest_status(&self) -> &str {
        self.updates.last().map_or("investigating", |u| u.status.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub id: i64,
    pub posted_at: DateTime<Utc>,
    pub status: String,
    pub body: Texts,
}

type Row = (
    i64,
    String,
    String,
    serde_json::Value,
    Vec<String>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<i32>,
    Option<i32>,
);

fn resource_ids(conn: &mut PgConnection, codes: &[String]) -> Result<Vec<i64>, IncidentError> {
    let mut ids = Vec::with_capacity(codes.len());
    for code in codes {
        let id: Option<i64> = resources::table
            .filter(resources::code.eq(code.trim()))
            .select(resources::id)
            .first(conn)
            .optional()?;
        ids.push(id.ok_or_else(|| IncidentError::UnknownResource(code.clone()))?);
    }
    // The same resource named twice (`fs19, fs19`) is one resource, not a second row.
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Opens an incident (or announces maintenance) with its first update. In the caller's
/// transaction; returns the id (the existing one when the idempotency key was used before).
pub fn open(
    conn: &mut PgConnection,
    site: &Site,
    new: &NewIncident,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, IncidentError> {
    if let Some(key) = &new.idempotency_key {
        let existing: Option<i64> = incident_updates::table
            .filter(incident_updates::idempotency_key.eq(key))
            .select(incident_updates::incident_id)
            .first(conn)
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
    }
    check(&new.severity, &SEVERITIES, "severity")?;
    check(&new.status, &STATUSES, "status")?;
    new.title.check_title()?;
    for at in std::iter::once(new.started_at).chain(new.ended_at) {
        if !plausible(at, now) {
            return Err(IncidentError::DateOutOfRange);
        }
    }
    if new.services.is_empty() && new.resources.is_empty() {
        return Err(IncidentError::Invalid("name at least one service or resource".to_owned()));
    }
    for service in &new.services {
        check(service, &SERVICES, "service")?;
    }
    if new.ended_at.is_some_and(|end| end < new.started_at) {
        return Err(IncidentError::Invalid("the end is before the start".to_owned()));
    }
    // Checked again here: the fields are public, so a caller may have built them by hand.
    let offer = match &new.offer {
        Some(offer) => {
            if offer.deadline <= now || offer.deadline > now + chrono::Duration::days(366) {
                return Err(IncidentError::OfferOutOfRange);
            }
            let checked = Alternatives::new(offer.alternatives.offered.clone(), offer.alternatives.default)?;
            // Only the credit is no choice at all: no deadline either.
            checked.is_choice().then_some((offer.deadline, checked))
        }
        None => None,
    };
    let storage = offer.as_ref().and_then(|(_, a)| a.storage());
    let ids = resource_ids(conn, &new.resources)?;
    let id: i64 = diesel::insert_into(incidents::table)
        .values((
            incidents::kind.eq(new.kind.as_str()),
            incidents::severity.eq(&new.severity),
            incidents::title.eq(new.title.to_json()),
            incidents::services.eq(&new.services),
            incidents::started_at.eq(new.started_at),
            incidents::ended_at.eq(new.ended_at),
            incidents::announced_at.eq(now),
            incidents::created_by.eq(actor.user.map(|u| u.0)),
            incidents::created_at.eq(now),
            incidents::choice_deadline.eq(offer.as_ref().map(|(deadline, _)| *deadline)),
            // The storage alternative's terms, also kept on the incident for its readers.
            incidents::storage_gb.eq(storage.map(|(gb, _)| gb)),
            incidents::storage_months.eq(storage.map(|(_, months)| months)),
        ))
        .returning(incidents::id)
        .get_result(conn)?;
    let links: Vec<_> = ids
        .iter()
        .map(|r| (incident_resources::incident_id.eq(id), incident_resources::resource_id.eq(*r)))
        .collect();
    diesel::insert_into(incident_resources::table).values(&links).execute(conn)?;
    if let Some((_, alternatives)) = &offer {
        super::alternatives::store(conn, id, alternatives)?;
    }
    let update = insert_update(conn, id, &new.status, &new.body, now, new.idempotency_key.as_deref())?;
    audit::record(
        conn,
        &actor.event("incident.open").target(format!("incident:{id}")).details(
            serde_json::json!({ "kind": new.kind.as_str(), "severity": new.severity, "resources": new.resources }),
        ),
    )?;
    announce(conn, site, id, update, now)?;
    Ok(id)
}

/// Tells of an update, in the transaction of the change: the customers placed on what it
/// affects, and whoever follows the status page's components it touches.
fn announce(
    conn: &mut PgConnection,
    site: &Site,
    incident: i64,
    update: i64,
    now: DateTime<Utc>,
) -> Result<(), IncidentError> {
    notices::tell_affected(conn, site, incident, update, now)?;
    super::subscribers::tell(conn, site, incident, update, now)?;
    Ok(())
}

fn insert_update(
    conn: &mut PgConnection,
    incident: i64,
    status: &str,
    body: &Texts,
    now: DateTime<Utc>,
    key: Option<&str>,
) -> Result<i64, IncidentError> {
    Ok(diesel::insert_into(incident_updates::table)
        .values((
            incident_updates::incident_id.eq(incident),
            incident_updates::posted_at.eq(now),
            incident_updates::status.eq(status),
            incident_updates::body.eq(body.to_json()),
            incident_updates::idempotency_key.eq(key),
        ))
        .returning(incident_updates::id)
        .get_result(conn)?)
}

/// Posts a timeline update. A retried request with the same key posts nothing new.
#[allow(clippy::too_many_arguments)]
pub fn post_update(
    conn: &mut PgConnection,
    site: &Site,
    incident: i64,
    status: &str,
    body: &Texts,
    key: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, IncidentError> {
    check(status, &STATUSES, "status")?;
    if let Some(key) = key {
        let existing: Option<i64> = incident_updates::table
            .filter(incident_updates::idempotency_key.eq(key))
            .select(incident_updates::id)
            .first(conn)
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
    }
    let found = load(conn, incident)?;
    if found.kind == "incident" && found.updates.iter().any(|u| u.status == "resolved") {
        return Err(IncidentError::AlreadyResolved);
    }
    // Lock the incident so concurrent updates and resolutions are ordered.
    let _: i64 = incidents::table.find(incident).select(incidents::id).for_update().first(conn)?;
    let update = insert_update(conn, incident, status, body, now, key)?;
    audit::record(
        conn,
        &actor
            .event("incident.update")
            .target(format!("incident:{incident}"))
            .details(serde_json::json!({ "status": status, "languages": body.0.keys().collect::<Vec<_>>() })),
    )?;
    announce(conn, site, incident, update, now)?;
    Ok(update)
}

/// Resolves an incident: sets its end (default now) and posts the final update.
#[allow(clippy::too_many_arguments)]
pub fn resolve(
    conn: &mut PgConnection,
    site: &Site,
    incident: i64,
    ended_at: Option<DateTime<Utc>>,
    body: &Texts,
    key: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, IncidentError> {
    if let Some(key) = key {
        let existing: Option<i64> = incident_updates::table
            .filter(incident_updates::idempotency_key.eq(key))
            .select(incident_updates::id)
            .first(conn)
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
    }
    let started: DateTime<Utc> = incidents::table
        .find(incident)
        .select(incidents::started_at)
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(IncidentError::UnknownIncident(incident))?;
    let found = load(conn, incident)?;
    if found.updates.iter().any(|u| u.status == "resolved" || u.status == "completed") {
        return Err(IncidentError::AlreadyResolved);
    }
    let end = ended_at.unwrap_or(now);
    if end < started || end > now {
        return Err(IncidentError::Invalid("the end must lie between the start and now".to_owned()));
    }
    diesel::update(incidents::table.find(incident)).set(incidents::ended_at.eq(end)).execute(conn)?;
    let status = if found.kind == "maintenance" { "completed" } else { "resolved" };
    let update = insert_update(conn, incident, status, body, now, key)?;
    audit::record(
        conn,
        &actor
            .event("incident.resolve")
            .target(format!("incident:{incident}"))
            .details(serde_json::json!({ "ended_at": end })),
    )?;
    announce(conn, site, incident, update, now)?;
    Ok(update)
}

fn from_row(row: Row) -> Incident {
    Incident {
        id: row.0,
        kind: row.1,
        severity: row.2,
        title: Texts::from_json(&row.3),
        services: row.4,
        resources: Vec::new(),
        started_at: row.5,
        ended_at: row.6,
        announced_at: row.7,
        choice_deadline: row.8,
        storage_gb: row.9,
        storage_months: row.10,
        updates: Vec::new(),
    }
}

/// The columns `Incident` is read from, in its order.
macro_rules! incident_columns {
    () => {
        (
            incidents::id,
            incidents::kind,
            incidents::severity,
            incidents::title,
            incidents::services,
            incidents::started_at,
            incidents::ended_at,
            incidents::announced_at,
            incidents::choice_deadline,
            incidents::storage_gb,
            incidents::storage_months,
        )
    };
}

/// One incident with its resources and timeline.
pub fn load(conn: &mut PgConnection, id: i64) -> Result<Incident, IncidentError> {
    let row: Row = incidents::table
        .find(id)
        .select(incident_columns!())
        .first(conn)
        .optional()?
        .ok_or(IncidentError::UnknownIncident(id))?;
    let mut all = complete(conn, vec![from_row(row)])?;
    all.pop().ok_or(IncidentError::UnknownIncident(id))
}

/// Incidents started after `since` or still open, and maintenance not yet over; newest first.
pub fn recent(
    conn: &mut PgConnection,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Incident>, IncidentError> {
    let rows: Vec<Row> = incidents::table
        .filter(
            incidents::started_at
                .ge(since)
                .or(incidents::ended_at.is_null())
                .or(incidents::ended_at.ge(since)),
        )
        .order(incidents::started_at.desc())
        .limit(limit)
        .select(incident_columns!())
        .load(conn)?;
    complete(conn, rows.into_iter().map(from_row).collect())
}

/// Incidents touching any of `resource_ids`, newest first.
pub fn touching(
    conn: &mut PgConnection,
    resource_ids: &[i64],
    since: DateTime<Utc>,
) -> Result<Vec<Incident>, IncidentError> {
    let ids: Vec<i64> = incident_resources::table
        .filter(incident_resources::resource_id.eq_any(resource_ids))
        .select(incident_resources::incident_id)
        .distinct()
        .load(conn)?;
    let rows: Vec<Row> = incidents::table
        .filter(incidents::id.eq_any(ids))
        .filter(incidents::ended_at.is_null().or(incidents::ended_at.ge(since)))
        .order(incidents::started_at.desc())
        .select(incident_columns!())
        .load(conn)?;
    complete(conn, rows.into_iter().map(from_row).collect())
}

fn complete(conn: &mut PgConnection, mut found: Vec<Incident>) -> Result<Vec<Incident>, IncidentError> {
    let ids: Vec<i64> = found.iter().map(|i| i.id).collect();
    let links: Vec<(i64, String)> = incident_resources::table
        .inner_join(resources::table)
        .filter(incident_resources::incident_id.eq_any(&ids))
        .order(resources::code)
        .select((incident_resources::incident_id, resources::code))
        .load(conn)?;
    let updates: Vec<(i64, i64, DateTime<Utc>, String, serde_json::Value)> = incident_updates::table
        .filter(incident_updates::incident_id.eq_any(&ids))
        .order((incident_updates::posted_at, incident_updates::id))
        .select((
            incident_updates::incident_id,
            incident_updates::id,
            incident_updates::posted_at,
            incident_updates::status,
            incident_updates::body,
        ))
        .load(conn)?;
    for incident in &mut found {
        incident.resources =
            links.iter().filter(|(i, _)| *i == incident.id).map(|(_, c)| c.clone()).collect();
        incident.updates = updates
            .iter()
            .filter(|u| u.0 == incident.id)
            .map(|u| Update { id: u.1, posted_at: u.2, status: u.3.clone(), body: Texts::from_json(&u.4) })
            .collect();
    }
    Ok(found)
}
