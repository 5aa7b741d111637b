//! The references of Nordic domestic transfers, which take neither an IBAN nor an RF
//! reference in their banks' forms:
//!
//! - Sweden: an OCR number to a bankgiro. Bankgirot's strictest control, "check digit and
//!   length", is used, so a number with a digit left out is refused by the payer's bank: the
//!   payload, a length digit (the whole number's length, mod 10) and a Luhn check digit.
//! - Norway: a KID to an 11-digit account number, with a MOD10 (Luhn) or MOD11 check digit,
//!   as the payee's agreement with its bank says. MOD11 may end in `-`.
//! - Denmark: the +71 payment slip (FI-kort): a 15-digit payment id with a Luhn check digit,
//!   and the payee's 8-digit FI creditor number.
//!
//! Everything here is a pure function of digits. The payload is the invoice number's digits,
//! so the statement import reads the invoice back from any of them (see [`payloads`]).

use serde::{Deserialize, Serialize};

/// The longest reference any of the three schemes takes.
const MAX_LENGTH: usize = 25;

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn digit_values(text: &str) -> impl DoubleEndedIterator<Item = u32> + '_ {
    text.bytes().map(|b| u32::from(b - b'0'))
}

/// The Luhn sum of `digits` as if a check digit followed them.
fn luhn_sum_before_check(digits: &str) -> u32 {
    digit_values(digits)
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum()
}

/// The Luhn (modulus 10) check digit for `digits`; `None` unless all are digits.
pub fn luhn_digit(digits: &str) -> Option<char> {
    all_digits(digits).then(|| char::from_digit((10 - luhn_sum_before_check(digits) % 10) % 10, 10))?
}

/// Whether the last digit of `number` is the Luhn check digit of the others.
pub fn is_luhn_valid(number: &str) -> bool {
    number.len() >= 2
        && all_digits(number)
        && number
            .split_at_checked(number.len() - 1)
            .is_some_and(|(body, check)| luhn_digit(body).is_some_and(|c| check.starts_with(c)))
}

/// The MOD11 check character for `digits` (weights 2 to 7 from the right): `0` when the sum
/// divides by 11, `-` when it leaves 1. Norwegian account numbers use the same rule.
pub fn mod11_digit(digits: &str) -> Option<char> {
    if !all_digits(digits) {
        return None;
    }
    let sum: u32 = digit_values(digits).rev().zip((2..=7).cycle()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some('0'),
        10 => Some('-'),
        check => char::from_digit(check, 10),
    }
}

fn with_check(body: &str, check: Option<char>) -> Option<String> {
    check.map(|c| format!("{body}{c}"))
}

/// The Swedish OCR number for `payload`: payload, length digit, Luhn check digit.
pub fn ocr(payload: &str) -> Option<String> {
    if payload.len() + 2 > MAX_LENGTH {
        return None;
    }
    let with_length = format!("{payload}{}", (payload.len() + 2) % 10);
    with_check(&with_length, luhn_digit(&with_length))
}

/// Whether `number` is an OCR number under "check digit and length" control.
pub fn is_valid_ocr(number: &str) -> bool {
    let length_digit = number.len().checked_sub(2).and_then(|at| number.get(at..=at));
    number.len() <= MAX_LENGTH
        && is_luhn_valid(number)
        && length_digit.is_some_and(|d| d == ((number.len() % 10).to_string()))
}

/// How a Norwegian KID is checked: the payee's agreement with its bank says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KidCheck {
    Mod10,
    Mod11,
}

/// The Norwegian KID for `payload` with its check digit.
pub fn kid(payload: &str, check: KidCheck) -> Option<String> {
    if payload.len() + 1 > MAX_LENGTH {
        return None;
    }
    match check {
        KidCheck::Mod10 => with_check(payload, luhn_digit(payload)),
        KidCheck::Mod11 => with_check(payload, mod11_digit(payload)),
    }
}

/// Whether `number` is a KID checked by `check`.
pub fn is_valid_kid(number: &str, check: KidCheck) -> bool {
    number.len() >= 2
        && number.len() <= MAX_LENGTH
        && number
            .split_at_checked(number.len() - 1)
            .is_some_and(|(body, _)| kid(body, check).as_deref() == Some(number))
}

/// The Danish +71 payment id: `payload` left-padded with zeros to 14 digits and its Luhn check
/// digit, 15 digits in all.
pub fn fik71_payment_id(payload: &str) -> Option<String> {
    if payload.len() > 14 {
        return None;
    }
    let padded = format!("{payload:0>14}");
    with_check(&padded, luhn_digit(&padded))
}

pub fn is_valid_fik71_payment_id(id: &str) -> bool {
    id.len() == 15 && is_luhn_valid(id)
}

/// The code line of a +71 payment slip as payers type it into their bank: `+71<id+creditor<`.
pub fn fik71_line(payment_id: &str, creditor: &str) -> String {
    format!("+71<{payment_id}+{creditor}<")
}

/// A Swedish bankgiro number: 7 or 8 digits whose last is a Luhn check digit, printed with a
/// dash before the last four (`5050-1055`).
pub fn is_valid_bankgiro(number: &str) -> bool {
    let compact: String = number.chars().filter(|c| *c != '-').collect();
    (7..=8).contains(&compact.len()) && is_luhn_valid(&compact)
}

/// A Norwegian account number: 11 digits, the last a MOD11 check digit of the others.
pub fn is_valid_norwegian_account(number: &str) -> bool {
    let compact: String = number.chars().filter(|c| *c != '.' && *c != ' ').collect();
    compact.len() == 11
        && compact.split_at_checked(10).is_some_and(|(body, check)| {
            mod11_digit(body).is_some_and(|c| c.is_ascii_digit() && check.starts_with(c))
        })
}

/// A Danish FI creditor number: 8 digits, the first an 8.
pub fn is_valid_fi_creditor(number: &str) -> bool {
    number.len() == 8 && all_digits(number) && number.starts_with('8')
}

/// The payloads `reference` may carry under any of the three schemes, longest first: a valid
/// Luhn or MOD11 number gives all but its check digit, a valid OCR number also all but its
/// length and check digits. Leading zeros (the +71 padding) are dropped. The caller keeps the
/// payloads that are one of its own numbers.
pub fn payloads(reference: &str) -> Vec<String> {
    let mut found = Vec::new();
    if reference.len() < 2 || reference.len() > MAX_LENGTH {
        return found;
    }
    let body = reference.get(..reference.len() - 1).unwrap_or_default();
    if is_luhn_valid(reference) || is_valid_kid(reference, KidCheck::Mod11) {
        found.push(body.trim_start_matches('0').to_owned());
    }
    if is_valid_ocr(reference) {
        found.push(body.get(..body.len() - 1).unwrap_or_default().trim_start_matches('0').to_owned());
    }
    found.retain(|payload| !payload.is_empty());
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published examples of each scheme, written down here rather than computed by the code
    /// under test.
    #[test]
    fn published_examples() {
        // Luhn: the textbook example; +71 payment ids "1" and "2" as the slip printer gives
        // them (18 and 26).
        assert!(is_luhn_valid("79927398713"));
        assert!(!is_luhn_valid("79927398710"));
        assert_eq!(luhn_digit("1"), Some('8'));
        assert_eq!(luhn_digit("2"), Some('6'));
        assert_eq!(fik71_payment_id("1").as_deref(), Some("000000000000018"));
        assert_eq!(fik71_payment_id("2").as_deref(), Some("000000000000026"));
        // Bankgirot's own bankgiro numbers; OCR with length digit for 123456.
        assert!(is_valid_bankgiro("5050-1055"));
        assert!(is_valid_bankgiro("991-2346"));
        assert!(!is_valid_bankgiro("5050-1056"));
        assert_eq!(ocr("123456").as_deref(), Some("12345682"));
        // The Norwegian account of the IBAN registry's example NO93 8601 1117 947.
        assert!(is_valid_norwegian_account("8601.11.17947"));
        assert!(!is_valid_norwegian_account("86011117948"));
        assert_eq!(mod11_digit("1234567890"), Some('3'));
    }

    #[test]
    fn an_invoice_number_in_each_scheme() {
        // 2026-000123 -> payload 2026000123, computed by hand: Luhn 3, MOD11 0, length 12 -> 2
        // then Luhn 4.
        assert_eq!(ocr("2026000123").as_deref(), Some("202600012324"));
        assert_eq!(kid("2026000123", KidCheck::Mod10).as_deref(), Some("20260001233"));
        assert_eq!(kid("2026000123", KidCheck::Mod11).as_deref(), Some("20260001230"));
        assert_eq!(fik71_payment_id("2026000123").as_deref(), Some("000020260001233"));
        assert_eq!(fik71_line("000020260001233", "85201234"), "+71<000020260001233+85201234<");
        for reference in ["202600012324", "20260001233", "20260001230", "000020260001233"] {
            assert!(
                payloads(reference).contains(&"2026000123".to_owned()),
                "{reference}: {:?}",
                payloads(reference)
            );
        }
    }

    #[test]
    fn invalid_references_are_refused() {
        assert!(!is_valid_ocr("202600012325"), "wrong check digit");
        assert!(!is_valid_ocr("202600012334"), "wrong length digit");
        assert!(!is_valid_ocr("20260001224"), "a digit left out");
        assert!(!is_valid_kid("20260001234", KidCheck::Mod10));
        assert!(!is_valid_kid("20260001231", KidCheck::Mod11));
        assert!(!is_valid_fik71_payment_id("000020260001234"));
        assert!(!is_valid_fik71_payment_id("20260001233"), "too short");
        assert!(!is_valid_fi_creditor("75201234"));
        assert_eq!(luhn_digit("12a"), None);
        assert_eq!(ocr(&"1".repeat(24)), None, "longer than 25 digits");
        assert!(payloads("202600012325").iter().all(|p| p != "2026000123"));
        // MOD11 ends in '-' when the sum leaves 1; such a KID is valid, an account is not.
        let dash = (0..1000).map(|n| format!("{n:07}")).find(|p| mod11_digit(p) == Some('-')).unwrap();
        assert!(is_valid_kid(&format!("{dash}-"), KidCheck::Mod11));
    }

    proptest::proptest! {
        #[test]
        fn any_single_digit_change_is_caught(payload in "[0-9]{4,20}", at in 0usize..22, bump in 1u32..10) {
            for (reference, valid) in [
                (ocr(&payload).unwrap(), is_valid_ocr as fn(&str) -> bool),
                (kid(&payload, KidCheck::Mod10).unwrap(), |r: &str| is_valid_kid(r, KidCheck::Mod10)),
            ] {
                proptest::prop_assert!(valid(&reference));
                let at = at % reference.len();
                let changed: String = reference.char_indices().map(|(i, c)| {
                    if i == at { char::from_digit((c.to_digit(10).unwrap() + bump) % 10, 10).unwrap() } else { c }
                }).collect();
                proptest::prop_assert!(!valid(&changed), "{} -> {}", reference, changed);
            }
        }
    }
}
