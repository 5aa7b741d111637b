//! Sign-up: a customer and their log-in in one transaction, with a verification email queued
//! in the same transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::address::{PostalDetails, PostalInput, optional_vat_id};
use super::email::EmailAddress;
use super::one_time::{self, Purpose};
use super::password::{self, Password, PasswordHash};
use super::user::User;
use super::{AccountError, FieldErrors};
use crate::audit;
use crate::country::{Country, VatId};
use crate::db::schema::{customers, users};
use crate::i18n::Lang;
use crate::ids::{CustomerId, UserId};
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::rate_limit;
use crate::site::Site;

/// The sign-up form as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SignupForm {
    pub email: String,
    pub password: String,
    pub name: String,
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub vat_id: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub language: String,
}

/// A sign-up that passed every check.
#[derive(Debug)]
pub struct Signup {
    pub email: EmailAddress,
    pub password: Password,
    pub details: PostalDetails,
    pub vat_id: Option<VatId>,
    pub country: Country,
    pub language: Lang,
}

impl Signup {
    pub fn parse(form: &SignupForm) -> Result<Signup, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = EmailAddress::parse(&form.email);
        if email.is_none() {
            errors.add("email", "email-invalid");
        }
        let details = PostalDetails::parse(
            PostalInput {
                name: &form.name,
                company_name: &form.company_name,
                street: &form.street,
                postal_code: &form.postal_code,
                city: &form.city,
            },
            &mut errors,
        );
        let country = Country::parse(&form.country).ok();
        if country.is_none() {
            errors.add("country", "country-unknown");
        }
        let language = Lang::supported(&form.language);
        if language.is_none() {
            errors.add("language", "field-invalid");
        }
        let vat_id = country.and_then(|country| optional_vat_id(&mut errors, &form.vat_id, country));
        let context: Vec<&str> =
            [email.as_ref().map(EmailAddress::local_part), details.as_ref().map(|d| d.name.as_str())]
                .into_iter()
                .flatten()
                .collect();
        let password = Password::parse(&form.password, &context)
            .map_err(|error| errors.add("password", error.message_id()))
            .ok();
        match (email, password, details, country, language) {
            (Some(email), Some(password), Some(details), Some(country), Some(language))
                if errors.is_empty() =>
            {
                Ok(Signup { email, password, details, vat_id, country, language })
            }
            _ => Err(errors),
        }
    }
}

/// What happened, for the handler; the visitor sees the same page either way, so sign-up
/// cannot be used to find out who has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    New {
        user: UserId,
        customer: CustomerId,
    },
    /// The address belongs to an existing account, whose owner got a notice instead.
    Existing,
}

/// Counts a sign-up attempt against the per-address limit. Call it before hashing the
/// password, so a flood of sign-ups costs the flooder, not the server.
pub fn admit(conn: &mut PgConnection, ip: &str, now: DateTime<Utc>) -> Result<(), AccountError> {
    super::limit(conn, &rate_limit::SIGNUP_PER_IP, ip, now)
}

/// Creates the customer and their user, queues the verification email. `hash` is the
/// argon2id hash of `signup.password`, computed by the caller outside the transaction
/// (after `admit`).
pub fn register(
    conn: &mut PgConnection,
    site: &Site,
    signup: &Signup,
    hash: &PasswordHash,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Registered, AccountError> {
    if let Some(existing) = User::by_email(conn, signup.email.as_str())? {
        let lang = Lang::supported(&existing.language).unwrap_or_else(Lang::english);
        let content = EmailContent {
            subject: "email-signup-exists-subject",
            paragraphs: &["email-signup-exists-body"],
            action: Some(("email-signup-exists-action", site.link("/password/forgot"))),
            args: vec![],
        };
        let key = format!("signup-exists:{}:{}", existing.id.0, now.timestamp() / 3600);
        mail::send(conn, site, &existing.email, &lang, key, &content)?;
        audit::record(
            conn,
            &audit::AuditEvent::new("signup.existing_email", None, ip).target(existing.email),
        )?;
        return Ok(Registered::Existing);
    }
    let customer: i64 = diesel::insert_into(customers::table)
        .values((
            customers::email.eq(signup.email.as_str()),
            customers::name.eq(&signup.details.name),
            customers::country.eq(signup.country.code()),
            customers::language.eq(signup.language.code()),
            customers::currency.eq(signup.country.currency().code()),
            customers::company_name.eq(signup.details.company_name.as_deref()),
            customers::vat_id.eq(signup.vat_id.as_ref().map(ToString::to_string)),
            customers::street.eq(&signup.details.street),
            customers::postal_code.eq(&signup.details.postal_code),
            customers::city.eq(&signup.details.city),
            customers::created_at.eq(now),
        ))
        .returning(customers::id)
        .get_result(conn)?;
    let user: i64 = diesel::insert_into(users::table)
        .values((
            users::email.eq(signup.email.as_str()),
            users::password_hash.eq(hash.as_str()),
            users::role.eq("customer"),
            users::customer_id.eq(customer),
            users::language.eq(signup.language.code()),
            users::created_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)?;
    let user = UserId(user);
    send_verification(conn, site, user, signup.email.as_str(), &signup.language, &signup.details.name, now)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("signup.created", Some(user), ip).target(format!("customer:{customer}")),
    )?;
    Ok(Registered::New { user, customer: CustomerId(customer) })
}

/// Issues a fresh verification link and queues the email carrying it.
pub fn send_verification(
    conn: &mut PgConnection,
    site: &Site,
    user: UserId,
    email: &str,
    lang: &Lang,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let token = one_time::issue(conn, user, Purpose::VerifyEmail, now)?;
    let content = EmailContent {
        subject: "email-verify-subject",
        paragraphs: &["email-verify-body", "email-verify-expiry"],
        action: Some(("email-verify-action", site.link(&format!("/verify?token={}", token.as_str())))),
        args: vec![("name", name.to_owned().into()), ("hours", 24.into())],
    };
    let key = format!("verify:{}:{}", user.0, hex::encode(token.hash().as_bytes()));
    let secret = crate::mail::MailSecret {
        value: token.as_str().to_owned(),
        expires_at: now + Purpose::VerifyEmail.lifetime(),
    };
    crate::mail::send_with_secret(conn, site, email, lang, key, &content, Some(secret))?;
    Ok(())
}

/// Re-sends the verification email, within the abuse limits.
pub fn resend_verification(
    conn: &mut PgConnection,
    site: &Site,
    user: &User,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    if user.is_verified() {
        return Ok(());
    }
    super::limit(conn, &rate_limit::RESEND_PER_IP, ip, now)?;
    super::limit(conn, &rate_limit::RESEND_PER_ACCOUNT, &user.id.0.to_string(), now)?;
    let lang = Lang::supported(&user.language).unwrap_or_else(Lang::english);
    let name: String = match user.customer_id {
        Some(customer) => customers::table.find(customer.0).select(customers::name).first(conn)?,
        None => user.email.clone(),
    };
    send_verification(conn, site, user.id, &user.email, &lang, &name, now)
}

/// Marks the address verified; the link works once.
pub fn verify_email(
    conn: &mut PgConnection,
    token: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<UserId, AccountError> {
    let user = match one_time::consume(conn, token, Purpose::VerifyEmail, now) {
        Ok(user) => user,
        // The same link followed again (a reload, a second click in the mail): the address is
        // confirmed, which is all the person needs to hear; nothing is done twice.
        Err(AccountError::InvalidLink) => {
            return match one_time::used_by(conn, token, Purpose::VerifyEmail)? {
                Some(user) if User::by_id(conn, user)?.is_some_and(|u| u.is_verified()) => Ok(user),
                _ => Err(AccountError::InvalidLink),
            };
        }
        Err(other) => return Err(other),
    };
    User::mark_verified(conn, user, now)?;
    audit::record(conn, &audit::AuditEvent::new("email.verified", Some(user), ip))?;
    Ok(user)
}

/// Hashes the new password (slow: call outside transactions and off the async executor).
pub fn hash_password(password: &Password) -> Result<PasswordHash, AccountError> {
    Ok(password::hash(password)?)
}
