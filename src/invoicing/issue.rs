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
use super::reference::rf_reference;
use crate::db::schema::{invoice_lines, invoice_vat, invoices, pending_charges};
use crate::ledger::{AccountId, NewEntry, NewPosting, Reference, post_entries};
use crate::money::Money;

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
        let total = revenue
            .entry(line.input.product.as_str())
            .or_insert_with(|| Money::zero(draft.currency));
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
            "credit_note_issued"
        } else {
            "invoice_issued"
        }
        .to_owned(),
        memo: String::new(),
        occurred_at,
        reference: Some(Reference {
            kind: series.as_str().to_owned(),
            id: number.to_owned(),
        }),
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
        for (offset, index) in indices.into_iter().enumerate() {
            if let Some(slot) = numbers.get_mut(index) {
                *slot = Some((year, first + offset as i64));
            }
        }
    }
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

    let rows: Vec<_> = drafts
        .iter()
        .zip(&labels)
        .zip(&posted)
        .map(|((d, (year, sequence, label)), entry)| {
            let t = &d.totals;
            (
                (
                    invoices::kind.eq(series.as_str()),
                    invoices::number.eq(label.clone()),
                    invoices::series_year.eq(*year),
                    invoices::sequence.eq(*sequence),
                    invoices::customer_id.eq(d.customer_id),
                    invoices::subscription_id.eq(d.subscription_id),
                    invoices::billing_period.eq(d.billing_period.clone()),
                    invoices::service_from.eq(d.service_from),
                    invoices::service_until.eq(d.service_until),
                    invoices::credited_invoice_id.eq(d.credited_invoice_id),
                    invoices::reason.eq(d.reason.clone()),
                    invoices::issue_date.eq(d.issue_date),
                    invoices::due_date.eq(d.due_date),
                    invoices::currency.eq(d.currency.code()),
                ),
                (
                    invoices::net.eq(t.net.amount()),
                    invoices::vat.eq(t.vat.amount()),
                    invoices::gross.eq(t.gross.amount()),
                    invoices::credit_applied.eq(t.credit_applied.amount()),
                    invoices::amount_due.eq(t.amount_due.amount()),
                    invoices::vat_treatment.eq(d.vat_treatment.clone()),
                    invoices::vat_note.eq(d.vat_note.clone()),
                    invoices::language.eq(d.language.clone()),
                    invoices::customer_snapshot.eq(d.customer_snapshot.clone()),
                    invoices::seller_snapshot.eq(d.seller_snapshot.clone()),
                    invoices::payment_reference.eq(rf_reference(label)),
                    invoices::ledger_entry_id.eq(entry.id().0),
                    invoices::created_at.eq(now),
                ),
            )
        })
        .collect();
    let ids: Vec<(i64, String)> = diesel::insert_into(invoices::table)
        .values(&rows)
        .returning((invoices::id, invoices::number))
        .get_results(conn)?;
    let id_of: BTreeMap<String, i64> = ids.into_iter().map(|(id, number)| (number, id)).collect();

    let mut line_rows = Vec::new();
    let mut vat_rows = Vec::new();
    let mut charges: Vec<(i64, Vec<i64>)> = Vec::new();
    for (draft, (_, _, label)) in drafts.iter().zip(&labels) {
        let id = *id_of
            .get(label)
            .ok_or_else(|| InvoicingError::Corrupt(format!("{label} not written")))?;
        for (n, line) in draft.totals.lines.iter().enumerate() {
            let l = &line.input;
            line_rows.push((
                invoice_lines::invoice_id.eq(id),
                invoice_lines::line_no.eq(n as i32 + 1),
                invoice_lines::description.eq(l.description.clone()),
                invoice_lines::plan_code.eq(l.plan_code.clone()),
                invoice_lines::service_from.eq(l.service_from),
                invoice_lines::service_until.eq(l.service_until),
                invoice_lines::quantity.eq(l.quantity),
                invoice_lines::unit_price.eq(l.unit_price.amount()),
                invoice_lines::net.eq(l.net.amount()),
                invoice_lines::vat_rate.eq(l.vat_rate),
                invoice_lines::vat.eq(line.vat.amount()),
            ));
        }
        for row in &draft.totals.vat_rows {
            vat_rows.push((
                invoice_vat::invoice_id.eq(id),
                invoice_vat::rate.eq(row.rate),
                invoice_vat::net.eq(row.net.amount()),
                invoice_vat::vat.eq(row.vat.amount()),
            ));
        }
        if !draft.pending_charge_ids.is_empty() {
            charges.push((id, draft.pending_charge_ids.clone()));
        }
        issued.push(Issued {
            id,
            number: label.clone(),
            gross: draft.totals.gross,
        });
    }
    for chunk in line_rows.chunks(4_000) {
        diesel::insert_into(invoice_lines::table)
            .values(chunk)
            .execute(conn)?;
    }
    for chunk in vat_rows.chunks(8_000) {
        diesel::insert_into(invoice_vat::table)
            .values(chunk)
            .execute(conn)?;
    }
    for (invoice, ids) in charges {
        diesel::update(pending_charges::table.filter(pending_charges::id.eq_any(ids)))
            .set((
                pending_charges::invoice_id.eq(invoice),
                pending_charges::invoiced_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(issued)
}
