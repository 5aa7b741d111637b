//! Shared test helpers of the incidents capability: what its tests and other capabilities' tests use.

use crate::support::TestDb;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kontor::audit::Actor;
use kontor::incidents::Texts;
use kontor::incidents::incident::{self, Kind, NewIncident, Offer, StorageOffer};

/// A critical incident on storage (fs19), opened two hours before `now()` (07:00 UTC), in
/// English and German, through the same call the back office and monitoring make; `site`
/// makes the links of the emails it queues.
pub fn open_storage_incident(db: &TestDb, site: &kontor::site::Site) -> i64 {
    let now = crate::support::now();
    kontor::incidents::placements::ensure_resource(&mut db.conn(), "fs19", "storage").unwrap();
    let new = NewIncident {
        kind: Kind::Incident,
        severity: "critical".into(),
        title: texts(&[("en", "Storage system fs19 down"), ("de", "Speichersystem fs19 ausgefallen")]),
        services: vec!["storage".into()],
        resources: vec!["fs19".into()],
        started_at: now - chrono::Duration::hours(2),
        ended_at: None,
        status: "investigating".into(),
        body: texts(&[("en", "We are investigating."), ("de", "Wir untersuchen das.")]),
        offer: None,
        idempotency_key: None,
    };
    db.conn().transaction(|c| incident::open(c, site, &new, &Actor::system("test"), now)).unwrap()
}

/// An incident on fs19 from `start` to `end`, resolved, optionally offering storage.
pub fn outage(db: &TestDb, start: DateTime<Utc>, end: DateTime<Utc>, offer: Option<StorageOffer>) -> i64 {
    outage_offering(db, start, end, offer.map(Into::into))
}

/// An incident on fs19 from `start` to `end`, resolved, offering `offer`'s alternatives.
pub fn outage_offering(db: &TestDb, start: DateTime<Utc>, end: DateTime<Utc>, offer: Option<Offer>) -> i64 {
    let new = NewIncident {
        kind: Kind::Incident,
        severity: "critical".into(),
        title: texts(&[("en", "Storage system fs19 down"), ("de", "Speichersystem fs19 ausgefallen")]),
        services: vec!["storage".into()],
        resources: vec!["fs19".into()],
        started_at: start,
        ended_at: None,
        status: "investigating".into(),
        body: texts(&[("en", "We are investigating."), ("de", "Wir untersuchen das.")]),
        offer,
        idempotency_key: None,
    };
    let actor = Actor::system("test");
    db.conn()
        .transaction(|c| {
            let id = incident::open(c, &site(), &new, &actor, start)?;
            incident::resolve(c, &site(), id, Some(end), &texts(&[("en", "Fixed.")]), None, &actor, end)?;
            Ok::<_, kontor::incidents::IncidentError>(id)
        })
        .unwrap()
}

/// The seller of the default settings, whose VAT rules price a free month.
pub fn seller() -> kontor::tax::Seller {
    kontor::config::Settings::from_lookup(|_| None).unwrap().billing().seller
}

pub fn site() -> kontor::site::Site {
    kontor::config::Settings::from_lookup(|_| None).unwrap().site()
}

pub fn texts(pairs: &[(&str, &str)]) -> Texts {
    Texts::parse(pairs.iter().map(|(l, t)| (l.to_string(), t.to_string()))).unwrap()
}

/// Sends JSON with `method` and an optional bearer token; returns status and body.
pub fn send_json(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &serde_json::Value,
) -> (u16, String) {
    use std::io::{Read, Write};
    let body = body.to_string();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap(), body.to_owned())
}

/// `n` paying customers subscribed since October and placed nowhere: where they live is for
/// the platform to say.
pub fn unplaced_customers(db: &TestDb, n: i64) -> Vec<(i64, String)> {
    assert_eq!(kontor::seed::customers(&mut db.conn(), n, "2026-12".parse().unwrap()).unwrap(), n);
    diesel::sql_query(
        "UPDATE subscriptions SET created_at = '2026-10-01T00:00:00Z', trial_ends_on = NULL, status = 'active'",
    )
    .execute(&mut db.conn())
    .unwrap();
    diesel::sql_query("DELETE FROM placements").execute(&mut db.conn()).unwrap();
    kontor::db::schema::customers::table
        .order(kontor::db::schema::customers::id)
        .select((kontor::db::schema::customers::id, kontor::db::schema::customers::email))
        .load(&mut db.conn())
        .unwrap()
}
