//! Credit notes: the only way to correct an issued invoice. Full or partial, with a reason,
//! reversing the invoice's lines and VAT in proportion, in their own gapless series and with
//! their own ledger entry. What exceeds the invoice's open amount becomes customer credit.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::InvoicingError;
use super::compose::{Line, LineInput, Totals, VatRow};
use super::issue::{Accounts, Draft, Issued, issue};
use super::numbering::Series;
use super::queries::{credited, detail};
use crate::audit;
use crate::db::schema::{invoices, plans};
use crate::ids::UserId;
use crate::ledger::chart::codes;
use crate::ledger::{Account, AccountSpec};
use crate::money::Money;
use crate::subscriptions::Billing;

#[derive(Debug, Clone)]
pub struct CreditRequest<'a> {
    pub invoice_number: &'a str,
    /// Gross amount to credit; `None` credits everything not credited yet.
    pub amount: Option<Money>,
    pub reason: &'a str,
    pub actor: Option<UserId>,
    pub ip: &'a str,
    pub now: DateTime<Utc>,
}

/// A credit note as finance asks for it, the amount as typed (empty: everything not credited
/// yet): the one flow behind the back office's form and `kontor invoice credit`. Run it in a
/// transaction.
#[allow(clippy::too_many_arguments)]
pub fn credit_invoice(
    conn: &mut PgConnection,
    billing: &Billing,
    publishing: &crate::documents::Publishing,
    invoice_number: &str,
    amount_text: &str,
    reason: &str,
    actor: &audit::Actor,
    now: DateTime<Utc>,
) -> Result<Issued, InvoicingError> {
    let currency: Option<String> = invoices::table
        .filter(invoices::number.eq(invoice_number))
        .select(invoices::currency)
        .first(conn)
        .optional()?;
    let currency = currency
        .and_then(|c| Currency::from_code(c.trim()))
        .ok_or_else(|| InvoicingError::UnknownInvoice(invoice_number.to_owned()))?;
    let amount = match amount_text.trim() {
        "" => None,
        text => Some(Money::parse(text, currency).map_err(InvoicingError::BadAmount)?),
    };
    let request = CreditRequest { invoice_number, amount, reason, actor: actor.user, ip: &actor.ip, now };
    issue_credit_note(conn, billing, publishing, &request)
}

/// Splits `gross` over the invoice's VAT rates in proportion, then each rate's part into net
/// and VAT, and each over the rate's lines, so every part adds up exactly.
fn proportional(
    currency: Currency,
    gross: Money,
    lines: &[(LineInput, Money)],
    rows: &[(Decimal, Money, Money)],
) -> Result<Totals, InvoicingError> {
    let weights: Vec<Decimal> =
        rows.iter().map(|(_, net, vat)| (net.amount() + vat.amount()).abs()).collect();
    let parts = gross.allocate(&weights)?;
    let mut out_lines = Vec::new();
    let mut vat_rows = Vec::new();
    for ((rate, _, _), part) in rows.iter().zip(parts) {
        let net = Money::new(part.amount() * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + rate), currency)
            .round();
        let vat = part.checked_sub(net)?;
        let of_rate: Vec<&(LineInput, Money)> =
            lines.iter().filter(|(l, _)| l.vat_rate.normalize() == *rate).collect();
        let line_weights: Vec<Decimal> = of_rate.iter().map(|(l, _)| l.net.amount().abs()).collect();
        if line_weights.iter().any(|w| !w.is_zero()) {
            for (((line, _), net_share), vat_share) in
                of_rate.iter().zip(net.allocate(&line_weights)?).zip(vat.allocate(&line_weights)?)
            {
                let mut input = line.clone();
                input.net = net_share;
                input.unit_price = net_share;
                out_lines.push(Line { input, vat: vat_share });
            }
        }
        vat_rows.push(VatRow { rate: *rate, net, vat });
    }
    let net = Money::sum(currency, vat_rows.iter().map(|r| r.net))?;
    let vat = Money::sum(currency, vat_rows.iter().map(|r| r.vat))?;
    Ok(Totals {
        lines: out_lines,
        vat_rows,
        net,
        vat,
        gross,
        credit_applied: Money::zero(currency),
        amount_due: gross,
    })
}

/// What a credit note's reason may hold: it prints in full in the credit note's header.
pub const MAX_REASON: usize = 500;

pub fn issue_credit_note(
    conn: &mut PgConnection,
    billing: &Billing,
    publishing: &crate::documents::Publishing,
    request: &CreditRequest<'_>,
) -> Result<Issued, InvoicingError> {
    if request.reason.trim().is_empty() {
        return Err(InvoicingError::NoReason);
    }
    // Printed in full on the credit note, wrapped over a few lines.
    crate::text::check(request.reason.trim(), false, MAX_REASON).map_err(InvoicingError::BadReason)?;
    // Credit notes for one invoice one at a time.
    let (invoice_id, kind): (i64, String) = invoices::table
        .filter(invoices::number.eq(request.invoice_number))
        .select((invoices::id, invoices::kind))
        .for_update()
        .first(conn)
        .optional()?
        .ok_or_else(|| InvoicingError::UnknownInvoice(request.invoice_number.to_owned()))?;
    if kind != super::numbering::Series::Invoice.as_str() {
        return Err(InvoicingError::NotAnInvoice);
    }
    let invoice = detail(conn, request.invoice_number, None)?;
    // The invoice, then its customer (the order of `db::locks`): what the receivable still
    // holds and what goes to the customer's credit are decided under the customer's lock.
    crate::db::locks::lock_customer(conn, invoice.invoice.customer_id)?;
    let currency = Currency::from_code(&invoice.invoice.currency)
        .ok_or_else(|| InvoicingError::Corrupt(invoice.invoice.currency.clone()))?;
    let money = |amount: Decimal| Money::new(amount, currency);
    let already = credited(conn, invoice_id)?;
    let remaining = money(invoice.invoice.gross - already);
    let amount = request.amount.unwrap_or(remaining);
    if amount.currency() != currency
        || !amount.is_positive()
        || amount.amount() > remaining.amount()
        || !amount.is_rounded()
    {
        return Err(InvoicingError::CreditTooLarge);
    }
    let products: BTreeMap<String, String> = plans::table
        .select((plans::code, plans::product_code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let lines: Vec<(LineInput, Money)> = invoice
        .lines
        .iter()
        .map(|l| {
            let product = l
                .plan_code
                .as_ref()
                .and_then(|p| products.get(p))
                .cloned()
                .unwrap_or_else(|| "mailbox".to_owned());
            (
                LineInput {
                    description: l.description.clone(),
                    plan_code: l.plan_code.clone(),
                    product,
                    service_from: None,
                    service_until: None,
                    quantity: l.quantity,
                    unit_price: money(l.unit_price),
                    net: money(l.net),
                    vat_rate: l.vat_rate.normalize(),
                },
                money(l.vat),
            )
        })
        .collect();
    let rows: Vec<(Decimal, Money, Money)> =
        invoice.vat.iter().map(|(rate, net, vat)| (rate.normalize(), money(*net), money(*vat))).collect();
    let totals = proportional(currency, amount, &lines, &rows)?;

    let customer = invoice.invoice.customer_id;
    let snapshot = &invoice.invoice.customer_snapshot;
    let treatment = treatment_of(conn, invoice_id)?;
    // VAT is owed where the invoice said: the customer's country under OSS or a local
    // registration, else the seller's.
    let vat_country = if ["oss", "local"].contains(&treatment.as_str()) {
        snapshot["country"].as_str().unwrap_or_default().to_owned()
    } else {
        billing.seller.country.code().to_owned()
    };
    let mut specs: Vec<AccountSpec> =
        vec![codes::receivable(currency, customer), codes::credit(currency, customer)];
    let mut product_list: Vec<String> = totals.lines.iter().map(|l| l.input.product.clone()).collect();
    product_list.sort();
    product_list.dedup();
    specs.extend(product_list.iter().map(|p| codes::revenue(currency, p)));
    specs.extend(totals.vat_rows.iter().map(|r| codes::vat(currency, &vat_country, r.rate)));
    let ids = Account::open_many(conn, &specs)?;
    // What the receivable still holds: the rest of the credit goes to the customer's credit.
    let paid: Option<Decimal> = crate::db::schema::payment_allocations::table
        .filter(crate::db::schema::payment_allocations::invoice_id.eq(invoice_id))
        .select(diesel::dsl::sum(crate::db::schema::payment_allocations::amount))
        .first(conn)?;
    let open = money((invoice.invoice.amount_due - already - paid.unwrap_or_default()).max(Decimal::ZERO));
    let share = if open.amount() < amount.amount() { open } else { amount };
    let today = billing.today(request.now);
    let mut draft = Draft {
        customer_id: customer,
        subscription_id: None,
        billing_period: None,
        credited_invoice_id: Some(invoice_id),
        reason: Some(request.reason.trim().to_owned()),
        service_from: invoice.service_from,
        service_until: invoice.service_until,
        issue_date: today,
        due_date: today + Duration::days(0),
        currency,
        totals,
        vat_treatment: treatment,
        vat_note: invoice.vat_note.clone(),
        language: snapshot["language"].as_str().unwrap_or("en").to_owned(),
        customer_snapshot: snapshot.clone(),
        seller_snapshot: invoice.seller.clone(),
        pending_charge_ids: Vec::new(),
        accounts: Accounts {
            receivable: crate::ledger::AccountId(0),
            credit: crate::ledger::AccountId(0),
            revenue: BTreeMap::new(),
            vat: BTreeMap::new(),
        },
        receivable_share: Some(share),
    };
    super::due::attach_accounts(&mut draft, &specs, &ids)?;
    let issued = issue(conn, Series::CreditNote, std::slice::from_ref(&draft), request.now)?
        .into_iter()
        .next()
        .ok_or_else(|| InvoicingError::Corrupt("credit note not issued".to_owned()))?;
    crate::documents::publish(conn, &[issued.id], publishing)?;
    audit::record(
        conn,
        &audit::AuditEvent::new("credit_note.issued", request.actor, request.ip)
            .target(format!("invoice:{}", request.invoice_number))
            .details(serde_json::json!({
                "credit_note": issued.number,
                "gross": amount.amount().to_string(),
                "reason": request.reason.trim(),
            })),
    )
    .map_err(|e| InvoicingError::Corrupt(e.to_string()))?;
    Ok(issued)
}

fn treatment_of(conn: &mut PgConnection, invoice: i64) -> Result<String, InvoicingError> {
    Ok(invoices::table.find(invoice).select(invoices::vat_treatment).first(conn)?)
}
