//! Sessions in PostgreSQL: the cookie carries a random token, the table its hash. Idle and
//! absolute timeouts; a new session (new id) at every log-in; "log out everywhere".

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::AccountError;
use super::user::User;
use crate::db::schema::sessions;
use crate::ids::{CustomerId, UserId};
use crate::token::Token;

/// A session unused for this long is over.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// No session lives longer than this, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::minutes(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SessionId(pub i64);

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: SessionId,
    pub user: User,
    pub second_factor_done: bool,
    /// A staff session looking at the portal as this customer sees it, read-only. On the
    /// staff member's own session it names the customer; on the view the gate makes of it for
    /// customer pages, `user` is the customer's log-in and this stays set, so the page shows
    /// the banner and every write is refused.
    pub view_as: Option<CustomerId>,
}

impl Session {
    /// Whether this is a staff member's read-only view of a customer's pages.
    pub fn is_view_as(&self) -> bool {
        self.view_as.is_some() && !self.user.role.is_staff()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Queryable)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: i64,
    user_id: i64,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    second_factor_at: Option<DateTime<Utc>>,
    view_as_customer_id: Option<i64>,
}

/// Starts a session; the returned token goes into the cookie and nowhere else.
pub fn start(
    conn: &mut PgConnection,
    user: UserId,
    ip: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<Token, AccountError> {
    let token = Token::generate()?;
    let agent: String = user_agent.chars().take(300).collect();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token.hash().as_bytes().to_vec()),
            sessions::user_id.eq(user.0),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + ABSOLUTE_TIMEOUT),
            sessions::ip.eq(ip),
            sessions::user_agent.eq(agent),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The live session for a cookie value, if any; refreshes its idle timer.
pub fn resume(
    conn: &mut PgConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, AccountError> {
    let Some(token) = Token::parse(token) else {
        return Ok(None);
    };
    let found: Option<SessionRow> = sessions::table
        .filter(sessions::token_hash.eq(token.hash().as_bytes().to_vec()))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?;
    let Some(SessionRow { id, user_id, last_seen_at, expires_at, second_factor_at, view_as_customer_id }) =
        found
    else {
        return Ok(None);
    };
    if now >= expires_at || now - last_seen_at >= IDLE_TIMEOUT {
        diesel::delete(sessions::table.find(id)).execute(conn)?;
        return Ok(None);
    }
    let Some(user) = User::by_id(conn, UserId(user_id))?.filter(|u| !u.disabled) else {
        return Ok(None);
    };
    if now - last_seen_at >= TOUCH_EVERY {
        diesel::update(sessions::table.find(id)).set(sessions::last_seen_at.eq(now)).execute(conn)?;
    }
    // Only staff look at a customer's pages; a customer's session never carries it.
    let view_as = view_as_customer_id.filter(|_| user.role.is_staff()).map(CustomerId);
    Ok(Some(Session { id: SessionId(id), user, second_factor_done: second_factor_at.is_some(), view_as }))
}

/// Sets (or with `None` clears) the customer a staff session views the portal as; returns the
/// one it viewed before.
pub fn set_view_as(
    conn: &mut PgConnection,
    id: SessionId,
    customer: Option<CustomerId>,
) -> Result<Option<CustomerId>, AccountError> {
    let previous: Option<Option<i64>> = sessions::table
        .find(id.0)
        .select(sessions::view_as_customer_id)
        .for_update()
        .first(conn)
        .optional()?;
    diesel::update(sessions::table.find(id.0))
        .set(sessions::view_as_customer_id.eq(customer.map(|c| c.0)))
        .execute(conn)?;
    Ok(previous.flatten().map(CustomerId))
}

pub fn mark_second_factor(
    conn: &mut PgConnection,
    id: SessionId,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    diesel::update(sessions::table.find(id.0)).set(sessions::second_factor_at.eq(now)).execute(conn)?;
    Ok(())
}

pub fn end(conn: &mut PgConnection, id: SessionId) -> Result<(), AccountError> {
    diesel::delete(sessions::table.find(id.0)).execute(conn)?;
    Ok(())
}

/// Ends every session of `user` ("log out everywhere", password change, account closed).
pub fn end_all(conn: &mut PgConnection, user: UserId) -> Result<usize, AccountError> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user.0))).execute(conn)?)
}

/// Ends one of the user's own sessions; another user's session id is simply not found.
pub fn end_own(conn: &mut PgConnection, user: UserId, id: SessionId) -> Result<bool, AccountError> {
    let ended =
        diesel::delete(sessions::table.filter(sessions::id.eq(id.0)).filter(sessions::user_id.eq(user.0)))
            .execute(conn)?;
    Ok(ended == 1)
}

pub fn list(conn: &mut PgConnection, user: UserId) -> Result<Vec<SessionInfo>, AccountError> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user.0))
        .order(sessions::last_seen_at.desc())
        .select((
            sessions::id,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::ip,
            sessions::user_agent,
        ))
        .load(conn)?)
}
