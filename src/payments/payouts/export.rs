//! The payout export: every approved payout goes into one pain.001.001.09 file, stored in the
//! export's row in the same transaction that marks the payouts exported, so an exported payout
//! never exists without its file and every download gives the same bytes. Nothing is booked:
//! the money leaves when the bank executes the file, and the statement says when.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Date, Integer, Nullable, Numeric, Text};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::PayoutError;
use super::approval::{PayoutItem, credit_covers, list};
use crate::audit::{Actor, record};
use crate::money::Money;
use crate::payments::sepa::pain001::{self, Debtor, Message, Payout};

/// Who pays: the seller's EUR account (the web and the CLI read it from the settings).
#[derive(Debug, Clone)]
pub struct ExportSettings {
    pub debtor: Debtor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub export_id: i64,
    pub message_id: String,
    pub count: usize,
    pub control_sum: Decimal,
    pub file_sha256: String,
    pub xml: Vec<u8>,
}

/// A payout export as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ExportRow {
    pub id: i64,
    pub message_id: String,
    pub execution_date: NaiveDate,
    pub count: i32,
    pub control_sum: Decimal,
}

/// Writes every approved payout into one file to be executed on `execution_date`, audited.
/// Refused with [`PayoutError::NothingApproved`] when none is approved (a second click finds
/// them exported already).
pub fn export_approved(
    conn: &mut PgConnection,
    settings: &ExportSettings,
    execution_date: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Exported, PayoutError> {
    conn.transaction(|conn| {
        let ids: Vec<i64> = {
            use crate::db::schema::payouts as p;
            p::table.filter(p::state.eq("approved")).order(p::id).select(p::id).for_update().load(conn)?
        };
        if ids.is_empty() {
            return Err(PayoutError::NothingApproved);
        }
        let items: Vec<PayoutItem> = list(conn, &["approved"], i64::MAX)?;
        for item in &items {
            credit_covers(conn, item)?;
        }
        let export_id = crate::db::sequence::reserve_ids(conn, "payout_exports", 1)?
            .first()
            .copied()
            .ok_or(diesel::result::Error::NotFound)?;
        let message_id = format!("KONTOR-CT-{export_id}-{}", execution_date.format("%Y%m%d"));
        let payouts = items.iter().map(|item| payout(settings, item)).collect::<Result<Vec<_>, _>>()?;
        let message = Message {
            message_id: message_id.clone(),
            created_at: now,
            execution_date,
            debtor: settings.debtor.clone(),
            payouts,
        };
        let xml = pain001::write(&message)?;
        let sha = hex::encode(Sha256::digest(&xml));
        let control_sum: Decimal = items.iter().map(|i| i.amount).sum();
        diesel::sql_query(
            "INSERT INTO payout_exports (id, message_id, execution_date, count, control_sum, file_sha256, document,
                                         created_by, created_at)
             OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind::<BigInt, _>(export_id)
        .bind::<Text, _>(&message_id)
        .bind::<Date, _>(execution_date)
        .bind::<Integer, _>(i32::try_from(items.len()).unwrap_or(i32::MAX))
        .bind::<Numeric, _>(control_sum)
        .bind::<Text, _>(&sha)
        .bind::<Binary, _>(&xml)
        .bind::<Nullable<BigInt>, _>(actor.user.map(|u| u.0))
        .bind::<diesel::sql_types::Timestamptz, _>(now)
        .execute(conn)?;
        {
            use crate::db::schema::payouts as p;
            diesel::update(p::table.filter(p::id.eq_any(&ids)))
                .set((p::state.eq("exported"), p::export_id.eq(export_id), p::updated_at.eq(now)))
                .execute(conn)?;
        }
        record(
            conn,
            &actor.event("payout.exported").target(&message_id).details(serde_json::json!({
                "export_id": export_id,
                "payouts": ids,
                "control_sum": control_sum.to_string(),
                "sha256": sha,
            })),
        )?;
        Ok(Exported { export_id, message_id, count: items.len(), control_sum, file_sha256: sha, xml })
    })
}

fn payout(settings: &ExportSettings, item: &PayoutItem) -> Result<Payout, PayoutError> {
    let currency = iso_currency::Currency::from_code(&item.currency)
        .ok_or_else(|| PayoutError::Corrupt(format!("payout {} in {:?}", item.id, item.currency)))?;
    let iban =
        item.iban.clone().ok_or_else(|| PayoutError::Blocked(item.id, "payout-reason-no-iban".into()))?;
    Ok(Payout {
        end_to_end_id: item.end_to_end_id(),
        amount: Money::new(item.amount, currency),
        creditor_name: item.creditor_name.clone(),
        creditor_iban: iban,
        creditor_bic: None,
        // No invoice number: a returned transfer must not look like a payment of one.
        remittance: format!("{} refund {}", settings.debtor.name, item.end_to_end_id()),
    })
}

/// The latest payout exports, newest first.
pub fn exports(conn: &mut PgConnection, limit: i64) -> Result<Vec<ExportRow>, PayoutError> {
    use crate::db::schema::payout_exports as e;
    Ok(e::table
        .order(e::id.desc())
        .limit(limit)
        .select((e::id, e::message_id, e::execution_date, e::count, e::control_sum))
        .load(conn)?)
}

/// The stored pain.001 document of an export: (message id, bytes), checked against its hash.
pub fn document(conn: &mut PgConnection, export_id: i64) -> Result<(String, Vec<u8>), PayoutError> {
    use crate::db::schema::payout_exports as e;
    let (message_id, sha, document): (String, String, Vec<u8>) = e::table
        .find(export_id)
        .select((e::message_id, e::file_sha256, e::document))
        .first(conn)
        .optional()?
        .ok_or(PayoutError::UnknownExport(export_id))?;
    if hex::encode(Sha256::digest(&document)) != sha {
        return Err(PayoutError::Corrupt(format!(
            "payout export {export_id}: the document does not match its SHA-256"
        )));
    }
    Ok((message_id, document))
}
