//! The email that carries a document: subject and body in the customer's language, the
//! stored PDF attached when the outbox delivers it.

use fluent_templates::fluent_bundle::FluentValue;

use super::DocumentError;
use super::model::{InvoiceDocument, Kind};
use crate::documents::how_to_pay::Medium;
use crate::i18n::format::Formats;
use crate::mail::OutgoingMail;
use crate::mail::templates::{EmailContent, render_email};
use crate::site::Site;

fn arg(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

/// The outbox row for `doc` with its stored PDF `document_id` attached. The idempotency key
/// is the document number: one email per invoice, however often the batch re-runs.
pub fn document_email(
    doc: &InvoiceDocument,
    document_id: i64,
    site: &Site,
) -> Result<OutgoingMail, DocumentError> {
    let formats = Formats::new(&doc.language, &doc.customer.country);
    let mut args = vec![
        ("number", arg(&doc.number)),
        ("seller", arg(&doc.seller.name)),
        ("date", arg(formats.date(doc.issue_date))),
        ("amount", arg(formats.money(doc.gross))),
        ("due_amount", arg(formats.money(doc.amount_due))),
        ("due", arg(formats.date(doc.due_date))),
        ("name", arg(&doc.customer.name)),
    ];
    // The same decision as the attached PDF's (`documents::how_to_pay`): a debit is announced,
    // a transfer names the account and reference of the invoice's currency.
    let instructions = doc.how_to_pay.sentence(&formats, Medium::Email);
    let (subject, paragraphs): (&str, &[&str]) = match (doc.kind, &instructions) {
        (Kind::Invoice, Some(_)) => (
            "email-invoice-subject",
            &["email-invoice-intro", "email-invoice-how-to-pay", "invoice-default-notice"],
        ),
        (Kind::Invoice, None) => ("email-invoice-subject", &["email-invoice-intro", "email-invoice-covered"]),
        (Kind::CreditNote, _) => {
            ("email-credit-note-subject", &["email-credit-note-intro", "pdf-credit-kept"])
        }
    };
    args.push(("instructions", arg(instructions.unwrap_or_default())));
    let url = format!("{}/account/invoices/{}", site.public_url.trim_end_matches('/'), doc.number);
    let content = EmailContent { subject, paragraphs, action: Some(("email-invoice-action", url)), args };
    let rendered = render_email(&doc.language, &content)?;
    Ok(OutgoingMail {
        idempotency_key: format!("document:{}", doc.number),
        recipient: doc.customer_email.clone(),
        language: doc.language.code().to_owned(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        attachment_document_id: Some(document_id),
        secret: None,
        list_unsubscribe: None,
    })
}
