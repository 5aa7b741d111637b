//! The local PostgreSQL cluster Kontor starts for itself when no `DATABASE_URL` is set.
//!
//! Layout under the data folder (`$KONTOR_DATA_DIR`, default `./var`):
//! `pg/` the cluster, `pg.lock` serialises start and stop decisions, `pg.attach` is held
//! with a shared lock by every process using the cluster, `pg-run/` holds the socket,
//! `pg.log` the server log.
//!
//! Sharing works through `flock(2)`, which the kernel releases when a process dies, however
//! it dies: the first process starts the cluster, later ones attach, and whoever leaves and
//! then finds nobody else holding `pg.attach` stops it. Each process also spawns a tiny
//! watchdog shell that waits for its owner's death (end of a pipe) and then runs the same
//! leave check, so a `kill -9`, a panic or Ctrl-C in a one-shot command leaves no orphan.
//! A cluster nobody stopped (the watchdog was killed too) is adopted by the next process.

mod account;
mod binaries;
mod plumbing;
mod server;
mod watchdog;

use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Child;

use account::{ServiceAccount, service_account};
pub use binaries::{ServerBinaries, find_server_binaries};
pub use plumbing::quote_identifier;
use plumbing::{percent_encode, socket_dir_for};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// The superuser and default database of a local cluster.
pub const LOCAL_ROLE: &str = "kontor";

#[derive(Debug, thiserror::Error)]
pub enum LauncherError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found (searched: {searched}). \
         Install them (Debian/Ubuntu: `apt-get install postgresql`), point KONTOR_PG_BIN at \
         their folder, or set DATABASE_URL to an existing database."
    )]
    BinariesNotFound { searched: String },
    #[error(
        "running as root: PostgreSQL refuses root, and the user `{user}` it should run as does not exist. \
         Create it (`useradd --system {user}`) or set KONTOR_PG_USER to another unprivileged user."
    )]
    NoServiceUser { user: String },
    #[error(
        "PostgreSQL runs as `{user}`, which cannot reach {path}: a parent folder is not searchable by it. \
         Set KONTOR_DATA_DIR to a folder it can reach (e.g. /var/lib/kontor)."
    )]
    DataDirUnreachable { user: String, path: String },
    #[error("{action} failed: {detail}")]
    Command { action: &'static str, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the running cluster's postmaster.pid could not be read: {0}")]
    PidFile(String),
    #[error("creating database `{name}`: {detail}")]
    CreateDatabase { name: String, detail: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> LauncherError + '_ {
    move |source| LauncherError::Io { path: path.display().to_string(), source }
}

/// How much durability the cluster trades for speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// The default: every commit is on disk.
    Durable,
    /// For throw-away test clusters: fsync off, many connections.
    Ephemeral,
}

#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// The folder that holds `pg/`, the lock files and the log.
    pub data_dir: PathBuf,
    /// Where initdb and pg_ctl are; searched for when `None`.
    pub bin_dir: Option<PathBuf>,
    /// The unprivileged user PostgreSQL runs as when Kontor runs as root.
    pub service_user: String,
    pub durability: Durability,
    /// Remove the whole data folder once the last user has left (test clusters).
    pub remove_on_exit: bool,
}

impl ClusterOptions {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        ClusterOptions {
            data_dir: data_dir.into(),
            bin_dir: None,
            service_user: "postgres".to_owned(),
            durability: Durability::Durable,
            remove_on_exit: false,
        }
    }
}

/// A running local cluster this process is attached to. Dropping it leaves the cluster,
/// stopping it when this process was the last user.
#[derive(Debug)]
pub struct LocalCluster {
    binaries: ServerBinaries,
    account: Option<ServiceAccount>,
    data_dir: PathBuf,
    port: u16,
    socket_dir: PathBuf,
    remove_on_exit: bool,
    attach: Option<File>,
    watchdog: Option<Child>,
}

/// What happened when a process left the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    Stopped,
    StillInUse,
}

impl LocalCluster {
    /// Starts the cluster, or attaches to the one already running in `options.data_dir`.
    pub fn start(options: &ClusterOptions) -> Result<LocalCluster, LauncherError> {
        let binaries = find_server_binaries(
            options.bin_dir.as_deref(),
            std::env::var_os("PATH"),
            &[PathBuf::from("/usr/lib/postgresql")],
        )?;
        Self::start_with(options, binaries)
    }

    pub fn start_with(
        options: &ClusterOptions,
        binaries: ServerBinaries,
    ) -> Result<LocalCluster, LauncherError> {
        let account = service_account(&options.service_user)?;
        fs::create_dir_all(&options.data_dir).map_err(io_error(&options.data_dir))?;
        let data_dir = fs::canonicalize(&options.data_dir).map_err(io_error(&options.data_dir))?;
        let mut cluster = LocalCluster {
            binaries,
            account,
            port: 0,
            socket_dir: socket_dir_for(&data_dir),
            data_dir,
            remove_on_exit: options.remove_on_exit,
            attach: None,
            watchdog: None,
        };
        if let Some(account) = account {
            cluster.hand_over(&cluster.data_dir, account)?;
            cluster.check_reachable(&options.service_user)?;
        }
        let guard = cluster.lock_file("pg.lock")?;
        guard.lock().map_err(io_error(&cluster.data_dir))?;
        if !cluster.pgdata().join("PG_VERSION").is_file() {
            cluster.initdb()?;
        }
        match cluster.running_instance()? {
            Some((port, socket_dir)) => {
                cluster.port = port;
                cluster.socket_dir = socket_dir;
            }
            None => cluster.boot(options.durability)?,
        }
        let attach = cluster.lock_file("pg.attach")?;
        attach.lock_shared().map_err(io_error(&cluster.data_dir))?;
        cluster.attach = Some(attach);
        cluster.watchdog = watchdog::spawn(&cluster).ok();
        release(guard);
        cluster.ensure_database(LOCAL_ROLE)?;
        Ok(cluster)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn pgdata(&self) -> PathBuf {
        self.data_dir.join("pg")
    }

    /// The PID of the running postmaster, from its pid file.
    pub fn postmaster_pid(&self) -> Option<i32> {
        let text = fs::read_to_string(self.pgdata().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// A libpq URL for `database` over the private unix socket.
    pub fn database_url(&self, database: &str) -> String {
        format!(
            "postgresql:///{database}?host={}&port={}&user={LOCAL_ROLE}",
            percent_encode(&self.socket_dir.to_string_lossy()),
            self.port
        )
    }

    /// Creates `name` unless it exists. Serialised by PostgreSQL: a concurrent creator
    /// loses with a unique violation, which means the database is there.
    pub fn ensure_database(&self, name: &str) -> Result<(), LauncherError> {
        let fail = |detail: String| LauncherError::CreateDatabase { name: name.to_owned(), detail };
        let mut conn =
            PgConnection::establish(&self.database_url("postgres")).map_err(|e| fail(e.to_string()))?;
        let exists: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "SELECT count(*) FROM pg_database WHERE datname = ",
        )
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result(&mut conn)
        .map_err(|e| fail(e.to_string()))?;
        if exists == 0 {
            let sql = format!("CREATE DATABASE {}", quote_identifier(name));
            if let Err(error) = diesel::sql_query(sql).execute(&mut conn) {
                let raced = matches!(
                    error,
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _
                    )
                );
                if !raced {
                    return Err(fail(error.to_string()));
                }
            }
        }
        Ok(())
    }

    /// Stops the server while staying attached: an outage drill. Connections fail until
    /// [`LocalCluster::resume`].
    pub fn halt(&self) -> Result<(), LauncherError> {
        self.pg_ctl(&["stop", "-m", "fast", "-w", "-t", "60"], "stopping PostgreSQL")
    }

    /// Starts a halted server again, on the same port and socket as before.
    pub fn resume(&self) -> Result<(), LauncherError> {
        let mut command = self.command(&self.binaries.tool("pg_ctl"));
        command
            .arg("-D")
            .arg(self.pgdata())
            .arg("-l")
            .arg(self.data_dir.join("pg.log"))
            .args(["start", "-w", "-t", "60"])
            .process_group(0);
        self.run(command, "starting PostgreSQL")
    }

    /// Leaves the cluster; stops it if nobody else uses it.
    pub fn leave(mut self) -> Result<Departure, LauncherError> {
        self.leave_inner()
    }

    fn leave_inner(&mut self) -> Result<Departure, LauncherError> {
        let Some(attach) = self.attach.take() else {
            return Ok(Departure::StillInUse);
        };
        if let Some(mut watchdog) = self.watchdog.take() {
            // We leave in an orderly way ourselves; the watchdog is only for sudden deaths.
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        let guard = self.lock_file("pg.lock")?;
        guard.lock().map_err(io_error(&self.data_dir))?;
        release(attach);
        let probe = self.lock_file("pg.attach")?;
        if probe.try_lock().is_err() {
            return Ok(Departure::StillInUse);
        }
        if self.running_instance()?.is_some() {
            self.pg_ctl(&["stop", "-m", "fast", "-w", "-t", "60"], "stopping PostgreSQL")?;
        }
        if self.remove_on_exit {
            fs::remove_dir_all(&self.data_dir).map_err(io_error(&self.data_dir))?;
        }
        Ok(Departure::Stopped)
    }
}

/// Unlocks explicitly before closing: a child forked by another thread at this moment holds a
/// copy of the descriptor until it execs, and with it the lock, if we only closed ours.
fn release(file: File) {
    let _ = file.unlock();
    drop(file);
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        if let Err(error) = self.leave_inner() {
            tracing::error!(%error, "leaving the local PostgreSQL cluster failed");
        }
    }
}
