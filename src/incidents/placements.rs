//! Where subscriptions live: platform resources (mail clusters, storage systems, web servers)
//! and placements with a time range. A move closes one placement and opens another, so the
//! history needed to compute downtime is kept.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::IncidentError;
use crate::db::schema::{placements, resources};

/// Finds or creates a resource.
pub fn ensure_resource(conn: &mut PgConnection, code: &str, service: &str) -> Result<i64, IncidentError> {
    if !super::incident::RESOURCE_SERVICES.contains(&service) {
        return Err(IncidentError::Invalid(format!("service {service:?}")));
    }
    diesel::insert_into(resources::table)
        .values((resources::code.eq(code), resources::service.eq(service)))
        .on_conflict(resources::code)
        .do_nothing()
        .execute(conn)
        .map_err(|e| match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::CheckViolation, _) => {
                IncidentError::Invalid(format!("resource code {code:?}"))
            }
            other => other.into(),
        })?;
    Ok(resources::table.filter(resources::code.eq(code)).select(resources::id).first(conn)?)
}

/// What placing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placed {
    /// Already recorded: a repeated report.
    Unchanged,
    /// The first placement on this service.
    Placed,
    /// A move: the placement on another resource of the service ended then.
    Moved,
}

impl Placed {
    pub fn as_str(self) -> &'static str {
        match self {
            Placed::Unchanged => "unchanged",
            Placed::Placed => "placed",
            Placed::Moved => "moved",
        }
    }
}

/// Places a subscription on a resource from `from` (its service's current placement, if any,
/// ends then: a move). The same placement reported again changes nothing; a move older than
/// the current placement is refused, as history is only appended to.
pub fn place(
    conn: &mut PgConnection,
    subscription: i64,
    customer: i64,
    resource_code: &str,
    from: DateTime<Utc>,
) -> Result<Placed, IncidentError> {
    let (resource, service): (i64, String) = resources::table
        .filter(resources::code.eq(resource_code))
        .select((resources::id, resources::service))
        .first(conn)
        .optional()?
        .ok_or_else(|| IncidentError::UnknownResource(resource_code.to_owned()))?;
    let same_service: Vec<i64> =
        resources::table.filter(resources::service.eq(&service)).select(resources::id).load(conn)?;
    let open: Vec<(i64, i64, DateTime<Utc>)> = placements::table
        .filter(placements::subscription_id.eq(subscription))
        .filter(placements::placed_until.is_null())
        .filter(placements::resource_id.eq_any(&same_service))
        .select((placements::id, placements::resource_id, placements::placed_from))
        .for_update()
        .load(conn)?;
    let recorded: bool = diesel::select(diesel::dsl::exists(
        placements::table
            .filter(placements::subscription_id.eq(subscription))
            .filter(placements::resource_id.eq(resource))
            .filter(placements::placed_from.eq(from)),
    ))
    .get_result(conn)?;
    if recorded {
        return Ok(Placed::Unchanged);
    }
    let mut moved = false;
    for (id, current, placed_from) in open {
        if current == resource {
            return Ok(Placed::Unchanged);
        }
        if from <= placed_from {
            return Err(IncidentError::PlacementOrder);
        }
        diesel::update(placements::table.find(id)).set(placements::placed_until.eq(from)).execute(conn)?;
        moved = true;
    }
    let inserted = diesel::insert_into(placements::table)
        .values((
            placements::subscription_id.eq(subscription),
            placements::customer_id.eq(customer),
            placements::resource_id.eq(resource),
            placements::placed_from.eq(from),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(match (inserted, moved) {
        (0, _) => Placed::Unchanged,
        (_, true) => Placed::Moved,
        (_, false) => Placed::Placed,
    })
}

/// The resources a customer is on now.
pub fn current_resources(
    conn: &mut PgConnection,
    customer: i64,
) -> Result<Vec<(i64, String)>, IncidentError> {
    Ok(placements::table
        .inner_join(resources::table)
        .filter(placements::customer_id.eq(customer))
        .order(resources::code)
        .select((resources::id, resources::code))
        .distinct()
        .load(conn)?)
}

/// The demo platform: two mail clusters, two storage systems, two web servers.
pub const DEMO_RESOURCES: [(&str, &str); 6] = [
    ("nmail5", "mail"),
    ("nmail6", "mail"),
    ("fs19", "storage"),
    ("fs20", "storage"),
    ("s639", "web"),
    ("s640", "web"),
];

/// Spreads every subscription without a placement over the demo resources (one of each
/// service, by subscription id), set-based so it is quick for many customers.
pub fn spread_unplaced(conn: &mut PgConnection) -> Result<usize, IncidentError> {
    for (code, service) in DEMO_RESOURCES {
        ensure_resource(conn, code, service)?;
    }
    let placed = diesel::sql_query(
        "INSERT INTO placements (subscription_id, customer_id, resource_id, placed_from)
         SELECT s.id, s.customer_id, r.id, s.created_at
           FROM subscriptions s
           JOIN resources r ON r.code = ANY (ARRAY[
                CASE WHEN s.id % 2 = 0 THEN 'nmail5' ELSE 'nmail6' END,
                CASE WHEN s.id % 3 = 0 THEN 'fs20' ELSE 'fs19' END,
                CASE WHEN s.id % 5 = 0 THEN 's640' ELSE 's639' END])
          WHERE NOT EXISTS (SELECT 1 FROM placements p WHERE p.subscription_id = s.id)",
    )
    .execute(conn)?;
    Ok(placed)
}
