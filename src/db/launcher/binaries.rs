//! Finding the PostgreSQL server binaries.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use super::LauncherError;

/// The folder holding `initdb`, `pg_ctl` and `postgres`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBinaries {
    pub bin_dir: PathBuf,
}

impl ServerBinaries {
    pub(super) fn tool(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }

    fn is_complete(dir: &Path) -> bool {
        ["initdb", "pg_ctl", "postgres"].iter().all(|tool| dir.join(tool).is_file())
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
            return Ok(ServerBinaries { bin_dir: dir.to_path_buf() });
        }
        return Err(LauncherError::BinariesNotFound { searched: format!("KONTOR_PG_BIN={}", dir.display()) });
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
    Err(LauncherError::BinariesNotFound { searched: searched.join(", ") })
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
}
