//! A receipt for one payment: when it arrived, how, how much, which invoices it paid and what
//! went to the customer's credit. Drawn from the payment's stored rows, so asking twice gives
//! the same PDF.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use fluent_templates::fluent_bundle::FluentValue;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::StatementError;
use super::pdf::Holder;
use crate::db::schema::{invoices, payment_allocations, payment_receipts};
use crate::documents::canvas::{Align, Canvas};
use crate::documents::render::render_pages;
use crate::fonts::{Style, fonts};
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t, t_args};
use crate::ids::CustomerId;
use crate::money::Money;
use crate::seller::SellerDetails;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub entry_id: i64,
    pub method: String,
    pub amount: Money,
    pub to_credit: Money,
    pub occurred_at: DateTime<Utc>,
    /// Invoice numbers and what this payment paid on each.
    pub paid: Vec<(String, Money)>,
}

/// The payment booked as journal entry `entry_id`, if it is `customer`'s (a reversal is not
/// a payment and has no receipt).
pub fn receipt(
    conn: &mut PgConnection,
    customer: CustomerId,
    entry_id: i64,
) -> Result<Receipt, StatementError> {
    let row: Option<(String, String, String, Decimal, Decimal, DateTime<Utc>)> = payment_receipts::table
        .filter(payment_receipts::ledger_entry_id.eq(entry_id))
        .filter(payment_receipts::customer_id.eq(customer.0))
        .filter(payment_receipts::reversal_of.is_null())
        .select((
            payment_receipts::key,
            payment_receipts::method,
            payment_receipts::currency,
            payment_receipts::amount,
            payment_receipts::to_credit,
            payment_receipts::occurred_at,
        ))
        .first(conn)
        .optional()?;
    let (key, method, currency, amount, to_credit, occurred_at) =
        row.ok_or(StatementError::UnknownPayment(entry_id))?;
    let currency =
        Currency::from_code(currency.trim()).ok_or_else(|| StatementError::Corrupt(currency.clone()))?;
    let paid: Vec<(String, Decimal)> = payment_allocations::table
        .inner_join(invoices::table.on(invoices::id.eq(payment_allocations::invoice_id)))
        .filter(payment_allocations::receipt_key.eq(&key))
        .order(invoices::number)
        .select((invoices::number, payment_allocations::amount))
        .load(conn)?;
    Ok(Receipt {
        entry_id,
        method,
        amount: Money::new(amount, currency),
        to_credit: Money::new(to_credit, currency),
        occurred_at,
        paid: paid.into_iter().map(|(number, amount)| (number, Money::new(amount, currency))).collect(),
    })
}

pub fn render(
    receipt: &Receipt,
    holder: &Holder,
    seller: &SellerDetails,
    lang: &Lang,
    tz: Tz,
) -> Result<Vec<u8>, StatementError> {
    let fonts = fonts().ok_or(crate::documents::DocumentError::Font)?;
    let formats = Formats::new(lang, &holder.country);
    let body = Style::regular(10.0);
    let mut canvas = Canvas::new(fonts);
    super::pdf::letterhead(&mut canvas, seller);
    super::pdf::address(&mut canvas, holder);
    canvas.text(20.0, 80.0, &t(lang, "receipt-title"), Style::bold(14.0), Align::Left);
    let day = crate::subscriptions::period::local_date(receipt.occurred_at, tz);
    let method = t(lang, &format!("statement-method-{}", receipt.method.replace('_', "-")));
    let mut facts = vec![
        (t(lang, "invoices-customer-number"), holder.number.clone()),
        (t(lang, "statement-date"), formats.date(day)),
        (t(lang, "receipt-method"), method),
        (t(lang, "receipt-amount"), formats.money(receipt.amount)),
    ];
    for (number, amount) in &receipt.paid {
        let label = t_args(lang, "receipt-paid-invoice", &[("number", FluentValue::from(number.clone()))]);
        facts.push((label, formats.money(*amount)));
    }
    if receipt.to_credit.is_positive() {
        facts.push((t(lang, "receipt-to-credit"), formats.money(receipt.to_credit)));
    }
    let mut y = 92.0;
    for (label, value) in facts {
        canvas.text(20.0, y, &label, body, Align::Left);
        canvas.text(190.0, y, &value, body, Align::Right);
        y += 6.0;
    }
    canvas.paragraph(20.0, y + 6.0, 170.0, &t(lang, "receipt-thanks"), body);
    let identifier = format!("receipt-{}-{}", holder.number, receipt.entry_id);
    Ok(render_pages(&identifier, &seller.name, vec![canvas])?)
}
