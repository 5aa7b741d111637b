//! Writing invoices and credit notes: numbers, the ledger entry, the document, its lines and
//! VAT rows, all inside the caller's transaction. Many documents go in a few multi-row
//! statements; the number counter is locked last, so concurrent writers wait only briefly.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::InvoicingError;
use super::compose::Totals;
use super::numbering::{self, Series};
use crate::db::schema::{invoice_lines, invoice_vat, invoices, pending_charges};
use crate::ledger::{AccountId, NewEntry, NewPosting, Reference, post_entries};
use crate::money::Money;
use crate::references::rf_reference;

/// The ledger accounts an invoice books to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accounts {
    pub receivable: AccountId,
    pub credit: AccountId,
    /// Revenue per product code.
    pub revenue: BTreeMap<String, AccountId>,
    /// VAT payable per rate (for the invoice's VAT country).
    pub vat: BTreeMap<Decimal, AccountId>,
}

/// A document ready to issue.
#[derive(Debug, Clone)]
pub struct Draft {
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    pub billing_period: Option<String>,
    pub credited_invoice_id: Option<i64>,
    pub reason: Option<String>,
    pub service_from: Option<NaiveDate>,
    pub service_until: Option<NaiveDate>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub totals: Totals,
    pub vat_treatment: String,
    pub vat_note: Option<String>,
    pub language: String,
    pub customer_snapshot: serde_json::Value,
    pub seller_snapshot: serde_json::Value,
    pub pending_charge_ids: Vec<i64>,
    pub accounts: Accounts,
    /// For credit notes: how much reduces the receivable; the rest becomes customer credit.
    pub receivable_share: Option<Money>,
}

#[derive(Insertable)]
#[diesel(table_name = invoices, treat_none_as_default_value = false)]
struct InvoiceInsert<'a> {
    id: i64,
    kind: &'a str,
    number: &'a str,
    series_year: i32,
    sequence: i64,
    customer_id: i64,
    subscription_id: Option<i64>,
    billing_period: Option<&'a str>,
    service_from: Option<NaiveDate>,
    service_until: Option<NaiveDate>,
    credited_invoice_id: Option<i64>,
    reason: Option<&'a str>,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    currency: &'a str,
    net: Decimal,
    vat: Decimal,
    gross: Decimal,
    credit_applied: Decimal,
    amount_due: Decimal,
    vat_treatment: &'a str,
    vat_note: Option<&'a str>,
    language: &'a str,
    customer_snapshot: &'a serde_json::Value,
    seller_snapshot: &'a serde_json::Value,
    payment_reference: String,
    ledger_entry_id: i64,
    created_at: DateTime<Utc>,
}

#[derive(Insertable)]
#[diesel(table_name = invoice_lines, treat_none_as_default_value = false)]
struct LineRow<'a> {
    invoice_id: i64,
    line_no: i32,
    description: &'a str,
    plan_code: Option<&'a str>,
    service_from: Option<NaiveDate>,
    service_until: Option<NaiveDate>,
    quantity: Decimal,
    unit_price: Decimal,
    net: Decimal,
    vat_rate: Decimal,
    vat: Decimal,
}

#[derive(Insertable)]
#[diesel(table_name = invoice_vat, treat_none_as_default_value = false)]
struct VatRowInsert {
    invoice_id: i64,
    rate: Decimal,
    net: Decimal,
    vat: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub id: i64,
    pub number: String,
    pub gross: Money,
}

/// The balanced entry of a document. Invoices: receivable debit, revenue and VAT credits,
/// customer credit applied. Credit notes: the same reversed, the part beyond the open
/// receivable going to the customer's credit.
fn entry(
    series: Series,
    number: &str,
    draft: &Draft,
    occurred_at: DateTime<Utc>,
) -> Result<NewEntry, InvoicingError> {
    let t = &draft.totals;
    let sign = |m: Money| if series == Series::CreditNote { -m } else { m };
    let mut postings = Vec::new();
    let mut push = |account: AccountId, amount: Money| {
        if !amount.is_zero() {
            postings.push(NewPosting { account, amount });
        }
    };
    match (series, draft.receivable_share) {
        (Series::CreditNote, Some(share)) => {
            push(draft.accounts.receivable, -share);
            push(draft.accounts.credit, -t.gross.checked_sub(share)?);
        }
        _ => push(draft.accounts.receivable, sign(t.gross)),
    }
    let mut revenue: BTreeMap<&str, Money> = BTreeMap::new();
    for line in &t.lines {
        let total = revenue.entry(line.input.product.as_str()).or_insert_with(|| Money::zero(draft.currency));
        *total = total.checked_add(line.input.net)?;
    }
    for (product, net) in revenue {
        let account = draft
            .accounts
            .revenue
            .get(product)
            .ok_or_else(|| InvoicingError::Corrupt(format!("no revenue account for {product}")))?;
        push(*account, sign(-net));
    }
    for row in &t.vat_rows {
        if row.vat.is_zero() {
            continue;
        }
        let account = draft
            .accounts
            .vat
            .get(&row.rate)
            .ok_or_else(|| InvoicingError::Corrupt(format!("no VAT account for {}", row.rate)))?;
        push(*account, sign(-row.vat));
    }
    if series == Series::Invoice && t.credit_applied.is_positive() {
        push(draft.accounts.credit, t.credit_applied);
        push(draft.accounts.receivable, -t.credit_applied);
    }
    Ok(NewEntry {
        idempotency_key: format!("{}:{number}", series.as_str()),
        kind: if series == Series::CreditNote {
            crate::ledger::EntryKind::CreditNoteIssued
        } else {
            crate::ledger::EntryKind::InvoiceIssued
        }
        .into(),
        memo: String::new(),
        occurred_at,
        reference: Some(Reference { kind: series.as_str().to_owned(), id: number.to_owned() }),
        postings,
    })
}

/// Issues `drafts` as documents of `series`; returns them in the same order.
pub fn issue(
    conn: &mut PgConnection,
    series: Series,
    drafts: &[Draft],
    now: DateTime<Utc>,
) -> Result<Vec<Issued>, InvoicingError> {
    issue_numbered(conn, series, drafts, now, None, &mut |_, _, _| {})
}

/// As [`issue`], with the documents' ids reserved beforehand (`ids`, one per draft, from
/// `db::sequence::reserve_ids`), and `numbered` told each year's first number and count as
/// soon as they are reserved (see `forecast`).
pub fn issue_numbered(
    conn: &mut PgConnection,
    series: Series,
    drafts: &[Draft],
    now: DateTime<Utc>,
    ids: Option<&[i64]>,
    numbered: &mut dyn FnMut(i32, i64, i64),
) -> Result<Vec<Issued>, InvoicingError> {
    let mut issued = Vec::with_capacity(drafts.len());
    // Numbers are per year of the issue date.
    let mut years: Vec<i32> = drafts.iter().map(|d| d.issue_date.year()).collect();
    years.sort_unstable();
    years.dedup();
    let mut numbers: Vec<Option<(i32, i64)>> = vec![None; drafts.len()];
    for year in years {
        let indices: Vec<usize> = (0..drafts.len())
            .filter(|i| drafts.get(*i).is_some_and(|d| d.issue_date.year() == year))
            .collect();
        let first = numbering::reserve(conn, series, year, indices.len() as i64)?;
        numbered(year, first, indices.len() as i64);
        for (offset, index) in indices.into_iter().enumerate() {
            if let Some(slot) = numbers.get_mut(index) {
                *slot = Some((year, first + offset as i64));
            }
        }
    }
    crate::phases::lap("number counter locked");
    let mut entries = Vec::with_capacity(drafts.len());
    let mut labels = Vec::with_capacity(drafts.len());
    for (draft, number) in drafts.iter().zip(&numbers) {
        let (year, sequence) =
            number.ok_or_else(|| InvoicingError::Corrupt("unnumbered draft".to_owned()))?;
        let label = series.number(year, sequence);
        entries.push(entry(series, &label, draft, now)?);
        labels.push((year, sequence, label));
    }
    let posted = post_entries(conn, &entries)?;
    crate::phases::lap("ledger entries");

    let ids = match ids {
        Some(ids) if ids.len() == drafts.len() => ids.to_vec(),
        Some(_) => return Err(InvoicingError::Corrupt("one reserved id per draft".to_owned())),
        None => crate::db::sequence::reserve_ids(conn, "invoices", drafts.len())?,
    };
    let rows: Vec<InvoiceInsert<'_>> = drafts
        .iter()
        .zip(&labels)
        .zip(&posted)
        .zip(&ids)
        .map(|(((d, (year, sequence, label)), entry), id)| {
            let t = &d.totals;
            InvoiceInsert {
                id: *id,
                kind: series.as_str(),
                number: label,
                series_year: *year,
                sequence: *sequence,
                customer_id: d.customer_id,
                subscription_id: d.subscription_id,
                billing_period: d.billing_period.as_deref(),
                service_from: d.service_from,
                service_until: d.service_until,
                credited_invoice_id: d.credited_invoice_id,
                reason: d.reason.as_deref(),
                issue_date: d.issue_date,
                due_date: d.due_date,
                currency: d.currency.code(),
                net: t.net.amount(),
                vat: t.vat.amount(),
                gross: t.gross.amount(),
                credit_applied: t.credit_applied.amount(),
                amount_due: t.amount_due.amount(),
                vat_treatment: &d.vat_treatment,
                vat_note: d.vat_note.as_deref(),
                language: &d.language,
                customer_snapshot: &d.customer_snapshot,
                seller_snapshot: &d.seller_snapshot,
                payment_reference: rf_reference(label),
                ledger_entry_id: entry.id().0,
                created_at: now,
            }
        })
        .collect();
    diesel::copy_from(invoices::table).from_insertable(&rows).execute(conn)?;
    crate::phases::lap("invoice rows");
    let id_of: BTreeMap<String, i64> =
        labels.iter().map(|(_, _, l)| l.clone()).zip(ids.iter().copied()).collect();

    let mut line_rows = Vec::new();
    let mut vat_rows = Vec::new();
    let mut charges: Vec<(i64, Vec<i64>)> = Vec::new();
    for (draft, (_, _, label)) in drafts.iter().zip(&labels) {
        let id = *id_of.get(label).ok_or_else(|| InvoicingError::Corrupt(format!("{label} not written")))?;
        for (n, line) in draft.totals.lines.iter().enumerate() {
            let l = &line.input;
            line_rows.push(LineRow {
                invoice_id: id,
                line_no: n as i32 + 1,
                description: &l.description,
                plan_code: l.plan_code.as_deref(),
                service_from: l.service_from,
                service_until: l.service_until,
                quantity: l.quantity,
                unit_price: l.unit_price.amount(),
                net: l.net.amount(),
                vat_rate: l.vat_rate,
                vat: line.vat.amount(),
            });
        }
        for row in &draft.totals.vat_rows {
            vat_rows.push(VatRowInsert {
                invoice_id: id,
                rate: row.rate,
                net: row.net.amount(),
                vat: row.vat.amount(),
            });
        }
        if !draft.pending_charge_ids.is_empty() {
            charges.push((id, draft.pending_charge_ids.clone()));
        }
        issued.push(Issued { id, number: label.clone(), gross: draft.totals.gross });
    }
    // COPY: no bind-parameter limit, and several times faster than multi-row INSERTs.
    if !line_rows.is_empty() {
        diesel::copy_from(invoice_lines::table).from_insertable(&line_rows).execute(conn)?;
    }
    if !vat_rows.is_empty() {
        diesel::copy_from(invoice_vat::table).from_insertable(&vat_rows).execute(conn)?;
    }
    // Which compensation grants the applied customer credit used (shown as negative lines).
    if series == Series::Invoice {
        crate::incidents::credits::record_uses(conn, &ids)?;
    }
    for (invoice, ids) in charges {
        diesel::update(pending_charges::table.filter(pending_charges::id.eq_any(ids)))
            .set((pending_charges::invoice_id.eq(invoice), pending_charges::invoiced_at.eq(now)))
            .execute(conn)?;
    }
    crate::phases::lap("invoice lines, VAT rows, credit uses, charges");
    Ok(issued)
}
