//! What the status page shows, in the reader's language: current incidents, recent ones and
//! upcoming maintenance, each with its timeline; and the same for one customer's resources.
//!
//! Times are written in the reader's zone when Kontor knows it (a signed-in customer's profile
//! setting), else in UTC, labelled so, for the page's script (`assets/js/local-time.js`) to
//! rewrite into the browser's zone; the `datetime` attribute always carries the instant.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use diesel::PgConnection;
use diesel::prelude::*;
use serde::Serialize;

use super::IncidentError;
use super::incident::{self, Incident};
use crate::i18n::format::date;
use crate::i18n::{Lang, t};

/// Recent means started in the last 14 days.
pub const RECENT_DAYS: i64 = 14;

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub posted_at: String,
    pub posted_at_iso: String,
    pub status: String,
    pub body: String,
    /// The language the body is shown in (English when the reader's is missing).
    pub body_lang: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub id: i64,
    pub kind: String,
    pub severity: String,
    pub severity_label: String,
    pub title: String,
    pub services: Vec<String>,
    pub resources: Vec<String>,
    pub started_at: String,
    pub started_at_iso: String,
    pub ended_at: Option<String>,
    pub ended_at_iso: Option<String>,
    pub status: String,
    pub updates: Vec<UpdateView>,
    pub offers_choice: bool,
    pub choice_deadline: Option<String>,
    /// "N GB extra storage for M months" when the incident offers it.
    pub offer_text: Option<String>,
    /// Whether the deadline for choosing has not passed yet.
    pub choice_open: bool,
    pub updated_at_iso: String,
    /// The zone the times are written in, when it is the reader's own (the browser leaves
    /// them alone then); none: UTC, for the browser to rewrite.
    pub zone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusPage {
    pub all_operational: bool,
    /// Each service with its state and 90 days of history (empty for a customer's own page).
    pub components: Vec<super::components::Component>,
    pub current: Vec<IncidentView>,
    pub upcoming: Vec<IncidentView>,
    pub recent: Vec<IncidentView>,
}

/// `05.12.2026 10:00 Europe/Oslo` in the reader's zone, else `05.12.2026 09:00 UTC`.
pub fn when(lang: &Lang, zone: Option<Tz>, at: DateTime<Utc>) -> String {
    match zone {
        Some(zone) => {
            let local = at.with_timezone(&zone);
            format!("{} {} {}", date(lang, local.date_naive()), local.format("%H:%M"), zone.name())
        }
        None => format!("{} {} UTC", date(lang, at.date_naive()), at.format("%H:%M")),
    }
}

/// The zone a customer chose in their settings, if they chose one Kontor knows.
pub fn chosen_zone(conn: &mut PgConnection, customer: i64) -> Result<Option<Tz>, IncidentError> {
    let chosen: Option<Option<String>> = crate::db::schema::customers::table
        .find(customer)
        .select(crate::db::schema::customers::time_zone)
        .first(conn)
        .optional()?;
    Ok(chosen.flatten().and_then(|name| name.parse::<Tz>().ok()))
}

fn status_label(lang: &Lang, status: &str) -> String {
    t(lang, &format!("incident-status-{}", status.replace('_', "-")))
}

pub fn view(lang: &Lang, zone: Option<Tz>, i: &Incident, now: DateTime<Utc>) -> IncidentView {
    let updates: Vec<UpdateView> = i
        .updates
        .iter()
        .rev()
        .map(|u| UpdateView {
            posted_at: when(lang, zone, u.posted_at),
            posted_at_iso: u.posted_at.to_rfc3339(),
            status: status_label(lang, &u.status),
            body: u.body.get(lang).to_owned(),
            body_lang: if u.body.has(lang) { lang.code().to_owned() } else { "en".to_owned() },
        })
        .collect();
    IncidentView {
        id: i.id,
        kind: i.kind.clone(),
        severity: i.severity.clone(),
        severity_label: t(lang, &format!("incident-severity-{}", i.severity)),
        title: i.title.get(lang).to_owned(),
        services: i.services.iter().map(|s| t(lang, &format!("incident-service-{s}"))).collect(),
        resources: i.resources.clone(),
        started_at: when(lang, zone, i.started_at),
        started_at_iso: i.started_at.to_rfc3339(),
        ended_at: i.ended_at.map(|e| when(lang, zone, e)),
        ended_at_iso: i.ended_at.map(|e| e.to_rfc3339()),
        status: status_label(lang, i.latest_status()),
        updates,
        offers_choice: i.storage_gb.is_some(),
        choice_deadline: i.choice_deadline.map(|d| when(lang, zone, d)),
        offer_text: i.storage_gb.zip(i.storage_months).map(|(gb, months)| {
            crate::i18n::t_args(
                lang,
                "my-incidents-option-storage",
                &[("gb", i64::from(gb).into()), ("months", i64::from(months).into())],
            )
        }),
        choice_open: i.choice_deadline.is_some_and(|d| now <= d),
        updated_at_iso: i.updates.last().map_or(i.started_at, |u| u.posted_at).to_rfc3339(),
        zone: zone.map(|z| z.name().to_owned()),
    }
}

/// Sorts incidents into current, upcoming maintenance and recent (resolved).
pub fn sort(lang: &Lang, zone: Option<Tz>, all: &[Incident], now: DateTime<Utc>) -> StatusPage {
    let mut page = StatusPage {
        all_operational: true,
        components: vec![],
        current: vec![],
        upcoming: vec![],
        recent: vec![],
    };
    for i in all {
        let v = view(lang, zone, i, now);
        if i.kind == "maintenance" && i.started_at > now {
            page.upcoming.push(v);
        } else if i.ended_at.is_none_or(|end| end > now) && !i.is_resolved(now) {
            page.all_operational = false;
            page.current.push(v);
        } else {
            page.recent.push(v);
        }
    }
    page.upcoming.reverse();
    page
}

/// The public page for a reader of `lang`, times in `zone` (none: UTC for the browser).
pub fn public(
    conn: &mut PgConnection,
    lang: &Lang,
    zone: Option<Tz>,
    now: DateTime<Utc>,
) -> Result<StatusPage, IncidentError> {
    let all = incident::recent(conn, now - Duration::days(RECENT_DAYS), 100)?;
    let mut page = sort(lang, zone, &all, now);
    page.components = super::components::of_status(conn, lang, now)?;
    Ok(page)
}

/// Incidents touching the resources the customer is (or was, in the window) placed on.
pub fn for_customer(
    conn: &mut PgConnection,
    customer: i64,
    lang: &Lang,
    now: DateTime<Utc>,
) -> Result<StatusPage, IncidentError> {
    let resources: Vec<i64> =
        super::placements::current_resources(conn, customer)?.into_iter().map(|r| r.0).collect();
    let all = incident::touching(conn, &resources, now - Duration::days(RECENT_DAYS * 3))?;
    let zone = chosen_zone(conn, customer)?;
    Ok(sort(lang, zone, &all, now))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn times_are_written_in_the_reader_s_zone_or_in_utc_labelled_so() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 7, 0, 0).unwrap();
        let nb = Lang::supported("nb").unwrap();
        assert_eq!(when(&nb, Some(chrono_tz::Europe::Oslo), at), "05.12.2026 08:00 Europe/Oslo");
        assert_eq!(when(&nb, None, at), "05.12.2026 07:00 UTC");
        // Summer time, and a day that is another day there.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(
            when(&Lang::english(), Some(chrono_tz::Europe::Oslo), summer),
            "02/07/2026 01:30 Europe/Oslo"
        );
    }
}
