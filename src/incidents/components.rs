//! The services a customer uses, as the status page shows them: each with its state now and
//! its uptime over the last 90 days, day by day, computed from incidents (announced
//! maintenance is not downtime).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use super::IncidentError;
use super::downtime::{Interval, union};
use crate::db::schema::incidents;
use crate::i18n::format::date;
use crate::i18n::{Lang, t, t_args};

/// Days of history on the page.
pub const HISTORY_DAYS: i64 = 90;

/// The components and the incident services that affect each. The portal is affected only by
/// incidents and maintenance staff announce for it (service `portal`); otherwise it is shown
/// operational while it renders this page (the static copy says so as of its render).
pub const COMPONENTS: [(&str, &[&str]); 4] =
    [("mail", &["mail"]), ("webmail", &["web"]), ("storage", &["storage"]), ("portal", &["portal"])];

/// The component codes, in the page's order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    COMPONENTS.iter().map(|(code, _)| *code)
}

/// The components that incident services (an incident's own and its resources') touch.
pub fn touched_by<'a>(services: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let services: Vec<&str> = services.into_iter().collect();
    COMPONENTS
        .iter()
        .filter(|(_, affected_by)| affected_by.iter().any(|s| services.contains(s)))
        .map(|(code, _)| *code)
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Day {
    pub date: String,
    /// ok, degraded (some downtime, 99 % or more up) or down (less).
    pub state: &'static str,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub code: &'static str,
    pub name: String,
    /// operational, maintenance, degraded or outage.
    pub state: &'static str,
    pub state_label: String,
    pub uptime: String,
    pub days: Vec<Day>,
}

type Row = (Vec<String>, String, String, DateTime<Utc>, Option<DateTime<Utc>>);

/// Every component in the reader's language as of `now`.
pub fn of_status(
    conn: &mut PgConnection,
    lang: &Lang,
    now: DateTime<Utc>,
) -> Result<Vec<Component>, IncidentError> {
    let today = now.date_naive();
    let first_day = today - Duration::days(HISTORY_DAYS - 1);
    let since = first_day.and_time(NaiveTime::MIN).and_utc();
    let rows: Vec<Row> = incidents::table
        .filter(incidents::started_at.le(now))
        .filter(incidents::ended_at.is_null().or(incidents::ended_at.gt(since)))
        .select((
            incidents::services,
            incidents::kind,
            incidents::severity,
            incidents::started_at,
            incidents::ended_at,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(COMPONENTS.len());
    for (code, services) in COMPONENTS {
        let touches = |row: &Row| row.0.iter().any(|s| services.contains(&s.as_str()));
        let current: Vec<&Row> =
            rows.iter().filter(|r| touches(r) && r.4.is_none_or(|end| end > now)).collect();
        let state = if current.iter().any(|r| r.1 == "incident" && r.2 == "critical") {
            "outage"
        } else if current.iter().any(|r| r.1 == "incident") {
            "degraded"
        } else if current.is_empty() {
            "operational"
        } else {
            "maintenance"
        };
        let down = union(
            rows.iter()
                .filter(|r| touches(r) && r.1 == "incident")
                .map(|r| Interval::new(r.3.timestamp(), r.4.unwrap_or(now).min(now).timestamp()))
                .collect(),
        );
        let mut days = Vec::with_capacity(HISTORY_DAYS as usize);
        let mut total_down = 0;
        for offset in 0..HISTORY_DAYS {
            let day = first_day + Duration::days(offset);
            let start = day.and_time(NaiveTime::MIN).and_utc().timestamp();
            let length = if day == today { (now.timestamp() - start).max(1) } else { 86_400 };
            let span = Interval::new(start, start + length);
            let seconds: i64 = down.iter().map(|d| d.clip(span).seconds()).sum();
            total_down += seconds;
            let percent = super::sla::availability_percent(seconds, length);
            days.push(Day {
                date: day.format("%Y-%m-%d").to_string(),
                state: if seconds == 0 {
                    "ok"
                } else if percent >= Decimal::from(99) {
                    "degraded"
                } else {
                    "down"
                },
                title: t_args(
                    lang,
                    "status-uptime-day",
                    &[
                        ("date", date(lang, day).into()),
                        ("percent", crate::i18n::format::number(lang, percent, 2).into()),
                    ],
                ),
            });
        }
        let observed = now.timestamp() - since.timestamp();
        let uptime = super::sla::availability_percent(total_down, observed.max(1));
        out.push(Component {
            code,
            name: t(lang, &format!("component-{code}")),
            state,
            state_label: t(lang, &format!("component-state-{state}")),
            uptime: t_args(
                lang,
                "status-uptime",
                &[
                    ("percent", crate::i18n::format::number(lang, uptime, 2).into()),
                    ("days", HISTORY_DAYS.into()),
                ],
            ),
            days,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn services_touch_their_components() {
        assert_eq!(super::touched_by(["web", "storage"]), vec!["webmail", "storage"]);
        assert_eq!(super::touched_by(["portal"]), vec!["portal"]);
        assert!(super::touched_by([]).is_empty());
    }
}
