//! The shared test cluster and per-test databases.
//!
//! One PostgreSQL (fsync off) serves the whole test run; the first test that needs it
//! starts it and migrates a template database once. Every test then gets its own database
//! cloned from the template (`CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY`) and
//! dropped when the test ends, so tests are isolated and run in parallel. The launcher's
//! watchdog stops the cluster and removes its folder when the test process exits.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
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
}

impl TestDb {
    pub fn new() -> TestDb {
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
        );
        let sql = format!(
            "CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY",
            quote_identifier(&name),
            quote_identifier(TEMPLATE)
        );
        diesel::sql_query(sql)
            .execute(&mut admin())
            .expect("clone the template");
        let pool = kontor::db::pool(&cluster().database_url(&name), 4).expect("pool");
        TestDb {
            name,
            pool: Some(pool),
        }
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

impl Drop for TestDb {
    fn drop(&mut self) {
        self.pool.take();
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_identifier(&self.name)
        );
        if let Err(error) = diesel::sql_query(sql).execute(&mut admin()) {
            eprintln!("could not drop test database {}: {error}", self.name);
        }
    }
}

/// A minimal HTTP/1.1 GET against a real listening server: (status, headers, body).
pub fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    (status, head.to_owned(), body.to_owned())
}

/// True while a process with this pid exists and has not exited (a zombie waiting for
/// init to reap it counts as gone).
pub fn process_alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
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
