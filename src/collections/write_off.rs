//! Writing off an uncollectable invoice: its open amount leaves the customer's receivable as
//! bad debt, and the VAT in it is taken back from VAT payable (the supply was never paid for,
//! § 17 (2) UStG), in one balanced entry, once per invoice (the `write_offs` key and the
//! entry's idempotency key). The invoice itself stays as issued; its open amount becomes zero.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::CollectionsError;
use crate::audit::Actor;
use crate::db::schema::{invoice_balances, invoices, ledger_accounts, postings, write_offs};
use crate::ledger::chart::codes;
use crate::ledger::{
    Account, AccountKind, AccountSpec, EntryKind, NewEntry, NewPosting, Reference, post_entry,
};
use crate::money::Money;

/// What a write-off's reason may hold.
pub const MAX_REASON: usize = 500;

/// The bad-debt expense account per currency.
pub fn bad_debt(currency: Currency) -> AccountSpec {
    AccountSpec {
        code: format!("6930-{}", currency.code()),
        name: format!("Bad debt {}", currency.code()),
        kind: AccountKind::Expense,
        currency,
        customer_id: None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenOff {
    pub amount: Money,
    pub vat: Money,
}

/// Writes off what is open on invoice `number`. In the caller's transaction.
pub fn write_off(
    conn: &mut PgConnection,
    number: &str,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<WrittenOff, CollectionsError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CollectionsError::NoReason);
    }
    crate::text::check(reason, false, MAX_REASON).map_err(CollectionsError::BadReason)?;
    let (id, customer, currency, gross, vat_total, entry_id): (i64, i64, String, Decimal, Decimal, i64) =
        invoices::table
            .filter(invoices::number.eq(number))
            .filter(invoices::kind.eq("invoice"))
            .select((
                invoices::id,
                invoices::customer_id,
                invoices::currency,
                invoices::gross,
                invoices::vat,
                invoices::ledger_entry_id,
            ))
            .for_update()
            .first(conn)
            .optional()?
            .ok_or_else(|| CollectionsError::UnknownInvoice(number.to_owned()))?;
    crate::db::locks::lock_customer(conn, customer)?;
    let currency =
        Currency::from_code(currency.trim()).ok_or_else(|| CollectionsError::Corrupt(currency.clone()))?;
    let open: Decimal = invoice_balances::table.find(id).select(invoice_balances::open_amount).first(conn)?;
    if open <= Decimal::ZERO {
        return Err(CollectionsError::NothingOpen(number.to_owned()));
    }
    let open = Money::new(open, currency);
    // The VAT in what is open, in proportion, spread over the VAT accounts the invoice booked to.
    let vat = if gross.is_zero() {
        Money::zero(currency)
    } else {
        Money::new(open.amount() * vat_total / gross, currency).round()
    };
    let vat_accounts: Vec<(i64, Decimal)> = postings::table
        .inner_join(ledger_accounts::table)
        .filter(postings::entry_id.eq(entry_id))
        .filter(ledger_accounts::code.like("1776-%"))
        .select((ledger_accounts::id, postings::amount))
        .load(conn)?;
    let specs = [codes::receivable(currency, customer), bad_debt(currency)];
    let ids = Account::open_many(conn, &specs)?;
    let id_of = |spec: &AccountSpec| {
        ids.get(&spec.code).copied().ok_or_else(|| CollectionsError::Corrupt(spec.code.clone()))
    };
    let (receivable, expense_account) = (id_of(&specs[0])?, id_of(&specs[1])?);
    let mut lines = vec![NewPosting::credit(receivable, open)];
    if vat.is_positive() && !vat_accounts.is_empty() {
        let weights: Vec<Decimal> = vat_accounts.iter().map(|(_, amount)| amount.abs()).collect();
        for ((account, _), share) in vat_accounts.iter().zip(vat.allocate(&weights)?) {
            if !share.is_zero() {
                lines.push(NewPosting::debit(crate::ledger::AccountId(*account), share));
            }
        }
    }
    let vat = if vat_accounts.is_empty() { Money::zero(currency) } else { vat };
    let expense = open.checked_sub(vat)?;
    if expense.is_positive() {
        lines.push(NewPosting::debit(expense_account, expense));
    }
    let posted = post_entry(
        conn,
        &NewEntry {
            idempotency_key: format!("write_off:{number}"),
            kind: EntryKind::BadDebtWrittenOff.into(),
            memo: reason.to_owned(),
            occurred_at: now,
            reference: Some(Reference { kind: "invoice".to_owned(), id: number.to_owned() }),
            postings: lines,
        },
    )?;
    diesel::insert_into(write_offs::table)
        .values((
            write_offs::invoice_id.eq(id),
            write_offs::customer_id.eq(customer),
            write_offs::currency.eq(currency.code()),
            write_offs::amount.eq(open.amount()),
            write_offs::vat.eq(vat.amount()),
            write_offs::reason.eq(reason),
            write_offs::ledger_entry_id.eq(posted.id().0),
            write_offs::created_by.eq(actor.user.map(|u| u.0)),
            write_offs::created_at.eq(now),
        ))
        .execute(conn)?;
    crate::audit::record(
        conn,
        &actor.event("invoice.written_off").target(format!("invoice:{number}")).details(serde_json::json!({
            "amount": open.amount().to_string(),
            "vat": vat.amount().to_string(),
            "reason": reason,
        })),
    )
    .map_err(|e| CollectionsError::Corrupt(e.to_string()))?;
    Ok(WrittenOff { amount: open, vat })
}
