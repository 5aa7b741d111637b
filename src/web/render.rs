//! Rendering pages: every page gets the reader's language, the language menu, the CSRF token
//! for its forms and who is signed in.

use actix_web::HttpResponse;
use actix_web::http::header;
use tera::Context;

use super::env::Env;
use super::templates::tera;
use super::{Problem, WebError};
use crate::i18n::{LANGUAGES, Lang, t};

fn base_context(lang: &Lang, mut context: Context) -> Context {
    context.insert("lang", lang.code());
    let menu: Vec<(&str, String)> = LANGUAGES
        .iter()
        .filter_map(|code| Lang::supported(code).map(|l| (*code, t(&l, "language-name"))))
        .collect();
    context.insert("languages", &menu);
    context
}

/// A page without request details (error pages built outside a handler).
pub fn bare(name: &str, lang: &Lang, context: Context) -> Result<String, String> {
    tera()?.render(name, &base_context(lang, context)).map_err(|e| e.to_string())
}

/// A full page for the request described by `env`.
pub fn page(name: &str, env: &Env, mut context: Context) -> Result<HttpResponse, WebError> {
    context.insert("csrf", &env.csrf);
    // The language links come back to this page (`/lang` checks that it is one of ours).
    if let Some(here) = env.here.as_deref() {
        let here: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
        context.insert("here", &here);
    }
    if let Some(notice) = &env.notice {
        context.insert("flash", notice);
    }
    if let Some(session) = &env.session {
        context.insert("nav_email", &session.user.email);
        context.insert("nav_staff", &session.user.role.is_staff());
        if session.is_view_as() {
            context.insert("view_as", &session.user.email);
            context
                .insert("view_as_customer", &session.view_as.map(|c| crate::invoicing::customer_number(c.0)));
        }
    }
    let body = tera()
        .and_then(|tera| tera.render(name, &base_context(&env.lang, context)).map_err(|e| e.to_string()))
        .map_err(|e| WebError::new(&env.lang, Problem::Internal, e))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_LANGUAGE, env.lang.code().to_owned()))
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// 303 to `location` (after a successful POST).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// A page that only says something: a title and a text.
pub fn message_page(env: &Env, title_id: &str, text: &str) -> Result<HttpResponse, WebError> {
    let mut context = Context::new();
    context.insert("title_id", title_id);
    context.insert("text", text);
    page("pages/message.html", env, context)
}
