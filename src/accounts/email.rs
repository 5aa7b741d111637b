//! Email addresses as people type them, parsed once.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Trims, lower-cases the domain, and checks the address with lettre's RFC 5321 parser.
    /// The local part keeps its case: some servers care, and we compare case-insensitively.
    pub fn parse(input: &str) -> Option<EmailAddress> {
        let trimmed = input.trim();
        if trimmed.len() > 254 || trimmed.chars().any(char::is_whitespace) {
            return None;
        }
        let (local, domain) = trimmed.rsplit_once('@')?;
        if local.is_empty() || local.len() > 64 || !domain.contains('.') || domain.starts_with('.') {
            return None;
        }
        let normalized = format!("{local}@{}", domain.to_ascii_lowercase());
        lettre::Address::from_str(&normalized).ok()?;
        Some(EmailAddress(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, for the password check against personal data.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_normalized() {
        assert_eq!(EmailAddress::parse(" Anna@Example.COM ").unwrap().as_str(), "Anna@example.com");
        for bad in ["", "anna", "anna@", "@example.com", "anna@localhost", "an na@example.com", "a@b@c.de"] {
            assert!(EmailAddress::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(EmailAddress::parse("anna.s+kontor@de.example").unwrap().local_part(), "anna.s+kontor");
    }
}
