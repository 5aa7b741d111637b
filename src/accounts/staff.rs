//! Staff accounts: created from the command line, first password by emailed link, and
//! TOTP two-factor authentication with single-use recovery codes for finance and admin.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::AccountError;
use super::email::EmailAddress;
use super::one_time::{self, Purpose};
use super::session::{self, SessionId};
use super::totp::{self, RecoveryCode, TotpSecret};
use super::user::{Role, User};
use crate::audit::{self, Actor};
use crate::db::schema::{recovery_codes, users};
use crate::ids::UserId;
use crate::rate_limit;
use crate::site::Site;

pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show next to the code.
pub const TOTP_ISSUER: &str = "Kontor";

/// Creates a staff member (or finds the one with this address, whose role must match) and
/// returns the one-time link to set their password.
pub fn create_staff(
    conn: &mut PgConnection,
    site: &Site,
    email: &EmailAddress,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(UserId, String), AccountError> {
    if !role.is_staff() {
        return Err(AccountError::Corrupt("customers sign up themselves".to_owned()));
    }
    let user = match User::by_email(conn, email.as_str())? {
        Some(existing) if existing.role == role => existing.id,
        Some(_) => return Err(AccountError::Corrupt(format!("{email} exists with another role"))),
        None => {
            let id: i64 = diesel::insert_into(users::table)
                .values((
                    users::email.eq(email.as_str()),
                    users::role.eq(role.as_str()),
                    users::created_at.eq(now),
                ))
                .returning(users::id)
                .get_result(conn)?;
            UserId(id)
        }
    };
    let token = one_time::issue(conn, user, Purpose::SetPassword, now)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("staff.created", None, "cli")
            .target(format!("user:{}", user.0))
            .details(serde_json::json!({ "role": role.as_str(), "email": email.as_str() })),
    )?;
    Ok((user, site.link(&format!("/password/set?token={}", token.as_str()))))
}

/// Starts (or restarts, while not yet confirmed) enrolment: a new secret is stored.
pub fn begin_totp_enrolment(conn: &mut PgConnection, user: &User) -> Result<TotpSecret, AccountError> {
    if user.totp_enabled {
        return Err(AccountError::Corrupt("two-factor authentication is already enabled".to_owned()));
    }
    let secret = TotpSecret::generate()?;
    diesel::update(users::table.find(user.id.0).filter(users::totp_enabled_at.is_null()))
        .set(users::totp_secret.eq(secret.to_base32()))
        .execute(conn)?;
    Ok(secret)
}

/// The secret waiting for confirmation, to show again if the page is reloaded.
pub fn pending_secret(conn: &mut PgConnection, user: &User) -> Result<Option<TotpSecret>, AccountError> {
    let stored: Option<String> = users::table.find(user.id.0).select(users::totp_secret).first(conn)?;
    Ok(stored.map(|s| TotpSecret::from_base32(&s)).transpose()?)
}

fn unix(now: DateTime<Utc>) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

/// Confirms enrolment with a first code; returns the recovery codes, shown once.
pub fn confirm_totp_enrolment(
    conn: &mut PgConnection,
    user: &User,
    session_id: SessionId,
    code: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Vec<RecoveryCode>, AccountError> {
    super::limit(conn, &rate_limit::SECOND_FACTOR_PER_ACCOUNT, &user.id.0.to_string(), now)?;
    let secret = pending_secret(conn, user)?.ok_or(AccountError::NoSecondFactor)?;
    let step = totp::verify(&secret, code, unix(now), None)?;
    diesel::update(users::table.find(user.id.0))
        .set((users::totp_enabled_at.eq(now), users::totp_last_step.eq(i64::try_from(step).ok())))
        .execute(conn)?;
    let codes = totp::generate_recovery_codes(RECOVERY_CODES)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.id.0))).execute(conn)?;
    let rows: Vec<_> = codes
        .iter()
        .map(|c| (recovery_codes::user_id.eq(user.id.0), recovery_codes::code_hash.eq(c.hash().to_vec())))
        .collect();
    diesel::insert_into(recovery_codes::table).values(&rows).execute(conn)?;
    session::mark_second_factor(conn, session_id, now)?;
    audit::record(conn, &audit::AuditEvent::new("totp.enrolled", Some(user.id), ip))?;
    Ok(codes)
}

/// Checks a TOTP code (or a recovery code, which is then used up) for this session.
pub fn verify_second_factor(
    conn: &mut PgConnection,
    user: &User,
    session_id: SessionId,
    input: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    super::limit(conn, &rate_limit::SECOND_FACTOR_PER_ACCOUNT, &user.id.0.to_string(), now)?;
    let (secret, last_step, enabled): (Option<String>, Option<i64>, Option<DateTime<Utc>>) = users::table
        .find(user.id.0)
        .select((users::totp_secret, users::totp_last_step, users::totp_enabled_at))
        .first(conn)?;
    let (Some(secret), Some(_)) = (secret, enabled) else {
        return Err(AccountError::NoSecondFactor);
    };
    let secret = TotpSecret::from_base32(&secret)?;
    let last = last_step.and_then(|s| u64::try_from(s).ok());
    let outcome = match totp::verify(&secret, input, unix(now), last) {
        Ok(step) => {
            diesel::update(users::table.find(user.id.0))
                .set(users::totp_last_step.eq(i64::try_from(step).ok()))
                .execute(conn)?;
            Ok("totp.succeeded")
        }
        Err(totp_error) => match totp::recovery_code_hash(input) {
            Some(hash) => {
                let used = diesel::update(
                    recovery_codes::table
                        .filter(recovery_codes::user_id.eq(user.id.0))
                        .filter(recovery_codes::code_hash.eq(hash.to_vec()))
                        .filter(recovery_codes::used_at.is_null()),
                )
                .set(recovery_codes::used_at.eq(now))
                .execute(conn)?;
                if used == 1 { Ok("totp.recovery_code_used") } else { Err(totp::TotpError::WrongCode) }
            }
            None => Err(totp_error),
        },
    };
    match outcome {
        Ok(action) => {
            session::mark_second_factor(conn, session_id, now)?;
            audit::record(conn, &audit::AuditEvent::new(action, Some(user.id), ip))?;
            Ok(())
        }
        Err(error) => {
            audit::record(conn, &audit::AuditEvent::new("totp.failed", Some(user.id), ip))?;
            Err(error.into())
        }
    }
}

/// Removes a staff member's second factor (lost phone); they must enrol again.
pub fn reset_second_factor(
    conn: &mut PgConnection,
    operator: &Actor,
    target: UserId,
) -> Result<(), AccountError> {
    diesel::update(users::table.find(target.0))
        .set((
            users::totp_secret.eq(None::<String>),
            users::totp_enabled_at.eq(None::<DateTime<Utc>>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(target.0))).execute(conn)?;
    session::end_all(conn, target)?;
    audit::record(conn, &operator.event("totp.disabled").target(user_target(target)))?;
    Ok(())
}

/// Changes a staff member's role (staff roles only; customers stay customers).
pub fn change_role(
    conn: &mut PgConnection,
    operator: &Actor,
    target: UserId,
    role: Role,
) -> Result<(), AccountError> {
    let changed = diesel::update(users::table.find(target.0).filter(users::role.ne("customer")))
        .set(users::role.eq(role.as_str()))
        .execute(conn)?;
    if changed == 0 || !role.is_staff() {
        return Err(AccountError::UnknownUser);
    }
    session::end_all(conn, target)?;
    audit::record(
        conn,
        &operator
            .event("role.changed")
            .target(user_target(target))
            .details(serde_json::json!({ "role": role.as_str() })),
    )?;
    Ok(())
}

/// How the audit log names a staff member acted upon.
pub(crate) fn user_target(user: UserId) -> String {
    format!("user:{}", user.0)
}
