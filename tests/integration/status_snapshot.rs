//! The status page that outlives the portal: rendered to static files after every change (valid
//! Atom in every language, feed autodiscovery, nothing rewritten when nothing changed, the
//! publish command run), served from those files while PostgreSQL is stopped under a running
//! `kontor serve`, and live again once it is back, without a restart.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::process::{Command, Stdio};

use diesel::prelude::*;
use kontor::db::launcher::{ClusterOptions, Durability, LocalCluster};
use kontor::web::status_snapshot;
use serde_json::json;

use crate::support::incidents::{open_storage_incident, send_json, site};
use crate::support::{TestDb, http_get, scratch_dir};

const TOKEN: &str = "monitoring-token-0123456789abcdef";

/// (mtime in ns, inode) of every file under `dir`, by path.
fn stamps(dir: &std::path::Path) -> Vec<(String, i64, u64)> {
    let mut out = Vec::new();
    for code in kontor::i18n::LANGUAGES {
        for name in [status_snapshot::PAGE, status_snapshot::ATOM, status_snapshot::JSON] {
            let path = dir.join(code).join(name);
            let meta = std::fs::metadata(&path).unwrap();
            out.push((
                path.display().to_string(),
                meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
                meta.ino(),
            ));
        }
    }
    out
}

#[test]
fn the_snapshot_is_valid_in_every_language_and_rendering_twice_writes_nothing_new() {
    let db = TestDb::new();
    open_storage_incident(&db, &site());
    let dir = scratch_dir("status-snapshot");
    let published = scratch_dir("status-published");
    let mut settings = crate::support::seller_settings();
    settings.status_dir = dir.clone();
    settings.status_publish = Some(format!("cp -r \"$1\" '{}' && echo published", published.display()));
    let first = status_snapshot::render(&mut db.conn(), &settings).unwrap();
    assert_eq!((first.written, first.unchanged), (21, 0), "three files in seven languages");
    assert!(published.join("de").join("index.html").is_file(), "the publish command ran with the folder");
    for code in kontor::i18n::LANGUAGES {
        let page = std::fs::read_to_string(dir.join(code).join(status_snapshot::PAGE)).unwrap();
        assert!(page.contains(&format!("<html lang=\"{code}\">")), "{code}");
        assert!(
            page.contains(&format!(
                "rel=\"alternate\" type=\"application/atom+xml\" title=\"{} (Atom)\" href=\"/status/feed.atom?lang={code}\"",
                kontor::i18n::t(&kontor::i18n::Lang::supported(code).unwrap(), "status-title")
            )),
            "{code}: autodiscovery in the head"
        );
        let atom = dir.join(code).join(status_snapshot::ATOM);
        let lint = Command::new("xmllint").arg("--noout").arg(&atom).output().expect("xmllint is installed");
        assert!(lint.status.success(), "{code}: {}", String::from_utf8_lossy(&lint.stderr));
        let feed: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(code).join(status_snapshot::JSON)).unwrap())
                .unwrap();
        assert_eq!(feed["language"], code);
    }
    let german = std::fs::read_to_string(dir.join("de").join(status_snapshot::PAGE)).unwrap();
    assert!(german.contains("Speichersystem fs19 ausgefallen") && german.contains("Wir untersuchen das."));
    // Each service with its state now and 90 days of history; times rewritten in the browser.
    let english = std::fs::read_to_string(dir.join("en").join(status_snapshot::PAGE)).unwrap();
    assert_eq!(english.matches("class=\"day day-").count(), 4 * 90, "four services, 90 days each");
    let storage = english.split("id=\"component-storage\"").nth(1).unwrap().split("</li>").next().unwrap();
    assert!(storage.contains("state-outage") && storage.contains("day-down"), "{storage}");
    let mail = english.split("id=\"component-mail\"").nth(1).unwrap().split("</li>").next().unwrap();
    assert!(
        mail.contains("state-operational") && !mail.contains("day-down") && mail.contains("100.00 % uptime"),
        "{mail}"
    );
    assert!(english.contains("<script src=\"/assets/local-time.js\" defer></script>"));
    let french = std::fs::read_to_string(dir.join("fr").join(status_snapshot::PAGE)).unwrap();
    assert!(french.contains("Storage system fs19 down"), "no French text: English with a note");

    // Again without a change: not one file rewritten, and nothing published.
    let before = stamps(&dir);
    std::fs::remove_dir_all(&published).unwrap();
    let again = status_snapshot::render(&mut db.conn(), &settings).unwrap();
    assert_eq!((again.written, again.unchanged), (0, 21));
    assert_eq!(stamps(&dir), before);
    assert!(!published.exists(), "nothing new, nothing published");
    // No temporary files are left beside the documents.
    let leftovers = std::fs::read_dir(dir.join("en"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"));
    assert_eq!(leftovers.count(), 0);

    // A failing publish command is reported, not ignored.
    diesel::sql_query("UPDATE incidents SET severity = 'major'").execute(&mut db.conn()).unwrap();
    settings.status_publish = Some("exit 3".to_owned());
    let error = status_snapshot::render(&mut db.conn(), &settings).unwrap_err();
    assert!(matches!(error, status_snapshot::SnapshotError::Publish(_)), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kontor serve` over its own database; returns the child and its port.
fn serve(database_url: &str, data_dir: &std::path::Path) -> (std::process::Child, u16) {
    let mut child = crate::support::kontor_command()
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("KONTOR_DATA_DIR", data_dir)
        .env("KONTOR_BIND", "127.0.0.1:0")
        .env("KONTOR_INCIDENT_TOKEN", TOKEN)
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
    let port =
        line.rsplit(':').next().and_then(|p| p.split('/').next()).and_then(|p| p.parse().ok()).unwrap();
    (child, port)
}

#[test]
fn with_postgresql_stopped_the_status_page_answers_from_the_snapshot_in_german_and_recovers() {
    // A cluster of its own: this test stops it, which the shared test cluster must never be.
    let mut options = ClusterOptions::new(scratch_dir("outage-cluster"));
    options.durability = Durability::Ephemeral;
    options.remove_on_exit = true;
    let cluster = LocalCluster::start(&options).expect("the cluster starts");
    cluster.ensure_database("outage").unwrap();
    let data_dir = scratch_dir("outage-serve");
    let (mut server, port) = serve(&cluster.database_url("outage"), &data_dir);

    // Monitoring opens an incident in German and English: the snapshot follows.
    let alert = json!({
        "severity": "critical", "services": ["storage"], "resources": [],
        "title": { "en": "Storage system fs19 down", "de": "Speichersystem fs19 ausgefallen" },
        "body": { "en": "We are investigating.", "de": "Wir untersuchen das." },
    });
    let (status, body) = send_json(port, "POST", "/api/incidents", Some(TOKEN), &alert);
    assert_eq!(status, 200, "{body}");
    assert!(data_dir.join("status/de/index.html").is_file());
    let german = [("Accept-Language", "de-DE,de;q=0.9")];
    let (status, head, live) = http_get(port, "/status", &german);
    assert_eq!(status, 200);
    assert!(!head.to_ascii_lowercase().contains("x-kontor-snapshot"), "live while the database answers");
    assert!(live.contains("Speichersystem fs19 ausgefallen"));

    cluster.halt().expect("PostgreSQL stops");
    let (status, head, page) = http_get(port, "/status", &german);
    assert_eq!(status, 200, "{page}");
    assert!(head.to_ascii_lowercase().contains("x-kontor-snapshot: 1"), "{head}");
    assert!(
        page.contains("<html lang=\"de\">") && page.contains("Speichersystem fs19 ausgefallen"),
        "{page}"
    );
    assert!(page.contains("Wir untersuchen das."));
    let (status, _, page) = http_get(port, "/status?lang=de", &[]);
    assert_eq!(status, 200);
    assert!(page.contains("Speichersystem fs19 ausgefallen"));
    let (status, head, atom) = http_get(port, "/status/feed.atom?lang=de", &[]);
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("application/atom+xml"));
    assert!(atom.contains("xml:lang=\"de\"") && atom.contains("Speichersystem fs19 ausgefallen"));
    let (status, _, feed) = http_get(port, "/status/feed.json?lang=de", &[]);
    assert_eq!(status, 200);
    let feed: serde_json::Value = serde_json::from_str(&feed).unwrap();
    assert_eq!(feed["language"], "de");
    let (status, _, health) = http_get(port, "/healthz", &german);
    assert_eq!(status, 503, "{health}");
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["down"], json!(["database"]));
    assert_eq!(health["status_page"], "snapshot");

    cluster.resume().expect("PostgreSQL starts again");
    assert!(
        crate::support::eventually(30, || http_get(port, "/healthz", &[]).0 == 200),
        "healthy again without a restart"
    );
    let (status, head, page) = http_get(port, "/status", &german);
    assert_eq!(status, 200);
    assert!(!head.to_ascii_lowercase().contains("x-kontor-snapshot"), "live again: {head}");
    assert!(page.contains("Speichersystem fs19 ausgefallen"));

    server.kill().unwrap();
    server.wait().unwrap();
    drop(cluster);
    let _ = std::fs::remove_dir_all(&data_dir);
}
