//! Checkout: the order row Kontor keeps per attempt to pay an invoice with PayPal, and the
//! booking of a capture, whichever path reports it first (the payer's return, a webhook, a
//! retry). The receipt key is the capture id, so every path books the same capture once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{PayPalError, capture_key};
use crate::audit::{self, AuditEvent};
use crate::db::schema::{invoices, paypal_captures, paypal_orders};
use crate::ids::CustomerId;
use crate::ledger::chart::SystemAccount;
use crate::money::Money;
use crate::payments::{Method, Receipt, apply_receipt, open_amounts};
use crate::subscriptions::identity::IdentityKind;

/// An invoice about to be paid with PayPal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The PayPal-Request-Id of the order: a creation sent again with it gets the same order.
    pub request_id: String,
    /// PayPal's id of the order, when an earlier click already made it.
    pub order_id: Option<String>,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub customer: i64,
    pub amount: Money,
}

/// What PayPal reported about a capture (from the capture answer or a webhook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureFacts {
    pub capture_id: String,
    pub order_id: Option<String>,
    pub status: String,
    pub amount: Money,
    pub fee: Option<Money>,
    pub invoice_number: Option<String>,
    pub payer_id: Option<String>,
}

impl CaptureFacts {
    pub fn from_wire(
        capture: &super::wire::Capture,
        order_id: Option<&str>,
        payer_id: Option<&str>,
    ) -> Result<CaptureFacts, PayPalError> {
        let amount = capture
            .amount
            .as_ref()
            .ok_or_else(|| PayPalError::BadResponse("capture without amount".to_owned()))?
            .to_money()?;
        Ok(CaptureFacts {
            capture_id: capture.id.clone(),
            order_id: order_id.or(capture.order_id()).map(str::to_owned),
            status: capture.status.clone(),
            amount,
            fee: capture.fee()?,
            invoice_number: capture.invoice_id.clone(),
            payer_id: payer_id.map(str::to_owned),
        })
    }
}

/// The outcome of booking a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub invoice_number: String,
    pub already_booked: bool,
}

fn parse_currency(code: &str) -> Result<Currency, PayPalError> {
    Currency::from_code(code.trim()).ok_or_else(|| PayPalError::Other(format!("unknown currency {code:?}")))
}

/// Starts paying `number` (one of `customer`'s invoices) with PayPal: the open amount, and the
/// order for it. An order already started for the same open amount, and not given up, is
/// reused (a second click, a return from PayPal's cancel link): its request id, and its order
/// id once PayPal answered, so a click never makes a second order at PayPal. Otherwise a new
/// order row with the PayPal-Request-Id chosen now, stored before PayPal is called. Run it in
/// a transaction: the invoice row is locked, so two clicks at once take turns.
pub fn start_checkout(conn: &mut PgConnection, customer: i64, number: &str) -> Result<Checkout, PayPalError> {
    let invoice: Option<i64> = invoices::table
        .filter(invoices::number.eq(number))
        .filter(invoices::customer_id.eq(customer))
        .filter(invoices::kind.eq(crate::invoicing::numbering::Series::Invoice.as_str()))
        .select(invoices::id)
        .for_update()
        .first(conn)
        .optional()?;
    let invoice_id = invoice.ok_or(PayPalError::NotFound)?;
    let open = open_amounts(conn, &[invoice_id])?.remove(&invoice_id).ok_or(PayPalError::NotFound)?;
    if !open.is_positive() {
        return Err(PayPalError::NothingOpen);
    }
    let earlier: Option<(i64, String, Option<String>)> = paypal_orders::table
        .filter(paypal_orders::invoice_id.eq(invoice_id))
        .filter(paypal_orders::customer_id.eq(customer))
        .filter(paypal_orders::state.eq_any(["created", "cancelled"]))
        .filter(paypal_orders::currency.eq(open.currency().code()))
        .filter(paypal_orders::amount.eq(open.amount()))
        .order(paypal_orders::id.desc())
        .select((paypal_orders::id, paypal_orders::request_id, paypal_orders::order_id))
        .first(conn)
        .optional()?;
    if let Some((id, request_id, order_id)) = earlier {
        // Cancelled at PayPal is not given up: PayPal keeps the order open for the payer.
        diesel::update(paypal_orders::table.find(id))
            .filter(paypal_orders::state.eq("cancelled"))
            .set((paypal_orders::state.eq("created"), paypal_orders::updated_at.eq(diesel::dsl::now)))
            .execute(conn)?;
        return Ok(Checkout {
            request_id,
            order_id,
            invoice_id,
            invoice_number: number.to_owned(),
            customer,
            amount: open,
        });
    }
    let token = crate::token::Token::generate().map_err(|e| PayPalError::Other(e.to_string()))?;
    let request_id = format!("kontor-order-{invoice_id}-{}", token.as_str());
    diesel::insert_into(paypal_orders::table)
        .values((
            paypal_orders::request_id.eq(&request_id),
            paypal_orders::invoice_id.eq(invoice_id),
            paypal_orders::customer_id.eq(customer),
            paypal_orders::currency.eq(open.currency().code()),
            paypal_orders::amount.eq(open.amount()),
        ))
        .execute(conn)?;
    Ok(Checkout {
        request_id,
        order_id: None,
        invoice_id,
        invoice_number: number.to_owned(),
        customer,
        amount: open,
    })
}

/// Remembers PayPal's id of the order made under `request_id`.
pub fn order_created(conn: &mut PgConnection, request_id: &str, order_id: &str) -> Result<(), PayPalError> {
    diesel::update(paypal_orders::table.filter(paypal_orders::request_id.eq(request_id)))
        .set((paypal_orders::order_id.eq(order_id), paypal_orders::updated_at.eq(diesel::dsl::now)))
        .execute(conn)?;
    Ok(())
}

/// Moves an order that is not captured yet to `state` (`cancelled`, `failed`, `denied`,
/// `pending`). A captured order stays captured, whatever arrives late.
pub fn set_state(conn: &mut PgConnection, by: OrderRef<'_>, state: &str) -> Result<usize, PayPalError> {
    let target = paypal_orders::table.filter(paypal_orders::state.ne("captured")).into_boxed();
    let target = match by {
        OrderRef::Request(id) => target.filter(paypal_orders::request_id.eq(id.to_owned())),
        OrderRef::Order(id) => target.filter(paypal_orders::order_id.eq(id.to_owned())),
    };
    let ids: Vec<i64> = target.select(paypal_orders::id).load(conn)?;
    Ok(diesel::update(paypal_orders::table.filter(paypal_orders::id.eq_any(ids)))
        .set((paypal_orders::state.eq(state), paypal_orders::updated_at.eq(diesel::dsl::now)))
        .execute(conn)?)
}

#[derive(Debug, Clone, Copy)]
pub enum OrderRef<'a> {
    Request(&'a str),
    Order(&'a str),
}

/// A customer's order (for the return and cancel pages): the invoice number and the state.
pub fn customers_order(
    conn: &mut PgConnection,
    customer: i64,
    order_id: &str,
) -> Result<Option<(String, String)>, PayPalError> {
    Ok(paypal_orders::table
        .inner_join(invoices::table.on(invoices::id.eq(paypal_orders::invoice_id)))
        .filter(paypal_orders::order_id.eq(order_id))
        .filter(paypal_orders::customer_id.eq(customer))
        .select((invoices::number, paypal_orders::state))
        .first(conn)
        .optional()?)
}

/// Books a completed capture to its invoice: PayPal clearing debit (less the fee), fee as an
/// expense, receivable credit, the rest as customer credit. Run it in a transaction; safe to
/// call any number of times and from any path. Events that waited for the capture are
/// `webhooks::book_paid`'s to process.
pub fn book_capture(
    conn: &mut PgConnection,
    site: &crate::site::Site,
    facts: &CaptureFacts,
    now: DateTime<Utc>,
) -> Result<Booked, PayPalError> {
    if facts.status != "COMPLETED" {
        return Err(PayPalError::NotCompleted);
    }
    // The order Kontor made, else the invoice PayPal names (an order made elsewhere).
    let from_order: Option<(i64, i64)> = match &facts.order_id {
        Some(order_id) => paypal_orders::table
            .filter(paypal_orders::order_id.eq(order_id))
            .select((paypal_orders::invoice_id, paypal_orders::customer_id))
            .first(conn)
            .optional()?,
        None => None,
    };
    let (invoice_id, customer) = match (from_order, &facts.invoice_number) {
        (Some(found), _) => found,
        (None, Some(number)) => invoices::table
            .filter(invoices::number.eq(number))
            .filter(invoices::kind.eq(crate::invoicing::numbering::Series::Invoice.as_str()))
            .select((invoices::id, invoices::customer_id))
            .first(conn)
            .optional()?
            .ok_or(PayPalError::NotFound)?,
        (None, None) => return Err(PayPalError::NotFound),
    };
    // The capture's lock (a work item, see `db::locks`), then the invoice: the return leg and
    // a webhook booking the same capture at the same moment take turns, and the second finds
    // the receipt already there; a refund event of this capture either committed before (and
    // is found waiting below) or comes after and finds the capture.
    crate::db::locks::capture_lock(conn, &facts.capture_id)?;
    let (number, currency): (String, String) = invoices::table
        .find(invoice_id)
        .select((invoices::number, invoices::currency))
        .for_update()
        .first(conn)?;
    if parse_currency(&currency)? != facts.amount.currency() {
        return Err(PayPalError::Payment(crate::payments::PaymentError::CurrencyMismatch));
    }
    let fee = facts.fee.filter(|f| f.is_positive() && f.amount() < facts.amount.amount());
    let applied = apply_receipt(
        conn,
        site,
        &Receipt {
            key: capture_key(&facts.capture_id),
            customer,
            amount: facts.amount,
            fee,
            received_in: SystemAccount::PayPalClearing,
            method: Method::PayPal,
            invoices: vec![invoice_id],
            occurred_at: now,
            memo: format!("PayPal capture {} for invoice {number}", facts.capture_id),
        },
    )?;
    diesel::insert_into(paypal_captures::table)
        .values((
            paypal_captures::capture_id.eq(&facts.capture_id),
            paypal_captures::order_id.eq(&facts.order_id),
            paypal_captures::invoice_id.eq(invoice_id),
            paypal_captures::customer_id.eq(customer),
            paypal_captures::currency.eq(facts.amount.currency().code()),
            paypal_captures::amount.eq(facts.amount.amount()),
            paypal_captures::fee.eq(fee.map_or(Decimal::ZERO, |f| f.amount())),
            paypal_captures::ledger_entry_id.eq(applied.entry.0),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if let Some(order_id) = &facts.order_id {
        diesel::update(paypal_orders::table.filter(paypal_orders::order_id.eq(order_id)))
            .set((
                paypal_orders::state.eq("captured"),
                paypal_orders::capture_id.eq(&facts.capture_id),
                paypal_orders::payer_id.eq(&facts.payer_id),
                paypal_orders::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
    }
    if let Some(payer) = facts.payer_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        register_payer(conn, customer, payer)?;
    }
    Ok(Booked { invoice_number: number, already_booked: applied.already_applied })
}

/// The payer id is a payment identity for the one-free-month-per-person rule. When another
/// customer's free month used it, the reuse goes to the audit log for finance.
fn register_payer(conn: &mut PgConnection, customer: i64, payer: &str) -> Result<(), PayPalError> {
    let normalized = payer.to_ascii_uppercase();
    let fresh = crate::subscriptions::trial::register_payment_identity(
        conn,
        CustomerId(customer),
        IdentityKind::PayPalPayer,
        &normalized,
    )
    .map_err(PayPalError::Identity)?;
    if !fresh {
        audit::record(
            conn,
            &AuditEvent::new("paypal.payer_reused", None, "").target(format!("customer:{customer}")).details(
                serde_json::json!({ "reason": "PayPal account paid for another customer's free month" }),
            ),
        )?;
    }
    Ok(())
}
