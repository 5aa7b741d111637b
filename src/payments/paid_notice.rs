//! "Your invoice is paid": the one email an invoice gets when a receipt leaves nothing open on
//! it. Allocation calls [`announce`] inside the receipt's transaction, so the email leaves only
//! if the payment is booked. Its outbox key is `invoice-paid:{invoice}`: a statement imported
//! twice, a webhook delivered twice, the rest paid after a part, or a payment reversed and made
//! again all leave the one email the first settlement queued.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::PaymentError;
use crate::db::schema::{customers, invoice_balances, invoices};
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t};
use crate::incidents::reader_time;
use crate::ledger::EntryId;
use crate::mail::outbox::{OutgoingMail, enqueue_many};
use crate::mail::templates::{EmailContent, render_email};
use crate::site::Site;

/// An invoice a receipt has just paid in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settled {
    pub invoice: i64,
    /// The journal entry of the receipt that settled it: its receipt's address.
    pub receipt_entry: EntryId,
    /// How the money came, as a Fluent id (`Method::words`); none when not known.
    pub method: Option<&'static str>,
    pub at: DateTime<Utc>,
}

pub fn idempotency_key(invoice: i64) -> String {
    format!("invoice-paid:{invoice}")
}

/// invoice, number, currency, paid, email, language, country, time zone
type Row = (i64, String, String, Decimal, String, String, String, Option<String>);

/// What the "paid" emails of some settled invoices say, read from the database: [`compose`]
/// writes them from it without a connection (on another thread, if the caller likes).
pub(crate) struct Readers {
    settled: Vec<Settled>,
    rows: Vec<Row>,
}

/// Queues the "paid" email of each settled invoice in the caller's transaction; returns how many
/// were new. Anonymized customers have no address left to write to.
pub(crate) fn announce(
    conn: &mut PgConnection,
    site: &Site,
    settled: &[Settled],
) -> Result<usize, PaymentError> {
    if settled.is_empty() {
        return Ok(0);
    }
    let mails = compose(site, &readers(conn, settled)?)?;
    enqueue(conn, site, &mails)
}

/// Queues emails [`compose`] wrote, in the transaction that settled their invoices.
pub(crate) fn enqueue(
    conn: &mut PgConnection,
    site: &Site,
    mails: &[OutgoingMail],
) -> Result<usize, PaymentError> {
    enqueue_many(conn, mails, &site.mail_domain).map_err(|e| PaymentError::Mail(Box::new(e)))
}

pub(crate) fn readers(conn: &mut PgConnection, settled: &[Settled]) -> Result<Readers, PaymentError> {
    if settled.is_empty() {
        return Ok(Readers { settled: Vec::new(), rows: Vec::new() });
    }
    let ids: Vec<i64> = settled.iter().map(|s| s.invoice).collect();
    let rows: Vec<Row> = invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .inner_join(invoice_balances::table.on(invoice_balances::invoice_id.eq(invoices::id)))
        .filter(invoices::id.eq_any(&ids))
        .filter(customers::anonymized_at.is_null())
        .select((
            invoices::id,
            invoices::number,
            invoices::currency,
            invoice_balances::paid,
            customers::email,
            customers::language,
            customers::country,
            customers::time_zone,
        ))
        .load(conn)?;
    Ok(Readers { settled: settled.to_vec(), rows })
}

/// The "paid" emails, each in its customer's language.
pub(crate) fn compose(site: &Site, readers: &Readers) -> Result<Vec<OutgoingMail>, PaymentError> {
    // The first settlement of an invoice is the one its email tells of.
    let mut settled_by: HashMap<i64, &Settled> = HashMap::with_capacity(readers.settled.len());
    for settled in &readers.settled {
        settled_by.entry(settled.invoice).or_insert(settled);
    }
    let mut mails = Vec::with_capacity(readers.rows.len());
    for (invoice, number, currency, paid, email, language, country, time_zone) in &readers.rows {
        let Some(settled) = settled_by.get(invoice) else { continue };
        let currency = Currency::from_code(currency.trim())
            .ok_or_else(|| PaymentError::Corrupt(format!("currency {currency:?}")))?;
        let lang = Lang::supported(language).unwrap_or_else(Lang::english);
        let formats = Formats::new(&lang, country.trim());
        let day = settled.at.with_timezone(&reader_time::zone(time_zone.as_deref(), country)).date_naive();
        let method = settled.method;
        let mut args = vec![
            ("number", number.clone().into()),
            ("amount", formats.money(crate::money::Money::new(*paid, currency)).into()),
            ("date", formats.date(day).into()),
        ];
        if let Some(method) = method {
            args.push(("method", t(&lang, method).into()));
        }
        let paragraphs: &[&str] =
            if method.is_some() { &["email-paid-text", "email-paid-method"] } else { &["email-paid-text"] };
        let content = EmailContent {
            subject: "email-paid-subject",
            paragraphs,
            action: Some((
                "email-paid-action",
                site.link(&format!("/account/payments/{}/receipt", settled.receipt_entry.0)),
            )),
            args,
        };
        let rendered = render_email(&lang, &content).map_err(|e| PaymentError::Mail(Box::new(e)))?;
        mails.push(OutgoingMail {
            idempotency_key: idempotency_key(*invoice),
            recipient: email.clone(),
            language: lang.code().to_owned(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
            attachment_document_id: None,
            secret: None,
            list_unsubscribe: None,
        });
    }
    Ok(mails)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paid_email_reads_in_every_language_with_its_facts() {
        for code in crate::i18n::LANGUAGES {
            let lang = Lang::supported(code).unwrap();
            let content = EmailContent {
                subject: "email-paid-subject",
                paragraphs: &["email-paid-text", "email-paid-method"],
                action: Some((
                    "email-paid-action",
                    "https://portal.example/account/payments/7/receipt".into(),
                )),
                args: vec![
                    ("number", "2026-000042".into()),
                    ("amount", "1,19 €".into()),
                    ("date", "04.12.2026".into()),
                    ("method", "PayPal".into()),
                ],
            };
            let mail = render_email(&lang, &content).unwrap();
            assert!(mail.subject.contains("2026-000042"), "{}: {}", lang.code(), mail.subject);
            for fact in ["2026-000042", "1,19 €", "04.12.2026", "PayPal", "/account/payments/7/receipt"] {
                assert!(mail.text.contains(fact), "{} lacks {fact}: {}", lang.code(), mail.text);
            }
        }
    }
}
