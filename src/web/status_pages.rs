//! The public status page and its feeds (no sign-in, the visitor's language), the customer's
//! own incidents with their compensation and choices, and the monitoring API that opens,
//! updates and resolves incidents with a bearer token.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::csrf::CsrfForm;
use super::env::{AppState, Env};
use super::render::{page, see_other};
use crate::accounts::AccountError;
use crate::accounts::token::constant_time_eq;
use crate::i18n::format::money;
use crate::i18n::{Lang, t, t_args};
use crate::incidents::incident::{self, Kind, NewIncident};
use crate::incidents::{Actor, IncidentError, Texts, compensation, feeds, notices, status};
use crate::money::Money;

/// Runs incident work: errors a person can fix come back as their message id.
pub(super) async fn run<T, F>(env: &Env, work: F) -> Result<Result<T, &'static str>, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, IncidentError> + Send + 'static,
{
    env.db(move |conn| match conn.transaction(work) {
        Ok(value) => Ok(Ok(value)),
        Err(e) if e.message_id() != "error-internal" => Ok(Err(e.message_id())),
        Err(e) => Err(AccountError::Corrupt(e.to_string())),
    })
    .await
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

fn feed_lang(env: &Env, query: &LangQuery) -> Lang {
    query.lang.as_deref().and_then(Lang::supported).unwrap_or_else(|| env.lang.clone())
}

async fn public_page(env: &Env, lang: Lang) -> Result<status::StatusPage, WebError> {
    let now = env.now;
    let found = run(env, move |conn| status::public(conn, &lang, now)).await?;
    found.map_err(|e| WebError::internal(&env.lang, e))
}

pub async fn status_page(env: Env) -> Result<HttpResponse, WebError> {
    let view = public_page(&env, env.lang.clone()).await?;
    let mut context = Context::new();
    context.insert("status", &view);
    context.insert("staff_view", &false);
    page("pages/status.html", &env, context)
}

pub async fn atom(env: Env, query: web::Query<LangQuery>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let lang = feed_lang(&env, &query);
    let view = public_page(&env, lang.clone()).await?;
    let base = env.settings().public_url.trim_end_matches('/').to_owned();
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CONTENT_LANGUAGE, lang.code().to_owned()))
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .body(feeds::atom(&lang, &view, &base, now)))
}

pub async fn json_feed(env: Env, query: web::Query<LangQuery>) -> Result<HttpResponse, WebError> {
    let lang = feed_lang(&env, &query);
    let view = public_page(&env, lang.clone()).await?;
    let base = env.settings().public_url.trim_end_matches('/').to_owned();
    Ok(HttpResponse::Ok()
        .content_type("application/feed+json; charset=utf-8")
        .insert_header((header::CONTENT_LANGUAGE, lang.code().to_owned()))
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .body(feeds::json(&lang, &view, &base).to_string()))
}

/// The customer's incidents, their compensation and open choices.
pub async fn my_incidents(env: Env) -> Result<HttpResponse, WebError> {
    show_mine(&env, None).await
}

async fn show_mine(env: &Env, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = env.require_session()?;
    let customer = session.user.customer_id.ok_or_else(|| WebError::not_found(&env.lang))?.0;
    let lang = env.lang.clone();
    let found = run(env, move |conn| {
        let view = status::for_customer(conn, customer, &lang, now)?;
        let grants = crate::incidents::compensation::grants_of(conn, customer)?;
        let choices = crate::incidents::compensation::choices_of(conn, customer)?;
        let opted_in = notices::is_opted_in(conn, customer)?;
        Ok((view, grants, choices, opted_in))
    })
    .await?
    .map_err(|e| WebError::internal(&env.lang, e))?;
    let (view, grants, choices, opted_in) = found;
    let lang = &env.lang;
    let mut incidents = Vec::new();
    for i in view.current.iter().chain(&view.recent).chain(&view.upcoming) {
        let grant = grants.iter().find(|g| g.incident_id == i.id).map(|g| {
            let amount = iso_currency::Currency::from_code(&g.currency)
                .map_or_else(|| g.amount.to_string(), |c| money(lang, Money::new(g.amount, c)));
            serde_json::json!({
                "text": if g.option == "storage" { t(lang, "my-incidents-granted-storage") }
                        else { t_args(lang, "my-incidents-granted-credit", &[("amount", amount.into())]) },
                "reason": t_args(lang, crate::incidents::sla::Reason::parse(&g.reason)
                        .unwrap_or(crate::incidents::sla::Reason::WithinTarget).message_id(),
                    &[("hours", crate::i18n::format::number(lang, rust_decimal::Decimal::from(g.downtime_seconds) / rust_decimal::Decimal::from(3600), 1).into()),
                      ("percent", crate::i18n::format::number(lang, g.percent, 0).into())]),
            })
        });
        let choice = choices.iter().find(|c| c.0 == i.id).map(|c| c.1.clone());
        let choosing = i.offer_text.is_some() && grant.is_none() && i.choice_open;
        incidents.push(serde_json::json!({
            "view": i,
            "grant": grant,
            "choice": choice.map(|c| if c == "storage" { i.offer_text.clone().unwrap_or_default() } else { t(lang, "my-incidents-option-credit") }),
            "choosing": choosing,
            "deadline_text": i.choice_deadline.as_ref().map(|d| t_args(lang, "my-incidents-choose", &[("deadline", d.clone().into())])),
        }));
    }
    let mut context = Context::new();
    context.insert("incidents", &incidents);
    context.insert("opted_in", &opted_in);
    context.insert("notice", &notice);
    page("pages/my_incidents.html", env, context)
}

#[derive(Deserialize)]
pub struct NoticesForm {
    #[serde(default)]
    notices: Option<String>,
}

pub async fn set_notices(env: Env, CsrfForm(form): CsrfForm<NoticesForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = env.require_session()?;
    let customer = session.user.customer_id.ok_or_else(|| WebError::not_found(&env.lang))?.0;
    let on = form.notices.is_some();
    run(&env, move |conn| notices::set_opt_in(conn, customer, on, now))
        .await?
        .map_err(|e| WebError::internal(&env.lang, e))?;
    Ok(see_other("/account/incidents"))
}

#[derive(Deserialize)]
pub struct ChoiceForm {
    #[serde(default)]
    option: String,
}

pub async fn choose(
    env: Env,
    incident: web::Path<String>,
    CsrfForm(form): CsrfForm<ChoiceForm>,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = env.require_session()?;
    let customer = session.user.customer_id.ok_or_else(|| WebError::not_found(&env.lang))?.0;
    let incident: i64 = incident.parse().map_err(|_| WebError::not_found(&env.lang))?;
    let outcome =
        run(&env, move |conn| compensation::choose(conn, customer, incident, &form.option, now)).await?;
    match outcome {
        Ok(()) => show_mine(&env, Some(t(&env.lang, "my-incidents-choice-saved"))).await,
        Err("incident-error-unknown") => Err(WebError::not_found(&env.lang)),
        Err(message) => show_mine(&env, Some(t(&env.lang, message))).await,
    }
}

// The monitoring API: JSON with a bearer token (KONTOR_INCIDENT_TOKEN); off (404) without one.

/// `None` when the bearer token matches; else the refusal to send.
fn refusal(state: &AppState, req: &HttpRequest) -> Option<HttpResponse> {
    let Some(expected) = state.settings.incident_token.clone() else {
        return Some(HttpResponse::NotFound().finish());
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
        None
    } else {
        Some(
            HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"kontor-incidents\""))
                .json(serde_json::json!({ "error": "unauthorized" })),
        )
    }
}

#[derive(Deserialize)]
pub struct ApiIncident {
    #[serde(default)]
    kind: Option<String>,
    severity: String,
    title: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    resources: Vec<String>,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    #[serde(default)]
    status: Option<String>,
    body: std::collections::BTreeMap<String, String>,
    idempotency_key: Option<String>,
}

#[derive(Deserialize)]
pub struct ApiUpdate {
    #[serde(default)]
    status: Option<String>,
    body: std::collections::BTreeMap<String, String>,
    ended_at: Option<DateTime<Utc>>,
    idempotency_key: Option<String>,
}

fn api_answer(result: Result<Result<i64, &'static str>, WebError>, field: &str) -> HttpResponse {
    match result {
        Ok(Ok(id)) => HttpResponse::Ok().json(serde_json::json!({ field: id })),
        Ok(Err(message)) => HttpResponse::UnprocessableEntity().json(serde_json::json!({
            "error": message, "message": t(&Lang::english(), message)
        })),
        Err(error) => {
            tracing::error!(%error, "incident API");
            HttpResponse::InternalServerError().json(serde_json::json!({ "error": "internal" }))
        }
    }
}

pub async fn api_open(env: Env, req: HttpRequest, body: web::Json<ApiIncident>) -> HttpResponse {
    let now = env.now;
    if let Some(refused) = refusal(&env.state, &req) {
        return refused;
    }
    let body = body.into_inner();
    let site = env.settings().site();
    let ip = env.ip.clone();
    let result = run(&env, move |conn| {
        let kind =
            if body.kind.as_deref() == Some("maintenance") { Kind::Maintenance } else { Kind::Incident };
        let new = NewIncident {
            kind,
            severity: body.severity,
            title: Texts::parse(body.title)?,
            services: body.services,
            resources: body.resources,
            started_at: body.started_at.unwrap_or(now),
            ended_at: body.ended_at,
            status: body.status.unwrap_or_else(|| {
                if kind == Kind::Maintenance { "scheduled" } else { "investigating" }.to_owned()
            }),
            body: Texts::parse(body.body)?,
            offer: None,
            idempotency_key: body.idempotency_key.map(|k| format!("api:{k}")),
        };
        incident::open(conn, &site, &new, &Actor::system(&format!("monitoring {ip}")), now)
    })
    .await;
    api_answer(result, "incident")
}

pub async fn api_update(
    env: Env,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<ApiUpdate>,
) -> HttpResponse {
    let now = env.now;
    if let Some(refused) = refusal(&env.state, &req) {
        return refused;
    }
    let (id, body, site, ip) = (id.into_inner(), body.into_inner(), env.settings().site(), env.ip.clone());
    let result = run(&env, move |conn| {
        let texts = Texts::parse(body.body)?;
        let status = body.status.unwrap_or_else(|| "investigating".to_owned());
        let key = body.idempotency_key.map(|k| format!("api:{k}"));
        incident::post_update(
            conn,
            &site,
            id,
            &status,
            &texts,
            key.as_deref(),
            &Actor::system(&format!("monitoring {ip}")),
            now,
        )
    })
    .await;
    api_answer(result, "update")
}

pub async fn api_resolve(
    env: Env,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<ApiUpdate>,
) -> HttpResponse {
    let now = env.now;
    if let Some(refused) = refusal(&env.state, &req) {
        return refused;
    }
    let (id, body, site, ip) = (id.into_inner(), body.into_inner(), env.settings().site(), env.ip.clone());
    let result = run(&env, move |conn| {
        let texts = Texts::parse(body.body)?;
        let key = body.idempotency_key.map(|k| format!("api:{k}"));
        incident::resolve(
            conn,
            &site,
            id,
            body.ended_at,
            &texts,
            key.as_deref(),
            &Actor::system(&format!("monitoring {ip}")),
            now,
        )
    })
    .await;
    api_answer(result, "update")
}

/// The monitoring API's routes: bearer-token JSON, so outside the form route table (whose
/// tests require a CSRF token on every POST).
pub fn monitoring_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/incidents", web::post().to(api_open));
    cfg.route("/api/incidents/{id}/updates", web::post().to(api_update));
    cfg.route("/api/incidents/{id}/resolve", web::post().to(api_resolve));
}
