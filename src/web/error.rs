//! Errors a handler can return: the reader sees a localized page, the log sees the cause.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::render;
use crate::accounts::AccountError;
use crate::failure::{FailureKind, UserFacing, cause_chain};
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Something failed that the reader cannot fix; they get the generic message.
    Internal,
    /// Not found, or not theirs: the same answer, so nothing is revealed.
    NotFound,
    /// The form's CSRF token was missing or wrong.
    Csrf,
    /// Over an abuse limit; retry after this many seconds.
    RateLimited(i64),
    /// The request cannot be read (a garbled form, a field twice, a control character); the
    /// message id says what to tell the reader.
    BadRequest(&'static str),
    /// Staff viewing the portal as a customer tried to change something.
    ReadOnly,
}

#[derive(Debug, thiserror::Error)]
#[error("{problem:?}: {cause}")]
pub struct WebError {
    lang: Lang,
    problem: Problem,
    cause: String,
}

impl WebError {
    pub fn new(lang: &Lang, problem: Problem, cause: impl std::fmt::Display) -> WebError {
        WebError { lang: lang.clone(), problem, cause: cause.to_string() }
    }

    pub fn internal(lang: &Lang, cause: impl std::fmt::Display) -> WebError {
        WebError::new(lang, Problem::Internal, cause)
    }

    pub fn not_found(lang: &Lang) -> WebError {
        WebError::new(lang, Problem::NotFound, "not found")
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Account errors that are not about a form field: limits become 429, the rest 500.
    pub fn from_account(lang: &Lang, error: AccountError) -> WebError {
        WebError::from_failure(lang, &error)
    }

    /// Any domain error, by its kind: the reader gets its message, the log its cause chain.
    pub fn from_failure(lang: &Lang, error: &dyn UserFacing) -> WebError {
        let cause = cause_chain(error);
        match error.kind() {
            FailureKind::Internal => WebError::new(lang, Problem::Internal, cause),
            FailureKind::NotFound => WebError::new(lang, Problem::NotFound, cause),
            FailureKind::RateLimited(seconds) => WebError::new(lang, Problem::RateLimited(seconds), cause),
            FailureKind::Input => WebError::new(lang, Problem::BadRequest(error.message_id()), cause),
        }
    }

    /// A request that cannot be read: 400 with the message `message_id`.
    pub fn bad_request(lang: &Lang, message_id: &'static str, cause: impl std::fmt::Display) -> WebError {
        WebError::new(lang, Problem::BadRequest(message_id), cause)
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self.problem {
            Problem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Problem::NotFound => StatusCode::NOT_FOUND,
            Problem::Csrf => StatusCode::FORBIDDEN,
            Problem::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Problem::BadRequest(_) => StatusCode::BAD_REQUEST,
            Problem::ReadOnly => StatusCode::FORBIDDEN,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.problem == Problem::Internal {
            tracing::error!(cause = %self.cause, "request failed");
        }
        let (title, message_id, seconds) = match self.problem {
            Problem::RateLimited(seconds) => ("rate-limited-title", "rate-limited", seconds),
            Problem::Csrf => ("error-page-title", "csrf-failed", 0),
            Problem::NotFound => ("error-page-title", "error-not-found", 0),
            Problem::BadRequest(message_id) => ("error-page-title", message_id, 0),
            Problem::ReadOnly => ("error-page-title", "support-view-as-read-only", 0),
            _ => ("error-page-title", "error-internal", 0),
        };
        let mut context = tera::Context::new();
        context.insert("title_id", title);
        context
            .insert("message", &crate::i18n::t_args(&self.lang, message_id, &[("seconds", seconds.into())]));
        let body = render::bare("pages/error.html", &self.lang, context)
            // The template itself failing must still give the reader an answer.
            .unwrap_or_else(|_| crate::i18n::t(&self.lang, message_id));
        let mut response = HttpResponse::build(self.status_code());
        if let Problem::RateLimited(seconds) = self.problem {
            response.insert_header((header::RETRY_AFTER, seconds.max(1).to_string()));
        }
        response
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_LANGUAGE, self.lang.code().to_owned()))
            .body(body)
    }
}
