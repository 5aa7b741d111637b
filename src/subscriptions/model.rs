//! Subscriptions and their packs as stored.

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;

use super::SubscriptionError;
use super::period::{BillingPeriod, period_containing};
use crate::db::schema::{invoices, subscription_packs, subscriptions};
use crate::ids::CustomerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Trial,
    Active,
    Ended,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub customer_id: CustomerId,
    pub plan_code: String,
    pub currency: Currency,
    /// Periods start on this day of each month (falling back to the month's last day).
    pub anchor: NaiveDate,
    pub status: Status,
    pub trial_ends_on: Option<NaiveDate>,
    pub cancel_on: Option<NaiveDate>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
struct Row {
    id: i64,
    customer_id: i64,
    plan_code: String,
    currency: String,
    anchor_date: NaiveDate,
    status: String,
    trial_ends_on: Option<NaiveDate>,
    cancel_on: Option<NaiveDate>,
}

impl TryFrom<Row> for Subscription {
    type Error = SubscriptionError;

    fn try_from(row: Row) -> Result<Subscription, SubscriptionError> {
        let status = match row.status.as_str() {
            "trial" => Status::Trial,
            "active" => Status::Active,
            "ended" => Status::Ended,
            other => return Err(SubscriptionError::Corrupt(format!("status {other:?}"))),
        };
        Ok(Subscription {
            id: row.id,
            customer_id: CustomerId(row.customer_id),
            currency: Currency::from_code(row.currency.trim())
                .ok_or_else(|| SubscriptionError::Corrupt(format!("currency {:?}", row.currency)))?,
            plan_code: row.plan_code,
            anchor: row.anchor_date,
            status,
            trial_ends_on: row.trial_ends_on,
            cancel_on: row.cancel_on,
        })
    }
}

impl Subscription {
    /// The customer's subscription that has not ended, locked for this transaction when
    /// `lock` (changes to one subscription happen one after the other). Locking takes the
    /// customer's lock first (the order of `db::locks`), which the invoice batch holds while
    /// it composes and issues: a change and the batch never interleave.
    pub fn live_of(
        conn: &mut PgConnection,
        customer: CustomerId,
        lock: bool,
    ) -> Result<Option<Subscription>, SubscriptionError> {
        if lock {
            crate::db::locks::lock_customer(conn, customer.0)?;
        }
        let query = subscriptions::table
            .filter(subscriptions::customer_id.eq(customer.0))
            .filter(subscriptions::status.ne("ended"))
            .select(Row::as_select());
        let row =
            if lock { query.for_update().first(conn).optional()? } else { query.first(conn).optional()? };
        row.map(Subscription::try_from).transpose()
    }

    pub fn period_on(&self, date: NaiveDate) -> BillingPeriod {
        period_containing(self.anchor, date)
    }

    pub fn in_trial_on(&self, date: NaiveDate) -> bool {
        self.status == Status::Trial && self.trial_ends_on.is_some_and(|end| date < end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = subscription_packs)]
pub struct Pack {
    pub id: i64,
    pub plan_code: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// The compensation grant a complimentary pack was given for (never billed).
    pub grant_id: Option<i64>,
}

impl Pack {
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.starts_on <= date && self.ends_on.is_none_or(|end| date < end)
    }

    /// Packs that are or will be in force (not yet ended) on `date`, oldest first.
    pub fn current(
        conn: &mut PgConnection,
        subscription: i64,
        date: NaiveDate,
    ) -> Result<Vec<Pack>, SubscriptionError> {
        Ok(subscription_packs::table
            .filter(subscription_packs::subscription_id.eq(subscription))
            .filter(subscription_packs::ends_on.is_null().or(subscription_packs::ends_on.gt(date)))
            .order(subscription_packs::id)
            .select(Pack::as_select())
            .load(conn)?)
    }
}

/// The end of the last period invoiced for a subscription, if any.
pub(crate) fn billed_until(
    conn: &mut PgConnection,
    subscription: i64,
) -> Result<Option<NaiveDate>, SubscriptionError> {
    Ok(invoices::table
        .filter(invoices::subscription_id.eq(subscription))
        .filter(invoices::kind.eq("invoice"))
        .select(diesel::dsl::max(invoices::service_until))
        .first::<Option<NaiveDate>>(conn)?)
}
