//! The PayPal checkout of one invoice as one use case, whoever drives it: find or make the
//! order (its PayPal-Request-Id stored before the call) and send the payer to PayPal's approval
//! page; on their return capture it, book it, and process the refunds or chargebacks that
//! arrived before the capture was booked.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::client::OrderRequest;
use super::orders::{
    CaptureFacts, Checkout, OrderRef, customers_order, order_created, set_state, start_checkout,
};
use super::webhooks::book_paid;
use super::wire::Order;
use super::{Client, PayPalError, PayPalSettings};
use crate::db::{PgPool, PooledPg};
use crate::documents::Publishing;
use crate::money::Money;
use crate::subscriptions::Billing;

/// Where the payer goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Off to PayPal's approval page at this link.
    Approve(String),
    /// Back to the invoice, told this (a Fluent id).
    Notice(&'static str),
}

/// What the order says to the payer and where PayPal sends them back.
#[derive(Debug, Clone, Copy)]
pub struct OrderText<'a> {
    pub description: &'a str,
    pub return_url: &'a str,
    pub cancel_url: &'a str,
    /// PayPal's locale, e.g. `de-DE`.
    pub locale: &'a str,
}

fn connection(pool: &PgPool) -> Result<PooledPg, PayPalError> {
    pool.get().map_err(PayPalError::Pool)
}

/// "Pay with PayPal" on `number`, one of `customer`'s invoices: the order an earlier click made
/// for the same amount is reused while PayPal still waits for the payer; otherwise a new one
/// is made. `PayPalError::NotFound` when the invoice is not the customer's.
pub fn pay(
    pool: &PgPool,
    settings: &PayPalSettings,
    customer: i64,
    number: &str,
    text: &OrderText<'_>,
) -> Result<Next, PayPalError> {
    let client = Client::new(settings);
    let mut checkout = match begin(pool, customer, number)? {
        Ok(checkout) => checkout,
        Err(next) => return Ok(next),
    };
    if let Some(order_id) = checkout.order_id.clone() {
        match client.get_order(&order_id) {
            Ok(order) if order.awaits_payer() => return Ok(approval(settings, &order)),
            // Paid at PayPal, the capture not booked yet (its answer or webhook is on the way): a
            // new order could take the money twice.
            Ok(order) if order.status == "COMPLETED" => return Ok(Next::Notice("paypal-pending")),
            // Approved and abandoned, voided or expired: given up, and a new order made.
            Ok(_) | Err(PayPalError::Refused { status: 404, .. }) => {
                set_state(&mut *connection(pool)?, OrderRef::Request(&checkout.request_id), "failed")?;
                checkout = match begin(pool, customer, number)? {
                    Ok(checkout) => checkout,
                    Err(next) => return Ok(next),
                };
            }
            Err(e) => {
                tracing::warn!(error = %e, "PayPal order not read");
                return Ok(Next::Notice("paypal-unreachable"));
            }
        }
    }
    let created = client.create_order(&OrderRequest {
        request_id: &checkout.request_id,
        invoice_number: &checkout.invoice_number,
        amount: checkout.amount,
        description: text.description,
        return_url: text.return_url,
        cancel_url: text.cancel_url,
        locale: text.locale,
    });
    let order = match created {
        Ok(order) => order,
        Err(e) => {
            tracing::warn!(error = %e, "PayPal order not created");
            // Without an answer PayPal may have made the order all the same: the row stays, and
            // the next click sends the same request id, which gets that order.
            if !matches!(e, PayPalError::Unreachable(_)) {
                set_state(&mut *connection(pool)?, OrderRef::Request(&checkout.request_id), "failed")?;
            }
            return Ok(Next::Notice("paypal-unreachable"));
        }
    };
    order_created(&mut *connection(pool)?, &checkout.request_id, &order.id)?;
    Ok(approval(settings, &order))
}

/// The checkout of `number`, or what to tell the payer instead.
fn begin(pool: &PgPool, customer: i64, number: &str) -> Result<Result<Checkout, Next>, PayPalError> {
    match connection(pool)?.transaction(|c| start_checkout(c, customer, number)) {
        Ok(checkout) => Ok(Ok(checkout)),
        Err(e @ PayPalError::NothingOpen) => Ok(Err(Next::Notice(e.message_id()))),
        Err(e) => Err(e),
    }
}

/// Off to PayPal's approval page of `order`: only on the configured approval origin, the one
/// the portal's `form-action` allows (anywhere else the browser would refuse the redirect).
fn approval(settings: &PayPalSettings, order: &Order) -> Next {
    match order.approve_link() {
        Some(link) if settings.is_approval_link(link) => Next::Approve(link.to_owned()),
        link => {
            tracing::error!(
                ?link,
                expected = %settings.approval_origin,
                order = %order.id,
                "PayPal's approval link is not on the approval origin"
            );
            Next::Notice("paypal-refused")
        }
    }
}

/// What came of the payer's return from PayPal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returned {
    /// Captured and booked: this much was paid.
    Paid(Money),
    /// Told this (a Fluent id).
    Notice(&'static str),
}

/// The payer is back from PayPal with `order_id`: capture, book, report. A reload, or a return
/// after a timeout, captures with the same request id and books nothing twice. `None` when the
/// order is not one of `customer`'s; otherwise the invoice's number and what came of it.
pub fn complete(
    pool: &PgPool,
    settings: &PayPalSettings,
    billing: &Billing,
    publishing: &Publishing,
    customer: i64,
    order_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, Returned)>, PayPalError> {
    let Some((number, state)) = customers_order(&mut *connection(pool)?, customer, order_id)? else {
        return Ok(None);
    };
    if state == "captured" {
        return Ok(Some((number, Returned::Notice("paypal-paid-already"))));
    }
    let client = Client::new(settings);
    let answer = match client.capture_order(order_id) {
        Err(PayPalError::Refused { status: 422, body }) if body.contains("ORDER_ALREADY_CAPTURED") => {
            client.get_order(order_id)
        }
        other => other,
    };
    let order = match answer {
        Ok(order) => order,
        Err(PayPalError::Refused { status: 422, body }) if body.contains("ORDER_NOT_APPROVED") => {
            return Ok(Some((number, Returned::Notice("paypal-not-approved"))));
        }
        Err(e) => {
            // PayPal may have captured all the same: the webhook books it, a reload retries.
            tracing::warn!(error = %e, order = %order_id, "PayPal capture without an answer");
            return Ok(Some((number, Returned::Notice("paypal-pending"))));
        }
    };
    let capture = order.captures().next();
    let facts = capture.map(|c| CaptureFacts::from_wire(c, Some(&order.id), order.payer_id())).transpose()?;
    let (Some(capture), Some(facts)) = (capture, facts) else {
        set_state(&mut *connection(pool)?, OrderRef::Order(order_id), "pending")?;
        return Ok(Some((number, Returned::Notice("paypal-pending"))));
    };
    let returned = match capture.status.as_str() {
        "COMPLETED" => {
            connection(pool)?.transaction(|c| book_paid(c, &facts, billing, publishing, now))?;
            Returned::Paid(facts.amount)
        }
        "PENDING" => {
            set_state(&mut *connection(pool)?, OrderRef::Order(order_id), "pending")?;
            Returned::Notice("paypal-pending")
        }
        _ => {
            set_state(&mut *connection(pool)?, OrderRef::Order(order_id), "denied")?;
            Returned::Notice("paypal-denied")
        }
    };
    Ok(Some((number, returned)))
}
