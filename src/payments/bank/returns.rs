//! Returns and reversals in a statement: the bank took back money it had credited us (a
//! returned transfer, a recalled payment). What that money paid is undone by counter-entries:
//! the invoices are open again, and money that was waiting in suspense leaves it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::BankError;
use super::import::{at_noon, receipt_key};
use super::incoming::Incoming;
use super::queue::undo_assignments;
use crate::db::schema::bank_transactions;
use crate::ledger::chart::SystemAccount;
use crate::ledger::{Account, NewEntry, NewPosting, Reference, post_entry};
use crate::payments::allocation::reverse_receipt;

/// Undoes the credit `debit` returns. False when nothing we know is returned (no end-to-end
/// id, or none that matches a credit of the same account and amount).
pub fn undo(conn: &mut PgConnection, debit: &Incoming, now: DateTime<Utc>) -> Result<bool, BankError> {
    let Some(end_to_end) = debit.details.end_to_end_id.as_deref() else { return Ok(false) };
    let original: Option<(i64, String, String)> = bank_transactions::table
        .filter(bank_transactions::end_to_end_id.eq(end_to_end))
        .filter(bank_transactions::direction.eq("credit"))
        .filter(bank_transactions::account_iban.eq(&debit.account_iban))
        .filter(bank_transactions::amount.eq(debit.amount.amount()))
        .filter(bank_transactions::state.ne("returned"))
        .order(bank_transactions::id)
        .select((bank_transactions::id, bank_transactions::identity, bank_transactions::state))
        .for_update()
        .first(conn)
        .optional()?;
    let Some((original_id, identity, state)) = original else { return Ok(false) };
    let key = receipt_key(&debit.identity);
    let memo = format!("return {}", debit.details.return_reason.as_deref().unwrap_or("reversal"));
    if state == "booked" {
        reverse_receipt(conn, &receipt_key(&identity), &key, at_noon(debit.booking_date), &memo)?;
    } else {
        undo_assignments(conn, original_id, None, now)?;
        let currency = debit.amount.currency();
        let specs = [SystemAccount::Suspense.spec(currency), SystemAccount::Bank.spec(currency)];
        let accounts = Account::open_many(conn, &specs)?;
        let account = |i: usize| {
            specs
                .get(i)
                .and_then(|s| accounts.get(&s.code))
                .copied()
                .ok_or_else(|| BankError::Corrupt("suspense or bank account".to_owned()))
        };
        post_entry(
            conn,
            &NewEntry {
                idempotency_key: key,
                kind: "payment_returned".to_owned(),
                memo,
                occurred_at: at_noon(debit.booking_date),
                reference: Some(Reference { kind: "bank_transaction".to_owned(), id: identity }),
                postings: vec![
                    NewPosting::debit(account(0)?, debit.amount),
                    NewPosting::credit(account(1)?, debit.amount),
                ],
            },
        )?;
    }
    diesel::update(
        bank_transactions::table.filter(
            bank_transactions::id.eq(original_id).or(bank_transactions::identity.eq(&debit.identity)),
        ),
    )
    .set((bank_transactions::state.eq("returned"), bank_transactions::updated_at.eq(now)))
    .execute(conn)?;
    Ok(true)
}
