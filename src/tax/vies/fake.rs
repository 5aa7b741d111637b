//! A fake VIES for tests and the demo (`kontor dev vies-fake`): `POST /check-vat-number` with
//! the documented request and answer shapes, over a table of VAT IDs it knows, and a switch
//! that makes it answer like a member state that is down (`MS_UNAVAILABLE`). It counts the
//! checks it answered, so tests can see that one was (or was not) made.
//!
//! Not for production: no TLS, everything in memory.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard};

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

/// What the fake says about a VAT ID it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    Valid { name: String, address: String },
    Invalid,
}

#[derive(Default)]
struct State {
    /// By VAT ID with its prefix (`ATU13585627`).
    known: HashMap<String, Known>,
    /// What a VAT ID not in `known` is: invalid in tests, valid for the demo.
    unknown_valid: bool,
    unavailable: bool,
    checks: Vec<String>,
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running fake VIES; stops when dropped.
pub struct FakeVies {
    /// What `KONTOR_VIES_URL` is set to.
    pub url: String,
    state: Shared,
    handle: actix_web::dev::ServerHandle,
}

impl FakeVies {
    /// Starts on a free loopback port in a thread of its own; every VAT ID is invalid until
    /// [`FakeVies::set`] says otherwise.
    pub fn start() -> std::io::Result<FakeVies> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}", listener.local_addr()?);
        let state: Shared = Shared::default();
        let app_state = state.clone();
        let handle = crate::fake_server::in_thread(move || server(listener, app_state, false))?;
        Ok(FakeVies { url, state, handle })
    }

    /// What the fake answers for `vat_id` (with its prefix) from now on.
    pub fn set(&self, vat_id: &str, known: Known) {
        lock(&self.state).known.insert(vat_id.to_owned(), known);
    }

    /// `true`: every check is answered `MS_UNAVAILABLE`, as when the member state is down.
    pub fn set_unavailable(&self, unavailable: bool) {
        lock(&self.state).unavailable = unavailable;
    }

    /// The VAT IDs asked about so far, in order (unavailable answers included).
    pub fn checks(&self) -> Vec<String> {
        lock(&self.state).checks.clone()
    }
}

impl Drop for FakeVies {
    fn drop(&mut self) {
        crate::fake_server::stop(&self.handle);
    }
}

fn server(listener: TcpListener, state: Shared, signals: bool) -> std::io::Result<actix_web::dev::Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(state.clone()))
            .route("/check-vat-number", web::post().to(check))
            .default_service(web::to(HttpResponse::NotFound))
    })
    .workers(1);
    let server = if signals { server } else { server.disable_signals() };
    Ok(server.listen(listener)?.run())
}

/// `kontor dev vies-fake`: serves the fake in this thread until Ctrl-C. Every format-valid VAT
/// ID is valid except those in `invalid`.
pub fn serve_until_stopped(bind: &str, invalid: &[String], ready: impl FnOnce(&str)) -> std::io::Result<()> {
    let listener = TcpListener::bind(bind)?;
    let url = format!("http://{}", listener.local_addr()?);
    let state = Shared::default();
    {
        let mut s = lock(&state);
        s.unknown_valid = true;
        for vat_id in invalid {
            s.known.insert(vat_id.trim().to_uppercase(), Known::Invalid);
        }
    }
    ready(&url);
    actix_web::rt::System::new().block_on(async move { server(listener, state, true)?.await })
}

async fn check(body: web::Bytes, state: web::Data<Shared>) -> HttpResponse {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let field = |name: &str| request.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (country, number) = (field("countryCode"), field("vatNumber"));
    if country.len() != 2 || number.is_empty() {
        return HttpResponse::BadRequest()
            .json(json!({"actionSucceed": false, "errorWrappers": [{"error": "INVALID_INPUT"}]}));
    }
    let vat_id = format!("{country}{number}");
    let mut state = lock(state.get_ref());
    state.checks.push(vat_id.clone());
    if state.unavailable {
        return HttpResponse::Ok().json(json!({
            "actionSucceed": false,
            "errorWrappers": [{"error": "MS_UNAVAILABLE", "message": "The application at the Member State is not replying or not available"}],
        }));
    }
    let known = state.known.get(&vat_id).cloned().unwrap_or(if state.unknown_valid {
        Known::Valid { name: "---".to_owned(), address: "---".to_owned() }
    } else {
        Known::Invalid
    });
    let n = state.checks.len();
    // A consultation number only for a request that names its requester, as VIES does.
    let identifier =
        if field("requesterNumber").is_empty() { String::new() } else { format!("WAPIFAKE{n:08}") };
    let (valid, name, address) = match known {
        Known::Valid { name, address } => (true, name, address),
        Known::Invalid => (false, "---".to_owned(), "---".to_owned()),
    };
    HttpResponse::Ok().json(json!({
        "countryCode": country,
        "vatNumber": number,
        "requestDate": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "valid": valid,
        "requestIdentifier": identifier,
        "name": name,
        "address": address,
    }))
}
