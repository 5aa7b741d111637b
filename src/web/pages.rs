//! The public pages: home, health, language choice, not found.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;
use iso_currency::Currency;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::WebError;
use super::env::Env;
use super::render::page;
use super::state::{AppState, LANG_COOKIE, reader_lang};
use crate::i18n::{Lang, format, t};
use crate::money::Money;

pub async fn home(env: Env) -> Result<HttpResponse, WebError> {
    let mut context = tera::Context::new();
    // The entry price of the demo catalog until the catalog module serves it.
    let price = Money::new(Decimal::ONE, Currency::EUR);
    context.insert("price", &format::money(&env.lang, price));
    page("pages/home.html", &env, context)
}

pub async fn not_found(req: actix_web::HttpRequest) -> Result<HttpResponse, WebError> {
    Err(WebError::not_found(&reader_lang(&req, None)))
}

/// For load balancers and monitoring: 200 when the database answers, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>, req: actix_web::HttpRequest) -> HttpResponse {
    // Answered within a second whatever the database does: a short wait for a connection,
    // and a bound on the whole check should the server hang after connecting.
    const CONNECT: std::time::Duration = std::time::Duration::from_millis(300);
    const CHECK: std::time::Duration = std::time::Duration::from_millis(700);
    let lang = reader_lang(&req, None);
    let pool = state.pool.clone();
    let check = web::block(move || -> bool {
        pool.get_timeout(CONNECT)
            .ok()
            .and_then(|mut conn| diesel::sql_query("SELECT 1").execute(&mut conn).ok())
            .is_some()
    });
    let database_ok =
        actix_web::rt::time::timeout(CHECK, check).await.is_ok_and(|done| done.unwrap_or(false));
    let snapshot = state.settings.status_dir.join("en").join(super::status_snapshot::PAGE).is_file();
    let (mut response, status, message) = if database_ok {
        (HttpResponse::Ok(), "ok", "health-ok")
    } else {
        (HttpResponse::ServiceUnavailable(), "unavailable", "health-database-down")
    };
    let down: Vec<&str> = if database_ok { vec![] } else { vec!["database"] };
    response.insert_header((header::CACHE_CONTROL, "no-store")).json(serde_json::json!({
        "status": status,
        "database": if database_ok { "ok" } else { "unreachable" },
        "down": down,
        "status_page": if snapshot { "snapshot" } else { "none" },
        "message": t(&lang, message),
    }))
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// A path on this site and nothing else: it starts with one slash and holds only the
/// characters of a path and query. Browsers drop tabs and line breaks and read backslashes as
/// slashes, so `/\t/evil.example` or `/\\evil.example` would leave the site; control
/// characters would also break the Location header.
pub fn is_local_path(next: &str) -> bool {
    let mut chars = next.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && next.len() <= 500
        && next.chars().all(|c| c.is_ascii_alphanumeric() || "/-._~%?&=+:@!$,;*'()#".contains(c))
}

/// Remembers the visitor's language choice in a cookie and returns them where they were.
pub async fn choose_language(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    code: web::Path<String>,
    query: web::Query<Next>,
) -> Result<HttpResponse, WebError> {
    let Some(lang) = Lang::supported(&code) else {
        return Err(WebError::not_found(&reader_lang(&req, None)));
    };
    let next = query.next.as_deref().filter(|n| is_local_path(n)).unwrap_or("/");
    let cookie = Cookie::build(LANG_COOKIE, lang.code().to_owned())
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(Duration::days(365))
        .finish();
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, next.to_owned())).cookie(cookie).finish())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for ok in ["/", "/account", "/account/invoices/2026-000001?x=1", "/status#incident-4"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example/",
            "/\t/\t/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "https://evil.example",
            "evil.example",
            "/ spaces",
            "",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
