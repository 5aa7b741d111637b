//! Browsers a person signed in from: a long-lived random token in an HttpOnly cookie, its hash
//! in `trusted_devices`. The per-account cap on wrong passwords (which strangers can reach from
//! many networks at once) does not apply to such a browser, so guessing at an account never
//! locks its owner out of the browser they use.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::AccountError;
use crate::db::schema::trusted_devices;
use crate::ids::UserId;
use crate::token::Token;

/// How long a browser stays trusted after a successful sign-in.
pub const TRUSTED_FOR: Duration = Duration::days(180);

/// Remembers this browser for `user`; the token goes into the device cookie.
pub fn remember(conn: &mut PgConnection, user: UserId, now: DateTime<Utc>) -> Result<Token, AccountError> {
    let token = Token::generate()?;
    diesel::insert_into(trusted_devices::table)
        .values((
            trusted_devices::user_id.eq(user.0),
            trusted_devices::token_hash.eq(token.hash().as_bytes().to_vec()),
            trusted_devices::created_at.eq(now),
            trusted_devices::expires_at.eq(now + TRUSTED_FOR),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Whether the device cookie `presented` belongs to `user` and is still valid.
pub fn is_trusted(
    conn: &mut PgConnection,
    user: UserId,
    presented: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AccountError> {
    let Some(token) = presented.and_then(Token::parse) else {
        return Ok(false);
    };
    let found: i64 = trusted_devices::table
        .filter(trusted_devices::token_hash.eq(token.hash().as_bytes().to_vec()))
        .filter(trusted_devices::user_id.eq(user.0))
        .filter(trusted_devices::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Forgets every browser of `user` (a password reset: whoever reset it starts afresh).
pub fn forget_all(conn: &mut PgConnection, user: UserId) -> Result<(), AccountError> {
    diesel::delete(trusted_devices::table.filter(trusted_devices::user_id.eq(user.0))).execute(conn)?;
    Ok(())
}
