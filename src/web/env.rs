//! What every handler knows about its request: the reader's language, the signed-in session
//! (if any), the CSRF token for its forms, and the client's address.

use actix_web::dev::Payload;
use actix_web::http::header::USER_AGENT;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::LocalBoxFuture;

use super::WebError;
use super::access::Caller;
use super::csrf::{CSRF_COOKIE, CsrfToken};
use super::form::SubmissionKey;
use super::state::{AppState, client_ip, reader_lang};
use super::submission;
use crate::accounts::AccountError;
use crate::accounts::session::Session;
use crate::config::Settings;
use crate::failure::UserFacing;
use crate::i18n::Lang;

/// What every handler knows about its request.
pub struct Env {
    /// The instant this request is handled at, from the one clock (pinned in tests).
    pub now: DateTime<Utc>,
    pub lang: Lang,
    pub csrf: String,
    /// The session the gate resolved (see `access`), if any.
    pub session: Option<Session>,
    pub ip: String,
    pub user_agent: String,
    /// The route's path, naming the form in `form_submissions`.
    pub path: String,
    /// The request's own path and query for a GET, to come back to (the language links); a
    /// page answering a POST has no address of its own to come back to.
    pub here: Option<String>,
    /// The confirmation of the form whose result this page shows (`?submission=`).
    pub notice: Option<String>,
    pub state: web::Data<AppState>,
}

impl Env {
    pub(super) fn user_id(&self) -> Option<crate::ids::UserId> {
        self.session.as_ref().map(|s| s.user.id)
    }

    /// Runs account work on the blocking pool with one connection (never on the executor).
    pub async fn db<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut diesel::PgConnection) -> Result<T, AccountError> + Send + 'static,
    {
        self.run(work).await
    }

    /// Runs work on the blocking pool with one connection; its error becomes the reader's
    /// message by its kind (see `failure`), the log keeps the cause chain.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        E: UserFacing,
        F: FnOnce(&mut diesel::PgConnection) -> Result<T, E> + Send + 'static,
    {
        let pool = self.state.pool.clone();
        let lang = self.lang.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(|e| WebError::internal(&lang, format!("database: {e}")))?;
            work(&mut conn).map_err(|e| WebError::from_failure(&lang, &e))
        })
        .await
        .map_err(|e| WebError::internal(&self.lang, e))?
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
            // The gate resolved the session before any extractor ran.
            let session = req.extensions().get::<Caller>().and_then(|c| c.0.clone());
            let lang = reader_lang(&req, session.as_ref().map(|s| s.user.language.as_str()));
            let user_agent =
                req.headers().get(USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let notice_key = web::Query::<NoticeQuery>::from_query(req.query_string())
                .ok()
                .and_then(|q| q.into_inner().submission)
                .filter(|key| SubmissionKey::parse(key).is_some());
            let notice = match notice_key {
                Some(key) => {
                    let pool = state.pool.clone();
                    web::block(move || -> Option<String> {
                        let mut conn = pool.get().ok()?;
                        submission::notice(&mut conn, &key).ok().flatten()
                    })
                    .await
                    .ok()
                    .flatten()
                }
                None => None,
            };
            Ok(Env {
                now,
                lang,
                csrf,
                session,
                ip: client_ip(&req, state.settings.trust_forwarded),
                user_agent,
                path: req.match_pattern().unwrap_or_else(|| req.path().to_owned()),
                here: (req.method() == actix_web::http::Method::GET)
                    .then(|| req.uri().path_and_query().map(|p| p.as_str().to_owned()))
                    .flatten(),
                notice,
                state,
            })
        })
    }
}

#[derive(serde::Deserialize)]
struct NoticeQuery {
    submission: Option<String>,
}
