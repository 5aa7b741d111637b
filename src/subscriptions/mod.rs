//! Subscriptions: the free first month, monthly periods anchored on the start day, storage
//! packs with exact proration, cancellation at the period's end, and the provisioning events
//! the mail and storage platform follows. Functions take `&mut PgConnection` inside the
//! caller's transaction.

pub mod advance;
pub mod changes;
pub mod identity;
pub mod model;
pub mod notices;
pub mod overview;
pub mod period;
pub mod prices;
pub mod proration;
pub mod provisioning;
pub mod trial;

use chrono::{DateTime, NaiveDate, Utc};

pub use model::{Pack, Status, Subscription};

/// What subscription logic needs from the deployment.
#[derive(Debug, Clone)]
pub struct Billing {
    /// Billing periods follow calendar days in this zone.
    pub time_zone: chrono_tz::Tz,
    pub seller: crate::tax::Seller,
    /// How many days before its first day a period may be invoiced; never before the free
    /// month is over.
    pub lead_days: u32,
}

impl Billing {
    /// Today in the provider's calendar.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        period::local_date(now, self.time_zone)
    }

    /// The day a period is invoiced: its first day, or the lead before it, but never before
    /// `first_paid` (the free month is never invoiced, not even in advance).
    pub fn invoice_day(&self, period_start: NaiveDate, first_paid: NaiveDate) -> NaiveDate {
        let early = period_start - chrono::Days::new(u64::from(self.lead_days));
        early.max(first_paid)
    }
}

/// Why a free month is not granted. The customer can subscribe paid right away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialRefusal {
    /// This address (ignoring case, Gmail dots and +tags) had its free month.
    EmailUsed,
    /// This IBAN or PayPal account paid for someone's free month before.
    PaymentIdentityUsed,
    /// Too many free months started from this network today.
    NetworkLimit,
}

impl TrialRefusal {
    pub fn message_id(self) -> &'static str {
        match self {
            TrialRefusal::EmailUsed => "trial-refused-email",
            TrialRefusal::PaymentIdentityUsed => "trial-refused-payment",
            TrialRefusal::NetworkLimit => "trial-refused-network",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SubscriptionError {
    #[error("the email address is not verified")]
    NotVerified,
    #[error("the customer already has a subscription")]
    AlreadySubscribed,
    #[error("the customer has no subscription")]
    NoSubscription,
    #[error("no free month: {0:?}")]
    TrialRefused(TrialRefusal),
    #[error("no such storage pack on this subscription")]
    UnknownPack,
    #[error("this pack already ends at the end of the period")]
    AlreadyEnding,
    #[error("the subscription is not cancelled")]
    NotCancelled,
    #[error("the subscription has ended")]
    Ended,
    #[error("the IBAN is not valid")]
    InvalidIban,
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Proration(#[from] proration::ProrationError),
    #[error(transparent)]
    Tax(#[from] crate::tax::TaxError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    #[error(transparent)]
    Account(#[from] crate::accounts::AccountError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error("stored subscription data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl SubscriptionError {
    pub fn message_id(&self) -> &'static str {
        match self {
            SubscriptionError::NotVerified => "account-not-verified",
            SubscriptionError::AlreadySubscribed => "subscription-exists",
            SubscriptionError::NoSubscription => "subscription-none",
            SubscriptionError::TrialRefused(reason) => reason.message_id(),
            SubscriptionError::UnknownPack => "error-not-found",
            SubscriptionError::AlreadyEnding => "pack-already-ending",
            SubscriptionError::NotCancelled => "subscription-not-cancelled",
            SubscriptionError::Ended => "subscription-ended",
            SubscriptionError::InvalidIban => "iban-invalid",
            SubscriptionError::Catalog(e) => e.message_id(),
            SubscriptionError::Account(e) => e.message_id(),
            _ => "error-internal",
        }
    }
}
