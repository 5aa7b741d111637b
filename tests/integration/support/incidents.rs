//! Shared test helpers of the incidents capability: what its tests and other capabilities' tests use.

use crate::support::TestDb;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kontor::audit::Actor;
use kontor::incidents::Texts;
use kontor::incidents::incident::{self, Kind, NewIncident, StorageOffer};

/// An incident on fs19 from `start` to `end`, resolved, optionally offering storage.
pub fn outage(db: &TestDb, start: DateTime<Utc>, end: DateTime<Utc>, offer: Option<StorageOffer>) -> i64 {
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

pub fn site() -> kontor::site::Site {
    kontor::config::Settings::from_lookup(|_| None).unwrap().site()
}

pub fn texts(pairs: &[(&str, &str)]) -> Texts {
    Texts::parse(pairs.iter().map(|(l, t)| (l.to_string(), t.to_string()))).unwrap()
}
