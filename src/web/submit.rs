//! A form's work done once per submission key, in one transaction with the key's claim, answered
//! with a redirect to its result (Post/Redirect/Get): the methods of [`Env`] every form uses.

use actix_web::HttpResponse;
use diesel::Connection;

use super::WebError;
use super::env::Env;
use super::form::SubmissionKey;
use super::submission::{self, Claim};
use crate::failure::UserFacing;

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
            Reply::Running => super::render::message_page(
                self,
                "submission-running-title",
                &crate::i18n::t(&self.lang, "submission-running-text"),
            ),
            Reply::Foreign => Err(WebError::not_found(&self.lang)),
        }
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
