//! The provisioning API for the mail and storage platform: events in order, after a cursor,
//! behind a bearer token. Off (404) while no token is configured.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::state::AppState;
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

/// `GET /api/provisioning/events` (the gate checked the bearer token first).
pub async fn provisioning_events(state: web::Data<AppState>, cursor: web::Query<Cursor>) -> HttpResponse {
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
