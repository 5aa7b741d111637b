//! What every handler knows about its request: the reader's language, the signed-in session
//! (if any), the CSRF token for its forms, and the client's address.

use actix_web::dev::Payload;
use actix_web::http::header::{ACCEPT_LANGUAGE, USER_AGENT};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::LocalBoxFuture;

use actix_web::HttpResponse;
use diesel::Connection;

use super::WebError;
use super::access::Caller;
use super::csrf::{CSRF_COOKIE, CsrfToken};
use super::form::SubmissionKey;
use super::submission::{self, Claim};
use crate::accounts::AccountError;
use crate::accounts::session::Session;
use crate::config::Settings;
use crate::db::PgPool;
use crate::failure::UserFacing;
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
    /// The confirmation of the form whose result this page shows (`?submission=`).
    pub notice: Option<String>,
    pub state: web::Data<AppState>,
}

/// What a submitted form's work decided.
pub enum Outcome<R> {
    /// Done: the result is shown at `location`, with `notice` above it.
    Done { location: String, notice: Option<String> },
    /// Refused: nothing is changed (the work's transaction rolls back with the key's claim).
    Refused(R),
}

impl<R> Outcome<R> {
    pub fn done(location: impl Into<String>) -> Outcome<R> {
        Outcome::Done { location: location.into(), notice: None }
    }

    pub fn noted(location: impl Into<String>, notice: String) -> Outcome<R> {
        Outcome::Done { location: location.into(), notice: Some(notice) }
    }
}

/// Why a submission's transaction ended without committing.
enum Abort<R> {
    Refused(R),
    Failed(Box<dyn UserFacing>),
    Database(diesel::result::Error),
}

impl<R> From<diesel::result::Error> for Abort<R> {
    fn from(error: diesel::result::Error) -> Abort<R> {
        Abort::Database(error)
    }
}

/// What a claimed key led to.
enum Reply {
    Redirect(String),
    Running,
    Foreign,
}

impl Env {
    fn user_id(&self) -> Option<crate::ids::UserId> {
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

    /// Does a form's work once per submission key, in one transaction with the key's claim,
    /// and answers with a redirect to its result (Post/Redirect/Get). A key used before
    /// redirects to the first result and does nothing; refused work rolls back and comes
    /// back as `Err(refusal)` for the handler to show the form again.
    pub async fn submit<R, E, F>(
        &self,
        key: &SubmissionKey,
        work: F,
    ) -> Result<Result<HttpResponse, R>, WebError>
    where
        R: Send + 'static,
        E: UserFacing,
        F: FnOnce(&mut diesel::PgConnection) -> Result<Outcome<R>, E> + Send + 'static,
    {
        let (user, form, now, key_for_work) = (self.user_id(), self.path.clone(), self.now, key.clone());
        let outcome = self
            .run(move |conn| -> Result<Result<Reply, R>, SubmitError> {
                let result = conn.transaction::<Reply, Abort<R>, _>(|conn| {
                    match submission::claim(conn, &key_for_work, user, &form, now)? {
                        Claim::New => {}
                        Claim::Done { location, has_notice } => {
                            return Ok(Reply::Redirect(if has_notice {
                                submission::with_key(&location, &key_for_work)
                            } else {
                                location
                            }));
                        }
                        Claim::Running => return Ok(Reply::Running),
                        Claim::Foreign => return Ok(Reply::Foreign),
                    }
                    match work(conn).map_err(|e| Abort::Failed(Box::new(e)))? {
                        Outcome::Done { location, notice } => {
                            submission::finish(conn, &key_for_work, &location, notice.as_deref())?;
                            Ok(Reply::Redirect(match notice {
                                Some(_) => submission::with_key(&location, &key_for_work),
                                None => location,
                            }))
                        }
                        Outcome::Refused(refusal) => Err(Abort::Refused(refusal)),
                    }
                });
                match result {
                    Ok(reply) => Ok(Ok(reply)),
                    Err(Abort::Refused(refusal)) => Ok(Err(refusal)),
                    Err(Abort::Failed(error)) => Err(SubmitError::Work(error)),
                    Err(Abort::Database(error)) => Err(SubmitError::Database(error)),
                }
            })
            .await?;
        Ok(match outcome {
            Ok(reply) => Ok(self.reply(reply)?),
            Err(refusal) => Err(refusal),
        })
    }

    /// Claims a key for work that cannot be one transaction (a call to PayPal): `Ok(None)`
    /// when it is ours now, `Ok(Some(answer))` when it was used before.
    pub async fn claim(&self, key: &SubmissionKey) -> Result<Option<HttpResponse>, WebError> {
        let (user, form, now, key_for_work) = (self.user_id(), self.path.clone(), self.now, key.clone());
        let claim = self
            .run(move |conn| {
                conn.transaction(|conn| submission::claim(conn, &key_for_work, user, &form, now))
                    .map_err(SubmitError::Database)
            })
            .await?;
        Ok(match claim {
            Claim::New => None,
            Claim::Done { location, has_notice } => Some(self.reply(Reply::Redirect(if has_notice {
                submission::with_key(&location, key)
            } else {
                location
            }))?),
            Claim::Running => Some(self.reply(Reply::Running)?),
            Claim::Foreign => Some(self.reply(Reply::Foreign)?),
        })
    }

    /// Records the result of a key claimed with [`Env::claim`] and redirects there.
    pub async fn finish(
        &self,
        key: &SubmissionKey,
        location: String,
        notice: Option<String>,
    ) -> Result<HttpResponse, WebError> {
        let key_for_work = key.clone();
        let target = if notice.is_some() { submission::with_key(&location, key) } else { location.clone() };
        self.run(move |conn| {
            submission::finish(conn, &key_for_work, &location, notice.as_deref())
                .map_err(SubmitError::Database)
        })
        .await?;
        self.reply(Reply::Redirect(target))
    }

    /// Gives back a key claimed with [`Env::claim`] whose work changed nothing.
    pub async fn release(&self, key: &SubmissionKey) -> Result<(), WebError> {
        let key = key.clone();
        self.run(move |conn| submission::release(conn, &key).map_err(SubmitError::Database)).await
    }

    fn reply(&self, reply: Reply) -> Result<HttpResponse, WebError> {
        match reply {
            Reply::Redirect(location) => Ok(super::render::see_other(&location)),
            Reply::Running => super::account_pages::message_page(
                self,
                "submission-running-title",
                &crate::i18n::t(&self.lang, "submission-running-text"),
            ),
            Reply::Foreign => Err(WebError::not_found(&self.lang)),
        }
    }

    /// Today in the provider's calendar, at `now`.
    pub fn today(&self) -> NaiveDate {
        crate::subscriptions::period::local_date(self.now, self.state.settings.time_zone)
    }

    pub fn settings(&self) -> &Settings {
        &self.state.settings
    }
}

/// Failures of a submission: of its bookkeeping, or of the work itself (whose message and
/// cause chain pass through unchanged).
#[derive(Debug)]
enum SubmitError {
    Database(diesel::result::Error),
    Work(Box<dyn UserFacing>),
}

impl std::fmt::Display for SubmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubmitError::Database(_) => f.write_str("recording the form submission"),
            SubmitError::Work(inner) => inner.fmt(f),
        }
    }
}

impl std::error::Error for SubmitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SubmitError::Database(error) => Some(error),
            SubmitError::Work(inner) => inner.source(),
        }
    }
}

impl UserFacing for SubmitError {
    fn message_id(&self) -> &'static str {
        match self {
            SubmitError::Database(_) => "error-internal",
            SubmitError::Work(inner) => inner.message_id(),
        }
    }

    fn kind(&self) -> crate::failure::FailureKind {
        match self {
            SubmitError::Database(_) => crate::failure::FailureKind::Internal,
            SubmitError::Work(inner) => inner.kind(),
        }
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
