//! How an invoice asks to be paid, decided in one place for its page, its PDF and its emails,
//! so they cannot disagree: the debit announced under the customer's mandate, or a transfer to
//! the account of the invoice's currency with the reference that account takes (a Swiss
//! QR-IBAN only accepts QR references; every other account gets the RF reference), or nothing.
//!
//! The account comes from the seller as frozen with the invoice (its seller snapshot), as the
//! PDF sent with it printed it. [`decide`] is pure; [`how_to_pay`] reads an invoice as it
//! stands now (what is still open, a returned debit) for its page and later emails, while
//! `documents::model::load` decides as at issue (the amount due) for the PDF and the email
//! that carries it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::PaymentError;
use crate::db::schema::invoices;
use crate::documents::printed::{grouped, reference_text};
use crate::documents::qr_payload::{self, Payee, SwissReference};
use crate::documents::snapshot::Seller;
use crate::i18n::format::Formats;
use crate::i18n::t_args;
use crate::iban::is_qr_iban;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HowToPay {
    /// Nothing is left to pay.
    Nothing(Settled),
    /// Collected under the customer's SEPA mandate on the due date: the invoice is the
    /// pre-notification.
    DirectDebit(Debit),
    Transfer(Transfer),
}

/// Why nothing is left to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// A credit note asks for nothing.
    CreditNote,
    /// The customer's credit covered the invoice when it was issued.
    CoveredByCredit,
    /// Paid or credited since.
    Paid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debit {
    pub amount: Money,
    /// The last four characters of the debtor's IBAN.
    pub iban_ending: String,
    pub mandate_reference: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub amount: Money,
    pub due_date: NaiveDate,
    pub holder: String,
    /// Compact (no spaces).
    pub iban: String,
    /// Empty when the account has none configured (Swiss accounts need none).
    pub bic: String,
    pub reference: Reference,
    pub code: Code,
}

/// The reference a transfer must quote: what the account accepts and the import matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// ISO 11649 creditor reference ("RF..."), derived from the invoice number.
    Rf(String),
    /// Swiss QR reference (27 digits), for payments to a QR-IBAN.
    Qrr(String),
}

/// The payment code printed with the instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// EPC "GiroCode" for a SEPA credit transfer (EUR).
    Epc,
    /// The Swiss QR-bill payment part (CHF to the seller's Swiss account).
    SwissQrBill,
    None,
}

impl Reference {
    /// As printed: RF in groups of four, QR references in groups of five from the right.
    pub fn printed(&self) -> String {
        reference_text(&self.swiss())
    }

    /// Without spaces, as it goes into payment codes and statements.
    pub fn compact(&self) -> &str {
        match self {
            Reference::Rf(text) | Reference::Qrr(text) => text,
        }
    }

    /// As the Swiss QR-bill names it.
    pub fn swiss(&self) -> SwissReference {
        match self {
            Reference::Rf(rf) => SwissReference::Scor(rf.clone()),
            Reference::Qrr(digits) => SwissReference::Qrr(digits.clone()),
        }
    }
}

impl Transfer {
    /// The IBAN in groups of four.
    pub fn iban_printed(&self) -> String {
        grouped(&self.iban, 4)
    }

    /// The EPC code's payload (EUR transfers), the same on the page and the PDF.
    pub fn epc_payload(&self) -> Result<Option<String>, qr_payload::QrError> {
        if self.code != Code::Epc {
            return Ok(None);
        }
        let payee = Payee { name: self.holder.clone(), iban: self.iban.clone(), bic: self.bic.clone() };
        qr_payload::epc(&payee, self.amount, self.reference.compact()).map(Some)
    }
}

/// Where the instructions are read; the QR-bill is "below" on the PDF, on the attached PDF in
/// the email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Pdf,
    Email,
}

impl HowToPay {
    /// The sentence telling the reader how to pay, as the PDF and the emails print it (the page
    /// lays the same facts out as a list). `None` when nothing is to be paid.
    pub fn sentence(&self, formats: &Formats, medium: Medium) -> Option<String> {
        let lang = &formats.lang;
        match self {
            HowToPay::Nothing(_) => None,
            HowToPay::DirectDebit(debit) => Some(t_args(
                lang,
                "sepa-debit-notice",
                &[
                    ("amount", formats.money(debit.amount).into()),
                    ("date", formats.date(debit.date).into()),
                    ("iban", format!("…{}", debit.iban_ending).into()),
                    ("reference", debit.mandate_reference.clone().into()),
                ],
            )),
            HowToPay::Transfer(transfer) => {
                let id = match (transfer.code, medium, transfer.bic.is_empty()) {
                    (Code::SwissQrBill, Medium::Pdf, _) => "pdf-pay-with-qr-bill",
                    (Code::SwissQrBill, Medium::Email, _) => "pay-qr-bill-attached",
                    (_, _, false) => "pay-transfer",
                    (_, _, true) => "pay-transfer-no-bic",
                };
                Some(t_args(
                    lang,
                    id,
                    &[
                        ("amount", formats.money(transfer.amount).into()),
                        ("date", formats.date(transfer.due_date).into()),
                        ("holder", transfer.holder.clone().into()),
                        ("iban", transfer.iban_printed().into()),
                        ("bic", transfer.bic.clone().into()),
                        ("reference", transfer.reference.printed().into()),
                    ],
                ))
            }
        }
    }
}

/// The customer's active mandate, for an invoice it collects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateFacts {
    pub reference: String,
    pub iban: String,
}

/// What the decision needs to know about an invoice.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub credit_note: bool,
    pub number: &'a str,
    pub currency: Currency,
    pub due_date: NaiveDate,
    /// The invoice's RF reference.
    pub payment_reference: &'a str,
    /// The seller as frozen with the invoice.
    pub seller: &'a Seller,
    /// What the invoice asked for at issue (after customer credit).
    pub amount_due: Money,
    /// What is left to pay: `amount_due` as at issue, the open amount now.
    pub open: Money,
    /// The mandate collecting it, if any (EUR only; none after a returned debit).
    pub mandate: Option<MandateFacts>,
}

/// Digits of the invoice number for a QR reference: "2026-000123" -> "2026000123".
fn number_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// The one decision: see the module documentation.
pub fn decide(facts: &Facts<'_>) -> Result<HowToPay, PaymentError> {
    if facts.credit_note {
        return Ok(HowToPay::Nothing(Settled::CreditNote));
    }
    if !facts.amount_due.is_positive() {
        return Ok(HowToPay::Nothing(Settled::CoveredByCredit));
    }
    if !facts.open.is_positive() {
        return Ok(HowToPay::Nothing(Settled::Paid));
    }
    if facts.currency == Currency::EUR
        && let Some(mandate) = &facts.mandate
    {
        return Ok(HowToPay::DirectDebit(Debit {
            amount: facts.open,
            iban_ending: mandate
                .iban
                .get(mandate.iban.len().saturating_sub(4)..)
                .unwrap_or_default()
                .to_owned(),
            mandate_reference: mandate.reference.clone(),
            date: facts.due_date,
        }));
    }
    let (iban, bic) = facts.seller.account_for(facts.currency.code());
    let reference = if is_qr_iban(&iban) {
        Reference::Qrr(crate::references::qr_reference(&number_digits(facts.number)).ok_or_else(|| {
            PaymentError::Corrupt(format!("{}: no QR reference from its digits", facts.number))
        })?)
    } else {
        Reference::Rf(facts.payment_reference.to_owned())
    };
    let code = match facts.currency {
        Currency::EUR => Code::Epc,
        Currency::CHF if facts.seller.chf_iban.as_deref() == Some(iban.as_str()) => Code::SwissQrBill,
        _ => Code::None,
    };
    Ok(HowToPay::Transfer(Transfer {
        amount: facts.open,
        due_date: facts.due_date,
        holder: facts.seller.name.clone(),
        iban,
        bic,
        reference,
        code,
    }))
}

/// The active mandates collecting `invoices` (EUR invoices of customers with an active
/// mandate, unless a debit of that invoice came back: those are paid by transfer).
pub fn collecting_mandates(
    conn: &mut PgConnection,
    invoice_ids: &[i64],
) -> Result<BTreeMap<i64, MandateFacts>, PaymentError> {
    use crate::db::schema::{direct_debit_collections as c, sepa_mandates as m};
    Ok(invoices::table
        .inner_join(m::table.on(m::customer_id.eq(invoices::customer_id)))
        .filter(invoices::id.eq_any(invoice_ids))
        .filter(invoices::kind.eq(crate::invoicing::numbering::Series::Invoice.as_str()))
        .filter(invoices::currency.eq("EUR"))
        .filter(m::status.eq("active"))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            c::table.filter(c::invoice_id.eq(invoices::id)).filter(c::status.eq("returned")),
        )))
        .select((invoices::id, m::reference, m::iban))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, reference, iban)| (id, MandateFacts { reference, iban }))
        .collect())
}

type InvoiceRow = (String, String, String, NaiveDate, String, Decimal, serde_json::Value);

/// How to pay invoice `invoice` now: for its page and emails sent after issue. The caller has
/// checked who may see it.
pub fn how_to_pay(conn: &mut PgConnection, invoice: i64) -> Result<HowToPay, PaymentError> {
    let (kind, number, currency, due_date, reference, amount_due, seller): InvoiceRow = invoices::table
        .find(invoice)
        .select((
            invoices::kind,
            invoices::number,
            invoices::currency,
            invoices::due_date,
            invoices::payment_reference,
            invoices::amount_due,
            invoices::seller_snapshot,
        ))
        .first(conn)
        .optional()?
        .ok_or(PaymentError::UnknownInvoice(invoice))?;
    let currency = Currency::from_code(currency.trim())
        .ok_or_else(|| PaymentError::Corrupt(format!("invoice {number}: currency {currency}")))?;
    let open =
        super::open_amounts(conn, &[invoice])?.remove(&invoice).unwrap_or_else(|| Money::zero(currency));
    let seller = Seller::from_snapshot(&seller);
    let mandate = collecting_mandates(conn, &[invoice])?.remove(&invoice);
    decide(&Facts {
        credit_note: kind != crate::invoicing::numbering::Series::Invoice.as_str(),
        number: &number,
        currency,
        due_date,
        payment_reference: &reference,
        seller: &seller,
        amount_due: Money::new(amount_due, currency),
        open,
        mandate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seller() -> Seller {
        crate::documents::sample::seller()
    }

    fn facts<'a>(seller: &'a Seller, currency: Currency, open: i64) -> Facts<'a> {
        Facts {
            credit_note: false,
            number: "2026-000123",
            currency,
            due_date: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
            payment_reference: "RF712026000123",
            seller,
            amount_due: Money::new(Decimal::new(119, 2), currency),
            open: Money::new(Decimal::new(open, 2), currency),
            mandate: None,
        }
    }

    fn transfer(how: HowToPay) -> Transfer {
        match how {
            HowToPay::Transfer(t) => t,
            other => panic!("a transfer, not {other:?}"),
        }
    }

    #[test]
    fn each_currency_is_paid_into_its_own_account_with_the_reference_it_takes() {
        let mut seller = seller();
        seller.accounts.insert("SEK".into(), ("SE4550000000058398257466".into(), "ESSESESS".into()));
        let eur = transfer(decide(&facts(&seller, Currency::EUR, 119)).unwrap());
        assert_eq!((eur.iban.as_str(), eur.code), ("DE89370400440532013000", Code::Epc));
        assert_eq!(eur.reference, Reference::Rf("RF712026000123".into()));

        let chf = transfer(decide(&facts(&seller, Currency::CHF, 119)).unwrap());
        assert_eq!(
            (chf.iban.as_str(), chf.bic.as_str(), chf.code),
            ("CH4431999123000889012", "", Code::SwissQrBill)
        );
        assert!(
            matches!(&chf.reference, Reference::Qrr(digits) if digits.len() == 27),
            "{:?}",
            chf.reference
        );

        let sek = transfer(decide(&facts(&seller, Currency::SEK, 119)).unwrap());
        assert_eq!((sek.iban.as_str(), sek.bic.as_str()), ("SE4550000000058398257466", "ESSESESS"));
        // Without an account of its own, NOK is paid into the EUR account.
        assert_eq!(
            transfer(decide(&facts(&seller, Currency::NOK, 119)).unwrap()).iban,
            "DE89370400440532013000"
        );

        // A plain Swiss IBAN takes the RF reference.
        seller.chf_iban = Some("CH9300762011623852957".into());
        let plain = transfer(decide(&facts(&seller, Currency::CHF, 119)).unwrap());
        assert_eq!(plain.reference, Reference::Rf("RF712026000123".into()));
        assert_eq!(plain.code, Code::SwissQrBill);
    }

    #[test]
    fn a_mandate_announces_the_debit_and_nothing_open_asks_for_nothing() {
        let seller = seller();
        let mut with_mandate = facts(&seller, Currency::EUR, 119);
        with_mandate.mandate =
            Some(MandateFacts { reference: "KONTOR-K000001-1".into(), iban: "AT611904300234573201".into() });
        match decide(&with_mandate).unwrap() {
            HowToPay::DirectDebit(debit) => {
                assert_eq!(
                    (debit.iban_ending.as_str(), debit.mandate_reference.as_str()),
                    ("3201", "KONTOR-K000001-1")
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(decide(&facts(&seller, Currency::EUR, 0)).unwrap(), HowToPay::Nothing(Settled::Paid));
        let mut covered = facts(&seller, Currency::EUR, 0);
        covered.amount_due = Money::zero(Currency::EUR);
        assert_eq!(decide(&covered).unwrap(), HowToPay::Nothing(Settled::CoveredByCredit));
        let mut credit_note = facts(&seller, Currency::EUR, 119);
        credit_note.credit_note = true;
        assert_eq!(decide(&credit_note).unwrap(), HowToPay::Nothing(Settled::CreditNote));
    }
}
