//! Errors a handler can return: the reader sees a localized page, the log sees the cause.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use super::templates;
use crate::i18n::Lang;

#[derive(Debug, thiserror::Error)]
#[error("{cause}")]
pub struct WebError {
    lang: Lang,
    status: StatusCode,
    message_id: &'static str,
    cause: String,
}

impl WebError {
    /// Something failed that the reader cannot fix; they get the generic message.
    pub fn internal(lang: &Lang, cause: impl std::fmt::Display) -> WebError {
        WebError {
            lang: lang.clone(),
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message_id: "error-internal",
            cause: cause.to_string(),
        }
    }

    pub fn not_found(lang: &Lang) -> WebError {
        WebError {
            lang: lang.clone(),
            status: StatusCode::NOT_FOUND,
            message_id: "error-not-found",
            cause: "not found".to_owned(),
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.status.is_server_error() {
            tracing::error!(cause = %self.cause, "request failed");
        }
        let mut context = tera::Context::new();
        context.insert("message_id", self.message_id);
        let body = templates::render("pages/error.html", &self.lang, context)
            // The template itself failing must still give the reader an answer.
            .unwrap_or_else(|_| crate::i18n::t(&self.lang, self.message_id));
        HttpResponse::build(self.status)
            .content_type("text/html; charset=utf-8")
            .insert_header(("Content-Language", self.lang.code().to_owned()))
            .body(body)
    }
}
