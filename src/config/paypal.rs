//! PayPal settings from the environment (`KONTOR_PAYPAL_*`). Without a client id and secret
//! PayPal is off: no button, and the webhook route answers 404.

use std::time::Duration;

use super::ConfigError;
use crate::payments::paypal::settings::{
    LIVE_APPROVAL_ORIGIN, LIVE_URL, Mode, PayPalSettings, SANDBOX_APPROVAL_ORIGIN, SANDBOX_URL, Verification,
};

/// Reads the PayPal settings; `None` when no client id and secret are set.
pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Option<PayPalSettings>, ConfigError> {
    let invalid =
        |variable: &'static str, value: String, reason: &'static str| ConfigError { variable, value, reason };
    let (client_id, secret) = match (get("KONTOR_PAYPAL_CLIENT_ID"), get("KONTOR_PAYPAL_SECRET")) {
        (None, None) => return Ok(None),
        (Some(id), Some(secret)) => (id.trim().to_owned(), secret.trim().to_owned()),
        (Some(_), None) => {
            return Err(invalid("KONTOR_PAYPAL_SECRET", String::new(), "set it together with the client id"));
        }
        (None, Some(_)) => {
            return Err(invalid("KONTOR_PAYPAL_CLIENT_ID", String::new(), "set it together with the secret"));
        }
    };
    let mode = match get("KONTOR_PAYPAL_MODE").as_deref().map(str::trim) {
        None | Some("sandbox") => Mode::Sandbox,
        Some("live") => Mode::Live,
        Some(other) => {
            return Err(invalid("KONTOR_PAYPAL_MODE", other.to_owned(), "expected sandbox or live"));
        }
    };
    let verification = match get("KONTOR_PAYPAL_WEBHOOK_VERIFY").as_deref().map(str::trim) {
        None | Some("api") => Verification::Api,
        Some("off") if mode == Mode::Sandbox => Verification::Off,
        Some("off") => {
            return Err(invalid(
                "KONTOR_PAYPAL_WEBHOOK_VERIFY",
                "off".to_owned(),
                "live mode never skips webhook verification",
            ));
        }
        Some(other) => {
            return Err(invalid("KONTOR_PAYPAL_WEBHOOK_VERIFY", other.to_owned(), "expected api or off"));
        }
    };
    let webhook_id = get("KONTOR_PAYPAL_WEBHOOK_ID").map(|w| w.trim().to_owned()).unwrap_or_default();
    if webhook_id.is_empty() && verification == Verification::Api {
        return Err(invalid(
            "KONTOR_PAYPAL_WEBHOOK_ID",
            String::new(),
            "the webhook id from PayPal's dashboard is needed to verify webhooks",
        ));
    }
    let api_url = match get("KONTOR_PAYPAL_API_URL") {
        None => match mode {
            Mode::Sandbox => SANDBOX_URL.to_owned(),
            Mode::Live => LIVE_URL.to_owned(),
        },
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            url.trim().trim_end_matches('/').to_owned()
        }
        Some(other) => return Err(invalid("KONTOR_PAYPAL_API_URL", other, "expected an http(s):// URL")),
    };
    let timeout = match get("KONTOR_PAYPAL_TIMEOUT_SECS") {
        None => Duration::from_secs(30),
        Some(value) => match value.trim().parse::<u64>() {
            Ok(seconds) if (1..=300).contains(&seconds) => Duration::from_secs(seconds),
            _ => return Err(invalid("KONTOR_PAYPAL_TIMEOUT_SECS", value, "expected 1 to 300 seconds")),
        },
    };
    let brand_name = get("KONTOR_PAYPAL_BRAND").unwrap_or_else(|| "Kontor".to_owned());
    let approval_origin = match api_url.as_str() {
        SANDBOX_URL => SANDBOX_APPROVAL_ORIGIN.to_owned(),
        LIVE_URL => LIVE_APPROVAL_ORIGIN.to_owned(),
        other => match url::Url::parse(other).map(|u| u.origin()) {
            Ok(origin @ url::Origin::Tuple(..)) => origin.ascii_serialization(),
            _ => {
                return Err(invalid("KONTOR_PAYPAL_API_URL", other.to_owned(), "expected an http(s):// URL"));
            }
        },
    };
    Ok(Some(PayPalSettings {
        client_id,
        secret,
        webhook_id,
        mode,
        api_url,
        verification,
        timeout,
        brand_name,
        approval_origin,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<Option<PayPalSettings>, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn without_credentials_paypal_is_off() {
        assert_eq!(read(&[]).unwrap(), None);
    }

    #[test]
    fn sandbox_by_default_and_live_never_skips_verification() {
        let base = [
            ("KONTOR_PAYPAL_CLIENT_ID", "id"),
            ("KONTOR_PAYPAL_SECRET", "s"),
            ("KONTOR_PAYPAL_WEBHOOK_ID", "W"),
        ];
        let s = read(&base).unwrap().unwrap();
        assert_eq!(
            (s.mode, s.api_url.as_str(), s.verification),
            (Mode::Sandbox, SANDBOX_URL, Verification::Api)
        );
        assert!(!format!("{s:?}").contains("\"s\""), "the secret stays out of logs");
        let mut live = base.to_vec();
        live.push(("KONTOR_PAYPAL_MODE", "live"));
        assert_eq!(read(&live).unwrap().unwrap().api_url, LIVE_URL);
        assert_eq!(read(&live).unwrap().unwrap().approval_origin, "https://www.paypal.com");
        assert_eq!(s.approval_origin, "https://www.sandbox.paypal.com");
        assert!(s.is_approval_link("https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T"));
        assert!(!s.is_approval_link("https://www.sandbox.paypal.com.evil.example/checkoutnow?token=5O"));
        assert!(!s.is_approval_link("http://www.sandbox.paypal.com/checkoutnow?token=5O"));
        assert!(!s.is_approval_link("/checkoutnow"));
        let mut fake = base.to_vec();
        fake.push(("KONTOR_PAYPAL_API_URL", "http://127.0.0.1:8099/"));
        let fake = read(&fake).unwrap().unwrap();
        assert_eq!(fake.approval_origin, "http://127.0.0.1:8099", "a stand-in serves its own approval page");
        assert!(fake.is_approval_link("http://127.0.0.1:8099/checkoutnow?token=ORDER1"));
        live.push(("KONTOR_PAYPAL_WEBHOOK_VERIFY", "off"));
        assert_eq!(read(&live).unwrap_err().variable, "KONTOR_PAYPAL_WEBHOOK_VERIFY");
        let mut off = base.to_vec();
        off.push(("KONTOR_PAYPAL_WEBHOOK_VERIFY", "off"));
        assert_eq!(read(&off).unwrap().unwrap().verification, Verification::Off);
        assert_eq!(read(&[("KONTOR_PAYPAL_CLIENT_ID", "id")]).unwrap_err().variable, "KONTOR_PAYPAL_SECRET");
        assert_eq!(
            read(&[("KONTOR_PAYPAL_CLIENT_ID", "id"), ("KONTOR_PAYPAL_SECRET", "s")]).unwrap_err().variable,
            "KONTOR_PAYPAL_WEBHOOK_ID"
        );
    }
}
