//! Sign-up, email verification, sign-in and sign-out, forgotten passwords.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpResponse, web};
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::access::{Customer, SignedIn};
use super::env::Env;
use super::form::Form;
use super::render::{message_page, page, see_other};
use super::state::SESSION_COOKIE;
use super::submit::Outcome;
use super::{Problem, WebError};
use crate::accounts::login::{Client, LoginOutcome, log_in};
use crate::accounts::one_time::{self, Purpose};
use crate::accounts::password::Password;
use crate::accounts::signup::{self, Signup, SignupForm};
use crate::accounts::{AccountError, FieldErrors, recovery, session};
use crate::country::Country;
use crate::i18n::{LANGUAGES, Lang, t, t_args};

/// The trusted-device cookie (sent only to the sign-in form).
pub const DEVICE_COOKIE: &str = "kontor_device";

pub const MIN_PASSWORD: usize = crate::accounts::password::MIN_CHARS;
pub const MAX_PASSWORD: usize = crate::accounts::password::MAX_CHARS;

/// Field errors as localized messages, keyed by field name, for the form templates.
pub fn error_messages(lang: &Lang, errors: &FieldErrors) -> std::collections::HashMap<&'static str, String> {
    errors
        .0
        .iter()
        .map(|(field, id)| {
            (*field, t_args(lang, id, &[("min", MIN_PASSWORD.into()), ("max", MAX_PASSWORD.into())]))
        })
        .collect()
}

pub fn session_cookie(env: &Env, token: &str) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .secure(env.settings().secure_cookies)
        .same_site(SameSite::Lax)
        .finish()
}

/// The browser's device token (see `accounts::device`), kept as long as the device is trusted.
fn device_cookie(env: &Env, token: &str) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, token.to_owned())
        .path("/login")
        .http_only(true)
        .secure(env.settings().secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(crate::accounts::device::TRUSTED_FOR.num_days()))
        .finish()
}

pub(super) fn expired_session_cookie(env: &Env) -> Cookie<'static> {
    let mut cookie = session_cookie(env, "");
    cookie.set_max_age(CookieDuration::ZERO);
    cookie
}

fn signup_context(env: &Env, form: &SignupForm, errors: &FieldErrors) -> Context {
    let mut context = Context::new();
    let countries: Vec<(&str, String)> =
        Country::ALL.iter().map(|c| (c.code(), t(&env.lang, &c.name_message_id()))).collect();
    let languages: Vec<(&str, String)> = LANGUAGES
        .iter()
        .filter_map(|code| Lang::supported(code).map(|l| (*code, t(&l, "language-name"))))
        .collect();
    context.insert("countries", &countries);
    context.insert("language_options", &languages);
    context.insert("form", &serde_json::json!({
        "email": form.email, "name": form.name, "company_name": form.company_name, "vat_id": form.vat_id,
        "street": form.street, "postal_code": form.postal_code, "city": form.city,
        "country": form.country, "language": if form.language.is_empty() { env.lang.code() } else { &form.language },
    }));
    context.insert("errors", &error_messages(&env.lang, errors));
    context.insert("min_password", &MIN_PASSWORD);
    context
}

/// The visitor's likely country: the region of their browser's language (`fr-BE` -> BE), else
/// the main country of the language they read.
fn likely_country(req: &actix_web::HttpRequest, lang: &Lang) -> &'static str {
    let header = req.headers().get("accept-language").and_then(|v| v.to_str().ok()).unwrap_or("");
    let from_region = header
        .split(',')
        .filter_map(|tag| tag.split(';').next()?.trim().split(['-', '_']).nth(1))
        .find_map(|region| Country::parse(region).ok());
    if let Some(country) = from_region {
        return country.code();
    }
    match lang.code() {
        "fr" => "FR",
        "nl" => "NL",
        "sv" => "SE",
        "da" => "DK",
        "nb" => "NO",
        "en" => "GB",
        _ => "DE",
    }
}

pub async fn signup_form(env: Env, req: actix_web::HttpRequest) -> Result<HttpResponse, WebError> {
    let form = SignupForm { country: likely_country(&req, &env.lang).to_owned(), ..SignupForm::default() };
    page("pages/signup.html", &env, signup_context(&env, &form, &FieldErrors::default()))
}

pub async fn signup(env: Env, form: Form<SignupForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let parsed = match Signup::parse(&form) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let mut form = form;
            form.password.clear();
            return page("pages/signup.html", &env, signup_context(&env, &form, &errors));
        }
    };
    let (site, ip) = (env.settings().site(), env.ip.clone());
    let notice = format!(
        "{} — {}",
        t(&env.lang, "signup-done-title"),
        t_args(&env.lang, "signup-done-text", &[("email", parsed.email.to_string().into())])
    );
    let vat_id = parsed.vat_id.clone();
    let created = std::sync::Arc::new(std::sync::OnceLock::new());
    let new_customer = created.clone();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<()>, AccountError> {
            signup::admit(conn, &ip, now)?;
            let hash = signup::hash_password(&parsed.password)?;
            if let signup::Registered::New { customer, .. } =
                signup::register(conn, &site, &parsed, &hash, &ip, now)?
            {
                let _ = new_customer.set(customer);
            }
            Ok(Outcome::noted("/login", notice))
        })
        .await?;
    let response = outcome.map_err(|()| WebError::internal(&env.lang, "sign-up refused without a reason"))?;
    // Only a customer this submission created, once committed: an address that already had an
    // account keeps that account's VAT ID, unchecked by a stranger's form.
    if let (Some(customer), Some(vat_id)) = (created.get(), vat_id) {
        super::vat_checks::check_new_vat_id(&env, *customer, vat_id).await;
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn verify(env: Env, query: web::Query<TokenQuery>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let token = query.into_inner().token;
    let ip = env.ip.clone();
    let outcome = env
        .db(move |conn| match conn.transaction(|conn| signup::verify_email(conn, &token, &ip, now)) {
            Ok(_) => Ok(true),
            Err(AccountError::InvalidLink) => Ok(false),
            Err(other) => Err(other),
        })
        .await?;
    if outcome {
        message_page(&env, "verify-done-title", &t(&env.lang, "verify-done-text"))
    } else {
        message_page(&env, "error-page-title", &t(&env.lang, "account-invalid-link"))
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn resend_verification(
    env: Env,
    who: Customer,
    form: Form<Empty>,
) -> Result<HttpResponse, WebError> {
    let (now, user) = (env.now, who.user);
    let (site, ip) = (env.settings().site(), env.ip.clone());
    let notice = t(&env.lang, "verify-resent");
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, AccountError> {
        signup::resend_verification(conn, &site, &user, &ip, now)?;
        Ok(Outcome::noted("/account", notice))
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn login_page(env: &Env, email: &str, failed: bool) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("email", email);
    context.insert("failed", &failed);
    page("pages/login.html", env, context)
}

pub async fn login_form(env: Env) -> Result<HttpResponse, WebError> {
    if env.session.is_some() {
        return Ok(see_other("/account"));
    }
    login_page(&env, "", false)
}

/// Log-in cannot be one transaction with its key: a wrong password must still count against
/// the limits. The key is claimed first (a reload after success goes where the first went)
/// and given back when the log-in is refused.
pub async fn login(
    env: Env,
    req: actix_web::HttpRequest,
    form: Form<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    if let Some(again) = env.claim(&key).await? {
        return Ok(again);
    }
    let (ip, agent, email) = (env.ip.clone(), env.user_agent.clone(), form.email.clone());
    let device = req.cookie(DEVICE_COOKIE).map(|c| c.value().to_owned());
    let previous = env.session.as_ref().map(|s| s.id);
    let outcome = env
        .db(move |conn| {
            // A session that existed before log-in (another user, a planted cookie) ends here.
            if let Some(previous) = previous {
                session::end(conn, previous)?;
            }
            let client = Client { ip: &ip, user_agent: &agent, device: device.as_deref() };
            log_in(conn, &form.email, &form.password, client, now)
        })
        .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            env.release(&key).await?;
            return Err(error);
        }
    };
    match outcome {
        LoginOutcome::Refused => {
            env.release(&key).await?;
            login_page(&env, &email, true)
        }
        LoginOutcome::SignedIn { user, token, device } => {
            let next = if user.role.requires_second_factor() {
                if user.totp_enabled { "/login/2fa" } else { "/backoffice/2fa/enrol" }
            } else if user.role.is_staff() {
                "/backoffice"
            } else {
                "/account"
            };
            let mut response = env.finish(&key, next.to_owned(), None).await?;
            response
                .add_cookie(&session_cookie(&env, token.as_str()))
                .map_err(|e| WebError::internal(&env.lang, e))?;
            response
                .add_cookie(&device_cookie(&env, device.as_str()))
                .map_err(|e| WebError::internal(&env.lang, e))?;
            Ok(response)
        }
    }
}

pub async fn logout(env: Env, who: SignedIn, form: Form<Empty>) -> Result<HttpResponse, WebError> {
    let current = who.session;
    let notice = t(&env.lang, "logout-done");
    let mut response = env
        .submit(&form.key, move |conn| -> Result<Outcome<()>, AccountError> {
            session::end(conn, current)?;
            Ok(Outcome::noted("/login", notice))
        })
        .await?
        .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))?;
    response.add_cookie(&expired_session_cookie(&env)).map_err(|e| WebError::internal(&env.lang, e))?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_form(env: Env) -> Result<HttpResponse, WebError> {
    page("pages/password_forgot.html", &env, Context::new())
}

pub async fn forgot(env: Env, form: Form<ForgotForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let (site, ip) = (env.settings().site(), env.ip.clone());
    let notice = t(&env.lang, "forgot-sent");
    env.submit(&key, move |conn| -> Result<Outcome<()>, AccountError> {
        recovery::request_reset(conn, &site, &form.email, &ip, now)?;
        Ok(Outcome::noted("/login", notice))
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))
}

fn purpose_of(path: &str) -> (Purpose, &'static str) {
    if path.ends_with("/set") {
        (Purpose::SetPassword, "set-password-title")
    } else {
        (Purpose::ResetPassword, "reset-title")
    }
}

fn new_password_page(
    env: &Env,
    token: &str,
    title: &str,
    errors: &FieldErrors,
) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("token", token);
    context.insert("title_id", title);
    context.insert("errors", &error_messages(&env.lang, errors));
    context.insert("min_password", &MIN_PASSWORD);
    page("pages/password_new.html", env, context)
}

pub async fn new_password_form(
    env: Env,
    req: actix_web::HttpRequest,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let (purpose, title) = purpose_of(req.path());
    let token = query.into_inner().token;
    let check = token.clone();
    let valid = env.db(move |conn| Ok(one_time::is_valid(conn, &check, purpose, now))).await?;
    if !valid {
        return message_page(&env, "error-page-title", &t(&env.lang, "account-invalid-link"));
    }
    new_password_page(&env, &token, title, &FieldErrors::default())
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn new_password(
    env: Env,
    req: actix_web::HttpRequest,
    form: Form<NewPasswordForm>,
) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let (purpose, title) = purpose_of(req.path());
    let password = match Password::parse(&form.password, &[]) {
        Ok(password) => password,
        Err(error) => {
            let mut errors = FieldErrors::default();
            errors.add("password", error.message_id());
            return new_password_page(&env, &form.token, title, &errors);
        }
    };
    let ip = env.ip.clone();
    let token = form.token;
    let notice = t(&env.lang, "reset-done");
    env.submit(&key, move |conn| -> Result<Outcome<()>, AccountError> {
        let hash = signup::hash_password(&password)?;
        match recovery::set_password_with_link(conn, &token, purpose, &hash, &ip, now) {
            Ok(_) => Ok(Outcome::noted("/login", notice)),
            Err(AccountError::InvalidLink) => Ok(Outcome::Refused(())),
            Err(other) => Err(other),
        }
    })
    .await?
    .map_err(|()| WebError::new(&env.lang, Problem::NotFound, "invalid reset link"))
}
