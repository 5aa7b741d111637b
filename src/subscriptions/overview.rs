//! What the customer's dashboard shows: plan, storage, the free month's days left, packs, and
//! the next invoice with an estimate including VAT.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::changes::vat_for;
use super::model::billed_until;
use super::model::{Pack, Status, Subscription};
use super::period::BillingPeriod;
use super::prices::{Shown, Terms, terms_of};
use super::provisioning::{Entitlement, entitlement};
use super::{Billing, SubscriptionError};
use crate::catalog::{self, Plan};
use crate::db::schema::pending_charges;
use crate::ids::CustomerId;
use crate::money::Money;
use crate::tax;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackLine {
    pub id: i64,
    pub plan: Plan,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub monthly: Money,
    /// `monthly` as this customer pays it (gross for consumers, net plus VAT for businesses).
    pub shown: Shown,
    /// Given as outage compensation: free, never billed.
    pub complimentary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Estimate {
    pub net: Money,
    pub vat_rate: Decimal,
    pub vat: Money,
    pub gross: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Overview {
    pub status: Status,
    pub plan: Plan,
    pub base_monthly: Money,
    /// `base_monthly` as this customer pays it.
    pub base_shown: Shown,
    pub terms: Terms,
    pub entitlement: Entitlement,
    pub period: BillingPeriod,
    pub trial_days_left: Option<i64>,
    pub cancel_on: Option<NaiveDate>,
    /// Where a cancellation today would end the subscription (exclusive): the end of the
    /// running period, or of the last one already invoiced.
    pub ends_if_cancelled: NaiveDate,
    pub packs: Vec<PackLine>,
    pub next_invoice_on: Option<NaiveDate>,
    pub next_invoice: Option<Estimate>,
}

pub fn overview(
    conn: &mut PgConnection,
    billing: &Billing,
    customer: CustomerId,
    now: DateTime<Utc>,
) -> Result<Option<Overview>, SubscriptionError> {
    let Some(subscription) = Subscription::live_of(conn, customer, false)? else {
        return Ok(None);
    };
    let today = billing.today(now);
    let period = subscription.period_on(today);
    let plan = catalog::plan(conn, &subscription.plan_code)?;
    let base_monthly = catalog::price_on(conn, &plan.code, subscription.currency, period.start)?;
    let terms = terms_of(conn, billing, customer, today)?;
    let mut packs = Vec::new();
    for pack in Pack::current(conn, subscription.id, today)? {
        let pack_plan = catalog::plan(conn, &pack.plan_code)?;
        let monthly = if pack.grant_id.is_some() {
            Money::zero(subscription.currency)
        } else {
            catalog::price_on(conn, &pack.plan_code, subscription.currency, pack.starts_on.max(period.start))?
        };
        packs.push(PackLine {
            id: pack.id,
            plan: pack_plan,
            starts_on: pack.starts_on,
            ends_on: pack.ends_on,
            monthly,
            shown: terms.show(monthly)?,
            complimentary: pack.grant_id.is_some(),
        });
    }
    // The next invoice bills the first paid period not invoiced yet (in advance, on its first
    // day or the lead before it), plus what is pending.
    let first_paid = subscription.trial_ends_on.unwrap_or(subscription.anchor);
    let billed_until = billed_until(conn, subscription.id)?;
    let next = subscription.period_on(billed_until.unwrap_or(first_paid).max(first_paid));
    let next_start = next.start;
    // A live subscription has not ended; only its cancellation can come first.
    let ends_before_next = subscription.cancel_on.is_some_and(|end| end <= next_start);
    let mut net = Money::zero(subscription.currency);
    if !ends_before_next {
        net = net.checked_add(catalog::price_on(conn, &plan.code, subscription.currency, next_start)?)?;
        for pack in Pack::current(conn, subscription.id, next_start)?
            .iter()
            .filter(|p| p.grant_id.is_none() && p.starts_on <= next_start)
        {
            net = net.checked_add(catalog::price_on(
                conn,
                &pack.plan_code,
                subscription.currency,
                next_start,
            )?)?;
        }
    }
    let pending: Vec<Decimal> = pending_charges::table
        .filter(pending_charges::customer_id.eq(customer.0))
        .filter(pending_charges::invoiced_at.is_null())
        .select(pending_charges::net_amount)
        .load(conn)?;
    for amount in pending {
        net = net.checked_add(Money::new(amount, subscription.currency))?;
    }
    let next_invoice = if net.is_zero() {
        None
    } else {
        let (vat_rate, _) = vat_for(conn, billing, customer, next_start)?;
        let vat = tax::vat_amount(net, vat_rate)?;
        Some(Estimate { net, vat_rate, vat, gross: net.checked_add(vat)? })
    };
    Ok(Some(Overview {
        status: subscription.status,
        entitlement: entitlement(conn, customer, today)?,
        trial_days_left: subscription
            .trial_ends_on
            .filter(|_| subscription.status == Status::Trial)
            .map(|end| (end - today).num_days().max(0)),
        cancel_on: subscription.cancel_on,
        ends_if_cancelled: billed_until.map_or(period.end, |until| until.max(period.end)),
        next_invoice_on: next_invoice
            .as_ref()
            .map(|_| billing.invoice_day(next_start, first_paid).max(today)),
        next_invoice,
        plan,
        base_shown: terms.show(base_monthly)?,
        terms,
        base_monthly,
        period,
        packs,
    }))
}
