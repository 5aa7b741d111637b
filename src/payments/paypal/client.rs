//! PayPal's REST API over HTTPS: OAuth2 client credentials (the token cached until shortly
//! before it expires), Orders v2 (create, get, capture), refunds of captures, and webhook
//! signature verification. Blocking calls: run them off the async executor (`web::block`).
//! Every call that creates something sends a `PayPal-Request-Id` chosen by the caller, so a
//! retry after a timeout gets the first answer instead of a second order, capture or refund.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::PayPalError;
use super::settings::PayPalSettings;
use super::wire::{Amount, Order, Refund, Token, TransmissionHeaders, Verification};
use crate::money::Money;

/// Tokens per (API address, client id), shared by every request of the process.
static TOKENS: LazyLock<Mutex<HashMap<String, (String, Instant)>>> = LazyLock::new(Default::default);

/// A token is renewed this long before PayPal says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Client {
    settings: PayPalSettings,
    agent: ureq::Agent,
}

/// What an order is for.
#[derive(Debug, Clone)]
pub struct OrderRequest<'a> {
    pub request_id: &'a str,
    pub invoice_number: &'a str,
    pub amount: Money,
    pub description: &'a str,
    pub return_url: &'a str,
    pub cancel_url: &'a str,
    /// BCP 47, e.g. `de-DE`.
    pub locale: &'a str,
}

impl Client {
    pub fn new(settings: &PayPalSettings) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .user_agent("kontor")
            .build()
            .into();
        Client { settings: settings.clone(), agent }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.api_url)
    }

    fn cache_key(&self) -> String {
        format!("{} {}", self.settings.api_url, self.settings.client_id)
    }

    /// A valid access token: the cached one, or a new one.
    pub fn token(&self) -> Result<String, PayPalError> {
        let key = self.cache_key();
        if let Ok(tokens) = TOKENS.lock()
            && let Some((token, until)) = tokens.get(&key)
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.settings.client_id, self.settings.secret));
        let response = self
            .agent
            .post(&self.url("/v1/oauth2/token"))
            .header("Authorization", &format!("Basic {basic}"))
            .header("Accept", "application/json")
            .send_form([("grant_type", "client_credentials")])
            .map_err(unreachable)?;
        let token: Token = read(response)?;
        let lifetime = Duration::from_secs(token.expires_in).saturating_sub(TOKEN_MARGIN);
        if let Ok(mut tokens) = TOKENS.lock() {
            tokens.insert(key, (token.access_token.clone(), Instant::now() + lifetime));
        }
        Ok(token.access_token)
    }

    /// Forgets the cached token (after PayPal answered 401).
    fn forget_token(&self) {
        if let Ok(mut tokens) = TOKENS.lock() {
            tokens.remove(&self.cache_key());
        }
    }

    fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        request_id: Option<&str>,
        body: &B,
    ) -> Result<T, PayPalError> {
        let json = serde_json::to_string(body).map_err(|e| PayPalError::Other(e.to_string()))?;
        self.post_raw(path, request_id, json)
    }

    fn post_raw<T: DeserializeOwned>(
        &self,
        path: &str,
        request_id: Option<&str>,
        json: String,
    ) -> Result<T, PayPalError> {
        for attempt in 0..2 {
            let token = self.token()?;
            let mut request = self
                .agent
                .post(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .header("Content-Type", "application/json")
                .header("Prefer", "return=representation");
            if let Some(id) = request_id {
                request = request.header("PayPal-Request-Id", id);
            }
            let response = request.send(json.as_str()).map_err(unreachable)?;
            if response.status().as_u16() == 401 && attempt == 0 {
                self.forget_token();
                continue;
            }
            return read(response);
        }
        Err(PayPalError::Refused { status: 401, body: "token refused".to_owned() })
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, PayPalError> {
        let token = self.token()?;
        let response = self
            .agent
            .get(&self.url(path))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(unreachable)?;
        read(response)
    }

    /// `POST /v2/checkout/orders`: an order to capture `amount` for one invoice.
    pub fn create_order(&self, order: &OrderRequest<'_>) -> Result<Order, PayPalError> {
        let body = serde_json::json!({
            "intent": "CAPTURE",
            "purchase_units": [{
                "reference_id": order.invoice_number,
                "invoice_id": order.invoice_number,
                "description": order.description,
                "amount": Amount::from_money(order.amount),
            }],
            "payment_source": { "paypal": { "experience_context": {
                "brand_name": self.settings.brand_name,
                "locale": order.locale,
                "shipping_preference": "NO_SHIPPING",
                "user_action": "PAY_NOW",
                "payment_method_preference": "IMMEDIATE_PAYMENT_REQUIRED",
                "return_url": order.return_url,
                "cancel_url": order.cancel_url,
            }}},
        });
        self.post("/v2/checkout/orders", Some(order.request_id), &body)
    }

    /// `GET /v2/checkout/orders/{id}`
    pub fn get_order(&self, order_id: &str) -> Result<Order, PayPalError> {
        self.get(&format!("/v2/checkout/orders/{}", path_segment(order_id)?))
    }

    /// `POST /v2/checkout/orders/{id}/capture`, with a request id derived from the order, so
    /// every retry of the same capture is the same request.
    pub fn capture_order(&self, order_id: &str) -> Result<Order, PayPalError> {
        let request_id = format!("kontor-capture-{order_id}");
        self.post(
            &format!("/v2/checkout/orders/{}/capture", path_segment(order_id)?),
            Some(&request_id),
            &serde_json::json!({}),
        )
    }

    /// `POST /v2/payments/captures/{id}/refund`
    pub fn refund_capture(
        &self,
        capture_id: &str,
        request_id: &str,
        amount: Money,
        invoice_number: &str,
        note: &str,
    ) -> Result<Refund, PayPalError> {
        let body = serde_json::json!({
            "amount": Amount::from_money(amount),
            "invoice_id": invoice_number,
            "note_to_payer": note,
        });
        self.post(
            &format!("/v2/payments/captures/{}/refund", path_segment(capture_id)?),
            Some(request_id),
            &body,
        )
    }

    /// `POST /v1/notifications/verify-webhook-signature`. The event goes back byte for byte as
    /// received (re-serializing it could reorder keys and break the signature).
    pub fn verify_webhook(
        &self,
        headers: &TransmissionHeaders,
        raw_event: &str,
    ) -> Result<bool, PayPalError> {
        serde_json::from_str::<serde::de::IgnoredAny>(raw_event)
            .map_err(|e| PayPalError::BadEvent(e.to_string()))?;
        let field = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".to_owned());
        let json = format!(
            "{{\"auth_algo\":{},\"cert_url\":{},\"transmission_id\":{},\"transmission_sig\":{},\
             \"transmission_time\":{},\"webhook_id\":{},\"webhook_event\":{raw_event}}}",
            field(&headers.auth_algo),
            field(&headers.cert_url),
            field(&headers.transmission_id),
            field(&headers.transmission_sig),
            field(&headers.transmission_time),
            field(&self.settings.webhook_id),
        );
        let answer: Verification = self.post_raw("/v1/notifications/verify-webhook-signature", None, json)?;
        Ok(answer.verification_status == "SUCCESS")
    }
}

/// Ids go into URL paths: PayPal's are letters and digits; anything else is refused.
fn path_segment(id: &str) -> Result<&str, PayPalError> {
    if !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(id)
    } else {
        Err(PayPalError::NotFound)
    }
}

fn unreachable(error: ureq::Error) -> PayPalError {
    PayPalError::Unreachable(error.to_string())
}

fn read<T: DeserializeOwned>(response: ureq::http::Response<ureq::Body>) -> Result<T, PayPalError> {
    let status = response.status().as_u16();
    let body = response.into_body().read_to_string().map_err(unreachable)?;
    if !(200..300).contains(&status) {
        return Err(PayPalError::Refused { status, body: body.chars().take(2000).collect() });
    }
    serde_json::from_str(&body)
        .map_err(|e| PayPalError::BadResponse(format!("{e}: {}", body.chars().take(500).collect::<String>())))
}
