//! Forgotten passwords and a staff member's first password, by emailed single-use link.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::one_time::{self, Purpose};
use super::password::PasswordHash;
use super::user::User;
use super::{AccountError, session};
use crate::audit;
use crate::db::schema::users;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail::templates::EmailContent;
use crate::rate_limit;
use crate::site::Site;

/// Sends a reset link when the address has an account; does nothing visible otherwise.
/// The visitor is told the same either way.
pub fn request_reset(
    conn: &mut PgConnection,
    site: &Site,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    super::limit(conn, &rate_limit::RESET_PER_IP, ip, now)?;
    super::limit(conn, &rate_limit::RESET_PER_EMAIL, email.trim(), now)?;
    let Some(user) = User::by_email(conn, email)?.filter(|u| !u.disabled) else {
        audit::record(
            conn,
            &audit::AuditEvent::new("password.reset_unknown", None, ip).target(email.trim()),
        )?;
        return Ok(());
    };
    let token = one_time::issue(conn, user.id, Purpose::ResetPassword, now)?;
    let lang = Lang::supported(&user.language).unwrap_or_else(Lang::english);
    let content = EmailContent {
        subject: "email-reset-subject",
        paragraphs: &["email-reset-body", "email-reset-expiry", "email-reset-ignore"],
        action: Some(("email-reset-action", site.link(&format!("/password/reset?token={}", token.as_str())))),
        args: vec![("hours", 1.into())],
    };
    let key = format!("reset:{}:{}", user.id.0, hex::encode(token.hash().as_bytes()));
    let secret = crate::mail::MailSecret {
        value: token.as_str().to_owned(),
        expires_at: now + Purpose::ResetPassword.lifetime(),
    };
    crate::mail::send_with_secret(conn, site, &user.email, &lang, key, &content, Some(secret))?;
    audit::record(conn, &audit::AuditEvent::new("password.reset_requested", Some(user.id), ip))?;
    Ok(())
}

/// Sets a new password through a reset or set-password link. Every session of the user ends
/// and other open reset links die: whoever had the old password is out.
pub fn set_password_with_link(
    conn: &mut PgConnection,
    token: &str,
    purpose: Purpose,
    hash: &PasswordHash,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<UserId, AccountError> {
    let user = one_time::consume(conn, token, purpose, now)?;
    diesel::update(users::table.find(user.0)).set(users::password_hash.eq(hash.as_str())).execute(conn)?;
    // The link arrived by email, which proves the address.
    User::mark_verified(conn, user, now)?;
    one_time::revoke_all(conn, user, Purpose::ResetPassword, now)?;
    session::end_all(conn, user)?;
    // Whoever reset the password starts afresh: no browser stays trusted, and the failures
    // strangers piled up against the account no longer stand between the owner and it.
    super::device::forget_all(conn, user)?;
    if let Some(found) = User::by_id(conn, user)? {
        crate::rate_limit::clear(
            conn,
            &crate::rate_limit::LOGIN_FAILURES_PER_ACCOUNT,
            &found.email.to_lowercase(),
        )?;
    }
    let action = match purpose {
        Purpose::SetPassword => "password.set",
        _ => "password.reset",
    };
    audit::record(conn, &audit::AuditEvent::new(action, Some(user), ip))?;
    Ok(user)
}
