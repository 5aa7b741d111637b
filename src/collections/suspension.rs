//! Suspension and reactivation. Suspending is a provisioning event (the platform blocks log-in
//! and sending and still accepts incoming mail) and an open row in `suspensions` (at most one
//! per customer, by a partial UNIQUE index). The moment no invoice for services is overdue any
//! more, the suspension is lifted with a provisioning event in the same transaction as what settled it: payments
//! call [`reactivate_if_settled`] where a receipt is allocated (this module never calls them).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric};
use rust_decimal::Decimal;

use super::CollectionsError;
use crate::db::schema::suspensions;
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::mail::templates::EmailContent;
use crate::site::Site;

pub const SUSPENDED: &str = "suspended";
pub const REACTIVATED: &str = "reactivated";

/// An open suspension as the portal's banner shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspended {
    pub since: DateTime<Utc>,
    /// What is open per currency.
    pub owed: Vec<crate::money::Money>,
}

/// Suspends `customer` for `invoice` unless already suspended; true when this call did.
pub fn suspend(
    conn: &mut PgConnection,
    customer: i64,
    invoice: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, CollectionsError> {
    crate::db::locks::lock_customer(conn, customer)?;
    let inserted = diesel::sql_query(
        "INSERT INTO suspensions (customer_id, invoice_id, suspended_at) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id) WHERE lifted_at IS NULL DO NOTHING",
    )
    .bind::<BigInt, _>(customer)
    .bind::<BigInt, _>(invoice)
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .execute(conn)?;
    if inserted == 0 {
        return Ok(false);
    }
    crate::subscriptions::provisioning::record(
        conn,
        CustomerId(customer),
        SUSPENDED,
        today,
        serde_json::json!({ "invoice_id": invoice, "blocks": ["login", "sending"], "accepts": ["incoming"] }),
        now,
    )?;
    Ok(true)
}

#[derive(QueryableByName)]
struct Owed {
    #[diesel(sql_type = diesel::sql_types::Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    open: Decimal,
}

/// What `customer` has open, per currency (zero currencies left out).
pub fn owed(conn: &mut PgConnection, customer: i64) -> Result<Vec<crate::money::Money>, CollectionsError> {
    let rows: Vec<Owed> = diesel::sql_query(
        "SELECT trim(currency) AS currency, sum(open_amount) AS open FROM invoice_balances
          WHERE customer_id = $1 AND open_amount > 0 GROUP BY currency ORDER BY currency",
    )
    .bind::<BigInt, _>(customer)
    .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let currency = iso_currency::Currency::from_code(&r.currency)
                .ok_or_else(|| CollectionsError::Corrupt(format!("currency {}", r.currency)))?;
            Ok(crate::money::Money::new(r.open, currency))
        })
        .collect()
}

/// Whether `customer` still has an invoice for services overdue on `today`. The fee and
/// interest invoices of notices do not keep an account suspended: they are claims of their own
/// (handed over at termination), and a payment of the services' invoices is what the
/// suspension asked for.
fn overdue_services(
    conn: &mut PgConnection,
    customer: i64,
    today: NaiveDate,
) -> Result<bool, CollectionsError> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        overdue: bool,
    }
    let found: Found = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM invoice_balances b
                         WHERE b.customer_id = $1 AND b.open_amount > 0 AND b.due_date < $2
                           AND NOT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.charge_invoice_id = b.invoice_id)) AS overdue",
    )
    .bind::<BigInt, _>(customer)
    .bind::<diesel::sql_types::Date, _>(today)
    .get_result(conn)?;
    Ok(found.overdue)
}

/// The open suspension of `customer`, if any, with what is owed.
pub fn suspended(conn: &mut PgConnection, customer: i64) -> Result<Option<Suspended>, CollectionsError> {
    let since: Option<DateTime<Utc>> = suspensions::table
        .filter(suspensions::customer_id.eq(customer))
        .filter(suspensions::lifted_at.is_null())
        .select(suspensions::suspended_at)
        .first(conn)
        .optional()?;
    match since {
        None => Ok(None),
        Some(since) => Ok(Some(Suspended { since, owed: owed(conn, customer)? })),
    }
}

/// Lifts `customer`'s suspension when nothing is left to pay, in the caller's transaction (the
/// one that booked the receipt or credit, named by `lifted_by`), and queues the "active again"
/// email in it too, so the customer hears of it exactly when it happens; true when it did.
pub fn reactivate_if_settled(
    conn: &mut PgConnection,
    site: &Site,
    customer: i64,
    lifted_by: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, CollectionsError> {
    let open: Option<i64> = suspensions::table
        .filter(suspensions::customer_id.eq(customer))
        .filter(suspensions::lifted_at.is_null())
        .select(suspensions::id)
        .first(conn)
        .optional()?;
    let Some(id) = open else { return Ok(false) };
    crate::db::locks::lock_customer(conn, customer)?;
    if overdue_services(conn, customer, today)? {
        return Ok(false);
    }
    let lifted = diesel::update(suspensions::table.find(id).filter(suspensions::lifted_at.is_null()))
        .set((suspensions::lifted_at.eq(now), suspensions::lifted_by.eq(lifted_by)))
        .execute(conn)?;
    if lifted == 0 {
        return Ok(false);
    }
    crate::subscriptions::provisioning::record(
        conn,
        CustomerId(customer),
        REACTIVATED,
        today,
        serde_json::json!({ "suspension_id": id, "settled_by": lifted_by }),
        now,
    )?;
    announce_reactivation(conn, site, customer, id)?;
    crate::failpoint::hit("reactivation-after-email");
    Ok(true)
}

/// Lifts every open suspension whose customer owes nothing any more (a credit note, a write-off
/// or anything else that settled it outside a receipt); returns how many.
pub fn reactivate_settled(
    conn: &mut PgConnection,
    site: &Site,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, CollectionsError> {
    let customers: Vec<i64> = suspensions::table
        .filter(suspensions::lifted_at.is_null())
        .select(suspensions::customer_id)
        .load(conn)?;
    let mut lifted = 0;
    for customer in customers {
        conn.transaction(|conn| {
            if reactivate_if_settled(conn, site, customer, "settled", today, now)? {
                lifted += 1;
            }
            Ok::<_, CollectionsError>(())
        })?;
    }
    Ok(lifted)
}

/// Queues "your account is active again" to `customer` for the lifted suspension `suspension`,
/// once (the outbox's key `reactivated:{id}`). Anonymized customers have no address left.
fn announce_reactivation(
    conn: &mut PgConnection,
    site: &Site,
    customer: i64,
    suspension: i64,
) -> Result<(), CollectionsError> {
    use crate::db::schema::customers;
    let to: Option<(String, String)> = customers::table
        .find(customer)
        .filter(customers::anonymized_at.is_null())
        .select((customers::email, customers::language))
        .first(conn)
        .optional()?;
    let Some((email, language)) = to else { return Ok(()) };
    let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
    let content = EmailContent {
        subject: "dunning-reactivated-subject",
        paragraphs: &["dunning-reactivated-body"],
        action: Some(("dunning-email-action", site.link("/account"))),
        args: vec![],
    };
    crate::mail::send(conn, site, &email, &lang, format!("reactivated:{suspension}"), &content)?;
    Ok(())
}
