//! Where payout items come from: a transfer marked for refund in the reconciliation queue,
//! and the credit balance of a closed account that has nothing left to pay. Each is proposed
//! once (a partial unique index per transfer and per closed account); what cannot be paid
//! out as it is (no usable IBAN, no name, not euros) is proposed with its reason, so finance
//! sees it instead of losing it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::PayoutError;
use crate::iban::Iban;

/// The reasons an item cannot be paid out as proposed (Fluent message ids).
pub const REASONS: [&str; 4] =
    ["payout-reason-not-euro", "payout-reason-no-iban", "payout-reason-bad-iban", "payout-reason-no-name"];

/// Where the money goes, or why it cannot go there.
struct Payee {
    name: String,
    iban: Option<String>,
    blocked: Option<&'static str>,
}

fn payee(currency: &str, name: Option<&str>, iban: Option<&str>) -> Payee {
    // A payer's name comes from a stranger's bank: no control character reaches the file.
    let name: String = name
        .unwrap_or_default()
        .chars()
        .map(|c| if crate::text::check(&c.to_string(), false, 1).is_ok() { c } else { ' ' })
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned();
    let parsed = iban.map(str::trim).filter(|i| !i.is_empty()).map(Iban::parse);
    let iban = parsed.clone().flatten().filter(Iban::in_sepa_area).map(|i| i.to_string());
    let blocked = if currency.trim() != "EUR" {
        Some("payout-reason-not-euro")
    } else if parsed.is_none() {
        Some("payout-reason-no-iban")
    } else if iban.is_none() {
        Some("payout-reason-bad-iban")
    } else if name.trim().is_empty() {
        Some("payout-reason-no-name")
    } else {
        None
    };
    Payee { name, iban, blocked }
}

#[derive(QueryableByName)]
struct Transfer {
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    left: Decimal,
    #[diesel(sql_type = Nullable<Text>)]
    debtor_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    debtor_iban: Option<String>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Proposes to send back what is left in suspense of bank transaction `transfer` (part of it
/// may have paid invoices it named) to the account it came from. In the caller's transaction,
/// which marked it for refund; proposing twice finds the first item.
pub fn propose_queue_refund(
    conn: &mut PgConnection,
    transfer: i64,
    now: DateTime<Utc>,
) -> Result<i64, PayoutError> {
    // What is left after assignments not undone: what suspense holds of it (see `ledger verify`).
    let found: Transfer = diesel::sql_query(
        "SELECT b.currency::text AS currency, b.debtor_name, b.debtor_iban,
                b.amount - COALESCE((SELECT sum(r.amount) FROM bank_assignments s
                                       JOIN payment_receipts r ON r.key = s.receipt_key
                                      WHERE s.bank_transaction_id = b.id AND s.undone_by IS NULL), 0) AS left
           FROM bank_transactions b WHERE b.id = $1 AND b.direction = 'credit'",
    )
    .bind::<BigInt, _>(transfer)
    .get_result(conn)
    .optional()?
    .ok_or_else(|| PayoutError::Corrupt(format!("bank transaction {transfer} is not a credit")))?;
    let payee = payee(&found.currency, found.debtor_name.as_deref(), found.debtor_iban.as_deref());
    let inserted: Option<Id> = diesel::sql_query(
        "INSERT INTO payouts (source, bank_transaction_id, creditor_name, iban, blocked_reason, amount, currency,
                              created_at, updated_at)
         VALUES ('queue_refund', $1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (bank_transaction_id) WHERE state NOT IN ('returned', 'withdrawn') DO NOTHING
         RETURNING id",
    )
    .bind::<BigInt, _>(transfer)
    .bind::<Text, _>(&payee.name)
    .bind::<Nullable<Text>, _>(&payee.iban)
    .bind::<Nullable<Text>, _>(payee.blocked)
    .bind::<Numeric, _>(found.left)
    .bind::<Text, _>(found.currency.trim())
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    if let Some(row) = inserted {
        return Ok(row.id);
    }
    let live: Id = diesel::sql_query(
        "SELECT id FROM payouts WHERE bank_transaction_id = $1 AND state NOT IN ('returned', 'withdrawn')",
    )
    .bind::<BigInt, _>(transfer)
    .get_result(conn)?;
    Ok(live.id)
}

/// Lifting a refund mark withdraws its payout while it is not in a payment file yet; once it
/// is, the money may be on its way and only the statement can tell.
pub fn withdraw_queue_refund(
    conn: &mut PgConnection,
    transfer: i64,
    now: DateTime<Utc>,
) -> Result<(), PayoutError> {
    use crate::db::schema::payouts as p;
    let underway: i64 = p::table
        .filter(p::bank_transaction_id.eq(transfer))
        .filter(p::state.eq_any(["exported", "settled"]))
        .count()
        .get_result(conn)?;
    if underway > 0 {
        return Err(PayoutError::Underway(transfer));
    }
    diesel::update(
        p::table
            .filter(p::bank_transaction_id.eq(transfer))
            .filter(p::state.eq_any(["proposed", "approved"])),
    )
    .set((p::state.eq("withdrawn"), p::updated_at.eq(now)))
    .execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct ClosedCredit {
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    credit: Decimal,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    mandate_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    iban: Option<String>,
}

/// Proposes to pay out the credit balance of closed account `customer` (called once the
/// account has nothing running, open or unbilled). Its IBAN is the one of its latest direct
/// debit mandate, else the account its latest transfer to us came from. None when there is no
/// credit, or a payout of it is under way (or came back and waits for finance).
pub fn propose_closed_account_credit(
    conn: &mut PgConnection,
    customer: i64,
    now: DateTime<Utc>,
) -> Result<Option<i64>, PayoutError> {
    let found: Option<ClosedCredit> = diesel::sql_query(
        "SELECT c.currency::text AS currency, c.name,
                -COALESCE((SELECT sum(p.amount) FROM ledger_accounts a JOIN postings p ON p.account_id = a.id
                            WHERE a.code = '1750-' || c.currency || '-C' || c.id), 0) AS credit,
                m.debtor_name AS mandate_name,
                COALESCE(m.iban, (SELECT b.debtor_iban FROM bank_transactions b
                                   WHERE b.customer_id = c.id AND b.direction = 'credit' AND b.debtor_iban IS NOT NULL
                                   ORDER BY b.booking_date DESC, b.id DESC LIMIT 1)) AS iban
           FROM customers c
           LEFT JOIN LATERAL (SELECT debtor_name, iban FROM sepa_mandates
                               WHERE customer_id = c.id ORDER BY id DESC LIMIT 1) m ON true
          WHERE c.id = $1 AND c.closed_at IS NOT NULL",
    )
    .bind::<BigInt, _>(customer)
    .get_result(conn)
    .optional()?;
    let Some(found) = found.filter(|f| f.credit > Decimal::ZERO) else { return Ok(None) };
    let payee =
        payee(&found.currency, found.mandate_name.as_deref().or(Some(&found.name)), found.iban.as_deref());
    let inserted: Option<Id> = diesel::sql_query(
        "INSERT INTO payouts (source, customer_id, creditor_name, iban, blocked_reason, amount, currency,
                              created_at, updated_at)
         VALUES ('closed_account_credit', $1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (customer_id) WHERE source = 'closed_account_credit' AND state NOT IN ('settled', 'withdrawn')
         DO NOTHING
         RETURNING id",
    )
    .bind::<BigInt, _>(customer)
    .bind::<Text, _>(&payee.name)
    .bind::<Nullable<Text>, _>(&payee.iban)
    .bind::<Nullable<Text>, _>(payee.blocked)
    .bind::<Numeric, _>(found.credit)
    .bind::<Text, _>(found.currency.trim())
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    Ok(inserted.map(|row| row.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_named_euro_payee_with_a_sepa_iban_can_be_paid() {
        let ok = payee("EUR", Some("Anna Berg"), Some("DE89 3704 0044 0532 0130 00"));
        assert_eq!((ok.iban.as_deref(), ok.blocked), (Some("DE89370400440532013000"), None));
        assert_eq!(
            payee("CHF", Some("A"), Some("DE89370400440532013000")).blocked,
            Some("payout-reason-not-euro")
        );
        assert_eq!(payee("EUR", Some("A"), None).blocked, Some("payout-reason-no-iban"));
        assert_eq!(payee("EUR", Some("A"), Some("  ")).blocked, Some("payout-reason-no-iban"));
        assert_eq!(
            payee("EUR", Some("A"), Some("DE89370400440532013001")).blocked,
            Some("payout-reason-bad-iban")
        );
        // Brazil has IBANs, but is outside the SEPA schemes.
        assert_eq!(
            payee("EUR", Some("A"), Some("BR1800360305000010009795493C1")).blocked,
            Some("payout-reason-bad-iban")
        );
        assert_eq!(
            payee("EUR", Some(" \n"), Some("DE89370400440532013000")).blocked,
            Some("payout-reason-no-name")
        );
        assert!(REASONS.iter().all(|r| r.starts_with("payout-reason-")));
    }
}
