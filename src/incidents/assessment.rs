//! What compensation works with: the resolved incident's facts and what one subscription
//! gets for it. Apart from the computing, so the email and the letter read them too.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::Texts;
use super::alternatives::Alternatives;

/// What one subscription gets (or would get) for an incident.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub subscription_id: i64,
    pub customer_id: i64,
    pub currency: String,
    pub downtime_seconds: i64,
    pub percent: Decimal,
    pub amount: Decimal,
    pub reason: &'static str,
    /// `credit`, `storage`, `free_month` or `donation`; `None` while the customer may still
    /// choose.
    pub option: Option<&'static str>,
    /// What a free month is worth to this subscription (one month's gross price of its plan),
    /// when the incident offers one and it is worth at least `amount`.
    pub free_month: Option<Decimal>,
    /// What each month the incident touched contributed to `amount` (`2026-12` -> amount).
    pub by_month: BTreeMap<String, Decimal>,
}

impl Assessment {
    /// What the grant books: the free month's price when that was chosen, else the amount the
    /// policy grants.
    pub fn granted(&self) -> Decimal {
        match (self.option, self.free_month) {
            (Some("free_month"), Some(month)) => month,
            _ => self.amount,
        }
    }
}

/// The incident's facts compensation needs.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: i64,
    pub title: Texts,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub choice_deadline: Option<DateTime<Utc>>,
    pub alternatives: Alternatives,
}
