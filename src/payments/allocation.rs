//! Receipts and their allocation to invoices: the one place where money received (a bank
//! transfer, a direct debit, a PayPal capture) pays invoices.
//!
//! A receipt pays the invoices it names in order, each up to its open amount; what is left
//! becomes the customer's credit. Each receipt is one balanced journal entry (money account
//! debit, provider fee debit, receivable credits, customer credit) under the receipt's key,
//! so a payment seen twice is booked once. A returned transfer or a chargeback is a
//! reversing receipt: the mirror entry and negative allocations, never a changed row.
//!
//! Being the one door, it also does what settling an invoice entails, in the receipt's
//! transaction: the "paid" email of each invoice it leaves nothing open on (`paid_notice`) and
//! lifting a suspension (`collections::suspension`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::PaymentError;
use super::paid_notice;
pub(crate) use super::paid_notice::Settled;
use crate::db::schema::{invoice_balances, payment_allocations, payment_receipts};
use crate::ledger::chart::{SystemAccount, codes};
use crate::ledger::{
    Account, AccountId, AccountSpec, EntryId, NewEntry, NewPosting, Reference, post_entries,
};
use crate::money::Money;
use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    BankTransfer,
    DirectDebit,
    PayPal,
    Manual,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::BankTransfer => "bank_transfer",
            Method::DirectDebit => "direct_debit",
            Method::PayPal => "paypal",
            Method::Manual => "manual",
        }
    }

    /// How a customer is told the money came (the statement of account's words, a Fluent id);
    /// none for money finance booked by hand, whose way in Kontor does not know.
    pub fn words(self) -> Option<&'static str> {
        match self {
            Method::BankTransfer => Some("statement-method-bank-transfer"),
            Method::DirectDebit => Some("statement-method-direct-debit"),
            Method::PayPal => Some("statement-method-paypal"),
            Method::Manual => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Unique per payment received (`bank:<account>:<entry ref>`, `paypal-capture:<id>`); also
    /// the idempotency key of its journal entry.
    pub key: String,
    pub customer: i64,
    /// Gross received, positive.
    pub amount: Money,
    /// The provider's fee deducted from the amount (PayPal), booked as an expense.
    pub fee: Option<Money>,
    /// Where the money is now: `Bank`, `PayPalClearing`, or `Suspense` when finance assigns
    /// money that waited there.
    pub received_in: SystemAccount,
    pub method: Method,
    /// Paid in this order, each up to its open amount.
    pub invoices: Vec<i64>,
    pub occurred_at: DateTime<Utc>,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub entry: EntryId,
    pub already_applied: bool,
    /// Per invoice, what the receipt paid (negative for a reversal).
    pub paid: Vec<(i64, Money)>,
    /// What went to (or, for a reversal, came back from) the customer's credit.
    pub to_credit: Money,
}

/// What is left to pay on an invoice, as a person reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceState {
    Open,
    Overdue,
    PartlyPaid,
    Paid,
    Credited,
}

impl InvoiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceState::Open => "open",
            InvoiceState::Overdue => "overdue",
            InvoiceState::PartlyPaid => "partly_paid",
            InvoiceState::Paid => "paid",
            InvoiceState::Credited => "credited",
        }
    }

    /// The Fluent message id (`invoice-state-partly-paid`).
    pub fn message_id(self) -> &'static str {
        match self {
            InvoiceState::Open => "invoice-state-open",
            InvoiceState::Overdue => "invoice-state-overdue",
            InvoiceState::PartlyPaid => "invoice-state-partly-paid",
            InvoiceState::Paid => "invoice-state-paid",
            InvoiceState::Credited => "invoice-state-credited",
        }
    }
}

/// An invoice's balance row (the `invoice_balances` view).
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Balance {
    pub invoice_id: i64,
    pub customer_id: i64,
    pub currency: String,
    pub due_date: NaiveDate,
    pub gross: Decimal,
    pub amount_due: Decimal,
    pub credited: Decimal,
    pub paid: Decimal,
    pub open_amount: Decimal,
}

impl Balance {
    pub fn state(&self, today: NaiveDate) -> InvoiceState {
        if self.credited >= self.gross && !self.gross.is_zero() {
            InvoiceState::Credited
        } else if self.open_amount <= Decimal::ZERO {
            InvoiceState::Paid
        } else if self.paid > Decimal::ZERO {
            InvoiceState::PartlyPaid
        } else if self.due_date < today {
            InvoiceState::Overdue
        } else {
            InvoiceState::Open
        }
    }
}

pub fn balances(conn: &mut PgConnection, invoices: &[i64]) -> Result<HashMap<i64, Balance>, PaymentError> {
    let mut out = HashMap::with_capacity(invoices.len());
    for chunk in invoices.chunks(10_000) {
        let rows: Vec<Balance> =
            invoice_balances::table.filter(invoice_balances::invoice_id.eq_any(chunk)).load(conn)?;
        out.extend(rows.into_iter().map(|mut b| {
            b.currency = b.currency.trim().to_owned();
            (b.invoice_id, b)
        }));
    }
    Ok(out)
}

pub fn open_amounts(conn: &mut PgConnection, invoices: &[i64]) -> Result<HashMap<i64, Money>, PaymentError> {
    balances(conn, invoices)?
        .into_values()
        .map(|b| Ok((b.invoice_id, Money::new(b.open_amount, currency(&b.currency)?))))
        .collect()
}

pub fn invoice_state(
    conn: &mut PgConnection,
    invoice: i64,
    today: NaiveDate,
) -> Result<InvoiceState, PaymentError> {
    balances(conn, &[invoice])?
        .remove(&invoice)
        .map(|b| b.state(today))
        .ok_or(PaymentError::UnknownInvoice(invoice))
}

pub fn apply_receipt(
    conn: &mut PgConnection,
    site: &Site,
    receipt: &Receipt,
) -> Result<Applied, PaymentError> {
    apply_receipts(conn, site, std::slice::from_ref(receipt))?
        .into_iter()
        .next()
        .ok_or(PaymentError::Corrupt("no receipt applied".to_owned()))
}

/// Applies many receipts with a few statements (the statement import's path). Run it inside
/// the caller's transaction: the invoices are locked until it ends. Receipts whose key was
/// applied before are returned as they were, with `already_applied`. An invoice a receipt pays
/// in full gets its "paid" email in the same transaction (`paid_notice`), with links on `site`.
pub fn apply_receipts(
    conn: &mut PgConnection,
    site: &Site,
    receipts: &[Receipt],
) -> Result<Vec<Applied>, PaymentError> {
    // A savepoint inside the caller's transaction, or a transaction of its own.
    conn.transaction(|conn| {
        let (applied, settled) = apply_in_transaction(conn, site, receipts)?;
        paid_notice::announce(conn, site, &settled)?;
        crate::failpoint::hit("receipt-after-paid-notice");
        Ok(applied)
    })
}

/// [`apply_receipts`] without the "paid" emails: returns the invoices the receipts settled,
/// whose emails the caller must queue (`paid_notice`) in the same transaction. The statement
/// import writes them on another thread while it goes on booking.
pub(crate) fn apply_receipts_announcing_later(
    conn: &mut PgConnection,
    site: &Site,
    receipts: &[Receipt],
) -> Result<(Vec<Applied>, Vec<Settled>), PaymentError> {
    conn.transaction(|conn| apply_in_transaction(conn, site, receipts))
}

fn apply_in_transaction(
    conn: &mut PgConnection,
    site: &Site,
    receipts: &[Receipt],
) -> Result<(Vec<Applied>, Vec<Settled>), PaymentError> {
    for receipt in receipts {
        validate(receipt)?;
    }
    let keys: Vec<&str> = receipts.iter().map(|r| r.key.as_str()).collect();
    let mut earlier = recorded(conn, &keys)?;

    let mut invoice_ids: Vec<i64> = receipts
        .iter()
        .filter(|r| !earlier.contains_key(&r.key))
        .flat_map(|r| r.invoices.iter().copied())
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    lock_invoices(conn, &invoice_ids)?;
    let mut open = balances(conn, &invoice_ids)?;
    invoice_ids.clear();
    crate::phases::lap("receipts: invoices locked, balances read");

    // First what each receipt pays, then only the accounts that takes (a customer's credit
    // account is opened when money goes to it, not for every payment).
    let mut shares: Vec<Shares<'_>> = Vec::new();
    // (index in `shares`, invoice): the receipt whose share left nothing open on the invoice.
    let mut settling: Vec<(usize, i64)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for receipt in receipts {
        if earlier.contains_key(&receipt.key) || !seen.insert(receipt.key.as_str()) {
            continue;
        }
        let currency = receipt.amount.currency();
        let mut left = receipt.amount;
        let mut paid = Vec::new();
        for invoice in &receipt.invoices {
            let balance = open.get_mut(invoice).ok_or(PaymentError::UnknownInvoice(*invoice))?;
            if balance.customer_id != receipt.customer {
                return Err(PaymentError::NotTheCustomers(*invoice));
            }
            if balance.currency != currency.code() {
                return Err(PaymentError::CurrencyMismatch);
            }
            let share = left.amount().min(balance.open_amount.max(Decimal::ZERO));
            if share > Decimal::ZERO {
                balance.open_amount -= share;
                if balance.open_amount <= Decimal::ZERO {
                    settling.push((shares.len(), *invoice));
                }
                let share = Money::new(share, currency);
                left = left.checked_sub(share)?;
                paid.push((*invoice, share));
            }
        }
        shares.push((receipt, paid, left));
    }
    let specs = account_specs(&shares);
    let accounts = Account::open_many(conn, &specs)?;
    crate::phases::lap("receipts: ledger accounts");
    let account = |spec: &AccountSpec| {
        accounts
            .get(&spec.code)
            .copied()
            .ok_or_else(|| PaymentError::Corrupt(format!("account {}", spec.code)))
    };

    let mut plans: Vec<Plan> = Vec::with_capacity(shares.len());
    let mut planned: HashMap<&str, usize> = HashMap::new();
    for (receipt, paid, left) in shares {
        let currency = receipt.amount.currency();
        let fee = receipt.fee.unwrap_or(Money::zero(currency));
        let mut postings = vec![NewPosting::debit(
            account(&system_spec(receipt.received_in, currency))?,
            receipt.amount.checked_sub(fee)?,
        )];
        if fee.is_positive() {
            postings
                .push(NewPosting::debit(account(&system_spec(SystemAccount::PaymentFees, currency))?, fee));
        }
        if !paid.is_empty() {
            let receivable = account(&codes::receivable(currency, receipt.customer))?;
            postings.extend(paid.iter().map(|(_, share)| NewPosting::credit(receivable, *share)));
        }
        if left.is_positive() {
            postings.push(NewPosting::credit(account(&codes::credit(currency, receipt.customer))?, left));
        }
        let money = account(&system_spec(receipt.received_in, currency))?;
        planned.insert(receipt.key.as_str(), plans.len());
        plans.push(Plan {
            receipt,
            money,
            reversal_of: None,
            paid,
            to_credit: left,
            entry: NewEntry {
                idempotency_key: receipt.key.clone(),
                kind: crate::ledger::EntryKind::PaymentReceived.into(),
                memo: receipt.memo.clone(),
                occurred_at: receipt.occurred_at,
                reference: Some(Reference { kind: "payment".to_owned(), id: receipt.key.clone() }),
                postings: merge_postings(postings),
            },
        });
    }
    let entries = record(conn, &plans)?;
    for (plan, entry) in plans.iter().zip(&entries) {
        earlier.insert(plan.receipt.key.clone(), Recorded::of(plan, *entry));
    }
    let paid_in_full: Vec<Settled> = settling
        .into_iter()
        .filter_map(|(index, invoice)| {
            let (plan, entry) = (plans.get(index)?, entries.get(index)?);
            Some(Settled {
                invoice,
                receipt_entry: *entry,
                method: plan.receipt.method.words(),
                at: plan.receipt.occurred_at,
            })
        })
        .collect();
    reactivate(conn, site, &plans)?;
    crate::phases::lap("receipts: reactivations");
    let applied = receipts
        .iter()
        .map(|r| {
            let mut found = earlier.get(&r.key).cloned().ok_or(PaymentError::Corrupt(r.key.clone()))?;
            found.applied.already_applied = !planned.contains_key(r.key.as_str());
            if found.customer != r.customer || found.amount != r.amount {
                return Err(PaymentError::KeyConflict(r.key.clone()));
            }
            Ok(found.applied)
        })
        .collect::<Result<_, _>>()?;
    Ok((applied, paid_in_full))
}

/// A suspended customer whose receipt settled everything is active again in the receipt's own
/// transaction (`collections::suspension`); one query finds the few that are suspended at all.
fn reactivate(conn: &mut PgConnection, site: &Site, plans: &[Plan<'_>]) -> Result<(), PaymentError> {
    use crate::db::schema::suspensions;
    let customers: Vec<i64> =
        plans.iter().map(|p| p.receipt.customer).collect::<BTreeSet<_>>().into_iter().collect();
    if customers.is_empty() {
        return Ok(());
    }
    let suspended: Vec<i64> = suspensions::table
        .filter(suspensions::customer_id.eq_any(&customers))
        .filter(suspensions::lifted_at.is_null())
        .select(suspensions::customer_id)
        .load(conn)?;
    for customer in suspended {
        let Some(plan) = plans.iter().find(|p| p.receipt.customer == customer) else { continue };
        let at = plan.receipt.occurred_at;
        crate::collections::suspension::reactivate_if_settled(
            conn,
            site,
            customer,
            &plan.receipt.key,
            at.date_naive(),
            at,
        )
        .map_err(|e| PaymentError::Reactivation(Box::new(e)))?;
    }
    Ok(())
}

/// The full counter-entry of a receipt (a returned transfer, a chargeback): its invoices are
/// open again and the credit it gave is taken back. Idempotent by `reversal_key`.
pub fn reverse_receipt(
    conn: &mut PgConnection,
    original_key: &str,
    reversal_key: &str,
    occurred_at: DateTime<Utc>,
    memo: &str,
) -> Result<Applied, PaymentError> {
    conn.transaction(|conn| reverse_in_transaction(conn, original_key, reversal_key, occurred_at, memo))
}

fn reverse_in_transaction(
    conn: &mut PgConnection,
    original_key: &str,
    reversal_key: &str,
    occurred_at: DateTime<Utc>,
    memo: &str,
) -> Result<Applied, PaymentError> {
    if let Some(found) = recorded(conn, &[reversal_key])?.remove(reversal_key) {
        return Ok(Applied { already_applied: true, ..found.applied });
    }
    let original: OriginalRow = payment_receipts::table
        .find(original_key)
        .select((
            payment_receipts::customer_id,
            payment_receipts::method,
            payment_receipts::currency,
            payment_receipts::amount,
            payment_receipts::fee,
            payment_receipts::to_credit,
            payment_receipts::received_in,
            payment_receipts::reversal_of,
        ))
        .for_update()
        .first(conn)
        .optional()?
        .ok_or_else(|| PaymentError::UnknownReceipt(original_key.to_owned()))?;
    if original.reversal_of.is_some() {
        return Err(PaymentError::NotReversible(original_key.to_owned()));
    }
    let already: Option<String> = payment_receipts::table
        .filter(payment_receipts::reversal_of.eq(original_key))
        .select(payment_receipts::key)
        .first(conn)
        .optional()?;
    if let Some(other) = already {
        return Err(PaymentError::AlreadyReversed { receipt: original_key.to_owned(), by: other });
    }
    let currency = currency(&original.currency)?;
    let money = |amount: Decimal| Money::new(amount, currency);
    let allocations: Vec<(i64, Decimal)> = payment_allocations::table
        .filter(payment_allocations::receipt_key.eq(original_key))
        .select((payment_allocations::invoice_id, payment_allocations::amount))
        .order(payment_allocations::id)
        .load(conn)?;
    let invoice_ids: Vec<i64> = allocations.iter().map(|(invoice, _)| *invoice).collect();
    lock_invoices(conn, &invoice_ids)?;

    let customer = original.customer_id;
    // What the receipt put in the customer's credit is taken back: read and spent under the
    // customer's lock (`db::locks`), as far as it is still there. What was spent since (an
    // invoice settled with it) opens that invoice again instead, so credit never goes
    // below zero.
    crate::db::locks::lock_customer(conn, customer)?;
    // A credit note issued after the payment moved what the payment had settled into the
    // customer's credit (`invoicing::credit_note`): that part comes back out of the credit, and
    // only what the invoice really lacks again opens its receivable.
    let reopening = reopened_by_reversal(conn, &allocations)?;
    let moved_to_credit: Decimal =
        allocations.iter().zip(&reopening).map(|((_, amount), reopen)| *amount - *reopen).sum();
    let take_from_credit = original.to_credit + moved_to_credit;
    let mut from_credit = take_from_credit;
    let mut reopened: Vec<(i64, Decimal)> = Vec::new();
    if take_from_credit > Decimal::ZERO {
        let available = credit_available(conn, customer, currency)?;
        crate::failpoint::hit("reversal-after-credit-read");
        if available < take_from_credit {
            let shortfall = take_from_credit - available.max(Decimal::ZERO);
            reopened = reopen_credit_spenders(conn, customer, currency, shortfall)?;
            let reopened_total: Decimal = reopened.iter().map(|(_, a)| *a).sum();
            from_credit = take_from_credit - reopened_total;
        }
    }
    let (receivable_spec, credit_spec, fees_spec) = (
        codes::receivable(currency, customer),
        codes::credit(currency, customer),
        system_spec(SystemAccount::PaymentFees, currency),
    );
    let accounts =
        Account::open_many(conn, &[receivable_spec.clone(), credit_spec.clone(), fees_spec.clone()])?;
    let account = |spec: &AccountSpec| {
        accounts.get(&spec.code).copied().ok_or_else(|| PaymentError::Corrupt(spec.code.clone()))
    };
    let (receivable, credit, fees) =
        (account(&receivable_spec)?, account(&credit_spec)?, account(&fees_spec)?);
    let received_in = AccountId(original.received_in);

    let mut postings = vec![NewPosting::credit(received_in, money(original.amount - original.fee))];
    if original.fee > Decimal::ZERO {
        postings.push(NewPosting::credit(fees, money(original.fee)));
    }
    postings.extend(
        reopening.iter().filter(|r| **r > Decimal::ZERO).map(|r| NewPosting::debit(receivable, money(*r))),
    );
    postings.extend(reopened.iter().map(|(_, amount)| NewPosting::debit(receivable, money(*amount))));
    if from_credit > Decimal::ZERO {
        postings.push(NewPosting::debit(credit, money(from_credit)));
    }
    let mut paid: Vec<(i64, Money)> =
        allocations.iter().map(|(invoice, amount)| (*invoice, money(-*amount))).collect();
    for (invoice, amount) in &reopened {
        match paid.iter_mut().find(|(i, _)| i == invoice) {
            Some((_, total)) => *total = money(total.amount() - *amount),
            None => paid.push((*invoice, money(-*amount))),
        }
    }
    // The reversing receipt as a record: its money account is the original's (`Plan::money`).
    let reversed = Receipt {
        key: reversal_key.to_owned(),
        customer,
        amount: money(original.amount),
        fee: Some(money(original.fee)),
        received_in: SystemAccount::Bank,
        method: method_from(&original.method),
        invoices: invoice_ids,
        occurred_at,
        memo: memo.to_owned(),
    };
    let plan = Plan {
        receipt: &reversed,
        money: received_in,
        reversal_of: Some(original_key),
        paid,
        to_credit: money(-from_credit),
        entry: NewEntry {
            idempotency_key: reversal_key.to_owned(),
            kind: crate::ledger::EntryKind::PaymentReversed.into(),
            memo: memo.to_owned(),
            occurred_at,
            reference: Some(Reference { kind: "payment".to_owned(), id: original_key.to_owned() }),
            postings: merge_postings(postings),
        },
    };
    let entry = record(conn, std::slice::from_ref(&plan))?.into_iter().next().unwrap_or(EntryId(0));
    Ok(Recorded::of(&plan, entry).applied)
}

/// How much each reversed allocation opens its invoice again: all of it, unless a credit note
/// has since covered the invoice beyond what was left open (then `invoice_balances` counts the
/// credit note first and the payment's share went to the customer's credit).
fn reopened_by_reversal(
    conn: &mut PgConnection,
    allocations: &[(i64, Decimal)],
) -> Result<Vec<Decimal>, PaymentError> {
    let ids: Vec<i64> = allocations.iter().map(|(invoice, _)| *invoice).collect();
    let rows: Vec<(i64, Decimal, Decimal, Decimal, Decimal)> = invoice_balances::table
        .filter(invoice_balances::invoice_id.eq_any(&ids))
        .select((
            invoice_balances::invoice_id,
            invoice_balances::amount_due,
            invoice_balances::credited,
            invoice_balances::paid,
            invoice_balances::open_amount,
        ))
        .load(conn)?;
    // What each invoice lacks, below zero when credit notes and payments cover it twice.
    let mut gap: BTreeMap<i64, Decimal> = rows
        .into_iter()
        .map(|(id, due, credited, paid, open)| {
            (id, if open > Decimal::ZERO { open } else { (due - credited - paid).min(Decimal::ZERO) })
        })
        .collect();
    Ok(allocations
        .iter()
        .map(|(invoice, amount)| {
            let before = gap.get(invoice).copied().unwrap_or_default();
            let after = before + *amount;
            gap.insert(*invoice, after);
            after.max(Decimal::ZERO) - before.max(Decimal::ZERO)
        })
        .collect())
}

/// Records money paid back out of a payment (a PayPal refund beyond the customer's credit):
/// a receipt row under the refund's key whose allocation to `invoice` is negative, so the
/// invoice is open again by `amount` (the refund's journal entry debits the receivable).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_refunded_payment(
    conn: &mut PgConnection,
    key: &str,
    customer: i64,
    invoice: i64,
    amount: Money,
    money_account: AccountId,
    entry: EntryId,
    now: DateTime<Utc>,
) -> Result<(), PaymentError> {
    let currency = amount.currency().code();
    diesel::insert_into(payment_receipts::table)
        .values((
            payment_receipts::key.eq(key),
            payment_receipts::customer_id.eq(customer),
            payment_receipts::method.eq(Method::PayPal.as_str()),
            payment_receipts::currency.eq(currency),
            payment_receipts::amount.eq(amount.amount()),
            payment_receipts::to_credit.eq(Decimal::ZERO),
            payment_receipts::received_in.eq(money_account.0),
            payment_receipts::ledger_entry_id.eq(entry.0),
            payment_receipts::occurred_at.eq(now),
        ))
        .execute(conn)?;
    diesel::insert_into(payment_allocations::table)
        .values((
            payment_allocations::receipt_key.eq(key),
            payment_allocations::invoice_id.eq(invoice),
            payment_allocations::customer_id.eq(customer),
            payment_allocations::currency.eq(currency),
            payment_allocations::amount.eq(-amount.amount()),
            payment_allocations::method.eq("refund"),
            payment_allocations::ledger_entry_id.eq(entry.0),
        ))
        .execute(conn)?;
    Ok(())
}

/// What the customer's credit account holds for them in `currency` (positive: credit).
/// Read it under the customer's lock when something is then spent from it.
pub fn credit_available(
    conn: &mut PgConnection,
    customer: i64,
    currency: Currency,
) -> Result<Decimal, PaymentError> {
    use crate::db::schema::{ledger_accounts, postings};
    let code = codes::credit(currency, customer).code;
    let total: Option<Decimal> = postings::table
        .inner_join(ledger_accounts::table.on(ledger_accounts::id.eq(postings::account_id)))
        .filter(ledger_accounts::code.eq(code))
        .select(diesel::dsl::sum(postings::amount))
        .first(conn)?;
    Ok(-total.unwrap_or_default())
}

/// Opens again, newest first, the invoices customer credit settled, up to `amount` in all: the
/// credit they used is being taken back. Each opens at most by the credit it applied and by
/// what is settled on it. Returns (invoice, amount opened).
fn reopen_credit_spenders(
    conn: &mut PgConnection,
    customer: i64,
    currency: Currency,
    amount: Decimal,
) -> Result<Vec<(i64, Decimal)>, PaymentError> {
    use crate::db::schema::invoices;
    let rows: Vec<(i64, Decimal, Decimal, Decimal, Decimal)> = invoices::table
        .inner_join(invoice_balances::table.on(invoice_balances::invoice_id.eq(invoices::id)))
        .filter(invoices::customer_id.eq(customer))
        .filter(invoices::currency.eq(currency.code()))
        .filter(invoices::credit_applied.gt(Decimal::ZERO))
        .order(invoices::id.desc())
        .select((
            invoices::id,
            invoices::credit_applied,
            invoice_balances::gross,
            invoice_balances::credited,
            invoice_balances::open_amount,
        ))
        .load(conn)?;
    let mut left = amount;
    let mut out = Vec::new();
    for (id, applied, gross, credited, open) in rows {
        if left <= Decimal::ZERO {
            break;
        }
        let settled = (gross - credited - open).max(Decimal::ZERO);
        let share = left.min(applied).min(settled);
        if share > Decimal::ZERO {
            out.push((id, share));
            left -= share;
        }
    }
    Ok(out)
}

/// A receipt ready to be written.
struct Plan<'a> {
    receipt: &'a Receipt,
    money: AccountId,
    reversal_of: Option<&'a str>,
    paid: Vec<(i64, Money)>,
    to_credit: Money,
    entry: NewEntry,
}

#[derive(Debug, Clone)]
struct Recorded {
    customer: i64,
    amount: Money,
    applied: Applied,
}

impl Recorded {
    fn of(plan: &Plan<'_>, entry: EntryId) -> Recorded {
        Recorded {
            customer: plan.receipt.customer,
            amount: plan.receipt.amount,
            applied: Applied {
                entry,
                already_applied: false,
                paid: plan.paid.clone(),
                to_credit: plan.to_credit,
            },
        }
    }
}

/// key, customer, currency, amount, to_credit, ledger entry, reversal_of
type ReceiptRow = (String, i64, String, Decimal, Decimal, i64, Option<String>);

#[derive(Queryable)]
struct OriginalRow {
    customer_id: i64,
    method: String,
    currency: String,
    amount: Decimal,
    fee: Decimal,
    to_credit: Decimal,
    received_in: i64,
    reversal_of: Option<String>,
}

/// Posts the entries, then the receipt and allocation rows that point at them.
fn record(conn: &mut PgConnection, plans: &[Plan<'_>]) -> Result<Vec<EntryId>, PaymentError> {
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let entries: Vec<NewEntry> = plans.iter().map(|p| p.entry.clone()).collect();
    let posted = post_entries(conn, &entries)?;
    crate::phases::lap("receipts: journal entries and postings");
    let mut receipt_rows = Vec::with_capacity(plans.len());
    let mut allocation_rows = Vec::new();
    for (plan, posted) in plans.iter().zip(&posted) {
        let entry = posted.id().0;
        let r = plan.receipt;
        let currency = r.amount.currency().code();
        receipt_rows.push(ReceiptInsert {
            key: &r.key,
            customer_id: r.customer,
            method: r.method.as_str(),
            currency,
            amount: r.amount.amount(),
            fee: r.fee.map(|f| f.amount()).unwrap_or_default(),
            to_credit: plan.to_credit.amount().abs(),
            received_in: plan.money.0,
            ledger_entry_id: entry,
            occurred_at: r.occurred_at,
            reversal_of: plan.reversal_of,
        });
        allocation_rows.extend(plan.paid.iter().map(|(invoice, amount)| AllocationInsert {
            receipt_key: &r.key,
            invoice_id: *invoice,
            customer_id: r.customer,
            currency,
            amount: amount.amount(),
            method: r.method.as_str(),
            ledger_entry_id: entry,
        }));
    }
    // COPY: no bind-parameter limit, and several times faster than multi-row INSERTs; it
    // checks the same constraints and fires the same triggers.
    diesel::copy_from(payment_receipts::table).from_insertable(&receipt_rows).execute(conn)?;
    crate::phases::lap("receipts: receipt rows");
    if !allocation_rows.is_empty() {
        diesel::copy_from(payment_allocations::table).from_insertable(&allocation_rows).execute(conn)?;
    }
    crate::phases::lap("receipts: allocation rows and settlement triggers");
    Ok(posted.iter().map(|p| p.id()).collect())
}

#[derive(Insertable)]
#[diesel(table_name = payment_receipts, treat_none_as_default_value = false)]
struct ReceiptInsert<'a> {
    key: &'a str,
    customer_id: i64,
    method: &'a str,
    currency: &'a str,
    amount: Decimal,
    fee: Decimal,
    to_credit: Decimal,
    received_in: i64,
    ledger_entry_id: i64,
    occurred_at: DateTime<Utc>,
    reversal_of: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = payment_allocations, treat_none_as_default_value = false)]
struct AllocationInsert<'a> {
    receipt_key: &'a str,
    invoice_id: i64,
    customer_id: i64,
    currency: &'a str,
    amount: Decimal,
    method: &'a str,
    ledger_entry_id: i64,
}

/// Receipts already written under these keys, with what they did.
fn recorded(conn: &mut PgConnection, keys: &[&str]) -> Result<HashMap<String, Recorded>, PaymentError> {
    let mut out = HashMap::new();
    for chunk in keys.chunks(10_000) {
        let rows: Vec<ReceiptRow> = payment_receipts::table
            .filter(payment_receipts::key.eq_any(chunk))
            .select((
                payment_receipts::key,
                payment_receipts::customer_id,
                payment_receipts::currency,
                payment_receipts::amount,
                payment_receipts::to_credit,
                payment_receipts::ledger_entry_id,
                payment_receipts::reversal_of,
            ))
            .load(conn)?;
        if rows.is_empty() {
            continue;
        }
        let found_keys: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let allocations: Vec<(String, i64, Decimal)> = payment_allocations::table
            .filter(payment_allocations::receipt_key.eq_any(&found_keys))
            .select((
                payment_allocations::receipt_key,
                payment_allocations::invoice_id,
                payment_allocations::amount,
            ))
            .order(payment_allocations::id)
            .load(conn)?;
        let mut paid: HashMap<String, Vec<(i64, Decimal)>> = HashMap::new();
        for (key, invoice, amount) in allocations {
            paid.entry(key).or_default().push((invoice, amount));
        }
        for (key, customer, code, amount, to_credit, entry, reversal_of) in rows {
            let currency = currency(&code)?;
            let sign = if reversal_of.is_some() { -Decimal::ONE } else { Decimal::ONE };
            let applied = Applied {
                entry: EntryId(entry),
                already_applied: true,
                paid: paid
                    .remove(&key)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(invoice, amount)| (invoice, Money::new(amount, currency)))
                    .collect(),
                to_credit: Money::new(to_credit * sign, currency),
            };
            out.insert(key, Recorded { customer, amount: Money::new(amount, currency), applied });
        }
    }
    Ok(out)
}

/// Locks the invoices in id order (so concurrent receipts never deadlock) until the caller's
/// transaction ends: two receipts for one invoice see each other's allocations.
pub(crate) fn lock_invoices(conn: &mut PgConnection, ids: &[i64]) -> Result<(), PaymentError> {
    use crate::db::schema::invoices;
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for chunk in sorted.chunks(10_000) {
        let _: Vec<i64> = invoices::table
            .filter(invoices::id.eq_any(chunk))
            .order(invoices::id)
            .select(invoices::id)
            .for_update()
            .load(conn)?;
    }
    Ok(())
}

fn validate(receipt: &Receipt) -> Result<(), PaymentError> {
    let currency = receipt.amount.currency();
    if !receipt.amount.is_positive() || !receipt.amount.is_rounded() {
        return Err(PaymentError::BadAmount(receipt.amount.to_string()));
    }
    if let Some(fee) = receipt.fee {
        if fee.currency() != currency {
            return Err(PaymentError::CurrencyMismatch);
        }
        if fee.is_negative() || !fee.is_rounded() || fee.amount() >= receipt.amount.amount() {
            return Err(PaymentError::BadAmount(fee.to_string()));
        }
    }
    if receipt.key.trim().is_empty() || receipt.key.len() > 200 {
        return Err(PaymentError::BadKey);
    }
    Ok(())
}

/// A receipt, what it pays per invoice, and what is left for the customer's credit.
type Shares<'a> = (&'a Receipt, Vec<(i64, Money)>, Money);

fn account_specs(shares: &[Shares<'_>]) -> Vec<AccountSpec> {
    let mut specs = Vec::new();
    for (r, paid, left) in shares {
        let currency = r.amount.currency();
        specs.push(system_spec(r.received_in, currency));
        if !paid.is_empty() {
            specs.push(codes::receivable(currency, r.customer));
        }
        if left.is_positive() {
            specs.push(codes::credit(currency, r.customer));
        }
        if r.fee.is_some_and(|f| f.is_positive()) {
            specs.push(system_spec(SystemAccount::PaymentFees, currency));
        }
    }
    specs.sort_by(|a, b| a.code.cmp(&b.code));
    specs.dedup_by(|a, b| a.code == b.code);
    specs
}

fn system_spec(account: SystemAccount, currency: Currency) -> AccountSpec {
    account.spec(currency)
}

/// One posting per account: a receipt paying two invoices of one customer credits the
/// receivable twice, which reads better as one posting.
fn merge_postings(postings: Vec<NewPosting>) -> Vec<NewPosting> {
    let mut merged: Vec<NewPosting> = Vec::with_capacity(postings.len());
    for posting in postings {
        match merged.iter_mut().find(|p| p.account == posting.account) {
            Some(existing) => {
                existing.amount =
                    Money::new(existing.amount.amount() + posting.amount.amount(), existing.amount.currency())
            }
            None => merged.push(posting),
        }
    }
    merged.retain(|p| !p.amount.is_zero());
    merged
}

fn method_from(text: &str) -> Method {
    match text {
        "direct_debit" => Method::DirectDebit,
        "paypal" => Method::PayPal,
        "manual" => Method::Manual,
        _ => Method::BankTransfer,
    }
}

pub(crate) fn currency(code: &str) -> Result<Currency, PaymentError> {
    Currency::from_code(code.trim())
        .ok_or_else(|| PaymentError::Corrupt(format!("unknown currency {code:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    fn receipt(amount: Money, fee: Option<Money>, key: &str) -> Receipt {
        Receipt {
            key: key.to_owned(),
            customer: 7,
            amount,
            fee,
            received_in: SystemAccount::Cash,
            method: Method::BankTransfer,
            invoices: vec![1, 2],
            occurred_at: DateTime::<Utc>::UNIX_EPOCH,
            memo: String::new(),
        }
    }

    #[test]
    fn a_receipt_needs_a_positive_rounded_amount_a_smaller_fee_in_its_currency_and_a_key() {
        assert!(validate(&receipt(eur(100), None, "bank:1")).is_ok());
        assert!(validate(&receipt(eur(100), Some(eur(35)), "paypal-capture:1")).is_ok());
        for bad in [
            receipt(eur(0), None, "k"),
            receipt(eur(-100), None, "k"),
            receipt(Money::new(Decimal::new(1001, 3), Currency::EUR), None, "k"),
            receipt(eur(100), Some(eur(100)), "k"),
            receipt(eur(100), Some(eur(-1)), "k"),
        ] {
            assert!(matches!(validate(&bad), Err(PaymentError::BadAmount(_))), "{bad:?}");
        }
        let chf_fee = receipt(eur(100), Some(Money::from_minor(1, Currency::CHF)), "k");
        assert!(matches!(validate(&chf_fee), Err(PaymentError::CurrencyMismatch)));
        for key in ["", "  ", &"k".repeat(201)] {
            assert!(matches!(validate(&receipt(eur(100), None, key)), Err(PaymentError::BadKey)));
        }
    }

    #[test]
    fn postings_to_one_account_merge_and_zeros_vanish() {
        let (bank, receivable, credit) = (AccountId(1), AccountId(2), AccountId(3));
        let merged = merge_postings(vec![
            NewPosting::debit(bank, eur(300)),
            NewPosting::credit(receivable, eur(100)),
            NewPosting::credit(receivable, eur(150)),
            NewPosting::credit(credit, eur(50)),
            NewPosting::debit(credit, eur(0)),
        ]);
        assert_eq!(
            merged,
            vec![
                NewPosting::debit(bank, eur(300)),
                NewPosting::credit(receivable, eur(250)),
                NewPosting::credit(credit, eur(50)),
            ]
        );
        let cancelled =
            merge_postings(vec![NewPosting::debit(bank, eur(5)), NewPosting::credit(bank, eur(5))]);
        assert!(cancelled.is_empty());
    }

    #[test]
    fn a_receipt_opens_the_accounts_it_books_to_and_no_others() {
        let paying = receipt(eur(300), Some(eur(10)), "k1");
        let shares: Vec<Shares<'_>> = vec![(&paying, vec![(1, eur(250))], eur(40))];
        let codes: Vec<String> = account_specs(&shares).into_iter().map(|s| s.code).collect();
        assert!(codes.contains(&codes::receivable(Currency::EUR, 7).code));
        assert!(codes.contains(&codes::credit(Currency::EUR, 7).code));
        assert!(codes.contains(&SystemAccount::PaymentFees.spec(Currency::EUR).code));
        assert!(codes.contains(&SystemAccount::Cash.spec(Currency::EUR).code));
        let exact = receipt(eur(250), None, "k2");
        let shares: Vec<Shares<'_>> =
            vec![(&exact, vec![(1, eur(250))], eur(0)), (&exact, vec![(2, eur(250))], eur(0))];
        let codes: Vec<String> = account_specs(&shares).into_iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), 2, "cash and receivable once each: {codes:?}");
    }

    #[test]
    fn every_way_money_comes_has_words_except_a_booking_by_hand() {
        for method in [Method::BankTransfer, Method::DirectDebit, Method::PayPal] {
            let id = method.words().unwrap();
            assert_ne!(crate::i18n::t(&crate::i18n::Lang::english(), id), id);
        }
        assert_eq!(Method::Manual.words(), None);
    }

    #[test]
    fn methods_read_back_as_written() {
        for method in [Method::BankTransfer, Method::DirectDebit, Method::PayPal, Method::Manual] {
            assert_eq!(method_from(method.as_str()), method);
        }
    }
}
