//! The back office for staff, and the second factor that finance and admin must pass first.
//! Customers who find these addresses get "not found".

use actix_web::HttpResponse;
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::{Admin, Finance, Staff, StaffSigningIn};
use super::env::Env;
use super::form::Form;
use super::render::{page, see_other};
use super::submit::Outcome;
use crate::accounts::totp;
use crate::accounts::{AccountError, Role, staff};
use crate::audit;
use crate::i18n::t;

pub async fn home(env: Env, who: Staff) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("email", &who.user.email);
    context.insert("role", &t(&env.lang, &format!("role-{}", who.user.role.as_str())));
    context.insert("is_admin", &(who.user.role == Role::Admin));
    context.insert("can_see_mail", &crate::web::Access::Finance.admits(who.user.role));
    page("pages/backoffice.html", &env, context)
}

pub async fn audit_log(env: Env, _: Admin) -> Result<HttpResponse, WebError> {
    let entries = env.db(|conn| Ok::<_, AccountError>(audit::recent(conn, 200)?)).await?;
    let mut context = Context::new();
    context.insert("entries", &entries);
    page("pages/audit.html", &env, context)
}

pub async fn enrol_form(env: Env, who: StaffSigningIn) -> Result<HttpResponse, WebError> {
    if who.user.totp_enabled {
        return Ok(see_other("/backoffice"));
    }
    let user = who.user.clone();
    let secret = env
        .db(move |conn| match staff::pending_secret(conn, &user)? {
            Some(secret) => Ok(secret),
            None => staff::begin_totp_enrolment(conn, &user),
        })
        .await?;
    enrol_page(&env, &who.user.email, &secret, None)
}

fn enrol_page(
    env: &Env,
    email: &str,
    secret: &totp::TotpSecret,
    error: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("secret", &secret.to_base32());
    context.insert("uri", &totp::provisioning_uri(secret, email, staff::TOTP_ISSUER));
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

/// Confirms the authenticator with a first code and shows the recovery codes, once: the key
/// is recorded with the back office as its result, so sending the form again goes there.
pub async fn enrol(env: Env, who: StaffSigningIn, form: Form<CodeForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    if who.user.totp_enabled {
        return Ok(see_other("/backoffice"));
    }
    if let Some(again) = env.claim(&key).await? {
        return Ok(again);
    }
    let (user, session_id, ip) = (who.user.clone(), who.session, env.ip.clone());
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
            env.finish(&key, "/backoffice".to_owned(), None).await?;
            let mut context = Context::new();
            context.insert("codes", &codes);
            page("pages/two_factor_codes.html", &env, context)
        }
        Err(refused) => {
            env.release(&key).await?;
            match refused {
                (message, Some(secret)) => enrol_page(&env, &who.user.email, &secret, Some(message)),
                (_, None) => Ok(see_other("/backoffice/2fa/enrol")),
            }
        }
    }
}

fn challenge_page(env: &Env, error: Option<&str>) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    if let Some(error) = error {
        context.insert("error", &t(&env.lang, error));
    }
    page("pages/two_factor_challenge.html", env, context)
}

pub async fn challenge_form(env: Env, who: StaffSigningIn) -> Result<HttpResponse, WebError> {
    if !who.user.totp_enabled {
        return Ok(see_other("/backoffice/2fa/enrol"));
    }
    if env.session.as_ref().is_some_and(|s| s.second_factor_done) {
        return Ok(see_other("/backoffice"));
    }
    challenge_page(&env, None)
}

/// Checks a code; wrong ones count against the limit, so the key is claimed first and given
/// back when the code is refused.
pub async fn challenge(
    env: Env,
    who: StaffSigningIn,
    form: Form<CodeForm>,
) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    if let Some(again) = env.claim(&key).await? {
        return Ok(again);
    }
    let (user, session_id, ip) = (who.user.clone(), who.session, env.ip.clone());
    let outcome = env
        .db(move |conn| match staff::verify_second_factor(conn, &user, session_id, &form.code, &ip, now) {
            Ok(()) => Ok(None),
            Err(AccountError::Totp(error)) => Ok(Some(error.message_id())),
            Err(AccountError::NoSecondFactor) => Ok(Some("totp-not-enrolled")),
            Err(other) => Err(other),
        })
        .await;
    match outcome {
        Ok(None) => env.finish(&key, "/backoffice".to_owned(), None).await,
        Ok(Some(message)) => {
            env.release(&key).await?;
            challenge_page(&env, Some(message))
        }
        Err(error) => {
            env.release(&key).await?;
            Err(error)
        }
    }
}

/// The catalog with every price; finance and admin can add a price from a future date.
pub async fn catalog_page(env: Env, who: Staff) -> Result<HttpResponse, WebError> {
    let can_edit = crate::web::Access::Finance.admits(who.user.role);
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

pub async fn add_price(env: Env, who: Finance, form: Form<PriceForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let actor = who.user.id;
    let currency = iso_currency::Currency::from_code(form.currency.trim());
    let amount = currency.map(|c| crate::money::Money::parse(&form.amount, c));
    let valid_from = chrono::NaiveDate::parse_from_str(form.valid_from.trim(), "%Y-%m-%d").ok();
    let (Some(Ok(amount)), Some(valid_from)) = (amount, valid_from) else {
        return catalog_view(&env, true, Some(t(&env.lang, "catalog-price-invalid"))).await;
    };
    let billing = env.settings().billing();
    let plan = form.plan;
    let notice = t(&env.lang, "catalog-price-added");
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<&'static str>, crate::catalog::CatalogError> {
            let today = billing.today(now);
            match crate::catalog::add_price(conn, &plan, amount, valid_from, today, Some(actor), now) {
                Ok(()) => Ok(Outcome::noted("/backoffice/catalog", notice)),
                Err(error) if error.message_id() != "error-internal" => {
                    Ok(Outcome::Refused(error.message_id()))
                }
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => catalog_view(&env, true, Some(t(&env.lang, message))).await,
    }
}

/// Emails that could not be delivered (refused by the receiving server, or out of
/// attempts), for finance to follow up; each can be queued again.
pub async fn undeliverable_mail(env: Env, _: Finance) -> Result<HttpResponse, WebError> {
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

pub async fn retry_mail(env: Env, who: Finance, form: Form<RetryMailForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let Ok(id) = form.id.trim().parse::<i64>() else {
        return undeliverable_view(&env, Some(t(&env.lang, "mail-retry-unknown"))).await;
    };
    let (user, ip) = (who.user.id, env.ip.clone());
    let notice = t(&env.lang, "mail-retry-queued");
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<()>, AccountError> {
            let operator = crate::audit::Actor::person(user, ip);
            Ok(if crate::mail::outbox::retry(conn, &operator, id, now)? {
                Outcome::noted("/backoffice/mail", notice)
            } else {
                Outcome::Refused(())
            })
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(()) => undeliverable_view(&env, Some(t(&env.lang, "mail-retry-unknown"))).await,
    }
}
