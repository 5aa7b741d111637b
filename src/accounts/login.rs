//! Log-in. An unknown address, a wrong password and a disabled account get the same answer
//! after the same argon2 work, so log-in reveals nothing about who has an account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::AccountError;
use super::password::{self, PasswordHash};
use super::session;
use super::user::User;
use crate::audit;
use crate::db::schema::users;
use crate::rate_limit::{self, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ACCOUNT_AND_IP, LOGIN_PER_IP};
use crate::token::Token;

#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in; the token is the new session's cookie value. Staff who must prove a second
    /// factor get a session that is not yet allowed into the back office.
    SignedIn {
        user: User,
        token: Token,
        /// The browser's device token from now on (see `device`).
        device: Token,
    },
    Refused,
}

/// The browser a log-in comes from.
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
    /// The device cookie, if the browser has one.
    pub device: Option<&'a str>,
}

/// Checks the credentials and starts a new session (a new session id at every log-in, so a
/// session id planted before log-in is worthless after it).
///
/// Three limits: every attempt per address; failures per account and address (a stranger
/// locks out only themselves); failures per account from anywhere (strangers on many
/// networks), which a browser the owner signed in from before is exempt from.
pub fn log_in(
    conn: &mut PgConnection,
    email: &str,
    password_input: &str,
    client: Client<'_>,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, AccountError> {
    let (ip, user_agent) = (client.ip, client.user_agent);
    let email = email.trim();
    let failure_key = format!("{}|{ip}", email.to_lowercase());
    let account_key = email.to_lowercase();
    super::limit(conn, &LOGIN_PER_IP, ip, now)?;
    super::limited(rate_limit::check(conn, &LOGIN_FAILURES_PER_ACCOUNT_AND_IP, &failure_key, now)?)?;

    let user = User::by_email(conn, email)?.filter(|u| !u.disabled);
    let account_verdict = rate_limit::check(conn, &LOGIN_FAILURES_PER_ACCOUNT, &account_key, now)?;
    if account_verdict.is_limited() {
        let trusted = match &user {
            Some(user) => super::device::is_trusted(conn, user.id, client.device, now)?,
            None => false,
        };
        if !trusted {
            return super::limited(account_verdict).map(|()| LoginOutcome::Refused);
        }
    }
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
        rate_limit::hit(conn, &LOGIN_FAILURES_PER_ACCOUNT, &account_key, now)?;
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
    let device = super::device::remember(conn, user.id, now)?;
    audit::record(conn, &audit::AuditEvent::new("login.succeeded", Some(user.id), ip))?;
    Ok(LoginOutcome::SignedIn { user, token, device })
}

/// Forgets the failed log-ins counted against `email`, from every address and in total, so its
/// owner can try again at once (support unlocks a caller they have identified). Returns how
/// many windows of failures per address were dropped.
pub fn unlock(conn: &mut PgConnection, email: &str) -> Result<usize, AccountError> {
    let account_key = email.trim().to_lowercase();
    let from_each_address =
        rate_limit::clear_prefix(conn, &LOGIN_FAILURES_PER_ACCOUNT_AND_IP, &format!("{account_key}|"))?;
    rate_limit::clear(conn, &LOGIN_FAILURES_PER_ACCOUNT, &account_key)?;
    Ok(from_each_address)
}
