//! Finance's month end in the back office: the close checklist with closing (finance) and
//! reopening (admin, with a reason), the OSS return of a quarter with its CSV, the DATEV file
//! and journal CSV of a closed month, the trial balance at a day, and manual journal entries
//! (proposed by one person, approved by another).

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::{Admin, Finance};
use super::env::Env;
use super::form::Form;
use super::render::page;
use super::submit::Outcome;
use crate::accounting::{self, AccountingError, Quarter, datev, manual, period, trial_balance, vat_return};
use crate::audit::Actor;
use crate::i18n::format::{date, number};
use crate::i18n::{t, t_args};
use crate::invoicing::BillingMonth;

const PAGE: &str = "/backoffice/accounting";

#[derive(Deserialize, Default)]
pub struct Selection {
    month: Option<String>,
    quarter: Option<String>,
    date: Option<String>,
}

/// What the page shows: the month before today's, its quarter and last day, unless chosen.
struct Chosen {
    month: BillingMonth,
    quarter: Quarter,
    day: NaiveDate,
}

fn bad(env: &Env, text: &str) -> WebError {
    WebError::bad_request(&env.lang, "accounting-bad-period", format!("not a period: {text:?}"))
}

fn chosen(env: &Env, selection: &Selection) -> Result<Chosen, WebError> {
    let today = env.settings().clock.today();
    let last_month =
        BillingMonth::containing(today.with_day0(0).unwrap_or(today).pred_opt().unwrap_or(today));
    let month = match selection.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(text) => text.parse::<BillingMonth>().map_err(|_| bad(env, text))?,
        None => last_month,
    };
    let quarter = match selection.quarter.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(text) => text.parse::<Quarter>().map_err(|_| bad(env, text))?,
        None => Quarter::containing(month.first_day()),
    };
    let day = match selection.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad(env, text))?,
        None => month.end().pred_opt().unwrap_or(month.first_day()),
    };
    Ok(Chosen { month, quarter, day })
}

use chrono::Datelike;

pub async fn overview(
    env: Env,
    who: Finance,
    query: web::Query<Selection>,
) -> Result<HttpResponse, WebError> {
    let chosen = chosen(&env, &query)?;
    render(&env, &who, &chosen, None).await
}

struct Loaded {
    checklist: period::Checklist,
    oss: Result<vat_return::OssReturn, AccountingError>,
    balance: Vec<trial_balance::Row>,
    pending: Vec<manual::Proposal>,
}

async fn render(
    env: &Env,
    who: &Finance,
    chosen: &Chosen,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let zone = env.settings().time_zone;
    let seller = env.settings().seller_country.code().to_owned();
    let (month, quarter, day) = (chosen.month, chosen.quarter, chosen.day);
    let loaded = env
        .run(move |conn| -> Result<Loaded, AccountingError> {
            let at = accounting::start_of(day.succ_opt().unwrap_or(day), zone);
            Ok(Loaded {
                checklist: period::checklist(conn, month, zone)?,
                oss: vat_return::oss(conn, quarter, &seller),
                balance: trial_balance::trial_balance(conn, at, at)?,
                pending: manual::pending(conn)?,
            })
        })
        .await?;
    let lang = &env.lang;
    let amount = |value: Decimal| number(lang, value, 2);
    let items: Vec<serde_json::Value> = loaded
        .checklist
        .items
        .iter()
        .map(|item| {
            serde_json::json!({
                "label": t(lang, &format!("accounting-check-{}", item.name)),
                "state": item.state.as_str(),
                "state_text": t(lang, &format!("accounting-state-{}", item.state.as_str())),
                "detail": item.detail,
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("month", &month.to_string());
    context.insert("quarter", &quarter.to_string());
    context.insert("day", &day.to_string());
    context.insert("items", &items);
    context.insert(
        "closed",
        &loaded.checklist.closed.map(|at| date(lang, at.with_timezone(&zone).date_naive())),
    );
    context.insert("is_admin", &(who.user.role == crate::accounts::Role::Admin));
    context.insert("error", &error);
    match &loaded.oss {
        Ok(oss) => {
            let supplies: Vec<serde_json::Value> = oss
                .supplies
                .iter()
                .map(|l| serde_json::json!({ "country": l.country, "rate": number(lang, l.rate, 1), "taxable": amount(l.taxable), "vat": amount(l.vat) }))
                .collect();
            let corrections: Vec<serde_json::Value> = oss
                .corrections
                .iter()
                .map(|c| serde_json::json!({ "period": c.quarter.to_string(), "country": c.country, "taxable": amount(c.taxable), "vat": amount(c.vat) }))
                .collect();
            context.insert("oss", &serde_json::json!({
                "nil": oss.is_nil(), "supplies": supplies, "corrections": corrections, "total": amount(oss.total_vat()),
            }));
        }
        Err(error) => context.insert("oss_error", &t(lang, error.message_id())),
    }
    let balance: Vec<serde_json::Value> = loaded
        .balance
        .iter()
        .filter(|row| !row.closing().is_zero())
        .map(|row| serde_json::json!({ "account": row.number, "currency": row.currency, "balance": amount(row.closing()) }))
        .collect();
    context.insert("balance", &balance);
    let pending: Vec<serde_json::Value> = loaded
        .pending
        .iter()
        .map(|p| {
            let postings: Vec<String> = p
                .postings
                .iter()
                .map(|line| format!("{} {}", line.account, number(lang, line.amount, 2)))
                .collect();
            serde_json::json!({
                "id": p.id, "day": date(lang, p.occurred_on), "memo": p.memo, "postings": postings,
                "own": p.proposed_by == who.user.id,
            })
        })
        .collect();
    context.insert("pending", &pending);
    page("pages/accounting.html", env, context)
}

#[derive(Deserialize)]
pub struct CloseForm {
    month: String,
    #[serde(default)]
    explanation: String,
}

pub async fn close(env: Env, who: Finance, form: Form<CloseForm>) -> Result<HttpResponse, WebError> {
    let month = accounting::parse_month(&form.fields.month).map_err(|_| bad(&env, &form.fields.month))?;
    let (zone, now, actor) = (env.settings().time_zone, env.now, Actor::person(who.user.id, env.ip.clone()));
    let explanation = form.fields.explanation.clone();
    let location = format!("{PAGE}?month={month}");
    let done = t_args(&env.lang, "accounting-closed-notice", &[("month", month.to_string().into())]);
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, AccountingError> {
            let list = period::checklist(conn, month, zone)?;
            if !list.ready(!explanation.trim().is_empty()) {
                return Ok(Outcome::Refused("accounting-not-ready"));
            }
            let closing = period::Closing { zone, actor: &actor, explanation: &explanation, now };
            match period::close(conn, month, &closing) {
                Ok(_) => Ok(Outcome::noted(location, done)),
                Err(error @ AccountingError::MonthNotOver(_)) => Ok(Outcome::Refused(error.message_id())),
                Err(error) => Err(error),
            }
        })
        .await?;
    refused_again(&env, &who, month, outcome).await
}

/// The page again with the refusal's message, 422.
async fn refused_again(
    env: &Env,
    who: &Finance,
    month: BillingMonth,
    outcome: Result<HttpResponse, &'static str>,
) -> Result<HttpResponse, WebError> {
    match outcome {
        Ok(done) => Ok(done),
        Err(message_id) => {
            let selection = Selection { month: Some(month.to_string()), ..Selection::default() };
            let chosen = chosen(env, &selection)?;
            let mut response = render(env, who, &chosen, Some(t(&env.lang, message_id))).await?;
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct ReopenForm {
    month: String,
    #[serde(default)]
    reason: String,
}

pub async fn reopen(env: Env, who: Admin, form: Form<ReopenForm>) -> Result<HttpResponse, WebError> {
    let month = accounting::parse_month(&form.fields.month).map_err(|_| bad(&env, &form.fields.month))?;
    let (role, actor) = (who.user.role, Actor::person(who.user.id, env.ip.clone()));
    let reason = form.fields.reason.clone();
    let location = format!("{PAGE}?month={month}");
    let done = t_args(&env.lang, "accounting-reopened-notice", &[("month", month.to_string().into())]);
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, AccountingError> {
            match period::reopen(conn, month, role, &reason, &actor) {
                Ok(()) => Ok(Outcome::noted(location, done)),
                Err(error @ (AccountingError::NoReason | AccountingError::MonthOpen(_))) => {
                    Ok(Outcome::Refused(error.message_id()))
                }
                Err(error) => Err(error),
            }
        })
        .await?;
    let finance = Finance { user: who.user, session: who.session };
    refused_again(&env, &finance, month, outcome).await
}

fn csv_download(body: Vec<u8>, file_name: &str, content_type: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{file_name}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

pub async fn oss_csv(env: Env, _: Finance, query: web::Query<Selection>) -> Result<HttpResponse, WebError> {
    let quarter = chosen(&env, &query)?.quarter;
    let seller = env.settings().seller_country.code().to_owned();
    let body = env
        .run(move |conn| -> Result<Vec<u8>, AccountingError> {
            let oss = vat_return::oss(conn, quarter, &seller)?;
            let mut body = Vec::new();
            vat_return::oss_csv(&oss, &mut body)?;
            Ok(body)
        })
        .await?;
    Ok(csv_download(body, &format!("oss-{quarter}.csv"), "text/csv; charset=utf-8"))
}

pub async fn datev_file(
    env: Env,
    _: Finance,
    query: web::Query<Selection>,
) -> Result<HttpResponse, WebError> {
    let month = chosen(&env, &query)?.month;
    let options = datev::Options {
        chart: env.settings().datev.chart,
        consultant: env.settings().datev.consultant,
        client: env.settings().datev.client,
        zone: env.settings().time_zone,
        now: env.now,
    };
    let body = env
        .run(move |conn| -> Result<Vec<u8>, AccountingError> {
            let mut body = Vec::new();
            datev::export(conn, month, &options, &mut body)?;
            Ok(body)
        })
        .await?;
    Ok(csv_download(body, &datev::file_name(month), "text/csv; charset=windows-1252"))
}

pub async fn journal_file(
    env: Env,
    _: Finance,
    query: web::Query<Selection>,
) -> Result<HttpResponse, WebError> {
    let month = chosen(&env, &query)?.month;
    let zone = env.settings().time_zone;
    let body = env
        .run(move |conn| -> Result<Vec<u8>, AccountingError> {
            let mut body = Vec::new();
            accounting::journal_csv::write(conn, month, zone, &mut body)?;
            Ok(body)
        })
        .await?;
    Ok(csv_download(body, &format!("journal-{month}.csv"), "text/csv; charset=utf-8"))
}

#[derive(Deserialize)]
pub struct ProposeForm {
    date: String,
    memo: String,
    /// One posting per line: `<account code> <amount>`.
    postings: String,
}

fn parse_postings(text: &str) -> Option<Vec<manual::ProposedPosting>> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (account, amount) = line.rsplit_once(char::is_whitespace)?;
            let amount: Decimal = amount.trim().replace(',', ".").parse().ok()?;
            Some(manual::ProposedPosting { account: account.trim().to_owned(), amount })
        })
        .collect()
}

pub async fn propose(env: Env, who: Finance, form: Form<ProposeForm>) -> Result<HttpResponse, WebError> {
    let fields = &form.fields;
    let day =
        NaiveDate::parse_from_str(fields.date.trim(), "%Y-%m-%d").map_err(|_| bad(&env, &fields.date))?;
    let month = BillingMonth::containing(day);
    let Some(postings) = parse_postings(&fields.postings) else {
        let finance = who.clone();
        return refused_again(&env, &finance, month, Err("accounting-bad-manual-entry")).await;
    };
    let (zone, now, user, actor) =
        (env.settings().time_zone, env.now, who.user.id, Actor::person(who.user.id, env.ip.clone()));
    let memo = fields.memo.clone();
    let lang = env.lang.clone();
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, AccountingError> {
            let proposal = manual::NewProposal { occurred_on: day, memo: &memo, postings: &postings };
            match manual::propose(conn, &proposal, user, &actor, zone, now) {
                Ok(id) => Ok(Outcome::noted(
                    format!("{PAGE}?month={month}"),
                    t_args(&lang, "accounting-proposed-notice", &[("id", id.into())]),
                )),
                Err(error) if error.message_id() != "error-internal" => {
                    Ok(Outcome::Refused(error.message_id()))
                }
                Err(error) => Err(error),
            }
        })
        .await?;
    refused_again(&env, &who, month, outcome).await
}

#[derive(Deserialize)]
pub struct ApproveForm {
    proposal: i64,
}

pub async fn approve(env: Env, who: Finance, form: Form<ApproveForm>) -> Result<HttpResponse, WebError> {
    let id = form.fields.proposal;
    let (zone, now, user, actor) =
        (env.settings().time_zone, env.now, who.user.id, Actor::person(who.user.id, env.ip.clone()));
    let lang = env.lang.clone();
    let month = chosen(&env, &Selection::default())?.month;
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, AccountingError> {
            match manual::approve(conn, id, user, &actor, zone, now) {
                Ok(_) => Ok(Outcome::noted(
                    PAGE,
                    t_args(&lang, "accounting-approved-notice", &[("id", id.into())]),
                )),
                Err(error) if error.message_id() != "error-internal" => {
                    Ok(Outcome::Refused(error.message_id()))
                }
                Err(error) => Err(error),
            }
        })
        .await?;
    refused_again(&env, &who, month, outcome).await
}
