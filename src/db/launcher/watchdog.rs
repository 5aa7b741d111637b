//! The watchdog: a tiny shell per Kontor process that waits for the process to end (however
//! it ends: the pipe it reads closes) and then leaves the cluster on its behalf, exactly as
//! `LocalCluster::leave` would, so a `kill -9` or a panic leaves no orphan PostgreSQL.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};

use super::LocalCluster;

/// Starts the watchdog of `cluster`; it lives as long as the returned child's stdin is open.
pub(super) fn spawn(cluster: &LocalCluster) -> std::io::Result<Child> {
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
    let remove =
        if cluster.remove_on_exit { cluster.data_dir.as_os_str().to_owned() } else { OsString::new() };
    let mut command = cluster.command(Path::new("/bin/sh"));
    command
        .arg("-c")
        .arg(SCRIPT)
        .arg("kontor-watchdog")
        .arg(cluster.data_dir.join("pg.lock"))
        .arg(cluster.data_dir.join("pg.attach"))
        .arg(cluster.pgdata())
        .arg(cluster.binaries.tool("pg_ctl"))
        .arg(remove)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    command.spawn()
}
