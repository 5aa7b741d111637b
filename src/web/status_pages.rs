//! The public status page and its feeds (no sign-in, the visitor's language), the customer's
//! own incidents with their compensation and choices, and the monitoring API that opens,
//! updates and resolves incidents with a bearer token.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::env::Env;
use super::form::{Form, path_id};
use super::render::page;
use super::status_snapshot;
use super::submit::Outcome;
use crate::accounts::AccountError;
use crate::audit::Actor;
use crate::i18n::format::money;
use crate::i18n::{Lang, t, t_args};
use crate::incidents::compensation::Entitlement;
use crate::incidents::incident::{self, Kind, NewIncident};
use crate::incidents::{IncidentError, Texts, compensation, notices, status};
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

/// How long the status page and its feeds wait for the database before answering from the
/// last snapshot: a reader during an outage gets the page at once, not after the pool's 30 s.
const DATABASE_PATIENCE: std::time::Duration = std::time::Duration::from_millis(400);
/// And for the whole read, should a connection be had but the server hang.
const READ_PATIENCE: std::time::Duration = std::time::Duration::from_millis(1500);

/// The status documents for `lang` from the database, or `None` when it does not answer soon.
async fn live_documents(env: &Env, lang: Lang) -> Option<[(&'static str, Vec<u8>); 3]> {
    let state = env.state.clone();
    let reader = status_snapshot::Reader {
        customer: env.session.as_ref().and_then(|s| s.user.customer_id).map(|c| c.0),
        csrf: Some(env.csrf.clone()),
        signed_in: env.session.as_ref().map(|s| (s.user.email.clone(), s.user.role.is_staff())),
    };
    let read = web::block(move || -> Option<[(&'static str, Vec<u8>); 3]> {
        let mut conn = state.pool.get_timeout(DATABASE_PATIENCE).ok()?;
        match status_snapshot::documents(&mut conn, &state.settings, &lang, &reader) {
            Ok(documents) => Some(documents),
            Err(error) => {
                tracing::error!(%error, "status page");
                None
            }
        }
    });
    actix_web::rt::time::timeout(READ_PATIENCE, read).await.ok()?.ok()?
}

/// One of the status documents: live, or from the last snapshot when the database is down
/// (marked with `X-Kontor-Snapshot`), or 503 when there is neither.
async fn status_document(env: &Env, lang: Lang, name: &str, content_type: &str) -> HttpResponse {
    let (body, from_snapshot) = match live_documents(env, lang.clone()).await {
        Some(documents) => (documents.into_iter().find(|(n, _)| *n == name).map(|(_, bytes)| bytes), false),
        None => (status_snapshot::read(env.settings(), &lang, name), true),
    };
    let Some(body) = body else {
        return HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, "60"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body(t(&lang, "status-unavailable"));
    };
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((header::CONTENT_LANGUAGE, lang.code().to_owned()))
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if from_snapshot {
        response.insert_header(("X-Kontor-Snapshot", "1"));
    }
    response.body(body)
}

/// The public status page; `?lang=` picks a language as the feeds do.
pub async fn status_page(env: Env, query: web::Query<LangQuery>) -> HttpResponse {
    let lang = feed_lang(&env, &query);
    status_document(&env, lang, status_snapshot::PAGE, "text/html; charset=utf-8").await
}

pub async fn atom(env: Env, query: web::Query<LangQuery>) -> HttpResponse {
    let lang = feed_lang(&env, &query);
    status_document(&env, lang, status_snapshot::ATOM, "application/atom+xml; charset=utf-8").await
}

pub async fn json_feed(env: Env, query: web::Query<LangQuery>) -> HttpResponse {
    let lang = feed_lang(&env, &query);
    status_document(&env, lang, status_snapshot::JSON, "application/feed+json; charset=utf-8").await
}

/// The customer's incidents, their compensation and open choices.
pub async fn my_incidents(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    show_mine(&env, &who, None).await
}

async fn show_mine(env: &Env, who: &Customer, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let customer = who.customer.0;
    let lang = env.lang.clone();
    let seller = env.settings().billing().seller;
    let found = run(env, move |conn| {
        let view = status::for_customer(conn, customer, &lang, now)?;
        let grants = crate::incidents::grants::grants_of(conn, customer)?;
        let choices = crate::incidents::grants::choices_of(conn, customer)?;
        let opted_in = notices::is_opted_in(conn, customer)?;
        // What each open offer means for this customer: the choice is theirs only when the
        // incident gives them more than nothing.
        let mut entitlements = std::collections::HashMap::new();
        let mut offers = std::collections::HashMap::new();
        for i in view.current.iter().chain(&view.recent).chain(&view.upcoming) {
            let offered = crate::incidents::alternatives::of_incident(conn, i.id)?;
            if offered.is_choice() && i.choice_open && !grants.iter().any(|g| g.incident_id == i.id) {
                entitlements.insert(i.id, compensation::entitlement(conn, customer, i.id, &seller, now)?);
            }
            offers.insert(i.id, offered);
        }
        Ok((view, grants, choices, opted_in, entitlements, offers))
    })
    .await?
    .map_err(|e| WebError::internal(&env.lang, e))?;
    let (view, grants, choices, opted_in, entitlements, offers) = found;
    let formats = crate::i18n::format::Formats::new(&env.lang, "");
    let lang = &env.lang;
    let mut incidents = Vec::new();
    for i in view.current.iter().chain(&view.recent).chain(&view.upcoming) {
        let offered = offers
            .get(&i.id)
            .cloned()
            .unwrap_or_else(crate::incidents::alternatives::Alternatives::credit_only);
        let charity = offered.charity().unwrap_or_default().to_owned();
        let choice = choices.iter().find(|c| c.0 == i.id).map(|c| c.1.clone());
        let grant = grants.iter().find(|g| g.incident_id == i.id).map(|g| {
            let amount = iso_currency::Currency::from_code(&g.currency)
                .map_or_else(|| g.amount.to_string(), |c| money(lang, Money::new(g.amount, c)));
            serde_json::json!({
                "text": match g.option.as_str() {
                    "storage" => t(lang, "my-incidents-granted-storage"),
                    "free_month" => t_args(lang, "my-incidents-granted-free-month", &[("amount", amount.into())]),
                    "donation" => t_args(lang, "my-incidents-granted-donation", &[("amount", amount.into()), ("charity", charity.clone().into())]),
                    _ => t_args(lang, "my-incidents-granted-credit", &[("amount", amount.into())]),
                },
                "reason": reason_text(lang, crate::incidents::sla::Reason::parse(&g.reason)
                        .unwrap_or(crate::incidents::sla::Reason::WithinTarget), g.downtime_seconds, g.percent),
            })
        });
        let deadline = i.choice_deadline.clone().unwrap_or_default();
        // The options with what each means in money, or why there is nothing to choose.
        let (offer, nothing, later) = match entitlements.get(&i.id) {
            Some(Entitlement::Credit { amount, free_month, .. }) => {
                // Each alternative offered to this customer, with its worth in their currency;
                // the one they chose (else the default) preselected.
                let chosen = choice.clone().unwrap_or_else(|| offered.default.as_str().to_owned());
                let options: Vec<_> = crate::incidents::alternatives::described(lang, &formats, &offered, *amount, *free_month)
                    .into_iter()
                    .map(|(kind, text)| {
                        let text = if kind == offered.default {
                            format!("{text} {}", t(lang, "compensation-alt-default"))
                        } else {
                            text
                        };
                        serde_json::json!({ "value": kind.as_str(), "text": text, "checked": kind.as_str() == chosen })
                    })
                    .collect();
                (Some(options), None, None)
            }
            Some(Entitlement::Nothing { reason, downtime_seconds, percent }) => (
                None,
                Some(t_args(
                    lang,
                    "my-incidents-nothing-due",
                    &[("reason", reason_text(lang, *reason, *downtime_seconds, *percent).into())],
                )),
                None,
            ),
            Some(Entitlement::Unresolved) => (
                None,
                None,
                Some(t_args(lang, "my-incidents-choose-later", &[("deadline", deadline.clone().into())])),
            ),
            None => (None, None, None),
        };
        incidents.push(serde_json::json!({
            "view": i,
            "grant": grant,
            "choice": choice.map(|c| t(lang, &format!("compensation-kind-{}", c.replace('_', "-")))),
            "offer": offer,
            "nothing": nothing,
            "later": later,
            "deadline_text": t_args(lang, "my-incidents-choose", &[("deadline", deadline.into())]),
        }));
    }
    let mut context = Context::new();
    context.insert("incidents", &incidents);
    context.insert("opted_in", &opted_in);
    context.insert("notice", &notice);
    page("pages/my_incidents.html", env, context)
}

fn reason_text(
    lang: &Lang,
    reason: crate::incidents::sla::Reason,
    downtime_seconds: i64,
    percent: rust_decimal::Decimal,
) -> String {
    crate::incidents::sla::reason_text(lang, reason, downtime_seconds, percent)
}

#[derive(Deserialize)]
pub struct NoticesForm {
    #[serde(default)]
    notices: Option<String>,
}

pub async fn set_notices(env: Env, who: Customer, form: Form<NoticesForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let customer = who.customer.0;
    let on = form.fields.notices.is_some();
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, IncidentError> {
        notices::set_opt_in(conn, customer, on, now)?;
        Ok(Outcome::done("/account/incidents"))
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))
}

#[derive(Deserialize)]
pub struct ChoiceForm {
    #[serde(default)]
    option: String,
}

pub async fn choose(
    env: Env,
    who: Customer,
    incident: web::Path<String>,
    form: Form<ChoiceForm>,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let customer = who.customer.0;
    let incident = path_id(&env.lang, &incident)?;
    let (key, option) = (form.key, form.fields.option);
    let notice = t(&env.lang, "my-incidents-choice-saved");
    let seller = env.settings().billing().seller;
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<&'static str>, IncidentError> {
            match compensation::choose(conn, customer, incident, &option, &seller, now) {
                Ok(()) => Ok(Outcome::noted("/account/incidents", notice)),
                Err(e) if e.message_id() != "error-internal" => Ok(Outcome::Refused(e.message_id())),
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err("incident-error-unknown") => Err(WebError::not_found(&env.lang)),
        Err(message) => {
            // Refused input: the page again with why, and a 4xx.
            let mut page = show_mine(&env, &who, Some(t(&env.lang, message))).await?;
            *page.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

// The monitoring API: JSON with a bearer token (KONTOR_INCIDENT_TOKEN); off (404) without one.

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

/// `POST /api/incidents` (the gate checked the bearer token before the body was read).
pub async fn api_open(env: Env, body: web::Json<ApiIncident>) -> HttpResponse {
    let now = env.now;
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
        incident::open(conn, &site, &new, &Actor::system(format!("monitoring {ip}")), now)
    })
    .await;
    if matches!(result, Ok(Ok(_))) {
        status_snapshot::refresh(&env.state).await;
    }
    api_answer(result, "incident")
}

pub async fn api_update(env: Env, id: web::Path<i64>, body: web::Json<ApiUpdate>) -> HttpResponse {
    api_post(env, id.into_inner(), body.into_inner(), |conn, call| {
        let status = call.status.as_deref().unwrap_or("investigating");
        incident::post_update(conn, call.site, call.id, status, call.texts, call.key, call.actor, call.now)
    })
    .await
}

pub async fn api_resolve(env: Env, id: web::Path<i64>, body: web::Json<ApiUpdate>) -> HttpResponse {
    api_post(env, id.into_inner(), body.into_inner(), |conn, call| {
        incident::resolve(conn, call.site, call.id, call.ended_at, call.texts, call.key, call.actor, call.now)
    })
    .await
}

/// What monitoring's update or resolve call brings, parsed: the one path both take.
struct ApiCall<'a> {
    site: &'a crate::site::Site,
    id: i64,
    status: Option<String>,
    ended_at: Option<DateTime<Utc>>,
    texts: &'a Texts,
    key: Option<&'a str>,
    actor: &'a Actor,
    now: DateTime<Utc>,
}

async fn api_post(
    env: Env,
    id: i64,
    body: ApiUpdate,
    action: impl FnOnce(&mut diesel::PgConnection, &ApiCall<'_>) -> Result<i64, IncidentError> + Send + 'static,
) -> HttpResponse {
    let (now, site, ip) = (env.now, env.settings().site(), env.ip.clone());
    let result = run(&env, move |conn| {
        let texts = Texts::parse(body.body)?;
        let key = body.idempotency_key.map(|k| format!("api:{k}"));
        let actor = Actor::system(format!("monitoring {ip}"));
        let call = ApiCall {
            site: &site,
            id,
            status: body.status,
            ended_at: body.ended_at,
            texts: &texts,
            key: key.as_deref(),
            actor: &actor,
            now,
        };
        action(conn, &call)
    })
    .await;
    if matches!(result, Ok(Ok(_))) {
        status_snapshot::refresh(&env.state).await;
    }
    api_answer(result, "update")
}

/// The customer's compensation letter for an incident (PDF): the stored one once granted.
pub async fn letter(env: Env, who: Customer, incident: web::Path<String>) -> Result<HttpResponse, WebError> {
    let incident = path_id(&env.lang, &incident)?;
    let (customer, now) = (who.customer.0, env.now);
    let seller = env.settings().seller.name.clone();
    let tax = env.settings().billing().seller;
    let found = env
        .db(move |conn| {
            match conn.transaction(|conn| {
                crate::letters::compensation::letter_pdf(conn, customer, incident, &seller, &tax, now)
            }) {
                Ok(document) => Ok(Some(document)),
                Err(e) if e.message_id() != "error-internal" => Ok(None),
                Err(e) => Err(AccountError::Corrupt(e.to_string())),
            }
        })
        .await?;
    let document = found.ok_or_else(|| WebError::not_found(&env.lang))?;
    Ok(super::invoice_pages::pdf_response(document))
}
