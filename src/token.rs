//! Single-use secrets (email verification, password reset, sessions, CSRF). Only the SHA-256 of a
//! token is stored, so a leaked table cannot be replayed; the token itself is 256 bits from the OS.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const TOKEN_BYTES: usize = 32;
/// 32 bytes in unpadded base64.
const TOKEN_CHARS: usize = 43;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("operating system random number generator failed: {0}")]
pub struct RngError(String);

impl RngError {
    /// Fluent message id: the UI translates it, the `Display` text is only for logs.
    pub fn message_id(&self) -> &'static str {
        "error-internal"
    }
}

#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Fails only when the kernel refuses randomness; a guessable token must never be the fallback.
    pub fn generate() -> Result<Token, RngError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|err| RngError(err.to_string()))?;
        Ok(Token(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Accepts only what `generate` produces. The base64 engine rejects non-zero trailing bits, so each
    /// byte string has exactly one accepted spelling and cannot map to the same hash twice.
    pub fn parse(input: &str) -> Option<Token> {
        if input.len() != TOKEN_CHARS {
            return None;
        }
        let mut bytes = [0u8; TOKEN_BYTES];
        match URL_SAFE_NO_PAD.decode_slice(input, &mut bytes) {
            Ok(TOKEN_BYTES) => Some(Token(input.to_owned())),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Hashes the text form, so the database value can be recomputed from what the user sent as-is.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

/// Comparing submitted CSRF tokens must not leak how many leading characters matched.
impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for Token {}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[derive(Clone, Copy)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn from_slice(bytes: &[u8]) -> Option<TokenHash> {
        <[u8; 32]>::try_from(bytes).ok().map(TokenHash)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// The database lookup is by hash; an application-side comparison should not become a timing oracle.
impl PartialEq for TokenHash {
    fn eq(&self, other: &TokenHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for TokenHash {}

/// A short prefix is enough to correlate log lines without turning logs into a lookup table.
impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: Vec<u8> = self.0.iter().take(4).copied().collect();
        write!(f, "TokenHash({}..)", hex::encode(prefix))
    }
}

/// Time depends only on the lengths, which are public for fixed-size tokens and hashes.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn generated_tokens_are_unique_and_well_formed() {
        let tokens: HashSet<String> =
            (0..1000).map(|_| Token::generate().unwrap().as_str().to_owned()).collect();
        assert_eq!(tokens.len(), 1000);
        for token in &tokens {
            assert_eq!(token.len(), 43);
            assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        }
    }

    #[test]
    fn parse_round_trip() {
        let token = Token::generate().unwrap();
        let parsed = Token::parse(token.as_str()).unwrap();
        assert_eq!(parsed, token);
        assert_eq!(parsed.hash(), token.hash());
    }

    #[test]
    fn parse_refuses_garbage() {
        let valid = "A".repeat(43);
        assert!(Token::parse(&valid).is_some());
        let bad = [
            String::new(),
            "A".repeat(42),
            "A".repeat(44),
            format!("{}=", "A".repeat(42)),
            format!("+{}", "A".repeat(42)),
            format!("/{}", "A".repeat(42)),
            format!("{} ", "A".repeat(42)),
            // Non-zero trailing bits: would decode to the same bytes as the canonical 'A'.
            format!("{}B", "A".repeat(42)),
            format!("é{}", "A".repeat(41)),
        ];
        for input in &bad {
            assert!(Token::parse(input).is_none(), "{input:?}");
        }
    }

    #[test]
    fn hash_is_stable() {
        let token = Token::parse(&"A".repeat(43)).unwrap();
        assert_eq!(token.hash().to_hex(), "0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a");
        let token = Token::parse("_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-w").unwrap();
        assert_eq!(token.hash().to_hex(), "871ac31685dae5ba830db60bf81548b185ccbce3f77ea5aeeabdbfc2a38f5109");
        let round = TokenHash::from_slice(token.hash().as_bytes()).unwrap();
        assert_eq!(round, token.hash());
        assert!(TokenHash::from_slice(&[0; 31]).is_none());
        assert!(TokenHash::from_slice(&[0; 33]).is_none());
        assert_ne!(Token::generate().unwrap().hash(), token.hash());
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"abc", b""));
    }

    #[test]
    fn debug_is_redacted() {
        let token = Token::generate().unwrap();
        assert!(!format!("{token:?}").contains(token.as_str()));
        let hash = token.hash();
        assert!(!format!("{hash:?}").contains(&hash.to_hex()));
    }

    proptest::proptest! {
        #[test]
        fn parse_accepts_only_canonical_tokens(input in "\\PC{0,50}|[A-Za-z0-9_-]{43}") {
            if let Some(token) = Token::parse(&input) {
                let mut bytes = [0u8; 32];
                proptest::prop_assert_eq!(URL_SAFE_NO_PAD.decode_slice(&input, &mut bytes), Ok(32));
                proptest::prop_assert_eq!(URL_SAFE_NO_PAD.encode(bytes), token.as_str());
            }
        }
    }
}
