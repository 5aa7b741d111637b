//! Recognising one person across sign-ups, for "one free trial per person".
//!
//! A person is matched by normalized email, by payment identity (IBAN or PayPal payer id) and by
//! network. Payment identities are kept only as keyed fingerprints: a leaked table then reveals no
//! IBANs, and without the installation secret the small IBAN space cannot be brute-forced.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("identity key must be at least 32 bytes")]
    ShortKey,
}

impl IdentityError {
    /// A short key is a deployment fault, not something the customer can act on.
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::ShortKey => "error-internal",
        }
    }
}

/// Folds the address variants one person can use to claim repeated trials.
///
/// Gmail ignores dots and `+tags` and treats googlemail.com as gmail.com. Other providers
/// (Outlook, Fastmail, Proton, GMX, web.de, ...) deliver `local+tag@` to `local@`, but dots are
/// significant there, so only the tag goes. `-` tags (Yahoo) are kept, because `-` is also an
/// ordinary name character and stripping it would merge different people.
pub fn normalize_email(address: &str) -> String {
    let lowered = address.trim().to_lowercase();
    // The domain cannot contain `@`, so the last one separates it even from odd local parts.
    let Some((local, domain)) = lowered.rsplit_once('@') else {
        return lowered;
    };
    let untagged = local.split_once('+').map_or(local, |(base, _)| base);
    let normalized = match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", untagged.replace('.', "")),
        _ => format!("{untagged}@{domain}"),
    };
    // Dropping dots can expose whitespace at the start; trim again so the result is a fixed point.
    normalized.trim().to_owned()
}

/// The network a client address is counted under for the per-network trial limit.
///
/// An IPv6 subscriber usually holds a whole /64 and can rotate addresses in it at will; dynamic IPv4
/// reassignment mostly stays within a /24. Unparsable input is kept so that it still counts.
pub fn network_key(ip: &str) -> String {
    let trimmed = ip.trim();
    let v4 = match trimmed.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4,
        // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; their /64 would lump every
        // IPv4 client together.
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4,
            None => return format!("{}/64", Ipv6Addr::from_bits(v6.to_bits() & (u128::MAX << 64))),
        },
        Err(_) => return trimmed.to_owned(),
    };
    let [a, b, c, _] = v4.octets();
    format!("{a}.{b}.{c}.0/24")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    Email,
    Iban,
    PayPalPayer,
}

impl IdentityKind {
    /// Part of every stored fingerprint: changing a value invalidates all stored rows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Iban => "iban",
            Self::PayPalPayer => "paypal-payer",
        }
    }
}

/// The installation secret for identity fingerprints.
pub struct IdentityKey([u8; 32]);

impl fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdentityKey(<redacted>)")
    }
}

impl IdentityKey {
    /// Uses the first 32 bytes, so a longer secret from configuration can be passed as is.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, IdentityError> {
        let first = bytes.first_chunk::<32>().ok_or(IdentityError::ShortKey)?;
        Ok(Self(*first))
    }

    /// Keyed fingerprint of an already normalized value. The kind is mixed in (separated by NUL,
    /// which no kind name contains) so equal text of different kinds never collides.
    pub fn fingerprint(&self, kind: IdentityKind, normalized: &str) -> [u8; 32] {
        // HMAC zero-pads keys to the block size anyway; padding here selects the fixed-size
        // constructor, which has no error path, and yields the same MAC as the 32-byte key.
        let mut block = [0u8; 64];
        block.iter_mut().zip(self.0).for_each(|(dst, src)| *dst = src);
        let mut mac = <Hmac<Sha256> as KeyInit>::new((&block).into());
        mac.update(kind.as_str().as_bytes());
        mac.update(b"\0");
        mac.update(normalized.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(byte: u8) -> IdentityKey {
        IdentityKey::from_bytes(&[byte; 40]).unwrap()
    }

    #[test]
    fn gmail_variants_collapse() {
        assert_eq!(normalize_email("J.Doe+kontor@GMail.com"), "jdoe@gmail.com");
        assert_eq!(normalize_email("jdoe@googlemail.com"), "jdoe@gmail.com");
        assert_eq!(normalize_email(" j.d.o.e@gmail.com "), "jdoe@gmail.com");
    }

    #[test]
    fn other_domains_keep_dots_and_dashes_but_drop_tags() {
        assert_eq!(normalize_email("anna.s+x@web.de"), "anna.s@web.de");
        assert_eq!(normalize_email("Anna.S+a+b@Outlook.COM"), "anna.s@outlook.com");
        assert_eq!(normalize_email("jo-tag@yahoo.com"), "jo-tag@yahoo.com");
        assert_eq!(normalize_email("  No-At-Sign "), "no-at-sign");
    }

    #[test]
    fn network_keys() {
        assert_eq!(network_key("203.0.113.57"), "203.0.113.0/24");
        assert_eq!(network_key(" 2001:db8:1:2:aaaa::5 "), "2001:db8:1:2::/64");
        assert_eq!(network_key("::ffff:203.0.113.9"), "203.0.113.0/24");
        assert_eq!(network_key(" not an ip "), "not an ip");
    }

    #[test]
    fn short_key_rejected_and_debug_redacted() {
        let err = IdentityKey::from_bytes(&[7; 31]).unwrap_err();
        assert_eq!(err, IdentityError::ShortKey);
        assert_eq!(err.message_id(), "error-internal");
        assert_eq!(format!("{:?}", key(7)), "IdentityKey(<redacted>)");
    }

    #[test]
    fn fingerprints_separate_kinds_and_keys() {
        let k = key(1);
        let email = k.fingerprint(IdentityKind::Email, "same");
        assert_ne!(email, k.fingerprint(IdentityKind::Iban, "same"));
        assert_ne!(email, k.fingerprint(IdentityKind::PayPalPayer, "same"));
        assert_ne!(email, key(2).fingerprint(IdentityKind::Email, "same"));
        assert_eq!(email, key(1).fingerprint(IdentityKind::Email, "same"));
        assert_ne!(email, k.fingerprint(IdentityKind::Email, "same2"));
    }

    #[test]
    fn fingerprint_is_stable_standard_hmac() {
        // Stored rows must stay matchable across releases; value computed with Python's hmac.
        let secret: Vec<u8> = (0..32).collect();
        let k = IdentityKey::from_bytes(&secret).unwrap();
        let got = k.fingerprint(IdentityKind::Iban, "DE89370400440532013000");
        let python = "51cd27b081b3e6c932479c1d2d6f4527973b14a0462bee35742e1fb1164302c4";
        assert_eq!(hex::encode(got), python);
    }

    proptest! {
        #[test]
        fn normalize_email_is_idempotent(s in any::<String>()) {
            let once = normalize_email(&s);
            prop_assert_eq!(normalize_email(&once), once);
        }

        #[test]
        fn normalize_email_is_idempotent_on_addresses(
            s in "[ a-zA-Z.+-]{0,12}@( ?gmail\\.com|GoogleMail\\.com|web\\.de|[a-z@.]{0,8}) ?"
        ) {
            let once = normalize_email(&s);
            prop_assert_eq!(normalize_email(&once), once);
        }
    }
}
