//! Compensation on invoices. A grant of a credit or a free month is customer credit (a
//! liability, account 1750; a donation is not the customer's and never applies); the
//! invoice batch applies customer credit as `credit_applied`, which settles part of the
//! invoice like a payment (the invoice's net, VAT and gross are unchanged: the credit is not
//! a price reduction of this invoice's supply). In the invoice-issuing transaction this module
//! records which grants that credit consumed, oldest first, so the invoice shows them as
//! negative lines "Compensation for <incident>".

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bpchar, Numeric, Text};
use rust_decimal::Decimal;

use crate::i18n::Lang;
use crate::incidents::Texts;

#[derive(QueryableByName)]
struct Issued {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Bpchar)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    credit_applied: Decimal,
}

#[derive(QueryableByName)]
struct Open {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Bpchar)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    remaining: Decimal,
}

/// Records, for each of `invoice_ids` that applied customer credit, which compensation
/// grants it used (oldest first). Locks the grants so two invoices never consume the same
/// credit twice. Call in the transaction that issues the invoices.
pub fn record_uses(conn: &mut PgConnection, invoice_ids: &[i64]) -> Result<usize, diesel::result::Error> {
    let invoices: Vec<Issued> = diesel::sql_query(
        "SELECT id, customer_id, currency, credit_applied FROM invoices
          WHERE id = ANY ($1) AND kind = 'invoice' AND credit_applied > 0 ORDER BY id",
    )
    .bind::<Array<BigInt>, _>(invoice_ids)
    .load(conn)?;
    if invoices.is_empty() {
        return Ok(0);
    }
    let customers: Vec<i64> = invoices.iter().map(|i| i.customer_id).collect();
    let open: Vec<Open> = diesel::sql_query(
        "SELECT g.id, g.customer_id, g.currency,
                g.amount - coalesce((SELECT sum(u.amount) FROM compensation_grant_uses u WHERE u.grant_id = g.id), 0) AS remaining
           FROM compensation_grants g
          WHERE g.customer_id = ANY ($1) AND g.option IN ('credit', 'free_month') AND g.amount > 0
          ORDER BY g.id
          FOR UPDATE",
    )
    .bind::<Array<BigInt>, _>(&customers)
    .load(conn)?;
    let mut pools: HashMap<(i64, String), Vec<(i64, Decimal)>> = HashMap::new();
    for g in open.into_iter().filter(|g| g.remaining > Decimal::ZERO) {
        pools.entry((g.customer_id, g.currency.trim().to_owned())).or_default().push((g.id, g.remaining));
    }
    let (mut inv, mut grant, mut amount) = (Vec::new(), Vec::new(), Vec::new());
    for invoice in &invoices {
        let Some(pool) = pools.get_mut(&(invoice.customer_id, invoice.currency.trim().to_owned())) else {
            continue;
        };
        let mut left = invoice.credit_applied;
        for (id, remaining) in pool.iter_mut() {
            if left <= Decimal::ZERO {
                break;
            }
            let take = left.min(*remaining);
            if take > Decimal::ZERO {
                inv.push(invoice.id);
                grant.push(*id);
                amount.push(take);
                *remaining -= take;
                left -= take;
            }
        }
    }
    if inv.is_empty() {
        return Ok(0);
    }
    diesel::sql_query(
        "INSERT INTO compensation_grant_uses (invoice_id, grant_id, amount)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[])",
    )
    .bind::<Array<BigInt>, _>(&inv)
    .bind::<Array<BigInt>, _>(&grant)
    .bind::<Array<Numeric>, _>(&amount)
    .execute(conn)
}

/// A compensation line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationLine {
    pub incident_id: i64,
    pub title: String,
    pub amount: Decimal,
}

#[derive(QueryableByName)]
struct LineRow {
    #[diesel(sql_type = BigInt)]
    incident_id: i64,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    title: serde_json::Value,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

/// The compensation an invoice's credit consumed, with incident titles in `lang`.
pub fn lines_of(
    conn: &mut PgConnection,
    invoice_id: i64,
    lang: &Lang,
) -> Result<Vec<CompensationLine>, diesel::result::Error> {
    let rows: Vec<LineRow> = diesel::sql_query(
        "SELECT g.incident_id, i.title, u.amount
           FROM compensation_grant_uses u
           JOIN compensation_grants g ON g.id = u.grant_id
           JOIN incidents i ON i.id = g.incident_id
          WHERE u.invoice_id = $1 ORDER BY g.id",
    )
    .bind::<BigInt, _>(invoice_id)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| CompensationLine {
            incident_id: r.incident_id,
            title: Texts::from_json(&r.title).get(lang).to_owned(),
            amount: r.amount,
        })
        .collect())
}

/// Lines for an invoice by number (for the invoice pages).
pub fn lines_of_number(
    conn: &mut PgConnection,
    number: &str,
    lang: &Lang,
) -> Result<Vec<CompensationLine>, diesel::result::Error> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let found: Option<Id> = diesel::sql_query("SELECT id FROM invoices WHERE number = $1")
        .bind::<Text, _>(number)
        .get_result(conn)
        .optional()?;
    match found {
        Some(id) => lines_of(conn, id.id, lang),
        None => Ok(Vec::new()),
    }
}
