//! The notice a customer receives: a PDF letter stored as sent (with its SHA-256, like an
//! invoice) and an email with the letter attached, both in the customer's language: the open
//! invoice, the fee and each stretch of interest ("N days at X % p.a."), the total, every other
//! invoice still open on the account, how to pay (with the invoice's payment code for EUR and
//! CHF, as the invoice printed it), what comes next, and the offer to pay by direct debit
//! instead.

use chrono::NaiveDate;
use diesel::PgConnection;
use fluent_templates::fluent_bundle::FluentValue;

use super::CollectionsError;
use super::charges::{Overdue, interest_line};
use super::interest::Stretch;
use super::ladder::Action;
use crate::documents::how_to_pay::{Code, HowToPay, Medium};
use crate::documents::letter::{Letter, PaymentCode, render_letter};
use crate::documents::snapshot::Seller;
use crate::i18n::{t, t_args};
use crate::mail::outbox::{OutgoingMail, enqueue};
use crate::mail::templates::{EmailContent, render_email};
use crate::money::Money;
use crate::site::Site;

/// What one notice says.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    pub overdue: &'a Overdue,
    pub level: i32,
    pub action: Action,
    pub sent_on: NaiveDate,
    pub open: Money,
    pub fee: Money,
    pub interest: &'a [Stretch],
    /// The day the account will be suspended (final notice).
    pub suspension_day: Option<NaiveDate>,
    pub charge_number: Option<String>,
    pub customer_name: String,
    pub email: String,
    /// The customer's other open invoices (charges invoices of earlier notices among them).
    pub others: Vec<OpenInvoice>,
}

/// Another invoice still open on the account, as the notice lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub number: String,
    pub due_date: NaiveDate,
    pub open: Money,
}

/// How the notice asks to be paid: the sentence, and the payment code's payload when the
/// invoice is paid by transfer in EUR or CHF.
#[derive(Debug, Clone, Default)]
pub struct Payable {
    pub sentence: Option<String>,
    pub code: Option<String>,
    /// The code is a Swiss QR-bill's (printed larger, with the Swiss cross).
    pub swiss: bool,
}

impl Notice<'_> {
    /// `dunning-title-1` for the friendly first reminder, else by the step's action.
    fn title_id(&self) -> &'static str {
        match (self.level, self.action) {
            (1, Action::Reminder) => "dunning-title-friendly",
            (_, Action::Reminder) => "dunning-title-reminder",
            (_, Action::FinalNotice) => "dunning-title-final",
            (_, Action::Suspension) => "dunning-title-suspension",
            (_, Action::Termination) => "dunning-title-termination",
        }
    }

    fn next_step_id(&self) -> &'static str {
        match self.action {
            Action::Reminder => "dunning-next-reminder",
            Action::FinalNotice => "dunning-next-final",
            Action::Suspension => "dunning-next-suspension",
            Action::Termination => "dunning-next-termination",
        }
    }

    pub fn total(&self) -> Result<Money, CollectionsError> {
        let interest = Money::sum(self.open.currency(), self.interest.iter().map(|s| s.amount))?;
        Ok(self.open.checked_add(self.fee)?.checked_add(interest)?)
    }

    fn args(&self) -> Result<Vec<(&'static str, FluentValue<'static>)>, CollectionsError> {
        let formats = self.overdue.formats();
        Ok(vec![
            ("name", self.customer_name.clone().into()),
            ("number", self.overdue.number.clone().into()),
            ("due", formats.date(self.overdue.due_date).into()),
            ("open", formats.money(self.open).into()),
            ("total", formats.money(self.total()?).into()),
            ("level", self.level.into()),
            ("suspension", self.suspension_day.map(|d| formats.date(d)).unwrap_or_default().into()),
            ("charges", self.charge_number.clone().unwrap_or_default().into()),
        ])
    }

    /// "2026-000009 (due 1.11.2026)" and its open amount, per other open invoice.
    fn other_rows(&self) -> Vec<(String, String)> {
        let formats = self.overdue.formats();
        self.others
            .iter()
            .map(|other| {
                (
                    t_args(
                        &formats.lang,
                        "dunning-also-open-row",
                        &[
                            ("number", other.number.clone().into()),
                            ("due", formats.date(other.due_date).into()),
                        ],
                    ),
                    formats.money(other.open),
                )
            })
            .collect()
    }

    /// The letter's identifier and file name stem: `R-<invoice number>-<level>`.
    pub fn identifier(&self) -> String {
        format!("R-{}-{}", self.overdue.number, self.level)
    }
}

/// The letter as a PDF.
pub fn letter(notice: &Notice<'_>, payable: &Payable, site: &Site) -> Result<Vec<u8>, CollectionsError> {
    let formats = notice.overdue.formats();
    let lang = &formats.lang;
    let args = notice.args()?;
    let snapshot = &notice.overdue.customer_snapshot;
    let field = |name: &str| snapshot.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let seller =
        notice.overdue.seller_snapshot.get("name").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let mut recipient = vec![field("name")];
    if let Some(company) = snapshot.get("company_name").and_then(|v| v.as_str()).filter(|c| !c.is_empty()) {
        recipient.insert(0, company.to_owned());
    }
    recipient.push(field("street"));
    recipient.push(format!("{} {}", field("postal_code"), field("city")));
    let mut table = vec![(t_args(lang, "dunning-row-invoice", &args), formats.money(notice.open))];
    if notice.fee.is_positive() {
        table.push((
            super::charges::fee_line(&formats, &notice.overdue.number, notice.level),
            formats.money(notice.fee),
        ));
    }
    for stretch in notice.interest.iter().filter(|s| s.amount.is_positive()) {
        table.push((
            interest_line(&formats, &notice.overdue.number, notice.open, stretch),
            formats.money(stretch.amount),
        ));
    }
    table.push((t(lang, "dunning-row-total"), formats.money(notice.total()?)));
    let mut after = vec![t_args(lang, notice.next_step_id(), &args)];
    if notice.charge_number.is_some() {
        after.push(t_args(lang, "dunning-charges-invoice", &args));
    }
    after.extend(payable.sentence.clone());
    after.push(t_args(
        lang,
        "dunning-switch-to-debit",
        &[("link", site.link("/account/direct-debit").into())],
    ));
    after.push(t(lang, "dunning-crossed"));
    let letter = Letter {
        identifier: notice.identifier(),
        sender: seller,
        recipient,
        date: formats.date(notice.sent_on),
        title: t_args(lang, notice.title_id(), &args),
        paragraphs_before: vec![t_args(lang, "dunning-intro", &args)],
        table,
        also: Some((t(lang, "dunning-also-open"), notice.other_rows())),
        paragraphs_after: after,
        code: payable.code.clone().map(|payload| PaymentCode {
            swiss: payable.swiss,
            payload,
            caption: t(lang, "pdf-scan-to-pay"),
        }),
    };
    Ok(render_letter(&letter)?)
}

/// What the invoice itself says about paying it, read with the step's other reads.
pub struct InvoiceTerms {
    pub credit_note: bool,
    pub payment_reference: String,
    pub amount_due: Money,
}

/// How to pay the overdue invoice as it stands now: the sentence, and for a transfer in EUR or
/// CHF the code the invoice carried, for what is open now (`open`).
pub fn payable(
    conn: &mut PgConnection,
    overdue: &Overdue,
    terms: &InvoiceTerms,
    open: Money,
    seller_country: &str,
) -> Result<Payable, CollectionsError> {
    use crate::documents::how_to_pay::{Facts, decide_with_mandate};
    let formats = overdue.formats();
    let seller = Seller::from_snapshot(&overdue.seller_snapshot);
    let facts = Facts {
        credit_note: terms.credit_note,
        number: &overdue.number,
        currency: overdue.currency,
        due_date: overdue.due_date,
        payment_reference: &terms.payment_reference,
        seller: &seller,
        amount_due: terms.amount_due,
        open,
        mandate: None,
    };
    let Ok(how) = decide_with_mandate(conn, overdue.invoice_id, facts) else {
        return Ok(Payable::default());
    };
    let (code, swiss) = match &how {
        HowToPay::Transfer(transfer) => (
            crate::documents::payment::code_payload(transfer, &seller, seller_country, &overdue.number)?,
            transfer.code == Code::SwissQrBill,
        ),
        _ => (None, false),
    };
    Ok(Payable { sentence: how.sentence(&formats, Medium::Email), code, swiss })
}

/// Queues the notice's email with the stored letter attached, once per notice.
pub fn queue_email(
    conn: &mut PgConnection,
    notice: &Notice<'_>,
    document_id: i64,
    payable: &Payable,
    site: &Site,
) -> Result<(), CollectionsError> {
    let lang = notice.overdue.lang();
    let mut args = notice.args()?;
    args.push(("how_to_pay", payable.sentence.clone().unwrap_or_default().into()));
    args.push(("link", site.link("/account/direct-debit").into()));
    let others = notice.other_rows();
    let listed: Vec<String> = others.iter().map(|(label, amount)| format!("{label}: {amount}")).collect();
    args.push(("others", listed.join("; ").into()));
    let mut paragraphs = vec!["dunning-intro"];
    if !others.is_empty() {
        paragraphs.push("dunning-email-also-open");
    }
    paragraphs.extend([notice.next_step_id(), "dunning-email-how-to-pay"]);
    if payable.code.is_some() {
        paragraphs.push("dunning-email-code");
    }
    paragraphs.extend(["dunning-switch-to-debit", "dunning-crossed"]);
    let content = EmailContent {
        subject: notice.title_id(),
        paragraphs: &paragraphs,
        action: Some(("dunning-email-action", site.link("/account/invoices"))),
        args,
    };
    let rendered = render_email(&lang, &content)?;
    let mail = OutgoingMail {
        idempotency_key: format!("dunning:{}:{}", notice.overdue.invoice_id, notice.level),
        recipient: notice.email.clone(),
        language: lang.code().to_owned(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        attachment_document_id: Some(document_id),
        secret: None,
        list_unsubscribe: None,
    };
    enqueue(conn, &mail, &site.mail_domain)?;
    Ok(())
}
