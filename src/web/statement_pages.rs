//! The customer's statement of account (page, PDF, CSV), payment receipts and a year's
//! invoices as one ZIP. Everything is scoped to the signed-in customer; the domain work is in
//! `statements`.

use actix_web::{HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::env::Env;
use super::render::page;
use crate::accounts::profile;
use crate::i18n::Lang;
use crate::i18n::format::{date, money_in};
use crate::statements::pdf::{Holder, describe};
use crate::statements::{Statement, StatementError, statement};

#[derive(Deserialize, Default)]
pub struct Period {
    year: Option<String>,
}

/// The days a request asks for: a year (up to today), or everything up to today. Anything
/// else in `year` is a 400, not a guess.
fn days(env: &Env, period: &Period) -> Result<(Option<NaiveDate>, NaiveDate, Option<i32>), WebError> {
    let today = env.today();
    let Some(text) = period.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) else {
        return Ok((None, today, None));
    };
    let year: i32 = text
        .parse()
        .ok()
        .filter(|y| (2000..=today.year()).contains(y))
        .ok_or_else(|| WebError::bad_request(&env.lang, "statement-bad-year", text.to_owned()))?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
    Ok((Some(first), last, Some(year)))
}

fn holder(profile: &profile::Profile) -> Holder {
    let mut address = Vec::new();
    if let Some(company) = &profile.company_name {
        address.push(company.clone());
    }
    address.push(profile.street.clone());
    address.push(format!("{} {}", profile.postal_code, profile.city).trim().to_owned());
    Holder {
        name: profile.name.clone(),
        number: crate::invoicing::customer_number(profile.customer_id),
        address,
        country: profile.country.clone(),
    }
}

/// The statement and its holder, read in one go.
async fn load(env: &Env, who: &Customer, period: &Period) -> Result<(Statement, Holder, Vec<i32>), WebError> {
    let (from, until, _) = days(env, period)?;
    let customer = who.customer;
    let tz = env.settings().time_zone;
    env.run(move |conn| -> Result<_, StatementError> {
        let found = statement(conn, customer, from, until, tz)?;
        let years = crate::statements::lines::years(conn, customer, tz)?;
        let profile = profile::load(conn, customer).map_err(|e| StatementError::Corrupt(e.to_string()))?;
        Ok((found, holder(&profile), years))
    })
    .await
}

fn statement_json(lang: &Lang, statement: &Statement) -> serde_json::Value {
    let sections: Vec<serde_json::Value> = statement
        .sections
        .iter()
        .map(|section| {
            let amount = |value| money_in(lang, value, &section.currency);
            let lines: Vec<serde_json::Value> = section
                .lines
                .iter()
                .rev()
                .map(|line| {
                    serde_json::json!({
                        "date": date(lang, line.date),
                        "description": describe(lang, line),
                        "document": line.document,
                        "credit_note": line.kind == crate::ledger::EntryKind::CreditNoteIssued.as_str(),
                        "charge": (!line.amount.is_sign_negative()).then(|| amount(line.amount)),
                        "payment": line.amount.is_sign_negative().then(|| amount(-line.amount)),
                        "balance": amount(line.balance),
                        "receipt": line.method.as_ref().map(|_| format!("/account/payments/{}/receipt", line.entry_id)),
                    })
                })
                .collect();
            serde_json::json!({
                "currency": section.currency,
                "opening": statement.from.map(|_| amount(section.opening)),
                "closing": amount(section.closing),
                "in_credit": section.closing.is_sign_negative() && !section.closing.is_zero(),
                "lines": lines,
            })
        })
        .collect();
    serde_json::json!({ "sections": sections })
}

pub async fn statement_page(
    env: Env,
    who: Customer,
    period: web::Query<Period>,
) -> Result<HttpResponse, WebError> {
    let period = period.into_inner();
    let (_, _, year) = days(&env, &period)?;
    let (found, _, years) = load(&env, &who, &period).await?;
    let query = year.map(|y| format!("?year={y}")).unwrap_or_default();
    let mut context = Context::new();
    context.insert("statement", &statement_json(&env.lang, &found));
    context.insert("year", &year);
    context.insert("years", &years);
    context.insert("pdf_url", &format!("/account/statement/pdf{query}"));
    context.insert("csv_url", &format!("/account/statement/csv{query}"));
    page("pages/statement.html", &env, context)
}

fn download(content_type: &str, file_name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{file_name}\"")))
        // Personal data: no shared or browser cache keeps a copy.
        .insert_header(("Cache-Control", "private, no-store"))
        .body(body)
}

fn file_name(holder: &Holder, year: Option<i32>, extension: &str) -> String {
    match year {
        Some(year) => format!("statement-{}-{year}.{extension}", holder.number),
        None => format!("statement-{}.{extension}", holder.number),
    }
}

/// The statement a download asks for, its holder and its file name.
async fn prepared(
    env: &Env,
    who: &Customer,
    period: web::Query<Period>,
    extension: &str,
) -> Result<(Statement, Holder, String), WebError> {
    let period = period.into_inner();
    let (_, _, year) = days(env, &period)?;
    let (found, holder, _) = load(env, who, &period).await?;
    let name = file_name(&holder, year, extension);
    Ok((found, holder, name))
}

pub async fn statement_pdf(
    env: Env,
    who: Customer,
    period: web::Query<Period>,
) -> Result<HttpResponse, WebError> {
    let (found, holder, name) = prepared(&env, &who, period, "pdf").await?;
    let seller = env.settings().seller.clone();
    let lang = env.lang.clone();
    let bytes = web::block(move || crate::statements::pdf::render(&found, &holder, &seller, &lang))
        .await
        .map_err(|e| WebError::internal(&env.lang, e))?
        .map_err(|e| WebError::from_failure(&env.lang, &e))?;
    Ok(download("application/pdf", &name, bytes))
}

pub async fn statement_csv(
    env: Env,
    who: Customer,
    period: web::Query<Period>,
) -> Result<HttpResponse, WebError> {
    let (found, _, name) = prepared(&env, &who, period, "csv").await?;
    let mut bytes = Vec::new();
    crate::statements::csv::write_csv(&found, &mut bytes)
        .map_err(|e| WebError::from_failure(&env.lang, &e))?;
    Ok(download("text/csv; charset=utf-8", &name, bytes))
}

pub async fn receipt_pdf(
    env: Env,
    who: Customer,
    payment: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let entry: i64 = payment.into_inner().parse().map_err(|_| WebError::not_found(&env.lang))?;
    let customer = who.customer;
    let seller = env.settings().seller.clone();
    let lang = env.lang.clone();
    let tz = env.settings().time_zone;
    let (bytes, number) = env
        .run(move |conn| -> Result<_, StatementError> {
            let found = crate::statements::receipt::receipt(conn, customer, entry)?;
            let profile =
                profile::load(conn, customer).map_err(|e| StatementError::Corrupt(e.to_string()))?;
            let holder = holder(&profile);
            Ok((crate::statements::receipt::render(&found, &holder, &seller, &lang, tz)?, holder.number))
        })
        .await?;
    Ok(download("application/pdf", &format!("receipt-{number}-{entry}.pdf"), bytes))
}

pub async fn year_zip(env: Env, who: Customer, year: web::Path<String>) -> Result<HttpResponse, WebError> {
    let year: i32 = year
        .into_inner()
        .parse()
        .ok()
        .filter(|y| (2000..=env.today().year()).contains(y))
        .ok_or_else(|| WebError::not_found(&env.lang))?;
    let customer = who.customer;
    let (bytes, count) =
        env.run(move |conn| crate::statements::archive::year_archive(conn, customer, year)).await?;
    if count == 0 {
        return Err(WebError::not_found(&env.lang));
    }
    let number = crate::invoicing::customer_number(customer.0);
    Ok(download("application/zip", &format!("invoices-{number}-{year}.zip"), bytes))
}
