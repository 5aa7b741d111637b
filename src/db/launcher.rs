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

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// Unix socket paths are limited to 107 bytes; the socket file name takes 18 of them.
const MAX_SOCKET_DIR_LEN: usize = 88;
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
    move |source| LauncherError::Io {
        path: path.display().to_string(),
        source,
    }
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

/// The folder holding `initdb`, `pg_ctl` and `postgres`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBinaries {
    pub bin_dir: PathBuf,
}

impl ServerBinaries {
    fn tool(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }

    fn is_complete(dir: &Path) -> bool {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|tool| dir.join(tool).is_file())
    }
}

/// Finds the server binaries: the explicit folder, else `PATH`, else the newest
/// `<root>/<version>/bin` under each of `version_roots` (Debian's `/usr/lib/postgresql`).
pub fn find_server_binaries(
    explicit: Option<&Path>,
    path_var: Option<OsString>,
    version_roots: &[PathBuf],
) -> Result<ServerBinaries, LauncherError> {
    let mut searched = Vec::new();
    if let Some(dir) = explicit {
        if ServerBinaries::is_complete(dir) {
            return Ok(ServerBinaries {
                bin_dir: dir.to_path_buf(),
            });
        }
        return Err(LauncherError::BinariesNotFound {
            searched: format!("KONTOR_PG_BIN={}", dir.display()),
        });
    }
    if let Some(path_var) = path_var {
        for dir in std::env::split_paths(&path_var) {
            if ServerBinaries::is_complete(&dir) {
                return Ok(ServerBinaries { bin_dir: dir });
            }
        }
        searched.push("PATH".to_owned());
    }
    for root in version_roots {
        searched.push(format!("{}/*/bin", root.display()));
        let Ok(entries) = fs::read_dir(root) else {
            continue;
        };
        let mut versions: Vec<(Vec<u64>, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let version: Option<Vec<u64>> = name.split('.').map(|p| p.parse().ok()).collect();
                Some((version?, entry.path().join("bin")))
            })
            .filter(|(_, bin)| ServerBinaries::is_complete(bin))
            .collect();
        versions.sort();
        if let Some((_, bin_dir)) = versions.pop() {
            return Ok(ServerBinaries { bin_dir });
        }
    }
    Err(LauncherError::BinariesNotFound {
        searched: searched.join(", "),
    })
}

/// The account PostgreSQL's processes run under when Kontor itself is root.
#[derive(Debug, Clone, Copy)]
struct ServiceAccount {
    uid: u32,
    gid: u32,
}

fn service_account(user: &str) -> Result<Option<ServiceAccount>, LauncherError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let no_user = || LauncherError::NoServiceUser {
        user: user.to_owned(),
    };
    let name = std::ffi::CString::new(user).map_err(|_| no_user())?;
    // SAFETY: `name` is a valid C string; getpwnam returns NULL or a pointer to a static
    // record, which is copied out before any other call can overwrite it.
    let record = unsafe { libc::getpwnam(name.as_ptr()) };
    if record.is_null() {
        return Err(no_user());
    }
    // SAFETY: checked non-null above.
    let (uid, gid) = unsafe { ((*record).pw_uid, (*record).pw_gid) };
    if uid == 0 {
        return Err(no_user());
    }
    Ok(Some(ServiceAccount { uid, gid }))
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
        cluster.watchdog = cluster.spawn_watchdog().ok();
        drop(guard);
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
        let fail = |detail: String| LauncherError::CreateDatabase {
            name: name.to_owned(),
            detail,
        };
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
        drop(attach);
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

    fn lock_file(&self, name: &str) -> Result<File, LauncherError> {
        let path = self.data_dir.join(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io_error(&path))?;
        if let Some(account) = self.account {
            // The watchdog runs as the service user and must be able to open it.
            chown(&path, Some(account.uid), Some(account.gid)).map_err(io_error(&path))?;
        }
        Ok(file)
    }

    fn hand_over(&self, path: &Path, account: ServiceAccount) -> Result<(), LauncherError> {
        chown(path, Some(account.uid), Some(account.gid)).map_err(io_error(path))
    }

    fn check_reachable(&self, user: &str) -> Result<(), LauncherError> {
        let status = self
            .command(Path::new("/bin/sh"))
            .args(["-c", "test -w \"$1\" && test -x \"$1\"", "probe"])
            .arg(&self.data_dir)
            .status()
            .map_err(io_error(Path::new("/bin/sh")))?;
        if status.success() {
            Ok(())
        } else {
            Err(LauncherError::DataDirUnreachable {
                user: user.to_owned(),
                path: self.data_dir.display().to_string(),
            })
        }
    }

    /// A command that runs as the service user when we are root.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command.stdin(Stdio::null());
        if let Some(account) = self.account {
            command.uid(account.uid).gid(account.gid);
        }
        command
    }

    fn run(&self, mut command: Command, action: &'static str) -> Result<(), LauncherError> {
        let output = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| LauncherError::Command {
                action,
                detail: e.to_string(),
            })?;
        if output.status.success() {
            return Ok(());
        }
        let mut detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        if detail.is_empty() {
            detail = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        }
        if let Ok(log) = fs::read_to_string(self.data_dir.join("pg.log")) {
            let tail: Vec<&str> = log.lines().rev().take(5).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            detail = format!("{detail}\nserver log:\n{}", tail.join("\n"));
        }
        Err(LauncherError::Command { action, detail })
    }

    fn pg_ctl(&self, args: &[&str], action: &'static str) -> Result<(), LauncherError> {
        let mut command = self.command(&self.binaries.tool("pg_ctl"));
        command.arg("-D").arg(self.pgdata()).args(args);
        self.run(command, action)
    }

    /// Creates the cluster in a scratch folder and renames it into place, so a failed
    /// initdb never leaves a half-made `pg/` behind.
    fn initdb(&self) -> Result<(), LauncherError> {
        let scratch = self.data_dir.join("pg.initdb");
        if scratch.exists() {
            fs::remove_dir_all(&scratch).map_err(io_error(&scratch))?;
        }
        let password_file = self.data_dir.join("pg.password");
        write_private(&password_file, &random_hex(16)?)?;
        if let Some(account) = self.account {
            self.hand_over(&password_file, account)?;
        }
        let mut command = self.command(&self.binaries.tool("initdb"));
        command
            .arg("-D")
            .arg(&scratch)
            .args(["-U", LOCAL_ROLE, "-E", "UTF8", "--no-locale", "--no-sync"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", password_file.display()));
        self.run(command, "initdb")?;
        let conf = scratch.join("postgresql.conf");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(io_error(&conf))?;
        file.write_all(b"\n# Written by Kontor at every start: port, socket, tuning.\ninclude_if_exists = 'kontor.conf'\n")
            .map_err(io_error(&conf))?;
        fs::rename(&scratch, self.pgdata()).map_err(io_error(&scratch))
    }

    /// The port and socket folder of a live postmaster, if one runs on this data folder.
    fn running_instance(&self) -> Result<Option<(u16, PathBuf)>, LauncherError> {
        let pid_file = self.pgdata().join("postmaster.pid");
        if !pid_file.exists() {
            return Ok(None);
        }
        let status = self
            .command(&self.binaries.tool("pg_ctl"))
            .arg("status")
            .arg("-D")
            .arg(self.pgdata())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(io_error(&pid_file))?;
        if !status.success() {
            return Ok(None);
        }
        let mut text = String::new();
        File::open(&pid_file)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(io_error(&pid_file))?;
        // Lines: pid, data dir, start time, port, socket dir, listen address, shm key, status.
        let lines: Vec<&str> = text.lines().collect();
        let port = lines
            .get(3)
            .and_then(|l| l.trim().parse().ok())
            .ok_or_else(|| LauncherError::PidFile("no port".to_owned()))?;
        let socket_dir = lines
            .get(4)
            .map(|l| PathBuf::from(l.trim()))
            .ok_or_else(|| LauncherError::PidFile("no socket folder".to_owned()))?;
        Ok(Some((port, socket_dir)))
    }

    fn boot(&mut self, durability: Durability) -> Result<(), LauncherError> {
        fs::create_dir_all(&self.socket_dir).map_err(io_error(&self.socket_dir))?;
        fs::set_permissions(&self.socket_dir, fs::Permissions::from_mode(0o700))
            .map_err(io_error(&self.socket_dir))?;
        if let Some(account) = self.account {
            self.hand_over(&self.socket_dir, account)?;
        }
        let mut last_error = None;
        // A free port can be taken by someone else between our probe and the server's bind.
        for _ in 0..3 {
            self.port = free_port().map_err(io_error(&self.data_dir))?;
            self.write_settings(durability)?;
            let mut command = self.command(&self.binaries.tool("pg_ctl"));
            command
                .arg("-D")
                .arg(self.pgdata())
                .arg("-l")
                .arg(self.data_dir.join("pg.log"))
                .args(["start", "-w", "-t", "60"])
                // Its own process group: a Ctrl-C meant for Kontor must not reach the server
                // before Kontor has finished with it.
                .process_group(0);
            match self.run(command, "starting PostgreSQL") {
                Ok(()) => return Ok(()),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or(LauncherError::Command {
            action: "starting PostgreSQL",
            detail: "no attempt made".to_owned(),
        }))
    }

    fn write_settings(&self, durability: Durability) -> Result<(), LauncherError> {
        let mut conf = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\n",
            self.port,
            self.socket_dir.to_string_lossy().replace('\'', "''")
        );
        if durability == Durability::Ephemeral {
            conf.push_str(
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 400\n",
            );
        }
        let path = self.pgdata().join("kontor.conf");
        fs::write(&path, conf).map_err(io_error(&path))?;
        if let Some(account) = self.account {
            self.hand_over(&path, account)?;
        }
        Ok(())
    }

    /// A shell that waits for this process to end (EOF on its stdin) and then leaves the
    /// cluster on our behalf, exactly as `leave` would.
    fn spawn_watchdog(&self) -> std::io::Result<Child> {
        // The owner's own shared lock on pg.attach may outlive the pipe by a moment while the
        // kernel tears the process down, so a busy pg.attach is retried for a few seconds
        // (releasing pg.lock in between) before concluding that others still use the cluster.
        const SCRIPT: &str = r#"trap '' INT TERM HUP
while read -r _; do :; done
exec 9<"$1" 8<"$2"
tries=0
while :; do
  flock 9
  if flock -n -x 8; then
    if [ -f "$3/postmaster.pid" ]; then "$4" stop -D "$3" -m fast -w >/dev/null 2>&1; fi
    if [ -n "$5" ]; then rm -rf "$5"; fi
    exit 0
  fi
  flock -u 9
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ]; then exit 0; fi
  sleep 0.1
done"#;
        let remove = if self.remove_on_exit {
            self.data_dir.as_os_str().to_owned()
        } else {
            OsString::new()
        };
        let mut command = self.command(Path::new("/bin/sh"));
        command
            .arg("-c")
            .arg(SCRIPT)
            .arg("kontor-watchdog")
            .arg(self.data_dir.join("pg.lock"))
            .arg(self.data_dir.join("pg.attach"))
            .arg(self.pgdata())
            .arg(self.binaries.tool("pg_ctl"))
            .arg(remove)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        command.spawn()
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        if let Err(error) = self.leave_inner() {
            tracing::error!(%error, "leaving the local PostgreSQL cluster failed");
        }
    }
}

fn socket_dir_for(data_dir: &Path) -> PathBuf {
    let preferred = data_dir.join("pg-run");
    if preferred.as_os_str().len() <= MAX_SOCKET_DIR_LEN {
        return preferred;
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let short: String = hex::encode(digest).chars().take(16).collect();
    std::env::temp_dir().join(format!("kontor-{short}"))
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

fn random_hex(bytes: usize) -> Result<String, LauncherError> {
    let path = Path::new("/dev/urandom");
    let mut buffer = vec![0u8; bytes];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut buffer))
        .map_err(io_error(path))?;
    Ok(hex::encode(buffer))
}

fn write_private(path: &Path, contents: &str) -> Result<(), LauncherError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(io_error(path))?;
    file.write_all(contents.as_bytes()).map_err(io_error(path))
}

/// Quotes an SQL identifier (database names come from our own code, but never trust that).
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for libpq URL parameters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_bin(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        for tool in ["initdb", "pg_ctl", "postgres"] {
            fs::write(dir.join(tool), "").unwrap();
        }
    }

    #[test]
    fn newest_version_folder_wins() {
        let root = std::env::temp_dir().join(format!("kontor-find-{}", std::process::id()));
        fake_bin(&root.join("9.6/bin"));
        fake_bin(&root.join("15/bin"));
        fake_bin(&root.join("16/bin"));
        fs::create_dir_all(root.join("17/bin")).unwrap(); // incomplete: skipped
        let found = find_server_binaries(None, Some(OsString::new()), std::slice::from_ref(&root)).unwrap();
        assert_eq!(found.bin_dir, root.join("16/bin"));
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn missing_binaries_explain_how_to_get_them() {
        let error =
            find_server_binaries(None, Some(OsString::new()), &[PathBuf::from("/nonexistent")]).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("apt-get install postgresql"), "{text}");
        assert!(text.contains("DATABASE_URL"), "{text}");
        assert!(text.contains("/nonexistent/*/bin"), "{text}");
    }

    #[test]
    fn socket_urls_are_percent_encoded() {
        assert_eq!(percent_encode("/tmp/a b"), "%2Ftmp%2Fa%20b");
        assert_eq!(quote_identifier("we\"ird"), "\"we\"\"ird\"");
    }

    #[test]
    fn long_data_dirs_get_a_short_socket_dir() {
        let long = PathBuf::from(format!("/{}", "x".repeat(120)));
        let dir = socket_dir_for(&long);
        assert!(dir.as_os_str().len() <= MAX_SOCKET_DIR_LEN);
        assert_eq!(
            socket_dir_for(Path::new("/var/k")),
            PathBuf::from("/var/k/pg-run")
        );
    }
}
