//! What a PDF shows, read back from the issued invoice rows: the document is drawn from
//! exactly what was booked, in the language and with the addresses frozen at issue.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;
use serde_json::Value;

use super::DocumentError;
use super::snapshot::{Seller, optional_text, seller, text};
use crate::db::schema::{invoice_lines, invoice_vat, invoices};
use crate::documents::how_to_pay::{Facts, HowToPay, MandateFacts, collecting_mandates, decide};
use crate::i18n::Lang;
use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invoice,
    CreditNote,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub name: String,
    pub company_name: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub vat_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub net: Money,
    pub vat_rate: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VatRow {
    pub rate: Decimal,
    pub net: Money,
    pub vat: Money,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceDocument {
    pub id: i64,
    pub kind: Kind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub service_from: Option<NaiveDate>,
    pub service_until: Option<NaiveDate>,
    pub currency: Currency,
    pub lines: Vec<Line>,
    pub vat_rows: Vec<VatRow>,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
    pub credit_applied: Money,
    /// Outage compensation the applied credit consumed: (incident title in the document's
    /// language, amount), shown as negative lines "Compensation for <title>".
    pub compensation: Vec<(String, Money)>,
    pub amount_due: Money,
    pub vat_note: Option<String>,
    /// How VAT was decided at issue (`tax::VatTreatment::code`): the e-invoice's VAT category.
    pub vat_treatment: String,
    pub language: Lang,
    pub customer_number: String,
    pub customer_email: String,
    pub customer: Party,
    pub seller: Seller,
    pub payment_reference: String,
    pub credited_number: Option<String>,
    pub reason: Option<String>,
    /// How the document asks to be paid, as at issue (`documents::how_to_pay`): the debit under
    /// the customer's mandate, a transfer to its currency's account, or nothing. The invoice's
    /// page and emails decide with the same function.
    pub how_to_pay: HowToPay,
}

impl InvoiceDocument {
    pub fn file_name(&self) -> String {
        format!("{}.pdf", self.number)
    }
}

type HeadRow = (
    (i64, String, String, NaiveDate, NaiveDate, Option<NaiveDate>, Option<NaiveDate>, String),
    (Decimal, Decimal, Decimal, Decimal, Decimal),
    (Option<String>, String, Value, Value, String, Option<i64>, Option<String>, String),
);

/// description, quantity, unit price, net, VAT rate
pub type LineColumns = (String, Decimal, Decimal, Decimal, Decimal);

/// An issued document's row, lines and VAT rows as stored (`load` reads them back; the batch
/// has them before it writes them): amounts in the document's currency, lines in their order,
/// VAT rows by rate.
pub struct Head<'a> {
    pub id: i64,
    pub kind: Kind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub service_from: Option<NaiveDate>,
    pub service_until: Option<NaiveDate>,
    pub currency: Currency,
    pub lines: Vec<LineColumns>,
    /// rate, net, VAT
    pub vat_rows: Vec<(Decimal, Decimal, Decimal)>,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub credit_applied: Decimal,
    pub amount_due: Decimal,
    pub vat_note: Option<String>,
    pub vat_treatment: String,
    pub language: Lang,
    pub customer: &'a Value,
    pub seller: &'a Value,
    pub payment_reference: String,
    pub credited_number: Option<String>,
    pub reason: Option<String>,
}

/// The document `head` shows, with the compensation its applied credit consumed (incident
/// title, amount) and the mandate that collects it, if any.
pub fn assemble(
    head: Head<'_>,
    compensation: Vec<(String, Money)>,
    mandate: Option<MandateFacts>,
) -> Result<InvoiceDocument, DocumentError> {
    let currency = head.currency;
    let money = |amount: Decimal| Money::new(amount, currency);
    let seller = seller(head.seller);
    // As at issue: what the document asks for is its amount due, whatever was paid since,
    // so a document renders the same whenever it is rendered.
    let how_to_pay = decide(&Facts {
        credit_note: head.kind == Kind::CreditNote,
        number: &head.number,
        currency,
        due_date: head.due_date,
        payment_reference: &head.payment_reference,
        seller: &seller,
        amount_due: money(head.amount_due),
        open: money(head.amount_due),
        mandate,
    })
    .map_err(|e| DocumentError::Corrupt(e.to_string()))?;
    let customer = head.customer;
    Ok(InvoiceDocument {
        id: head.id,
        kind: head.kind,
        issue_date: head.issue_date,
        due_date: head.due_date,
        service_from: head.service_from,
        service_until: head.service_until,
        currency,
        lines: head
            .lines
            .into_iter()
            .map(|(description, quantity, unit_price, net, vat_rate)| Line {
                description,
                quantity,
                unit_price: money(unit_price),
                net: money(net),
                vat_rate,
            })
            .collect(),
        vat_rows: head
            .vat_rows
            .into_iter()
            .map(|(rate, net, amount)| VatRow { rate, net: money(net), vat: money(amount) })
            .collect(),
        net: money(head.net),
        vat: money(head.vat),
        gross: money(head.gross),
        credit_applied: money(head.credit_applied),
        compensation,
        amount_due: money(head.amount_due),
        vat_note: head.vat_note,
        vat_treatment: head.vat_treatment,
        language: head.language,
        customer_number: text(customer, "number"),
        customer_email: text(customer, "email"),
        customer: Party {
            name: text(customer, "name"),
            company_name: optional_text(customer, "company_name"),
            street: text(customer, "street"),
            postal_code: text(customer, "postal_code"),
            city: text(customer, "city"),
            country: text(customer, "country"),
            vat_id: optional_text(customer, "vat_id"),
        },
        seller,
        payment_reference: head.payment_reference,
        credited_number: head.credited_number,
        reason: head.reason,
        number: head.number,
        how_to_pay,
    })
}

/// The documents with these ids, in id order (unknown ids are left out).
pub fn load(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<InvoiceDocument>, DocumentError> {
    let heads: Vec<HeadRow> = invoices::table
        .filter(invoices::id.eq_any(ids))
        .order(invoices::id)
        .select((
            (
                invoices::id,
                invoices::kind,
                invoices::number,
                invoices::issue_date,
                invoices::due_date,
                invoices::service_from,
                invoices::service_until,
                invoices::currency,
            ),
            (invoices::net, invoices::vat, invoices::gross, invoices::credit_applied, invoices::amount_due),
            (
                invoices::vat_note,
                invoices::language,
                invoices::customer_snapshot,
                invoices::seller_snapshot,
                invoices::payment_reference,
                invoices::credited_invoice_id,
                invoices::reason,
                invoices::vat_treatment,
            ),
        ))
        .load(conn)?;
    let mut lines: BTreeMap<i64, Vec<LineColumns>> = BTreeMap::new();
    for (invoice, description, quantity, unit_price, net, rate) in invoice_lines::table
        .filter(invoice_lines::invoice_id.eq_any(ids))
        .order((invoice_lines::invoice_id, invoice_lines::line_no))
        .select((
            invoice_lines::invoice_id,
            invoice_lines::description,
            invoice_lines::quantity,
            invoice_lines::unit_price,
            invoice_lines::net,
            invoice_lines::vat_rate,
        ))
        .load::<(i64, String, Decimal, Decimal, Decimal, Decimal)>(conn)?
    {
        lines.entry(invoice).or_default().push((description, quantity, unit_price, net, rate));
    }
    let mut vat: BTreeMap<i64, Vec<(Decimal, Decimal, Decimal)>> = BTreeMap::new();
    for (invoice, rate, net, amount) in invoice_vat::table
        .filter(invoice_vat::invoice_id.eq_any(ids))
        .order((invoice_vat::invoice_id, invoice_vat::rate))
        .select((invoice_vat::invoice_id, invoice_vat::rate, invoice_vat::net, invoice_vat::vat))
        .load::<(i64, Decimal, Decimal, Decimal)>(conn)?
    {
        vat.entry(invoice).or_default().push((rate, net, amount));
    }
    let credited_ids: Vec<i64> = heads.iter().filter_map(|(_, _, extra)| extra.5).collect();
    let credited: BTreeMap<i64, String> = if credited_ids.is_empty() {
        BTreeMap::new()
    } else {
        invoices::table
            .filter(invoices::id.eq_any(&credited_ids))
            .select((invoices::id, invoices::number))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect()
    };

    // EUR invoices of customers with an active mandate are collected by direct debit.
    let mut mandates = collecting_mandates(conn, ids).map_err(|e| DocumentError::Corrupt(e.to_string()))?;

    let mut documents = Vec::with_capacity(heads.len());
    for (head, totals, extra) in heads {
        let (id, kind, number, issue_date, due_date, service_from, service_until, currency) = head;
        let (net, vat_total, gross, credit_applied, amount_due) = totals;
        let (
            vat_note,
            language,
            customer,
            seller_snapshot,
            payment_reference,
            credited_id,
            reason,
            vat_treatment,
        ) = extra;
        let kind = if kind == "credit_note" { Kind::CreditNote } else { Kind::Invoice };
        let currency = Currency::from_code(currency.trim())
            .ok_or_else(|| DocumentError::Corrupt(format!("{number}: currency {currency}")))?;
        let language = Lang::supported(&language).unwrap_or_else(Lang::english);
        let compensation = if kind == Kind::Invoice && credit_applied > Decimal::ZERO {
            crate::incidents::credits::lines_of(conn, id, &language)?
                .into_iter()
                .map(|line| (line.title, Money::new(line.amount, currency)))
                .collect()
        } else {
            Vec::new()
        };
        documents.push(assemble(
            Head {
                id,
                kind,
                number,
                issue_date,
                due_date,
                service_from,
                service_until,
                currency,
                lines: lines.remove(&id).unwrap_or_default(),
                vat_rows: vat.remove(&id).unwrap_or_default(),
                net,
                vat: vat_total,
                gross,
                credit_applied,
                amount_due,
                vat_note,
                vat_treatment,
                language,
                customer: &customer,
                seller: &seller_snapshot,
                payment_reference,
                credited_number: credited_id.and_then(|c| credited.get(&c).cloned()),
                reason,
            },
            compensation,
            mandates.remove(&id),
        )?);
    }
    Ok(documents)
}
