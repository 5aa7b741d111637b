//! What the PayPal client needs to know: credentials, mode, addresses, how webhooks are
//! verified. `config::paypal` reads them from `KONTOR_PAYPAL_*`; without a client id and
//! secret PayPal is off: no button, and the webhook route answers 404.

use std::fmt;
use std::time::Duration;

pub const SANDBOX_URL: &str = "https://api-m.sandbox.paypal.com";
pub const LIVE_URL: &str = "https://api-m.paypal.com";
/// Where PayPal's own API sends payers to approve an order (the `payer-action` link).
pub const SANDBOX_APPROVAL_ORIGIN: &str = "https://www.sandbox.paypal.com";
pub const LIVE_APPROVAL_ORIGIN: &str = "https://www.paypal.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sandbox,
    Live,
}

/// How webhooks are verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// PayPal's `verify-webhook-signature` call (the default).
    Api,
    /// Not verified at all: only for local development with sandbox mode; refused in live mode.
    Off,
}

#[derive(Clone, PartialEq, Eq)]
pub struct PayPalSettings {
    /// `KONTOR_PAYPAL_CLIENT_ID`
    pub client_id: String,
    /// `KONTOR_PAYPAL_SECRET`
    pub secret: String,
    /// `KONTOR_PAYPAL_WEBHOOK_ID`: the id of the webhook registered in PayPal's dashboard.
    pub webhook_id: String,
    /// `KONTOR_PAYPAL_MODE`: `sandbox` (default) or `live`.
    pub mode: Mode,
    /// `KONTOR_PAYPAL_API_URL`: overrides the API address (tests, the fake server).
    pub api_url: String,
    /// `KONTOR_PAYPAL_WEBHOOK_VERIFY`: `api` (default) or `off` (sandbox only).
    pub verification: Verification,
    /// `KONTOR_PAYPAL_TIMEOUT_SECS`: how long one API call may take (default 30).
    pub timeout: Duration,
    /// `KONTOR_PAYPAL_BRAND`: the shop name PayPal shows the payer.
    pub brand_name: String,
    /// The origin of the page where payers approve orders, derived from the API address:
    /// PayPal's for its sandbox and live APIs, the API's own for anything else (the fake
    /// PayPal serves its approval page itself). The portal's `form-action` allows exactly this
    /// origin, and payers are sent to no other.
    pub approval_origin: String,
}

impl fmt::Debug for PayPalSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayPalSettings")
            .field("client_id", &self.client_id)
            .field("secret", &"<redacted>")
            .field("webhook_id", &self.webhook_id)
            .field("mode", &self.mode)
            .field("api_url", &self.api_url)
            .field("verification", &self.verification)
            .field("timeout", &self.timeout)
            .field("approval_origin", &self.approval_origin)
            .finish()
    }
}

impl PayPalSettings {
    /// True when `link` (an order's approval link) is on the approval origin, the only place
    /// outside the portal its forms may lead.
    pub fn is_approval_link(&self, link: &str) -> bool {
        url::Url::parse(link).is_ok_and(|url| url.origin().ascii_serialization() == self.approval_origin)
    }
}
