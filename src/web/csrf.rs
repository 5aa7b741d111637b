//! CSRF protection. Every visitor gets a random token in an HttpOnly cookie; every form
//! carries it in a hidden field; every state-changing request must bring both, equal
//! (compared in constant time). Cross-site requests are refused before that by the browser's
//! own `Sec-Fetch-Site` and `Origin` headers, where it sends them.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use super::state::{AppState, reader_lang};
use super::{Problem, WebError};
use crate::token::Token;

pub const CSRF_COOKIE: &str = "kontor_csrf";
pub const CSRF_FIELD: &str = "csrf";

/// The token of this request, put into the request's extensions by the middleware.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn is_safe(method: &actix_web::http::Method) -> bool {
    matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS")
}

/// A request another site made the browser send.
fn is_cross_site(req: &ServiceRequest) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site").is_some_and(|site| site == "cross-site") {
        return true;
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => {
            origin != "null" && origin.split_once("://").map(|(_, rest)| rest) != Some(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

/// Issues the CSRF cookie when the visitor has none, and refuses cross-site writes.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    if !is_safe(req.method()) && is_cross_site(&req) {
        let lang = reader_lang(req.request(), None);
        return Err(WebError::new(&lang, Problem::Csrf, "cross-site request").into());
    }
    let existing =
        req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| Token::parse(v).is_some());
    let token = match &existing {
        Some(token) => token.clone(),
        None => Token::generate()
            .map(|t| t.as_str().to_owned())
            .map_err(actix_web::error::ErrorInternalServerError)?,
    };
    let secure = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.secure_cookies);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.call(req).await?;
    if existing.is_none() {
        let cookie = Cookie::build(CSRF_COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .finish();
        response.response_mut().add_cookie(&cookie).map_err(actix_web::error::ErrorInternalServerError)?;
    }
    Ok(response)
}
