//! `kontor demo` end to end, as a person runs it: local database, migrations, demo data,
//! the portal serving, and Ctrl-C leaving nothing behind.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::support::{eventually, gone, http_get, scratch_dir};

#[test]
fn demo_serves_a_localized_portal_and_ctrl_c_leaves_no_postgres() {
    let data_dir = scratch_dir("demo");
    let mut child = crate::support::kontor_command()
        .arg("demo")
        .env_remove("DATABASE_URL")
        .env("KONTOR_DATA_DIR", &data_dir)
        .env("KONTOR_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok);
    let mut printed = Vec::new();
    let url = loop {
        let line = lines.next().expect("demo prints its address before serving");
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break url.to_owned();
        }
        printed.push(line);
    };
    assert!(printed.iter().any(|l| l.contains("anna.schmidt@de.example")), "{printed:?}");
    let port: u16 = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();

    let (status, _, body) = http_get(port, "/healthz", &[]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"database\":\"ok\""), "{body}");
    let (status, head, body) = http_get(port, "/", &[("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")]);
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-language: de"), "{head}");
    assert!(body.contains("<html lang=\"de\">") && body.contains("Erster Monat kostenlos"), "{body}");

    let postmaster: i32 = std::fs::read_to_string(data_dir.join("pg/postmaster.pid"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: SIGINT to our own child, as Ctrl-C in a terminal would send.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert!(eventually(60, || child.try_wait().unwrap().is_some()), "demo exits on Ctrl-C");
    assert!(child.wait().unwrap().success());
    assert!(gone(postmaster), "no postgres process is left");
    assert!(!data_dir.join("pg/postmaster.pid").exists());

    // Loading the demo again duplicates nothing: `kontor migrate` + verify over the same folder.
    let verify = crate::support::kontor_command()
        .args(["ledger", "verify"])
        .env_remove("DATABASE_URL")
        .env("KONTOR_DATA_DIR", &data_dir)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success() && report.contains("journal entries"), "{report}");

    // The demo's bank statement pays some of its invoices: finance's first import.
    let statement = printed
        .iter()
        .find_map(|l| l.split_whitespace().find(|w| w.ends_with("camt053.xml:")))
        .expect("the demo names its bank statement")
        .trim_end_matches(':')
        .to_owned();
    let import = |data_dir: &std::path::Path| {
        crate::support::kontor_command()
            .args(["bank", "import", &statement])
            .env_remove("DATABASE_URL")
            .env("KONTOR_DATA_DIR", data_dir)
            .output()
            .unwrap()
    };
    let first = import(&data_dir);
    let summary = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success() && summary.contains("1 paid, 1 partly paid, 1 overpaid, 2 unmatched"),
        "{summary} {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = import(&data_dir);
    assert!(String::from_utf8_lossy(&second.stdout).contains("5 already imported"));
    std::fs::remove_dir_all(&data_dir).unwrap();
}

#[test]
fn commands_that_issue_documents_refuse_the_demo_company_s_bank_details() {
    let db = crate::support::TestDb::new();
    crate::support::invoicing::seed(&db, 2);
    let out = scratch_dir("demo-seller").join("collection.xml");
    let period = crate::support::invoicing::PERIOD;
    for args in [
        vec!["serve"],
        vec!["billing", "run", "--period", period],
        vec!["sepa", "export", "--collection-date", "2026-12-31", "--out", out.to_str().unwrap()],
    ] {
        let mut command = crate::support::kontor_command();
        for (variable, _) in crate::support::SELLER {
            command.env_remove(variable);
        }
        let output = command.args(&args).env("DATABASE_URL", db.url()).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} must not start: {stderr}");
        for variable in [
            "KONTOR_SELLER_IBAN",
            "KONTOR_SELLER_CHF_IBAN",
            "KONTOR_SEPA_CREDITOR_ID",
            "KONTOR_SELLER_VAT_ID",
        ] {
            assert!(stderr.contains(variable), "{args:?} names {variable}: {stderr}");
        }
    }
    assert_eq!(crate::support::count(&db, "SELECT count(*) AS n FROM invoices"), 0, "nothing was issued");
    assert!(!out.exists(), "no collection file was written");
    // With the seller's own details the same run issues the invoices.
    let output = crate::support::kontor_command()
        .args(["billing", "run", "--period", period])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(crate::support::count(&db, "SELECT count(*) AS n FROM invoices"), 2);
}
