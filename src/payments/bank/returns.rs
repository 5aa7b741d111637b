//! Returns and reversals in a statement: the bank took back money it had credited us (a
//! returned transfer, a recalled payment). What that money paid is undone by counter-entries:
//! the invoices are open again, and money that was waiting in suspense leaves it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::BankError;
use super::booking::{at_noon, receipt_key};
use super::incoming::Incoming;
use super::queue::undo_assignments;
use super::state::TransactionState;
use super::suspense::{self, SuspenseMove};
use crate::db::schema::bank_transactions;
use crate::payments::allocation::reverse_receipt;
use crate::payments::sepa::{ReturnContext, return_collection};

/// The customer whose money `debit` takes back, when it is known before undoing it: the
/// customer of the direct debit collection, or of the credit it returns.
pub(crate) fn customer_of(conn: &mut PgConnection, debit: &Incoming) -> Result<Option<i64>, BankError> {
    use crate::db::schema::direct_debit_collections as collections;
    let Some(end_to_end) = debit.details.end_to_end_id.as_deref() else { return Ok(None) };
    let collected: Option<i64> = collections::table
        .filter(collections::end_to_end_id.eq(end_to_end))
        .select(collections::customer_id)
        .first(conn)
        .optional()?;
    if collected.is_some() {
        return Ok(collected);
    }
    Ok(bank_transactions::table
        .filter(bank_transactions::end_to_end_id.eq(end_to_end))
        .filter(bank_transactions::direction.eq("credit"))
        .filter(bank_transactions::account_iban.eq(&debit.account_iban))
        .filter(bank_transactions::state.ne(TransactionState::Returned.as_str()))
        .order(bank_transactions::id)
        .select(bank_transactions::customer_id)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten())
}

/// Undoes the credit `debit` returns. False when nothing we know is returned (no end-to-end
/// id, or none that matches a credit of the same account and amount).
pub fn undo(
    conn: &mut PgConnection,
    debit: &Incoming,
    context: &ReturnContext,
    now: DateTime<Utc>,
) -> Result<bool, BankError> {
    let Some(end_to_end) = debit.details.end_to_end_id.as_deref() else { return Ok(false) };
    let key = receipt_key(&debit.identity);
    // A direct debit of ours came back (or was rejected before it settled): the collection
    // reverses its receipt, charges the return fee and tells the customer.
    let reason = debit.details.return_reason.as_deref();
    if return_collection(conn, context, end_to_end, reason, at_noon(debit.booking_date), &key)?.is_some() {
        diesel::update(
            bank_transactions::table
                .filter(bank_transactions::end_to_end_id.eq(end_to_end))
                .filter(bank_transactions::account_iban.eq(&debit.account_iban))
                .filter(
                    bank_transactions::state
                        .eq(TransactionState::Booked.as_str())
                        .or(bank_transactions::identity.eq(&debit.identity)),
                ),
        )
        .set((
            bank_transactions::state.eq(TransactionState::Returned.as_str()),
            bank_transactions::updated_at.eq(now),
        ))
        .execute(conn)?;
        return Ok(true);
    }
    let original: Option<(i64, String, String)> = bank_transactions::table
        .filter(bank_transactions::end_to_end_id.eq(end_to_end))
        .filter(bank_transactions::direction.eq("credit"))
        .filter(bank_transactions::account_iban.eq(&debit.account_iban))
        .filter(bank_transactions::amount.eq(debit.amount.amount()))
        .filter(bank_transactions::state.ne(TransactionState::Returned.as_str()))
        .order(bank_transactions::id)
        .select((bank_transactions::id, bank_transactions::identity, bank_transactions::state))
        .for_update()
        .first(conn)
        .optional()?;
    let Some((original_id, identity, state)) = original else { return Ok(false) };
    let memo = format!("return {}", debit.details.return_reason.as_deref().unwrap_or("reversal"));
    // Booked by the import's own receipt (an automatic match); money that went through
    // suspense (the queue, or a transfer naming several customers' invoices) has
    // assignments instead.
    let assignments: i64 = crate::db::schema::bank_assignments::table
        .filter(crate::db::schema::bank_assignments::bank_transaction_id.eq(original_id))
        .count()
        .get_result(conn)?;
    if state == TransactionState::Booked.as_str() && assignments == 0 {
        reverse_receipt(conn, &receipt_key(&identity), &key, at_noon(debit.booking_date), &memo)?;
    } else {
        undo_assignments(conn, original_id, None, now)?;
        let back = SuspenseMove {
            key,
            kind: crate::ledger::EntryKind::PaymentReturned,
            memo,
            occurred_at: at_noon(debit.booking_date),
            identity,
            amount: debit.amount,
            into_suspense: false,
        };
        suspense::post(conn, &[back])?;
    }
    diesel::update(
        bank_transactions::table.filter(
            bank_transactions::id.eq(original_id).or(bank_transactions::identity.eq(&debit.identity)),
        ),
    )
    .set((
        bank_transactions::state.eq(TransactionState::Returned.as_str()),
        bank_transactions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(true)
}
