//! Pausing dunning for a customer (a dispute, hardship): no notice is sent until the end date,
//! with the reason kept and the action audited. A pause is a row, so a reload that submits the
//! same form again is stopped by the form's one-time key, not here.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::CollectionsError;
use crate::audit::Actor;
use crate::db::schema::{customers, dunning_pauses};

/// What a pause's reason may hold.
pub const MAX_REASON: usize = 500;

/// Pauses `customer`'s dunning until `until` (inclusive). In the caller's transaction.
pub fn pause(
    conn: &mut PgConnection,
    customer: i64,
    reason: &str,
    until: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, CollectionsError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CollectionsError::NoReason);
    }
    crate::text::check(reason, false, MAX_REASON).map_err(CollectionsError::BadReason)?;
    if until < today || until > today + chrono::Days::new(366) {
        return Err(CollectionsError::BadPauseEnd);
    }
    let known: Option<i64> = customers::table.find(customer).select(customers::id).first(conn).optional()?;
    if known.is_none() {
        return Err(CollectionsError::UnknownCustomer(customer));
    }
    let id: i64 = diesel::insert_into(dunning_pauses::table)
        .values((
            dunning_pauses::customer_id.eq(customer),
            dunning_pauses::reason.eq(reason),
            dunning_pauses::until.eq(until),
            dunning_pauses::created_by.eq(actor.user.map(|u| u.0)),
            dunning_pauses::created_at.eq(now),
        ))
        .returning(dunning_pauses::id)
        .get_result(conn)?;
    crate::audit::record(
        conn,
        &actor
            .event("dunning.paused")
            .target(format!("customer:{customer}"))
            .details(serde_json::json!({ "until": until, "reason": reason })),
    )
    .map_err(|e| CollectionsError::Corrupt(e.to_string()))?;
    Ok(id)
}

/// The day `customer`'s dunning is paused until, if it is paused on `today`.
pub fn paused_until(
    conn: &mut PgConnection,
    customer: i64,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, CollectionsError> {
    Ok(dunning_pauses::table
        .filter(dunning_pauses::customer_id.eq(customer))
        .filter(dunning_pauses::until.ge(today))
        .select(diesel::dsl::max(dunning_pauses::until))
        .first::<Option<NaiveDate>>(conn)?)
}
