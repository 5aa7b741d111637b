//! The back office for staff, and the second factor that finance and admin must pass first.
//! Customers who find these addresses get "not found".

use actix_web::HttpResponse;
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::csrf::CsrfForm;
use super::env::Env;
use super::render::{page, see_other};
use super::{Problem, WebError};
use crate::accounts::session::Session;
use crate::accounts::totp;
use crate::accounts::{AccountError, Role, audit, staff};
use crate::i18n::t;

/// A staff session that may see the back office: second factor set up and passed when the
/// role needs it.
pub(super) fn staff_session(env: &Env) -> Result<&Session, WebError> {
    let session = env.require_session()?;
    if !session.user.role.is_staff() {
        return Err(WebError::not_found(&env.lang));
    }
    if session.user.role.requires_second_factor() {
        if !session.user.totp_enabled {
            return Err(WebError::new(
                &env.lang,
                Problem::SecondFactor("/backoffice/2fa/enrol"),
                "enrol first",
            ));
        }
        if !session.second_factor_done {
            return Err(WebError::new(
                &env.lang,
                Problem::SecondFactor("/login/2fa"),
                "second factor needed",
            ));
        }
    }
    Ok(session)
}

/// A staff session whose role needs a second factor (for the enrolment and challenge pages).
fn needs_second_factor(env: &Env) -> Result<&Session, WebError> {
    let session = env.require_session()?;
    if !session.user.role.requires_second_factor() {
        return Err(WebError::not_found(&env.lang));
    }
    Ok(session)
}

pub async fn home(env: Env) -> Result<HttpResponse, WebError> {
    let session = staff_session(&env)?;
    let mut context = Context::new();
    context.insert("email", &session.user.email);
    context.insert("role", &t(&env.lang, &format!("role-{}", session.user.role.as_str())));
    context.insert("is_admin", &(session.user.role == Role::Admin));
    context.insert("can_see_mail", &matches!(session.user.role, Role::Finance | Role::Admin));
    page("pages/backoffice.html", &env, context)
}

pub async fn audit_log(env: Env) -> Result<HttpResponse, WebError> {
    let session = staff_session(&env)?;
    if session.user.role != Role::Admin {
        return Err(WebError::not_found(&env.lang));
    }
    let entries = env.db(|conn| audit::recent(conn, 200)).await?;
    let mut context = Context::new();
    context.insert("entries", &entries);
    page("pages/audit.html", &env, context)
}

pub async fn enrol_form(env: Env) -> Result<HttpResponse, WebError> {
    let session = needs_second_factor(&env)?;
    if session.user.totp_enabled {
        return Ok(see_other("/backoffice"));
    }
    let user = session.user.clone();
    let secret = env
        .db(move |conn| match staff::pending_secret(conn, &user)? {
            Some(secret) => Ok(secret),
            None => staff::begin_totp_enrolment(conn, &user),
        })
        .await?;
    enrol_page(&env, &secret, None)
}

fn enrol_page(env: &Env, secret: &totp::TotpSecret, error: Option<&str>) -> Result<HttpResponse, WebError> {
    let session = env.require_session()?;
    let mut context = Context::new();
    context.insert("secret", &secret.to_base32());
    context.insert("uri", &totp::provisioning_uri(secret, &session.user.email, staff::TOTP_ISSUER));
    if let Some(error) = error {
        context.insert("error", &t(&env.lang, error));
    }
    page("pages/two_factor_enrol.html", env, context)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn enrol(env: Env, CsrfForm(form): CsrfForm<CodeForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = needs_second_factor(&env)?;
    if session.user.totp_enabled {
        return Ok(see_other("/backoffice"));
    }
    let (user, session_id, ip) = (session.user.clone(), session.id, env.ip.clone());
    let outcome = env
        .db(move |conn| {
            match conn.transaction(|conn| {
                staff::confirm_totp_enrolment(conn, &user, session_id, &form.code, &ip, now)
            }) {
                Ok(codes) => Ok(Ok(codes.iter().map(ToString::to_string).collect::<Vec<_>>())),
                Err(AccountError::Totp(error)) => {
                    let secret = staff::pending_secret(conn, &user)?;
                    Ok(Err((error.message_id(), secret)))
                }
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        Ok(codes) => {
            let mut context = Context::new();
            context.insert("codes", &codes);
            page("pages/two_factor_codes.html", &env, context)
        }
        Err((message, Some(secret))) => enrol_page(&env, &secret, Some(message)),
        Err((_, None)) => Ok(see_other("/backoffice/2fa/enrol")),
    }
}

fn challenge_page(env: &Env, error: Option<&str>) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    if let Some(error) = error {
        context.insert("error", &t(&env.lang, error));
    }
    page("pages/two_factor_challenge.html", env, context)
}

pub async fn challenge_form(env: Env) -> Result<HttpResponse, WebError> {
    let session = needs_second_factor(&env)?;
    if !session.user.totp_enabled {
        return Ok(see_other("/backoffice/2fa/enrol"));
    }
    if session.second_factor_done {
        return Ok(see_other("/backoffice"));
    }
    challenge_page(&env, None)
}

pub async fn challenge(env: Env, CsrfForm(form): CsrfForm<CodeForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = needs_second_factor(&env)?;
    let (user, session_id, ip) = (session.user.clone(), session.id, env.ip.clone());
    let outcome = env
        .db(move |conn| match staff::verify_second_factor(conn, &user, session_id, &form.code, &ip, now) {
            Ok(()) => Ok(None),
            Err(AccountError::Totp(error)) => Ok(Some(error.message_id())),
            Err(AccountError::NoSecondFactor) => Ok(Some("totp-not-enrolled")),
            Err(other) => Err(other),
        })
        .await?;
    match outcome {
        None => Ok(see_other("/backoffice")),
        Some(message) => challenge_page(&env, Some(message)),
    }
}

/// The catalog with every price; finance and admin can add a price from a future date.
pub async fn catalog_page(env: Env) -> Result<HttpResponse, WebError> {
    let session = staff_session(&env)?;
    let can_edit = matches!(session.user.role, Role::Finance | Role::Admin);
    catalog_view(&env, can_edit, None).await
}

async fn catalog_view(env: &Env, can_edit: bool, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let lang = env.lang.clone();
    let rows = env
        .db(move |conn| {
            crate::catalog::prices(conn).map_err(|e| crate::accounts::AccountError::Corrupt(e.to_string()))
        })
        .await?;
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "plan": p.plan_code,
                "name": t(&lang, &format!("plan-{}", p.plan_code.replace('_', "-"))),
                "price": crate::i18n::format::money(&lang, p.amount),
                "valid_from": crate::i18n::format::date(&lang, p.valid_from),
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("rows", &rows);
    context.insert("can_edit", &can_edit);
    context.insert("notice", &notice);
    page("pages/catalog.html", env, context)
}

#[derive(Deserialize)]
pub struct PriceForm {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    valid_from: String,
}

pub async fn add_price(env: Env, CsrfForm(form): CsrfForm<PriceForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = staff_session(&env)?;
    if !matches!(session.user.role, Role::Finance | Role::Admin) {
        return Err(WebError::not_found(&env.lang));
    }
    let actor = session.user.id;
    let currency = iso_currency::Currency::from_code(form.currency.trim());
    let amount = currency.map(|c| crate::money::Money::parse(&form.amount, c));
    let valid_from = chrono::NaiveDate::parse_from_str(form.valid_from.trim(), "%Y-%m-%d").ok();
    let (Some(Ok(amount)), Some(valid_from)) = (amount, valid_from) else {
        return catalog_view(&env, true, Some(t(&env.lang, "catalog-price-invalid"))).await;
    };
    let billing = env.settings().billing();
    let plan = form.plan;
    let outcome = env
        .db(move |conn| {
            let today = billing.today(now);
            Ok(conn.transaction(|conn| {
                crate::catalog::add_price(conn, &plan, amount, valid_from, today, Some(actor), now)
            }))
        })
        .await?;
    let notice = match outcome {
        Ok(()) => t(&env.lang, "catalog-price-added"),
        Err(error) => t(&env.lang, error.message_id()),
    };
    catalog_view(&env, true, Some(notice)).await
}

/// A staff session that may act on money matters: finance and admin.
fn finance_session(env: &Env) -> Result<&Session, WebError> {
    let session = staff_session(env)?;
    if !matches!(session.user.role, Role::Finance | Role::Admin) {
        return Err(WebError::not_found(&env.lang));
    }
    Ok(session)
}

/// Emails that could not be delivered (refused by the receiving server, or out of
/// attempts), for finance to follow up; each can be queued again.
pub async fn undeliverable_mail(env: Env) -> Result<HttpResponse, WebError> {
    finance_session(&env)?;
    undeliverable_view(&env, None).await
}

async fn undeliverable_view(env: &Env, notice: Option<String>) -> Result<HttpResponse, WebError> {
    let failed = env.db(|conn| Ok(crate::mail::outbox::failed(conn, 500)?)).await?;
    let zone = env.settings().time_zone;
    let rows: Vec<serde_json::Value> = failed
        .iter()
        .map(|mail| {
            let at = mail.failed_at.with_timezone(&zone);
            serde_json::json!({
                "id": mail.id,
                "failed_at": format!("{} {}", crate::i18n::format::date(&env.lang, at.date_naive()), at.format("%H:%M")),
                "recipient": mail.recipient,
                "subject": mail.subject,
                "attempts": mail.attempts,
                "error": mail.last_error,
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("rows", &rows);
    context.insert("notice", &notice);
    page("pages/undeliverable_mail.html", env, context)
}

#[derive(Deserialize)]
pub struct RetryMailForm {
    #[serde(default)]
    id: String,
}

pub async fn retry_mail(env: Env, CsrfForm(form): CsrfForm<RetryMailForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let session = finance_session(&env)?;
    let Ok(id) = form.id.trim().parse::<i64>() else {
        return undeliverable_view(&env, Some(t(&env.lang, "mail-retry-unknown"))).await;
    };
    let (user, ip) = (session.user.id, env.ip.clone());
    let retried = env
        .db(move |conn| {
            let operator = staff::Operator { user: Some(user), ip: &ip, login: None };
            Ok(conn.transaction(|conn| crate::mail::outbox::retry(conn, &operator, id, now))?)
        })
        .await?;
    let notice = t(&env.lang, if retried { "mail-retry-queued" } else { "mail-retry-unknown" });
    undeliverable_view(&env, Some(notice)).await
}
