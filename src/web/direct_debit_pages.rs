//! Back office, finance: SEPA direct debit exports. The page shows what an export on a
//! collection date would collect (per due date and sequence type); the form makes the export
//! (collections and pain.008 document in one transaction, audited); each export's file is
//! downloaded from its stored document, so every download gives the same bytes.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Finance;
use super::env::Env;
use super::form::Form;
use super::payment_files::{FileQuery, download};
use super::render::page;
use super::submit::Outcome;
use crate::audit::Actor;
use crate::i18n::format::{date, money_in};
use crate::i18n::{t, t_args};
use crate::payments::sepa::export::{document, export_collections};
use crate::payments::sepa::preview::{DueGroup, ExportRow, due_groups, exports};
use crate::payments::sepa::{SepaError, pain008};

const PAGE: &str = "/backoffice/direct-debits";

#[derive(Deserialize, Default)]
pub struct Selection {
    collection_date: Option<String>,
    /// The export just made, highlighted.
    export: Option<i64>,
}

/// The chosen collection date; tomorrow unless chosen (SEPA Core needs a business day's lead).
fn collection_date(env: &Env, text: Option<&str>) -> Result<NaiveDate, WebError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            WebError::bad_request(&env.lang, "sepa-export-bad-date", format!("not a date: {text:?}"))
        }),
        None => {
            let today = env.settings().clock.today();
            Ok(today.succ_opt().unwrap_or(today))
        }
    }
}

pub async fn overview(env: Env, _: Finance, query: web::Query<Selection>) -> Result<HttpResponse, WebError> {
    let day = collection_date(&env, query.collection_date.as_deref())?;
    render(&env, day, query.export, None).await
}

async fn render(
    env: &Env,
    day: NaiveDate,
    made: Option<i64>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let (groups, made_before) = env
        .run(move |conn| -> Result<(Vec<DueGroup>, Vec<ExportRow>), SepaError> {
            Ok((due_groups(conn, day)?, exports(conn, 50)?))
        })
        .await?;
    let lang = &env.lang;
    let eur = |amount: Decimal| money_in(lang, amount, "EUR");
    let rows: Vec<serde_json::Value> = groups
        .iter()
        .map(|g| {
            serde_json::json!({
                "due_date": date(lang, g.due_date),
                "sequence_type": g.sequence_type,
                "count": g.count,
                "sum": eur(g.sum),
            })
        })
        .collect();
    let listed: Vec<serde_json::Value> = made_before
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "message_id": e.message_id,
                "collection_date": date(lang, e.collection_date),
                "count": e.count,
                "sum": eur(e.control_sum),
                "download": e.has_document,
                "just_made": made == Some(e.id),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("collection_date", &day.to_string());
    context.insert("groups", &rows);
    context.insert("total_count", &groups.iter().map(|g| g.count).sum::<i64>());
    context.insert("total_sum", &eur(groups.iter().map(|g| g.sum).sum()));
    context.insert("exports", &listed);
    context.insert(
        "format",
        match env.settings().sepa.pain008_version {
            pain008::Version::V02 => "pain.008.001.02",
            pain008::Version::V08 => "pain.008.001.08",
        },
    );
    context.insert("demo_seller", &!env.settings().demo_seller_variables().is_empty());
    context.insert("error", &error);
    page("pages/direct_debits.html", env, context)
}

#[derive(Deserialize)]
pub struct ExportForm {
    collection_date: String,
}

pub async fn export(env: Env, who: Finance, form: Form<ExportForm>) -> Result<HttpResponse, WebError> {
    let day = collection_date(&env, Some(&form.fields.collection_date))?;
    let settings = env.settings().sepa_export();
    let (today, now) = (env.settings().clock.today(), env.now);
    let actor = Actor::person(who.user.id, env.ip.clone());
    let lang = env.lang.clone();
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, SepaError> {
            let summary = match export_collections(conn, &settings, day, today, now) {
                Ok(summary) => summary,
                Err(error @ SepaError::CollectionDateInPast(_)) => {
                    return Ok(Outcome::Refused(error.message_id()));
                }
                Err(error) => return Err(error),
            };
            let (Some(id), Some(message_id)) = (summary.export_id, &summary.message_id) else {
                return Ok(Outcome::Refused("sepa-export-nothing-due"));
            };
            crate::audit::record(
                conn,
                &actor.event("sepa.exported").target(message_id).details(serde_json::json!({
                    "export_id": id,
                    "collection_date": day,
                    "count": summary.count,
                    "control_sum": summary.control_sum.to_string(),
                    "sha256": summary.file_sha256,
                })),
            )?;
            let notice = t_args(
                &lang,
                "sepa-export-done",
                &[("count", summary.count.into()), ("message", message_id.clone().into())],
            );
            Ok(Outcome::noted(format!("{PAGE}?collection_date={day}&export={id}"), notice))
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message_id) => {
            let mut response = render(&env, day, None, Some(t(&env.lang, message_id))).await?;
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// The export's stored document, byte for byte; each download is audited.
pub async fn file(env: Env, who: Finance, query: web::Query<FileQuery>) -> Result<HttpResponse, WebError> {
    download(&env, &who, query.export, "sepa.export_downloaded", |conn, id| match document(conn, id) {
        Ok(found) => Ok(Some(found)),
        Err(SepaError::UnknownExport(_)) => Ok(None),
        Err(error) => Err(error),
    })
    .await
}
