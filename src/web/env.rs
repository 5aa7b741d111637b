//! What every handler knows about its request: the reader's language, the signed-in session
//! (if any), the CSRF token for its forms, and the client's address.

use actix_web::dev::Payload;
use actix_web::http::header::{ACCEPT_LANGUAGE, USER_AGENT};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::LocalBoxFuture;

use super::csrf::{CSRF_COOKIE, CsrfToken};
use super::{Problem, WebError};
use crate::accounts::AccountError;
use crate::accounts::session::{self, Session};
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

/// The client's address: the peer, or the proxy-reported one when configured to trust it.
pub fn client_ip(req: &HttpRequest, trust_forwarded: bool) -> String {
    let info = req.connection_info();
    let address = if trust_forwarded { info.realip_remote_addr() } else { info.peer_addr() };
    let address = address.unwrap_or("unknown");
    // Strip a port, keep IPv6 addresses whole.
    match address.parse::<std::net::SocketAddr>() {
        Ok(socket) => socket.ip().to_string(),
        Err(_) => address.to_owned(),
    }
}

pub struct Env {
    /// The instant this request is handled at, from the one clock (pinned in tests).
    pub now: DateTime<Utc>,
    pub lang: Lang,
    pub csrf: String,
    pub session: Option<Session>,
    pub ip: String,
    pub user_agent: String,
    pub state: web::Data<AppState>,
}

impl Env {
    /// The signed-in session, or the sign-in page.
    pub fn require_session(&self) -> Result<&Session, WebError> {
        self.session.as_ref().ok_or_else(|| WebError::new(&self.lang, Problem::SignIn, "not signed in"))
    }

    /// Runs account work on the blocking pool with one connection (never on the executor).
    pub async fn db<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut diesel::PgConnection) -> Result<T, AccountError> + Send + 'static,
    {
        let pool = self.state.pool.clone();
        let lang = self.lang.clone();
        let result = web::block(move || {
            let mut conn = pool.get().map_err(|e| AccountError::Corrupt(format!("database: {e}")))?;
            work(&mut conn)
        })
        .await
        .map_err(|e| WebError::internal(&lang, e))?;
        result.map_err(|e| WebError::from_account(&lang, e))
    }

    /// Today in the provider's calendar, at `now`.
    pub fn today(&self) -> NaiveDate {
        crate::subscriptions::period::local_date(self.now, self.state.settings.time_zone)
    }

    pub fn settings(&self) -> &Settings {
        &self.state.settings
    }
}

impl FromRequest for Env {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Env, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let fallback = reader_lang(&req, None);
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| WebError::internal(&fallback, "application state missing"))?;
            let now = state.settings.clock.now();
            let csrf = req
                .extensions()
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .or_else(|| req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()))
                .unwrap_or_default();
            let session = match req.cookie(SESSION_COOKIE) {
                Some(cookie) => {
                    let token = cookie.value().to_owned();
                    let pool = state.pool.clone();
                    web::block(move || -> Result<Option<Session>, AccountError> {
                        let mut conn =
                            pool.get().map_err(|e| AccountError::Corrupt(format!("database: {e}")))?;
                        session::resume(&mut conn, &token, now)
                    })
                    .await
                    .map_err(|e| WebError::internal(&fallback, e))?
                    .map_err(|e| WebError::internal(&fallback, e))?
                }
                None => None,
            };
            let lang = reader_lang(&req, session.as_ref().map(|s| s.user.language.as_str()));
            let user_agent =
                req.headers().get(USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            Ok(Env {
                now,
                lang,
                csrf,
                session,
                ip: client_ip(&req, state.settings.trust_forwarded),
                user_agent,
                state,
            })
        })
    }
}
