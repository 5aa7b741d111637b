//! Driving PostgreSQL itself: initdb, start, status, stop, and running its tools as the
//! service user when Kontor is root.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::account::ServiceAccount;
use super::plumbing::{free_port, random_hex, write_private};
use super::{Durability, LOCAL_ROLE, LauncherError, LocalCluster, io_error};

impl LocalCluster {
    pub(super) fn lock_file(&self, name: &str) -> Result<File, LauncherError> {
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

    pub(super) fn hand_over(&self, path: &Path, account: ServiceAccount) -> Result<(), LauncherError> {
        chown(path, Some(account.uid), Some(account.gid)).map_err(io_error(path))
    }

    pub(super) fn check_reachable(&self, user: &str) -> Result<(), LauncherError> {
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
    pub(super) fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command.stdin(Stdio::null());
        if let Some(account) = self.account {
            command.uid(account.uid).gid(account.gid);
        }
        command
    }

    pub(super) fn run(&self, mut command: Command, action: &'static str) -> Result<(), LauncherError> {
        let output = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| LauncherError::Command { action, detail: e.to_string() })?;
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

    pub(super) fn pg_ctl(&self, args: &[&str], action: &'static str) -> Result<(), LauncherError> {
        let mut command = self.command(&self.binaries.tool("pg_ctl"));
        command.arg("-D").arg(self.pgdata()).args(args);
        self.run(command, action)
    }

    /// Creates the cluster in a scratch folder and renames it into place, so a failed
    /// initdb never leaves a half-made `pg/` behind.
    pub(super) fn initdb(&self) -> Result<(), LauncherError> {
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
        let mut file = OpenOptions::new().append(true).open(&conf).map_err(io_error(&conf))?;
        file.write_all(b"\n# Written by Kontor at every start: port, socket, tuning.\ninclude_if_exists = 'kontor.conf'\n")
            .map_err(io_error(&conf))?;
        fs::rename(&scratch, self.pgdata()).map_err(io_error(&scratch))
    }

    /// The port and socket folder of a live postmaster, if one runs on this data folder.
    pub(super) fn running_instance(&self) -> Result<Option<(u16, PathBuf)>, LauncherError> {
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
        File::open(&pid_file).and_then(|mut f| f.read_to_string(&mut text)).map_err(io_error(&pid_file))?;
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

    pub(super) fn boot(&mut self, durability: Durability) -> Result<(), LauncherError> {
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

    pub(super) fn write_settings(&self, durability: Durability) -> Result<(), LauncherError> {
        let mut conf = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\n",
            self.port,
            self.socket_dir.to_string_lossy().replace('\'', "''")
        );
        if durability == Durability::Ephemeral {
            conf.push_str(
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 400\n",
            );
        } else {
            // The 128 MB default is for tiny machines; the ledger's indexes want more room.
            // Fewer checkpoints during a batch too.
            conf.push_str("shared_buffers = 512MB\nmax_wal_size = 4GB\n");
        }
        let path = self.pgdata().join("kontor.conf");
        fs::write(&path, conf).map_err(io_error(&path))?;
        if let Some(account) = self.account {
            self.hand_over(&path, account)?;
        }
        Ok(())
    }
}
