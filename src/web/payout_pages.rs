//! Back office, finance: payouts (refunds by SEPA credit transfer). The page lists what waits
//! for approval (and why an item cannot be paid out as it is), what is approved for the next
//! file, what is under way or came back; approving and writing the file are forms (audited);
//! each file is downloaded from its stored document, so every download gives the same bytes.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Finance;
use super::account_pages::Empty;
use super::env::Env;
use super::form::{Form, path_id};
use super::payment_files::{FileQuery, download};
use super::render::page;
use super::submit::Outcome;
use crate::audit::Actor;
use crate::i18n::format::{date, money_in};
use crate::i18n::{Lang, t, t_args};
use crate::payments::payouts::export::{ExportRow, exports};
use crate::payments::payouts::{
    PayoutError, PayoutItem, approve as approve_payout, document, export_approved, latest, list,
};

const PAGE: &str = "/backoffice/payouts";
/// Settled and returned payouts shown below the work: the latest ones.
const HISTORY: i64 = 50;
/// Items shown per state of work (a file carries every approved one, shown or not).
const WORK: i64 = 1_000;

#[derive(Deserialize, Default)]
pub struct Selection {
    /// The export just made, highlighted.
    export: Option<i64>,
}

pub async fn overview(env: Env, _: Finance, query: web::Query<Selection>) -> Result<HttpResponse, WebError> {
    render(&env, query.export, None).await
}

struct Listed {
    open: Vec<PayoutItem>,
    done: Vec<PayoutItem>,
    files: Vec<ExportRow>,
}

fn item_json(lang: &Lang, item: &PayoutItem) -> serde_json::Value {
    serde_json::json!({
        "id": item.id,
        "end_to_end_id": item.end_to_end_id(),
        "source": t(lang, &format!("payout-source-{}", item.source.replace('_', "-"))),
        "origin": match (item.bank_transaction_id, item.customer_id) {
            (Some(transfer), _) => t_args(lang, "payout-origin-transfer", &[("id", transfer.into())]),
            (None, Some(customer)) => crate::support::customer_number(customer),
            (None, None) => String::new(),
        },
        "name": item.creditor_name,
        "iban": item.iban,
        "blocked": item.blocked_reason.as_deref().map(|reason| t(lang, reason)),
        "amount": money_in(lang, item.amount, &item.currency),
        "state": item.state,
        "state_text": t(lang, &format!("payout-state-{}", item.state)),
        "proposed_on": date(lang, item.proposed_on()),
        "return_reason": item.return_reason,
    })
}

async fn render(env: &Env, made: Option<i64>, error: Option<String>) -> Result<HttpResponse, WebError> {
    let listed = env
        .run(move |conn| -> Result<Listed, PayoutError> {
            Ok(Listed {
                open: list(conn, &["proposed", "approved", "exported"], WORK)?,
                // The whole history is in the audit log and the ledger.
                done: latest(conn, &["settled", "returned"], HISTORY)?,
                files: exports(conn, HISTORY)?,
            })
        })
        .await?;
    let lang = &env.lang;
    let in_state = |state: &str| -> Vec<serde_json::Value> {
        listed.open.iter().filter(|i| i.state == state).map(|i| item_json(lang, i)).collect()
    };
    let approved: Vec<&PayoutItem> = listed.open.iter().filter(|i| i.state == "approved").collect();
    let files: Vec<serde_json::Value> = listed
        .files
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "message_id": e.message_id,
                "execution_date": date(lang, e.execution_date),
                "count": e.count,
                "sum": money_in(lang, e.control_sum, "EUR"),
                "just_made": made == Some(e.id),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("proposed", &in_state("proposed"));
    context.insert("approved", &in_state("approved"));
    context.insert("approved_sum", &money_in(lang, approved.iter().map(|i| i.amount).sum(), "EUR"));
    context.insert("exported", &in_state("exported"));
    context.insert("done", &listed.done.iter().map(|i| item_json(lang, i)).collect::<Vec<_>>());
    context.insert("files", &files);
    context.insert("demo_seller", &!env.settings().demo_seller_variables().is_empty());
    context.insert("error", &error);
    page("pages/payouts.html", env, context)
}

/// Answers a refusal with the page and its reason (422); nothing was changed.
async fn refused(env: &Env, message_id: &'static str) -> Result<HttpResponse, WebError> {
    let mut response = render(env, None, Some(t(&env.lang, message_id))).await?;
    *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

pub async fn approve(
    env: Env,
    who: Finance,
    path: web::Path<String>,
    form: Form<Empty>,
) -> Result<HttpResponse, WebError> {
    let id = path_id(&env.lang, &path)?;
    let actor = Actor::person(who.user.id, env.ip.clone());
    let now = env.now;
    let notice =
        t_args(&env.lang, "payout-approved", &[("id", crate::payments::payouts::end_to_end_id(id).into())]);
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<Option<&'static str>>, PayoutError> {
            match approve_payout(conn, id, &actor, now) {
                Ok(_) => Ok(Outcome::noted(PAGE, notice)),
                Err(PayoutError::Unknown(_)) => Ok(Outcome::Refused(None)),
                Err(error) if error.is_refusal() => Ok(Outcome::Refused(Some(error.message_id()))),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(None) => Err(WebError::not_found(&env.lang)),
        Err(Some(message_id)) => refused(&env, message_id).await,
    }
}

pub async fn export(env: Env, who: Finance, form: Form<Empty>) -> Result<HttpResponse, WebError> {
    let settings = env.settings().payout_export();
    // The bank executes the file on the day it is written (or its next business day).
    let (today, now) = (env.settings().clock.today(), env.now);
    let actor = Actor::person(who.user.id, env.ip.clone());
    let lang = env.lang.clone();
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, PayoutError> {
            match export_approved(conn, &settings, today, now, &actor) {
                Ok(made) => {
                    let notice = t_args(
                        &lang,
                        "payout-export-done",
                        &[("count", made.count.into()), ("message", made.message_id.clone().into())],
                    );
                    Ok(Outcome::noted(format!("{PAGE}?export={}", made.export_id), notice))
                }
                Err(error) if error.is_refusal() => Ok(Outcome::Refused(error.message_id())),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message_id) => refused(&env, message_id).await,
    }
}

/// The export's stored pain.001 document, byte for byte; each download is audited.
pub async fn file(env: Env, who: Finance, query: web::Query<FileQuery>) -> Result<HttpResponse, WebError> {
    download(&env, &who, query.export, "payout.export_downloaded", |conn, id| match document(conn, id) {
        Ok(found) => Ok(Some(found)),
        Err(PayoutError::UnknownExport(_)) => Ok(None),
        Err(error) => Err(error),
    })
    .await
}
