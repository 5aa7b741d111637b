//! Staff two-factor authentication: RFC 6238 TOTP (SHA1, 6 digits, 30 s) and single-use recovery codes.

use std::fmt;

use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

const DIGITS: usize = 6;
const STEP_SECONDS: u64 = 30;
const RECOVERY_LEN: usize = 10;
/// No 0/O or 1/I/L: recovery codes are read off paper and typed back in.
const RECOVERY_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Random bytes from here up are dropped so that every alphabet character is equally likely.
const UNBIASED_BELOW: usize = 256 - 256 % RECOVERY_ALPHABET.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("stored TOTP secret is not base32 of 20 bytes")]
    BadSecret,
    #[error("a code is {DIGITS} digits")]
    Malformed,
    #[error("wrong code")]
    WrongCode,
    #[error("code already used")]
    Replayed,
    #[error("the operating system's random number generator failed")]
    Random,
}

impl TotpError {
    pub fn message_id(&self) -> &'static str {
        match self {
            // Not the user's doing: they get the generic message, the log gets the detail.
            TotpError::BadSecret | TotpError::Random => "error-internal",
            TotpError::Malformed => "totp-malformed",
            TotpError::WrongCode => "totp-wrong-code",
            TotpError::Replayed => "totp-replayed",
        }
    }
}

/// An error rather than a panic: the caller can refuse enrolment without taking the server down.
fn random_bytes<const N: usize>() -> Result<[u8; N], TotpError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|_| TotpError::Random)?;
    Ok(buf)
}

#[derive(Clone)]
pub struct TotpSecret([u8; 20]);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

impl TotpSecret {
    pub fn generate() -> Result<TotpSecret, TotpError> {
        random_bytes().map(TotpSecret)
    }

    /// Unpadded RFC 4648 base32, the form authenticator apps take for manual entry.
    pub fn to_base32(&self) -> String {
        Secret::from(self.0).to_base32()
    }

    pub fn from_base32(encoded: &str) -> Result<TotpSecret, TotpError> {
        let upper = encoded.trim().trim_end_matches('=').to_ascii_uppercase();
        let secret = Secret::try_from_base32(&upper).map_err(|_| TotpError::BadSecret)?;
        let parsed = TotpSecret(secret.as_bytes().try_into().map_err(|_| TotpError::BadSecret)?);
        // The decoder silently drops surplus trailing characters; in storage they mean corruption.
        (parsed.to_base32() == upper).then_some(parsed).ok_or(TotpError::BadSecret)
    }

    /// Skew 0: `verify` walks the drift window itself, to tell a replayed step from a wrong code.
    /// The builder's defaults are SHA1, 6 digits and 30 s (the RFC vector test pins them), and a 20-byte
    /// secret passes `build`'s checks, so nothing is lost by not calling it.
    fn totp(&self) -> Totp {
        Builder::new().with_skew(0).with_secret(self.0).build_noncompliant()
    }
}

/// Escapes all but RFC 3986 unreserved characters, ':' included, so that an issuer or email can never
/// be taken for the label separator or a query parameter.
fn percent_encode(input: &str) -> String {
    let escape = |b: u8| match b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
        true => char::from(b).to_string(),
        false => format!("%{b:02X}"),
    };
    input.bytes().map(escape).collect()
}

pub fn provisioning_uri(secret: &TotpSecret, account_email: &str, issuer: &str) -> String {
    let issuer = percent_encode(issuer);
    let (email, key) = (percent_encode(account_email), secret.to_base32());
    format!(
        "otpauth://totp/{issuer}:{email}?secret={key}&issuer={issuer}\
         &algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )
}

pub fn code_at(secret: &TotpSecret, unix_time: u64) -> String {
    secret.totp().generate(unix_time).to_string()
}

/// Returns the matched time step, which the caller stores as the next `last_used_step`.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    unix_time: u64,
    last_used_step: Option<u64>,
) -> Result<u64, TotpError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TotpError::Malformed);
    }
    let (totp, now) = (secret.totp(), unix_time / STEP_SECONDS);
    let mut replayed = false;
    // Every step is tried so that a used step cannot mask a fresh one. Skew 0 makes `check` look at
    // this step alone, and it compares in constant time.
    for step in now.saturating_sub(1)..=now.saturating_add(1) {
        match step.checked_mul(STEP_SECONDS).and_then(|t| totp.check(&code, t)) {
            Some(_) if last_used_step.is_none_or(|last| step > last) => return Ok(step),
            Some(_) => replayed = true,
            None => {}
        }
    }
    match replayed {
        true => Err(TotpError::Replayed),
        false => Err(TotpError::WrongCode),
    }
}

/// A freshly generated recovery code in its shown form `XXXXX-XXXXX`; only its hash is meant to be kept.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl RecoveryCode {
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.replace('-', "")).into()
    }
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

pub fn generate_recovery_codes(n: usize) -> Result<Vec<RecoveryCode>, TotpError> {
    let mut codes: Vec<RecoveryCode> = Vec::with_capacity(n);
    while codes.len() < n {
        let mut chars = random_bytes::<32>()?
            .into_iter()
            .filter(|&b| usize::from(b) < UNBIASED_BELOW)
            .filter_map(|b| RECOVERY_ALPHABET.get(usize::from(b) % RECOVERY_ALPHABET.len()))
            .map(|&c| char::from(c));
        let head: String = chars.by_ref().take(RECOVERY_LEN / 2).collect();
        let tail: String = chars.take(RECOVERY_LEN / 2).collect();
        let code = RecoveryCode(format!("{head}-{tail}"));
        // A draw left short by dropped bytes is redrawn; a duplicate would let two codes share one hash.
        if code.0.len() == RECOVERY_LEN + 1 && !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// Uppercases and drops whitespace and dashes; lookalikes are refused rather than guessed at.
pub fn normalize_recovery_code(input: &str) -> Option<String> {
    let code: String =
        (input.chars().filter(|&c| c != '-' && !c.is_whitespace())).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == RECOVERY_LEN && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

pub fn recovery_code_hash(input: &str) -> Option<[u8; 32]> {
    normalize_recovery_code(input).map(|code| Sha256::digest(code).into())
}

#[cfg(test)]
mod tests {
    use super::TotpError::*;
    use super::*;

    // RFC 6238 appendix B's ASCII secret "12345678901234567890", base32-encoded.
    const RFC_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc6238_sha1_vectors() {
        let secret = TotpSecret::from_base32(RFC_B32).unwrap();
        assert_eq!(&secret.0, b"12345678901234567890");
        let times = [59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000];
        let codes = "94287082 07081804 14050471 89005924 69279037 65353130".split(' ');
        for (time, eight) in times.into_iter().zip(codes) {
            assert_eq!(code_at(&secret, time), eight[2..], "t={time}");
            assert_eq!(verify(&secret, &eight[2..], time, None), Ok(time / 30));
        }
    }

    #[test]
    fn drift_window_input_and_replay() {
        let (secret, t) = (TotpSecret::from_base32(RFC_B32).unwrap(), 1_700_000_000);
        let check = |code: &str, at: u64, last| verify(&secret, code, at, last);
        let (code, step) = (code_at(&secret, t), t / 30);
        let (ok, wrong) = (Ok(step), Err(WrongCode));
        let at = |dt: i64| check(&code, t.saturating_add_signed(dt), None);
        assert_eq!([-60, -30, 0, 30, 60].map(at), [wrong, ok, ok, ok, wrong]);
        let spaced = format!(" {} {}\t", &code[..3], &code[3..]);
        assert_eq!(check(&spaced, t, None), ok);
        for bad in ["", "12345", "1234567", "12a456", "12-456", "١٢٣٤٥٦", "+12345"] {
            assert_eq!(check(bad, t, None), Err(Malformed), "{bad:?}");
        }
        let other = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert_eq!(check(&other, t, None), wrong);
        for (at, last) in [(t, step), (t + 30, step), (t, step + 1)] {
            assert_eq!(check(&code, at, Some(last)), Err(Replayed));
        }
        assert_eq!(check(&code_at(&secret, t + 30), t + 30, Some(step)), Ok(step + 1));
    }

    #[test]
    fn base32_round_trip_and_redaction() {
        let secret = TotpSecret::generate().unwrap();
        let encoded = secret.to_base32();
        assert_eq!(encoded.len(), 32);
        assert!(!format!("{secret:?}").contains(&encoded));
        let padded = format!(" {encoded}==== ");
        for good in [&encoded, &padded, &encoded.to_lowercase()] {
            assert_eq!(TotpSecret::from_base32(good).unwrap().0, secret.0);
        }
        for bad in ["", "GEZDGNBV", &RFC_B32.replace('Q', "1"), &format!("{encoded}A")] {
            assert_eq!(TotpSecret::from_base32(bad).unwrap_err(), BadSecret, "{bad:?}");
        }
    }

    #[test]
    fn uri_shape() {
        let secret = TotpSecret::from_base32(RFC_B32).unwrap();
        let uri = provisioning_uri(&secret, "ana+ops@example.com", "Kontor Billing");
        let want = format!(
            "otpauth://totp/Kontor%20Billing:ana%2Bops%40example.com?secret={RFC_B32}\
             &issuer=Kontor%20Billing&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(uri, want);
        let hostile = provisioning_uri(&secret, "a@b", "Evil:Co&x=1");
        assert!(hostile.starts_with("otpauth://totp/Evil%3ACo%26x%3D1:a%40b?"));
    }

    #[test]
    fn recovery_codes() {
        let codes = generate_recovery_codes(50).unwrap();
        assert_eq!(codes.len(), 50);
        for (i, code) in codes.iter().enumerate() {
            let shown = code.to_string();
            assert!(!codes[..i].contains(code) && !format!("{code:?}").contains(&shown));
            assert!(shown.len() == 11 && shown.as_bytes()[5] == b'-', "{shown}");
            let bare = shown.replace('-', "");
            assert!(bare.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)), "{shown}");
            assert!(!bare.contains(['0', 'O', '1', 'I', 'L']), "{shown}");
            assert_eq!(code.hash(), <[u8; 32]>::from(Sha256::digest(&bare)));
            let sloppy = format!(" {} ", shown.to_lowercase().replace('-', " - "));
            assert_eq!(recovery_code_hash(&sloppy), Some(code.hash()));
        }
        assert!(generate_recovery_codes(0).unwrap().is_empty());
        let normalize = normalize_recovery_code;
        assert_eq!(normalize("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        let garbage = "ABCDE-FGHJ ABCDE-FGHJKM ABCDE-FGHJ0 ABCDE-FGHJO ABCDE-FGHJ1 ABCDE_FGHJK ÄBCDEFGHJK";
        for bad in garbage.split(' ').chain([""]) {
            assert_eq!(normalize(bad), None, "{bad:?}");
            assert_eq!(recovery_code_hash(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn message_ids() {
        let errors = [BadSecret, Random, Malformed, WrongCode, Replayed];
        let ids = "error-internal error-internal totp-malformed totp-wrong-code totp-replayed";
        for (error, id) in errors.iter().zip(ids.split(' ')) {
            assert_eq!(error.message_id(), id);
        }
    }
}
