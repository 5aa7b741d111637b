//! The public pages: home, health, language choice, not found.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;
use serde::Deserialize;

use super::WebError;
use super::env::Env;
use super::render::page;
use super::state::{AppState, LANG_COOKIE, reader_lang};
use crate::country::Country;
use crate::i18n::{Lang, format, t};
use crate::subscriptions::prices::{describe as price_text, list_price};

#[derive(Deserialize, Default)]
pub struct CountryChoice {
    country: Option<String>,
}

/// The country a visitor probably lives in: the region of their browser's first language tag
/// that names one of ours (`sv-SE`), else the country of the first language we know (`sv`:
/// Sweden), else the seller's.
fn guessed_country(accept_language: &str, fallback: Country) -> Country {
    let tags: Vec<&str> = accept_language
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .collect();
    let region = tags.iter().find_map(|tag| {
        let region = tag.split(['-', '_']).nth(1)?;
        (region.len() == 2).then(|| Country::parse(&region.to_ascii_uppercase()).ok()).flatten()
    });
    let by_language = || {
        tags.iter().find_map(|tag| match tag.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "de" => Some(Country::Germany),
            "fr" => Some(Country::France),
            "nl" => Some(Country::Netherlands),
            "sv" => Some(Country::Sweden),
            "da" => Some(Country::Denmark),
            "nb" | "nn" | "no" => Some(Country::Norway),
            _ => None,
        })
    };
    region.or_else(by_language).unwrap_or(fallback)
}

/// The home page states the price for the visitor's country, guessed from the browser's
/// languages or chosen from the list, and says which it is.
pub async fn home(
    env: Env,
    req: actix_web::HttpRequest,
    choice: web::Query<CountryChoice>,
) -> Result<HttpResponse, WebError> {
    let chosen = choice.into_inner().country.and_then(|code| Country::parse(code.trim()).ok());
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let country = chosen.unwrap_or_else(|| guessed_country(accept, env.settings().seller_country));
    let (billing, today) = (env.settings().billing(), env.today());
    let shown = env.run(move |conn| list_price(conn, &billing, country, today)).await?;
    let lang = &env.lang;
    let countries: Vec<(&str, String)> =
        Country::ALL.iter().map(|c| (c.code(), t(lang, &c.name_message_id()))).collect();
    let mut context = tera::Context::new();
    context.insert("price", &format::money(lang, shown.gross));
    context.insert("price_text", &price_text(lang, &shown));
    context.insert("country", country.code());
    context.insert("country_name", &t(lang, &country.name_message_id()));
    context.insert("guessed", &chosen.is_none());
    context.insert("countries", &countries);
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
