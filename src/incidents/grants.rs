//! What customers were granted and chose, as their pages and letters show it.

use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use super::IncidentError;

/// A grant as the customer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct GrantRow {
    pub incident_id: i64,
    pub currency: String,
    pub amount: Decimal,
    pub downtime_seconds: i64,
    pub percent: Decimal,
    pub reason: String,
    pub option: String,
}

/// Every grant of one customer, newest first.
pub fn grants_of(conn: &mut PgConnection, customer: i64) -> Result<Vec<GrantRow>, IncidentError> {
    use crate::db::schema::compensation_grants as g;
    let rows: Vec<(i64, String, Decimal, i64, Decimal, String, String)> = g::table
        .filter(g::customer_id.eq(customer))
        .order(g::id.desc())
        .select((
            g::incident_id,
            g::currency,
            g::amount,
            g::downtime_seconds,
            g::percent,
            g::reason,
            g::option,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| GrantRow {
            incident_id: r.0,
            currency: r.1.trim().to_owned(),
            amount: r.2,
            downtime_seconds: r.3,
            percent: r.4,
            reason: r.5,
            option: r.6,
        })
        .collect())
}

/// The customer's choices: (incident, option).
pub fn choices_of(conn: &mut PgConnection, customer: i64) -> Result<Vec<(i64, String)>, IncidentError> {
    use crate::db::schema::compensation_choices as c;
    Ok(c::table
        .filter(c::customer_id.eq(customer))
        .select((c::incident_id, c::option))
        .distinct()
        .load(conn)?)
}
