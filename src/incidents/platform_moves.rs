//! Where the platform says customers live: rows of (customer or mailbox, resource, moved at),
//! from the placements API or the nightly CSV export, applied one by one so a bad row is
//! reported and the rest still count. A row already recorded changes nothing, so the same
//! request or file may come again.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::IncidentError;
use super::placements::{Placed, ensure_resource, place};
use crate::db::schema::{customers, resources, subscriptions};

/// Rows per request or file: a night's moves of a large platform, not an unbounded upload.
pub const MAX_ROWS: usize = 50_000;

/// One row as the platform sends it. `customer` is the customer number (`K000042`) and
/// `mailbox` the customer's address; one of them names who moved.
#[derive(Debug, Clone, Deserialize)]
pub struct MoveRow {
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub mailbox: Option<String>,
    pub resource: String,
    /// The resource's service (mail, storage, web): needed only for a resource Kontor does
    /// not know yet.
    #[serde(default)]
    pub service: Option<String>,
    pub moved_at: DateTime<Utc>,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcome {
    /// 1-based, in the order sent.
    pub row: usize,
    /// placed, moved, unchanged or refused.
    pub outcome: &'static str,
    /// The Fluent message id of why a row was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// The refusal in words (for whoever reads the platform's logs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The customer a row names: by number or by address.
fn customer_of(conn: &mut PgConnection, row: &MoveRow) -> Result<i64, IncidentError> {
    let unknown = || {
        IncidentError::UnknownCustomer(
            row.customer.clone().or_else(|| row.mailbox.clone()).unwrap_or_default(),
        )
    };
    let found: Option<i64> = match (row.customer.as_deref(), row.mailbox.as_deref()) {
        (Some(number), _) => {
            let digits = number.trim().trim_start_matches(['K', 'k']);
            let id: i64 = digits.parse().map_err(|_| unknown())?;
            customers::table.find(id).select(customers::id).first(conn).optional()?
        }
        (None, Some(mailbox)) => customers::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = lower(")
                    .bind::<diesel::sql_types::Text, _>(mailbox.trim())
                    .sql(")"),
            )
            .select(customers::id)
            .first(conn)
            .optional()?,
        (None, None) => return Err(IncidentError::Invalid("a row names a customer or a mailbox".to_owned())),
    };
    found.ok_or_else(unknown)
}

/// Applies one row to every subscription of its customer that had begun by then.
pub fn apply(conn: &mut PgConnection, row: &MoveRow) -> Result<Placed, IncidentError> {
    let customer = customer_of(conn, row)?;
    let resource = row.resource.trim();
    let known: bool =
        diesel::select(diesel::dsl::exists(resources::table.filter(resources::code.eq(resource))))
            .get_result(conn)?;
    if !known {
        match row.service.as_deref() {
            Some(service) => {
                ensure_resource(conn, resource, service.trim())?;
            }
            None => return Err(IncidentError::UnknownResource(resource.to_owned())),
        }
    }
    let subscriptions: Vec<i64> = subscriptions::table
        .filter(subscriptions::customer_id.eq(customer))
        .order(subscriptions::id)
        .select(subscriptions::id)
        .load(conn)?;
    if subscriptions.is_empty() {
        return Err(IncidentError::NoSubscription(customer));
    }
    let mut result = Placed::Unchanged;
    for subscription in subscriptions {
        result = result.max(place(conn, subscription, customer, resource, row.moved_at)?);
    }
    Ok(result)
}

/// Applies every row, each in a savepoint of its own: a refused row leaves no trace and does
/// not stop the others.
pub fn apply_all(
    conn: &mut PgConnection,
    rows: &[Result<MoveRow, String>],
) -> Result<Vec<RowOutcome>, IncidentError> {
    let mut outcomes = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let result = match row {
            Ok(row) => conn.transaction(|conn| apply(conn, row)),
            Err(detail) => Err(IncidentError::Invalid(detail.clone())),
        };
        let outcome = match result {
            Ok(placed) => RowOutcome { row: index + 1, outcome: placed.as_str(), error: None, detail: None },
            Err(e) if e.message_id() != "error-internal" => RowOutcome {
                row: index + 1,
                outcome: "refused",
                error: Some(e.message_id()),
                detail: Some(e.to_string()),
            },
            Err(e) => return Err(e),
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Reads the nightly export: a header line `customer,mailbox,resource,service,moved_at`
/// (columns may come in any order; customer or mailbox, and service, may be empty).
pub fn read_csv(reader: impl std::io::Read) -> Result<Vec<Result<MoveRow, String>>, IncidentError> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let mut rows = Vec::new();
    for record in csv.deserialize::<MoveRow>() {
        if rows.len() == MAX_ROWS {
            return Err(IncidentError::Invalid(format!("more than {MAX_ROWS} rows")));
        }
        rows.push(
            record
                .map(|mut row: MoveRow| {
                    // An empty column is no value.
                    row.customer = row.customer.filter(|c| !c.is_empty());
                    row.mailbox = row.mailbox.filter(|m| !m.is_empty());
                    row.service = row.service.filter(|s| !s.is_empty());
                    row
                })
                .map_err(|e| e.to_string()),
        );
    }
    Ok(rows)
}

/// One row of the API's JSON array, with a refusal that names the field at fault.
pub fn row_from_json(value: serde_json::Value) -> Result<MoveRow, String> {
    if let Some(moved_at) = value.get("moved_at").and_then(|m| m.as_str())
        && DateTime::parse_from_rfc3339(moved_at).is_err()
    {
        return Err(format!("moved_at {moved_at:?}: expected an RFC 3339 time such as 2026-11-03T15:00:00Z"));
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// A sign-up nobody has placed yet: the platform has not reported it.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Unplaced {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub email: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub subscription_id: i64,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// Subscriptions without any placement, oldest first, and how many there are in all.
pub fn unplaced(conn: &mut PgConnection, limit: i64) -> Result<(Vec<Unplaced>, i64), IncidentError> {
    const WHERE: &str = "FROM subscriptions s JOIN customers c ON c.id = s.customer_id
         WHERE c.closed_at IS NULL AND s.status <> 'ended'
           AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.subscription_id = s.id)";
    let rows = diesel::sql_query(format!(
        "SELECT c.id AS customer_id, c.email, s.id AS subscription_id, s.created_at {WHERE}
          ORDER BY s.created_at, s.id LIMIT $1"
    ))
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)?;
    let total: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!("SELECT count(*) {WHERE}"))
        .get_result(conn)?;
    Ok((rows, total))
}
