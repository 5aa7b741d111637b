//! Log-in. An unknown address, a wrong password and a disabled account get the same answer
//! after the same argon2 work, so log-in reveals nothing about who has an account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::password::{self, PasswordHash};
use super::session;
use super::token::Token;
use super::user::User;
use super::{AccountError, audit};
use crate::db::schema::users;
use crate::rate_limit::{self, LOGIN_FAILURES_PER_ACCOUNT_AND_IP, LOGIN_PER_IP};

#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in; the token is the new session's cookie value. Staff who must prove a second
    /// factor get a session that is not yet allowed into the back office.
    SignedIn {
        user: User,
        token: Token,
    },
    Refused,
}

/// Checks the credentials and starts a new session (a new session id at every log-in, so a
/// session id planted before log-in is worthless after it).
pub fn log_in(
    conn: &mut PgConnection,
    email: &str,
    password_input: &str,
    ip: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, AccountError> {
    let email = email.trim();
    let failure_key = format!("{}|{ip}", email.to_lowercase());
    super::limit(conn, &LOGIN_PER_IP, ip, now)?;
    super::limited(rate_limit::check(conn, &LOGIN_FAILURES_PER_ACCOUNT_AND_IP, &failure_key, now)?)?;

    let user = User::by_email(conn, email)?.filter(|u| !u.disabled);
    let stored = user.as_ref().and_then(|u| u.password_hash.clone()).map(PasswordHash::from_stored);
    let matches = match &stored {
        Some(hash) => password::verify(password_input, hash)?,
        None => {
            password::dummy_verify(password_input);
            false
        }
    };
    let (Some(user), true) = (user, matches) else {
        rate_limit::hit(conn, &LOGIN_FAILURES_PER_ACCOUNT_AND_IP, &failure_key, now)?;
        audit::record(conn, &audit::AuditEvent::new("login.failed", None, ip).target(email.to_owned()))?;
        return Ok(LoginOutcome::Refused);
    };
    rate_limit::clear(conn, &LOGIN_FAILURES_PER_ACCOUNT_AND_IP, &failure_key)?;
    if stored.as_ref().is_some_and(password::needs_rehash)
        && let Ok(parsed) = password::Password::parse(password_input, &[])
        && let Ok(new_hash) = password::hash(&parsed)
    {
        tracing::info!(user = user.id.0, "upgrading password hash parameters");
        diesel::update(users::table.find(user.id.0))
            .set(users::password_hash.eq(new_hash.as_str()))
            .execute(conn)?;
    }
    let token = session::start(conn, user.id, ip, user_agent, now)?;
    audit::record(conn, &audit::AuditEvent::new("login.succeeded", Some(user.id), ip))?;
    Ok(LoginOutcome::SignedIn { user, token })
}
