//! Structured payment references: what a payer copies from the invoice into the transfer, so the
//! statement import finds the invoice without guessing.
//!
//! - ISO 11649 creditor references ("RF" references), printed on every invoice.
//! - Swiss QR references (QRR, 27 digits with a recursive mod 10 check), for QR-IBANs.
//!
//! - The domestic schemes of Sweden (OCR), Norway (KID) and Denmark (FIK), in [`domestic`].
//!
//! ISO 7064 mod 97-10 is written once, in [`mod97`], and also serves the SEPA creditor
//! identifier.

pub mod domestic;

/// The RF reference for an invoice number: its letters and digits behind `RF` and two check
/// digits (`2026-000001` -> `RF19 2026 0000 01` without spaces).
pub fn rf_reference(invoice_number: &str) -> String {
    let body: String =
        invoice_number.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase();
    let check = 98 - mod97(&format!("{body}RF00"));
    format!("RF{check:02}{body}")
}

/// Whether `reference` (spaces allowed) is a valid RF reference.
pub fn is_valid_rf(reference: &str) -> bool {
    let compact: String = reference.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let valid_shape = compact.len() >= 5
        && compact.len() <= 25
        && compact.starts_with("RF")
        && compact.chars().all(|c| c.is_ascii_alphanumeric());
    valid_shape && {
        let (head, body) = compact.split_at(4);
        mod97(&format!("{body}{head}")) == 1
    }
}

/// 27-digit QR reference: `number_digits` (1 to 26 digits) left-padded to 26, plus the modulo
/// 10 recursive check digit. `None` for anything else.
pub fn qr_reference(number_digits: &str) -> Option<String> {
    const TABLE: [u32; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    if number_digits.is_empty() || number_digits.len() > 26 {
        return None;
    }
    let mut carry = 0;
    for c in number_digits.chars() {
        let digit = c.to_digit(10)?;
        carry = TABLE.get(((carry + digit) % 10) as usize).copied().unwrap_or_default();
    }
    Some(format!("{number_digits:0>26}{}", (10 - carry) % 10))
}

/// Exactly 27 digits, no spaces, as it must appear in a payment code.
pub fn is_valid_qr_reference(reference: &str) -> bool {
    reference.len() == 27
        && reference.get(..26).is_some_and(|body| qr_reference(body).is_some_and(|r| r == reference))
}

/// The ISO 7064 mod 97-10 remainder of letters-as-numbers (A = 10 ... Z = 35), piecewise so
/// no number grows large. Characters other than ASCII letters and digits are skipped.
pub(crate) fn mod97(text: &str) -> u32 {
    text.chars().fold(0u32, |remainder, c| match c.to_digit(36) {
        Some(value) if value >= 10 => (remainder * 100 + value) % 97,
        Some(value) => (remainder * 10 + value) % 97,
        None => remainder,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_iso_11649() {
        // The standard's own example.
        assert!(is_valid_rf("RF18 5390 0754 7034"));
        assert!(!is_valid_rf("RF19 5390 0754 7034"));
        assert!(is_valid_rf("RF18539007547034"));
        let made = rf_reference("2026-000001");
        assert!(made.starts_with("RF") && made.ends_with("2026000001"), "{made}");
        assert!(is_valid_rf(&made));
        assert!(is_valid_rf(&rf_reference("CN-2026-000042")));
        assert_ne!(rf_reference("2026-000001"), rf_reference("2026-000002"));
        assert!(!is_valid_rf("RF"));
        assert!(!is_valid_rf("XX18539007547034"));
    }

    fn vectors(csv: &str) -> Vec<(String, bool)> {
        let row =
            |line: &str| line.split_once(',').map(|(value, rest)| (value.into(), rest.starts_with("true")));
        csv.lines().skip(1).map(|line| row(line).unwrap()).collect()
    }

    #[test]
    fn qr_reference_vectors() {
        for (value, expected) in vectors(include_str!("../../tests/fixtures/ids/ch-qr-reference.csv")) {
            // Printed references drop leading zeros and group digits; the payload form does not.
            let compact: String = value.chars().filter(|c| *c != ' ').collect();
            let padded = if compact.len() < 27 { format!("{compact:0>27}") } else { compact };
            assert_eq!(is_valid_qr_reference(&padded), expected, "{value}");
            if expected {
                assert_eq!(qr_reference(padded.get(..26).unwrap()).unwrap(), padded);
            }
        }
        assert_eq!(qr_reference("4711").unwrap(), "000000000000000000000047119");
        for bad in ["", "12a", &"1".repeat(27)] {
            assert_eq!(qr_reference(bad), None);
        }
        assert!(!is_valid_qr_reference(" 10000000003139471430009017"));
    }

    proptest::proptest! {
        #[test]
        fn any_single_digit_change_is_detected(digits in "[0-9]{1,26}", at in 0usize..27, bump in 1u32..10) {
            let reference = qr_reference(&digits).unwrap();
            proptest::prop_assert!(is_valid_qr_reference(&reference));
            let changed: String = reference.char_indices().map(|(i, c)| {
                if i == at { char::from_digit((c.to_digit(10).unwrap() + bump) % 10, 10).unwrap() } else { c }
            }).collect();
            proptest::prop_assert!(!is_valid_qr_reference(&changed));
        }
    }
}
