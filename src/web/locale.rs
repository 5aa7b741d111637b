//! The reader's language as an extractor: the `kontor_lang` cookie (their choice), else
//! Accept-Language, else English. Signed-in customers' stored preference joins this later.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{FromRequest, HttpRequest};

use crate::i18n::{Lang, negotiate};

pub const LANG_COOKIE: &str = "kontor_lang";

pub struct ReaderLang(pub Lang);

impl FromRequest for ReaderLang {
    type Error = actix_web::Error;
    type Future = Ready<Result<ReaderLang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let cookie = req.cookie(LANG_COOKIE);
        let accept = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        ready(Ok(ReaderLang(negotiate(
            cookie.as_ref().map(|c| c.value()),
            accept,
        ))))
    }
}
