//! The reconciliation queue: bank money that named no invoice of ours waits in suspense until
//! finance assigns it to invoices or to a customer's credit, or marks it for refund. Every
//! action is audited and undone by counter-entries, never by deleting.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::BankError;
use super::booking::{at_noon, receipt_key};
use super::matching::Suggestion;
use super::state::TransactionState;
use super::suspense::{self, SuspenseMove};
use crate::audit::{Actor, record};
use crate::db::schema::{bank_assignments, bank_transactions, customers, invoices};
use crate::ids::UserId;
use crate::ledger::chart::SystemAccount;
use crate::money::Money;
use crate::payments::allocation::{Applied, Method, Receipt, apply_receipt, currency, reverse_receipt};
use crate::site::Site;

/// States whose money is in suspense.

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QueueItem {
    pub id: i64,
    pub state: String,
    pub booking_date: NaiveDate,
    pub currency: String,
    pub amount: Decimal,
    pub debtor_name: Option<String>,
    pub debtor_iban: Option<String>,
    pub remittance: Option<String>,
    pub creditor_reference: Option<String>,
    pub suggestions: Vec<Suggestion>,
}

type QueueRow = (
    i64,
    String,
    NaiveDate,
    String,
    Decimal,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    serde_json::Value,
);

/// What waits for finance, oldest first.
pub fn list(conn: &mut PgConnection, limit: i64) -> Result<Vec<QueueItem>, BankError> {
    list_after(conn, None, limit)
}

/// The queue after `after` (the booking date and id of the last item seen), oldest first: a
/// keyset page, as cheap deep in the queue as at its start.
pub fn list_after(
    conn: &mut PgConnection,
    after: Option<(NaiveDate, i64)>,
    limit: i64,
) -> Result<Vec<QueueItem>, BankError> {
    let mut query = bank_transactions::table
        .filter(bank_transactions::state.eq_any(TransactionState::QUEUED))
        .into_boxed();
    if let Some((date, id)) = after {
        query = query.filter(
            bank_transactions::booking_date
                .gt(date)
                .or(bank_transactions::booking_date.eq(date).and(bank_transactions::id.gt(id))),
        );
    }
    let rows: Vec<QueueRow> = query
        .order((bank_transactions::booking_date, bank_transactions::id))
        .limit(limit)
        .select((
            bank_transactions::id,
            bank_transactions::state,
            bank_transactions::booking_date,
            bank_transactions::currency,
            bank_transactions::amount,
            bank_transactions::debtor_name,
            bank_transactions::debtor_iban,
            bank_transactions::remittance,
            bank_transactions::creditor_reference,
            bank_transactions::suggestions,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let assigned = assigned(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| QueueItem {
            id: r.0,
            state: r.1,
            booking_date: r.2,
            currency: r.3.trim().to_owned(),
            amount: r.4 - assigned.get(&r.0).copied().unwrap_or_default(),
            debtor_name: r.5,
            debtor_iban: r.6,
            remittance: r.7,
            creditor_reference: r.8,
            suggestions: serde_json::from_value(r.9).unwrap_or_default(),
        })
        .collect())
}

/// What assignments not undone took from each transaction already (part of a transfer
/// naming several customers' invoices may have paid some of them).
fn assigned(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Decimal>, BankError> {
    use crate::db::schema::payment_receipts;
    let rows: Vec<(i64, Decimal)> = bank_assignments::table
        .inner_join(payment_receipts::table.on(payment_receipts::key.eq(bank_assignments::receipt_key)))
        .filter(bank_assignments::bank_transaction_id.eq_any(ids))
        .filter(bank_assignments::undone_by.is_null())
        .select((bank_assignments::bank_transaction_id, payment_receipts::amount))
        .load(conn)?;
    let mut out = std::collections::HashMap::new();
    for (id, amount) in rows {
        *out.entry(id).or_default() += amount;
    }
    Ok(out)
}

/// What became of a transfer naming invoices of several customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Every named invoice it could pay is paid, and nothing is left (`still_open`: one of
    /// them was more than the money).
    Paid { still_open: bool },
    /// Money is left over: it waits in the queue for finance.
    Waiting,
}

/// Pays, from a transfer waiting in suspense, the invoices it names, of any customers, in
/// order, each up to its open amount: one receipt per customer (recorded as assignments, so
/// finance undoes them like its own). What is left waits in the queue.
pub(crate) fn pay_named(
    conn: &mut PgConnection,
    site: &Site,
    id: i64,
    invoices: &[(i64, i64)],
    now: DateTime<Utc>,
) -> Result<Named, BankError> {
    let waiting = lock(conn, id)?;
    let currency = currency(&waiting.currency)?;
    let mut left = waiting.amount - assigned(conn, &[id])?.get(&id).copied().unwrap_or_default();
    let ids: Vec<i64> = invoices.iter().map(|(_, invoice)| *invoice).collect();
    crate::payments::allocation::lock_invoices(conn, &ids)?;
    let open = crate::payments::balances(conn, &ids)?;
    // Shares in the order named, grouped by customer in the order they first appear.
    let mut groups: Vec<(i64, Vec<i64>, Decimal)> = Vec::new();
    let mut still_open = false;
    for (customer, invoice) in invoices {
        let open = open.get(invoice).map_or(Decimal::ZERO, |b| b.open_amount.max(Decimal::ZERO));
        let share = left.min(open);
        still_open |= share < open;
        if share <= Decimal::ZERO {
            continue;
        }
        left -= share;
        match groups.iter_mut().find(|(c, _, _)| c == customer) {
            Some((_, list, total)) => {
                list.push(*invoice);
                *total += share;
            }
            None => groups.push((*customer, vec![*invoice], share)),
        }
    }
    let done: i64 = bank_assignments::table
        .filter(bank_assignments::bank_transaction_id.eq(id))
        .count()
        .get_result(conn)?;
    for (n, (customer, list, total)) in groups.iter().enumerate() {
        let key = format!("assign:{id}:{}", done + 1 + n as i64);
        apply_receipt(
            conn,
            site,
            &Receipt {
                key: key.clone(),
                customer: *customer,
                amount: Money::new(*total, currency),
                fee: None,
                received_in: SystemAccount::Suspense,
                method: Method::BankTransfer,
                invoices: list.clone(),
                occurred_at: at_noon(waiting.booking_date).max(now),
                memo: format!("transfer naming invoices of several customers ({})", waiting.identity),
            },
        )?;
        diesel::insert_into(bank_assignments::table)
            .values((bank_assignments::bank_transaction_id.eq(id), bank_assignments::receipt_key.eq(&key)))
            .execute(conn)?;
    }
    if left > Decimal::ZERO {
        return Ok(Named::Waiting);
    }
    diesel::update(bank_transactions::table.find(id))
        .set((
            bank_transactions::state.eq(TransactionState::Booked.as_str()),
            bank_transactions::outcome.eq(if still_open { "partly_paid" } else { "paid" }),
            bank_transactions::customer_id.eq(groups.first().map(|g| g.0)),
            bank_transactions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Named::Paid { still_open })
}

pub const CSV_HEADER: [&str; 8] =
    ["id", "booking_date", "amount", "currency", "state", "payer", "remittance", "suggestions"];

/// `kontor bank queue`: up to `limit` waiting items as CSV, read `page_size` at a time and
/// written as they come. Payer and remittance come from strangers' bank transfers, so they are
/// text cells a spreadsheet never runs as formulas.
pub fn write_csv(
    conn: &mut PgConnection,
    out: impl std::io::Write,
    limit: i64,
    page_size: i64,
) -> Result<u64, BankError> {
    let unwritable =
        |e: crate::csv_export::CsvError| BankError::Unreadable { file: None, source: Box::new(e) };
    let mut csv = crate::csv_export::CsvWriter::new(out, &CSV_HEADER).map_err(unwritable)?;
    let mut written = 0u64;
    let mut after = None;
    while (written as i64) < limit {
        let items = list_after(conn, after, page_size.max(1).min(limit - written as i64))?;
        let Some(last) = items.last() else { break };
        after = Some((last.booking_date, last.id));
        for item in &items {
            use crate::csv_export::Cell::{Text, Value};
            let suggestions: Vec<String> = item
                .suggestions
                .iter()
                .map(|s| format!("{} {}", s.customer_id, s.invoice_number.as_deref().unwrap_or("-")))
                .collect();
            let (id, date, amount) =
                (item.id.to_string(), item.booking_date.to_string(), item.amount.to_string());
            csv.row(&[
                Value(&id),
                Value(&date),
                Value(&amount),
                Value(&item.currency),
                Value(&item.state),
                Text(item.debtor_name.as_deref().unwrap_or_default()),
                Text(item.remittance.as_deref().unwrap_or_default()),
                Text(&suggestions.join("; ")),
            ])
            .map_err(unwritable)?;
            written += 1;
        }
    }
    csv.finish().map_err(unwritable)?;
    Ok(written)
}

/// Where finance sends money from the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// These invoices (by number), in order; what is left becomes their customer's credit.
    Invoices(Vec<String>),
    /// All of it to this customer's credit.
    Credit(i64),
}

struct Waiting {
    currency: String,
    amount: Decimal,
    state: TransactionState,
    identity: String,
    booking_date: NaiveDate,
}

fn lock(conn: &mut PgConnection, id: i64) -> Result<Waiting, BankError> {
    let (currency, amount, state, identity, booking_date, direction): (
        String,
        Decimal,
        String,
        String,
        NaiveDate,
        String,
    ) = bank_transactions::table
        .find(id)
        .select((
            bank_transactions::currency,
            bank_transactions::amount,
            bank_transactions::state,
            bank_transactions::identity,
            bank_transactions::booking_date,
            bank_transactions::direction,
        ))
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(BankError::UnknownTransaction(id))?;
    if direction != "credit" {
        return Err(BankError::NotInQueue(id));
    }
    let state = TransactionState::parse(&state)
        .ok_or_else(|| BankError::Corrupt(format!("bank transaction {id} in state {state:?}")))?;
    Ok(Waiting { currency: currency.trim().to_owned(), amount, state, identity, booking_date })
}

/// Assigns money waiting in suspense.
pub fn assign(
    conn: &mut PgConnection,
    site: &Site,
    id: i64,
    target: &Target,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Applied, BankError> {
    conn.transaction(|conn| {
        let waiting = lock(conn, id)?;
        if !waiting.state.is_waiting() {
            return Err(BankError::NotInQueue(id));
        }
        let currency = currency(&waiting.currency)?;
        let (customer, invoice_ids) = match target {
            Target::Credit(customer) => {
                let exists: i64 =
                    customers::table.filter(customers::id.eq(customer)).count().get_result(conn)?;
                if exists == 0 {
                    return Err(BankError::UnknownCustomer(*customer));
                }
                (*customer, Vec::new())
            }
            Target::Invoices(numbers) => {
                let mut found = Vec::new();
                for number in numbers {
                    let number = number.trim();
                    let row: (i64, i64, String) = invoices::table
                        .filter(
                            invoices::kind
                                .eq(crate::invoicing::numbering::Series::Invoice.as_str())
                                .and(invoices::number.eq(number)),
                        )
                        .select((invoices::id, invoices::customer_id, invoices::currency))
                        .first(conn)
                        .optional()?
                        .ok_or_else(|| BankError::UnknownInvoice(number.to_owned()))?;
                    found.push(row);
                }
                let Some(first) = found.first() else { return Err(BankError::NothingToAssign) };
                let customer = first.1;
                if found.iter().any(|(_, c, _)| *c != customer) {
                    return Err(BankError::SeveralCustomers);
                }
                if found.iter().any(|(_, _, c)| c.trim() != currency.code()) {
                    return Err(BankError::CurrencyMismatch);
                }
                (customer, found.into_iter().map(|(id, _, _)| id).collect())
            }
        };
        let done: i64 = bank_assignments::table
            .filter(bank_assignments::bank_transaction_id.eq(id))
            .count()
            .get_result(conn)?;
        let key = format!("assign:{id}:{}", done + 1);
        // What earlier assignments (part of a transfer naming several customers' invoices)
        // left of it.
        let left = waiting.amount - assigned(conn, &[id])?.get(&id).copied().unwrap_or_default();
        let applied = apply_receipt(
            conn,
            site,
            &Receipt {
                key: key.clone(),
                customer,
                amount: Money::new(left, currency),
                fee: None,
                received_in: SystemAccount::Suspense,
                method: Method::BankTransfer,
                invoices: invoice_ids,
                occurred_at: now,
                memo: format!("assigned from the reconciliation queue ({})", waiting.identity),
            },
        )?;
        diesel::insert_into(bank_assignments::table)
            .values((
                bank_assignments::bank_transaction_id.eq(id),
                bank_assignments::receipt_key.eq(&key),
                bank_assignments::assigned_by.eq(actor.user.map(|u| u.0)),
            ))
            .execute(conn)?;
        let outcome = if applied.paid.is_empty() {
            "credit"
        } else if applied.to_credit.is_positive() {
            "overpaid"
        } else {
            "paid"
        };
        diesel::update(bank_transactions::table.find(id))
            .set((
                bank_transactions::state.eq(TransactionState::Booked.as_str()),
                bank_transactions::outcome.eq(outcome),
                bank_transactions::customer_id.eq(customer),
                bank_transactions::updated_at.eq(now),
            ))
            .execute(conn)?;
        let target_text = match target {
            Target::Credit(c) => format!("credit of customer {c}"),
            Target::Invoices(numbers) => numbers.join(", "),
        };
        record(
            conn,
            &actor.event("bank.assigned").target(format!("bank transaction {id}")).details(
                serde_json::json!({ "to": target_text, "receipt": key, "amount": left.to_string() }),
            ),
        )?;
        Ok(applied)
    })
}

/// Marks money waiting in suspense to be sent back to the payer.
pub fn mark_for_refund(
    conn: &mut PgConnection,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), BankError> {
    conn.transaction(|conn| {
        let waiting = lock(conn, id)?;
        if !waiting.state.is_waiting() {
            return Err(BankError::NotInQueue(id));
        }
        set_state(conn, id, TransactionState::Refund, now)?;
        // Finance approves the payout on its own page; nothing is booked until the money leaves.
        let payout = crate::payments::payouts::propose_queue_refund(conn, id, now)?;
        record(
            conn,
            &actor.event("bank.refund_marked").target(format!("bank transaction {id}")).details(
                serde_json::json!({
                    "amount": waiting.amount.to_string(),
                    "currency": waiting.currency,
                    "payout": payout,
                }),
            ),
        )?;
        Ok(())
    })
}

/// Puts a transaction back in the queue: assignments and automatic matches are reversed by
/// counter-entries (the money returns to suspense), a refund mark is lifted.
pub fn undo(conn: &mut PgConnection, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<(), BankError> {
    conn.transaction(|conn| {
        let waiting = lock(conn, id)?;
        match waiting.state {
            TransactionState::Refund => crate::payments::payouts::withdraw_queue_refund(conn, id, now)?,
            // Part of it paid invoices it named (of several customers): those receipts go.
            state if state.is_waiting() && undo_assignments(conn, id, actor.user, now)? > 0 => {}
            TransactionState::Booked => {
                let undone = undo_assignments(conn, id, actor.user, now)?;
                if undone == 0 {
                    unbook_automatic_match(conn, id, &waiting, now)?;
                }
            }
            _ => return Err(BankError::NothingToUndo(id)),
        }
        set_state(conn, id, TransactionState::Unassigned, now)?;
        diesel::update(bank_transactions::table.find(id))
            .set((
                bank_transactions::outcome.eq(None::<String>),
                bank_transactions::customer_id.eq(None::<i64>),
            ))
            .execute(conn)?;
        record(
            conn,
            &actor
                .event("bank.undone")
                .target(format!("bank transaction {id}"))
                .details(serde_json::json!({ "was": waiting.state.as_str() })),
        )?;
        Ok(())
    })
}

/// Reverses every assignment of a transaction not undone yet; returns how many.
pub(crate) fn undo_assignments(
    conn: &mut PgConnection,
    id: i64,
    user: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<usize, BankError> {
    let open: Vec<(i64, String)> = bank_assignments::table
        .filter(bank_assignments::bank_transaction_id.eq(id).and(bank_assignments::undone_by.is_null()))
        .select((bank_assignments::id, bank_assignments::receipt_key))
        .load(conn)?;
    for (assignment, key) in &open {
        let undo_key = format!("{key}:undone");
        reverse_receipt(conn, key, &undo_key, now, &format!("undone by user {:?}", user.map(|u| u.0)))?;
        diesel::update(bank_assignments::table.find(assignment))
            .set(bank_assignments::undone_by.eq(&undo_key))
            .execute(conn)?;
    }
    Ok(open.len())
}

/// A wrong automatic match: the receipt is reversed (its invoices open again) and the money
/// goes to suspense instead.
fn unbook_automatic_match(
    conn: &mut PgConnection,
    id: i64,
    waiting: &Waiting,
    now: DateTime<Utc>,
) -> Result<(), BankError> {
    let key = receipt_key(&waiting.identity);
    let undo_key = format!("unbook:{id}");
    reverse_receipt(conn, &key, &undo_key, now, "automatic match undone by finance")?;
    let again = SuspenseMove {
        key: format!("resuspend:{id}"),
        kind: crate::ledger::EntryKind::PaymentUnassigned,
        memo: "automatic match undone: back to suspense".to_owned(),
        occurred_at: at_noon(waiting.booking_date).max(now),
        identity: waiting.identity.clone(),
        amount: Money::new(waiting.amount, currency(&waiting.currency)?),
        into_suspense: true,
    };
    suspense::post(conn, &[again])
}

fn set_state(
    conn: &mut PgConnection,
    id: i64,
    state: TransactionState,
    now: DateTime<Utc>,
) -> Result<(), BankError> {
    diesel::update(bank_transactions::table.find(id))
        .set((bank_transactions::state.eq(state.as_str()), bank_transactions::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}
