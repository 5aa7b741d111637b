//! Changing the address a person signs in with and is written to.
//!
//! Customers ask in their settings (with their password): a single-use link, valid 24 hours,
//! goes to the new address, and the address changes only when that link is used, so nobody
//! gets an address they cannot read. An address another account has gets the same answer as a
//! free one (the form tells nobody who has an account), and that account's owner is told, as
//! sign-up does. When the address changes, the old one is told where to (masked) with a link,
//! valid 7 days, that takes the account back if the change was not its owner's: a password
//! reset would go to the new address, of no use to someone whose account was taken over.
//! Links sent to the old address die; sessions stay. Admins change a staff member's address
//! directly (`kontor user email`), and both addresses are told. All of it is audited.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::email::EmailAddress;
use super::one_time::{self, Purpose};
use super::user::User;
use super::{AccountError, FieldErrors};
use crate::audit;
use crate::audit::Actor;
use crate::db::schema::{customers, users};
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::rate_limit;
use crate::site::Site;

/// `nora@example.org` as `n…@e….org`: enough for the owner to recognise, little for anyone
/// else reading the old mailbox.
pub fn masked(email: &str) -> String {
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    let first = |text: &str| text.chars().next().map(String::from).unwrap_or_default();
    let tld = domain.rsplit_once('.').map(|(_, tld)| format!(".{tld}")).unwrap_or_default();
    format!("{}…@{}…{tld}", first(local), first(domain))
}

fn language_of(user: &User) -> Lang {
    Lang::supported(&user.language).unwrap_or_else(Lang::english)
}

/// Who else has an address.
enum Owner {
    Nobody,
    /// Another log-in, whose owner is warned.
    User(User),
    /// A customer record without a log-in of its own (imported, seeded).
    CustomerRecord,
}

/// Whether `email` belongs to anyone but `user` (a log-in or a customer record).
fn other_owner(conn: &mut PgConnection, user: &User, email: &str) -> Result<Owner, AccountError> {
    if let Some(owner) = User::by_email(conn, email)?.filter(|owner| owner.id != user.id) {
        return Ok(Owner::User(owner));
    }
    let customer: Option<i64> = customers::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = lower(")
                .bind::<diesel::sql_types::Text, _>(email)
                .sql(")"),
        )
        .select(customers::id)
        .first(conn)
        .optional()?;
    Ok(match customer {
        Some(id) if Some(id) != user.customer_id.map(|own| own.0) => Owner::CustomerRecord,
        _ => Owner::Nobody,
    })
}

/// A customer asks to sign in and be written to at `new` (their password was checked before,
/// with `profile::check_current_password`). Sends the link to `new`, or, when another account
/// has the address, warns that account instead; the caller tells the person the same either
/// way. Refuses their current address as a field error.
pub fn request_change(
    conn: &mut PgConnection,
    site: &Site,
    user: &User,
    new: &EmailAddress,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), FieldErrors>, AccountError> {
    if new.as_str().eq_ignore_ascii_case(&user.email) {
        let mut errors = FieldErrors::default();
        errors.add("new_email", "email-change-same");
        return Ok(Err(errors));
    }
    super::limit(conn, &rate_limit::EMAIL_CHANGE_PER_ACCOUNT, &user.id.0.to_string(), now)?;
    match other_owner(conn, user, new.as_str())? {
        taken @ (Owner::User(_) | Owner::CustomerRecord) => {
            if let Owner::User(owner) = taken {
                let content = EmailContent {
                    subject: "email-change-taken-subject",
                    paragraphs: &["email-change-taken-body"],
                    action: Some(("email-change-taken-action", site.link("/password/forgot"))),
                    args: vec![],
                };
                // One warning an hour at most, however often somebody tries.
                let key = format!("email-change-taken:{}:{}", owner.id.0, now.timestamp() / 3600);
                mail::send(conn, site, &owner.email, &language_of(&owner), key, &content)?;
            }
            audit::record(
                conn,
                &audit::AuditEvent::new("email.change_taken", Some(user.id), ip).target(new.as_str()),
            )?;
        }
        Owner::Nobody => {
            let token = one_time::issue_with_address(conn, user.id, Purpose::ChangeEmail, new.as_str(), now)?;
            let content = EmailContent {
                subject: "email-change-verify-subject",
                paragraphs: &["email-change-verify-body", "email-change-verify-expiry"],
                action: Some((
                    "email-change-verify-action",
                    site.link(&format!("/email/confirm?token={}", token.as_str())),
                )),
                args: vec![("address", new.as_str().to_owned().into()), ("hours", 24.into())],
            };
            let key = format!("email-change:{}:{}", user.id.0, hex::encode(token.hash().as_bytes()));
            mail::send(conn, site, new.as_str(), &language_of(user), key, &content)?;
            audit::record(
                conn,
                &audit::AuditEvent::new("email.change_requested", Some(user.id), ip).target(new.as_str()),
            )?;
        }
    }
    Ok(Ok(()))
}

/// Sets the address of `user` (and of their customer record) to `new`, which a link to it
/// (or an admin) vouches for, and voids the links sent to the old address.
fn set_address(
    conn: &mut PgConnection,
    user: &User,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let taken = |e: diesel::result::Error| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AccountError::EmailTaken
        }
        other => AccountError::Database(other),
    };
    diesel::update(users::table.find(user.id.0))
        .set((users::email.eq(new), users::email_verified_at.eq(now)))
        .execute(conn)
        .map_err(taken)?;
    if let Some(customer) = user.customer_id {
        diesel::update(customers::table.find(customer.0))
            .set(customers::email.eq(new))
            .execute(conn)
            .map_err(taken)?;
    }
    for purpose in [Purpose::ChangeEmail, Purpose::ResetPassword, Purpose::VerifyEmail] {
        one_time::revoke_all(conn, user.id, purpose, now)?;
    }
    Ok(())
}

/// Uses an email-change link: the address it carries becomes its user's. Sessions stay. The old
/// address is told, with the link that restores it.
pub fn confirm_change(
    conn: &mut PgConnection,
    site: &Site,
    token: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<UserId, AccountError> {
    let (id, new) = one_time::consume_with_address(conn, token, Purpose::ChangeEmail, now)?;
    let user = User::by_id(conn, id)?.filter(|u| !u.disabled).ok_or(AccountError::InvalidLink)?;
    // Taken since the link was sent (the unique indexes would refuse it anyway).
    if !matches!(other_owner(conn, &user, &new)?, Owner::Nobody) {
        return Err(AccountError::EmailTaken);
    }
    set_address(conn, &user, &new, now)?;
    let restore = one_time::issue_with_address(conn, user.id, Purpose::RestoreEmail, &user.email, now)?;
    let content = EmailContent {
        subject: "email-changed-subject",
        paragraphs: &["email-changed-body", "email-changed-not-you"],
        action: Some((
            "email-changed-restore-action",
            site.link(&format!("/email/restore?token={}", restore.as_str())),
        )),
        args: vec![("address", masked(&new).into()), ("days", 7.into())],
    };
    let key = format!("email-changed:{}:{}", user.id.0, hex::encode(restore.hash().as_bytes()));
    mail::send(conn, site, &user.email, &language_of(&user), key, &content)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("email.changed", Some(user.id), ip)
            .target(format!("user:{}", user.id.0))
            .details(serde_json::json!({ "from": user.email, "to": new })),
    )?;
    Ok(user.id)
}

/// Uses a restore link: the account gets back the address it had, everyone signed in to it is
/// signed out and no browser stays trusted (whoever changed the address knew the password,
/// which the owner now resets, by a link to their own address again).
pub fn restore(
    conn: &mut PgConnection,
    token: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<UserId, AccountError> {
    let (id, old) = one_time::consume_with_address(conn, token, Purpose::RestoreEmail, now)?;
    let user = User::by_id(conn, id)?.filter(|u| !u.disabled).ok_or(AccountError::InvalidLink)?;
    if !matches!(other_owner(conn, &user, &old)?, Owner::Nobody) {
        return Err(AccountError::EmailTaken);
    }
    set_address(conn, &user, &old, now)?;
    one_time::revoke_all(conn, user.id, Purpose::RestoreEmail, now)?;
    super::session::end_all(conn, user.id)?;
    super::device::forget_all(conn, user.id)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("email.restored", Some(user.id), ip)
            .target(format!("user:{}", user.id.0))
            .details(serde_json::json!({ "from": user.email, "to": old })),
    )?;
    Ok(user.id)
}

/// An admin changes a staff member's address (they no longer read the old one, say). Both
/// addresses are told; the staff member's sessions and second factor stay.
pub fn change_staff_email(
    conn: &mut PgConnection,
    site: &Site,
    operator: &Actor,
    target: UserId,
    new: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let user = User::by_id(conn, target)?.filter(|u| u.role.is_staff()).ok_or(AccountError::UnknownUser)?;
    if new.as_str().eq_ignore_ascii_case(&user.email) {
        return Ok(());
    }
    if !matches!(other_owner(conn, &user, new.as_str())?, Owner::Nobody) {
        return Err(AccountError::EmailTaken);
    }
    set_address(conn, &user, new.as_str(), now)?;
    // The admin did it on purpose: the old address is told, without a way back.
    let content = EmailContent {
        subject: "email-changed-subject",
        paragraphs: &["email-changed-by-admin-body", "email-changed-by-admin-not-you"],
        action: None,
        args: vec![("address", masked(new.as_str()).into())],
    };
    let key = format!("email-changed:{}:{}", user.id.0, now.timestamp_micros());
    mail::send(conn, site, &user.email, &language_of(&user), key, &content)?;
    let content = EmailContent {
        subject: "email-changed-new-subject",
        paragraphs: &["email-changed-new-body"],
        action: Some(("email-changed-new-action", site.link("/login"))),
        args: vec![("address", new.as_str().to_owned().into())],
    };
    let key = format!("email-changed-new:{}:{}", user.id.0, now.timestamp_micros());
    mail::send(conn, site, new.as_str(), &language_of(&user), key, &content)?;
    audit::record(
        conn,
        &operator
            .event("staff.email_changed")
            .target(super::staff::user_target(target))
            .details(serde_json::json!({ "from": user.email, "to": new.as_str() })),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_to_their_first_letters() {
        assert_eq!(masked("nora@example.org"), "n…@e….org");
        assert_eq!(masked("Ölaf@mail.example.co.uk"), "Ö…@m….uk");
        assert_eq!(masked("x@localhost"), "x…@l…");
    }
}
