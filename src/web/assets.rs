//! Static assets, embedded in the binary so a deployment is one file.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

const ASSETS: &[(&str, &str, &[u8])] = &[
    ("kontor.css", "text/css; charset=utf-8", include_bytes!("../../assets/css/kontor.css")),
    ("logo.svg", "image/svg+xml", include_bytes!("../../assets/images/logo.svg")),
    ("local-time.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/js/local-time.js")),
];

pub async fn serve(name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|(n, _, _)| *n == name.as_str()) {
        Some((_, content_type, body)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, *content_type))
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .body(*body),
        None => HttpResponse::NotFound().finish(),
    }
}
