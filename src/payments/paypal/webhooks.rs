//! Webhooks: every verified event is stored once by its id, then processed. Capture events
//! book (or mark) the order; refund and reversal events wait, unprocessed, until their capture
//! is booked, and are processed then: the outcome is the same in every order of arrival.
//!
//! Booking a capture and handling a refund or reversal of it take the capture's lock
//! (`db::locks::capture_lock`) first, so whichever commits second sees the other: a refund
//! never decides "waiting" just before the capture looks for waiting events. [`sweep_waiting`]
//! (the server's worker, `kontor paypal sweep`) processes anything still waiting for a capture
//! that is booked, whatever happened.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::PayPalError;
use super::orders::{Booked, CaptureFacts, OrderRef, book_capture, set_state};
use super::refunds::{book_refund, book_reversal, lock_capture};
use super::wire::{Capture, Event, Refund};
use crate::audit::Actor;
use crate::db::schema::paypal_webhook_events;
use crate::documents::Publishing;
use crate::payments::PaymentError;
use crate::subscriptions::Billing;

/// What happened to a delivered event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Seen before (PayPal delivers at least once): acknowledged, nothing done.
    Duplicate,
    /// Stored and processed (or waiting for its capture): `outcome` says how.
    Stored { outcome: String },
}

/// Stores a verified event and processes it. Run it in a transaction.
pub fn receive(
    conn: &mut PgConnection,
    raw: &str,
    billing: &Billing,
    publishing: &Publishing,
    now: DateTime<Utc>,
) -> Result<Received, PayPalError> {
    let event: Event = serde_json::from_str(raw).map_err(|e| PayPalError::BadEvent(e.to_string()))?;
    if event.id.trim().is_empty() || event.event_type.trim().is_empty() {
        return Err(PayPalError::BadEvent("event without id or type".to_owned()));
    }
    let body: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| PayPalError::BadEvent(e.to_string()))?;
    let capture_id = capture_of(&event);
    let row: Option<i64> = diesel::insert_into(paypal_webhook_events::table)
        .values((
            paypal_webhook_events::event_id.eq(&event.id),
            paypal_webhook_events::event_type.eq(&event.event_type),
            paypal_webhook_events::capture_id.eq(&capture_id),
            paypal_webhook_events::body.eq(&body),
        ))
        .on_conflict(paypal_webhook_events::event_id)
        .do_nothing()
        .returning(paypal_webhook_events::id)
        .get_result(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(Received::Duplicate);
    };
    let outcome = process(conn, row, &event, billing, publishing, now)?;
    Ok(Received::Stored { outcome })
}

/// The capture an event is about: the resource of capture events, the `up` link of refunds.
fn capture_of(event: &Event) -> Option<String> {
    if event.event_type.starts_with("PAYMENT.CAPTURE.REFUNDED")
        || event.event_type == "PAYMENT.CAPTURE.REVERSED"
    {
        serde_json::from_value::<Refund>(event.resource.clone())
            .ok()
            .and_then(|r| r.capture_id().map(str::to_owned))
    } else if event.event_type.starts_with("PAYMENT.CAPTURE.") {
        event.resource.get("id").and_then(|v| v.as_str()).map(str::to_owned)
    } else {
        None
    }
}

fn finish(
    conn: &mut PgConnection,
    row: i64,
    outcome: &str,
    done: bool,
    now: DateTime<Utc>,
) -> Result<String, PayPalError> {
    let processed_at: Option<DateTime<Utc>> = done.then_some(now);
    diesel::update(paypal_webhook_events::table.find(row))
        .set((
            paypal_webhook_events::outcome.eq(outcome),
            paypal_webhook_events::processed_at.eq(processed_at),
        ))
        .execute(conn)?;
    Ok(outcome.to_owned())
}

fn process(
    conn: &mut PgConnection,
    row: i64,
    event: &Event,
    billing: &Billing,
    publishing: &Publishing,
    now: DateTime<Utc>,
) -> Result<String, PayPalError> {
    match event.event_type.as_str() {
        "PAYMENT.CAPTURE.COMPLETED" => {
            let capture: Capture = serde_json::from_value(event.resource.clone())
                .map_err(|e| PayPalError::BadEvent(e.to_string()))?;
            let facts = CaptureFacts::from_wire(&capture, None, None)?;
            // Marked processed first: booking processes events waiting for this capture.
            finish(conn, row, "booking", true, now)?;
            match book_paid(conn, &facts, billing, publishing, now) {
                Ok(booked) if booked.already_booked => finish(conn, row, "already booked", true, now),
                Ok(_) => finish(conn, row, "booked", true, now),
                Err(PayPalError::NotFound) => finish(conn, row, "unknown order", true, now),
                // Retrying would not help: kept for finance with the reason.
                Err(PayPalError::Payment(
                    e @ (PaymentError::CurrencyMismatch
                    | PaymentError::NotTheCustomers(_)
                    | PaymentError::UnknownInvoice(_)),
                )) => {
                    tracing::error!(error = %e, capture = %facts.capture_id, "PayPal capture not bookable");
                    finish(conn, row, &format!("not booked: {e}"), true, now)
                }
                Err(e) => Err(e),
            }
        }
        "PAYMENT.CAPTURE.PENDING" => {
            let capture: Capture = serde_json::from_value(event.resource.clone())
                .map_err(|e| PayPalError::BadEvent(e.to_string()))?;
            if let Some(order) = capture.order_id() {
                set_state(conn, OrderRef::Order(order), "pending")?;
            }
            finish(conn, row, "pending", true, now)
        }
        "PAYMENT.CAPTURE.DENIED" | "PAYMENT.CAPTURE.DECLINED" => {
            let capture: Capture = serde_json::from_value(event.resource.clone())
                .map_err(|e| PayPalError::BadEvent(e.to_string()))?;
            if let Some(order) = capture.order_id() {
                set_state(conn, OrderRef::Order(order), "denied")?;
            }
            finish(conn, row, "denied", true, now)
        }
        kind @ ("PAYMENT.CAPTURE.REFUNDED" | "PAYMENT.CAPTURE.REVERSED") => {
            let refund: Refund = serde_json::from_value(event.resource.clone())
                .map_err(|e| PayPalError::BadEvent(e.to_string()))?;
            let Some(capture_id) = refund.capture_id() else {
                return finish(conn, row, "no capture named", true, now);
            };
            crate::db::locks::capture_lock(conn, capture_id)?;
            let Some(capture) = lock_capture(conn, capture_id)? else {
                // The capture is not booked yet: this waits for it.
                return finish(conn, row, "waiting for capture", false, now);
            };
            let amount = refund
                .amount
                .as_ref()
                .ok_or_else(|| PayPalError::BadEvent("refund without amount".to_owned()))?
                .to_money()?;
            let booked = if kind == "PAYMENT.CAPTURE.REFUNDED" {
                book_refund(
                    conn,
                    billing,
                    publishing,
                    &capture,
                    &refund.id,
                    amount,
                    // PayPal's side, reported by webhook: no person, no address.
                    &Actor::system(""),
                    now,
                )?
            } else {
                book_reversal(conn, publishing, &capture, &refund.id, amount, now)?
            };
            finish(conn, row, if booked { "booked" } else { "already booked" }, true, now)
        }
        _ => finish(conn, row, "ignored", true, now),
    }
}

/// Books a completed capture, then the refunds or chargebacks that waited for it. Run it in a
/// transaction.
pub fn book_paid(
    conn: &mut PgConnection,
    facts: &CaptureFacts,
    billing: &Billing,
    publishing: &Publishing,
    now: DateTime<Utc>,
) -> Result<Booked, PayPalError> {
    let booked = book_capture(conn, &publishing.site, facts, now)?;
    process_waiting(conn, &facts.capture_id, billing, publishing, now)?;
    Ok(booked)
}

/// Processes events that waited for `capture_id` to be booked (called right after booking).
pub fn process_waiting(
    conn: &mut PgConnection,
    capture_id: &str,
    billing: &Billing,
    publishing: &Publishing,
    now: DateTime<Utc>,
) -> Result<(), PayPalError> {
    let waiting: Vec<(i64, serde_json::Value)> = paypal_webhook_events::table
        .filter(paypal_webhook_events::capture_id.eq(capture_id))
        .filter(paypal_webhook_events::processed_at.is_null())
        .order(paypal_webhook_events::id)
        .select((paypal_webhook_events::id, paypal_webhook_events::body))
        .for_update()
        .load(conn)?;
    crate::failpoint::hit("paypal-after-waiting-check");
    for (row, body) in waiting {
        let event: Event = serde_json::from_value(body).map_err(|e| PayPalError::BadEvent(e.to_string()))?;
        process(conn, row, &event, billing, publishing, now)?;
    }
    Ok(())
}

/// Processes every event still waiting for a capture that is booked by now, one capture per
/// transaction under its lock; returns how many captures had events waiting.
pub fn sweep_waiting(
    conn: &mut PgConnection,
    billing: &Billing,
    publishing: &Publishing,
    now: DateTime<Utc>,
) -> Result<usize, PayPalError> {
    use crate::db::schema::paypal_captures;
    let captures: Vec<String> = paypal_webhook_events::table
        .inner_join(
            paypal_captures::table
                .on(paypal_webhook_events::capture_id.eq(paypal_captures::capture_id.nullable())),
        )
        .filter(paypal_webhook_events::processed_at.is_null())
        .select(paypal_captures::capture_id)
        .distinct()
        .load(conn)?;
    for capture_id in &captures {
        conn.transaction(|conn| {
            crate::db::locks::capture_lock(conn, capture_id)?;
            process_waiting(conn, capture_id, billing, publishing, now)
        })?;
    }
    Ok(captures.len())
}
