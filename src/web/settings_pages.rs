//! The signed-in customer's own pages: overview, settings, password, devices, data, closing.
//! Every query is scoped to the session's own user and customer; ids in paths that belong to
//! someone else are simply not found.

use actix_web::{HttpResponse, web};
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::account_pages::{Empty, error_messages, message_page};
use super::csrf::CsrfForm;
use super::env::Env;
use super::render::{page, see_other};
use super::{Problem, WebError};
use crate::accounts::country::Country;
use crate::accounts::profile::{self, Profile, ProfileForm};
use crate::accounts::session::{self, SessionId};
use crate::accounts::{AccountError, FieldErrors, Role, User, signup};
use crate::i18n::{LANGUAGES, Lang, t};

fn customer(env: &Env) -> Result<User, WebError> {
    let session = env.require_session()?;
    if session.user.role != Role::Customer {
        return Err(WebError::not_found(&env.lang));
    }
    Ok(session.user.clone())
}

async fn load_profile(env: &Env, user: &User) -> Result<Profile, WebError> {
    let customer = user.customer_id.ok_or_else(|| WebError::not_found(&env.lang))?;
    env.db(move |conn| profile::load(conn, customer)).await
}

pub async fn overview(env: Env) -> Result<HttpResponse, WebError> {
    let user = customer(&env)?;
    let profile = load_profile(&env, &user).await?;
    let mut context = Context::new();
    context.insert("profile", &profile);
    context.insert("verified", &user.is_verified());
    context.insert("subscription", &super::subscription_pages::load_overview(&env, &user).await?);
    page("pages/account.html", &env, context)
}

fn settings_context(env: &Env, profile: &Profile, errors: &FieldErrors, notice: Option<&str>) -> Context {
    let mut context = Context::new();
    let languages: Vec<(&str, String)> = LANGUAGES
        .iter()
        .filter_map(|code| Lang::supported(code).map(|l| (*code, t(&l, "language-name"))))
        .collect();
    let country_name =
        Country::parse(&profile.country).map(|c| t(&env.lang, &c.name_message_id())).unwrap_or_default();
    context.insert("profile", profile);
    context.insert("country_name", &country_name);
    context.insert("language_options", &languages);
    context.insert("errors", &error_messages(&env.lang, errors));
    if let Some(notice) = notice {
        context.insert("notice", &t(&env.lang, notice));
    }
    context
}

#[derive(Deserialize)]
pub struct Notice {
    saved: Option<String>,
}

pub async fn settings_form(env: Env, query: web::Query<Notice>) -> Result<HttpResponse, WebError> {
    let user = customer(&env)?;
    let profile = load_profile(&env, &user).await?;
    let notice = match query.saved.as_deref() {
        Some("profile") => Some("settings-saved"),
        Some("password") => Some("settings-password-changed"),
        _ => None,
    };
    page("pages/settings.html", &env, settings_context(&env, &profile, &FieldErrors::default(), notice))
}

pub async fn settings(env: Env, CsrfForm(form): CsrfForm<ProfileForm>) -> Result<HttpResponse, WebError> {
    let user = customer(&env)?;
    let ip = env.ip.clone();
    let for_update = user.clone();
    let submitted = form.clone();
    let outcome = env
        .db(move |conn| conn.transaction(|conn| profile::update(conn, &for_update, &submitted, &ip)))
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/account/settings?saved=profile")),
        Err(errors) => {
            let mut shown = load_profile(&env, &user).await?;
            shown.name = form.name;
            shown.company_name = Some(form.company_name);
            shown.vat_id = Some(form.vat_id);
            shown.street = form.street;
            shown.postal_code = form.postal_code;
            shown.city = form.city;
            page("pages/settings.html", &env, settings_context(&env, &shown, &errors, None))
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

pub async fn change_password(
    env: Env,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    let user = customer(&env)?;
    let session_id = env.require_session()?.id;
    let profile = load_profile(&env, &user).await?;
    let mut errors = FieldErrors::default();
    let new = match profile::new_password(&user, &profile.name, &form.password) {
        Ok(new) => Some(new),
        Err(AccountError::Password(error)) => {
            errors.add("password", error.message_id());
            None
        }
        Err(other) => return Err(WebError::from_account(&env.lang, other)),
    };
    if let Some(new) = new {
        let ip = env.ip.clone();
        let for_change = user.clone();
        let changed = env
            .db(move |conn| {
                let hash = signup::hash_password(&new)?;
                match conn.transaction(|conn| {
                    profile::change_password(conn, &for_change, &form.current, &hash, session_id, &ip)
                }) {
                    Err(AccountError::WrongPassword) => Ok(false),
                    other => other.map(|()| true),
                }
            })
            .await?;
        if changed {
            return Ok(see_other("/account/settings?saved=password"));
        }
        errors.add("current", "account-wrong-password");
    }
    page("pages/settings.html", &env, settings_context(&env, &profile, &errors, None))
}

pub async fn sessions(env: Env) -> Result<HttpResponse, WebError> {
    let session = env.require_session()?;
    let (user, current) = (session.user.id, session.id);
    let list = env.db(move |conn| session::list(conn, user)).await?;
    let mut context = Context::new();
    context.insert("sessions", &list);
    context.insert("current", &current.0);
    page("pages/sessions.html", &env, context)
}

pub async fn end_session(
    env: Env,
    path: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let user = env.require_session()?.user.id;
    let target = SessionId(path.into_inner());
    let ended = env.db(move |conn| session::end_own(conn, user, target)).await?;
    if !ended {
        return Err(WebError::not_found(&env.lang));
    }
    Ok(see_other("/account/sessions"))
}

pub async fn end_all_sessions(env: Env, _: CsrfForm<Empty>) -> Result<HttpResponse, WebError> {
    let user = env.require_session()?.user.id;
    let ip = env.ip.clone();
    env.db(move |conn| {
        session::end_all(conn, user)?;
        crate::accounts::audit::record(
            conn,
            &crate::accounts::audit::AuditEvent::new("session.ended_all", Some(user), &ip),
        )
    })
    .await?;
    Ok(see_other("/login"))
}

pub async fn my_data(env: Env) -> Result<HttpResponse, WebError> {
    let user = env.require_session()?.user.clone();
    let data = env.db(move |conn| profile::export(conn, &user)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Content-Disposition", "attachment; filename=\"kontor-my-data.json\""))
        .insert_header(("Cache-Control", "no-store, private"))
        .json(data))
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    password: String,
}

pub async fn close_account(env: Env, CsrfForm(form): CsrfForm<CloseForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let user = customer(&env)?;
    let ip = env.ip.clone();
    let for_close = user.clone();
    let closed = env
        .db(move |conn| {
            let stored =
                for_close.password_hash.clone().map(crate::accounts::password::PasswordHash::from_stored);
            let ok = match stored {
                Some(hash) => crate::accounts::password::verify(&form.password, &hash)?,
                None => false,
            };
            if !ok {
                return Ok(false);
            }
            conn.transaction(|conn| profile::close(conn, &for_close, &ip, now))?;
            Ok(true)
        })
        .await?;
    if !closed {
        let profile = load_profile(&env, &user).await?;
        let mut errors = FieldErrors::default();
        errors.add("close_password", "account-wrong-password");
        return page("pages/settings.html", &env, settings_context(&env, &profile, &errors, None));
    }
    message_page(&env, "account-closed-title", &t(&env.lang, "account-closed-text"))
        .map_err(|e| WebError::new(&env.lang, Problem::Internal, e))
}
