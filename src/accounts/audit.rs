//! The audit log: every staff action and security event, append-only (the database refuses
//! UPDATE and DELETE).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::AccountError;
use super::user::UserId;
use crate::db::schema::audit_log;

/// One event. `action` is a dotted lower-case name such as `login.failed`.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub target: String,
    pub ip: &'a str,
    pub details: serde_json::Value,
}

impl<'a> AuditEvent<'a> {
    pub fn new(action: &'a str, actor: Option<UserId>, ip: &'a str) -> AuditEvent<'a> {
        AuditEvent { actor, action, target: String::new(), ip, details: serde_json::json!({}) }
    }

    pub fn target(mut self, target: impl Into<String>) -> AuditEvent<'a> {
        self.target = target.into();
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> AuditEvent<'a> {
        self.details = details;
        self
    }
}

pub fn record(conn: &mut PgConnection, event: &AuditEvent<'_>) -> Result<(), AccountError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(event.actor.map(|u| u.0)),
            audit_log::action.eq(event.action),
            audit_log::target.eq(&event.target),
            audit_log::ip.eq(event.ip),
            audit_log::details.eq(&event.details),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Queryable, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub details: serde_json::Value,
}

/// The newest entries first, for the admin's audit page.
pub fn recent(conn: &mut PgConnection, limit: i64) -> Result<Vec<AuditEntry>, AccountError> {
    Ok(audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select((
            audit_log::id,
            audit_log::occurred_at,
            audit_log::actor_user_id,
            audit_log::action,
            audit_log::target,
            audit_log::ip,
            audit_log::details,
        ))
        .load(conn)?)
}
