//! The provisioning API for the mail and storage platform: events in order, after a cursor,
//! behind a bearer token. Off (404) while no token is configured.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::env::AppState;
use crate::accounts::token::constant_time_eq;
use crate::subscriptions::provisioning::events_after;

#[derive(Deserialize)]
pub struct Cursor {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: i64,
}

fn default_limit() -> i64 {
    100
}

pub async fn provisioning_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    cursor: web::Query<Cursor>,
) -> HttpResponse {
    let Some(expected) = state.settings.provisioning_token.clone() else {
        return HttpResponse::NotFound().finish();
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"kontor-provisioning\""))
            .json(serde_json::json!({ "error": "unauthorized" }));
    }
    let (after, limit) = (cursor.after.max(0), cursor.limit);
    let pool = state.pool.clone();
    let events = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        events_after(&mut conn, after, limit).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|inner| inner);
    match events {
        Ok(events) => {
            let next = events.last().map_or(after, |e| e.id);
            HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(serde_json::json!({ "events": events, "next_after": next }))
        }
        Err(error) => {
            tracing::error!(%error, "provisioning events");
            HttpResponse::InternalServerError().json(serde_json::json!({ "error": "internal" }))
        }
    }
}
