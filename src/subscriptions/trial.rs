//! Starting a subscription: the free first month for people who have not had one, or a paid
//! start right away.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::identity::{IdentityKey, IdentityKind, network_key, normalize_email};
use super::model::Subscription;
use super::{Billing, SubscriptionError, TrialRefusal, provisioning};
use crate::accounts::User;
use crate::audit;
use crate::db::schema::{customers, installation_secrets, subscriptions, trial_claims};
use crate::ids::CustomerId;
use crate::rate_limit::{self, Limit};

/// Free months started from one network (/24 or /64) per day.
pub const TRIALS_PER_NETWORK: Limit =
    Limit { name: "trial-network", max: 3, window: chrono::Duration::days(1) };

/// The base plan every subscription starts with.
pub const BASE_PLAN: &str = "mailbox_10gb";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The free first month (refused to someone who had one).
    Trial,
    /// Paid from the first day.
    Paid,
}

/// The installation's key for identity fingerprints.
pub fn identity_key(conn: &mut PgConnection) -> Result<IdentityKey, SubscriptionError> {
    let secret: Vec<u8> =
        installation_secrets::table.find("identity").select(installation_secrets::secret).first(conn)?;
    Ok(IdentityKey::from_bytes(&secret)?)
}

/// Whether someone else already had a free month with this identity.
fn claimed_by_another(
    conn: &mut PgConnection,
    kind: IdentityKind,
    fingerprint: &[u8; 32],
    customer: CustomerId,
) -> Result<bool, SubscriptionError> {
    let owners: Vec<i64> = trial_claims::table
        .filter(trial_claims::kind.eq(claim_kind(kind)))
        .filter(trial_claims::fingerprint.eq(fingerprint.to_vec()))
        .select(trial_claims::customer_id)
        .load(conn)?;
    Ok(owners.iter().any(|owner| *owner != customer.0))
}

fn claim_kind(kind: IdentityKind) -> &'static str {
    match kind {
        IdentityKind::Email => "email",
        IdentityKind::Iban => "iban",
        IdentityKind::PayPalPayer => "paypal_payer",
    }
}

fn claim(
    conn: &mut PgConnection,
    kind: IdentityKind,
    fingerprint: [u8; 32],
    customer: CustomerId,
) -> Result<(), SubscriptionError> {
    diesel::insert_into(trial_claims::table)
        .values((
            trial_claims::customer_id.eq(customer.0),
            trial_claims::kind.eq(claim_kind(kind)),
            trial_claims::fingerprint.eq(fingerprint.to_vec()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// Starts the customer's subscription. `iban` is the account they will pay from after the
/// free month, if they named one: it counts as an identity for the one-trial rule.
pub fn start(
    conn: &mut PgConnection,
    billing: &Billing,
    user: &User,
    start: Start,
    iban: Option<&str>,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Subscription, SubscriptionError> {
    let customer = user.customer_id.ok_or(SubscriptionError::NoSubscription)?;
    if !user.is_verified() {
        return Err(SubscriptionError::NotVerified);
    }
    // One start at a time per customer.
    let (email, currency): (String, String) = customers::table
        .find(customer.0)
        .select((customers::email, customers::currency))
        .for_update()
        .first(conn)?;
    if Subscription::live_of(conn, customer, true)?.is_some() {
        return Err(SubscriptionError::AlreadySubscribed);
    }
    let iban = match iban.map(str::trim).filter(|i| !i.is_empty()) {
        Some(input) => {
            Some(crate::iban::Iban::parse(input).ok_or(SubscriptionError::InvalidIban)?.as_str().to_owned())
        }
        None => None,
    };
    let today = billing.today(now);
    let trial_ends_on = if start == Start::Trial {
        let key = identity_key(conn)?;
        let email_print = key.fingerprint(IdentityKind::Email, &normalize_email(&email));
        if claimed_by_another(conn, IdentityKind::Email, &email_print, customer)? {
            return Err(SubscriptionError::TrialRefused(TrialRefusal::EmailUsed));
        }
        let iban_print = iban.as_deref().map(|i| key.fingerprint(IdentityKind::Iban, i));
        if let Some(print) = &iban_print
            && claimed_by_another(conn, IdentityKind::Iban, print, customer)?
        {
            return Err(SubscriptionError::TrialRefused(TrialRefusal::PaymentIdentityUsed));
        }
        let network = network_key(ip);
        if rate_limit::check(conn, &TRIALS_PER_NETWORK, &network, now)?.is_limited() {
            return Err(SubscriptionError::TrialRefused(TrialRefusal::NetworkLimit));
        }
        rate_limit::hit(conn, &TRIALS_PER_NETWORK, &network, now)?;
        claim(conn, IdentityKind::Email, email_print, customer)?;
        if let Some(print) = iban_print {
            claim(conn, IdentityKind::Iban, print, customer)?;
        }
        Some(super::period::period_containing(today, today).end)
    } else {
        None
    };
    let id: i64 = diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::customer_id.eq(customer.0),
            subscriptions::plan_code.eq(BASE_PLAN),
            subscriptions::currency.eq(currency.trim()),
            subscriptions::anchor_date.eq(today),
            subscriptions::status.eq(if trial_ends_on.is_some() { "trial" } else { "active" }),
            subscriptions::trial_ends_on.eq(trial_ends_on),
            subscriptions::created_at.eq(now),
        ))
        .returning(subscriptions::id)
        .get_result(conn)?;
    let kind = if trial_ends_on.is_some() { "trial_started" } else { "subscription_started" };
    provisioning::record(conn, customer, kind, today, serde_json::json!({ "subscription": id }), now)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("subscription.started", Some(user.id), ip)
            .target(format!("subscription:{id}"))
            .details(serde_json::json!({ "trial": trial_ends_on.is_some() })),
    )?;
    Subscription::live_of(conn, customer, false)?.ok_or(SubscriptionError::NoSubscription)
}

/// Records a payment identity (IBAN, PayPal payer) a customer now pays with; returns false
/// when another customer's free month used it already (the payment modules then end this
/// customer's free month, if they are in one).
pub fn register_payment_identity(
    conn: &mut PgConnection,
    customer: CustomerId,
    kind: IdentityKind,
    normalized: &str,
) -> Result<bool, SubscriptionError> {
    let key = identity_key(conn)?;
    let print = key.fingerprint(kind, normalized);
    if claimed_by_another(conn, kind, &print, customer)? {
        return Ok(false);
    }
    claim(conn, kind, print, customer)?;
    Ok(true)
}
