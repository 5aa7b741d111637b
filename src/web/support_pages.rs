//! The support console: the search box, the customer page, and the actions staff take for a
//! customer (each a form with its one-time key, each audited by `support::actions`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;
use tera::Context;

use super::access::{Finance, Staff, Support};
use super::env::Env;
use super::form::Form;
use super::render::page;
use super::submit::Outcome;
use super::{Access, WebError};
use crate::accounts::Role;
use crate::accounts::email::EmailAddress;
use crate::audit::Actor;
use crate::i18n::format::{date, money_in};
use crate::i18n::{Lang, t, t_args};
use crate::support::actions::{self, MailToResend};
use crate::support::search::{self, Hit};
use crate::support::{SupportError, customer_file, customer_number, parse_customer_number};

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The search box and what it found.
pub async fn search(env: Env, _: Staff, query: web::Query<SearchQuery>) -> Result<HttpResponse, WebError> {
    let q: String = query.into_inner().q.chars().take(200).collect();
    let hits: Vec<Hit> = if q.trim().is_empty() {
        Vec::new()
    } else {
        let text = q.clone();
        env.run(move |conn| search::search(conn, &text)).await?
    };
    let lang = env.lang.clone();
    let rows: Vec<Value> = hits
        .iter()
        .map(|hit| {
            serde_json::json!({
                "number": hit.number,
                "name": hit.name,
                "company": hit.company,
                "email": hit.email,
                "country": hit.country,
                "closed": hit.closed,
                "matched": t(&lang, hit.matched.message_id()),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("q", &q);
    context.insert("searched", &!q.trim().is_empty());
    context.insert("more", &(rows.len() as i64 >= search::MAX_HITS));
    context.insert("hits", &rows);
    page("pages/support_search.html", &env, context)
}

/// The customer a path names, or not found.
fn customer_of(env: &Env, text: &str) -> Result<i64, WebError> {
    parse_customer_number(text).ok_or_else(|| WebError::not_found(&env.lang))
}

/// Amount fields of the sections' rows, formatted with the row's currency.
const AMOUNTS: &[&str] = &["gross", "open", "amount", "to_credit"];

/// Fields holding a code, with the Fluent id prefix of its words (`status` `trial` is
/// `support-status-trial`; underscores become hyphens).
const CODES: &[(&str, &str)] = &[
    ("plan_code", "plan-"),
    ("status", "support-status-"),
    ("method", "support-method-"),
    ("state", "support-paypal-"),
    ("option", "support-option-"),
    ("chosen", "support-option-"),
];

/// A row as the reader reads it: amounts in their locale, instants as local date and time,
/// days as dates, codes in words.
fn localized(lang: &Lang, zone: chrono_tz::Tz, mut row: Value) -> Value {
    let Some(map) = row.as_object_mut() else {
        return row;
    };
    let currency = map.get("currency").and_then(Value::as_str).unwrap_or_default().to_owned();
    for (key, value) in map.iter_mut() {
        if let (Some((_, prefix)), Some(code)) = (CODES.iter().find(|(k, _)| k == key), value.as_str()) {
            *value = Value::String(t(lang, &format!("{prefix}{}", code.replace('_', "-"))));
            continue;
        }
        let Some(text) = value.as_str() else {
            if key == "allocations"
                && let Some(items) = value.as_array_mut()
            {
                for item in items.iter_mut() {
                    *item = localized_with(lang, zone, item.take(), &currency);
                }
            }
            continue;
        };
        if AMOUNTS.contains(&key.as_str())
            && let Ok(amount) = text.parse::<rust_decimal::Decimal>()
        {
            *value = Value::String(money_in(lang, amount, &currency));
        } else if key.ends_with("_at")
            && let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text)
        {
            let local = instant.with_timezone(&zone);
            *value = Value::String(format!("{} {}", date(lang, local.date_naive()), local.format("%H:%M")));
        } else if (key.ends_with("_on") || key.ends_with("_date") || key == "starts_on")
            && let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        {
            *value = Value::String(date(lang, day));
        }
    }
    row
}

fn localized_with(lang: &Lang, zone: chrono_tz::Tz, mut row: Value, currency: &str) -> Value {
    if let Some(map) = row.as_object_mut() {
        map.entry("currency").or_insert_with(|| Value::String(currency.to_owned()));
    }
    localized(lang, zone, row)
}

/// The customer page, with `error` above it when an action was refused.
async fn customer_view(
    env: &Env,
    role: Role,
    customer: i64,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let file = env.run(move |conn| customer_file::customer_file(conn, customer)).await?;
    let Some((profile, sections)) = file else {
        return Err(WebError::not_found(&env.lang));
    };
    let zone = env.settings().time_zone;
    let sections: serde_json::Map<String, Value> = sections
        .into_iter()
        .map(|(name, rows)| {
            let rows = match rows {
                Value::Array(rows) => rows.into_iter().map(|r| localized(&env.lang, zone, r)).collect(),
                other => vec![other],
            };
            (name, Value::Array(rows))
        })
        .collect();
    let mut context = Context::new();
    context.insert("number", &customer_number(customer));
    context.insert("profile", &localized(&env.lang, zone, profile));
    context.insert("sections", &sections);
    context.insert("can_act", &Access::Support.admits(role));
    context.insert("can_credit", &Access::Finance.admits(role));
    context.insert("error", &error);
    context.insert("max_days", &actions::MAX_EXTENSION_DAYS);
    page("pages/support_customer.html", env, context)
}

pub async fn customer_page(
    env: Env,
    who: Staff,
    customer: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    customer_view(&env, who.user.role, customer, None).await
}

/// Runs one action in the transaction of its form's key; done, it shows the customer page with
/// `notice`; refused (bad days, no free month, ...), the page with the reason, nothing changed.
async fn act<F>(
    env: &Env,
    staff: &crate::accounts::User,
    customer: i64,
    key: &super::form::SubmissionKey,
    work: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce(&mut diesel::PgConnection, &Actor, &str) -> Result<String, SupportError> + Send + 'static,
{
    let actor = Actor::person(staff.id, env.ip.clone());
    let location = format!("/backoffice/customers/{}", customer_number(customer));
    let form_key = key.as_str().to_owned();
    let outcome = env
        .submit(key, move |conn| -> Result<Outcome<&'static str>, SupportError> {
            let known: Option<i64> = {
                use diesel::prelude::*;
                crate::db::schema::customers::table
                    .find(customer)
                    .select(crate::db::schema::customers::id)
                    .first(conn)
                    .optional()?
            };
            if known.is_none() {
                return Err(SupportError::UnknownCustomer);
            }
            match work(conn, &actor, &form_key) {
                Ok(notice) => Ok(Outcome::noted(location, notice)),
                Err(error) if error.is_refusal() => Ok(Outcome::Refused(error.message_id())),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => customer_view(env, staff.role, customer, Some(t(&env.lang, message))).await,
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

pub async fn add_note(
    env: Env,
    who: Staff,
    customer: web::Path<String>,
    form: Form<NoteForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (now, body, notice) = (env.now, form.fields.body, t(&env.lang, "support-note-added"));
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        actions::add_note(conn, actor, customer, &body, now).map(|()| notice)
    })
    .await
}

#[derive(Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    mail: String,
    #[serde(default)]
    invoice: String,
}

pub async fn resend_mail(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<ResendForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let which = match (form.fields.mail.trim().parse::<i64>(), form.fields.invoice.trim()) {
        (Ok(id), _) => MailToResend::Mail(id),
        (Err(_), number) if !number.is_empty() && number.len() <= 40 => {
            MailToResend::Invoice(number.to_owned())
        }
        _ => return Err(WebError::bad_request(&env.lang, "support-mail-unknown", "no mail named")),
    };
    let (domain, notice) = (env.settings().mail_domain(), t(&env.lang, "support-mail-resent"));
    act(&env, &who.user, customer, &form.key, move |conn, actor, key| {
        actions::resend_mail(conn, actor, customer, which, key, &domain).map(|()| notice)
    })
    .await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
}

pub async fn change_email(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<EmailForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let Some(new) = EmailAddress::parse(&form.fields.new_email) else {
        return customer_view(&env, who.user.role, customer, Some(t(&env.lang, "email-invalid"))).await;
    };
    let (site, now, lang) = (env.settings().site(), env.now, env.lang.clone());
    let notice = t_args(&lang, "support-email-change-sent", &[("address", new.as_str().to_owned().into())]);
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        match actions::change_email(conn, &site, actor, customer, &new, now)? {
            Ok(()) => Ok(notice),
            Err(errors) => {
                Err(SupportError::Refused(errors.0.first().map_or("email-invalid", |(_, message)| message)))
            }
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct DaysForm {
    #[serde(default)]
    days: String,
}

pub async fn extend_free_month(
    env: Env,
    who: Finance,
    customer: web::Path<String>,
    form: Form<DaysForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let days = form.fields.days.trim().parse::<i32>().unwrap_or(0);
    let (today, lang) = (env.today(), env.lang.clone());
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        let end = actions::extend_free_month(conn, actor, customer, days, today)?;
        Ok(t_args(&lang, "support-free-month-extended", &[("date", date(&lang, end).into())]))
    })
    .await
}

#[derive(Deserialize)]
pub struct GoodwillForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

pub async fn goodwill_credit(
    env: Env,
    who: Finance,
    customer: web::Path<String>,
    form: Form<GoodwillForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (now, lang, fields) = (env.now, env.lang.clone(), form.fields);
    act(&env, &who.user, customer, &form.key, move |conn, actor, key| {
        let amount =
            actions::goodwill_credit(conn, actor, customer, &fields.amount, &fields.reason, key, now)?;
        let amount = crate::i18n::format::money(&lang, amount);
        Ok(t_args(&lang, "support-goodwill-granted", &[("amount", amount.into())]))
    })
    .await
}

pub async fn cancel(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (site, billing, now, lang) =
        (env.settings().site(), env.settings().billing(), env.now, env.lang.clone());
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        let end = actions::cancel(conn, &site, &billing, actor, customer, now)?;
        let end = crate::subscriptions::period::last_day(end);
        Ok(t_args(&lang, "support-cancelled", &[("date", date(&lang, end).into())]))
    })
    .await
}

pub async fn reactivate(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (billing, now, notice) = (env.settings().billing(), env.now, t(&env.lang, "support-reactivated"));
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        actions::reactivate(conn, &billing, actor, customer, now).map(|()| notice)
    })
    .await
}

pub async fn unlock(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let notice = t(&env.lang, "support-unlocked");
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        actions::unlock_log_in(conn, actor, customer).map(|()| notice)
    })
    .await
}

pub async fn end_sessions(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let lang = env.lang.clone();
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        let ended = actions::end_all_sessions(conn, actor, customer)?;
        Ok(t_args(&lang, "support-sessions-ended", &[("count", (ended as i64).into())]))
    })
    .await
}

/// Starts viewing the portal as the customer: the next pages are theirs, read-only.
pub async fn view_as(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (actor, session) = (Actor::person(who.user.id, env.ip.clone()), who.session);
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, SupportError> {
            match actions::view_as(conn, &actor, session, Some(customer)) {
                Ok(()) => Ok(Outcome::done("/account")),
                Err(error) if error.is_refusal() => Ok(Outcome::Refused(error.message_id())),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => customer_view(&env, who.user.role, customer, Some(t(&env.lang, message))).await,
    }
}

/// Back to the staff member's own view, on the page of the customer they viewed.
pub async fn end_view_as(
    env: Env,
    who: Support,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let (actor, session) = (Actor::person(who.user.id, env.ip.clone()), who.session);
    let viewed = env.session.as_ref().and_then(|s| s.view_as);
    let location = match viewed {
        Some(customer) => format!("/backoffice/customers/{}", customer_number(customer.0)),
        None => "/backoffice/customers".to_owned(),
    };
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, SupportError> {
        actions::view_as(conn, &actor, session, None)?;
        Ok(Outcome::done(location))
    })
    .await?
    .map_err(|()| WebError::not_found(&env.lang))
}
