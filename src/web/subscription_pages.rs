//! The customer's subscription: starting the free month, storage packs with a price preview,
//! cancelling and reactivating.

use actix_web::{HttpResponse, web};
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::account_pages::{Empty, message_page};
use super::csrf::CsrfForm;
use super::env::Env;
use super::render::{page, see_other};
use super::{Problem, WebError};
use crate::accounts::{AccountError, Role, User};
use crate::catalog;
use crate::i18n::format::{date, money, percent};
use crate::i18n::{Lang, t, t_args};
use crate::subscriptions::changes::{self, ChangeRequest, Quote};
use crate::subscriptions::overview::{Overview, overview};
use crate::subscriptions::trial::{self, Start};
use crate::subscriptions::{Subscription, SubscriptionError};

fn customer(env: &Env) -> Result<User, WebError> {
    let session = env.require_session()?;
    if session.user.role != Role::Customer {
        return Err(WebError::not_found(&env.lang));
    }
    Ok(session.user.clone())
}

/// Runs subscription work on the blocking pool; domain refusals come back as `Err(message id)`.
async fn run<T, F>(env: &Env, work: F) -> Result<Result<T, &'static str>, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, SubscriptionError> + Send + 'static,
{
    env.db(move |conn| match work(conn) {
        Ok(value) => Ok(Ok(value)),
        Err(SubscriptionError::Account(error)) => Err(error),
        Err(SubscriptionError::Database(error)) => Err(AccountError::Database(error)),
        Err(
            error @ (SubscriptionError::Corrupt(_)
            | SubscriptionError::Tax(_)
            | SubscriptionError::Money(_)
            | SubscriptionError::Proration(_)
            | SubscriptionError::Identity(_)),
        ) => Err(AccountError::Corrupt(error.to_string())),
        Err(refusal) => Ok(Err(refusal.message_id())),
    })
    .await
}

/// The dashboard's subscription block, with amounts and dates in the reader's format.
pub fn overview_context(lang: &Lang, view: &Overview) -> serde_json::Value {
    let packs: Vec<serde_json::Value> = view
        .packs
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "name": t(lang, &p.plan.name_id()),
                "monthly": money(lang, p.monthly),
                "starts_on": date(lang, p.starts_on),
                "ends_on": p.ends_on.map(|d| date(lang, d)),
            })
        })
        .collect();
    serde_json::json!({
        "status": view.status,
        "plan": t(lang, &view.plan.name_id()),
        "base_monthly": money(lang, view.base_monthly),
        "mail_gb": view.entitlement.mail_gb,
        "storage_gb": view.entitlement.storage_gb,
        "trial_days_left": view.trial_days_left,
        "cancel_on": view.cancel_on.map(|d| date(lang, d)),
        "period_end": date(lang, view.period.end),
        "packs": packs,
        "next_invoice_on": view.next_invoice_on.map(|d| date(lang, d)),
        "next_invoice_net": view.next_invoice.as_ref().map(|e| money(lang, e.net)),
        "next_invoice_vat": view.next_invoice.as_ref().map(|e| money(lang, e.vat)),
        "next_invoice_rate": view.next_invoice.as_ref().map(|e| percent(lang, e.vat_rate)),
        "next_invoice_gross": view.next_invoice.as_ref().map(|e| money(lang, e.gross)),
    })
}

/// The subscription overview for the signed-in customer, if they have a subscription.
pub async fn load_overview(env: &Env, user: &User) -> Result<Option<serde_json::Value>, WebError> {
    let now = env.now;
    let Some(customer) = user.customer_id else {
        return Ok(None);
    };
    let billing = env.settings().billing();
    let lang = env.lang.clone();
    let view = run(env, move |conn| overview(conn, &billing, customer, now)).await?;
    Ok(view.ok().flatten().map(|v| overview_context(&lang, &v)))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    mode: String,
    #[serde(default)]
    iban: String,
}

pub async fn start(env: Env, CsrfForm(form): CsrfForm<StartForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let user = customer(&env)?;
    let (billing, ip) = (env.settings().billing(), env.ip.clone());
    let mode = if form.mode == "paid" { Start::Paid } else { Start::Trial };
    let iban = form.iban;
    let outcome = run(&env, move |conn| {
        conn.transaction(|conn| trial::start(conn, &billing, &user, mode, Some(&iban), &ip, now))
    })
    .await?;
    match outcome {
        Ok(_) => Ok(see_other("/account")),
        Err(message) => {
            let mut context = Context::new();
            context.insert("message", &t(&env.lang, message));
            context.insert("offer_paid", &message.starts_with("trial-refused"));
            page("pages/subscription_refused.html", &env, context)
        }
    }
}

fn quote_context(lang: &Lang, quote: &Quote) -> serde_json::Value {
    serde_json::json!({
        "plan_code": quote.plan.code,
        "name": t(lang, &quote.plan.name_id()),
        "monthly": money(lang, quote.monthly_net),
        "net": money(lang, quote.net),
        "vat_rate": percent(lang, quote.vat_rate),
        "vat": money(lang, quote.vat),
        "gross": money(lang, quote.gross),
        "vat_note": quote.vat_note.map(|id| t(lang, id)),
        "effective": date(lang, quote.effective),
        "period_end": date(lang, quote.period_end),
    })
}

pub async fn storage(env: Env) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let user = customer(&env)?;
    let Some(customer) = user.customer_id else {
        return Err(WebError::not_found(&env.lang));
    };
    let billing = env.settings().billing();
    let lang = env.lang.clone();
    let offers = run(&env, move |conn| {
        let subscription =
            Subscription::live_of(conn, customer, false)?.ok_or(SubscriptionError::NoSubscription)?;
        let today = billing.today(now);
        let start = subscription.period_on(today).start;
        let mut offers = Vec::new();
        for plan in catalog::packs(conn)? {
            let monthly = catalog::price_on(conn, &plan.code, subscription.currency, start)?;
            offers.push(serde_json::json!({
                "code": plan.code,
                "name": t(&lang, &plan.name_id()),
                "kind": plan.storage,
                "monthly": money(&lang, monthly),
            }));
        }
        Ok(offers)
    })
    .await?;
    let offers = match offers {
        Ok(offers) => offers,
        Err(_) => return Ok(see_other("/account")),
    };
    let mut context = Context::new();
    context.insert("offers", &offers);
    context.insert("subscription", &load_overview(&env, &user).await?);
    page("pages/storage.html", &env, context)
}

#[derive(Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    plan: String,
}

pub async fn add_preview(env: Env, query: web::Query<PlanQuery>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let user = customer(&env)?;
    let customer = user.customer_id.ok_or_else(|| WebError::not_found(&env.lang))?;
    let billing = env.settings().billing();
    let plan = query.into_inner().plan;
    let quote = run(&env, move |conn| changes::quote_pack(conn, &billing, customer, &plan, now)).await?;
    match quote {
        Ok(quote) => {
            let mut context = Context::new();
            context.insert("quote", &quote_context(&env.lang, &quote));
            page("pages/storage_confirm.html", &env, context)
        }
        Err(_) => Err(WebError::not_found(&env.lang)),
    }
}

/// Runs one change to the signed-in customer's subscription in a transaction.
async fn change<T, F>(env: &Env, work: F) -> Result<Result<T, &'static str>, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut diesel::PgConnection, &ChangeRequest<'_>) -> Result<T, SubscriptionError> + Send + 'static,
{
    let now = env.now;
    let user = customer(env)?;
    let customer = user.customer_id.ok_or_else(|| WebError::not_found(&env.lang))?;
    let (billing, ip, actor) = (env.settings().billing(), env.ip.clone(), user.id);
    run(env, move |conn| {
        conn.transaction(|conn| {
            let request = ChangeRequest { billing: &billing, customer, actor, ip: &ip, now };
            work(conn, &request)
        })
    })
    .await
}

pub async fn add(env: Env, CsrfForm(form): CsrfForm<PlanQuery>) -> Result<HttpResponse, WebError> {
    match change(&env, move |conn, request| changes::add_pack(conn, request, &form.plan)).await? {
        Ok(quote) => {
            let name = t(&env.lang, &quote.plan.name_id());
            let amount = money(&env.lang, quote.gross);
            let text =
                t_args(&env.lang, "storage-added-text", &[("name", name.into()), ("amount", amount.into())]);
            message_page(&env, "storage-added-title", &text)
        }
        Err(_) => Err(WebError::not_found(&env.lang)),
    }
}

pub async fn remove(env: Env, path: web::Path<i64>, _: CsrfForm<Empty>) -> Result<HttpResponse, WebError> {
    let pack = path.into_inner();
    match change(&env, move |conn, request| changes::remove_pack(conn, request, pack)).await? {
        Ok(end) => {
            let text = t_args(&env.lang, "storage-removed-text", &[("date", date(&env.lang, end).into())]);
            message_page(&env, "storage-removed-title", &text)
        }
        Err("pack-already-ending") => Ok(see_other("/account/storage")),
        Err(_) => Err(WebError::not_found(&env.lang)),
    }
}

pub async fn switch(
    env: Env,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<PlanQuery>,
) -> Result<HttpResponse, WebError> {
    let pack = path.into_inner();
    match change(&env, move |conn, request| changes::switch_pack(conn, request, pack, &form.plan)).await? {
        Ok(effective) => {
            let text =
                t_args(&env.lang, "storage-switched-text", &[("date", date(&env.lang, effective).into())]);
            message_page(&env, "storage-switched-title", &text)
        }
        Err(_) => Err(WebError::not_found(&env.lang)),
    }
}

pub async fn cancel_form(env: Env) -> Result<HttpResponse, WebError> {
    let user = customer(&env)?;
    let mut context = Context::new();
    context.insert("subscription", &load_overview(&env, &user).await?);
    page("pages/cancel.html", &env, context)
}

pub async fn cancel(env: Env, _: CsrfForm<Empty>) -> Result<HttpResponse, WebError> {
    let site = env.settings().site();
    let end = change(&env, move |conn, request| {
        let end = changes::cancel(conn, request)?;
        crate::subscriptions::notices::cancellation_confirmed(conn, &site, request.customer, end)?;
        Ok(end)
    })
    .await?
    .map_err(|_| WebError::not_found(&env.lang))?;
    let text = t_args(&env.lang, "cancel-done-text", &[("date", date(&env.lang, end).into())]);
    message_page(&env, "cancel-done-title", &text)
}

pub async fn reactivate(env: Env, _: CsrfForm<Empty>) -> Result<HttpResponse, WebError> {
    change(&env, changes::reactivate)
        .await?
        .map_err(|message| WebError::new(&env.lang, Problem::NotFound, message))?;
    Ok(see_other("/account"))
}
