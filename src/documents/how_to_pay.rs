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

use crate::db::schema::invoices;
use crate::documents::printed::{grouped, reference_text};
use crate::documents::qr_payload::{self, Payee, SwissReference};
use crate::documents::snapshot::Seller;
use crate::i18n::format::Formats;
use crate::i18n::t_args;
use crate::iban::is_qr_iban;
use crate::money::Money;
use crate::seller::DomesticAccount;

/// Why how an invoice is to be paid cannot be said: nothing a customer could correct.
#[derive(Debug, thiserror::Error)]
pub enum HowToPayError {
    #[error("unknown invoice {0}")]
    UnknownInvoice(i64),
    #[error("the invoice holds data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

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
    /// The same transfer as a domestic one in Sweden, Norway or Denmark, whose banks' forms
    /// take no IBAN, where the account has domestic details.
    pub domestic: Option<DomesticTransfer>,
}

/// A domestic transfer: the account as the payer's bank names it and the reference its scheme
/// takes, both derived from the invoice number so the statement import finds the invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomesticTransfer {
    pub account: DomesticAccount,
    /// Compact: an OCR number, a KID or a +71 payment id.
    pub reference: String,
}

impl DomesticTransfer {
    /// The sentence telling a payer of the account's country how to pay domestically.
    pub fn sentence(&self, lang: &crate::i18n::Lang) -> String {
        match &self.account {
            DomesticAccount::Bankgiro { number } => t_args(
                lang,
                "pay-domestic-bankgiro",
                &[("account", number.clone().into()), ("reference", self.reference.clone().into())],
            ),
            DomesticAccount::NorwegianAccount { number, .. } => t_args(
                lang,
                "pay-domestic-kid",
                &[
                    ("account", norwegian_account_printed(number).into()),
                    ("reference", self.reference.clone().into()),
                ],
            ),
            DomesticAccount::Fik71 { creditor } => t_args(
                lang,
                "pay-domestic-fik",
                &[("line", crate::references::domestic::fik71_line(&self.reference, creditor).into())],
            ),
        }
    }
}

/// `86011117947` as Norwegians write it: `8601.11.17947`.
fn norwegian_account_printed(number: &str) -> String {
    match (number.get(..4), number.get(4..6), number.get(6..)) {
        (Some(bank), Some(kind), Some(rest)) => format!("{bank}.{kind}.{rest}"),
        _ => number.to_owned(),
    }
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
                let international = t_args(
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
                );
                Some(match &transfer.domestic {
                    Some(domestic) => format!("{international} {}", domestic.sentence(lang)),
                    None => international,
                })
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
pub fn decide(facts: &Facts<'_>) -> Result<HowToPay, HowToPayError> {
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
            HowToPayError::Corrupt(format!("{}: no QR reference from its digits", facts.number))
        })?)
    } else {
        Reference::Rf(facts.payment_reference.to_owned())
    };
    let code = match facts.currency {
        Currency::EUR => Code::Epc,
        Currency::CHF if facts.seller.chf_iban.as_deref() == Some(iban.as_str()) => Code::SwissQrBill,
        _ => Code::None,
    };
    let domestic = facts.seller.domestic.get(facts.currency.code()).and_then(|account| {
        let reference = account.reference(&number_digits(facts.number))?;
        Some(DomesticTransfer { account: account.clone(), reference })
    });
    Ok(HowToPay::Transfer(Transfer {
        amount: facts.open,
        due_date: facts.due_date,
        holder: facts.seller.name.clone(),
        iban,
        bic,
        reference,
        code,
        domestic,
    }))
}

/// The active mandates collecting `invoices` (EUR invoices of customers with an active
/// mandate, unless a debit of that invoice came back: those are paid by transfer).
pub fn collecting_mandates(
    conn: &mut PgConnection,
    invoice_ids: &[i64],
) -> Result<BTreeMap<i64, MandateFacts>, HowToPayError> {
    use crate::db::schema::{direct_debit_collections as c, sepa_mandates as m};
    Ok(invoices::table
        .inner_join(m::table.on(m::customer_id.eq(invoices::customer_id)))
        .filter(invoices::id.eq_any(invoice_ids))
        .filter(invoices::kind.eq("invoice"))
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

/// The active mandate of each of `customers` that has one: what collects their next EUR
/// invoices (no debit of an invoice not yet written can have come back).
pub fn active_mandates(
    conn: &mut PgConnection,
    customers: &[i64],
) -> Result<BTreeMap<i64, MandateFacts>, HowToPayError> {
    use crate::db::schema::sepa_mandates as m;
    Ok(m::table
        .filter(m::customer_id.eq_any(customers))
        .filter(m::status.eq("active"))
        .select((m::customer_id, m::reference, m::iban))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(customer, reference, iban)| (customer, MandateFacts { reference, iban }))
        .collect())
}

type InvoiceRow = (String, String, String, NaiveDate, String, Decimal, serde_json::Value);

/// How to pay invoice `invoice` now: for its page and emails sent after issue. The caller has
/// checked who may see it.
pub fn how_to_pay(conn: &mut PgConnection, invoice: i64) -> Result<HowToPay, HowToPayError> {
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
        .ok_or(HowToPayError::UnknownInvoice(invoice))?;
    let currency = Currency::from_code(currency.trim())
        .ok_or_else(|| HowToPayError::Corrupt(format!("invoice {number}: currency {currency}")))?;
    // What is open, from the balances view the payments keep (read here, not through them: how
    // to pay is what documents say, below the payment flows that publish them).
    let open: Option<Decimal> = crate::db::schema::invoice_balances::table
        .filter(crate::db::schema::invoice_balances::invoice_id.eq(invoice))
        .select(crate::db::schema::invoice_balances::open_amount)
        .first(conn)
        .optional()?;
    let open = Money::new(open.unwrap_or_default(), currency);
    let seller = Seller::from_snapshot(&seller);
    decide_with_mandate(
        conn,
        invoice,
        Facts {
            credit_note: kind != "invoice",
            number: &number,
            currency,
            due_date,
            payment_reference: &reference,
            seller: &seller,
            amount_due: Money::new(amount_due, currency),
            open,
            mandate: None,
        },
    )
}

/// [`decide`] for invoice `invoice` with the mandate collecting it now, for callers that read
/// the invoice's other facts themselves.
pub fn decide_with_mandate(
    conn: &mut PgConnection,
    invoice: i64,
    facts: Facts<'_>,
) -> Result<HowToPay, HowToPayError> {
    let mandate = collecting_mandates(conn, &[invoice])?.remove(&invoice);
    decide(&Facts { mandate, ..facts })
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
    fn nordic_accounts_also_name_the_domestic_transfer_with_its_scheme_s_reference() {
        use crate::references::domestic::KidCheck;
        let mut seller = seller();
        for (currency, domestic) in [
            ("SEK", DomesticAccount::Bankgiro { number: "5050-1055".into() }),
            ("NOK", DomesticAccount::NorwegianAccount { number: "86011117947".into(), kid: KidCheck::Mod11 }),
            ("DKK", DomesticAccount::Fik71 { creditor: "81234567".into() }),
        ] {
            seller.domestic.insert(currency.into(), domestic);
        }
        let reference = |currency: Currency| {
            let how = decide(&facts(&seller, currency, 1000)).unwrap();
            transfer(how).domestic.map(|d| d.reference)
        };
        assert_eq!(reference(Currency::SEK).as_deref(), Some("202600012324"));
        assert_eq!(reference(Currency::NOK).as_deref(), Some("20260001230"));
        assert_eq!(reference(Currency::DKK).as_deref(), Some("000020260001233"));
        assert_eq!(reference(Currency::EUR), None);

        let formats = Formats::new(&crate::i18n::Lang::supported("sv").unwrap(), "SE");
        let how = decide(&facts(&seller, Currency::SEK, 1000)).unwrap();
        let sentence = how.sentence(&formats, Medium::Pdf).unwrap();
        assert!(sentence.contains("bankgiro 5050-1055") && sentence.contains("202600012324"), "{sentence}");
        let how = decide(&facts(&seller, Currency::NOK, 1000)).unwrap();
        let sentence = how
            .sentence(&Formats::new(&crate::i18n::Lang::supported("nb").unwrap(), "NO"), Medium::Email)
            .unwrap();
        assert!(sentence.contains("8601.11.17947") && sentence.contains("KID 20260001230"), "{sentence}");
        let how = decide(&facts(&seller, Currency::DKK, 1000)).unwrap();
        let sentence = how
            .sentence(&Formats::new(&crate::i18n::Lang::supported("da").unwrap(), "DK"), Medium::Pdf)
            .unwrap();
        assert!(sentence.contains("+71<000020260001233+81234567<"), "{sentence}");
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
