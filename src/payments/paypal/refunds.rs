//! Money going back out of PayPal: refunds (from the back office, or made on PayPal's side and
//! reported by webhook) and reversals (chargebacks). A refund is a credit note on the invoice
//! (its revenue and VAT reversed, the amount to the customer's credit) and an entry paying that
//! credit out of PayPal clearing. A reversal is the mirror of the capture's receipt: the invoice
//! is open again and finance hears of it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{PayPalError, capture_key};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::schema::{invoices, paypal_captures, paypal_refunds, users};
use crate::documents::Publishing;
use crate::ids::CustomerId;
use crate::invoicing::InvoicingError;
use crate::invoicing::credit_note::{CreditRequest, issue_credit_note};
use crate::ledger::chart::{CustomerAccount, SystemAccount};
use crate::ledger::{NewEntry, NewPosting, Reference, post_entry};
use crate::money::Money;
use crate::payments::{PaymentError, reverse_receipt};
use crate::subscriptions::Billing;

/// A booked capture and what is left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureRow {
    pub capture_id: String,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub customer: i64,
    pub amount: Money,
    pub refunded: Money,
}

impl CaptureRow {
    pub fn refundable(&self) -> Money {
        Money::new(self.amount.amount() - self.refunded.amount(), self.amount.currency())
    }
}

/// The capture, locked until the transaction ends (refunds of one capture one at a time).
pub fn lock_capture(conn: &mut PgConnection, capture_id: &str) -> Result<Option<CaptureRow>, PayPalError> {
    let row: Option<(String, i64, i64, String, Decimal)> = paypal_captures::table
        .filter(paypal_captures::capture_id.eq(capture_id))
        .select((
            paypal_captures::capture_id,
            paypal_captures::invoice_id,
            paypal_captures::customer_id,
            paypal_captures::currency,
            paypal_captures::amount,
        ))
        .for_update()
        .first(conn)
        .optional()?;
    let Some((capture_id, invoice_id, customer, currency, amount)) = row else {
        return Ok(None);
    };
    let currency =
        Currency::from_code(currency.trim()).ok_or_else(|| PayPalError::Other(currency.clone()))?;
    let refunded: Option<Decimal> = paypal_refunds::table
        .filter(paypal_refunds::capture_id.eq(&capture_id))
        .select(diesel::dsl::sum(paypal_refunds::amount))
        .first(conn)?;
    let invoice_number: String = invoices::table.find(invoice_id).select(invoices::number).first(conn)?;
    Ok(Some(CaptureRow {
        capture_id,
        invoice_id,
        invoice_number,
        customer,
        amount: Money::new(amount, currency),
        refunded: Money::new(refunded.unwrap_or_default(), currency),
    }))
}

/// Books a refund PayPal made (`refund_id`) of `amount` from a capture. Returns false when it
/// was booked before. Run it in a transaction.
#[allow(clippy::too_many_arguments)]
pub fn book_refund(
    conn: &mut PgConnection,
    billing: &Billing,
    publishing: &Publishing,
    capture: &CaptureRow,
    refund_id: &str,
    amount: Money,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, PayPalError> {
    let known: i64 =
        paypal_refunds::table.filter(paypal_refunds::refund_id.eq(refund_id)).count().get_result(conn)?;
    if known > 0 {
        return Ok(false);
    }
    if amount.currency() != capture.amount.currency() || !amount.is_positive() {
        return Err(PayPalError::BadAmount);
    }
    if amount.amount() > capture.refundable().amount() {
        return Err(PayPalError::RefundTooLarge);
    }
    let reason = format!("PayPal refund {refund_id}");
    let credit_note = match issue_credit_note(
        conn,
        billing,
        publishing,
        &CreditRequest {
            invoice_number: &capture.invoice_number,
            amount: Some(amount),
            reason: &reason,
            actor: actor.user,
            ip: &actor.ip,
            now,
        },
    ) {
        Ok(issued) => Some(issued.id),
        // Credited before already: the money to refund sits in the customer's credit.
        Err(InvoicingError::CreditTooLarge) => None,
        Err(e) => return Err(e.into()),
    };
    let currency = amount.currency();
    // The money leaves the customer's credit (where the credit note put it), read and spent
    // under the customer's lock. What the credit does not hold (the credit note lowered an
    // open invoice instead, or the credit was spent since) is taken from the capture's
    // payment: its invoice is open again by that much.
    crate::db::locks::lock_customer(conn, capture.customer)?;
    let available = crate::payments::allocation::credit_available(conn, capture.customer, currency)?;
    crate::failpoint::hit("refund-after-credit-read");
    let from_credit = Money::new(available.max(Decimal::ZERO).min(amount.amount()), currency);
    let reopen = amount.checked_sub(from_credit)?;
    let credit = CustomerAccount::Credit.open(conn, CustomerId(capture.customer), currency)?;
    let receivable = CustomerAccount::Receivable.open(conn, CustomerId(capture.customer), currency)?;
    let clearing = SystemAccount::PayPalClearing.open(conn, currency)?;
    let key = format!("paypal-refund:{refund_id}");
    let mut postings = vec![NewPosting::credit(clearing.id, amount)];
    if from_credit.is_positive() {
        postings.push(NewPosting::debit(credit.id, from_credit));
    }
    if reopen.is_positive() {
        postings.push(NewPosting::debit(receivable.id, reopen));
    }
    let entry = post_entry(
        conn,
        &NewEntry {
            idempotency_key: key.clone(),
            kind: crate::ledger::EntryKind::PaymentRefunded.into(),
            memo: format!(
                "PayPal refund {refund_id} of capture {} (invoice {})",
                capture.capture_id, capture.invoice_number
            ),
            occurred_at: now,
            reference: Some(Reference { kind: "payment".to_owned(), id: capture_key(&capture.capture_id) }),
            postings,
        },
    )?;
    if reopen.is_positive() {
        // The part of the capture's payment given back, as a receipt of its own whose
        // allocation to the invoice is negative (like a reversal's).
        crate::payments::allocation::record_refunded_payment(
            conn,
            &key,
            capture.customer,
            capture.invoice_id,
            reopen,
            clearing.id,
            entry.id(),
            now,
        )?;
    }
    diesel::insert_into(paypal_refunds::table)
        .values((
            paypal_refunds::refund_id.eq(refund_id),
            paypal_refunds::capture_id.eq(&capture.capture_id),
            paypal_refunds::customer_id.eq(capture.customer),
            paypal_refunds::kind.eq("refund"),
            paypal_refunds::currency.eq(currency.code()),
            paypal_refunds::amount.eq(amount.amount()),
            paypal_refunds::credit_note_id.eq(credit_note),
            paypal_refunds::ledger_entry_id.eq(entry.id().0),
            paypal_refunds::actor_user_id.eq(actor.user.map(|u| u.0)),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &actor.event("paypal.refund").target(format!("invoice:{}", capture.invoice_number)).details(
            serde_json::json!({ "capture": capture.capture_id, "refund": refund_id, "amount": amount.to_string(), "credit_note_id": credit_note }),
        ),
    )?;
    Ok(true)
}

/// Books a chargeback (`PAYMENT.CAPTURE.REVERSED`): the capture's receipt reversed, the invoice
/// open again, finance told by email and in the audit log. Returns false when booked before.
pub fn book_reversal(
    conn: &mut PgConnection,
    publishing: &Publishing,
    capture: &CaptureRow,
    refund_id: &str,
    amount: Money,
    now: DateTime<Utc>,
) -> Result<bool, PayPalError> {
    let known: i64 =
        paypal_refunds::table.filter(paypal_refunds::refund_id.eq(refund_id)).count().get_result(conn)?;
    if known > 0 {
        return Ok(false);
    }
    let reversal_key = format!("paypal-reversal:{refund_id}");
    let memo = format!(
        "PayPal chargeback {refund_id} of capture {} (invoice {})",
        capture.capture_id, capture.invoice_number
    );
    let applied = match reverse_receipt(conn, &capture_key(&capture.capture_id), &reversal_key, now, &memo) {
        Ok(applied) => applied,
        Err(PaymentError::AlreadyReversed { .. }) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    // What was refunded before left PayPal clearing already; the reversal took the whole
    // capture back, so that part is put back and the receivable follows the invoice's open
    // amount (its credit note lowered it).
    let currency = capture.amount.currency();
    let refunded_before = capture.amount.checked_sub(amount)?;
    if refunded_before.is_positive() {
        let clearing = SystemAccount::PayPalClearing.open(conn, currency)?;
        let receivable = CustomerAccount::Receivable.open(conn, CustomerId(capture.customer), currency)?;
        post_entry(
            conn,
            &NewEntry {
                idempotency_key: format!("paypal-reversal-adjust:{refund_id}"),
                kind: crate::ledger::EntryKind::PaymentReversed.into(),
                memo: format!("{memo}: part refunded before"),
                occurred_at: now,
                reference: Some(Reference {
                    kind: "payment".to_owned(),
                    id: capture_key(&capture.capture_id),
                }),
                postings: vec![
                    NewPosting::debit(clearing.id, refunded_before),
                    NewPosting::credit(receivable.id, refunded_before),
                ],
            },
        )?;
    }
    diesel::insert_into(paypal_refunds::table)
        .values((
            paypal_refunds::refund_id.eq(refund_id),
            paypal_refunds::capture_id.eq(&capture.capture_id),
            paypal_refunds::customer_id.eq(capture.customer),
            paypal_refunds::kind.eq("reversal"),
            paypal_refunds::currency.eq(currency.code()),
            paypal_refunds::amount.eq(amount.amount()),
            paypal_refunds::ledger_entry_id.eq(applied.entry.0),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    audit::record(
        conn,
        &AuditEvent::new("paypal.chargeback", None, "").target(format!("invoice:{}", capture.invoice_number)).details(
            serde_json::json!({ "capture": capture.capture_id, "reversal": refund_id, "amount": amount.to_string() }),
        ),
    )?;
    notify_finance(conn, publishing, capture, refund_id, amount)?;
    Ok(true)
}

/// One email per finance and admin member, in their language, through the outbox.
fn notify_finance(
    conn: &mut PgConnection,
    publishing: &Publishing,
    capture: &CaptureRow,
    refund_id: &str,
    amount: Money,
) -> Result<(), PayPalError> {
    let staff: Vec<(i64, String, String)> = users::table
        .filter(users::role.eq_any(["finance", "admin"]))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::email, users::language))
        .load(conn)?;
    let site = &publishing.site;
    for (id, email, language) in staff {
        let lang = crate::i18n::Lang::supported(&language).unwrap_or_else(crate::i18n::Lang::english);
        let content = crate::mail::templates::EmailContent {
            subject: "paypal-chargeback-subject",
            paragraphs: &["paypal-chargeback-text"],
            action: Some((
                "paypal-chargeback-action",
                format!(
                    "{}/backoffice/invoices/{}",
                    site.public_url.trim_end_matches('/'),
                    capture.invoice_number
                ),
            )),
            args: vec![
                ("invoice", capture.invoice_number.clone().into()),
                ("amount", crate::i18n::format::money(&lang, amount).into()),
                ("capture", capture.capture_id.clone().into()),
            ],
        };
        crate::mail::send(
            conn,
            site,
            &email,
            &lang,
            format!("paypal-chargeback:{refund_id}:{id}"),
            &content,
        )?;
    }
    Ok(())
}

/// A refund finance asked for, as it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    /// Refunded at PayPal and booked (credit note, ledger entry, audit log).
    Refunded { amount: Money, invoice_number: String },
    /// Refused before anything changed, saying why (a Fluent id).
    Refused(&'static str),
}

/// Refunds `amount_text` (empty: all that is left) of `capture_id` through PayPal's API, then
/// books it. PayPal's request id is chosen from the capture, what was refunded before and the
/// amount, so the same refund asked twice (a double click, a new form) is one refund at PayPal.
/// `note` is the message to the payer for an invoice number.
#[allow(clippy::too_many_arguments)]
pub fn refund(
    pool: &crate::db::PgPool,
    settings: &super::PayPalSettings,
    billing: &Billing,
    publishing: &Publishing,
    capture_id: &str,
    amount_text: &str,
    note: &dyn Fn(&str) -> String,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<RefundOutcome, PayPalError> {
    let connection = || pool.get().map_err(PayPalError::Pool);
    let Some(capture) = lock_capture(&mut *connection()?, capture_id)? else {
        return Ok(RefundOutcome::Refused("error-not-found"));
    };
    let amount = match amount_text.trim() {
        "" => capture.refundable(),
        text => match Money::parse(text, capture.amount.currency()) {
            Ok(amount) => amount,
            Err(e) => return Ok(RefundOutcome::Refused(e.message_id())),
        },
    };
    if !amount.is_positive() {
        return Ok(RefundOutcome::Refused("paypal-bad-amount"));
    }
    if amount.amount() > capture.refundable().amount() {
        return Ok(RefundOutcome::Refused("paypal-refund-too-large"));
    }
    let request_id =
        format!("kontor-refund-{}-{}-{}", capture.capture_id, capture.refunded.amount(), amount.amount());
    let answer = super::Client::new(settings).refund_capture(
        &capture.capture_id,
        &request_id,
        amount,
        &capture.invoice_number,
        &note(&capture.invoice_number),
    );
    let refund = match answer {
        Ok(refund) => refund,
        Err(e) => {
            tracing::warn!(error = %e, "PayPal refund refused");
            return Ok(RefundOutcome::Refused("paypal-refund-failed"));
        }
    };
    connection()?.transaction(|c| {
        let capture = lock_capture(c, &capture.capture_id)?.ok_or(PayPalError::NotFound)?;
        book_refund(c, billing, publishing, &capture, &refund.id, amount, actor, now)
    })?;
    Ok(RefundOutcome::Refunded { amount, invoice_number: capture.invoice_number })
}
