//! The support console's pages: the search box and the customer page (the actions on it are
//! `support_actions`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;
use tera::Context;

use super::access::Staff;
use super::env::Env;
use super::render::page;
use super::{Access, WebError};
use crate::accounts::Role;
use crate::i18n::format::{date, money_in};
use crate::i18n::{Lang, t};
use crate::support::search::{self, Hit};
use crate::support::{customer_file, customer_number, parse_customer_number};

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
pub(super) fn customer_of(env: &Env, text: &str) -> Result<i64, WebError> {
    parse_customer_number(text).ok_or_else(|| WebError::not_found(&env.lang))
}

/// Amount fields of the sections' rows, formatted with the row's currency.
const AMOUNTS: &[&str] = &["gross", "open", "amount", "to_credit", "fee", "interest"];

/// Fields holding a code, with the Fluent id prefix of its words (`status` `trial` is
/// `support-status-trial`; underscores become hyphens).
const CODES: &[(&str, &str)] = &[
    ("plan_code", "plan-"),
    ("status", "support-status-"),
    ("method", "support-method-"),
    ("state", "support-paypal-"),
    ("option", "support-option-"),
    ("chosen", "support-option-"),
    ("step", "dunning-action-"),
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
pub(super) async fn customer_view(
    env: &Env,
    role: Role,
    customer: i64,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let reading = customer_file::Reading { customer, today: env.today() };
    let file = env.run(move |conn| customer_file::customer_file(conn, &reading)).await?;
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
    context.insert("max_days", &crate::support::actions::MAX_EXTENSION_DAYS);
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
