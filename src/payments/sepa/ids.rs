//! The SEPA creditor identifier (EPC262: ISO 7064 mod 97-10 over the national identifier and
//! the country code, the three-character business code left out). IBAN and BIC live in
//! [`crate::iban`].

use crate::iban::is_country;
use crate::references::mod97;

/// A SEPA creditor identifier (EPC262): country code, two check digits, a three-character
/// creditor business code (not part of the check, `ZZZ` when unused), and the national
/// identifier (up to 28 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditorId(String);

impl CreditorId {
    pub fn parse(input: &str) -> Option<CreditorId> {
        let id: String =
            input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        let bytes = id.as_bytes();
        let [c1, c2, d1, d2, _, _, _, national @ ..] = bytes else {
            return None;
        };
        let shape = c1.is_ascii_uppercase()
            && c2.is_ascii_uppercase()
            && d1.is_ascii_digit()
            && d2.is_ascii_digit()
            && (1..=28).contains(&national.len())
            && bytes.iter().all(u8::is_ascii_alphanumeric);
        if !shape || !is_country(id.get(..2).unwrap_or_default()) {
            return None;
        }
        // The check runs over the national identifier, then country and check digits.
        let (Some(country_and_check), Some(national)) = (id.get(..4), id.get(7..)) else {
            return None;
        };
        (mod97(&format!("{national}{country_and_check}")) == 1).then(|| CreditorId(id.clone()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creditor_ids_follow_epc262() {
        // The Deutsche Bundesbank's published example, and a Dutch id with check digits by hand.
        assert!(CreditorId::parse("DE98ZZZ09999999999").is_some());
        assert!(CreditorId::parse("de98 zzz 09999999999").is_some());
        assert!(CreditorId::parse("NL42ZZZ123456780001").is_some());
        // The business code is not part of the check.
        assert!(CreditorId::parse("DE98ABC09999999999").is_some());
        assert!(CreditorId::parse("DE97ZZZ09999999999").is_none());
        assert!(CreditorId::parse("DE98ZZZ").is_none());
        assert!(CreditorId::parse("XX98ZZZ09999999999").is_none());
        assert!(CreditorId::parse("DE98ZZZ0999999999-").is_none());
    }
}
