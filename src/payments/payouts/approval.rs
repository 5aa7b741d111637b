//! What finance sees of the payouts, and its approval: a second look before money leaves.
//! Approving books nothing; it lets the next payout export write the item into its file.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Numeric;
use rust_decimal::Decimal;

use super::PayoutError;
use crate::audit::{Actor, record};
use crate::db::schema::payouts as p;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = crate::db::schema::payouts)]
pub struct PayoutItem {
    pub id: i64,
    pub source: String,
    pub bank_transaction_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub creditor_name: String,
    pub iban: Option<String>,
    pub blocked_reason: Option<String>,
    pub amount: Decimal,
    pub currency: String,
    pub state: String,
    pub export_id: Option<i64>,
    pub return_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl PayoutItem {
    pub fn end_to_end_id(&self) -> String {
        super::end_to_end_id(self.id)
    }

    /// The day the payout was proposed, for the page.
    pub fn proposed_on(&self) -> NaiveDate {
        self.created_at.date_naive()
    }
}

/// The payouts in `states`, oldest first, at most `limit`.
pub fn list(conn: &mut PgConnection, states: &[&str], limit: i64) -> Result<Vec<PayoutItem>, PayoutError> {
    let items: Vec<PayoutItem> = p::table
        .filter(p::state.eq_any(states))
        .order(p::id)
        .limit(limit)
        .select(PayoutItem::as_select())
        .load(conn)?;
    Ok(trimmed(items))
}

/// The latest `limit` payouts in `states`, newest first (the page's history).
pub fn latest(conn: &mut PgConnection, states: &[&str], limit: i64) -> Result<Vec<PayoutItem>, PayoutError> {
    let items: Vec<PayoutItem> = p::table
        .filter(p::state.eq_any(states))
        .order(p::id.desc())
        .limit(limit)
        .select(PayoutItem::as_select())
        .load(conn)?;
    Ok(trimmed(items))
}

/// CHAR(3) comes padded.
fn trimmed(items: Vec<PayoutItem>) -> Vec<PayoutItem> {
    items.into_iter().map(|i| PayoutItem { currency: i.currency.trim().to_owned(), ..i }).collect()
}

fn lock(conn: &mut PgConnection, id: i64) -> Result<PayoutItem, PayoutError> {
    p::table
        .find(id)
        .select(PayoutItem::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(PayoutError::Unknown(id))
}

#[derive(QueryableByName)]
struct Credit {
    #[diesel(sql_type = Numeric)]
    credit: Decimal,
}

/// What the customer's credit account holds now (a credit balance is a negative sum).
pub(super) fn credit_of(
    conn: &mut PgConnection,
    customer: i64,
    currency: &str,
) -> Result<Decimal, PayoutError> {
    let row: Credit = diesel::sql_query(
        "SELECT -COALESCE(sum(p.amount), 0) AS credit FROM ledger_accounts a JOIN postings p ON p.account_id = a.id
          WHERE a.code = $1",
    )
    .bind::<diesel::sql_types::Text, _>(format!("1750-{}-C{customer}", currency.trim()))
    .get_result(conn)?;
    Ok(row.credit)
}

/// A closed account's credit must still cover its payout: the settlement takes the amount from
/// it, and customer credit is never negative.
pub(super) fn credit_covers(conn: &mut PgConnection, item: &PayoutItem) -> Result<(), PayoutError> {
    if let (Some(customer), "closed_account_credit") = (item.customer_id, item.source.as_str())
        && credit_of(conn, customer, &item.currency)? < item.amount
    {
        return Err(PayoutError::CreditChanged(item.id));
    }
    Ok(())
}

/// Approves proposed payout `id`, audited. Refused (changing nothing) when it is not waiting
/// for approval or cannot be paid out as it is.
pub fn approve(
    conn: &mut PgConnection,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<PayoutItem, PayoutError> {
    conn.transaction(|conn| {
        let item = lock(conn, id)?;
        if item.state != "proposed" {
            return Err(PayoutError::NotProposed(id));
        }
        if let Some(reason) = &item.blocked_reason {
            return Err(PayoutError::Blocked(id, reason.clone()));
        }
        credit_covers(conn, &item)?;
        diesel::update(p::table.find(id))
            .set((
                p::state.eq("approved"),
                p::approved_by.eq(actor.user.map(|u| u.0)),
                p::approved_at.eq(now),
                p::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            &actor.event("payout.approved").target(item.end_to_end_id()).details(serde_json::json!({
                "payout": id,
                "amount": item.amount.to_string(),
                "currency": item.currency,
                "iban": item.iban,
            })),
        )?;
        Ok(PayoutItem { state: "approved".to_owned(), ..item })
    })
}
