//! Text payloads of the payment QR codes printed on invoices: the EPC "GiroCode" (EPC069-12) for
//! EUR and the Swiss QR-bill (SIX IG QR-bill v2.2/v2.3). The image is drawn elsewhere. Every field
//! is checked here: banking apps reject a malformed code silently, and the customer cannot pay.

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::iban::{Bic, Iban};
use crate::money::Money;
use crate::references::{is_valid_qr_reference, is_valid_rf};

/// Both schemes cap the amount at 999999999.99 and refuse zero or less for a payment.
const MAX_AMOUNT_CENTS: i64 = 99_999_999_999;
const EPC_MAX_BYTES: usize = 331;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("{scheme} QR codes cannot carry {currency}")]
    UnsupportedCurrency { scheme: &'static str, currency: &'static str },
    #[error("amount is not rounded to cents")]
    NotRounded,
    #[error("amount must be between 0.01 and 999999999.99")]
    AmountOutOfRange,
    #[error("{field} is missing")]
    Missing { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains characters the QR scheme does not allow")]
    InvalidCharacters { field: &'static str },
    #[error("{field} is malformed or fails its check digits")]
    Invalid { field: &'static str },
    #[error("a QR-IBAN can only be paid with a QR reference")]
    QrIbanNeedsQrReference,
    #[error("a QR reference can only be paid to a QR-IBAN")]
    QrReferenceNeedsQrIban,
    #[error("payload exceeds the QR scheme's size limit")]
    PayloadTooLong,
}

impl QrError {
    /// All of these come from the portal's own bank settings or invoice data, never from
    /// something the reader of the invoice could correct, so the UI shows one generic message.
    pub fn message_id(&self) -> &'static str {
        "error-internal"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub name: String,
    pub iban: String,
    pub bic: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwissAddress {
    pub name: String,
    pub street: String,
    pub building: String,
    pub postal_code: String,
    pub town: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwissCreditor {
    pub iban: String,
    pub address: SwissAddress,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwissReference {
    /// 27-digit QR reference; only valid with a QR-IBAN.
    Qrr(String),
    /// ISO 11649 creditor reference ("RF...").
    Scor(String),
    None,
}

/// EPC QR payload (version 002, UTF-8) for a SEPA credit transfer of `amount` with the RF
/// creditor `reference` (empty: none).
pub fn epc(payee: &Payee, amount: Money, reference: &str) -> Result<String, QrError> {
    epc_payload(payee, amount, "", reference, "", "1")
}

/// `charset` other than "1" exists only to rebuild the spec's Latin-1 examples in tests; the
/// caller must then re-encode the returned text.
fn epc_payload(
    payee: &Payee,
    amount: Money,
    purpose: &str,
    reference: &str,
    text: &str,
    charset: &str,
) -> Result<String, QrError> {
    let value = checked_amount(amount, &[Currency::EUR], "EPC")?;
    let no_control = |c: char| !c.is_control();
    check_text("name", &payee.name, 70, true, no_control)?;
    check_text("remittance text", text, 140, false, no_control)?;
    check_text("purpose", purpose, 4, false, |c| c.is_ascii_uppercase())?;
    let iban = normalized_iban(&payee.iban)?;
    if !payee.bic.is_empty() && !Bic::is_exact(&payee.bic) {
        return Err(QrError::Invalid { field: "bic" });
    }
    // EPC069-12 allows the structured reference or the free text, never both.
    if !reference.is_empty() && (!text.is_empty() || !is_creditor_reference(reference)) {
        return Err(QrError::Invalid { field: "reference" });
    }
    let amount = format!("EUR{}", value.normalize());
    let fields: [&str; 11] =
        ["BCD", "002", charset, "SCT", &payee.bic, &payee.name, &iban, &amount, purpose, reference, text];
    // Trailing empty elements are left out, as the spec's examples (and segno) do.
    let used = fields.iter().rposition(|field| !field.is_empty()).map_or(0, |last| last + 1);
    let payload = fields.get(..used).unwrap_or_default().join("\n");
    if payload.len() > EPC_MAX_BYTES {
        return Err(QrError::PayloadTooLong);
    }
    Ok(payload)
}

/// Swiss QR-bill payload (version 0200, LF separators as in the SIX-validated sprain fixtures;
/// the IG allows LF or CR LF).
pub fn swiss(
    creditor: &SwissCreditor,
    debtor: Option<&SwissAddress>,
    amount: Money,
    reference: SwissReference,
) -> Result<String, QrError> {
    swiss_with_message(creditor, debtor, amount, reference, "")
}

/// [`swiss`] with an unstructured message (the invoice number, shown under "Additional
/// information" in the payment part, which must match the code).
pub fn swiss_with_message(
    creditor: &SwissCreditor,
    debtor: Option<&SwissAddress>,
    amount: Money,
    reference: SwissReference,
    message: &str,
) -> Result<String, QrError> {
    let value = checked_amount(amount, &[Currency::CHF, Currency::EUR], "Swiss QR-bill")?;
    let amount_text = format!("{value:.2}");
    let bill = SwissBill {
        iban: &creditor.iban,
        creditor: &creditor.address,
        amount: &amount_text,
        currency: amount.currency().code(),
        debtor,
        reference: &reference,
        message,
        bill_information: "",
        alternatives: &[],
    };
    // The field limits keep this far below the IG's 997 characters, so no size check.
    Ok(swiss_lines(&bill)?.join("\n"))
}

/// The full element set, so tests can rebuild every published example; `swiss` fills only the
/// parts the portal uses. `amount` is already formatted (empty: open amount).
#[derive(Clone, Copy)]
struct SwissBill<'a> {
    iban: &'a str,
    creditor: &'a SwissAddress,
    amount: &'a str,
    currency: &'static str,
    debtor: Option<&'a SwissAddress>,
    reference: &'a SwissReference,
    message: &'a str,
    bill_information: &'a str,
    alternatives: &'a [&'a str],
}

fn swiss_lines(bill: &SwissBill<'_>) -> Result<Vec<String>, QrError> {
    let iban = normalized_iban(bill.iban)?;
    if iban.len() != 21 || !(iban.starts_with("CH") || iban.starts_with("LI")) {
        return Err(QrError::Invalid { field: "iban" });
    }
    let (kind, reference) = match bill.reference {
        SwissReference::Qrr(r) if is_valid_qr_reference(r) => ("QRR", r.as_str()),
        SwissReference::Scor(r) if is_creditor_reference(r) => ("SCOR", r.as_str()),
        SwissReference::None => ("NON", ""),
        _ => return Err(QrError::Invalid { field: "reference" }),
    };
    // The IID tells the bank which reference it will match incoming payments on.
    let qr_iban = iban
        .get(4..9)
        .and_then(|iid| iid.parse::<u32>().ok())
        .is_some_and(|iid| (30000..=31999).contains(&iid));
    match (qr_iban, kind == "QRR") {
        (true, false) => return Err(QrError::QrIbanNeedsQrReference),
        (false, true) => return Err(QrError::QrReferenceNeedsQrIban),
        _ => {}
    }
    check_text("message", bill.message, 140, false, swiss_char)?;
    check_text("bill information", bill.bill_information, 140, false, swiss_char)?;
    if bill.message.chars().count() + bill.bill_information.chars().count() > 140 {
        return Err(QrError::TooLong { field: "message and bill information", max: 140 });
    }
    if bill.alternatives.len() > 2 {
        return Err(QrError::TooLong { field: "alternative schemes", max: 2 });
    }
    for alternative in bill.alternatives {
        check_text("alternative scheme", alternative, 100, true, swiss_char)?;
    }
    let mut lines: Vec<String> = vec!["SPC".into(), "0200".into(), "1".into(), iban];
    push_address(&mut lines, Some(bill.creditor))?;
    // Ultimate creditor: reserved for future use, must stay empty.
    lines.extend(std::iter::repeat_n(String::new(), 7));
    lines.extend([bill.amount.into(), bill.currency.into()]);
    push_address(&mut lines, bill.debtor)?;
    lines.extend([kind.into(), reference.into(), bill.message.into(), "EPD".into()]);
    if !bill.alternatives.is_empty() || !bill.bill_information.is_empty() {
        lines.push(bill.bill_information.into());
    }
    lines.extend(bill.alternatives.iter().map(|a| a.to_string()));
    Ok(lines)
}

/// Always type S: type K (combined lines) is no longer accepted from IG v2.3 (November 2025).
fn push_address(lines: &mut Vec<String>, address: Option<&SwissAddress>) -> Result<(), QrError> {
    let Some(a) = address else {
        lines.extend(std::iter::repeat_n(String::new(), 7));
        return Ok(());
    };
    check_text("name", &a.name, 70, true, swiss_char)?;
    check_text("street", &a.street, 70, false, swiss_char)?;
    check_text("building", &a.building, 16, false, swiss_char)?;
    check_text("postal code", &a.postal_code, 16, true, swiss_char)?;
    check_text("town", &a.town, 35, true, swiss_char)?;
    if a.country.len() != 2 || !a.country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(QrError::Invalid { field: "country" });
    }
    let fields = [&a.name, &a.street, &a.building, &a.postal_code, &a.town, &a.country];
    lines.push("S".into());
    lines.extend(fields.into_iter().cloned());
    Ok(())
}

fn checked_amount(amount: Money, allowed: &[Currency], scheme: &'static str) -> Result<Decimal, QrError> {
    if !allowed.contains(&amount.currency()) {
        return Err(QrError::UnsupportedCurrency { scheme, currency: amount.currency().code() });
    }
    if !amount.is_rounded() {
        return Err(QrError::NotRounded);
    }
    let value = amount.amount();
    if value < Decimal::new(1, 2) || value > Decimal::new(MAX_AMOUNT_CENTS, 2) {
        return Err(QrError::AmountOutOfRange);
    }
    Ok(value)
}

fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
    ok: fn(char) -> bool,
) -> Result<(), QrError> {
    if required && value.trim().is_empty() {
        return Err(QrError::Missing { field });
    }
    if value.chars().count() > max {
        return Err(QrError::TooLong { field, max });
    }
    // A line break inside a field would shift every later element.
    if !value.chars().all(ok) {
        return Err(QrError::InvalidCharacters { field });
    }
    Ok(())
}

/// The Latin subset of SIX IG QR-bill v2.2 section 4.1.1.
fn swiss_char(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0x7E | 0xA0..=0x17F | 0x218..=0x21B | 0x20AC)
}

/// Printed IBANs come in groups of four; the payload wants them without spaces.
fn normalized_iban(iban: &str) -> Result<String, QrError> {
    Iban::parse(iban).map(|iban| iban.as_str().to_owned()).ok_or(QrError::Invalid { field: "iban" })
}

/// The payload carries the reference in its electronic form: no spaces, upper case.
fn is_creditor_reference(reference: &str) -> bool {
    !reference.contains(' ') && reference.bytes().all(|b| !b.is_ascii_lowercase()) && is_valid_rf(reference)
}

#[cfg(test)]
mod tests;
