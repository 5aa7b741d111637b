//! The provisioning API for the mail and storage platform, behind a bearer token: events in
//! order after a cursor, and where the platform has placed customers. Off (404) while no
//! token is configured.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use diesel::Connection;
use serde::Deserialize;

use super::state::AppState;
use crate::incidents::platform_moves;
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

/// The largest placements request: about 50,000 rows of a busy night.
const MAX_PLACEMENTS_BODY: usize = 8 * 1024 * 1024;

fn api_error(status: actix_web::http::StatusCode, error: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "error": error, "message": message }))
}

/// `PUT /api/placements`: a JSON array of `{customer | mailbox, resource, service?, moved_at}`.
/// Each row is applied on its own and answered in `results`; a row already recorded changes
/// nothing, so a retried request is harmless.
pub async fn put_placements(state: web::Data<AppState>, mut body: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    use futures_util::StreamExt;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let Ok(chunk) = chunk else {
            return api_error(
                StatusCode::BAD_REQUEST,
                "unreadable",
                "the request body could not be read".into(),
            );
        };
        if bytes.len() + chunk.len() > MAX_PLACEMENTS_BODY {
            return api_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("at most {MAX_PLACEMENTS_BODY} bytes per request; send the rest in another"),
            );
        }
        bytes.extend_from_slice(&chunk);
    }
    let rows: Vec<serde_json::Value> = match serde_json::from_slice(&bytes) {
        Ok(rows) => rows,
        Err(e) => {
            return api_error(StatusCode::BAD_REQUEST, "not_an_array", format!("expected a JSON array: {e}"));
        }
    };
    if rows.len() > platform_moves::MAX_ROWS {
        return api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_rows",
            format!("at most {} rows per request", platform_moves::MAX_ROWS),
        );
    }
    let rows: Vec<Result<platform_moves::MoveRow, String>> =
        rows.into_iter().map(platform_moves::row_from_json).collect();
    let pool = state.pool.clone();
    let outcomes = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        conn.transaction(|conn| platform_moves::apply_all(conn, &rows)).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|inner| inner);
    match outcomes {
        Ok(results) => {
            let refused = results.iter().filter(|r| r.outcome == "refused").count();
            HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(serde_json::json!({ "applied": results.len() - refused, "refused": refused, "results": results }))
        }
        Err(error) => {
            tracing::error!(%error, "placements");
            HttpResponse::InternalServerError().json(serde_json::json!({ "error": "internal" }))
        }
    }
}
