//! The back office for incidents: support and admin staff open incidents, post updates in as
//! many of the seven languages as they write (English required) and resolve them; finance and
//! admin preview and issue compensation. Times here are UTC, as staff enter them.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::{Finance, Staff, Support};
use super::env::Env;
use super::form::{Form, path_id};
use super::render::page;
use super::status_pages::run;
use super::submit::Outcome;
use crate::accounts::Role;
use crate::audit::Actor;
use crate::i18n::format::money;
use crate::i18n::{LANGUAGES, t, t_args};
use crate::incidents::alternatives::{Alternative, Alternatives, Kind as AlternativeKind};
use crate::incidents::incident::{self, Kind, NewIncident, Offer, SEVERITIES, STATUSES};
use crate::incidents::{IncidentError, Texts, compensation, status};
use crate::jobs::run::{FIRST_STEPS, Ran};
use crate::jobs::worker::LEASE_SECONDS;
use crate::jobs::{self, Work};
use crate::money::Money;

fn can_edit(role: Role) -> bool {
    crate::web::Access::Support.admits(role)
}

fn can_issue(role: Role) -> bool {
    crate::web::Access::Finance.admits(role)
}

fn parse_time(text: &str) -> Result<Option<DateTime<Utc>>, IncidentError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Some(t.and_utc()));
        }
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| IncidentError::Invalid(format!("time {text:?}")))
}

/// The texts of a form in every language staff filled in, from the fields `<prefix>_<code>`
/// (one fieldset per language on the page); English is required, empty fields are left out.
fn texts(fields: &BTreeMap<String, String>, prefix: &str) -> Result<Texts, IncidentError> {
    Texts::parse(LANGUAGES.iter().filter_map(|code| {
        fields
            .get(&format!("{prefix}_{code}"))
            .filter(|text| !text.trim().is_empty())
            .map(|text| ((*code).to_owned(), text.clone()))
    }))
}

/// An incident's title and first text: a language has both or neither.
fn title_and_body(fields: &BTreeMap<String, String>) -> Result<(Texts, Texts), IncidentError> {
    let (title, body) = (texts(fields, "title")?, texts(fields, "body")?);
    if let Some(code) = title
        .0
        .keys()
        .chain(body.0.keys())
        .find(|code| !(title.0.contains_key(*code) && body.0.contains_key(*code)))
    {
        return Err(IncidentError::HalfTranslated(code.clone()));
    }
    Ok((title, body))
}

fn list_of(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

pub async fn list(env: Env, who: Staff) -> Result<HttpResponse, WebError> {
    list_with(&env, who.user.role, None).await
}

async fn list_with(env: &Env, role: Role, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let lang = env.lang.clone();
    let found = run(env, move |conn| {
        let all = incident::recent(conn, now - chrono::Duration::days(90), 200)?;
        let unplaced = crate::incidents::platform_moves::unplaced(conn, 50)?;
        Ok((all.iter().map(|i| status::view(&lang, None, i, now)).collect::<Vec<_>>(), unplaced))
    })
    .await?
    .map_err(|e| WebError::internal(&env.lang, e))?;
    let (found, (unplaced, unplaced_total)) = found;
    let unplaced: Vec<serde_json::Value> = unplaced
        .iter()
        .map(|u| {
            serde_json::json!({
                "customer": crate::invoicing::customer_number(u.customer_id),
                "email": u.email,
                "subscription": u.subscription_id,
                "since": crate::i18n::format::date(&env.lang, u.created_at.date_naive()),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("incidents", &found);
    context.insert("unplaced", &unplaced);
    context.insert("unplaced_total", &unplaced_total);
    context.insert("can_edit", &can_edit(role));
    context.insert("severities", &SEVERITIES);
    context.insert("statuses", &STATUSES);
    context.insert("notice", &notice);
    page("pages/incidents_admin.html", env, context)
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    services: String,
    #[serde(default)]
    resources: String,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    ended_at: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    offer_gb: String,
    #[serde(default)]
    offer_months: String,
    #[serde(default)]
    offer_deadline: String,
    #[serde(default)]
    offer_free_month: Option<String>,
    #[serde(default)]
    offer_charity: String,
    #[serde(default)]
    offer_default: String,
    /// `title_<code>` and `body_<code>` for each language written.
    #[serde(flatten)]
    texts: BTreeMap<String, String>,
}

/// What the form offers besides the credit: storage (GB and months), a free month, a donation
/// to a named charity, with the deadline and the default after it; `None` for the credit alone.
fn offer_of(form: &OpenForm) -> Result<Option<Offer>, IncidentError> {
    let mut offered = Vec::new();
    match (form.offer_gb.trim(), form.offer_months.trim()) {
        ("", "") => {}
        (gb, months) => offered.push(Alternative::Storage {
            gb: gb.parse().map_err(|_| IncidentError::Invalid("GB".into()))?,
            months: months.parse().map_err(|_| IncidentError::Invalid("months".into()))?,
        }),
    }
    if form.offer_free_month.is_some() {
        offered.push(Alternative::FreeMonth);
    }
    if !form.offer_charity.trim().is_empty() {
        offered.push(Alternative::Donation { charity: form.offer_charity.clone() });
    }
    if offered.is_empty() {
        return Ok(None);
    }
    let default = match form.offer_default.trim() {
        "" => AlternativeKind::Credit,
        other => AlternativeKind::parse(other).ok_or_else(|| IncidentError::Invalid("default".into()))?,
    };
    Ok(Some(Offer {
        deadline: parse_time(&form.offer_deadline)?.ok_or(IncidentError::Invalid("deadline".into()))?,
        alternatives: Alternatives::new(offered, default)?,
    }))
}

pub async fn open(env: Env, who: Support, form: Form<OpenForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let actor = Actor::person(who.user.id, env.ip.clone());
    let site = env.settings().site();
    let outcome = submit_incident(&env, &key, move |conn| {
        let offer = offer_of(&form)?;
        let (title, body) = title_and_body(&form.texts)?;
        let new = NewIncident {
            kind: if form.kind == "maintenance" { Kind::Maintenance } else { Kind::Incident },
            severity: form.severity,
            title,
            services: list_of(&form.services),
            resources: list_of(&form.resources),
            started_at: parse_time(&form.started_at)?.unwrap_or(now),
            ended_at: parse_time(&form.ended_at)?,
            status: form.status,
            body,
            offer,
            idempotency_key: None,
        };
        let id = incident::open(conn, &site, &new, &actor, now)?;
        Ok(format!("/backoffice/incidents/{id}"))
    })
    .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => refused(list_with(&env, who.user.role, Some(t(&env.lang, message))).await),
    }
}

/// The form's page again with why it was refused, as a 422: nothing was stored.
fn refused(page: Result<HttpResponse, WebError>) -> Result<HttpResponse, WebError> {
    let mut page = page?;
    *page.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(page)
}

/// Incident work once per submission key: its result page, or the message of a refusal a
/// person can correct (nothing is stored then).
async fn submit_incident<F>(
    env: &Env,
    key: &crate::web::form::SubmissionKey,
    work: F,
) -> Result<Result<HttpResponse, &'static str>, WebError>
where
    F: FnOnce(&mut diesel::PgConnection) -> Result<String, IncidentError> + Send + 'static,
{
    let outcome = env
        .submit(key, move |conn| match work(conn) {
            Ok(location) => Ok(Outcome::done(location)),
            Err(e) if e.message_id() != "error-internal" => Ok(Outcome::Refused(e.message_id())),
            Err(e) => Err(e),
        })
        .await?;
    if outcome.is_ok() {
        // After the commit: the public page's static copy follows every change.
        super::status_snapshot::refresh(&env.state).await;
    }
    Ok(outcome)
}

pub async fn show(env: Env, who: Staff, id: web::Path<String>) -> Result<HttpResponse, WebError> {
    let id = path_id(&env.lang, &id)?;
    show_with(&env, who.user.role, id, None).await
}

async fn show_with(env: &Env, role: Role, id: i64, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let lang = env.lang.clone();
    let seller = env.settings().billing().seller;
    let found = run(env, move |conn| {
        let found = incident::load(conn, id)?;
        let preview = match compensation::preview(conn, id, &seller, now) {
            Ok(p) => Some(p),
            Err(IncidentError::NotResolved) => None,
            Err(e) => return Err(e),
        };
        Ok((status::view(&lang, None, &found, now), preview))
    })
    .await?;
    let (view, preview) = match found {
        Ok(found) => found,
        Err("incident-error-unknown") => return Err(WebError::not_found(&env.lang)),
        Err(message) => return Err(WebError::internal(&env.lang, message)),
    };
    let totals: Vec<String> = preview
        .as_ref()
        .map(|p| {
            p.totals
                .iter()
                .map(|(code, amount): (&String, &Decimal)| {
                    iso_currency::Currency::from_code(code).map_or_else(
                        || format!("{amount} {code}"),
                        |c| money(&env.lang, Money::new(*amount, c)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut context = Context::new();
    context.insert("i", &view);
    context.insert("preview", &preview);
    context.insert("totals", &totals);
    context.insert("can_edit", &can_edit(role));
    context.insert("can_issue", &can_issue(role));
    context.insert("statuses", &STATUSES);
    context.insert("notice", &notice);
    page("pages/incident_admin.html", env, context)
}

#[derive(Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    ended_at: String,
    /// `body_<code>` for each language written.
    #[serde(flatten)]
    texts: BTreeMap<String, String>,
}

pub async fn update(
    env: Env,
    who: Support,
    id: web::Path<String>,
    form: Form<UpdateForm>,
) -> Result<HttpResponse, WebError> {
    change(env, who, id, form, false).await
}

pub async fn resolve(
    env: Env,
    who: Support,
    id: web::Path<String>,
    form: Form<UpdateForm>,
) -> Result<HttpResponse, WebError> {
    change(env, who, id, form, true).await
}

async fn change(
    env: Env,
    who: Support,
    id: web::Path<String>,
    form: Form<UpdateForm>,
    resolving: bool,
) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let id = path_id(&env.lang, &id)?;
    let actor = Actor::person(who.user.id, env.ip.clone());
    let site = env.settings().site();
    let outcome = submit_incident(&env, &key, move |conn| {
        let body = texts(&form.texts, "body")?;
        if resolving {
            incident::resolve(conn, &site, id, parse_time(&form.ended_at)?, &body, None, &actor, now)?;
        } else {
            incident::post_update(conn, &site, id, &form.status, &body, None, &actor, now)?;
        }
        Ok(format!("/backoffice/incidents/{id}"))
    })
    .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err("incident-error-unknown") => Err(WebError::not_found(&env.lang)),
        Err(message) => refused(show_with(&env, who.user.role, id, Some(t(&env.lang, message))).await),
    }
}

#[derive(Deserialize)]
pub struct IssueForm {}

/// Issues an incident's compensation as a job (100,000 subscriptions take about a minute) and
/// runs it for a moment: a short one is done by then and its result shown on the incident; a
/// long one goes on in the worker while the job's progress page shows how far it got. The key
/// is claimed first, so sending the form again leads where the first went.
pub async fn issue(
    env: Env,
    who: Finance,
    id: web::Path<String>,
    form: Form<IssueForm>,
) -> Result<HttpResponse, WebError> {
    let id = path_id(&env.lang, &id)?;
    if let Some(again) = env.claim(&form.key).await? {
        return Ok(again);
    }
    let work = Work::CompensationIssue { incident: id, user: Some(who.user.id), ip: env.ip.clone() };
    let user = who.user.id;
    let started = env.run(move |conn| jobs::enqueue(conn, &work, Some(user))).await;
    let job = match started {
        Ok(job) => job,
        Err(error) => {
            env.release(&form.key).await?;
            return Err(error);
        }
    };
    let context = jobs::run::Context {
        site: env.settings().site(),
        seller: env.settings().billing().seller,
        now: env.now,
        lease_seconds: LEASE_SECONDS,
    };
    let pool = env.state.pool.clone();
    let ran = web::block(move || jobs::run::run_for(&pool, &context, job, FIRST_STEPS))
        .await
        .map_err(|e| WebError::internal(&env.lang, e))
        .and_then(|ran| ran.map_err(|e| WebError::from_failure(&env.lang, &e)));
    match ran {
        Ok(Some(Ran::Done)) => {
            let done = env.run(move |conn| jobs::find(conn, job)).await?;
            let notice = issued_notice(&env.lang, &done.result);
            env.finish(&form.key, format!("/backoffice/incidents/{id}"), Some(notice)).await
        }
        Ok(Some(Ran::Refused(message))) => {
            env.release(&form.key).await?;
            match message {
                "incident-error-unknown" => Err(WebError::not_found(&env.lang)),
                message => show_with(&env, who.user.role, id, Some(t(&env.lang, message))).await,
            }
        }
        Ok(Some(Ran::HandedOver) | None) => {
            env.finish(&form.key, format!("/backoffice/jobs/{job}"), None).await
        }
        Err(error) => {
            env.release(&form.key).await?;
            Err(error)
        }
    }
}

/// What issuing compensation did, in the reader's words.
pub(super) fn issued_notice(lang: &crate::i18n::Lang, result: &serde_json::Value) -> String {
    let r: compensation::IssueReport = serde_json::from_value(result.clone()).unwrap_or_default();
    t_args(
        lang,
        "incidents-admin-issued-notice",
        &[
            ("credits", (r.credits as i64).into()),
            ("storage", (r.storage as i64).into()),
            ("nothing", (r.nothing as i64).into()),
            ("pending", (r.pending_choice as i64).into()),
        ],
    )
}
