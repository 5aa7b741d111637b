//! Changing a customer's email address: the request in the settings (with the password), the
//! page the link to the new address opens, and the page the link to the old address opens to
//! take the account back. Both links open a page that asks with a button (mail scanners that
//! open links change nothing) before anything changes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::env::Env;
use super::form::Form;
use super::render::message_page;
use super::render::page;
use super::settings_pages::{load_profile, settings_context};
use super::submit::Outcome;
use crate::accounts::email::EmailAddress;
use crate::accounts::email_change::{confirm_change, request_change, restore};
use crate::accounts::one_time::{Purpose, pending_address};
use crate::accounts::profile::check_current_password;
use crate::accounts::{AccountError, FieldErrors};
use crate::i18n::{t, t_args};

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
    /// The current password (named apart from the other forms' on the settings page).
    #[serde(default)]
    email_password: String,
}

/// The settings again with what to correct, as a 422.
async fn refused(
    env: &Env,
    who: &Customer,
    errors: &FieldErrors,
    typed: &str,
) -> Result<HttpResponse, WebError> {
    let profile = load_profile(env, who).await?;
    let mut context = settings_context(env, &profile, errors, None);
    context.insert("new_email", typed);
    let mut response = page("pages/settings.html", env, context)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /account/email`: sends the confirmation link to the new address. The answer is the
/// same whether or not another account has that address.
pub async fn change_email(env: Env, who: Customer, form: Form<EmailForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let mut errors = FieldErrors::default();
    let Some(new) = EmailAddress::parse(&form.new_email) else {
        errors.add("new_email", "email-invalid");
        return refused(&env, &who, &errors, &form.new_email).await;
    };
    // A wrong password must count against the limit even though nothing changes: checked (and
    // committed) before the submission's transaction.
    let (checker, ip, password) = (who.user.clone(), env.ip.clone(), form.email_password.clone());
    let right = env.db(move |conn| check_current_password(conn, &checker, &password, &ip, now)).await?;
    if !right {
        errors.add("email_password", "account-wrong-password");
        return refused(&env, &who, &errors, &form.new_email).await;
    }
    let (site, ip, user) = (env.settings().site(), env.ip.clone(), who.user.clone());
    let notice = t_args(&env.lang, "email-change-sent", &[("address", new.as_str().to_owned().into())]);
    let requested = new.clone();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<FieldErrors>, AccountError> {
            Ok(match request_change(conn, &site, &user, &requested, &ip, now)? {
                Ok(()) => Outcome::noted("/account/settings", notice),
                Err(errors) => Outcome::Refused(errors),
            })
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(errors) => refused(&env, &who, &errors, new.as_str()).await,
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The two links about an address: confirming a new one, restoring the old one. Each opens a
/// page that asks before anything changes.
#[derive(Debug, Clone, Copy)]
struct Link {
    purpose: Purpose,
    action: &'static str,
    title: &'static str,
    text: &'static str,
    submit: &'static str,
}

fn link_of(path: &str) -> Link {
    if path.starts_with("/email/restore") {
        Link {
            purpose: Purpose::RestoreEmail,
            action: "/email/restore",
            title: "email-restore-title",
            text: "email-restore-text",
            submit: "email-restore-submit",
        }
    } else {
        Link {
            purpose: Purpose::ChangeEmail,
            action: "/email/confirm",
            title: "email-confirm-title",
            text: "email-confirm-text",
            submit: "email-confirm-submit",
        }
    }
}

/// `GET /email/confirm?token=` and `GET /email/restore?token=`: what the link will do, and the
/// button that does it.
pub async fn confirm_form(
    env: Env,
    req: HttpRequest,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, WebError> {
    let link = link_of(req.path());
    let (now, token) = (env.now, query.into_inner().token);
    let check = token.clone();
    let pending = env.db(move |conn| pending_address(conn, &check, link.purpose, now)).await?;
    let Some(address) = pending else {
        let mut response = message_page(&env, "error-page-title", &t(&env.lang, "account-invalid-link"))?;
        *response.status_mut() = StatusCode::NOT_FOUND;
        return Ok(response);
    };
    let mut context = Context::new();
    context.insert("token", &token);
    context.insert("address", &address);
    context.insert("action", link.action);
    context.insert("title_id", link.title);
    context.insert("text_id", link.text);
    context.insert("submit_id", link.submit);
    page("pages/email_confirm.html", &env, context)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

/// `POST /email/confirm`: the new address becomes the account's; signed in, the person lands
/// on their settings, otherwise on the sign-in page, where the new address now works.
/// `POST /email/restore`: the old address is the account's again and every session ends; the
/// owner lands on "forgot password" to set a new one.
pub async fn confirm(env: Env, req: HttpRequest, form: Form<ConfirmForm>) -> Result<HttpResponse, WebError> {
    let link = link_of(req.path());
    let (now, key, token) = (env.now, form.key, form.fields.token);
    let (site, ip) = (env.settings().site(), env.ip.clone());
    let signed_in_customer = env.session.as_ref().is_some_and(|s| !s.user.role.is_staff());
    let lang = env.lang.clone();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<&'static str>, AccountError> {
            let address = pending_address(conn, &token, link.purpose, now)?.unwrap_or_default();
            let done = match link.purpose {
                Purpose::RestoreEmail => restore(conn, &token, &ip, now).map(|_| {
                    Outcome::noted(
                        "/password/forgot",
                        t_args(&lang, "email-restore-done", &[("address", address.into())]),
                    )
                }),
                _ => confirm_change(conn, &site, &token, &ip, now).map(|_| {
                    Outcome::noted(
                        if signed_in_customer { "/account/settings" } else { "/login" },
                        t_args(&lang, "email-change-done", &[("address", address.into())]),
                    )
                }),
            };
            match done {
                Ok(outcome) => Ok(outcome),
                Err(e @ (AccountError::InvalidLink | AccountError::EmailTaken)) => {
                    Ok(Outcome::Refused(e.message_id()))
                }
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        Ok(done) => {
            if link.purpose == Purpose::RestoreEmail {
                // Signed out with every other session: the cookie goes too.
                let mut done = done;
                done.add_cookie(&super::account_pages::expired_session_cookie(&env))
                    .map_err(|e| WebError::internal(&env.lang, e))?;
                return Ok(done);
            }
            Ok(done)
        }
        Err(message) => {
            let mut response = message_page(&env, "error-page-title", &t(&env.lang, message))?;
            // A used or expired link is gone; an address taken since the link was sent conflicts.
            *response.status_mut() =
                if message == "account-invalid-link" { StatusCode::NOT_FOUND } else { StatusCode::CONFLICT };
            Ok(response)
        }
    }
}
