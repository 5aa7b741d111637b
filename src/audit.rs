//! The audit log: every staff action and security event, append-only (the database refuses
//! UPDATE and DELETE), and [`Actor`], the one answer to "who did it" that every module records.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::ids::UserId;

#[derive(Debug, thiserror::Error)]
#[error("audit log")]
pub struct AuditError(#[from] diesel::result::Error);

/// Who did it: a signed-in person at an address, or the system (the command line, monitoring,
/// a job, PayPal's webhook) named by its origin in place of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    /// The caller's IP address, or the origin of a system action (`cli`, `monitoring ...`).
    pub ip: String,
    /// The operating-system account for command-line actions, kept as `operator` in details.
    pub login: Option<String>,
}

impl Actor {
    /// A signed-in person (customer or staff) calling from `ip`.
    pub fn person(user: UserId, ip: impl Into<String>) -> Actor {
        Actor { user: Some(user), ip: ip.into(), login: None }
    }

    /// No person: `origin` says which part of the system acted.
    pub fn system(origin: impl Into<String>) -> Actor {
        Actor { user: None, ip: origin.into(), login: None }
    }

    /// The person at this terminal (`$SUDO_USER`, else `$USER`).
    pub fn command_line() -> Actor {
        let login = std::env::var("SUDO_USER").or_else(|_| std::env::var("USER")).ok();
        Actor { user: None, ip: "cli".to_owned(), login }
    }

    /// An event done by this actor.
    pub fn event<'a>(&'a self, action: &'a str) -> AuditEvent<'a> {
        AuditEvent { login: self.login.as_deref(), ..AuditEvent::new(action, self.user, &self.ip) }
    }
}

/// One event. `action` is a dotted lower-case name such as `login.failed`.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub target: String,
    pub ip: &'a str,
    pub details: serde_json::Value,
    /// See [`Actor::login`].
    pub login: Option<&'a str>,
}

impl<'a> AuditEvent<'a> {
    pub fn new(action: &'a str, actor: Option<UserId>, ip: &'a str) -> AuditEvent<'a> {
        AuditEvent { actor, action, target: String::new(), ip, details: serde_json::json!({}), login: None }
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

pub fn record(conn: &mut PgConnection, event: &AuditEvent<'_>) -> Result<(), AuditError> {
    let mut details = event.details.clone();
    if let (Some(login), Some(map)) = (event.login, details.as_object_mut()) {
        map.insert("operator".to_owned(), serde_json::Value::String(login.to_owned()));
    }
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(event.actor.map(|u| u.0)),
            audit_log::action.eq(event.action),
            audit_log::target.eq(&event.target),
            audit_log::ip.eq(event.ip),
            audit_log::details.eq(&details),
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
pub fn recent(conn: &mut PgConnection, limit: i64) -> Result<Vec<AuditEntry>, AuditError> {
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
