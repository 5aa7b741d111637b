//! PayPal in the portal: "Pay with PayPal" on an open invoice, the pages PayPal sends the payer
//! back to, the webhook endpoint, and refunds in the back office (finance).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::{Customer, Finance};
use super::env::Env;
use super::form::Form;
use super::invoice_pages::show;
use super::render::{page, see_other};
use super::state::AppState;
use crate::accounts::AccountError;
use crate::audit::Actor;
use crate::i18n::format::money;
use crate::i18n::{Lang, t, t_args};
use crate::money::Money;
use crate::payments::paypal::checkout::{self, Next, OrderText, Returned};
use crate::payments::paypal::orders::{OrderRef, customers_order, set_state};
use crate::payments::paypal::refunds::{self, RefundOutcome};
use crate::payments::paypal::webhooks::{Received, receive};
use crate::payments::paypal::wire::TransmissionHeaders;
use crate::payments::paypal::{Client, PayPalError, PayPalSettings, Verification};

fn corrupt(error: PayPalError) -> AccountError {
    AccountError::Corrupt(error.to_string())
}

/// PayPal's locale for the reader's language.
fn paypal_locale(lang: &Lang) -> &'static str {
    match lang.code() {
        "de" => "de-DE",
        "fr" => "fr-FR",
        "nl" => "nl-NL",
        "sv" => "sv-SE",
        "da" => "da-DK",
        "nb" => "no-NO",
        _ => "en-GB",
    }
}

fn configured(env: &Env) -> Result<PayPalSettings, WebError> {
    env.settings().paypal.clone().ok_or_else(|| WebError::not_found(&env.lang))
}

#[derive(Deserialize)]
pub struct NoFields {}

/// Runs a PayPal use case on the blocking pool (it calls PayPal and the database in turn).
async fn blocking<T, F>(env: &Env, work: F) -> Result<Result<T, PayPalError>, WebError>
where
    T: Send + 'static,
    F: FnOnce(&crate::db::PgPool) -> Result<T, PayPalError> + Send + 'static,
{
    let pool = env.state.pool.clone();
    web::block(move || work(&pool)).await.map_err(|e| WebError::internal(&env.lang, e))
}

/// "Pay with PayPal": off to PayPal's approval page for the invoice's open amount. The order an
/// earlier click made for the same amount is reused while PayPal still waits for the payer;
/// otherwise a new one is made, its PayPal-Request-Id stored before the call.
/// The submission key is claimed first: sending the form again goes where the first went.
pub async fn pay(
    env: Env,
    who: Customer,
    number: web::Path<String>,
    form: Form<NoFields>,
) -> Result<HttpResponse, WebError> {
    let settings = configured(&env)?;
    if let Some(again) = env.claim(&form.key).await? {
        return Ok(again);
    }
    let answer = pay_once(&env, who.customer.0, settings, number.into_inner()).await;
    match answer {
        Ok(response) if response.status() == actix_web::http::StatusCode::SEE_OTHER => {
            let link = response
                .headers()
                .get(actix_web::http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            env.finish(&form.key, link, None).await
        }
        other => {
            env.release(&form.key).await?;
            other
        }
    }
}

async fn pay_once(
    env: &Env,
    customer: i64,
    settings: PayPalSettings,
    number: String,
) -> Result<HttpResponse, WebError> {
    let base = env.settings().public_url.trim_end_matches('/').to_owned();
    let description = t_args(&env.lang, "paypal-order-description", &[("number", number.clone().into())]);
    let locale = paypal_locale(&env.lang);
    let invoice = number.clone();
    let next = blocking(env, move |pool| {
        let (return_url, cancel_url) = (format!("{base}/paypal/return"), format!("{base}/paypal/cancel"));
        let text =
            OrderText { description: &description, return_url: &return_url, cancel_url: &cancel_url, locale };
        checkout::pay(pool, &settings, customer, &invoice, &text)
    })
    .await?;
    match next {
        Ok(Next::Approve(link)) => Ok(see_other(&link)),
        Ok(Next::Notice(message)) => {
            show(env, number, Some(customer), false, Some(t(&env.lang, message))).await
        }
        Err(PayPalError::NotFound) => Err(WebError::not_found(&env.lang)),
        Err(e) => Err(WebError::internal(&env.lang, e)),
    }
}

#[derive(Deserialize)]
pub struct ReturnQuery {
    #[serde(default)]
    token: String,
}

/// PayPal's return URL (`?token=<order id>&PayerID=...`): capture, book, confirm. A reload,
/// or a return after a timeout, captures with the same request id and books nothing twice.
pub async fn return_leg(
    env: Env,
    who: Customer,
    query: web::Query<ReturnQuery>,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let customer = who.customer.0;
    let settings = configured(&env)?;
    let order_id = query.into_inner().token;
    let (billing, publishing) = (env.settings().billing(), env.settings().publishing());
    let completed = blocking(&env, move |pool| {
        checkout::complete(pool, &settings, &billing, &publishing, customer, &order_id, now)
    })
    .await?
    .map_err(|e| WebError::internal(&env.lang, e))?;
    let Some((number, returned)) = completed else {
        return Err(WebError::not_found(&env.lang));
    };
    let notice = match returned {
        Returned::Paid(amount) => {
            t_args(&env.lang, "paypal-paid", &[("amount", money(&env.lang, amount).into())])
        }
        Returned::Notice(message) => t(&env.lang, message),
    };
    show(&env, number, Some(customer), false, Some(notice)).await
}

/// PayPal's cancel URL: back to the invoice, nothing booked.
pub async fn cancel(
    env: Env,
    who: Customer,
    query: web::Query<ReturnQuery>,
) -> Result<HttpResponse, WebError> {
    let customer = who.customer.0;
    let order_id = query.into_inner().token;
    let lookup = order_id.clone();
    let found = env
        .db(move |conn| {
            let found = customers_order(conn, customer, &lookup).map_err(corrupt)?;
            if found.is_some() {
                set_state(conn, OrderRef::Order(&lookup), "cancelled").map_err(corrupt)?;
            }
            Ok(found)
        })
        .await?;
    let Some((number, _)) = found else {
        return Err(WebError::not_found(&env.lang));
    };
    show(&env, number, Some(customer), false, Some(t(&env.lang, "paypal-cancelled"))).await
}

fn plain(status: actix_web::http::StatusCode, text: &str) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(text.to_owned())
}

/// `POST /webhooks/paypal`: verified, stored once, processed. A bad signature is 400 and
/// changes nothing; a failure on our side is 500, so PayPal delivers again.
pub async fn webhook(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let now = state.settings.clock.now();
    let Some(settings) = state.settings.paypal.clone() else {
        return plain(StatusCode::NOT_FOUND, "PayPal is not configured");
    };
    let Ok(raw) = std::str::from_utf8(&body).map(str::to_owned) else {
        return plain(StatusCode::BAD_REQUEST, "body is not UTF-8");
    };
    let header = |name: &str| {
        req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned).unwrap_or_default()
    };
    let headers = TransmissionHeaders {
        transmission_id: header("paypal-transmission-id"),
        transmission_time: header("paypal-transmission-time"),
        transmission_sig: header("paypal-transmission-sig"),
        cert_url: header("paypal-cert-url"),
        auth_algo: header("paypal-auth-algo"),
    };
    if settings.verification == Verification::Api {
        if headers.transmission_id.is_empty() || headers.transmission_sig.is_empty() {
            return plain(StatusCode::BAD_REQUEST, "unsigned");
        }
        let body = raw.clone();
        let verified = web::block(move || Client::new(&settings).verify_webhook(&headers, &body)).await;
        match verified {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) | Ok(Err(PayPalError::BadEvent(_))) => {
                tracing::warn!("PayPal webhook with a bad signature refused");
                return plain(StatusCode::BAD_REQUEST, "signature not verified");
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "PayPal webhook could not be verified");
                return plain(StatusCode::SERVICE_UNAVAILABLE, "verification unavailable");
            }
            Err(e) => {
                tracing::error!(error = %e, "PayPal webhook verification failed");
                return plain(StatusCode::INTERNAL_SERVER_ERROR, "error");
            }
        }
    }
    let (billing, publishing, pool) =
        (state.settings.billing(), state.settings.publishing(), state.pool.clone());
    let result = web::block(move || -> Result<Received, PayPalError> {
        let mut conn = pool.get().map_err(PayPalError::Pool)?;
        conn.transaction(|c| receive(c, &raw, &billing, &publishing, now))
    })
    .await;
    match result {
        Ok(Ok(received)) => {
            tracing::info!(?received, "PayPal webhook");
            plain(StatusCode::OK, "ok")
        }
        Ok(Err(PayPalError::BadEvent(e))) => {
            tracing::warn!(error = %e, "PayPal webhook body refused");
            plain(StatusCode::BAD_REQUEST, "not an event")
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "PayPal webhook not processed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "error")
        }
        Err(e) => {
            tracing::error!(error = %e, "PayPal webhook not processed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "error")
        }
    }
}

type CaptureListRow = (String, String, i64, String, Decimal, Decimal, Option<Decimal>, chrono::DateTime<Utc>);

/// Captures with what is left to refund, and the latest webhook events.
pub async fn backoffice(env: Env, _: Finance) -> Result<HttpResponse, WebError> {
    backoffice_page(&env, None).await
}

async fn backoffice_page(env: &Env, notice: Option<String>) -> Result<HttpResponse, WebError> {
    use crate::db::schema::{invoices, paypal_captures, paypal_refunds, paypal_webhook_events};
    let (captures, events) = env
        .db(|conn| {
            let refunded = paypal_refunds::table
                .filter(paypal_refunds::capture_id.eq(paypal_captures::capture_id))
                .select(diesel::dsl::sum(paypal_refunds::amount))
                .single_value();
            let captures: Vec<CaptureListRow> = paypal_captures::table
                .inner_join(invoices::table.on(invoices::id.eq(paypal_captures::invoice_id)))
                .order(paypal_captures::created_at.desc())
                .limit(200)
                .select((
                    paypal_captures::capture_id,
                    invoices::number,
                    paypal_captures::customer_id,
                    paypal_captures::currency,
                    paypal_captures::amount,
                    paypal_captures::fee,
                    refunded,
                    paypal_captures::created_at,
                ))
                .load(conn)?;
            let events: Vec<(String, String, String, chrono::DateTime<Utc>)> = paypal_webhook_events::table
                .order(paypal_webhook_events::id.desc())
                .limit(50)
                .select((
                    paypal_webhook_events::event_id,
                    paypal_webhook_events::event_type,
                    paypal_webhook_events::outcome,
                    paypal_webhook_events::received_at,
                ))
                .load(conn)?;
            Ok((captures, events))
        })
        .await?;
    let lang = &env.lang;
    let amount = |value: Decimal, currency: &str| {
        iso_currency::Currency::from_code(currency.trim())
            .map_or_else(|| value.to_string(), |c| money(lang, Money::new(value, c)))
    };
    let captures: Vec<serde_json::Value> = captures
        .iter()
        .map(|(id, number, customer, currency, gross, fee, refunded, at)| {
            let refunded = refunded.unwrap_or_default();
            serde_json::json!({
                "id": id, "invoice": number, "customer": customer,
                "amount": amount(*gross, currency), "fee": amount(*fee, currency),
                "refunded": amount(refunded, currency), "refundable": (*gross - refunded) > Decimal::ZERO,
                "at": crate::i18n::format::date(lang, at.date_naive()),
            })
        })
        .collect();
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|(id, kind, outcome, at)| serde_json::json!({ "id": id, "kind": kind, "outcome": outcome, "at": at.to_rfc3339() }))
        .collect();
    let mut context = Context::new();
    context.insert("captures", &captures);
    context.insert("events", &events);
    context.insert("notice", &notice);
    page("pages/paypal_backoffice.html", env, context)
}

#[derive(Deserialize)]
pub struct RefundForm {
    #[serde(default)]
    capture: String,
    #[serde(default)]
    amount: String,
}

/// A refund through PayPal's API, then its credit note and ledger entry (audited). The
/// submission key is claimed before PayPal is called, so sending the form again refunds
/// nothing more; PayPal's request id is chosen from the capture, what was refunded before and
/// the amount, so even a new form for the same refund is the same request at PayPal.
pub async fn refund(env: Env, who: Finance, form: Form<RefundForm>) -> Result<HttpResponse, WebError> {
    let settings = configured(&env)?;
    if let Some(again) = env.claim(&form.key).await? {
        return Ok(again);
    }
    match refund_once(&env, who.user.id, settings, form.fields).await {
        Ok(Ok(notice)) => env.finish(&form.key, "/backoffice/paypal".to_owned(), Some(notice)).await,
        Ok(Err(message)) => {
            env.release(&form.key).await?;
            backoffice_page(&env, Some(message)).await
        }
        Err(error) => {
            env.release(&form.key).await?;
            Err(error)
        }
    }
}

/// The refund itself: `Ok(Err(message))` when refused before anything changed.
async fn refund_once(
    env: &Env,
    actor: crate::ids::UserId,
    settings: PayPalSettings,
    form: RefundForm,
) -> Result<Result<String, String>, WebError> {
    let now = env.now;
    let (billing, publishing, ip) = (env.settings().billing(), env.settings().publishing(), env.ip.clone());
    let lang = env.lang.clone();
    let outcome = blocking(env, move |pool| {
        let note =
            |number: &str| t_args(&lang, "paypal-refund-note", &[("number", number.to_owned().into())]);
        refunds::refund(
            pool,
            &settings,
            &billing,
            &publishing,
            form.capture.trim(),
            &form.amount,
            &note,
            &Actor::person(actor, ip),
            now,
        )
    })
    .await?
    .map_err(|e| WebError::internal(&env.lang, e))?;
    Ok(match outcome {
        RefundOutcome::Refunded { amount, invoice_number } => Ok(t_args(
            &env.lang,
            "paypal-refund-done",
            &[("amount", money(&env.lang, amount).into()), ("number", invoice_number.into())],
        )),
        RefundOutcome::Refused(message) => Err(t(&env.lang, message)),
    })
}
