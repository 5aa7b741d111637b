//! Collections in the back office (finance): the ladder as configured, the invoices standing on
//! each step with counts and sums per currency, suspensions and pauses; and the two actions,
//! pausing a customer's dunning and writing an invoice off, each a form done once per
//! submission key and audited.

use actix_web::HttpResponse;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Finance;
use super::env::Env;
use super::form::Form;
use super::render::page;
use super::submit::Outcome;
use crate::audit::Actor;
use crate::collections::CollectionsError;
use crate::collections::ladder::CustomerType;
use crate::i18n::format::Formats;
use crate::i18n::{t, t_args};

pub async fn collections_page(env: Env, _: Finance) -> Result<HttpResponse, WebError> {
    show(&env, None).await
}

async fn show(env: &Env, error: Option<String>) -> Result<HttpResponse, WebError> {
    let today = env.settings().billing().today(env.now);
    let overview = env.run(move |conn| crate::collections::overview::overview(conn, today)).await?;
    let lang = env.lang.clone();
    let formats = Formats::new(&lang, "");
    let ladder: Vec<serde_json::Value> = CustomerType::ALL
        .iter()
        .flat_map(|kind| {
            let points = overview.ladder.points(*kind);
            let lang = lang.clone();
            let formats = &formats;
            overview.ladder.levels(*kind).iter().map(move |level| {
                serde_json::json!({
                    "customer_type": t(&lang, &format!("collections-type-{}", kind.as_str())),
                    "level": level.level,
                    "days": level.days_after_due,
                    "action": t(&lang, level.action.message_id()),
                    "fees": level.fees.iter().map(|f| formats.money(*f)).collect::<Vec<_>>().join(", "),
                    "interest": if level.charges_interest {
                        t_args(&lang, "collections-interest-points", &[("points", formats.number(points, 0).into())])
                    } else {
                        String::new()
                    },
                })
            })
        })
        .collect();
    let steps: Vec<serde_json::Value> = overview
        .steps
        .iter()
        .map(|s| {
            serde_json::json!({
                "level": s.level,
                "currency": s.currency,
                "invoices": s.invoices,
                "open": crate::i18n::format::money_in(&lang, s.open, &s.currency),
            })
        })
        .collect();
    let rates: Vec<serde_json::Value> = overview
        .ladder
        .base_rates
        .iter()
        .map(|r| serde_json::json!({ "from": formats.date(r.valid_from), "rate": formats.number(r.rate, 2) }))
        .collect();
    let pauses: Vec<serde_json::Value> = overview
        .pauses
        .iter()
        .map(|p| serde_json::json!({ "customer": p.customer_id, "name": p.name, "reason": p.reason, "until": formats.date(p.until) }))
        .collect();
    let mut context = Context::new();
    context.insert("ladder", &ladder);
    context.insert("steps", &steps);
    context.insert("rates", &rates);
    context.insert("pauses", &pauses);
    context.insert("suspended", &overview.suspended);
    context.insert("error", &error);
    page("pages/collections.html", env, context)
}

/// Invoices one step lists at most; the totals count them all.
const STEP_ROWS: i64 = 500;

/// One step of the ladder: its totals per currency and the invoices standing on it.
pub async fn step_page(
    env: Env,
    _: Finance,
    level: actix_web::web::Path<i32>,
) -> Result<HttpResponse, WebError> {
    let level = level.into_inner();
    let today = env.settings().billing().today(env.now);
    let step = env.run(move |conn| crate::collections::overview::step(conn, level, STEP_ROWS + 1)).await?;
    let lang = env.lang.clone();
    let formats = Formats::new(&lang, "");
    let totals: Vec<serde_json::Value> = step
        .totals
        .iter()
        .map(|s| {
            serde_json::json!({
                "currency": s.currency,
                "invoices": s.invoices,
                "open": crate::i18n::format::money_in(&lang, s.open, &s.currency),
            })
        })
        .collect();
    let more = step.invoices.len() as i64 > STEP_ROWS;
    let rows: Vec<serde_json::Value> = step
        .invoices
        .iter()
        .take(STEP_ROWS as usize)
        .map(|i| {
            serde_json::json!({
                "number": i.number,
                "customer": i.customer_id,
                "name": i.name,
                "due": formats.date(i.due_date),
                "days": (today - i.due_date).num_days(),
                "sent": formats.date(i.sent_on),
                "open": crate::i18n::format::money_in(&lang, i.open, &i.currency),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("level", &level);
    context.insert("totals", &totals);
    context.insert("rows", &rows);
    context.insert("more", &more);
    page("pages/collections_step.html", &env, context)
}

/// The page again with what to correct, as a 422 (a 404 for an unknown customer or invoice).
async fn refused(env: &Env, message: &'static str) -> Result<HttpResponse, WebError> {
    if message == "error-not-found" {
        return Err(WebError::not_found(&env.lang));
    }
    let mut response = show(env, Some(t(&env.lang, message))).await?;
    *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[derive(Deserialize)]
pub struct PauseForm {
    #[serde(default)]
    customer: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

pub async fn pause(env: Env, who: Finance, form: Form<PauseForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let today = env.settings().billing().today(now);
    let (user, ip, lang) = (who.user.id, env.ip.clone(), env.lang.clone());
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<&'static str>, CollectionsError> {
            let Ok(customer) = form.customer.trim().parse::<i64>() else {
                return Ok(Outcome::Refused("error-not-found"));
            };
            let Ok(until) = crate::collections::parse_day(&form.until) else {
                return Ok(Outcome::Refused("dunning-bad-date"));
            };
            let actor = Actor::person(user, ip);
            match crate::collections::pause::pause(conn, customer, &form.reason, until, today, &actor, now) {
                Ok(_) => Ok(Outcome::noted(
                    "/backoffice/collections",
                    t_args(&lang, "collections-paused", &[("customer", customer.into())]),
                )),
                Err(e) if e.message_id() != "error-internal" => Ok(Outcome::Refused(e.message_id())),
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => refused(&env, message).await,
    }
}

#[derive(Deserialize)]
pub struct WriteOffForm {
    #[serde(default)]
    invoice: String,
    #[serde(default)]
    reason: String,
}

pub async fn write_off(env: Env, who: Finance, form: Form<WriteOffForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let (user, ip, lang) = (who.user.id, env.ip.clone(), env.lang.clone());
    let site = env.settings().site();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<&'static str>, CollectionsError> {
            let actor = Actor::person(user, ip);
            let number = form.invoice.trim().to_owned();
            match crate::collections::write_off::write_off(conn, &number, &form.reason, &actor, now) {
                Ok(done) => {
                    let today = crate::subscriptions::period::local_date(now, chrono_tz::Europe::Berlin);
                    crate::collections::suspension::reactivate_settled(conn, &site, today, now)?;
                    Ok(Outcome::noted(
                        "/backoffice/collections",
                        t_args(
                            &lang,
                            "collections-written-off",
                            &[
                                ("number", number.into()),
                                ("amount", crate::i18n::format::money(&lang, done.amount).into()),
                            ],
                        ),
                    ))
                }
                Err(e) if e.message_id() != "error-internal" => Ok(Outcome::Refused(e.message_id())),
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => refused(&env, message).await,
    }
}
