//! Customers' and staff members' accounts: sign-up, email verification, log-in and sessions,
//! password reset, roles and staff two-factor authentication, settings.
//! Functions take `&mut PgConnection` and never open their own transaction: the caller
//! (a handler, the CLI) owns it.

pub mod address;
pub mod device;
pub mod email;
pub mod email_change;
pub mod login;
pub mod my_data;
pub mod one_time;
pub mod password;
pub mod profile;
pub mod recovery;
pub mod session;
pub mod signup;
pub mod staff;
pub mod totp;
pub mod user;

pub use user::{Role, User};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the link is invalid, used or expired")]
    InvalidLink,
    #[error("wrong password")]
    WrongPassword,
    #[error("the email address has not been verified yet")]
    NotVerified,
    #[error("unknown user")]
    UnknownUser,
    #[error("the email address belongs to another account")]
    EmailTaken,
    #[error("too many attempts; retry in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: i64 },
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error(transparent)]
    Totp(#[from] totp::TotpError),
    #[error("two-factor authentication is not set up")]
    NoSecondFactor,
    #[error("stored account data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Random(#[from] crate::token::RngError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl AccountError {
    pub fn message_id(&self) -> &'static str {
        match self {
            AccountError::InvalidLink => "account-invalid-link",
            AccountError::WrongPassword => "account-wrong-password",
            AccountError::NotVerified => "account-not-verified",
            AccountError::UnknownUser => "error-not-found",
            AccountError::EmailTaken => "email-change-taken",
            AccountError::RateLimited { .. } => "rate-limited",
            AccountError::Password(e) => e.message_id(),
            AccountError::Totp(e) => e.message_id(),
            AccountError::NoSecondFactor => "totp-not-enrolled",
            AccountError::Corrupt(_)
            | AccountError::Mail(_)
            | AccountError::Audit(_)
            | AccountError::Random(_)
            | AccountError::Database(_) => "error-internal",
        }
    }
}

/// Counts a hit on `limit` and turns "over the limit" into an error.
pub(crate) fn limit(
    conn: &mut diesel::PgConnection,
    limit: &crate::rate_limit::Limit,
    key: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AccountError> {
    limited(crate::rate_limit::hit(conn, limit, key, now)?)
}

pub(crate) fn limited(verdict: crate::rate_limit::Verdict) -> Result<(), AccountError> {
    match verdict {
        crate::rate_limit::Verdict::Allowed => Ok(()),
        crate::rate_limit::Verdict::Limited { retry_after } => {
            Err(AccountError::RateLimited { retry_after_seconds: retry_after.num_seconds() })
        }
    }
}

/// Form input that failed to parse: which field, and the Fluent id of what to tell the person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, &'static str)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message_id: &'static str) {
        self.0.push((field, message_id));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }
}
