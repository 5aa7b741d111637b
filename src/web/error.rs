//! Errors a handler can return: the reader sees a localized page, the log sees the cause.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::render;
use crate::accounts::AccountError;
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
    /// The page needs a signed-in user; they are sent to the sign-in page.
    SignIn,
    /// Staff must set up or pass their second factor first; they are sent there.
    SecondFactor(&'static str),
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
        match error {
            AccountError::RateLimited { retry_after_seconds } => {
                WebError::new(lang, Problem::RateLimited(retry_after_seconds), "rate limited")
            }
            AccountError::UnknownUser => WebError::not_found(lang),
            other => WebError::internal(lang, other),
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self.problem {
            Problem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Problem::NotFound => StatusCode::NOT_FOUND,
            Problem::Csrf => StatusCode::FORBIDDEN,
            Problem::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Problem::SignIn | Problem::SecondFactor(_) => StatusCode::SEE_OTHER,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.problem == Problem::Internal {
            tracing::error!(cause = %self.cause, "request failed");
        }
        match self.problem {
            Problem::SignIn => {
                return HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish();
            }
            Problem::SecondFactor(path) => {
                return HttpResponse::SeeOther().insert_header((header::LOCATION, path)).finish();
            }
            _ => {}
        }
        let (title, message_id, seconds) = match self.problem {
            Problem::RateLimited(seconds) => ("rate-limited-title", "rate-limited", seconds),
            Problem::Csrf => ("error-page-title", "csrf-failed", 0),
            Problem::NotFound => ("error-page-title", "error-not-found", 0),
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
