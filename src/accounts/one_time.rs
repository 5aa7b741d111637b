//! Single-use links (email verification, password reset, a staff member's first password, a
//! new email address and the way back to the old one, which those links carry).
//! Only the SHA-256 of a token is stored; using one marks it used in the same statement
//! that checks it, so two clicks racing each other cannot both succeed.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::AccountError;
use crate::db::schema::one_time_tokens;
use crate::ids::UserId;
use crate::token::Token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    SetPassword,
    /// Carries the new address; sent to it.
    ChangeEmail,
    /// Carries the old address; sent to it when the address changed.
    RestoreEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::SetPassword => "set_password",
            Purpose::ChangeEmail => "change_email",
            Purpose::RestoreEmail => "restore_email",
        }
    }

    /// How long a link stays good.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(24),
            Purpose::ResetPassword => Duration::hours(1),
            Purpose::SetPassword => Duration::hours(72),
            Purpose::ChangeEmail => Duration::hours(24),
            // Long enough for someone back from a week away to notice the notice.
            Purpose::RestoreEmail => Duration::days(7),
        }
    }
}

/// Issues a new token. Earlier unused tokens of the same purpose stay valid until they
/// expire: a customer may click the first of two emails.
pub fn issue(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Token, AccountError> {
    insert(conn, user, purpose, None, now)
}

/// Issues a link about an address (`ChangeEmail`: the new one, `RestoreEmail`: the old one),
/// which the link carries until it is used.
pub fn issue_with_address(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Token, AccountError> {
    insert(conn, user, purpose, Some(address), now)
}

fn insert(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Token, AccountError> {
    let token = Token::generate()?;
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::token_hash.eq(token.hash().as_bytes().to_vec()),
            one_time_tokens::user_id.eq(user.0),
            one_time_tokens::purpose.eq(purpose.as_str()),
            one_time_tokens::created_at.eq(now),
            one_time_tokens::expires_at.eq(now + purpose.lifetime()),
            one_time_tokens::address.eq(address),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Uses a link about an address: its user and the address (`InvalidLink` as `consume`).
pub fn consume_with_address(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(UserId, String), AccountError> {
    let token = Token::parse(token).ok_or(AccountError::InvalidLink)?;
    let used: Option<(i64, Option<String>)> = diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::token_hash.eq(token.hash().as_bytes().to_vec()))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null())
            .filter(one_time_tokens::expires_at.gt(now)),
    )
    .set(one_time_tokens::used_at.eq(now))
    .returning((one_time_tokens::user_id, one_time_tokens::address))
    .get_result(conn)
    .optional()?;
    match used {
        Some((user, Some(address))) => Ok((UserId(user), address)),
        _ => Err(AccountError::InvalidLink),
    }
}

/// The address a still-good link carries, without using it (for the page that asks to
/// confirm).
pub fn pending_address(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<String>, AccountError> {
    let Some(token) = Token::parse(token) else {
        return Ok(None);
    };
    Ok(one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token.hash().as_bytes().to_vec()))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .select(one_time_tokens::address)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Uses a token: returns its user, or `InvalidLink` when it is unknown, used, expired or
/// meant for something else (one answer for all, so a link reveals nothing).
pub fn consume(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<UserId, AccountError> {
    let token = Token::parse(token).ok_or(AccountError::InvalidLink)?;
    let user: Option<i64> = diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::token_hash.eq(token.hash().as_bytes().to_vec()))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null())
            .filter(one_time_tokens::expires_at.gt(now)),
    )
    .set(one_time_tokens::used_at.eq(now))
    .returning(one_time_tokens::user_id)
    .get_result(conn)
    .optional()?;
    user.map(UserId).ok_or(AccountError::InvalidLink)
}

/// Who used a token of `purpose` before, if it was used (a reload of a link already followed).
pub fn used_by(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
) -> Result<Option<UserId>, AccountError> {
    let Some(token) = Token::parse(token) else {
        return Ok(None);
    };
    Ok(one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token.hash().as_bytes().to_vec()))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_not_null())
        .select(one_time_tokens::user_id)
        .first::<i64>(conn)
        .optional()?
        .map(UserId))
}

/// Whether a token is currently good, without using it (to show the reset form).
pub fn is_valid(conn: &mut PgConnection, token: &str, purpose: Purpose, now: DateTime<Utc>) -> bool {
    let Some(token) = Token::parse(token) else {
        return false;
    };
    one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token.hash().as_bytes().to_vec()))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .count()
        .get_result::<i64>(conn)
        .is_ok_and(|n| n == 1)
}

/// Voids every open token of `purpose` for `user` (after a password change, say).
pub fn revoke_all(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user.0))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(())
}
