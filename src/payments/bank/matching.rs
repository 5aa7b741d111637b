//! Deciding what an incoming transfer pays, for a chunk of transfers at a time (a few
//! queries per chunk, not per transfer), in the order finance would:
//! 1. our RF or Swiss QR reference in the structured remittance -> that invoice;
//! 2. invoice numbers in the free text (several -> split across them, in the order written;
//!    invoices of several customers are each paid, and what is left waits in the queue);
//! 3. otherwise the money waits in suspense, with suggestions for finance: customers whose
//!    name is the payer's or who paid from this IBAN before, and their open invoices, the ones
//!    of the transfer's exact amount first.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::BankError;
use super::incoming::Incoming;
use super::references::{Pointer, from_free_text, from_structured};
use crate::db::schema::{bank_transactions, customers, invoice_balances, invoices};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Pay these invoices of this customer, in this order.
    Pay { customer: i64, invoices: Vec<i64> },
    /// The transfer names invoices of several customers: pay each, in this order, as far as
    /// the money goes; what is left waits in the reconciliation queue (customer, invoice).
    Split { invoices: Vec<(i64, i64)> },
    /// Nothing names an invoice of ours: suspense, with what finance may want to look at.
    Suspense { suggestions: Vec<Suggestion> },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    pub customer_id: i64,
    pub customer_name: String,
    /// `name` (the payer's name is the customer's) or `iban` (paid from this IBAN before).
    pub reason: String,
    pub invoice_number: Option<String>,
    pub open_amount: Option<Decimal>,
    /// The invoice's open amount is exactly the transfer's.
    pub exact_amount: bool,
}

struct InvoiceRef {
    id: i64,
    number: String,
    customer: i64,
    currency: String,
    year: i32,
    sequence: i64,
}

pub fn decide(conn: &mut PgConnection, transfers: &[&Incoming]) -> Result<Vec<Decision>, BankError> {
    let pointers: Vec<Vec<Pointer>> = transfers.iter().map(|t| pointers_of(t)).collect();
    let mut numbers = BTreeSet::new();
    let mut sequences = BTreeSet::new();
    for pointer in pointers.iter().flatten() {
        match pointer {
            Pointer::Number(n) => numbers.insert(n.clone()),
            Pointer::Sequence(s) => sequences.insert(*s),
        };
    }
    let found = lookup(conn, &numbers, &sequences)?;
    let by_number: HashMap<&str, &InvoiceRef> = found.iter().map(|i| (i.number.as_str(), i)).collect();
    let mut by_sequence: HashMap<i64, Vec<&InvoiceRef>> = HashMap::new();
    for invoice in &found {
        by_sequence.entry(invoice.sequence).or_default().push(invoice);
    }
    // A sequence without its year names the newest invoice with that sequence still open.
    let ids: Vec<i64> = found.iter().filter(|i| sequences.contains(&i.sequence)).map(|i| i.id).collect();
    let open: HashMap<i64, Decimal> =
        crate::payments::balances(conn, &ids)?.into_values().map(|b| (b.invoice_id, b.open_amount)).collect();

    let mut decisions = Vec::with_capacity(transfers.len());
    let mut undecided = Vec::new();
    for (index, (transfer, pointers)) in transfers.iter().zip(&pointers).enumerate() {
        let currency = transfer.amount.currency().code();
        let mut chosen: Vec<&InvoiceRef> = Vec::new();
        for pointer in pointers {
            let invoice = match pointer {
                Pointer::Number(n) => by_number.get(n.as_str()).copied(),
                Pointer::Sequence(s) => by_sequence
                    .get(s)
                    .into_iter()
                    .flatten()
                    .filter(|i| {
                        i.currency == currency
                            && open.get(&i.id).is_some_and(|o| o.is_sign_positive() && !o.is_zero())
                    })
                    .max_by_key(|i| i.year)
                    .copied(),
            };
            if let Some(invoice) = invoice
                && invoice.currency == currency
                && !chosen.iter().any(|c| c.id == invoice.id)
            {
                chosen.push(invoice);
            }
        }
        match chosen.first() {
            Some(first) if chosen.iter().all(|i| i.customer == first.customer) => {
                decisions.push(Decision::Pay {
                    customer: first.customer,
                    invoices: chosen.iter().map(|i| i.id).collect(),
                })
            }
            Some(_) => decisions
                .push(Decision::Split { invoices: chosen.iter().map(|i| (i.customer, i.id)).collect() }),
            None => {
                undecided.push(index);
                decisions.push(Decision::Suspense { suggestions: Vec::new() });
            }
        }
    }
    if !undecided.is_empty() {
        let waiting: Vec<&Incoming> = undecided.iter().filter_map(|&i| transfers.get(i).copied()).collect();
        for (index, suggestions) in undecided.into_iter().zip(suggest(conn, &waiting)?) {
            if let Some(decision) = decisions.get_mut(index) {
                *decision = Decision::Suspense { suggestions };
            }
        }
    }
    Ok(decisions)
}

fn pointers_of(transfer: &Incoming) -> Vec<Pointer> {
    let mut pointers = Vec::new();
    if let Some(number) = transfer.details.creditor_reference.as_deref().and_then(from_structured) {
        pointers.push(Pointer::Number(number));
    }
    for text in [transfer.details.creditor_reference.as_deref(), transfer.details.remittance.as_deref()]
        .into_iter()
        .flatten()
    {
        for pointer in from_free_text(text) {
            if !pointers.contains(&pointer) {
                pointers.push(pointer);
            }
        }
    }
    pointers
}

fn lookup(
    conn: &mut PgConnection,
    numbers: &BTreeSet<String>,
    sequences: &BTreeSet<i64>,
) -> Result<Vec<InvoiceRef>, BankError> {
    let columns = (
        invoices::id,
        invoices::number,
        invoices::customer_id,
        invoices::currency,
        invoices::series_year,
        invoices::sequence,
    );
    let mut rows: Vec<(i64, String, i64, String, i32, i64)> = Vec::new();
    let numbers: Vec<&String> = numbers.iter().collect();
    for chunk in numbers.chunks(10_000) {
        rows.extend(
            invoices::table
                .filter(
                    invoices::kind
                        .eq(crate::invoicing::numbering::Series::Invoice.as_str())
                        .and(invoices::number.eq_any(chunk)),
                )
                .select(columns)
                .load::<(i64, String, i64, String, i32, i64)>(conn)?,
        );
    }
    let sequences: Vec<i64> = sequences.iter().copied().collect();
    for chunk in sequences.chunks(10_000) {
        rows.extend(
            invoices::table
                .filter(
                    invoices::kind
                        .eq(crate::invoicing::numbering::Series::Invoice.as_str())
                        .and(invoices::sequence.eq_any(chunk)),
                )
                .select(columns)
                .load::<(i64, String, i64, String, i32, i64)>(conn)?,
        );
    }
    rows.sort_by_key(|r| r.0);
    rows.dedup_by_key(|r| r.0);
    Ok(rows
        .into_iter()
        .map(|(id, number, customer, currency, year, sequence)| InvoiceRef {
            id,
            number,
            customer,
            currency: currency.trim().to_owned(),
            year,
            sequence,
        })
        .collect())
}

/// Lower case, single spaces: "  MÜLLER,  Anna " and "müller, anna" are one name.
fn normalized_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Likely customers for transfers that name no invoice of ours.
fn suggest(conn: &mut PgConnection, transfers: &[&Incoming]) -> Result<Vec<Vec<Suggestion>>, BankError> {
    let names: BTreeSet<String> =
        transfers.iter().filter_map(|t| t.details.debtor_name.as_deref()).map(normalized_name).collect();
    let ibans: BTreeSet<String> = transfers.iter().filter_map(|t| t.details.debtor_iban.clone()).collect();
    let names: Vec<String> = names.into_iter().collect();
    let ibans: Vec<String> = ibans.into_iter().collect();

    let named: Vec<(i64, String)> = if names.is_empty() {
        Vec::new()
    } else {
        customers::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')) = ANY(",
                )
                .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(&names)
                .sql(")"),
            )
            .select((customers::id, customers::name))
            .limit(1_000)
            .load(conn)?
    };
    // Who paid from an IBAN before: booked transfers from it.
    let paid_from: Vec<(String, i64)> = if ibans.is_empty() {
        Vec::new()
    } else {
        bank_transactions::table
            .filter(bank_transactions::debtor_iban.eq_any(&ibans))
            .filter(bank_transactions::customer_id.is_not_null())
            .select((
                bank_transactions::debtor_iban.assume_not_null(),
                bank_transactions::customer_id.assume_not_null(),
            ))
            .distinct()
            .limit(1_000)
            .load(conn)?
    };
    let mut customer_ids: BTreeSet<i64> = named.iter().map(|(id, _)| *id).collect();
    customer_ids.extend(paid_from.iter().map(|(_, id)| *id));
    let ids: Vec<i64> = customer_ids.into_iter().collect();
    let customer_names: HashMap<i64, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        customers::table
            .filter(customers::id.eq_any(&ids))
            .select((customers::id, customers::name))
            .load(conn)?
            .into_iter()
            .collect()
    };
    let open_invoices: Vec<(i64, String, String, Decimal)> = if ids.is_empty() {
        Vec::new()
    } else {
        invoice_balances::table
            .inner_join(invoices::table.on(invoices::id.eq(invoice_balances::invoice_id)))
            .filter(invoice_balances::customer_id.eq_any(&ids))
            .filter(invoice_balances::open_amount.gt(Decimal::ZERO))
            .order(invoices::id)
            .select((
                invoice_balances::customer_id,
                invoices::number,
                invoice_balances::currency,
                invoice_balances::open_amount,
            ))
            .load(conn)?
    };
    let mut by_customer: HashMap<i64, Vec<(String, Decimal, String)>> = HashMap::new();
    for (customer, number, currency, open) in open_invoices {
        by_customer.entry(customer).or_default().push((number, open, currency.trim().to_owned()));
    }

    Ok(transfers
        .iter()
        .map(|transfer| {
            let mut candidates: Vec<(i64, &str)> = Vec::new();
            if let Some(iban) = transfer.details.debtor_iban.as_deref() {
                candidates.extend(paid_from.iter().filter(|(i, _)| i == iban).map(|(_, c)| (*c, "iban")));
            }
            if let Some(name) = transfer.details.debtor_name.as_deref().map(normalized_name) {
                candidates.extend(
                    named.iter().filter(|(_, n)| normalized_name(n) == name).map(|(c, _)| (*c, "name")),
                );
            }
            candidates.dedup_by_key(|c| c.0);
            let mut out = Vec::new();
            for (customer, reason) in candidates.into_iter().take(5) {
                let customer_name = customer_names.get(&customer).cloned().unwrap_or_default();
                let currency = transfer.amount.currency().code();
                let mut invoices: Vec<&(String, Decimal, String)> = by_customer
                    .get(&customer)
                    .into_iter()
                    .flatten()
                    .filter(|(_, _, c)| c == currency)
                    .collect();
                invoices.sort_by_key(|(_, open, _)| *open != transfer.amount.amount());
                if invoices.is_empty() {
                    out.push(Suggestion {
                        customer_id: customer,
                        customer_name,
                        reason: reason.to_owned(),
                        invoice_number: None,
                        open_amount: None,
                        exact_amount: false,
                    });
                    continue;
                }
                for (number, open, _) in invoices.into_iter().take(3) {
                    out.push(Suggestion {
                        customer_id: customer,
                        customer_name: customer_name.clone(),
                        reason: reason.to_owned(),
                        invoice_number: Some(number.clone()),
                        open_amount: Some(*open),
                        exact_amount: *open == transfer.amount.amount(),
                    });
                }
            }
            out
        })
        .collect())
}
