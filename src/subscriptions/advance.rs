//! Time moving on: free months ending, cancellations and pack changes taking effect. Run by
//! `kontor subscriptions advance` (cron) and the server's worker; each subscription in its
//! own transaction; running it twice changes nothing the second time.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::{Billing, SubscriptionError, provisioning};
use crate::db::schema::{subscription_packs, subscriptions};
use crate::ids::CustomerId;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdvanceReport {
    pub trials_converted: usize,
    pub subscriptions_ended: usize,
    pub packs_started: usize,
    pub packs_ended: usize,
}

pub fn advance(
    conn: &mut PgConnection,
    billing: &Billing,
    now: DateTime<Utc>,
) -> Result<AdvanceReport, SubscriptionError> {
    let today = billing.today(now);
    let mut report = AdvanceReport::default();

    let ending: Vec<(i64, i64, NaiveDate)> = subscriptions::table
        .filter(subscriptions::status.ne("ended"))
        .filter(subscriptions::cancel_on.le(today))
        .select((subscriptions::id, subscriptions::customer_id, subscriptions::cancel_on.assume_not_null()))
        .load(conn)?;
    for (id, customer, end) in ending {
        let ended = conn.transaction(|conn| -> Result<bool, SubscriptionError> {
            // The customer first (the order of `db::locks`), then their rows.
            crate::db::locks::lock_customer(conn, customer)?;
            let changed =
                diesel::update(subscriptions::table.find(id).filter(subscriptions::status.ne("ended")))
                    .set((subscriptions::status.eq("ended"), subscriptions::ended_on.eq(end)))
                    .execute(conn)?;
            if changed == 0 {
                return Ok(false);
            }
            diesel::update(
                subscription_packs::table
                    .filter(subscription_packs::subscription_id.eq(id))
                    .filter(subscription_packs::ends_on.is_null().or(subscription_packs::ends_on.gt(end))),
            )
            .set(subscription_packs::ends_on.eq(end))
            .execute(conn)?;
            diesel::update(subscription_packs::table.filter(subscription_packs::subscription_id.eq(id)))
                .set((
                    subscription_packs::start_announced.eq(true),
                    subscription_packs::end_announced.eq(true),
                ))
                .execute(conn)?;
            provisioning::record(
                conn,
                CustomerId(customer),
                "subscription_ended",
                today,
                serde_json::json!({ "subscription": id }),
                now,
            )?;
            Ok(true)
        })?;
        report.subscriptions_ended += usize::from(ended);
    }

    let converting: Vec<(i64, i64)> = subscriptions::table
        .filter(subscriptions::status.eq("trial"))
        .filter(subscriptions::trial_ends_on.le(today))
        .select((subscriptions::id, subscriptions::customer_id))
        .load(conn)?;
    for (id, customer) in converting {
        let converted = conn.transaction(|conn| -> Result<bool, SubscriptionError> {
            crate::db::locks::lock_customer(conn, customer)?;
            let changed =
                diesel::update(subscriptions::table.find(id).filter(subscriptions::status.eq("trial")))
                    .set(subscriptions::status.eq("active"))
                    .execute(conn)?;
            if changed == 1 {
                provisioning::record(
                    conn,
                    CustomerId(customer),
                    "trial_converted",
                    today,
                    serde_json::json!({ "subscription": id }),
                    now,
                )?;
            }
            Ok(changed == 1)
        })?;
        report.trials_converted += usize::from(converted);
    }

    let starting: Vec<(i64, i64)> = subscription_packs::table
        .filter(subscription_packs::start_announced.eq(false))
        .filter(subscription_packs::starts_on.le(today))
        .select((subscription_packs::id, subscription_packs::customer_id))
        .load(conn)?;
    for (pack, customer) in starting {
        report.packs_started += announce(conn, pack, customer, Edge::Start, today, now)?;
    }
    let ending_packs: Vec<(i64, i64)> = subscription_packs::table
        .filter(subscription_packs::end_announced.eq(false))
        .filter(subscription_packs::ends_on.le(today))
        .select((subscription_packs::id, subscription_packs::customer_id))
        .load(conn)?;
    for (pack, customer) in ending_packs {
        report.packs_ended += announce(conn, pack, customer, Edge::End, today, now)?;
    }
    Ok(report)
}

#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

/// Flips the pack's flag and writes the event, once (the flag update is the guard).
fn announce(
    conn: &mut PgConnection,
    pack: i64,
    customer: i64,
    edge: Edge,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, SubscriptionError> {
    conn.transaction(|conn| {
        crate::db::locks::lock_customer(conn, customer)?;
        let row = subscription_packs::table.find(pack);
        let (changed, kind) = match edge {
            Edge::Start => (
                diesel::update(row.filter(subscription_packs::start_announced.eq(false)))
                    .set(subscription_packs::start_announced.eq(true))
                    .execute(conn)?,
                "pack_started",
            ),
            Edge::End => (
                diesel::update(row.filter(subscription_packs::end_announced.eq(false)))
                    .set(subscription_packs::end_announced.eq(true))
                    .execute(conn)?,
                "pack_removed",
            ),
        };
        if changed == 1 {
            provisioning::record(
                conn,
                CustomerId(customer),
                kind,
                today,
                serde_json::json!({ "pack": pack }),
                now,
            )?;
        }
        Ok(changed)
    })
}
