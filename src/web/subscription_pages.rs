//! The customer's subscription: starting the free month, storage packs with a price preview,
//! cancelling and reactivating.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::account_pages::Empty;
use super::env::Env;
use super::form::{Form, SubmissionKey, path_id};
use super::render::{page, see_other};
use super::submit::Outcome;
use crate::accounts::{AccountError, User};
use crate::catalog;
use crate::failure::{FailureKind, UserFacing};
use crate::i18n::format::{date, money, percent};
use crate::i18n::{Lang, t, t_args};
use crate::subscriptions::changes::{self, ChangeRequest, Quote};
use crate::subscriptions::notices;
use crate::subscriptions::overview::{Overview, overview};
use crate::subscriptions::period::last_day;
pub use crate::subscriptions::prices::describe as price_text;
use crate::subscriptions::prices::terms_of;
use crate::subscriptions::trial::{self, Start};
use crate::subscriptions::{Subscription, SubscriptionError};

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
                "monthly": price_text(lang, &p.shown),
                "starts_on": date(lang, p.starts_on),
                "ends_on": p.ends_on.map(|d| date(lang, last_day(d))),
            })
        })
        .collect();
    serde_json::json!({
        "status": view.status,
        "plan": t(lang, &view.plan.name_id()),
        "base_monthly": price_text(lang, &view.base_shown),
        "mail_gb": view.entitlement.mail_gb,
        "storage_gb": view.entitlement.storage_gb,
        "trial_days_left": view.trial_days_left,
        "cancel_on": view.cancel_on.map(|d| date(lang, last_day(d))),
        "ends_if_cancelled": date(lang, last_day(view.ends_if_cancelled)),
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
}

/// A refusal a person can act on comes back as its message; anything else is a failure.
fn refusal(error: SubscriptionError) -> Result<Outcome<&'static str>, SubscriptionError> {
    match error.kind() {
        FailureKind::Input | FailureKind::NotFound => Ok(Outcome::Refused(error.message_id())),
        _ => Err(error),
    }
}

pub async fn start(env: Env, who: Customer, form: Form<StartForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form, user) = (env.now, form.key, form.fields, who.user);
    let (billing, ip, site) = (env.settings().billing(), env.ip.clone(), env.settings().site());
    let mode = if form.mode == "paid" { Start::Paid } else { Start::Trial };
    let outcome = env
        .submit(&key, move |conn| match trial::start(conn, &billing, &user, mode, None, &ip, now) {
            Ok(subscription) => {
                if let Some(end) = subscription.trial_ends_on {
                    let customer = subscription.customer_id;
                    notices::free_month_started(conn, &site, &billing, customer, end, subscription.currency)?;
                }
                Ok(Outcome::done("/account"))
            }
            Err(error) => refusal(error),
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
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
        "last_day": date(lang, last_day(quote.period_end)),
        "free_until": quote.free_until.map(|d| date(lang, last_day(d))),
    })
}

pub async fn storage(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let (now, user, customer) = (env.now, who.user.clone(), who.customer);
    let billing = env.settings().billing();
    let lang = env.lang.clone();
    let found = run(&env, move |conn| {
        let subscription =
            Subscription::live_of(conn, customer, false)?.ok_or(SubscriptionError::NoSubscription)?;
        let today = billing.today(now);
        let period = subscription.period_on(today);
        let terms = terms_of(conn, &billing, customer, today)?;
        let mut plans = Vec::new();
        for plan in catalog::packs(conn)? {
            let monthly = catalog::price_on(conn, &plan.code, subscription.currency, period.start)?;
            plans.push((plan, monthly));
        }
        let offers: Vec<serde_json::Value> = plans
            .iter()
            .map(|(plan, monthly)| {
                Ok(serde_json::json!({
                    "code": plan.code,
                    "name": t(&lang, &plan.name_id()),
                    "kind": plan.storage,
                    "storage_gb": plan.storage_gb,
                    "monthly": price_text(&lang, &terms.show(*monthly)?),
                }))
            })
            .collect::<Result<_, SubscriptionError>>()?;
        // What each running pack can be switched to, and when that takes effect: a dearer one
        // at once (the rest of the period by days, the old one ends with it), a cheaper one
        // from the next period, as `changes::switch_pack` does it.
        let mut switches = Vec::new();
        let view = overview(conn, &billing, customer, now)?.ok_or(SubscriptionError::NoSubscription)?;
        for pack in view.packs.iter().filter(|p| p.ends_on.is_none() && !p.complimentary) {
            let options: Vec<serde_json::Value> = plans
                .iter()
                .filter(|(plan, _)| plan.storage == pack.plan.storage && plan.code != pack.plan.code)
                .map(|(plan, monthly)| {
                    let when = if monthly.amount() > pack.monthly.amount() {
                        t_args(
                            &lang,
                            "storage-switch-up",
                            &[("end", date(&lang, last_day(view.ends_if_cancelled)).into())],
                        )
                    } else {
                        t_args(&lang, "storage-switch-down", &[("date", date(&lang, period.end).into())])
                    };
                    Ok(serde_json::json!({
                        "code": plan.code,
                        "name": t(&lang, &plan.name_id()),
                        "monthly": price_text(&lang, &terms.show(*monthly)?),
                        "when": when,
                    }))
                })
                .collect::<Result<_, SubscriptionError>>()?;
            if !options.is_empty() {
                let name = t(&lang, &pack.plan.name_id());
                switches.push(serde_json::json!({ "pack": pack.id, "name": name, "options": options }));
            }
        }
        Ok((offers, switches))
    })
    .await?;
    let (offers, switches) = match found {
        Ok(found) => found,
        Err(_) => return Ok(see_other("/account")),
    };
    let mut context = Context::new();
    context.insert("offers", &offers);
    context.insert("switches", &switches);
    context.insert("subscription", &load_overview(&env, &user).await?);
    page("pages/storage.html", &env, context)
}

#[derive(Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    plan: String,
}

pub async fn add_preview(
    env: Env,
    who: Customer,
    query: web::Query<PlanQuery>,
) -> Result<HttpResponse, WebError> {
    let (now, customer) = (env.now, who.customer);
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

/// Runs one change to the signed-in customer's subscription, once per submission key.
async fn change<F>(
    env: &Env,
    who: &Customer,
    key: &SubmissionKey,
    work: F,
) -> Result<Result<HttpResponse, &'static str>, WebError>
where
    F: FnOnce(
            &mut diesel::PgConnection,
            &ChangeRequest<'_>,
        ) -> Result<Outcome<&'static str>, SubscriptionError>
        + Send
        + 'static,
{
    let now = env.now;
    let (customer, actor) = (who.customer, who.user.id);
    let (billing, ip) = (env.settings().billing(), env.ip.clone());
    env.submit(key, move |conn| {
        let request = ChangeRequest { billing: &billing, customer, actor, ip: &ip, now };
        work(conn, &request).or_else(refusal)
    })
    .await
}

pub async fn add(env: Env, who: Customer, form: Form<PlanQuery>) -> Result<HttpResponse, WebError> {
    let (key, plan) = (form.key, form.fields.plan);
    let (lang, site) = (env.lang.clone(), env.settings().site());
    change(&env, &who, &key, move |conn, request| {
        let quote = changes::add_pack(conn, request, &plan)?;
        if let Some(pack) = quote.pack {
            notices::pack_added(conn, &site, request.billing, request.customer, pack)?;
        }
        let name = t(&lang, &quote.plan.name_id());
        let amount = money(&lang, quote.gross);
        let text = t_args(&lang, "storage-added-text", &[("name", name.into()), ("amount", amount.into())]);
        Ok(Outcome::noted("/account/storage", text))
    })
    .await?
    .map_err(|_| WebError::not_found(&env.lang))
}

pub async fn remove(
    env: Env,
    who: Customer,
    path: web::Path<String>,
    form: Form<Empty>,
) -> Result<HttpResponse, WebError> {
    let pack = path_id(&env.lang, &path)?;
    let (lang, site) = (env.lang.clone(), env.settings().site());
    match change(&env, &who, &form.key, move |conn, request| {
        let end = changes::remove_pack(conn, request, pack)?;
        notices::pack_removed(conn, &site, request.customer, pack, end)?;
        let text = t_args(&lang, "storage-removed-text", &[("date", date(&lang, last_day(end)).into())]);
        Ok(Outcome::noted("/account/storage", text))
    })
    .await?
    {
        Ok(done) => Ok(done),
        Err("pack-already-ending") => Ok(see_other("/account/storage")),
        Err(_) => Err(WebError::not_found(&env.lang)),
    }
}

pub async fn switch(
    env: Env,
    who: Customer,
    path: web::Path<String>,
    form: Form<PlanQuery>,
) -> Result<HttpResponse, WebError> {
    let pack = path_id(&env.lang, &path)?;
    let (key, plan) = (form.key, form.fields.plan);
    let lang = env.lang.clone();
    change(&env, &who, &key, move |conn, request| {
        let effective = changes::switch_pack(conn, request, pack, &plan)?;
        let text = t_args(&lang, "storage-switched-text", &[("date", date(&lang, effective).into())]);
        Ok(Outcome::noted("/account/storage", text))
    })
    .await?
    .map_err(|_| WebError::not_found(&env.lang))
}

pub async fn cancel_form(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("subscription", &load_overview(&env, &who.user).await?);
    page("pages/cancel.html", &env, context)
}

pub async fn cancel(env: Env, who: Customer, form: Form<Empty>) -> Result<HttpResponse, WebError> {
    let site = env.settings().site();
    let lang = env.lang.clone();
    change(&env, &who, &form.key, move |conn, request| {
        let end = changes::cancel(conn, request)?;
        notices::cancellation_confirmed(conn, &site, request.customer, end)?;
        let text = t_args(&lang, "cancel-done-text", &[("date", date(&lang, last_day(end)).into())]);
        Ok(Outcome::noted("/account", text))
    })
    .await?
    .map_err(|_| WebError::not_found(&env.lang))
}

pub async fn reactivate(env: Env, who: Customer, form: Form<Empty>) -> Result<HttpResponse, WebError> {
    change(&env, &who, &form.key, |conn, request| {
        changes::reactivate(conn, request)?;
        Ok(Outcome::done("/account"))
    })
    .await?
    .map_err(|message| WebError::new(&env.lang, super::Problem::NotFound, message))
}
