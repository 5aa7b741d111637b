//! How payment details are printed for people to type: IBANs and RF references in groups of
//! four, Swiss QR references in groups of five from the right.

use super::qr_payload::SwissReference;

/// The reference as printed: RF in groups of four, QR references in groups of five from the
/// right, as the standards ask.
pub fn reference_text(reference: &SwissReference) -> String {
    match reference {
        SwissReference::Scor(rf) => grouped(rf, 4),
        SwissReference::Qrr(digits) => {
            let head = digits.len() % 5;
            let mut parts: Vec<&str> = Vec::new();
            if head > 0 {
                parts.push(digits.get(..head).unwrap_or_default());
            }
            let mut at = head;
            while let Some(part) = digits.get(at..at + 5) {
                parts.push(part);
                at += 5;
            }
            parts.join(" ")
        }
        SwissReference::None => String::new(),
    }
}

/// `text` without spaces, in groups of `size` from the left (IBANs, RF references).
pub fn grouped(text: &str, size: usize) -> String {
    let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.chunks(size.max(1)).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}
