//! Changing a running subscription: storage packs added at once and charged pro rata;
//! packs removed or switched to smaller ones at the period's end; cancellation at the
//! period's end, and reactivation before then. No refunds for the running period.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::model::{Pack, Subscription};
use super::proration::prorate;
use super::{Billing, SubscriptionError, provisioning};
use crate::audit;
use crate::catalog::{self, Plan};
use crate::country::{Country, VatId};
use crate::db::schema::{customers, pending_charges, subscription_packs, subscriptions};
use crate::ids::{CustomerId, UserId};
use crate::money::Money;
use crate::tax::{self, Buyer};

/// What a change costs, as the customer will be invoiced: the prorated net amount, VAT at
/// the customer's rate, and the total.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quote {
    pub plan: Plan,
    pub monthly_net: Money,
    pub net: Money,
    pub vat_rate: Decimal,
    pub vat: Money,
    pub gross: Money,
    /// A legal note for the invoice (reverse charge, outside the EU), as a Fluent id.
    pub vat_note: Option<&'static str>,
    pub effective: NaiveDate,
    /// The first day after what `net` pays for (exclusive, like every period's end).
    pub period_end: NaiveDate,
    /// During the free month a pack is free too: billed from this day, the first paid one.
    pub free_until: Option<NaiveDate>,
    /// The pack added, once it is (a preview has none).
    pub pack: Option<i64>,
}

/// Who changes which customer's subscription, from where, when.
#[derive(Debug, Clone, Copy)]
pub struct ChangeRequest<'a> {
    pub billing: &'a Billing,
    pub customer: CustomerId,
    pub actor: UserId,
    pub ip: &'a str,
    pub now: DateTime<Utc>,
}

/// A price for part of a period, before VAT.
struct Priced {
    monthly: Money,
    net: Money,
    effective: NaiveDate,
    period_end: NaiveDate,
    free_until: Option<NaiveDate>,
}

/// The VAT rate (percent) and note for this customer on `date`.
pub fn vat_for(
    conn: &mut PgConnection,
    billing: &Billing,
    customer: CustomerId,
    date: NaiveDate,
) -> Result<(Decimal, Option<&'static str>), SubscriptionError> {
    use crate::tax::vies::vat_id_confirmed;
    let (country, vat_id, vies_valid): (String, Option<String>, bool) = customers::table
        .find(customer.0)
        .select((customers::country, customers::vat_id, vat_id_confirmed(customers::id, customers::vat_id)))
        .first(conn)?;
    let country = Country::parse(&country).map_err(|_| SubscriptionError::Corrupt(country.clone()))?;
    let vat_id = vat_id.and_then(|v| VatId::try_from(v).ok());
    let buyer = Buyer { country, vat_id: vat_id.as_ref(), vies_valid };
    let treatment = tax::treatment(&billing.seller, &buyer, date)?;
    Ok((treatment.rate(), treatment.note_message_id()))
}

fn quote_for(
    conn: &mut PgConnection,
    billing: &Billing,
    customer: CustomerId,
    plan: Plan,
    priced: Priced,
) -> Result<Quote, SubscriptionError> {
    let (vat_rate, vat_note) = vat_for(conn, billing, customer, priced.effective)?;
    let vat = tax::vat_amount(priced.net, vat_rate)?;
    Ok(Quote {
        plan,
        monthly_net: priced.monthly,
        net: priced.net,
        vat_rate,
        vat,
        gross: priced.net.checked_add(vat)?,
        vat_note,
        effective: priced.effective,
        period_end: priced.period_end,
        free_until: priced.free_until,
        pack: None,
    })
}

fn live(
    conn: &mut PgConnection,
    customer: CustomerId,
    lock: bool,
) -> Result<Subscription, SubscriptionError> {
    Subscription::live_of(conn, customer, lock)?.ok_or(SubscriptionError::NoSubscription)
}

/// The live subscription for a change of packs: refused from the day its cancellation takes
/// effect (before `advance` has marked it ended), so nothing is added or charged past its end.
fn running(
    conn: &mut PgConnection,
    customer: CustomerId,
    lock: bool,
    today: NaiveDate,
) -> Result<Subscription, SubscriptionError> {
    let subscription = live(conn, customer, lock)?;
    if subscription.cancel_on.is_some_and(|end| end <= today) {
        return Err(SubscriptionError::Ended);
    }
    Ok(subscription)
}

/// The price of adding `plan_code` today: the rest of the current period, pro rata.
pub fn quote_pack(
    conn: &mut PgConnection,
    billing: &Billing,
    customer: CustomerId,
    plan_code: &str,
    now: DateTime<Utc>,
) -> Result<Quote, SubscriptionError> {
    let today = billing.today(now);
    let subscription = running(conn, customer, false, today)?;
    let plan = catalog::plan(conn, plan_code)?;
    if plan.is_base {
        return Err(SubscriptionError::UnknownPack);
    }
    let period = subscription.period_on(today);
    let monthly = catalog::price_on(conn, plan_code, subscription.currency, period.start)?;
    // The free month is free, packs included: a pack added in it is billed from the first
    // paid period, with the mailbox.
    let free_until = subscription.trial_ends_on.filter(|end| today < *end);
    let mut net = match free_until {
        Some(_) => Money::zero(subscription.currency),
        None => prorate(monthly, &period, today)?,
    };
    // Periods already invoiced in advance are charged in full: the pack is in them too.
    let billed_until = billed_until(conn, &subscription)?;
    let mut covered = period;
    while billed_until.is_some_and(|until| covered.end < until) {
        covered = covered.next(subscription.anchor);
        net = net.checked_add(catalog::price_on(conn, plan_code, subscription.currency, covered.start)?)?;
    }
    quote_for(
        conn,
        billing,
        customer,
        plan,
        Priced { monthly, net, effective: today, period_end: covered.end, free_until },
    )
}

/// The end of the last period invoiced (in advance) for this subscription, if any.
fn billed_until(
    conn: &mut PgConnection,
    subscription: &Subscription,
) -> Result<Option<NaiveDate>, SubscriptionError> {
    super::model::billed_until(conn, subscription.id)
}

/// When something stopped now takes effect: the end of the running period, or of the last
/// period already invoiced in advance, which the customer has paid for and keeps.
fn stop_date(
    conn: &mut PgConnection,
    subscription: &Subscription,
    today: NaiveDate,
) -> Result<NaiveDate, SubscriptionError> {
    let end = subscription.period_on(today).end;
    Ok(billed_until(conn, subscription)?.map_or(end, |until| until.max(end)))
}

/// Adds a pack now; the rest of the period becomes a pending charge for the next invoice.
pub fn add_pack(
    conn: &mut PgConnection,
    req: &ChangeRequest<'_>,
    plan_code: &str,
) -> Result<Quote, SubscriptionError> {
    let ChangeRequest { billing, customer, actor, ip, now } = *req;
    let subscription = running(conn, customer, true, billing.today(now))?;
    let quote = quote_pack(conn, billing, customer, plan_code, now)?;
    let today = quote.effective;
    let pack: i64 = diesel::insert_into(subscription_packs::table)
        .values((
            subscription_packs::subscription_id.eq(subscription.id),
            subscription_packs::customer_id.eq(customer.0),
            subscription_packs::plan_code.eq(plan_code),
            subscription_packs::starts_on.eq(today),
            subscription_packs::start_announced.eq(true),
            subscription_packs::created_at.eq(now),
        ))
        .returning(subscription_packs::id)
        .get_result(conn)?;
    charge(
        conn,
        &subscription,
        pack,
        plan_code,
        &format!("pack:{pack}:first"),
        today,
        quote.period_end,
        quote.net,
        now,
    )?;
    provisioning::record(
        conn,
        customer,
        "pack_added",
        today,
        serde_json::json!({ "pack": pack, "plan": plan_code }),
        now,
    )?;
    audit::record(
        conn,
        &audit::AuditEvent::new("subscription.pack_added", Some(actor), ip)
            .target(format!("pack:{pack}"))
            .details(serde_json::json!({ "plan": plan_code, "net": quote.net.amount().to_string() })),
    )?;
    Ok(Quote { pack: Some(pack), ..quote })
}

#[allow(clippy::too_many_arguments)]
fn charge(
    conn: &mut PgConnection,
    subscription: &Subscription,
    pack: i64,
    plan_code: &str,
    key: &str,
    from: NaiveDate,
    until: NaiveDate,
    net: Money,
    now: DateTime<Utc>,
) -> Result<(), SubscriptionError> {
    if net.is_zero() {
        return Ok(());
    }
    diesel::insert_into(pending_charges::table)
        .values((
            pending_charges::idempotency_key.eq(key),
            pending_charges::customer_id.eq(subscription.customer_id.0),
            pending_charges::subscription_id.eq(subscription.id),
            pending_charges::pack_id.eq(pack),
            pending_charges::plan_code.eq(plan_code),
            pending_charges::service_from.eq(from),
            pending_charges::service_until.eq(until),
            pending_charges::currency.eq(net.currency().code()),
            pending_charges::net_amount.eq(net.amount()),
            pending_charges::created_at.eq(now),
        ))
        .on_conflict(pending_charges::idempotency_key)
        .do_nothing()
        .execute(conn)?;
    Ok(())
}

fn own_pack(
    conn: &mut PgConnection,
    subscription: &Subscription,
    pack_id: i64,
    today: NaiveDate,
) -> Result<Pack, SubscriptionError> {
    Pack::current(conn, subscription.id, today)?
        .into_iter()
        // A complimentary pack (outage compensation) ends by itself and cannot be changed.
        .find(|p| p.id == pack_id && p.grant_id.is_none())
        .ok_or(SubscriptionError::UnknownPack)
}

/// Removes a pack at the end of the current period (it stays usable until then).
pub fn remove_pack(
    conn: &mut PgConnection,
    req: &ChangeRequest<'_>,
    pack_id: i64,
) -> Result<NaiveDate, SubscriptionError> {
    let ChangeRequest { billing, customer, actor, ip, now } = *req;
    let today = billing.today(now);
    let subscription = running(conn, customer, true, today)?;
    let pack = own_pack(conn, &subscription, pack_id, today)?;
    let end = stop_date(conn, &subscription, today)?.max(pack.starts_on);
    if pack.ends_on.is_some_and(|e| e <= end) {
        return Err(SubscriptionError::AlreadyEnding);
    }
    diesel::update(subscription_packs::table.find(pack.id))
        .set(subscription_packs::ends_on.eq(end))
        .execute(conn)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("subscription.pack_removed", Some(actor), ip)
            .target(format!("pack:{}", pack.id))
            .details(serde_json::json!({ "effective": end })),
    )?;
    Ok(end)
}

/// Switches a pack to another one: a bigger (dearer) one is added at once and the old one
/// ends with the period; a smaller one replaces the old one from the next period.
pub fn switch_pack(
    conn: &mut PgConnection,
    req: &ChangeRequest<'_>,
    pack_id: i64,
    to_plan: &str,
) -> Result<NaiveDate, SubscriptionError> {
    let ChangeRequest { billing, customer, actor, ip, now } = *req;
    let today = billing.today(now);
    let subscription = running(conn, customer, true, today)?;
    let pack = own_pack(conn, &subscription, pack_id, today)?;
    let target = catalog::plan(conn, to_plan)?;
    let current = catalog::plan(conn, &pack.plan_code)?;
    if target.is_base || target.storage != current.storage || target.code == current.code {
        return Err(SubscriptionError::UnknownPack);
    }
    let period = subscription.period_on(today);
    let old_price = catalog::price_on(conn, &current.code, subscription.currency, period.start)?;
    let new_price = catalog::price_on(conn, &target.code, subscription.currency, period.start)?;
    if new_price.amount() > old_price.amount() {
        // A bigger pack is an upgrade: it is added at once (charged pro rata like any pack),
        // and the old one ends with the period (no refunds for the running period).
        add_pack(conn, req, &target.code)?;
        remove_pack(conn, req, pack.id)?;
        audit::record(
            conn,
            &audit::AuditEvent::new("subscription.pack_switched", Some(actor), ip)
                .target(format!("pack:{}", pack.id))
                .details(serde_json::json!({ "to": target.code, "effective": today })),
        )?;
        return Ok(today);
    }
    let effective = stop_date(conn, &subscription, today)?.max(pack.starts_on);
    diesel::update(subscription_packs::table.find(pack.id))
        .set(subscription_packs::ends_on.eq(effective))
        .execute(conn)?;
    diesel::insert_into(subscription_packs::table)
        .values((
            subscription_packs::subscription_id.eq(subscription.id),
            subscription_packs::customer_id.eq(customer.0),
            subscription_packs::plan_code.eq(&target.code),
            subscription_packs::starts_on.eq(effective),
            subscription_packs::created_at.eq(now),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("subscription.pack_switched", Some(actor), ip)
            .target(format!("pack:{}", pack.id))
            .details(serde_json::json!({ "to": target.code, "effective": effective })),
    )?;
    Ok(effective)
}

/// Cancels at the end of the current period (the free month's end during a trial).
pub fn cancel(conn: &mut PgConnection, req: &ChangeRequest<'_>) -> Result<NaiveDate, SubscriptionError> {
    let ChangeRequest { billing, customer, actor, ip, now } = *req;
    let subscription = live(conn, customer, true)?;
    let today = billing.today(now);
    // Its cancellation has taken effect: cancelling again must not move the end.
    if let Some(end) = subscription.cancel_on.filter(|end| *end <= today) {
        return Ok(end);
    }
    let end = stop_date(conn, &subscription, today)?;
    diesel::update(subscriptions::table.find(subscription.id))
        .set(subscriptions::cancel_on.eq(end))
        .execute(conn)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("subscription.cancelled", Some(actor), ip)
            .target(format!("subscription:{}", subscription.id))
            .details(serde_json::json!({ "effective": end })),
    )?;
    Ok(end)
}

/// Undoes a cancellation that has not taken effect yet.
pub fn reactivate(conn: &mut PgConnection, req: &ChangeRequest<'_>) -> Result<(), SubscriptionError> {
    let ChangeRequest { billing, customer, actor, ip, now } = *req;
    let subscription = live(conn, customer, true)?;
    let today = billing.today(now);
    if subscription.cancel_on.is_none_or(|end| end <= today) {
        return Err(SubscriptionError::NotCancelled);
    }
    diesel::update(subscriptions::table.find(subscription.id))
        .set(subscriptions::cancel_on.eq(None::<NaiveDate>))
        .execute(conn)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("subscription.reactivated", Some(actor), ip)
            .target(format!("subscription:{}", subscription.id)),
    )?;
    Ok(())
}
