//! Where the platform says customers live: the placements API (bulk, per-row results,
//! idempotent), the nightly CSV import through the same rows, the sign-ups nobody placed, and
//! an incident that affects exactly those placed on its resource at the time.

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use kontor::incidents::{compensation, platform_moves};
use serde_json::json;

use crate::support::incidents::{outage, send_json, unplaced_customers};
use crate::support::{PROVISIONING_TOKEN, TestDb, TestServer, count};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn put(port: u16, token: Option<&str>, rows: &serde_json::Value) -> (u16, serde_json::Value) {
    let (status, body) = send_json(port, "PUT", "/api/placements", token, rows);
    (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
}

fn outcomes(answer: &serde_json::Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"].as_str().unwrap_or(r["outcome"].as_str().unwrap()).to_owned())
        .collect()
}

#[test]
fn the_platform_places_customers_in_bulk_a_bad_row_is_named_and_a_repeat_changes_nothing() {
    let db = TestDb::new();
    let customers = unplaced_customers(&db, 4);
    let server = TestServer::start(&db);
    let number = |i: usize| kontor::invoicing::customer_number(customers[i].0);
    assert_eq!(platform_moves::unplaced(&mut db.conn(), 100).unwrap().1, 4, "nobody is placed yet");
    let rows = json!([
        { "customer": number(0), "resource": "fs19", "service": "storage", "moved_at": "2026-10-01T00:00:00Z" },
        // By mailbox, written as the platform writes it.
        { "mailbox": customers[1].1.to_uppercase(), "resource": "fs19", "moved_at": "2026-10-01T00:00:00Z" },
        { "customer": "K999999", "resource": "fs19", "moved_at": "2026-10-01T00:00:00Z" },
        { "customer": number(2), "resource": "fs77", "moved_at": "2026-10-01T00:00:00Z" },
        { "customer": number(2), "resource": "nmail5", "service": "mail", "moved_at": "not a time" },
        { "customer": number(2), "resource": "nmail5", "service": "mail", "moved_at": "2026-10-02T00:00:00Z" },
    ]);
    assert_eq!(put(server.port, None, &rows).0, 401, "the API wants the platform's token");
    let (status, answer) = put(server.port, Some(PROVISIONING_TOKEN), &rows);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        outcomes(&answer),
        [
            "placed",
            "placed",
            "placement-error-unknown-customer",
            "incident-error-unknown-resource",
            "incident-error-invalid",
            "placed"
        ]
    );
    assert_eq!((answer["applied"].as_i64(), answer["refused"].as_i64()), (Some(3), Some(3)));
    assert!(answer["results"][4]["detail"].as_str().unwrap().contains("moved_at"), "{answer}");
    let placements = count(&db, "SELECT count(*) AS n FROM placements");
    assert_eq!(placements, 3);
    let (unplaced, total) = platform_moves::unplaced(&mut db.conn(), 100).unwrap();
    assert_eq!((total, unplaced[0].customer_id), (1, customers[3].0), "the fourth is still unplaced");
    // Support sees who the platform has not placed yet.
    let mut support = crate::support::accounts::staff_browser(
        &server,
        &db,
        "sue@kontor.example",
        kontor::accounts::Role::Support,
    );
    let page = support.get("/backoffice/incidents");
    assert_eq!(page.status, 200);
    let listed = page.body.split("id=\"unplaced\"").nth(1).unwrap();
    assert!(listed.contains(": 1</h2>") && listed.contains(&customers[3].1), "{listed}");
    assert!(!listed.contains(&customers[0].1), "placed customers are not listed");

    // The same request again (a retry): every good row is already there.
    let (status, again) = put(server.port, Some(PROVISIONING_TOKEN), &rows);
    assert_eq!(status, 200);
    assert_eq!(outcomes(&again)[..2], ["unchanged", "unchanged"]);
    assert_eq!(outcomes(&again)[5], "unchanged");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM placements"), placements);

    // A move, then the older row sent late: history is appended to, never rewritten.
    let moves = json!([
        { "customer": number(0), "resource": "fs20", "service": "storage", "moved_at": "2026-11-03T15:00:00Z" },
        { "customer": number(0), "resource": "fs19", "moved_at": "2026-10-01T00:00:00Z" },
        { "customer": number(0), "resource": "fs19", "moved_at": "2026-10-15T00:00:00Z" },
    ]);
    let (_, moved) = put(server.port, Some(PROVISIONING_TOKEN), &moves);
    assert_eq!(outcomes(&moved), ["moved", "unchanged", "placement-error-order"]);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM placements WHERE placed_until = '2026-11-03T15:00:00Z'"),
        1
    );

    // Not an array, or too large: refused whole, with a reason.
    assert_eq!(put(server.port, Some(PROVISIONING_TOKEN), &json!({"rows": []})).0, 400);
}

#[test]
fn a_move_mid_incident_splits_the_window_and_the_nightly_csv_applies_the_same_rows() {
    let db = TestDb::new();
    let customers = unplaced_customers(&db, 2);
    let number = |i: usize| kontor::invoicing::customer_number(customers[i].0);
    let dir = crate::support::scratch_dir("placements-csv");
    std::fs::create_dir_all(&dir).unwrap();
    let import = |name: &str, text: String| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        crate::support::kontor_command()
            .args(["placements", "import"])
            .arg(&file)
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap()
    };
    let night = format!(
        "customer,mailbox,resource,service,moved_at\n{},,fs19,storage,2026-10-01T00:00:00Z\n,{},fs19,,2026-10-01T00:00:00Z\n",
        number(0),
        customers[1].1
    );
    let out = import("night1.csv", night.clone());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 placed, 0 moved, 0 unchanged, 0 refused"));
    // The next night: the same rows (nothing new), a bad line, and a move at 15:00 on the 3rd.
    let next = format!(
        "{night}K999999,,fs19,,2026-10-01T00:00:00Z\n{},,fs20,storage,2026-11-03T15:00:00Z\n",
        number(0)
    );
    let out = import("night2.csv", next);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 placed, 1 moved, 2 unchanged, 1 refused"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 4"), "the bad line is named");

    // fs19 down 10:00-20:00 on the 3rd: the first customer was on it until 15:00, the second
    // all along.
    let id = outage(&db, at(3, 10), at(3, 20), None);
    let mut conn = db.conn();
    let now = at(20, 0);
    let subject = compensation::subject(&mut conn, id, now).unwrap();
    let affected = compensation::affected_subscriptions(&mut conn, id).unwrap();
    let policies = compensation::policies(&mut conn).unwrap();
    let assessed = compensation::assess(
        &mut conn,
        &subject,
        &affected,
        &policies,
        &crate::support::incidents::seller(),
        now,
    )
    .unwrap();
    let downtime = |customer: i64| {
        assessed.iter().find(|a| a.customer_id == customer).map(|a| a.downtime_seconds).unwrap()
    };
    assert_eq!(downtime(customers[0].0), 5 * 3600);
    assert_eq!(downtime(customers[1].0), 10 * 3600);
    // An incident on fs20 before the move touches nobody.
    let before = outage(&db, at(2, 10), at(2, 20), None);
    diesel::sql_query(format!(
        "UPDATE incident_resources SET resource_id = (SELECT id FROM resources WHERE code = 'fs20') WHERE incident_id = {before}"
    ))
    .execute(&mut conn)
    .unwrap();
    assert!(compensation::affected_subscriptions(&mut conn, before).unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
