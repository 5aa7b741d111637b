//! Finding the invoices a transfer pays from what the payer wrote: the structured creditor
//! reference (ISO 11649 RF, a Swiss QR reference, a Swedish OCR number, a Norwegian KID or a
//! Danish +71 payment id) or invoice numbers in the free text.
//!
//! Invoice numbers are `YYYY-NNNNNN`. People write them with spaces, dots or slashes instead of
//! the dash, in any case, glued to other words, or without the year ("Rechnung 000123"); they
//! paste the RF reference into the free text, with or without its spaces. Everything here is a
//! pure function of the text, so the matching table is tested without a database.

use crate::references::domestic::payloads;
use crate::references::{is_valid_qr_reference, is_valid_rf};

/// What the payer's text points at, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pointer {
    /// A full invoice number, `2026-000123`.
    Number(String),
    /// A sequence without its year, `000123`: any year's invoice with that sequence.
    Sequence(i64),
}

/// The invoice number behind a structured reference, if it is one of ours: `RF..` references
/// and Swiss QR references both carry the invoice number's digits.
pub fn from_structured(reference: &str) -> Option<String> {
    let compact: String = reference.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let digits = if compact.starts_with("RF") {
        if !is_valid_rf(&compact) {
            return None;
        }
        compact.get(4..)?.to_owned()
    } else if is_valid_qr_reference(&compact) {
        compact.get(..26)?.trim_start_matches('0').to_owned()
    } else {
        return from_domestic(&compact);
    };
    number_from_digits(&digits)
}

/// The invoice number inside a Swedish OCR number, a Norwegian KID or a Danish +71 payment id.
fn from_domestic(digits: &str) -> Option<String> {
    payloads(digits).iter().find_map(|payload| number_from_digits(payload))
}

/// `2026000123` -> `2026-000123`.
fn number_from_digits(digits: &str) -> Option<String> {
    let valid = digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) && digits.starts_with("20");
    let (year, sequence) = digits.split_at_checked(4)?;
    valid.then(|| format!("{year}-{sequence}"))
}

/// Invoice numbers (and RF references) in free text, first seen first, without repeats.
pub fn from_free_text(text: &str) -> Vec<Pointer> {
    let chars: Vec<char> = text.to_uppercase().chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or(' ');
    let span = |from: usize, to: usize| chars.get(from..to).unwrap_or_default().iter().collect::<String>();
    let mut found: Vec<Pointer> = Vec::new();
    let mut push = |pointer: Pointer| {
        if !found.contains(&pointer) {
            found.push(pointer);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !at(i - 1).is_ascii_alphanumeric();
        // An RF reference, possibly spaced in groups of four.
        if at(i) == 'R'
            && at(i + 1) == 'F'
            && starts_word
            && let Some((number, end)) = rf_at(&chars, i)
        {
            push(Pointer::Number(number));
            i = end;
            continue;
        }
        if at(i).is_ascii_digit() && (i == 0 || !at(i - 1).is_ascii_digit()) {
            let run_end = digit_run_end(&chars, i);
            let run = span(i, run_end);
            if run.len() == 4 && run.starts_with("20") {
                // YYYY, up to two separators, then six digits: "2026-000123", "2026 / 000123".
                let mut j = run_end;
                while matches!(at(j), ' ' | '-' | '/' | '.' | '_') && j - run_end < 3 && j < chars.len() {
                    j += 1;
                }
                let sequence_end = digit_run_end(&chars, j);
                if j > run_end && sequence_end - j == 6 {
                    push(Pointer::Number(format!("{run}-{}", span(j, sequence_end))));
                    i = sequence_end;
                    continue;
                }
            } else if let Some(number) = number_from_digits(&run).or_else(|| from_domestic(&run)) {
                push(Pointer::Number(number));
            } else if run.len() == 6
                && let Ok(sequence) = run.parse::<i64>()
                && sequence > 0
            {
                push(Pointer::Sequence(sequence));
            }
            i = run_end;
            continue;
        }
        i += 1;
    }
    found
}

/// An RF reference starting at `start`, spaces allowed between its characters; the longest
/// valid one wins, so "RF18 5390 0754 7034 thanks" stops before "thanks".
fn rf_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut compact = String::new();
    let mut best = None;
    for (offset, &c) in chars.get(start..)?.iter().enumerate() {
        if compact.len() >= 25 {
            break;
        }
        let i = start + offset;
        if c.is_ascii_alphanumeric() {
            compact.push(c);
            let ends_word = !chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric);
            if compact.len() >= 5 && ends_word && is_valid_rf(&compact) {
                best = Some((compact.clone(), i + 1));
            }
        } else if c != ' ' {
            break;
        }
    }
    let (reference, end) = best?;
    Some((from_structured(&reference)?, end))
}

fn digit_run_end(chars: &[char], start: usize) -> usize {
    start + chars.get(start..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::references::{qr_reference, rf_reference};

    fn numbers(text: &str) -> Vec<String> {
        from_free_text(text)
            .into_iter()
            .map(|p| match p {
                Pointer::Number(n) => n,
                Pointer::Sequence(s) => format!("?-{s:06}"),
            })
            .collect()
    }

    #[test]
    fn structured_references_name_the_invoice() {
        assert_eq!(from_structured(&rf_reference("2026-000123")).as_deref(), Some("2026-000123"));
        let spaced = "RF".to_owned() + &rf_reference("2026-000123")[2..4] + " 2026 0001 23";
        assert_eq!(from_structured(&spaced).as_deref(), Some("2026-000123"));
        assert_eq!(from_structured(&qr_reference("2026000123").unwrap()).as_deref(), Some("2026-000123"));
        // A wrong check digit, someone else's reference, or garbage: not ours.
        let mut wrong = rf_reference("2026-000123");
        wrong.replace_range(2..4, "00");
        assert_eq!(from_structured(&wrong), None);
        assert_eq!(from_structured("RF18539007547034"), None);
        assert_eq!(from_structured("hello"), None);
    }

    #[test]
    fn domestic_references_name_the_invoice_structured_or_in_free_text() {
        // 2026-000123 as a Swedish OCR number, Norwegian KIDs (MOD10, MOD11) and a Danish +71
        // payment id, worked out by hand in `references::domestic`.
        for reference in ["202600012324", "20260001233", "20260001230", "000020260001233"] {
            assert_eq!(from_structured(reference).as_deref(), Some("2026-000123"), "{reference}");
            assert_eq!(numbers(&format!("OCR {reference} tack")), ["2026-000123"], "{reference}");
        }
        assert_eq!(numbers("+71<000020260001233+85201234<"), ["2026-000123"]);
        // One digit off: the check digit refuses it.
        for wrong in ["202600012325", "20260001236", "000020260001234", "202600012314"] {
            assert_eq!(from_structured(wrong), None, "{wrong}");
            assert!(numbers(wrong).is_empty(), "{wrong}");
        }
    }

    #[test]
    fn invoice_numbers_are_found_through_the_noise() {
        assert_eq!(numbers("Rechnung 2026-000123"), ["2026-000123"]);
        assert_eq!(numbers("re2026 000123 danke"), ["2026-000123"]);
        assert_eq!(numbers("INV 2026/000123"), ["2026-000123"]);
        assert_eq!(numbers("facture no. 2026000123."), ["2026-000123"]);
        assert_eq!(numbers("2026 - 000123"), ["2026-000123"]);
        assert_eq!(numbers("Rg.Nr.2026-000123,2026-000124 und 2026-000123"), ["2026-000123", "2026-000124"]);
        assert_eq!(numbers(&format!("ref {} thanks", rf_reference("2026-000042"))), ["2026-000042"]);
        let spaced = format!("{} 2026 0000 42", rf_reference("2026-000042")[..4].to_lowercase());
        assert_eq!(numbers(&spaced), ["2026-000042"]);
        // Without the year: a sequence to resolve against the invoices.
        assert_eq!(numbers("Rechnung 000123"), ["?-000123"]);
        // Dates, IBANs, phone numbers and amounts are not invoice numbers.
        assert!(numbers("Zahlung vom 2026-11-22, 12.50 EUR").is_empty(), "{:?}", numbers("2026-11-22"));
        assert!(numbers("DE89370400440532013000").is_empty());
        assert!(numbers("Tel 0049 30 1234567").is_empty());
        assert!(numbers("20260001234").is_empty(), "eleven digits are not a number of ours");
        assert!(numbers("").is_empty());
    }
}
