//! What the whole app shares (pool, templates, settings) and what every request is read for
//! first: the reader's language and the client's address. A leaf the gate, CSRF and forms use.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

use crate::config::Settings;
use crate::db::PgPool;
use crate::i18n::{Lang, negotiate};
use crate::web::templates::Templates;

pub const LANG_COOKIE: &str = "kontor_lang";
pub const SESSION_COOKIE: &str = "kontor_session";

/// What every handler can reach.
pub struct AppState {
    pub pool: PgPool,
    pub templates: Templates,
    pub settings: Settings,
}

/// The reader's language: their explicit choice (cookie), else their account's language,
/// else Accept-Language, else English.
pub fn reader_lang(req: &HttpRequest, account_language: Option<&str>) -> Lang {
    if let Some(chosen) = req.cookie(LANG_COOKIE).and_then(|c| Lang::supported(c.value())) {
        return chosen;
    }
    let accept = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    negotiate(account_language, accept)
}

/// The client's address. Without a trusted proxy it is the socket's peer: headers a client
/// sends are never believed. Behind a proxy (`KONTOR_TRUST_FORWARDED`) it is the address that
/// proxy appended last to `X-Forwarded-For` (or the last `for=` of `Forwarded`); earlier
/// entries were written by the client and are ignored.
pub fn client_ip(req: &HttpRequest, trust_forwarded: bool) -> String {
    let peer = req.connection_info().peer_addr().unwrap_or("unknown").to_owned();
    let forwarded = trust_forwarded.then(|| forwarded_for(req)).flatten();
    let address = forwarded.unwrap_or(peer);
    // Strip a port, keep IPv6 addresses whole.
    match address.parse::<std::net::SocketAddr>() {
        Ok(socket) => socket.ip().to_string(),
        Err(_) => address.trim_matches(['[', ']']).to_owned(),
    }
}

/// The last hop's address from `Forwarded` (RFC 7239) or `X-Forwarded-For`.
fn forwarded_for(req: &HttpRequest) -> Option<String> {
    let header = |name: &str| -> Vec<String> {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(',').map(|part| part.trim().to_owned()).collect::<Vec<_>>())
            .filter(|part| !part.is_empty())
            .collect()
    };
    let from_forwarded = header("forwarded").into_iter().rev().find_map(|element| {
        element.split(';').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_owned())
        })
    });
    from_forwarded
        .or_else(|| header("x-forwarded-for").pop())
        .filter(|address| address.len() <= 100 && !address.chars().any(char::is_control))
}
