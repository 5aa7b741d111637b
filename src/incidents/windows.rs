//! Each customer's own affected window: the stretch of an incident during which one of their
//! subscriptions was placed on an affected resource (a move mid-incident ends it early, a
//! placement during it starts it late).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz};

use super::IncidentError;

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Window {
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = Text)]
    pub resource: String,
    #[diesel(sql_type = Timestamptz)]
    pub from: DateTime<Utc>,
    /// `None` while the incident goes on and the customer is still there.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub until: Option<DateTime<Utc>>,
}

/// The windows of `customers` (all affected ones when `None`) in one incident, by customer,
/// each in time order. Several subscriptions on the same resource at the same time are one
/// window.
pub fn of_incident(
    conn: &mut PgConnection,
    incident: i64,
    customers: Option<&[i64]>,
) -> Result<BTreeMap<i64, Vec<Window>>, IncidentError> {
    let rows: Vec<Window> = diesel::sql_query(
        "SELECT DISTINCT p.customer_id, r.code AS resource,
                greatest(p.placed_from, i.started_at) AS \"from\",
                nullif(least(coalesce(p.placed_until, 'infinity'), coalesce(i.ended_at, 'infinity')), 'infinity') AS until
           FROM incidents i
           JOIN incident_resources ir ON ir.incident_id = i.id
           JOIN resources r ON r.id = ir.resource_id
           JOIN placements p ON p.resource_id = ir.resource_id
                            AND p.placed_from < coalesce(i.ended_at, 'infinity')
                            AND coalesce(p.placed_until, 'infinity') > i.started_at
          WHERE i.id = $1 AND ($2::bigint[] IS NULL OR p.customer_id = ANY ($2))
          ORDER BY p.customer_id, 3, r.code",
    )
    .bind::<BigInt, _>(incident)
    .bind::<Nullable<Array<BigInt>>, _>(customers)
    .load(conn)?;
    let mut by_customer: BTreeMap<i64, Vec<Window>> = BTreeMap::new();
    for window in rows {
        by_customer.entry(window.customer_id).or_default().push(window);
    }
    Ok(by_customer)
}
