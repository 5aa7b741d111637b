//! The catalog: plans (the mailbox) and storage packs, with monthly prices per currency that
//! apply from a date. Prices are never edited; a new price applies from the first billing
//! period starting on or after its date, so it never touches a period already under way,
//! let alone an issued invoice.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::audit;
use crate::db::schema::{plans, prices, products};
use crate::ids::UserId;
use crate::money::Money;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("unknown plan {0:?}")]
    UnknownPlan(String),
    #[error("no {currency} price for {plan} on {date}")]
    NoPrice { plan: String, currency: String, date: NaiveDate },
    #[error("a new price must start in the future")]
    PriceNotInFuture,
    #[error("a price must be a non-negative amount in whole minor units")]
    BadAmount,
    #[error("a price for this plan, currency and date exists already")]
    DuplicatePrice,
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl CatalogError {
    pub fn message_id(&self) -> &'static str {
        match self {
            CatalogError::UnknownPlan(_) => "catalog-unknown-plan",
            CatalogError::NoPrice { .. } => "catalog-no-price",
            CatalogError::PriceNotInFuture => "catalog-price-not-in-future",
            CatalogError::BadAmount => "money-not-rounded",
            CatalogError::DuplicatePrice => "catalog-duplicate-price",
            CatalogError::Audit(_) | CatalogError::Database(_) => "error-internal",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// Space in the mailbox.
    Mail,
    /// Online storage (files).
    Files,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    pub code: String,
    pub is_base: bool,
    pub storage: Storage,
    pub storage_gb: i32,
}

impl Plan {
    /// The Fluent message id of the plan's name (`plan-mail-pack-50gb`).
    pub fn name_id(&self) -> String {
        format!("plan-{}", self.code.replace('_', "-"))
    }
}

type PlanRow = (String, String, String, i32);

fn plan_of((code, kind, product_kind, storage_gb): PlanRow) -> Plan {
    Plan {
        code,
        is_base: kind == "base",
        storage: if product_kind == "mail" { Storage::Mail } else { Storage::Files },
        storage_gb,
    }
}

fn plan_query() -> diesel::dsl::Select<
    diesel::dsl::InnerJoin<plans::table, products::table>,
    (plans::code, plans::kind, products::kind, plans::storage_gb),
> {
    plans::table.inner_join(products::table).select((
        plans::code,
        plans::kind,
        products::kind,
        plans::storage_gb,
    ))
}

pub fn plan(conn: &mut PgConnection, code: &str) -> Result<Plan, CatalogError> {
    plan_query()
        .filter(plans::code.eq(code))
        .first::<PlanRow>(conn)
        .optional()?
        .map(plan_of)
        .ok_or_else(|| CatalogError::UnknownPlan(code.to_owned()))
}

/// The storage packs on sale, mail first, smallest first.
pub fn packs(conn: &mut PgConnection) -> Result<Vec<Plan>, CatalogError> {
    Ok(plan_query()
        .filter(plans::kind.eq("pack"))
        .filter(plans::available.eq(true))
        .order(plans::sort_order)
        .load::<PlanRow>(conn)?
        .into_iter()
        .map(plan_of)
        .collect())
}

/// The monthly price of `plan` in `currency` for a period that starts on `date`.
pub fn price_on(
    conn: &mut PgConnection,
    plan: &str,
    currency: Currency,
    date: NaiveDate,
) -> Result<Money, CatalogError> {
    let amount: Option<Decimal> = prices::table
        .filter(prices::plan_code.eq(plan))
        .filter(prices::currency.eq(currency.code()))
        .filter(prices::valid_from.le(date))
        .order(prices::valid_from.desc())
        .select(prices::monthly_amount)
        .first(conn)
        .optional()?;
    amount.map(|a| Money::new(a, currency)).ok_or_else(|| CatalogError::NoPrice {
        plan: plan.to_owned(),
        currency: currency.code().to_owned(),
        date,
    })
}

/// Adds a price that applies from `valid_from`, which must lie after `today`.
pub fn add_price(
    conn: &mut PgConnection,
    plan_code: &str,
    amount: Money,
    valid_from: NaiveDate,
    today: NaiveDate,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    plan(conn, plan_code)?;
    if valid_from <= today {
        return Err(CatalogError::PriceNotInFuture);
    }
    // A free plan is the free month's business, not a price; a price above 10,000 a month
    // is a typo in any of our currencies.
    if !amount.is_positive() || amount.amount() > rust_decimal::Decimal::from(10_000) || !amount.is_rounded()
    {
        return Err(CatalogError::BadAmount);
    }
    let inserted = diesel::insert_into(prices::table)
        .values((
            prices::plan_code.eq(plan_code),
            prices::currency.eq(amount.currency().code()),
            prices::monthly_amount.eq(amount.amount()),
            prices::valid_from.eq(valid_from),
            prices::created_at.eq(now),
            prices::created_by.eq(actor.map(|u| u.0)),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if inserted == 0 {
        return Err(CatalogError::DuplicatePrice);
    }
    audit::record(
        conn,
        &audit::AuditEvent::new("catalog.price_added", actor, if actor.is_some() { "web" } else { "cli" })
            .target(format!("plan:{plan_code}"))
            .details(serde_json::json!({
                "currency": amount.currency().code(),
                "amount": amount.amount().to_string(),
                "valid_from": valid_from,
            })),
    )?;
    Ok(())
}

/// Every plan with every price, for `kontor catalog list`.
pub fn listing(conn: &mut PgConnection) -> Result<String, CatalogError> {
    let mut out = String::new();
    for row in prices(conn)? {
        out.push_str(&format!(
            "{:<22} {:>14}  from {}\n",
            row.plan_code,
            row.amount.to_string(),
            row.valid_from
        ));
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    pub plan_code: String,
    pub amount: Money,
    pub valid_from: NaiveDate,
}

/// Every price of every plan, in catalog order.
pub fn prices(conn: &mut PgConnection) -> Result<Vec<PriceRow>, CatalogError> {
    let rows: Vec<(String, String, Decimal, NaiveDate)> = prices::table
        .inner_join(plans::table)
        .order((plans::sort_order, prices::currency, prices::valid_from))
        .select((prices::plan_code, prices::currency, prices::monthly_amount, prices::valid_from))
        .load(conn)?;
    rows.into_iter()
        .map(|(plan_code, currency, amount, valid_from)| {
            let currency = Currency::from_code(currency.trim()).ok_or(CatalogError::BadAmount)?;
            Ok(PriceRow { plan_code, amount: Money::new(amount, currency), valid_from })
        })
        .collect()
}
