//! Forms people submit. A form is read only after the gate has admitted the caller, and only
//! when its CSRF token matches the visitor's cookie; it carries a one-time submission key (see
//! `submission`); no field may hold a control character (they would reach XML, PDFs and CSV);
//! and it parses strictly into the handler's type. Anything else is a 403 or a 400 with a
//! localized page, never a 500.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::csrf::{CSRF_COOKIE, CSRF_FIELD};
use super::state::reader_lang;
use super::{Problem, WebError};
use crate::token::{Token, constant_time_eq};

/// The hidden field that carries the one-time submission key.
pub const SUBMISSION_FIELD: &str = "submission";

/// Larger than any form Kontor has (an incident update in two languages is a few KB).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The one-time key a form was rendered with: the first POST with it does the work, any later
/// one shows that first result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionKey(String);

impl SubmissionKey {
    pub fn parse(text: &str) -> Option<SubmissionKey> {
        Token::parse(text).map(|t| SubmissionKey(t.as_str().to_owned()))
    }

    /// A fresh key for a form about to be rendered.
    pub fn generate() -> Option<SubmissionKey> {
        Token::generate().ok().map(|t| SubmissionKey(t.as_str().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A submitted form: its fields and its one-time key.
pub struct Form<T> {
    pub fields: T,
    pub key: SubmissionKey,
}

/// Control characters other than the line breaks and tabs of a multi-line text.
pub fn has_control_characters(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Reads and checks a urlencoded form body: CSRF, one value per field name, no control
/// characters. Returns the decoded pairs.
fn checked_pairs(req: &HttpRequest, body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    let lang = reader_lang(req, None);
    let refuse = |cause: &str| WebError::new(&lang, Problem::Csrf, cause.to_owned());
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| WebError::bad_request(&lang, "form-unreadable", format!("form: {e}")))?;
    let sent = pairs.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str()).unwrap_or("");
    let expected = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(refuse("csrf token mismatch"));
    }
    let mut names = std::collections::HashSet::new();
    if let Some((twice, _)) = pairs.iter().find(|(k, _)| !names.insert(k.as_str())) {
        return Err(WebError::bad_request(&lang, "form-unreadable", format!("field {twice:?} twice")));
    }
    if let Some((name, _)) =
        pairs.iter().find(|(k, v)| has_control_characters(k) || has_control_characters(v))
    {
        return Err(WebError::bad_request(
            &lang,
            "form-control-characters",
            format!("control character in {name:?}"),
        ));
    }
    Ok(pairs)
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Form<T>, WebError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let lang = reader_lang(&req, None);
            let body = body.await.map_err(|e| WebError::bad_request(&lang, "form-unreadable", e))?;
            Form::parse(&req, &body)
        })
    }
}

impl<T: DeserializeOwned> Form<T> {
    /// A form from a body already read (for a route that also takes something else).
    pub(super) fn parse(req: &HttpRequest, body: &[u8]) -> Result<Form<T>, WebError> {
        let lang = reader_lang(req, None);
        if body.len() > MAX_FORM_BYTES {
            return Err(WebError::bad_request(&lang, "form-too-large", body.len()));
        }
        let pairs = checked_pairs(req, body)?;
        let key = pairs
            .iter()
            .find(|(k, _)| k == SUBMISSION_FIELD)
            .and_then(|(_, v)| SubmissionKey::parse(v))
            .ok_or_else(|| WebError::bad_request(&lang, "form-expired", "no submission key"))?;
        let fields = serde_urlencoded::from_bytes(body)
            .map_err(|e| WebError::bad_request(&lang, "form-unreadable", format!("form: {e}")))?;
        Ok(Form { fields, key })
    }
}

/// Path parameters that name a number (an incident, a pack, a session): anything else is
/// simply not found.
pub fn path_id(lang: &crate::i18n::Lang, text: &str) -> Result<i64, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| WebError::not_found(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_are_text_other_control_characters_are_not() {
        assert!(!has_control_characters("Line one\r\nLine two\twith a tab"));
        assert!(has_control_characters("NUL\0here"));
        assert!(has_control_characters("bell\u{7}"));
        assert!(has_control_characters("next line\u{85}"));
        assert!(!has_control_characters("Ζωή Ελληνική, Ђорђе, Łódź"));
    }

    #[test]
    fn submission_keys_are_tokens() {
        let key = SubmissionKey::generate().expect("random");
        assert_eq!(SubmissionKey::parse(key.as_str()), Some(key));
        assert_eq!(SubmissionKey::parse("short"), None);
        assert_eq!(SubmissionKey::parse(&"A".repeat(44)), None);
    }
}
