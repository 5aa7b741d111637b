//! A payment file the back office made (a pain.008 collection, a pain.001 payout), served
//! from its stored document byte for byte, so every download is the same file; each download
//! is audited.

use actix_web::HttpResponse;
use serde::Deserialize;

use super::WebError;
use super::access::Finance;
use super::env::Env;
use crate::audit::{Actor, AuditError};
use crate::failure::UserFacing;

#[derive(Deserialize)]
pub struct FileQuery {
    pub export: i64,
}

/// An export's stored document: its message id and bytes, or `None` when there is no such export.
type Stored = Option<(String, Vec<u8>)>;

/// The stored document of export `id` as `load` finds it (message id and bytes; `None` when
/// there is no such export), audited as `event`.
pub(super) async fn download<E>(
    env: &Env,
    who: &Finance,
    id: i64,
    event: &'static str,
    load: fn(&mut diesel::PgConnection, i64) -> Result<Stored, E>,
) -> Result<HttpResponse, WebError>
where
    E: UserFacing + From<AuditError>,
{
    let actor = Actor::person(who.user.id, env.ip.clone());
    let found = env
        .run(move |conn| -> Result<Stored, E> {
            let Some((message_id, bytes)) = load(conn, id)? else { return Ok(None) };
            crate::audit::record(
                conn,
                &actor.event(event).target(&message_id).details(serde_json::json!({ "export_id": id })),
            )?;
            Ok(Some((message_id, bytes)))
        })
        .await?;
    let (message_id, bytes) = found.ok_or_else(|| WebError::not_found(&env.lang))?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{message_id}.xml\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}
