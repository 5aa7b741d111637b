//! Small pieces of the local cluster's plumbing: socket path, port, secrets, quoting.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use super::{LauncherError, io_error};

/// Unix socket paths are limited to 107 bytes; the socket file name takes 18 of them.
const MAX_SOCKET_DIR_LEN: usize = 88;

pub(super) fn socket_dir_for(data_dir: &Path) -> PathBuf {
    let preferred = data_dir.join("pg-run");
    if preferred.as_os_str().len() <= MAX_SOCKET_DIR_LEN {
        return preferred;
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let short: String = hex::encode(digest).chars().take(16).collect();
    std::env::temp_dir().join(format!("kontor-{short}"))
}

pub(super) fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

pub(super) fn random_hex(bytes: usize) -> Result<String, LauncherError> {
    let path = Path::new("/dev/urandom");
    let mut buffer = vec![0u8; bytes];
    File::open(path).and_then(|mut f| f.read_exact(&mut buffer)).map_err(io_error(path))?;
    Ok(hex::encode(buffer))
}

pub(super) fn write_private(path: &Path, contents: &str) -> Result<(), LauncherError> {
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
pub(super) fn percent_encode(text: &str) -> String {
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
        assert_eq!(socket_dir_for(Path::new("/var/k")), PathBuf::from("/var/k/pg-run"));
    }
}
