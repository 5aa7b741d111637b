//! What a bank statement says about payouts, applied in the import's transaction once its
//! movements are stored: a debit carrying an exported payout's end-to-end id (and its amount)
//! settles it and books the refund, once (key `payout:<id>`; a movement is stored once, so a
//! re-import finds nothing new); a credit carrying a settled payout's end-to-end id is the
//! bank returning it (wrong or closed account): the payout is `returned` with the reason.
//!
//! The import parked the returned money in suspense like any unknown transfer, so the books
//! are right already: a returned queue refund waits in the queue again for finance, a closed
//! account's returned balance goes back to the customer's credit.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use crate::audit::Actor;
use crate::db::schema::{bank_transactions as b, payouts as p};
use crate::ledger::chart::{SystemAccount, codes};
use crate::ledger::{Account, EntryKind, NewEntry, NewPosting, Reference, post_entries};
use crate::money::Money;
use crate::payments::bank::BankError;
use crate::payments::bank::queue::{Target, assign};
use crate::site::Site;

/// What one import did to payouts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settled {
    /// Debits that settled a payout (the import had counted them as ignored).
    pub paid_out: u64,
    /// Credits that brought a payout back.
    pub returned: u64,
    /// Of those, the ones booked to a closed account's credit (the import had counted them
    /// as unmatched).
    pub back_to_credit: u64,
}

#[derive(QueryableByName)]
struct Movement {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    identity: String,
    #[diesel(sql_type = Text)]
    end_to_end_id: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    booking_date: NaiveDate,
    #[diesel(sql_type = Nullable<Text>)]
    return_reason: Option<String>,
}

/// The import's movements in `states` whose end-to-end id may be a payout's.
fn movements(
    conn: &mut PgConnection,
    import_id: i64,
    direction: &str,
    states: &[&str],
) -> Result<Vec<Movement>, BankError> {
    Ok(diesel::sql_query(
        "SELECT id, identity, end_to_end_id, amount, currency::text AS currency, booking_date, return_reason
           FROM bank_transactions
          WHERE import_id = $1 AND direction = $2 AND state = ANY($3) AND end_to_end_id LIKE 'KONTOR-PO-%'
          ORDER BY id",
    )
    .bind::<BigInt, _>(import_id)
    .bind::<Text, _>(direction)
    .bind::<diesel::sql_types::Array<Text>, _>(states)
    .load(conn)?)
}

/// A payout a movement is about: id, source, the transfer it refunds, the closed account.
type Found = (i64, String, Option<i64>, Option<i64>);

/// The payout `movement` is about, locked, if it is in `state` with the same amount and currency.
fn payout_for(conn: &mut PgConnection, movement: &Movement, state: &str) -> Result<Option<Found>, BankError> {
    let Some(id) = super::payout_of(&movement.end_to_end_id) else { return Ok(None) };
    Ok(p::table
        .find(id)
        .filter(p::state.eq(state))
        .filter(p::amount.eq(movement.amount))
        .filter(p::currency.eq(movement.currency.trim()))
        .select((p::id, p::source, p::bank_transaction_id, p::customer_id))
        .for_update()
        .first(conn)
        .optional()?)
}

/// Settles and returns the payouts import `import_id` carries (see the module documentation).
pub fn settle_import(
    conn: &mut PgConnection,
    site: &Site,
    import_id: i64,
    now: DateTime<Utc>,
) -> Result<Settled, BankError> {
    let mut settled = Settled::default();
    for debit in movements(conn, import_id, "debit", &["ignored"])? {
        if settle(conn, &debit, now)? {
            settled.paid_out += 1;
        }
    }
    for credit in movements(conn, import_id, "credit", &["unassigned", "suggested"])? {
        let Some((id, source, _, customer)) = payout_for(conn, &credit, "settled")? else { continue };
        diesel::update(p::table.find(id))
            .set((
                p::state.eq("returned"),
                p::returned_by.eq(credit.id),
                p::return_reason.eq(credit.return_reason.as_deref().unwrap_or("returned")),
                p::updated_at.eq(now),
            ))
            .execute(conn)?;
        settled.returned += 1;
        if let (Some(customer), "closed_account_credit") = (customer, source.as_str()) {
            let actor = Actor::system("payout returned");
            assign(conn, site, credit.id, &Target::Credit(customer), &actor, now)?;
            settled.back_to_credit += 1;
        }
    }
    Ok(settled)
}

/// Settles the payout `debit` pays out, booking the refund. False when it is none of ours.
fn settle(conn: &mut PgConnection, debit: &Movement, now: DateTime<Utc>) -> Result<bool, BankError> {
    let Some((id, source, transfer, customer)) = payout_for(conn, debit, "exported")? else {
        return Ok(false);
    };
    let currency = crate::payments::allocation::currency(&debit.currency)?;
    let amount = Money::new(debit.amount, currency);
    // A queue refund leaves suspense, where the marked transfer waited; a closed account's
    // balance leaves its credit.
    let (from, memo) = match (source.as_str(), transfer, customer) {
        ("queue_refund", Some(transfer), _) => (
            SystemAccount::Suspense.spec(currency),
            format!("refund of bank transaction {transfer} paid out"),
        ),
        ("closed_account_credit", _, Some(customer)) => {
            (codes::credit(currency, customer), format!("credit of closed account {customer} paid out"))
        }
        _ => return Err(BankError::Corrupt(format!("payout {id} has no source"))),
    };
    let accounts = Account::open_many(conn, &[from.clone(), SystemAccount::Bank.spec(currency)])?;
    let account =
        |code: &str| accounts.get(code).copied().ok_or_else(|| BankError::Corrupt(format!("account {code}")));
    let bank = account(&SystemAccount::Bank.spec(currency).code)?;
    post_entries(
        conn,
        &[NewEntry {
            idempotency_key: format!("payout:{id}"),
            kind: EntryKind::PaymentRefunded.into(),
            memo,
            // Booking dates are days; noon UTC is that day wherever our customers live.
            occurred_at: debit.booking_date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
            reference: Some(Reference { kind: "payout".to_owned(), id: super::end_to_end_id(id) }),
            postings: vec![NewPosting::debit(account(&from.code)?, amount), NewPosting::credit(bank, amount)],
        }],
    )?;
    diesel::update(p::table.find(id))
        .set((p::state.eq("settled"), p::settled_by.eq(debit.id), p::updated_at.eq(now)))
        .execute(conn)?;
    // The debit is booked (bank: what the statements took out); the marked transfer left
    // the queue with it.
    diesel::update(b::table.find(debit.id))
        .set((
            b::state.eq("booked"),
            b::outcome.eq("payout"),
            b::customer_id.eq(customer),
            b::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(transfer) = transfer {
        diesel::update(b::table.find(transfer).filter(b::state.eq("refund")))
            .set((b::state.eq("booked"), b::outcome.eq("refunded"), b::updated_at.eq(now)))
            .execute(conn)?;
    }
    tracing::debug!(payout = id, identity = %debit.identity, "payout settled");
    Ok(true)
}
