//! The self-starting PostgreSQL: start, sharing, adoption, clean stops, missing binaries, and
//! the migrations' lock.
//! Each test has its own data folder (and cluster), apart from the shared test cluster.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use diesel::{Connection, PgConnection, RunQueryDsl};
use kontor::db::launcher::{ClusterOptions, Departure, Durability, LauncherError, LocalCluster};

use crate::support::{eventually, gone, process_alive, scratch_dir};

fn options(purpose: &str) -> ClusterOptions {
    let mut options = ClusterOptions::new(scratch_dir(purpose));
    options.durability = Durability::Ephemeral;
    options
}

fn select_one(cluster: &LocalCluster) {
    let mut conn = PgConnection::establish(&cluster.database_url("kontor")).expect("connect");
    diesel::sql_query("SELECT 1").execute(&mut conn).expect("query");
}

#[test]
fn a_second_user_attaches_and_the_last_one_out_stops_the_cluster() {
    let options = options("share");
    let first = LocalCluster::start(&options).expect("start");
    select_one(&first);
    let pid = first.postmaster_pid().expect("postmaster pid");
    assert!(process_alive(pid));

    let second = LocalCluster::start(&options).expect("attach");
    assert_eq!(second.postmaster_pid(), Some(pid), "no second cluster");
    assert_eq!(second.port(), first.port());

    assert_eq!(first.leave().unwrap(), Departure::StillInUse);
    select_one(&second);
    assert_eq!(second.leave().unwrap(), Departure::Stopped);
    assert!(gone(pid), "no postgres process may be left");
    assert!(!options.data_dir.join("pg/postmaster.pid").exists());

    // And it starts again from the existing cluster (no second initdb).
    let again = LocalCluster::start(&options).expect("restart");
    select_one(&again);
    assert_eq!(again.leave().unwrap(), Departure::Stopped);
    std::fs::remove_dir_all(&options.data_dir).unwrap();
}

#[test]
fn missing_server_binaries_give_an_actionable_error() {
    let mut options = options("nobin");
    let empty = scratch_dir("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    options.bin_dir = Some(empty.clone());
    let error = LocalCluster::start(&options).expect_err("no binaries");
    assert!(matches!(error, LauncherError::BinariesNotFound { .. }));
    let text = error.to_string();
    assert!(text.contains("apt-get install postgresql") && text.contains("DATABASE_URL"), "{text}");

    // The CLI says the same and fails.
    let output = crate::support::kontor_command()
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("KONTOR_PG_BIN", &empty)
        .env("KONTOR_DATA_DIR", &options.data_dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("apt-get install postgresql"));
    let _ = std::fs::remove_dir_all(&options.data_dir);
    std::fs::remove_dir_all(&empty).unwrap();
}

/// The direct children of `pid`, from /proc.
fn children(pid: u32) -> Vec<i32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn spawn_server(data_dir: &std::path::Path) -> (std::process::Child, u16) {
    let mut child = crate::support::kontor_command()
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("KONTOR_DATA_DIR", data_dir)
        .env("KONTOR_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("serving on"))
        .expect("the server announces its address");
    let port = line
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("a port");
    (child, port)
}

#[test]
fn a_killed_process_leaves_no_orphan_and_an_abandoned_cluster_is_adopted() {
    let data_dir = scratch_dir("killed");
    let pid_file = data_dir.join("pg/postmaster.pid");
    let postmaster = || {
        std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<i32>().ok()))
    };

    // kill -9 of the server: its watchdog stops the cluster.
    let (mut server, _) = spawn_server(&data_dir);
    let pid = postmaster().expect("running");
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(eventually(30, || !process_alive(pid)), "the watchdog stops PostgreSQL");

    // kill -9 of the server and its watchdog: the cluster is abandoned ...
    let (mut server, _) = spawn_server(&data_dir);
    let pid = postmaster().expect("running again");
    let watchdogs = children(server.id());
    assert!(!watchdogs.is_empty(), "the server has its watchdog");
    for watchdog in &watchdogs {
        // SAFETY: plain kill(2) of a child process we spawned.
        unsafe { libc::kill(*watchdog, libc::SIGKILL) };
    }
    server.kill().unwrap();
    server.wait().unwrap();
    // Once the server and its watchdogs are gone, nothing is left that could stop it.
    for watchdog in watchdogs {
        assert!(gone(watchdog), "watchdog {watchdog} is gone");
    }
    assert!(process_alive(pid), "nobody was left to stop it");

    // ... and the next process adopts it instead of starting another, then stops it.
    let mut options = ClusterOptions::new(&data_dir);
    options.durability = Durability::Ephemeral;
    let adopter = LocalCluster::start(&options).expect("adopt");
    assert_eq!(adopter.postmaster_pid(), Some(pid));
    select_one(&adopter);
    assert_eq!(adopter.leave().unwrap(), Departure::Stopped);
    assert!(gone(pid));
    std::fs::remove_dir_all(&data_dir).unwrap();
}

#[test]
fn a_failed_migration_never_returns_its_lock_to_the_pool() {
    let db = crate::support::TestDb::new();
    let pool = kontor::db::pool(&db.url(), 1).unwrap();
    // A migration dies holding its lock and the panic is caught (as a server's request or
    // job runner does); the connection then goes back to the pool the ordinary way.
    let mut conn = pool.get().unwrap();
    let outcome = {
        let _armed = kontor::failpoint::arm("migrate-locked", kontor::failpoint::Action::Panic);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| kontor::db::migrate(&mut conn)))
    };
    assert!(outcome.is_err(), "the migration died holding its lock");
    drop(conn);
    // The pool's next connection (here: its only one) holds no advisory lock, and a new
    // migration does not wait for one.
    let mut conn = pool.get().unwrap();
    let held = crate::support::scalar_count(
        &mut conn,
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    );
    assert_eq!(held, 0);
    diesel::sql_query("SET lock_timeout = '10s'").execute(&mut conn).unwrap();
    kontor::db::migrate(&mut conn).unwrap();
}
