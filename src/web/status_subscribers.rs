//! Following the status page by email, without an account: the form (also on the live status
//! page), the confirmation link's page, and unsubscribing, by the button on the link's page
//! or by a mail client's one-click `List-Unsubscribe-Post`. Both links open a page that asks
//! first, so a mail scanner opening links changes nothing.

use std::collections::BTreeMap;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::env::Env;
use super::form::Form;
use super::render::{message_page, page};
use super::state::reader_lang;
use super::submit::Outcome;
use crate::accounts::email::EmailAddress;
use crate::i18n::{Lang, t, t_args};
use crate::incidents::IncidentError;
use crate::incidents::subscribers::{self, Components, Follower};

/// The body a mail client's unsubscribe button posts (RFC 8058).
const ONE_CLICK: &[u8] = b"List-Unsubscribe=One-Click";

/// The components to tick, in the reader's words: (code, name).
pub(super) fn component_choices(lang: &Lang) -> Vec<(&'static str, String)> {
    crate::incidents::components::codes().map(|code| (code, t(lang, &format!("component-{code}")))).collect()
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

/// The form again (or for the first time), with what to correct.
fn form_page(env: &Env, email: &str, error: Option<&str>) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("components", &component_choices(&env.lang));
    context.insert("email", email);
    context.insert("error", &error.map(|id| t(&env.lang, id)));
    let mut response = page("pages/status_subscribe.html", env, context)?;
    if error.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /status/subscribe`: the form, in the language `?lang=` names (the static status page
/// links here with its own).
pub async fn subscribe_form(mut env: Env, query: web::Query<LangQuery>) -> Result<HttpResponse, WebError> {
    if let Some(lang) = query.lang.as_deref().and_then(Lang::supported) {
        env.lang = lang;
    }
    form_page(&env, "", None)
}

#[derive(Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    email: String,
    /// The language of the page the form was on: the emails come in it.
    #[serde(default)]
    lang: String,
    /// `component_<code>` for each component ticked.
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

/// `POST /status/subscribe`: sends the confirmation link. The answer is the same whether the
/// address follows already, asked before or is new.
pub async fn subscribe(mut env: Env, form: Form<SubscribeForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    if let Some(lang) = Lang::supported(&form.lang) {
        env.lang = lang;
    }
    let Some(email) = EmailAddress::parse(&form.email) else {
        return form_page(&env, &form.email, Some("email-invalid"));
    };
    let ticked = form
        .rest
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .filter_map(|(name, _)| name.strip_prefix("component_"));
    let Ok(components) = Components::parse(ticked) else {
        return form_page(&env, email.as_str(), Some("incident-error-invalid"));
    };
    let (site, ip, lang) = (env.settings().site(), env.ip.clone(), env.lang.clone());
    let notice = t_args(&env.lang, "status-subscribe-sent", &[("address", email.as_str().to_owned().into())]);
    env.submit(&key, move |conn| -> Result<Outcome<()>, IncidentError> {
        subscribers::request(conn, &site, &email, &components, &lang, &ip, now)?;
        Ok(Outcome::noted(format!("/status/subscribe?lang={}", lang.code()), notice))
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The page of a link that no longer leads anywhere: used, expired, or unsubscribed already.
fn gone(env: &Env, message: &str) -> Result<HttpResponse, WebError> {
    let mut response = message_page(env, "error-page-title", &t(&env.lang, message))?;
    *response.status_mut() = StatusCode::NOT_FOUND;
    Ok(response)
}

/// A page that asks before a link does its work: what it will do and the button.
fn ask(env: &Env, follower: &Follower, token: &str, confirming: bool) -> Result<HttpResponse, WebError> {
    let (title, text, action, submit) = if confirming {
        (
            "status-subscribe-confirm-title",
            "status-subscribe-confirm-text",
            "/status/subscribe/confirm",
            "status-subscribe-confirm-submit",
        )
    } else {
        (
            "status-unsubscribe-title",
            "status-unsubscribe-text",
            "/status/unsubscribe",
            "status-unsubscribe-submit",
        )
    };
    let mut context = Context::new();
    context.insert("title_id", title);
    context.insert(
        "text",
        &t_args(
            &env.lang,
            text,
            &[
                ("address", follower.email.clone().into()),
                ("components", follower.components.describe(&env.lang).into()),
            ],
        ),
    );
    context.insert("action", action);
    context.insert("submit_id", submit);
    context.insert("token", token);
    page("pages/status_link.html", env, context)
}

/// `GET /status/subscribe/confirm?token=`: what the request asked for, and the button.
pub async fn confirm_form(env: Env, query: web::Query<TokenQuery>) -> Result<HttpResponse, WebError> {
    let (now, token) = (env.now, query.into_inner().token);
    let check = token.clone();
    let pending = env.run(move |conn| subscribers::pending(conn, &check, now)).await?;
    match pending {
        Some(follower) => ask(&env, &follower, &token, true),
        None => gone(&env, "status-subscription-invalid-link"),
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    token: String,
}

/// `POST /status/subscribe/confirm`: the address follows what it asked for from now on.
pub async fn confirm(env: Env, form: Form<LinkForm>) -> Result<HttpResponse, WebError> {
    let (now, key, token) = (env.now, form.key, form.fields.token);
    let lang = env.lang.clone();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<()>, IncidentError> {
            match subscribers::confirm(conn, &token, now) {
                Ok(follower) => {
                    let notice = t_args(
                        &lang,
                        "status-subscribe-confirmed",
                        &[
                            ("address", follower.email.into()),
                            ("components", follower.components.describe(&lang).into()),
                        ],
                    );
                    Ok(Outcome::noted(format!("/status/subscribe?lang={}", follower.language), notice))
                }
                Err(IncidentError::InvalidLink) => Ok(Outcome::Refused(())),
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(()) => gone(&env, "status-subscription-invalid-link"),
    }
}

/// `GET /status/unsubscribe?token=`: whose emails the link stops, and the button.
pub async fn unsubscribe_form(env: Env, query: web::Query<TokenQuery>) -> Result<HttpResponse, WebError> {
    let token = query.into_inner().token;
    let check = token.clone();
    let follower = env.run(move |conn| subscribers::of_link(conn, &check)).await?;
    match follower {
        Some(follower) => ask(&env, &follower, &token, false),
        None => gone(&env, "status-unsubscribe-gone"),
    }
}

/// What `POST /status/unsubscribe` brings: a mail client's one-click body (the token is in the
/// address, RFC 8058: no page, no cookie), or the form of the link's page.
pub enum UnsubscribeRequest {
    OneClick { token: String },
    Form(Form<LinkForm>),
}

impl FromRequest for UnsubscribeRequest {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<UnsubscribeRequest, WebError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let lang = reader_lang(&req, None);
            let body = body.await.map_err(|e| WebError::bad_request(&lang, "form-unreadable", e))?;
            if is_one_click(&req, &body) {
                let query = web::Query::<TokenQuery>::from_query(req.query_string())
                    .map_err(|e| WebError::bad_request(&lang, "form-unreadable", e))?;
                return Ok(UnsubscribeRequest::OneClick { token: query.into_inner().token });
            }
            Form::parse(&req, &body).map(UnsubscribeRequest::Form)
        })
    }
}

/// RFC 8058's body, as a urlencoded form or as `multipart/form-data` (both are allowed).
fn is_one_click(req: &HttpRequest, body: &[u8]) -> bool {
    if body.trim_ascii() == ONE_CLICK {
        return true;
    }
    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    let has = |needle: &[u8]| body.windows(needle.len()).any(|window| window == needle);
    multipart && has(b"name=\"List-Unsubscribe\"") && has(b"One-Click")
}

/// `POST /status/unsubscribe`: no more emails, and the address is forgotten. Posting again,
/// or a link of an address that left already, changes nothing.
pub async fn unsubscribe(env: Env, request: UnsubscribeRequest) -> Result<HttpResponse, WebError> {
    let notice = t(&env.lang, "status-unsubscribed");
    match request {
        UnsubscribeRequest::OneClick { token } => {
            // The mail client wants a 2xx; whether anyone was still subscribed is no news to it.
            env.run(move |conn| subscribers::unsubscribe(conn, &token)).await?;
            message_page(&env, "status-unsubscribe-title", &notice)
        }
        UnsubscribeRequest::Form(form) => {
            let (key, token) = (form.key, form.fields.token);
            let location = format!("/status/subscribe?lang={}", env.lang.code());
            let outcome = env
                .submit(&key, move |conn| -> Result<Outcome<()>, IncidentError> {
                    Ok(if subscribers::unsubscribe(conn, &token)? {
                        Outcome::noted(location, notice)
                    } else {
                        Outcome::Refused(())
                    })
                })
                .await?;
            match outcome {
                Ok(done) => Ok(done),
                Err(()) => gone(&env, "status-unsubscribe-gone"),
            }
        }
    }
}
