//! Provisioning events: every change to what a customer may use (mailbox and online storage
//! in GB) appends an event with a gapless per-customer sequence number. The mail and storage
//! platform reads them in order through the API, instead of polling every customer.
//!
//! Writers of one customer's events take turns on that customer's lock (see `db::locks`);
//! different customers never wait for each other. An event's `position`, the number readers
//! page by, is given when its transaction commits (a deferred trigger, under a lock held only
//! for the commit), so positions grow in commit order: a reader that has seen position N never
//! later finds a smaller one appear.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::SubscriptionError;
use super::model::{Pack, Subscription};
use crate::catalog::{self, Storage};
use crate::db::schema::provisioning_events;
use crate::ids::CustomerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Entitlement {
    pub mail_gb: i32,
    pub storage_gb: i32,
}

/// What the customer may use on `date`: the base plan and the packs in force that day.
pub fn entitlement(
    conn: &mut PgConnection,
    customer: CustomerId,
    date: NaiveDate,
) -> Result<Entitlement, SubscriptionError> {
    let Some(subscription) = Subscription::live_of(conn, customer, false)? else {
        return Ok(Entitlement::default());
    };
    if subscription.cancel_on.is_some_and(|end| end <= date) {
        return Ok(Entitlement::default());
    }
    let mut entitlement = Entitlement::default();
    let base = catalog::plan(conn, &subscription.plan_code)?;
    let packs = Pack::current(conn, subscription.id, date)?;
    let plans = std::iter::once(Ok(base))
        .chain(packs.iter().filter(|p| p.active_on(date)).map(|p| catalog::plan(conn, &p.plan_code)));
    for plan in plans {
        let plan = plan?;
        match plan.storage {
            Storage::Mail => entitlement.mail_gb += plan.storage_gb,
            Storage::Files => entitlement.storage_gb += plan.storage_gb,
        }
    }
    Ok(entitlement)
}

/// Appends an event with the customer's entitlement on `date` after the change. Takes the
/// customer's lock (if the caller has not yet): the per-customer sequence is read and
/// advanced under it.
pub fn record(
    conn: &mut PgConnection,
    customer: CustomerId,
    kind: &str,
    date: NaiveDate,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<i64, SubscriptionError> {
    crate::db::locks::lock_customer(conn, customer.0)?;
    let entitlement = entitlement(conn, customer, date)?;
    let last: Option<i64> = provisioning_events::table
        .filter(provisioning_events::customer_id.eq(customer.0))
        .select(diesel::dsl::max(provisioning_events::sequence))
        .first(conn)?;
    let sequence = last.unwrap_or(0) + 1;
    diesel::insert_into(provisioning_events::table)
        .values((
            provisioning_events::customer_id.eq(customer.0),
            provisioning_events::sequence.eq(sequence),
            provisioning_events::kind.eq(kind),
            provisioning_events::mail_gb.eq(entitlement.mail_gb),
            provisioning_events::storage_gb.eq(entitlement.storage_gb),
            provisioning_events::occurred_at.eq(now),
            provisioning_events::details.eq(details),
        ))
        .execute(conn)?;
    crate::failpoint::hit("provisioning-recorded");
    Ok(sequence)
}

#[derive(Debug, Clone, PartialEq, Queryable, serde::Serialize)]
pub struct Event {
    /// The event's position in the readers' order (given at commit): what `after` takes.
    pub id: i64,
    pub customer_id: i64,
    pub sequence: i64,
    pub kind: String,
    pub mail_gb: i32,
    pub storage_gb: i32,
    pub occurred_at: DateTime<Utc>,
    pub details: serde_json::Value,
}

/// Events after the cursor `after` (a position), in commit order.
pub fn events_after(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, SubscriptionError> {
    Ok(provisioning_events::table
        .filter(provisioning_events::position.gt(after))
        .order(provisioning_events::position)
        .limit(limit.clamp(1, 1_000))
        .select((
            provisioning_events::position.assume_not_null(),
            provisioning_events::customer_id,
            provisioning_events::sequence,
            provisioning_events::kind,
            provisioning_events::mail_gb,
            provisioning_events::storage_gb,
            provisioning_events::occurred_at,
            provisioning_events::details,
        ))
        .load(conn)?)
}
