//! Password policy and storage: argon2id with the OWASP minimum (m=19 MiB, t=2, p=1), PHC strings.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use argon2::password_hash::{self, phc};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 128;
/// Shorter context strings ("li", "bob") would refuse far too many good passwords.
const MIN_CONTEXT_CHARS: usize = 4;

const M_COST_KIB: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const OUTPUT_LEN: usize = 32;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../assets/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password shorter than {min} characters")]
    TooShort { min: usize },
    #[error("password longer than {max} characters")]
    TooLong { max: usize },
    #[error("password is in the list of common passwords")]
    TooCommon,
    #[error("password contains the user's name or email")]
    ContainsPersonalData,
    #[error("password is blank")]
    Blank,
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("stored password hash is malformed")]
    MalformedHash,
}

impl PasswordError {
    /// Fluent message id: the UI translates it, the `Display` text is only for logs.
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "password-too-short",
            Self::TooLong { .. } => "password-too-long",
            Self::TooCommon => "password-too-common",
            Self::ContainsPersonalData => "password-contains-personal-data",
            Self::Blank => "password-blank",
            Self::Hashing(_) | Self::MalformedHash => "error-internal",
        }
    }
}

/// A new password that passed the policy. Only this type can be hashed, so nothing unchecked gets stored.
pub struct Password(String);

impl Password {
    /// `context` holds what the user's identity gives away (email local part, name parts). The input is
    /// kept byte for byte: trimming would make a password with deliberate edge spaces fail to verify.
    pub fn parse(input: &str, context: &[&str]) -> Result<Password, PasswordError> {
        if input.trim().is_empty() {
            return Err(PasswordError::Blank);
        }
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort { min: MIN_CHARS });
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong { max: MAX_CHARS });
        }
        let lowered = input.trim().to_lowercase();
        if COMMON.contains(lowered.as_str()) {
            return Err(PasswordError::TooCommon);
        }
        let personal = context
            .iter()
            .map(|item| item.trim().to_lowercase())
            .filter(|item| item.chars().count() >= MIN_CONTEXT_CHARS)
            .any(|item| lowered.contains(&item));
        if personal {
            return Err(PasswordError::ContainsPersonalData);
        }
        Ok(Password(input.to_owned()))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// A PHC string as stored in the database. Not validated on load: `verify` reports a broken one.
/// No `PartialEq`: comparing hashes as strings is never the right check.
#[derive(Clone)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_stored(phc: String) -> PasswordHash {
        PasswordHash(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Salt and digest are what an offline cracker needs, so logs only get the parameters.
impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: String = self.0.split('$').take(4).collect::<Vec<_>>().join("$");
        write!(f, "PasswordHash({params}$..)")
    }
}

fn internal(err: impl fmt::Display) -> PasswordError {
    PasswordError::Hashing(err.to_string())
}

/// Built per call because `Params::new` is fallible and must not be unwrapped; it is cheap.
fn current_params() -> Result<Params, PasswordError> {
    Params::new(M_COST_KIB, T_COST, P_COST, Some(OUTPUT_LEN)).map_err(internal)
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = current_params()?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash(password: &Password) -> Result<PasswordHash, PasswordError> {
    let phc = hasher()?.hash_password(password.0.as_bytes()).map_err(internal)?;
    Ok(PasswordHash(phc.to_string()))
}

/// The cost parameters come from the stored string, so hashes from older settings still verify.
pub fn verify(candidate: &str, stored: &PasswordHash) -> Result<bool, PasswordError> {
    use password_hash::Error;
    let parsed = phc::PasswordHash::new(stored.as_str()).map_err(|_| PasswordError::MalformedHash)?;
    // The PHC grammar allows omitting both; the verifier would then report a mere mismatch.
    if parsed.salt.is_none() || parsed.hash.is_none() {
        return Err(PasswordError::MalformedHash);
    }
    #[cfg(debug_assertions)]
    WORK.with(|work| {
        work.borrow_mut().push(format!("{}:{:?}", parsed.algorithm, Params::try_from(&parsed).ok()))
    });
    match hasher()?.verify_password(candidate.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(Error::PasswordInvalid) => Ok(false),
        Err(err @ (Error::Crypto | Error::Internal | Error::OutOfMemory | Error::RngFailure)) => {
            Err(internal(err))
        }
        // Unsupported algorithm or version, bad parameters, salt or encoding: the stored string is at fault.
        Err(_) => Err(PasswordError::MalformedHash),
    }
}

/// Hashed with the current parameters on first use, so it can never drift from what `hash` produces.
static DUMMY: LazyLock<Option<PasswordHash>> =
    LazyLock::new(|| hash(&Password("kontor dummy password".to_owned())).ok());

#[cfg(debug_assertions)]
thread_local! {
    static WORK: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The password verifications this thread computed since the last call, as algorithm and
/// cost parameters (debug builds: tests check that every log-in outcome costs the same work).
#[cfg(debug_assertions)]
pub fn verifications() -> Vec<String> {
    WORK.with(|work| std::mem::take(&mut *work.borrow_mut()))
}

/// Burns the same time as a real `verify`, so log-in does not reveal whether an email is registered.
/// The first call also builds the dummy hash; call it once at start-up to keep that out of a request.
pub fn dummy_verify(candidate: &str) {
    if let Some(dummy) = DUMMY.as_ref() {
        let _ = std::hint::black_box(verify(candidate, dummy));
    }
}

/// Call after a successful `verify`: true means "re-hash this password now while we have it".
pub fn needs_rehash(stored: &PasswordHash) -> bool {
    let Ok(parsed) = phc::PasswordHash::new(stored.as_str()) else {
        return true;
    };
    // `Params` equality also covers output length, key id and associated data.
    parsed.algorithm.as_str() != Algorithm::Argon2id.as_str()
        || parsed.version != Some(Version::V0x13.into())
        || Params::try_from(&parsed).ok() != current_params().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "correct horse battery";

    fn parse(input: &str) -> Result<Password, PasswordError> {
        Password::parse(input, &["anna.berg", "Anna", "Berg", "bob", "", "  "])
    }

    fn stored_with(algorithm: Algorithm, m: u32, t: u32) -> PasswordHash {
        let hasher = Argon2::new(algorithm, Version::V0x13, Params::new(m, t, 1, None).unwrap());
        PasswordHash::from_stored(hasher.hash_password(b"old password").unwrap().to_string())
    }

    #[test]
    fn policy() {
        let (longest, too_long) = ("x7".repeat(64), "x".repeat(129));
        let cases = [
            ("éàüöñçøåæß", "accepted"),
            (&longest, "accepted"),
            ("bob-likes-tea-7", "accepted"), // "bob" is too short to count as personal data
            ("short", "password-too-short"),
            ("ééééééééé", "password-too-short"), // 18 bytes, but 9 chars
            (&too_long, "password-too-long"),
            ("", "password-blank"),
            ("\t\n \u{a0}\u{3000}          ", "password-blank"),
            ("Password123", "password-too-common"),
            (" QWERTYUIOP ", "password-too-common"),
            ("iloveyou12", "password-too-common"),
            ("Welkom1234", "password-too-common"),
            ("xx-ANNA-2024-xx", "password-contains-personal-data"),
            ("eisberg-fahrt-1", "password-contains-personal-data"),
        ];
        for (input, expected) in cases {
            let outcome = parse(input).map_or_else(|err| err.message_id(), |_| "accepted");
            assert_eq!(outcome, expected, "{input:?}");
        }
        assert_eq!(parse("short").err(), Some(PasswordError::TooShort { min: 10 }));
        assert_eq!(parse(&too_long).err(), Some(PasswordError::TooLong { max: 128 }));
        assert!(COMMON.len() > 1000 && COMMON.iter().all(|p| *p == p.to_lowercase() && *p == p.trim()));
    }

    #[test]
    fn hash_verify_rehash_and_debug() {
        let fresh = hash(&parse(GOOD).unwrap()).unwrap();
        assert!(fresh.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(GOOD, &fresh).unwrap());
        assert!(!verify("correct horse batterY", &fresh).unwrap());
        // Spaces are part of the password, never trimmed away.
        assert!(!verify(" correct horse battery", &fresh).unwrap());
        assert!(!needs_rehash(&fresh));
        assert!(!needs_rehash(DUMMY.as_ref().unwrap()));
        dummy_verify("anything");

        let older = stored_with(Algorithm::Argon2id, 19_456, 3);
        assert!(older.as_str().starts_with("$argon2id$v=19$m=19456,t=3,p=1$"));
        assert!(needs_rehash(&older) && verify("old password", &older).unwrap());
        assert!(needs_rehash(&stored_with(Algorithm::Argon2i, 64, 1)));

        assert_eq!(format!("{:?}", parse(GOOD).unwrap()), "Password([redacted])");
        let debug = format!("{older:?}");
        let digest = older.as_str().rsplit('$').next().unwrap();
        assert!(debug.contains("t=3") && !debug.contains(digest), "{debug}");
    }

    #[test]
    fn malformed_hash_is_an_error() {
        for bad in ["", "plain", "$argon2id$", "$argon2id$v=19$t=2", "$2b$12$salt"] {
            let stored = PasswordHash::from_stored(bad.to_owned());
            assert_eq!(verify("x", &stored), Err(PasswordError::MalformedHash), "{bad}");
            assert!(needs_rehash(&stored));
        }
        assert_eq!(PasswordError::MalformedHash.message_id(), "error-internal");
    }
}
