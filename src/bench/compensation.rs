//! `kontor bench compensation`: one incident on one storage system affecting N customers:
//! the notices queued when it opens and resolves (beside the same number of plain outbox
//! INSERTs, the database's limit), the preview, the issue step (credits per second), and
//! compensation letters rendered per second.

use std::time::Instant;

use chrono::Duration;
use diesel::prelude::*;

use super::{BENCH_DATABASE, BenchError, Measurement, Report, peak_rss_kib};
use crate::audit::Actor;
use crate::config::Settings;
use crate::db::launcher::{ClusterOptions, LocalCluster, quote_identifier};
use crate::db::migrate;
use crate::incidents::incident::{Kind, NewIncident};
use crate::incidents::{Texts, compensation, incident, placements};

pub fn compensation(settings: &Settings, customers: i64) -> Result<Report, BenchError> {
    let mut options = ClusterOptions::new(&settings.data_dir);
    options.bin_dir = settings.pg_bin_dir.clone();
    options.service_user = settings.pg_user.clone();
    let cluster = LocalCluster::start(&options)?;
    let mut admin = PgConnection::establish(&cluster.database_url("postgres"))?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_identifier(BENCH_DATABASE)))
        .execute(&mut admin)?;
    cluster.ensure_database(BENCH_DATABASE)?;
    let url = cluster.database_url(BENCH_DATABASE);
    let mut conn = PgConnection::establish(&url)?;
    migrate(&mut conn)?;
    let month: crate::invoicing::BillingMonth = "2026-12".parse().map_err(|_| BenchError::BatchSize)?;
    let mut report = Report { title: "compensation".to_owned(), ..Report::default() };
    let started = Instant::now();
    crate::seed::customers(&mut conn, customers, month)?;
    // Everyone on one storage system, subscribed well before the incident.
    diesel::sql_query("UPDATE subscriptions SET created_at = now() - interval '60 days', status = 'active', trial_ends_on = NULL")
        .execute(&mut conn)?;
    let fail = |e: crate::incidents::IncidentError| BenchError::Invoicing(e.to_string());
    placements::ensure_resource(&mut conn, "fs19", "storage").map_err(fail)?;
    diesel::sql_query("DELETE FROM placements").execute(&mut conn)?;
    diesel::sql_query(
        "INSERT INTO placements (subscription_id, customer_id, resource_id, placed_from)
         SELECT s.id, s.customer_id, (SELECT id FROM resources WHERE code = 'fs19'), s.created_at FROM subscriptions s",
    )
    .execute(&mut conn)?;
    report.measurements.push(Measurement {
        label: "seed customers, subscriptions and placements".to_owned(),
        entries: customers as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    let now = settings.clock.now();
    let site = settings.site();
    let texts = |s: &str| Texts::parse([("en".to_owned(), s.to_owned())]).map_err(fail);
    let new = NewIncident {
        kind: Kind::Incident,
        severity: "critical".to_owned(),
        title: texts("Storage system fs19 down")?,
        services: vec!["storage".to_owned()],
        resources: vec!["fs19".to_owned()],
        started_at: now - Duration::hours(30),
        ended_at: None,
        status: "investigating".to_owned(),
        body: texts("Investigating")?,
        offer: None,
        idempotency_key: None,
    };
    let actor = Actor::system("bench");
    let resolved = texts("Resolved")?;
    // The peer: as many plain outbox rows in one statement (rolled back), the most a notice can
    // cost the database.
    let started = Instant::now();
    let _ = conn.transaction(|c| {
        diesel::sql_query(
            "INSERT INTO mail_outbox (idempotency_key, message_id, recipient, language, subject, text_body, html_body)
             SELECT 'bench:' || s.id, 'bench.' || s.id || '@kontor.invalid', c.email, c.language,
                    'Service notice', repeat('x', 600), repeat('x', 1800)
               FROM subscriptions s JOIN customers c ON c.id = s.customer_id",
        )
        .execute(c)?;
        Err::<(), _>(diesel::result::Error::RollbackTransaction)
    });
    report.measurements.push(Measurement {
        label: "peer: plain outbox INSERT of as many rows (rolled back)".to_owned(),
        entries: customers as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    let started = Instant::now();
    let id = conn
        .transaction(|c| incident::open(c, &site, &new, &actor, now - Duration::hours(30)))
        .map_err(fail)?;
    let queued = |c: &mut PgConnection| -> Result<i64, BenchError> {
        Ok(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "SELECT count(*) FROM mail_outbox WHERE idempotency_key LIKE 'incident-notice:%'",
        )
        .get_result(c)?)
    };
    report.measurements.push(Measurement {
        label: "incident opened: notices queued (own window, own zone)".to_owned(),
        entries: queued(&mut conn)? as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    let started = Instant::now();
    conn.transaction(|c| {
        incident::resolve(c, &site, id, Some(now - Duration::hours(2)), &resolved, None, &actor, now)
    })
    .map_err(fail)?;
    report.measurements.push(Measurement {
        label: "incident resolved: notices queued".to_owned(),
        entries: queued(&mut conn)? as usize / 2,
        seconds: started.elapsed().as_secs_f64(),
    });
    let started = Instant::now();
    let preview = compensation::preview(&mut conn, id, &settings.billing().seller, now).map_err(fail)?;
    report.measurements.push(Measurement {
        label: "compensation preview".to_owned(),
        entries: preview.affected,
        seconds: started.elapsed().as_secs_f64(),
    });
    let pool = crate::db::pool(&url, 2)?;
    let started = Instant::now();
    let issued =
        compensation::issue(&pool, &site, &settings.billing().seller, id, &actor, now).map_err(fail)?;
    report.measurements.push(Measurement {
        label: "compensation issue (ledger entries, grants, emails)".to_owned(),
        entries: issued.credits,
        seconds: started.elapsed().as_secs_f64(),
    });
    // Letters: composed and rendered as a customer asking for theirs would have it (not kept).
    let sample: Vec<i64> = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT DISTINCT customer_id FROM compensation_grants ORDER BY 1 LIMIT 2000",
    )
    .load(&mut conn)?;
    let started = Instant::now();
    for customer in &sample {
        let letter = crate::letters::compensation::compose(
            &mut conn,
            *customer,
            id,
            &settings.seller.name,
            &settings.billing().seller,
            now,
        )
        .map_err(|e| BenchError::Invoicing(e.to_string()))?;
        crate::letters::compensation::render(&letter).map_err(|e| BenchError::Invoicing(e.to_string()))?;
    }
    report.measurements.push(Measurement {
        label: "compensation letters composed and rendered (PDF)".to_owned(),
        entries: sample.len(),
        seconds: started.elapsed().as_secs_f64(),
    });
    report.notes.push(format!("totals: {:?}", preview.totals));
    report.peak_rss_kib = peak_rss_kib();
    Ok(report)
}
