//! The shared test cluster and per-test databases.
//!
//! One PostgreSQL (fsync off) serves the whole test run; the first test that needs it
//! starts it and migrates a template database once. Every test then gets its own database
//! cloned from the template (`CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY`) and
//! dropped when the test ends, so tests are isolated and run in parallel. The launcher's
//! watchdog stops the cluster and removes its folder when the test process exits.
//!
//! `browser` adds a real headless Chromium (`TestServer::chromium`); `Browser` below is the
//! plain HTTP client most tests use.

pub mod accounts;
pub mod bank;
pub mod browser;
pub mod collections;
pub mod documents;
pub mod facturx;
pub mod incidents;
pub mod invoicing;
pub mod payments;
pub mod payouts;
pub mod paypal;
pub mod reports;
pub mod sepa;
pub mod subscriptions;
pub mod vies;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use kontor::db::launcher::{ClusterOptions, Durability, LocalCluster, quote_identifier};
use kontor::db::{PgPool, PooledPg};

const TEMPLATE: &str = "kontor_template";

static CLUSTER: OnceLock<LocalCluster> = OnceLock::new();
static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

/// A fresh folder under the system temp dir, unique to this process and call.
pub fn scratch_dir(purpose: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kontor-{purpose}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

pub fn cluster() -> &'static LocalCluster {
    CLUSTER.get_or_init(|| {
        let mut options = ClusterOptions::new(scratch_dir("test-cluster"));
        options.durability = Durability::Ephemeral;
        options.remove_on_exit = true;
        let cluster = LocalCluster::start(&options).expect("the test cluster starts");
        cluster.ensure_database(TEMPLATE).expect("template database");
        let mut conn = PgConnection::establish(&cluster.database_url(TEMPLATE)).expect("connect to template");
        kontor::db::migrate(&mut conn).expect("migrations apply to the template");
        cluster
    })
}

fn admin() -> PgConnection {
    PgConnection::establish(&cluster().database_url("postgres")).expect("admin connection")
}

/// A database of its own for one test, migrated, dropped at the end of the test.
pub struct TestDb {
    pub name: String,
    pool: Option<PgPool>,
    /// Set by tests that make mail fail on purpose; see [`TestDb::leftovers`].
    failed_mail_expected: AtomicBool,
}

impl TestDb {
    pub fn new() -> TestDb {
        let name = format!("test_{}_{}", std::process::id(), NEXT_DATABASE.fetch_add(1, Ordering::Relaxed));
        let sql = format!(
            "CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY",
            quote_identifier(&name),
            quote_identifier(TEMPLATE)
        );
        diesel::sql_query(sql).execute(&mut admin()).expect("clone the template");
        let pool = kontor::db::pool(&cluster().database_url(&name), 4).expect("pool");
        TestDb { name, pool: Some(pool), failed_mail_expected: AtomicBool::new(false) }
    }

    pub fn url(&self) -> String {
        cluster().database_url(&self.name)
    }

    pub fn pool(&self) -> PgPool {
        self.pool.clone().expect("pool is open until drop")
    }

    pub fn conn(&self) -> PooledPg {
        self.pool().get().expect("a connection")
    }
}

impl TestDb {
    /// This test makes mail fail on purpose: the teardown does not count failed mail.
    pub fn expect_failed_mail(&self) {
        self.failed_mail_expected.store(true, Ordering::Relaxed);
    }

    /// What a test must not leave behind: a job still queued or running (nothing would ever
    /// finish it) and mail that failed for good (nobody would hear of it). Mail merely queued
    /// is fine: most tests never run a mail worker.
    fn leftovers(&self) -> Vec<String> {
        let Some(pool) = &self.pool else { return Vec::new() };
        let Ok(mut conn) = pool.get() else { return Vec::new() };
        let mut left = Vec::new();
        let jobs =
            scalar_count(&mut conn, "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')");
        if jobs > 0 {
            let kinds: Vec<String> = {
                use diesel::prelude::*;
                kontor::db::schema::jobs::table
                    .select(kontor::db::schema::jobs::kind)
                    .load(&mut conn)
                    .unwrap_or_default()
            };
            left.push(format!("{jobs} job(s) queued or running ({kinds:?})"));
        }
        if !self.failed_mail_expected.load(Ordering::Relaxed) {
            // Every email the test queued must be deliverable: delivered here to files (most
            // tests run no mail worker), each still waiting is a message that cannot be built.
            let dir = scratch_dir("teardown-mail");
            let transport = kontor::mail::transport::FileTransport::new(&dir);
            let far = chrono::DateTime::<chrono::Utc>::MAX_UTC - chrono::Duration::days(1);
            let _ = kontor::mail::outbox::deliver_pending(
                &mut conn,
                &transport,
                "Kontor <no-reply@kontor.example>",
                far,
                100_000,
            );
            let _ = std::fs::remove_dir_all(&dir);
            let undelivered =
                scalar_count(&mut conn, "SELECT count(*) AS n FROM mail_outbox WHERE sent_at IS NULL");
            if undelivered > 0 {
                left.push(format!("{undelivered} undeliverable email(s)"));
            }
            let failed =
                scalar_count(&mut conn, "SELECT count(*) AS n FROM mail_outbox WHERE failed_at IS NOT NULL");
            if failed > 0 {
                left.push(format!("{failed} failed email(s)"));
            }
        }
        left
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let left = if std::thread::panicking() { Vec::new() } else { self.leftovers() };
        self.pool.take();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_identifier(&self.name));
        if let Err(error) = diesel::sql_query(sql).execute(&mut admin()) {
            eprintln!("could not drop test database {}: {error}", self.name);
        }
        assert!(left.is_empty(), "the test left behind: {}", left.join(", "));
    }
}

/// A minimal HTTP/1.1 GET against a real listening server: (status, headers, body).
pub fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status line");
    (status, head.to_owned(), body.to_owned())
}

/// True while a process with this pid exists and has not exited (a zombie waiting for
/// init to reap it counts as gone).
pub fn process_alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Waits (up to 10 s) for a process to be gone; true when it is.
pub fn gone(pid: i32) -> bool {
    eventually(10, || !process_alive(pid))
}

/// Polls `condition` for up to `seconds`.
pub fn eventually(seconds: u64, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    condition()
}

/// The instant every test runs at unless it says otherwise: a weekday morning early in
/// December 2026 (09:00 UTC, 10:00 in Berlin). Servers and commands started by tests read
/// this clock, so nothing depends on the day the suite runs.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(NOW).expect("a valid instant").with_timezone(&chrono::Utc)
}

/// `now()` as `KONTOR_NOW` takes it, for `kontor` commands the tests spawn.
pub const NOW: &str = "2026-12-05T09:00:00Z";

/// The `kontor` binary, its clock pinned at `now()` (`KONTOR_NOW`).
pub fn kontor_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
    command.env("KONTOR_NOW", NOW);
    command.env("KONTOR_VIES_URL", vies::NOWHERE);
    command.envs(SELLER);
    command
}

/// Settings with [`SELLER`]'s identity and accounts, and defaults for the rest.
pub fn seller_settings() -> kontor::config::Settings {
    kontor::config::Settings::from_lookup(|name| {
        SELLER.iter().find(|(variable, _)| *variable == name).map(|(_, value)| (*value).to_owned())
    })
    .expect("the test seller's settings are valid")
}

/// The seller's EUR account in tests: the statements tests import are for it.
pub const SELLER_IBAN: &str = "DE02120300000000202051";

/// A seller of its own, as production must have: commands that issue documents refuse the
/// demo company's example identity and bank details.
pub const SELLER: [(&str, &str); 6] = [
    ("KONTOR_SELLER_VAT_ID", "DE811907980"),
    ("KONTOR_SELLER_REGISTER", "Amtsgericht Charlottenburg, HRB 424242 B"),
    ("KONTOR_SELLER_IBAN", SELLER_IBAN),
    ("KONTOR_SELLER_BIC", "BYLADEM1001"),
    // A QR-IBAN (institution id 30000): the QR-bill gets QR references.
    ("KONTOR_SELLER_CHF_IBAN", "CH0430000001234567890"),
    ("KONTOR_SEPA_CREDITOR_ID", "DE32ZZZ00000123456"),
];

pub const PROVISIONING_TOKEN: &str = "test-provisioning-token-0123456789";

/// A real Kontor web server on a free port, over a test database, stopped when dropped.
pub struct TestServer {
    pub port: u16,
    pub mail_dir: PathBuf,
    pub settings: kontor::config::Settings,
    handle: actix_web::dev::ServerHandle,
}

impl TestServer {
    pub fn start(db: &TestDb) -> TestServer {
        TestServer::start_with(db, &[])
    }

    /// A server with more settings (`KONTOR_PAYPAL_*` for the fake PayPal).
    pub fn start_with(db: &TestDb, extra: &[(&str, String)]) -> TestServer {
        let data_dir = scratch_dir("mail");
        let pool = db.pool();
        let mut settings = kontor::config::Settings::from_lookup(|name| {
            extra.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).or_else(|| match name {
                "KONTOR_BIND" => Some("127.0.0.1:0".to_owned()),
                "KONTOR_TRUST_FORWARDED" => Some("true".to_owned()),
                "KONTOR_PROVISIONING_TOKEN" => Some(PROVISIONING_TOKEN.to_owned()),
                "KONTOR_NOW" => Some(NOW.to_owned()),
                "KONTOR_VIES_URL" => Some(vies::NOWHERE.to_owned()),
                _ => None,
            })
        })
        .expect("settings");
        settings.status_dir = data_dir.join("status");
        settings.data_dir = data_dir;
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread_settings = settings.clone();
        std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            let app = system
                .block_on(async { kontor::web::Application::build(&thread_settings, pool) })
                .expect("server builds");
            sender.send((app.port(), app.handle())).expect("report port");
            let _ = system.block_on(app.run_until_stopped());
        });
        let (port, handle) = receiver.recv().expect("server started");
        settings.public_url = format!("http://127.0.0.1:{port}");
        TestServer { port, mail_dir: settings.mail_delivery().file_dir, settings, handle }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.port)
    }

    /// A headless Chromium of this test's own, pointed at this server; `None` (the test skips,
    /// saying so) only when Chromium is not installed.
    pub fn chromium(&self) -> Option<browser::Chromium> {
        browser::Chromium::start(&format!("http://127.0.0.1:{}", self.port))
    }

    /// Like `chromium`, with the browser's clock in the time zone `zone` (e.g. `Asia/Tokyo`).
    pub fn chromium_in_zone(&self, zone: &str) -> Option<browser::Chromium> {
        browser::Chromium::start_in_zone(&format!("http://127.0.0.1:{}", self.port), Some(zone))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
        let _ = std::fs::remove_dir_all(&self.settings.data_dir);
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
    /// The path (and query) this response answered.
    pub request_path: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }

    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }

    /// The confirmation shown above a result page (after Post/Redirect/Get), if any.
    pub fn notice(&self) -> Option<String> {
        let start = self.body.find("<p class=\"notice\" role=\"status\">")?;
        let text = &self.body[start..];
        let text = &text[text.find('>')? + 1..];
        Some(text[..text.find("</p>")?].to_owned())
    }
}

/// A browser with a cookie jar, speaking plain HTTP/1.1 to a test server. Requests come
/// from `ip` (sent as X-Forwarded-For, which the test server trusts).
pub struct Browser {
    port: u16,
    pub cookies: std::collections::BTreeMap<String, String>,
    pub ip: String,
    pub accept_language: String,
    extra: Option<(String, String)>,
    /// The next request's body type, when it is not a urlencoded form.
    body_type: Option<String>,
    /// The last form posted (path and body), for `resend`: what a reload of its result does.
    last_post: Option<(String, String)>,
}

impl Browser {
    pub fn new(port: u16) -> Browser {
        Browser {
            port,
            cookies: Default::default(),
            ip: "192.0.2.10".to_owned(),
            accept_language: "en".to_owned(),
            extra: None,
            body_type: None,
            last_post: None,
        }
    }

    fn send(&mut self, method: &str, path: &str, body: Option<String>) -> Response {
        self.send_raw(method, path, body).0
    }

    /// Like `send`, plus the body exactly as received (`Response::body` is lossy UTF-8).
    fn send_raw(&mut self, method: &str, path: &str, body: Option<String>) -> (Response, Vec<u8>) {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut headers = vec![
            ("X-Forwarded-For".to_owned(), self.ip.clone()),
            ("Accept-Language".to_owned(), self.accept_language.clone()),
        ];
        if !cookie.is_empty() {
            headers.push(("Cookie".to_owned(), cookie.join("; ")));
        }
        headers.extend(self.extra.clone());
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", self.port);
        for (name, value) in &headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = &body {
            let body_type =
                self.body_type.take().unwrap_or_else(|| "application/x-www-form-urlencoded".to_owned());
            request.push_str(&format!("Content-Type: {body_type}\r\n"));
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        if let Some(body) = body {
            request.push_str(&body);
        }
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        stream.write_all(request.as_bytes()).expect("send");
        let raw = read_response(&mut stream);
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").map_or(raw.len(), |at| at + 4);
        let body_bytes = raw[split..].to_vec();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
        for line in head.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if !key.trim().eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let pair = value.trim().split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let expired = line.to_ascii_lowercase().contains("max-age=0");
                if expired || value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        (
            Response { status, head: head.to_owned(), body: body.to_owned(), request_path: path.to_owned() },
            body_bytes,
        )
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, None)
    }

    /// A GET whose body is binary (PDFs): the response and the body byte for byte. A chunked
    /// body is returned as received, so it cannot pass for the document it encodes.
    pub fn get_bytes(&mut self, path: &str) -> (Response, Vec<u8>) {
        self.send_raw("GET", path, None)
    }

    /// Signs in as `user` without the password form (no Argon2 in the test): a session
    /// started in the database, its token in the cookie jar.
    pub fn sign_in_as(&mut self, db: &TestDb, user: kontor::ids::UserId) {
        let token = kontor::accounts::session::start(&mut db.conn(), user, &self.ip, "test", now())
            .expect("a session");
        self.cookies.insert("kontor_session".to_owned(), token.as_str().to_owned());
    }

    /// A GET with an extra header (API clients).
    pub fn get_with(&mut self, path: &str, name: &str, value: &str) -> Response {
        self.extra = Some((name.to_owned(), value.to_owned()));
        let response = self.send("GET", path, None);
        self.extra = None;
        response
    }

    /// Posts a form as a page rendered it: `csrf` from the cookie jar and a fresh one-time
    /// `submission` key are added unless the form has them.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut pairs: Vec<(String, String)> =
            fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            let token = self.csrf();
            pairs.push(("csrf".to_owned(), token));
        }
        if !fields.iter().any(|(k, _)| *k == "submission") {
            pairs.push(("submission".to_owned(), submission_key()));
        }
        let body = serde_urlencoded::to_string(&pairs).expect("encode form");
        self.last_post = Some((path.to_owned(), body.clone()));
        self.send("POST", path, Some(body))
    }

    /// Sends the last form again, byte for byte: a reload of its result page, a double click.
    pub fn resend(&mut self) -> Response {
        let (path, body) = self.last_post.clone().expect("a form was posted before");
        self.send("POST", &path, Some(body))
    }

    /// Sends the last form again and follows its redirect: what F5 on a result page shows.
    pub fn reload_result(&mut self) -> Response {
        let response = self.resend();
        self.follow(response)
    }

    /// Posts a form and, like a browser, follows the redirect to its result page.
    pub fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let response = self.post(path, fields);
        self.follow(response)
    }

    /// The page a 303 leads to (any other response as it is).
    pub fn follow(&mut self, response: Response) -> Response {
        if response.status == 303 && response.location().starts_with('/') {
            let location = response.location();
            return self.get(&location);
        }
        response
    }

    /// Posts a multipart form (a file upload): `fields` first, in order, then the file.
    pub fn post_file(&mut self, path: &str, fields: &[(&str, &str)], file: (&str, &str, &str)) -> Response {
        let boundary = "kontor-test-boundary-7d3f";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        if !fields.iter().any(|(k, _)| *k == "submission") {
            let key = submission_key();
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"submission\"\r\n\r\n{key}\r\n"
            ));
        }
        let (name, file_name, content) = file;
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/xml\r\n\r\n{content}\r\n--{boundary}--\r\n"
        ));
        self.body_type = Some(format!("multipart/form-data; boundary={boundary}"));
        self.send("POST", path, Some(body))
    }

    /// Posts a urlencoded body exactly as given (fields twice, odd encodings).
    pub fn post_raw(&mut self, path: &str, body: &str) -> Response {
        self.send("POST", path, Some(body.to_owned()))
    }

    /// A POST with a body exactly as given, of `content_type`.
    pub fn post_typed(&mut self, path: &str, content_type: &str, body: &str) -> Response {
        self.body_type = Some(content_type.to_owned());
        self.send("POST", path, Some(body.to_owned()))
    }

    /// A PUT with a body exactly as given (the machines' APIs).
    pub fn put_raw(&mut self, path: &str, body: &str) -> Response {
        self.send("PUT", path, Some(body.to_owned()))
    }

    /// Posts without any CSRF field.
    pub fn post_without_csrf(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).expect("encode form");
        self.send("POST", path, Some(body))
    }

    /// The CSRF token, fetching a page first if the jar has none yet.
    pub fn csrf(&mut self) -> String {
        if !self.cookies.contains_key("kontor_csrf") {
            self.get("/");
        }
        self.cookies.get("kontor_csrf").cloned().unwrap_or_default()
    }
}

/// One HTTP/1.1 response, read as a browser does: up to the end its Content-Length names
/// (without it, to the end of the connection). A server that answers without reading an
/// unwanted request body may take its time to close; a browser does not wait for that.
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        if let Some(head_end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(length) = length
                && raw.len() >= head_end + 4 + length
            {
                raw.truncate(head_end + 4 + length);
                return raw;
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) => return raw,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty() => {
                return raw;
            }
            Err(error) => panic!("read: {error}"),
        }
    }
}

/// A fresh one-time submission key, as a rendered form carries.
pub fn submission_key() -> String {
    kontor::token::Token::generate().expect("random").as_str().to_owned()
}

/// One bigint column named `n`, for raw SQL in tests.
#[derive(QueryableByName)]
pub struct Count {
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// One numeric column named `n`, for raw SQL in tests.
#[derive(QueryableByName)]
pub struct Amount {
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    pub n: rust_decimal::Decimal,
}

/// One text column named `s`, for raw SQL in tests.
#[derive(QueryableByName)]
pub struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub s: String,
}

/// Runs `sql`, which selects one numeric named `n`.
pub fn amount(db: &TestDb, sql: &str) -> rust_decimal::Decimal {
    diesel::sql_query(sql).get_result::<Amount>(&mut db.conn()).expect("an amount").n
}

/// Runs `sql`, which selects one bigint named `n`.
pub fn scalar_count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).expect("a count").n
}

pub fn count(db: &TestDb, sql: &str) -> i64 {
    scalar_count(&mut db.conn(), sql)
}

/// The text/plain and text/html bodies of a parsed email, in order.
pub fn text_and_html_parts<'a>(message: &'a mail_parser::Message<'a>) -> (Vec<&'a str>, Vec<&'a str>) {
    use mail_parser::PartType;
    let mut texts = Vec::new();
    let mut htmls = Vec::new();
    for part in &message.parts {
        match &part.body {
            PartType::Text(text) => texts.push(text.as_ref()),
            PartType::Html(html) => htmls.push(html.as_ref()),
            _ => {}
        }
    }
    (texts, htmls)
}

/// A failpoint of a spawned `kontor` process that pauses it (`KONTOR_FAILPOINT=<point>=wait:`):
/// the test waits until the process is there, does what races it, then lets it go on.
pub struct FilePause {
    base: PathBuf,
}

impl FilePause {
    pub fn new(purpose: &str) -> FilePause {
        let dir = scratch_dir(purpose);
        std::fs::create_dir_all(&dir).expect("pause folder");
        FilePause { base: dir.join("pause") }
    }

    /// The `KONTOR_FAILPOINT` value pausing at the `nth` time `point` is reached.
    pub fn at(&self, point: &str, nth: u32) -> String {
        format!("{point}=wait:{}@{nth}", self.base.display())
    }

    /// Waits until the process reached the point (and fails the test if it ended instead).
    pub fn reached(&self, child: &mut std::process::Child) {
        let reached = self.base.with_extension("reached");
        loop {
            if reached.exists() {
                return;
            }
            if let Some(status) = child.try_wait().expect("child status") {
                panic!("the process ended ({status}) before reaching its failpoint");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn release(&self) {
        std::fs::write(self.base.with_extension("release"), "go").expect("release the pause");
    }
}

/// Waits until the backend `pid` is blocked on a lock, or `done` says the work finished
/// without waiting (which the caller's assertions then judge).
pub fn blocked_on_a_lock(db: &TestDb, pid: i32, done: impl Fn() -> bool) {
    loop {
        let waiting = count(
            db,
            &format!(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE pid = {pid} AND wait_event_type = 'Lock'"
            ),
        );
        if waiting > 0 || done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The backend process id of a connection.
pub fn backend_pid(conn: &mut PgConnection) -> i32 {
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result::<Pid>(conn).expect("pid").pid
}
