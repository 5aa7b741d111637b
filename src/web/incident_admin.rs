//! The back office for incidents: support and admin staff open incidents, post updates in
//! several languages and resolve them; finance and admin preview and issue compensation.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::backoffice::staff_session;
use super::csrf::CsrfForm;
use super::env::Env;
use super::render::{page, see_other};
use super::status_pages::run;
use crate::accounts::Role;
use crate::i18n::format::money;
use crate::i18n::{t, t_args};
use crate::incidents::incident::{self, Kind, NewIncident, SEVERITIES, STATUSES, StorageOffer};
use crate::incidents::{Actor, IncidentError, Texts, compensation, status};
use crate::money::Money;

fn can_edit(role: Role) -> bool {
    matches!(role, Role::Support | Role::Admin)
}

fn can_issue(role: Role) -> bool {
    matches!(role, Role::Finance | Role::Admin)
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

fn texts(en: &str, other_lang: &str, other: &str) -> Result<Texts, IncidentError> {
    let mut pairs = vec![("en".to_owned(), en.to_owned())];
    if !other_lang.trim().is_empty() && !other.trim().is_empty() {
        pairs.push((other_lang.to_owned(), other.to_owned()));
    }
    Texts::parse(pairs)
}

fn list_of(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

pub async fn list(env: Env) -> Result<HttpResponse, WebError> {
    list_with(&env, None).await
}

async fn list_with(env: &Env, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = staff_session(env)?;
    let role = session.user.role;
    let lang = env.lang.clone();
    let found = run(env, move |conn| {
        let all = incident::recent(conn, now - chrono::Duration::days(90), 200)?;
        Ok(all.iter().map(|i| status::view(&lang, i, now)).collect::<Vec<_>>())
    })
    .await?
    .map_err(|e| WebError::internal(&env.lang, e))?;
    let mut context = Context::new();
    context.insert("incidents", &found);
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
    title_en: String,
    #[serde(default)]
    body_en: String,
    #[serde(default)]
    other_lang: String,
    #[serde(default)]
    title_other: String,
    #[serde(default)]
    body_other: String,
    #[serde(default)]
    offer_gb: String,
    #[serde(default)]
    offer_months: String,
    #[serde(default)]
    offer_deadline: String,
}

pub async fn open(env: Env, CsrfForm(form): CsrfForm<OpenForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = staff_session(&env)?;
    if !can_edit(session.user.role) {
        return Err(WebError::not_found(&env.lang));
    }
    let actor = Actor { user: Some(session.user.id), ip: env.ip.clone() };
    let site = env.settings().site();
    let outcome = run(&env, move |conn| {
        let offer = match (form.offer_gb.trim(), form.offer_months.trim()) {
            ("", "") => None,
            (gb, months) => Some(StorageOffer {
                storage_gb: gb.parse().map_err(|_| IncidentError::Invalid("GB".into()))?,
                months: months.parse().map_err(|_| IncidentError::Invalid("months".into()))?,
                deadline: parse_time(&form.offer_deadline)?
                    .ok_or(IncidentError::Invalid("deadline".into()))?,
            }),
        };
        let new = NewIncident {
            kind: if form.kind == "maintenance" { Kind::Maintenance } else { Kind::Incident },
            severity: form.severity,
            title: texts(&form.title_en, &form.other_lang, &form.title_other)?,
            services: list_of(&form.services),
            resources: list_of(&form.resources),
            started_at: parse_time(&form.started_at)?.unwrap_or(now),
            ended_at: parse_time(&form.ended_at)?,
            status: form.status,
            body: texts(&form.body_en, &form.other_lang, &form.body_other)?,
            offer,
            idempotency_key: None,
        };
        incident::open(conn, &site, &new, &actor, now)
    })
    .await?;
    match outcome {
        Ok(id) => Ok(see_other(&format!("/backoffice/incidents/{id}"))),
        Err(message) => list_with(&env, Some(t(&env.lang, message))).await,
    }
}

pub async fn show(env: Env, id: web::Path<String>) -> Result<HttpResponse, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found(&env.lang))?;
    show_with(&env, id, None).await
}

async fn show_with(env: &Env, id: i64, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = staff_session(env)?;
    let role = session.user.role;
    let lang = env.lang.clone();
    let found = run(env, move |conn| {
        let found = incident::load(conn, id)?;
        let preview = match compensation::preview(conn, id, now) {
            Ok(p) => Some(p),
            Err(IncidentError::NotResolved) => None,
            Err(e) => return Err(e),
        };
        Ok((status::view(&lang, &found, now), preview))
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
    #[serde(default)]
    body_en: String,
    #[serde(default)]
    other_lang: String,
    #[serde(default)]
    body_other: String,
}

pub async fn update(
    env: Env,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<UpdateForm>,
) -> Result<HttpResponse, WebError> {
    change(env, id, form, false).await
}

pub async fn resolve(
    env: Env,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<UpdateForm>,
) -> Result<HttpResponse, WebError> {
    change(env, id, form, true).await
}

async fn change(
    env: Env,
    id: web::Path<String>,
    form: UpdateForm,
    resolving: bool,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = staff_session(&env)?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found(&env.lang))?;
    if !can_edit(session.user.role) {
        return Err(WebError::not_found(&env.lang));
    }
    let actor = Actor { user: Some(session.user.id), ip: env.ip.clone() };
    let site = env.settings().site();
    let outcome = run(&env, move |conn| {
        let body = texts(&form.body_en, &form.other_lang, &form.body_other)?;
        if resolving {
            incident::resolve(conn, &site, id, parse_time(&form.ended_at)?, &body, None, &actor, now)
        } else {
            incident::post_update(conn, &site, id, &form.status, &body, None, &actor, now)
        }
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/backoffice/incidents/{id}"))),
        Err("incident-error-unknown") => Err(WebError::not_found(&env.lang)),
        Err(message) => show_with(&env, id, Some(t(&env.lang, message))).await,
    }
}

#[derive(Deserialize)]
pub struct IssueForm {}

pub async fn issue(
    env: Env,
    id: web::Path<String>,
    CsrfForm(_form): CsrfForm<IssueForm>,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = staff_session(&env)?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found(&env.lang))?;
    if !can_issue(session.user.role) {
        return Err(WebError::not_found(&env.lang));
    }
    let actor = Actor { user: Some(session.user.id), ip: env.ip.clone() };
    let site = env.settings().site();
    let pool = env.state.pool.clone();
    let lang = env.lang.clone();
    let outcome = actix_web::web::block(move || compensation::issue(&pool, &site, id, &actor, now))
        .await
        .map_err(|e| WebError::internal(&lang, e))?;
    let notice = match outcome {
        Ok(r) => t_args(
            &env.lang,
            "incidents-admin-issued-notice",
            &[
                ("credits", (r.credits as i64).into()),
                ("storage", (r.storage as i64).into()),
                ("nothing", (r.nothing as i64).into()),
                ("pending", (r.pending_choice as i64).into()),
            ],
        ),
        Err(IncidentError::UnknownIncident(_)) => return Err(WebError::not_found(&env.lang)),
        Err(e) if e.message_id() != "error-internal" => t(&env.lang, e.message_id()),
        Err(e) => return Err(WebError::internal(&env.lang, e)),
    };
    show_with(&env, id, Some(notice)).await
}
