//! A fake PayPal for tests and the demo (`kontor dev paypal-fake`): the endpoints Kontor uses,
//! with the documented request and response shapes, an approval page that sends the payer back
//! to the return (or cancel) URL, and webhooks it signs and can deliver. It remembers every
//! request, so tests can assert on what Kontor sent, and can be told to answer a capture only
//! after a delay (a timeout after PayPal captured).
//!
//! Not for production: no TLS, everything in memory.
// serde_json's `value["key"]` reads give Null for anything missing and never panic; the only
// writes index objects built just above.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::wire::Amount;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub request_id: Option<String>,
    pub body: Value,
}

#[derive(Debug, Clone)]
struct FakeOrder {
    id: String,
    status: &'static str,
    amount: Amount,
    invoice_id: String,
    return_url: String,
    cancel_url: String,
    payer_id: Option<String>,
    capture_id: Option<String>,
}

#[derive(Debug, Clone)]
struct FakeCapture {
    id: String,
    order_id: String,
    invoice_id: String,
    amount: Amount,
    fee: Amount,
    refunded: Decimal,
    status: &'static str,
}

#[derive(Debug, Clone)]
struct FakeRefund {
    id: String,
    capture_id: String,
    amount: Amount,
}

/// A webhook as PayPal would send it: the body and the signing headers.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub event_id: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    counter: u64,
    public_url: String,
    webhook_id: String,
    tokens: Vec<String>,
    orders: HashMap<String, FakeOrder>,
    captures: HashMap<String, FakeCapture>,
    refunds: HashMap<String, FakeRefund>,
    /// Answers already given per PayPal-Request-Id (idempotent retries).
    answered: HashMap<String, (u16, Value)>,
    requests: Vec<Recorded>,
    capture_delay: Duration,
    capture_status: &'static str,
    payer_id: String,
    /// transmission id -> (signature, SHA-256 of the canonical event).
    signatures: HashMap<String, (String, String)>,
    webhook_target: Option<String>,
    auto_webhooks: bool,
}

impl State {
    fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{:014}", self.counter)
    }
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running fake PayPal; stops when dropped.
pub struct FakePayPal {
    pub url: String,
    state: Shared,
    handle: actix_web::dev::ServerHandle,
}

pub const CLIENT_ID: &str = "fake-client-id";
pub const SECRET: &str = "fake-secret";
pub const WEBHOOK_ID: &str = "FAKEWEBHOOK0001";

impl FakePayPal {
    /// Starts on `bind` (port 0 picks a free port) in a thread of its own.
    pub fn start(bind: &str) -> std::io::Result<FakePayPal> {
        let (listener, url, state) = prepare(bind)?;
        let app_state = state.clone();
        let handle = crate::fake_server::in_thread(move || server(listener, app_state, false))?;
        Ok(FakePayPal { url, state, handle })
    }

    /// The environment that points Kontor at this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("KONTOR_PAYPAL_CLIENT_ID", CLIENT_ID.to_owned()),
            ("KONTOR_PAYPAL_SECRET", SECRET.to_owned()),
            ("KONTOR_PAYPAL_WEBHOOK_ID", WEBHOOK_ID.to_owned()),
            ("KONTOR_PAYPAL_API_URL", self.url.clone()),
        ]
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// Answer captures only after `delay` (they are made at once): a client with a shorter
    /// timeout sees a timeout although PayPal captured.
    pub fn set_capture_delay(&self, delay: Duration) {
        lock(&self.state).capture_delay = delay;
    }

    /// `COMPLETED` (default), `PENDING` or `DECLINED` for the next captures.
    pub fn set_capture_status(&self, status: &'static str) {
        lock(&self.state).capture_status = status;
    }

    /// The payer id approvals report from now on.
    pub fn set_payer(&self, payer_id: &str) {
        lock(&self.state).payer_id = payer_id.to_owned();
    }

    /// Deliver webhooks to `url` by itself after each capture and refund (the demo).
    pub fn send_webhooks_to(&self, url: &str) {
        let mut state = lock(&self.state);
        state.webhook_target = Some(url.to_owned());
        state.auto_webhooks = true;
    }

    /// The approval the payer gives on PayPal's page; returns where PayPal sends them back.
    pub fn approve(&self, order_id: &str) -> Option<String> {
        approve_order(&self.state, order_id)
    }

    /// The capture of an order, once captured.
    pub fn capture_of(&self, order_id: &str) -> Option<String> {
        lock(&self.state).orders.get(order_id).and_then(|o| o.capture_id.clone())
    }

    /// A signed `PAYMENT.CAPTURE.<COMPLETED|DENIED|PENDING>` event for a capture.
    pub fn capture_event(&self, event_type: &str, capture_id: &str) -> Option<Webhook> {
        let mut state = lock(&self.state);
        let capture = state.captures.get(capture_id)?.clone();
        let resource = capture_json(&state.public_url, &capture);
        Some(sign_event(&mut state, event_type, resource))
    }

    /// A refund made on PayPal's side (the merchant's dashboard) and its signed
    /// `PAYMENT.CAPTURE.REFUNDED` event; `REVERSED` for a chargeback of the whole capture.
    pub fn refund_event(&self, event_type: &str, capture_id: &str, amount: Option<&str>) -> Option<Webhook> {
        let mut state = lock(&self.state);
        let capture = state.captures.get(capture_id)?.clone();
        let value = match amount {
            Some(value) => value.to_owned(),
            None => capture.amount.value.clone(),
        };
        let amount = Amount { currency_code: capture.amount.currency_code.clone(), value };
        let refund = make_refund(&mut state, capture_id, amount).ok()?;
        let resource = refund_json(&state.public_url, &refund);
        Some(sign_event(&mut state, event_type, resource))
    }

    /// The signed `PAYMENT.CAPTURE.REFUNDED` event of a refund Kontor made through the API.
    pub fn event_of_refund(&self, refund_id: &str) -> Option<Webhook> {
        let mut state = lock(&self.state);
        let refund = state.refunds.get(refund_id)?.clone();
        let resource = refund_json(&state.public_url, &refund);
        Some(sign_event(&mut state, "PAYMENT.CAPTURE.REFUNDED", resource))
    }

    /// A signed event of a type Kontor does not handle.
    pub fn other_event(&self, event_type: &str) -> Webhook {
        let mut state = lock(&self.state);
        sign_event(&mut state, event_type, json!({ "id": "X" }))
    }

    /// Posts `webhook` to `url` like PayPal; returns the HTTP status.
    pub fn deliver(webhook: &Webhook, url: &str) -> u16 {
        deliver(webhook, url)
    }
}

fn prepare(bind: &str) -> std::io::Result<(TcpListener, String, Shared)> {
    let listener = TcpListener::bind(bind)?;
    let url = format!("http://{}", listener.local_addr()?);
    let state: Shared = Arc::new(Mutex::new(State {
        public_url: url.clone(),
        webhook_id: WEBHOOK_ID.to_owned(),
        capture_status: "COMPLETED",
        payer_id: "FAKEPAYER0001".to_owned(),
        ..State::default()
    }));
    Ok((listener, url, state))
}

fn server(listener: TcpListener, state: Shared, signals: bool) -> std::io::Result<actix_web::dev::Server> {
    let server = HttpServer::new(move || {
        App::new().app_data(web::Data::new(state.clone())).default_service(web::to(handle))
    })
    .workers(2);
    let server = if signals { server } else { server.disable_signals() };
    Ok(server.listen(listener)?.run())
}

/// `kontor dev paypal-fake`: serves the fake in this thread until Ctrl-C, delivering webhooks
/// to `webhook_url` (Kontor's `/webhooks/paypal`) after captures and refunds when given.
pub fn serve_until_stopped(
    bind: &str,
    webhook_url: Option<&str>,
    ready: impl FnOnce(&str),
) -> std::io::Result<()> {
    let (listener, url, state) = prepare(bind)?;
    if let Some(target) = webhook_url {
        let mut s = lock(&state);
        s.webhook_target = Some(target.to_owned());
        s.auto_webhooks = true;
    }
    ready(&url);
    actix_web::rt::System::new().block_on(async move { server(listener, state, true)?.await })
}

impl Drop for FakePayPal {
    fn drop(&mut self) {
        crate::fake_server::stop(&self.handle);
    }
}

fn deliver(webhook: &Webhook, url: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut request = agent.post(url).header("Content-Type", "application/json");
    for (name, value) in &webhook.headers {
        request = request.header(name, value);
    }
    request.send(webhook.body.as_str()).map(|r| r.status().as_u16()).unwrap_or(0)
}

fn canonical_hash(event: &Value) -> String {
    hex::encode(Sha256::digest(event.to_string().as_bytes()))
}

fn sign_event(state: &mut State, event_type: &str, resource: Value) -> Webhook {
    let event_id = format!("WH-{}", state.next_id("EVT"));
    let transmission_id = format!("tx-{}", state.next_id(""));
    let event = json!({
        "id": event_id,
        "event_version": "1.0",
        "create_time": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "resource_type": if event_type.contains("REFUND") || event_type.contains("REVERS") { "refund" } else { "capture" },
        "resource_version": "2.0",
        "event_type": event_type,
        "summary": format!("{event_type} (fake)"),
        "resource": resource,
    });
    let hash = canonical_hash(&event);
    let signature =
        hex::encode(Sha256::digest(format!("{transmission_id}|{hash}|{}", state.webhook_id).as_bytes()));
    state.signatures.insert(transmission_id.clone(), (signature.clone(), hash));
    Webhook {
        event_id,
        body: event.to_string(),
        headers: vec![
            ("paypal-transmission-id".to_owned(), transmission_id),
            (
                "paypal-transmission-time".to_owned(),
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            ("paypal-transmission-sig".to_owned(), signature),
            ("paypal-cert-url".to_owned(), format!("{}/v1/notifications/certs/CERT-fake", state.public_url)),
            ("paypal-auth-algo".to_owned(), "SHA256withRSA".to_owned()),
            ("paypal-auth-version".to_owned(), "v2".to_owned()),
        ],
    }
}

fn capture_json(base: &str, c: &FakeCapture) -> Value {
    let net = c.amount.value.parse::<Decimal>().unwrap_or_default()
        - c.fee.value.parse::<Decimal>().unwrap_or_default();
    json!({
        "id": c.id,
        "status": c.status,
        "amount": c.amount,
        "final_capture": true,
        "invoice_id": c.invoice_id,
        "seller_receivable_breakdown": {
            "gross_amount": c.amount,
            "paypal_fee": c.fee,
            "net_amount": { "currency_code": c.amount.currency_code, "value": format!("{net:.2}") },
        },
        "supplementary_data": { "related_ids": { "order_id": c.order_id } },
        "links": [
            { "href": format!("{base}/v2/payments/captures/{}", c.id), "rel": "self", "method": "GET" },
            { "href": format!("{base}/v2/payments/captures/{}/refund", c.id), "rel": "refund", "method": "POST" },
            { "href": format!("{base}/v2/checkout/orders/{}", c.order_id), "rel": "up", "method": "GET" },
        ],
    })
}

fn refund_json(base: &str, r: &FakeRefund) -> Value {
    json!({
        "id": r.id,
        "status": "COMPLETED",
        "amount": r.amount,
        "links": [
            { "href": format!("{base}/v2/payments/refunds/{}", r.id), "rel": "self", "method": "GET" },
            { "href": format!("{base}/v2/payments/captures/{}", r.capture_id), "rel": "up", "method": "GET" },
        ],
    })
}

fn order_json(state: &State, o: &FakeOrder) -> Value {
    let base = &state.public_url;
    let mut unit = json!({ "reference_id": o.invoice_id, "invoice_id": o.invoice_id, "amount": o.amount });
    if let Some(capture) = o.capture_id.as_ref().and_then(|id| state.captures.get(id)) {
        unit["payments"] = json!({ "captures": [capture_json(base, capture)] });
    }
    let mut order = json!({
        "id": o.id,
        "status": o.status,
        "intent": "CAPTURE",
        "purchase_units": [unit],
        "links": [
            { "href": format!("{base}/v2/checkout/orders/{}", o.id), "rel": "self", "method": "GET" },
            { "href": format!("{base}/checkoutnow?token={}", o.id), "rel": "payer-action", "method": "GET" },
        ],
    });
    if let Some(payer) = &o.payer_id {
        order["payer"] =
            json!({ "payer_id": payer, "email_address": format!("{}@payer.example", payer.to_lowercase()) });
    }
    order
}

fn approve_order(state: &Shared, order_id: &str) -> Option<String> {
    let mut state = lock(state);
    let payer = state.payer_id.clone();
    let order = state.orders.get_mut(order_id)?;
    if order.status == "PAYER_ACTION_REQUIRED" || order.status == "CREATED" {
        order.status = "APPROVED";
        order.payer_id = Some(payer.clone());
    }
    let separator = if order.return_url.contains('?') { '&' } else { '?' };
    Some(format!("{}{separator}token={}&PayerID={payer}", order.return_url, order.id))
}

fn make_refund(state: &mut State, capture_id: &str, amount: Amount) -> Result<FakeRefund, (u16, Value)> {
    let wanted: Decimal = amount.value.parse().map_err(|_| error(400, "INVALID_PARAMETER_VALUE"))?;
    let capture = state.captures.get(capture_id).ok_or_else(|| error(404, "RESOURCE_NOT_FOUND"))?;
    let total: Decimal = capture.amount.value.parse().unwrap_or_default();
    if amount.currency_code != capture.amount.currency_code {
        return Err(error(422, "REFUND_CURRENCY_MISMATCH"));
    }
    if wanted <= Decimal::ZERO || capture.refunded + wanted > total {
        return Err(error(422, "REFUND_AMOUNT_EXCEEDED"));
    }
    let id = state.next_id("RF");
    if let Some(capture) = state.captures.get_mut(capture_id) {
        capture.refunded += wanted;
        capture.status = if capture.refunded == total { "REFUNDED" } else { "PARTIALLY_REFUNDED" };
    }
    let refund = FakeRefund { id: id.clone(), capture_id: capture_id.to_owned(), amount };
    state.refunds.insert(id, refund.clone());
    Ok(refund)
}

fn error(status: u16, issue: &str) -> (u16, Value) {
    (status, json!({ "name": "UNPROCESSABLE_ENTITY", "details": [{ "issue": issue }], "message": issue }))
}

fn fee_of(amount: &Amount) -> Amount {
    let value: Decimal = amount.value.parse().unwrap_or_default();
    let fee = (value * Decimal::new(29, 3) + Decimal::new(30, 2)).round_dp(2);
    let fee = if fee >= value { Decimal::ZERO } else { fee };
    Amount { currency_code: amount.currency_code.clone(), value: format!("{fee:.2}") }
}

fn respond((status, body): (u16, Value)) -> HttpResponse {
    let code = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(code).content_type("application/json").body(body.to_string())
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header(("Location", location.to_owned())).finish()
}

fn query_token(req: &HttpRequest) -> String {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn handle(req: HttpRequest, body: web::Bytes, state: web::Data<Shared>) -> HttpResponse {
    let state: Shared = state.get_ref().clone();
    let path = req.path().to_owned();
    let method = req.method().as_str().to_owned();
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let request_id = header("paypal-request-id");
    let json_body: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    lock(&state).requests.push(Recorded {
        method: method.clone(),
        path: path.clone(),
        request_id: request_id.clone(),
        body: json_body.clone(),
    });
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();

    // Pages the payer sees.
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["checkoutnow"]) => {
            let token = query_token(&req);
            let page = format!(
                "<!doctype html><html><head><meta charset=utf-8><title>Fake PayPal</title></head><body>\
                 <h1>Fake PayPal</h1><p>Order {token}</p>\
                 <p><a href=\"/checkoutnow/approve?token={token}\">Pay now</a></p>\
                 <p><a href=\"/checkoutnow/cancel?token={token}\">Cancel and return to the shop</a></p></body></html>"
            );
            return HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page);
        }
        ("GET", ["checkoutnow", "approve"]) => {
            return match approve_order(&state, &query_token(&req)) {
                Some(location) => redirect(&location),
                None => HttpResponse::NotFound().finish(),
            };
        }
        ("GET", ["checkoutnow", "cancel"]) => {
            let token = query_token(&req);
            let cancel = lock(&state).orders.get(&token).map(|o| o.cancel_url.clone());
            return match cancel {
                Some(url) => {
                    let separator = if url.contains('?') { '&' } else { '?' };
                    redirect(&format!("{url}{separator}token={token}"))
                }
                None => HttpResponse::NotFound().finish(),
            };
        }
        ("POST", ["v1", "oauth2", "token"]) => {
            let expected = format!(
                "Basic {}",
                base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    format!("{CLIENT_ID}:{SECRET}")
                )
            );
            if header("authorization").as_deref() != Some(expected.as_str()) {
                return respond((401, json!({ "error": "invalid_client" })));
            }
            let mut s = lock(&state);
            let token = format!("A21AA{}", s.next_id("TOKEN"));
            s.tokens.push(token.clone());
            return respond((
                200,
                json!({ "scope": "https://uri.paypal.com/services/payments/payment", "access_token": token, "token_type": "Bearer", "app_id": "APP-FAKE", "expires_in": 32400, "nonce": "fake" }),
            ));
        }
        _ => {}
    }

    // The API needs a token it issued.
    let bearer = header("authorization").and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned));
    if !bearer.is_some_and(|t| lock(&state).tokens.contains(&t)) {
        return respond((401, json!({ "error": "invalid_token" })));
    }
    if let Some(id) = &request_id
        && let Some(answer) = lock(&state).answered.get(&format!("{path} {id}")).cloned()
    {
        return respond(answer);
    }
    let mut delay = Duration::ZERO;
    let mut webhook: Option<Webhook> = None;
    let answer = {
        let mut s = lock(&state);
        match (method.as_str(), segments.as_slice()) {
            ("POST", ["v2", "checkout", "orders"]) => {
                let unit = &json_body["purchase_units"][0];
                let context = &json_body["payment_source"]["paypal"]["experience_context"];
                match serde_json::from_value::<Amount>(unit["amount"].clone()) {
                    Ok(amount) if json_body["intent"] == "CAPTURE" => {
                        let id = s.next_id("ORDER");
                        let order = FakeOrder {
                            id: id.clone(),
                            status: "PAYER_ACTION_REQUIRED",
                            amount,
                            invoice_id: unit["invoice_id"].as_str().unwrap_or_default().to_owned(),
                            return_url: context["return_url"].as_str().unwrap_or_default().to_owned(),
                            cancel_url: context["cancel_url"].as_str().unwrap_or_default().to_owned(),
                            payer_id: None,
                            capture_id: None,
                        };
                        let body = order_json(&s, &order);
                        s.orders.insert(id, order);
                        (200, body)
                    }
                    _ => error(400, "INVALID_REQUEST"),
                }
            }
            ("GET", ["v2", "checkout", "orders", id]) => match s.orders.get(*id) {
                Some(order) => (200, order_json(&s, order)),
                None => error(404, "RESOURCE_NOT_FOUND"),
            },
            ("POST", ["v2", "checkout", "orders", id, "capture"]) => match s.orders.get(*id).cloned() {
                None => error(404, "RESOURCE_NOT_FOUND"),
                Some(order) if order.status == "COMPLETED" => error(422, "ORDER_ALREADY_CAPTURED"),
                Some(order) if order.status != "APPROVED" => error(422, "ORDER_NOT_APPROVED"),
                Some(mut order) => {
                    let capture_id = s.next_id("CAP");
                    let status = s.capture_status;
                    let capture = FakeCapture {
                        id: capture_id.clone(),
                        order_id: order.id.clone(),
                        invoice_id: order.invoice_id.clone(),
                        fee: fee_of(&order.amount),
                        amount: order.amount.clone(),
                        refunded: Decimal::ZERO,
                        status,
                    };
                    s.captures.insert(capture_id.clone(), capture.clone());
                    order.status = "COMPLETED";
                    order.capture_id = Some(capture_id);
                    s.orders.insert(order.id.clone(), order.clone());
                    delay = s.capture_delay;
                    if s.auto_webhooks && status == "COMPLETED" {
                        let resource = capture_json(&s.public_url, &capture);
                        webhook = Some(sign_event(&mut s, "PAYMENT.CAPTURE.COMPLETED", resource));
                    }
                    (201, order_json(&s, &order))
                }
            },
            ("POST", ["v2", "payments", "captures", id, "refund"]) => {
                let capture = s.captures.get(*id).cloned();
                match capture {
                    None => error(404, "RESOURCE_NOT_FOUND"),
                    Some(capture) => {
                        let amount = serde_json::from_value::<Amount>(json_body["amount"].clone())
                            .unwrap_or_else(|_| {
                                let left = capture.amount.value.parse::<Decimal>().unwrap_or_default()
                                    - capture.refunded;
                                Amount {
                                    currency_code: capture.amount.currency_code.clone(),
                                    value: format!("{left:.2}"),
                                }
                            });
                        match make_refund(&mut s, id, amount) {
                            Ok(refund) => {
                                let body = refund_json(&s.public_url, &refund);
                                if s.auto_webhooks {
                                    webhook =
                                        Some(sign_event(&mut s, "PAYMENT.CAPTURE.REFUNDED", body.clone()));
                                }
                                (201, body)
                            }
                            Err(e) => e,
                        }
                    }
                }
            }
            ("GET", ["v2", "payments", "captures", id]) => match s.captures.get(*id) {
                Some(capture) => (200, capture_json(&s.public_url, capture)),
                None => error(404, "RESOURCE_NOT_FOUND"),
            },
            ("POST", ["v1", "notifications", "verify-webhook-signature"]) => {
                let transmission = json_body["transmission_id"].as_str().unwrap_or_default();
                let sent_sig = json_body["transmission_sig"].as_str().unwrap_or_default();
                let ok = json_body["webhook_id"] == s.webhook_id.as_str()
                    && s.signatures.get(transmission).is_some_and(|(sig, hash)| {
                        sig == sent_sig && *hash == canonical_hash(&json_body["webhook_event"])
                    });
                (200, json!({ "verification_status": if ok { "SUCCESS" } else { "FAILURE" } }))
            }
            _ => error(404, "RESOURCE_NOT_FOUND"),
        }
    };
    if let Some(id) = &request_id
        && answer.0 < 300
    {
        lock(&state).answered.insert(format!("{path} {id}"), answer.clone());
    }
    if let Some(webhook) = webhook {
        let target = lock(&state).webhook_target.clone();
        if let Some(target) = target {
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(500));
                deliver(&webhook, &target)
            });
        }
    }
    if !delay.is_zero() {
        actix_web::rt::time::sleep(delay).await;
    }
    respond(answer)
}
