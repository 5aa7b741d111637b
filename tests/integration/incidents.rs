//! Incidents, the status page and compensation against a real PostgreSQL: credits granted
//! exactly once however often and however concurrently finance issues them, choices honoured
//! until the deadline, the status page and feeds in every language, and the next invoice
//! naming the incident the credit came from.

use std::process::Command;

use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::prelude::*;
use kontor::audit::Actor;
use kontor::incidents::incident::{self, Kind, NewIncident, StorageOffer};
use kontor::incidents::{Texts, compensation};
use rust_decimal::Decimal;

use crate::support::incidents::{outage, seller, site, texts};
use crate::support::{Amount, Line, TestDb, TestServer, count};

const PERIOD: &str = "2026-12";

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

/// `n` paying customers subscribed since October, spread over the demo resources.
fn customers(db: &TestDb, n: i64) {
    assert_eq!(kontor::seed::customers(&mut db.conn(), n, PERIOD.parse().unwrap()).unwrap(), n);
    diesel::sql_query(
        "UPDATE subscriptions SET created_at = '2026-10-01T00:00:00Z', trial_ends_on = NULL, status = 'active'",
    )
    .execute(&mut db.conn())
    .unwrap();
    diesel::sql_query("UPDATE placements SET placed_from = '2026-10-01T00:00:00Z'")
        .execute(&mut db.conn())
        .unwrap();
}

fn on_fs19(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT count(DISTINCT p.subscription_id) AS n FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19'",
    )
}

#[test]
fn issuing_twice_or_from_two_threads_at_once_grants_each_credit_exactly_once() {
    let db = TestDb::new();
    customers(&db, 30);
    // 36 hours of November's 720 down: exactly 95 % available -> the 25 % tier, not 50 %.
    let id = outage(&db, at(3, 10), at(4, 22), None);
    let now = at(20, 0);
    let affected = on_fs19(&db);
    assert!(affected >= 10, "seed spreads customers over fs19 and fs20: {affected}");
    let preview = compensation::preview(&mut db.conn(), id, &seller(), now).unwrap();
    assert_eq!(preview.affected as i64, affected);
    assert_eq!(preview.credited as i64, affected);
    assert_eq!(preview.downtime.get("24-72h").copied(), Some(affected as usize));
    let pool = db.pool();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                compensation::issue(&pool, &site(), &seller(), id, &Actor::system("test"), now).unwrap()
            })
        })
        .collect();
    let reports: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(reports.iter().map(|r| r.credits as i64).sum::<i64>(), affected, "{reports:?}");
    let again = compensation::issue(&pool, &site(), &seller(), id, &Actor::system("test"), now).unwrap();
    assert_eq!((again.granted, again.already as i64), (0, affected));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM compensation_grants"), affected);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM journal_entries WHERE kind = 'compensation_granted'"),
        affected
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM compensation_grants WHERE percent <> 25"), 0);
    // 25 % of the monthly fee, per currency: the ledger's expense equals the grants.
    let mismatched = count(
        &db,
        "SELECT count(*) AS n FROM (
           SELECT g.currency, sum(g.amount) AS granted,
                  (SELECT sum(p.amount) FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
                    WHERE a.code = '6890-' || g.currency) AS booked
             FROM compensation_grants g GROUP BY g.currency) t WHERE granted <> booked OR granted <= 0",
    );
    assert_eq!(mismatched, 0);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'compensation:%'"),
        affected
    );
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
    // The CLI agrees: issuing once more grants nothing new; the ledger verifies clean.
    let out = crate::support::kontor_command()
        .args(["compensation", "issue", "--incident", &id.to_string()])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 credit(s)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let verify = crate::support::kontor_command()
        .args(["ledger", "verify"])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
}

#[test]
fn a_choice_before_the_deadline_is_honoured_and_the_default_applies_after_it() {
    let db = TestDb::new();
    customers(&db, 12);
    let deadline = at(25, 0);
    let offer = StorageOffer { deadline, storage_gb: 50, months: 3 };
    let id = outage(&db, at(3, 10), at(3, 20), Some(offer));
    let subscriptions: Vec<(i64, i64)> = diesel::sql_query(
        "SELECT DISTINCT p.subscription_id AS id, p.customer_id AS n FROM placements p
           JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19' ORDER BY 1",
    )
    .load::<Pair>(&mut db.conn())
    .unwrap()
    .into_iter()
    .map(|p| (p.id, p.n))
    .collect();
    assert!(subscriptions.len() >= 3);
    let (chooser_sub, chooser) = subscriptions[0];
    let (late_sub, late) = subscriptions[1];
    compensation::choose(&mut db.conn(), chooser, id, "storage", &seller(), deadline - Duration::hours(1))
        .unwrap();
    // The chooser has no paid packs of their own, so any storage pack on their invoice is ours.
    diesel::sql_query(format!("DELETE FROM subscription_packs WHERE subscription_id = {chooser_sub}"))
        .execute(&mut db.conn())
        .unwrap();
    let refused =
        compensation::choose(&mut db.conn(), late, id, "storage", &seller(), deadline + Duration::seconds(1));
    assert!(matches!(refused, Err(kontor::incidents::IncidentError::ChoiceClosed)), "{refused:?}");
    // A customer not affected cannot choose.
    let stranger: i64 = count(
        &db,
        "SELECT min(customer_id) AS n FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs20' AND p.customer_id NOT IN (SELECT customer_id FROM placements p2 JOIN resources r2 ON r2.id = p2.resource_id WHERE r2.code = 'fs19')",
    );
    assert!(compensation::choose(&mut db.conn(), stranger, id, "credit", &seller(), at(20, 0)).is_err());

    // Before the deadline only the customer who chose is granted; the others may still choose.
    let pool = db.pool();
    let early =
        compensation::issue(&pool, &site(), &seller(), id, &Actor::system("test"), at(24, 0)).unwrap();
    assert_eq!((early.storage, early.credits), (1, 0), "{early:?}");
    assert_eq!(early.pending_choice, subscriptions.len() - 1);
    // The storage is given: a complimentary 50 GB pack from today for three months, announced.
    let packs = |db: &TestDb| {
        count(
            db,
            &format!(
                "SELECT count(*) AS n FROM subscription_packs k JOIN compensation_grants g ON g.id = k.grant_id
                  WHERE k.subscription_id = {chooser_sub} AND g.incident_id = {id}
                    AND k.plan_code = 'storage_pack_50gb' AND k.starts_on = '2026-11-24' AND k.ends_on = '2027-02-24'"
            ),
        )
    };
    assert_eq!(packs(&db), 1);
    let events = |db: &TestDb| {
        count(
            db,
            &format!(
                "SELECT count(*) AS n FROM provisioning_events WHERE customer_id = {chooser}
                  AND kind = 'pack_added' AND details->>'complimentary' = 'true'"
            ),
        )
    };
    assert_eq!(events(&db), 1);
    let storage_gb = count(
        &db,
        &format!(
            "SELECT storage_gb::bigint AS n FROM provisioning_events WHERE customer_id = {chooser} ORDER BY sequence DESC LIMIT 1"
        ),
    );
    assert!(storage_gb >= 50, "the entitlement includes the pack: {storage_gb}");
    // After it, the default (a credit) for everyone else; the chooser keeps storage.
    let late_run = compensation::issue(
        &pool,
        &site(),
        &seller(),
        id,
        &Actor::system("test"),
        deadline + Duration::hours(1),
    )
    .unwrap();
    assert_eq!((late_run.credits, late_run.pending_choice), (subscriptions.len() - 1, 0), "{late_run:?}");
    // Issuing again (and again) makes no second pack and no second event.
    compensation::issue(&pool, &site(), &seller(), id, &Actor::system("test"), deadline + Duration::hours(2))
        .unwrap();
    assert_eq!((packs(&db), events(&db)), (1, 1));
    // December's invoice bills the chooser's plan but nothing for the complimentary pack.
    bill_december(&db);
    let invoiced = count(&db, &format!("SELECT count(*) AS n FROM invoices WHERE customer_id = {chooser}"));
    assert_eq!(invoiced, 1);
    let pack_lines = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
              WHERE i.customer_id = {chooser} AND l.plan_code LIKE 'storage_pack%'"
        ),
    );
    assert_eq!(pack_lines, 0, "a complimentary pack is never billed");
    let option = |sub: i64| -> (String, Option<i64>) {
        kontor::db::schema::compensation_grants::table
            .filter(kontor::db::schema::compensation_grants::subscription_id.eq(sub))
            .select((
                kontor::db::schema::compensation_grants::option,
                kontor::db::schema::compensation_grants::ledger_entry_id,
            ))
            .first(&mut db.conn())
            .unwrap()
    };
    let (chosen, entry) = option(chooser_sub);
    assert_eq!((chosen.as_str(), entry), ("storage", None), "storage is not money: no ledger entry");
    let (default, entry) = option(late_sub);
    assert_eq!(default, "credit");
    assert!(entry.is_some());
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

#[derive(QueryableByName)]
struct Pair {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[test]
fn the_status_page_and_its_feeds_speak_every_language_and_the_atom_feed_is_valid_xml() {
    let db = TestDb::new();
    customers(&db, 4);
    let now = crate::support::now();
    let new = NewIncident {
        kind: Kind::Incident,
        severity: "major".into(),
        title: texts(&[("en", "Mail delays on nmail5 & co <b>"), ("de", "Verzögerte E-Mails auf nmail5")]),
        services: vec!["mail".into()],
        resources: vec!["nmail5".into()],
        started_at: now - Duration::hours(1),
        ended_at: None,
        status: "identified".into(),
        body: texts(&[
            ("en", "A disk array is rebuilding."),
            ("de", "Ein Plattenverbund wird neu aufgebaut."),
        ]),
        offer: None,
        idempotency_key: None,
    };
    db.conn().transaction(|c| incident::open(c, &site(), &new, &Actor::system("test"), now)).unwrap();
    let server = TestServer::start(&db);
    let mut visitor = server.browser();
    let scratch = crate::support::scratch_dir("atom");
    std::fs::create_dir_all(&scratch).unwrap();
    for code in kontor::i18n::LANGUAGES {
        let lang = kontor::i18n::Lang::supported(code).unwrap();
        visitor.accept_language = code.to_owned();
        let page = visitor.get("/status");
        assert_eq!(page.status, 200, "{code}");
        assert!(page.body.contains(&kontor::i18n::t(&lang, "status-current")), "{code}: {}", page.body);
        assert!(page.body.contains(&kontor::i18n::t(&lang, "incident-status-identified")), "{code}");
        let (title, body) = if code == "de" {
            ("Verzögerte E-Mails auf nmail5", "Ein Plattenverbund wird neu aufgebaut.")
        } else {
            ("Mail delays on nmail5 &amp; co &lt;b&gt;", "A disk array is rebuilding.")
        };
        assert!(page.body.contains(title) && page.body.contains(body), "{code}: {}", page.body);
        assert!(!page.body.contains("<b>"), "titles are escaped");

        let atom = visitor.get(&format!("/status/feed.atom?lang={code}"));
        assert_eq!(atom.status, 200);
        assert!(atom.header("content-type").unwrap().starts_with("application/atom+xml"));
        assert!(atom.body.contains(&format!("xml:lang=\"{code}\"")));
        assert!(atom.body.contains(&kontor::i18n::t(&lang, "status-title")));
        let file = scratch.join(format!("status-{code}.xml"));
        std::fs::write(&file, &atom.body).unwrap();
        let lint = Command::new("xmllint")
            .arg("--noout")
            .arg(&file)
            .output()
            .expect("xmllint is installed (.ci/run)");
        assert!(lint.status.success(), "{code}: {}", String::from_utf8_lossy(&lint.stderr));

        let json = visitor.get(&format!("/status/feed.json?lang={code}"));
        assert_eq!(json.status, 200);
        let feed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(feed["language"], code);
        assert_eq!(feed["items"].as_array().unwrap().len(), 1);
        let item_title = feed["items"][0]["title"].as_str().unwrap();
        assert!(
            item_title.starts_with(if code == "de" { "Verzögerte" } else { "Mail delays" }),
            "{item_title}"
        );
    }
    // A broken feed would be caught: xmllint refuses what is not XML.
    let bad = scratch.join("bad.xml");
    std::fs::write(&bad, "<feed><entry></feed>").unwrap();
    assert!(!Command::new("xmllint").arg("--noout").arg(&bad).output().unwrap().status.success());
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn staff_run_an_incident_in_two_languages_and_the_next_invoice_names_the_credit() {
    use kontor::accounts::Role;
    let db = TestDb::new();
    customers(&db, 12);
    let server = TestServer::start(&db);
    // Support opens, updates in German and English, resolves; finance cannot edit.
    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let opened = support.post(
        "/backoffice/incidents",
        &[
            ("kind", "incident"),
            ("severity", "critical"),
            ("services", "storage"),
            ("resources", "fs19"),
            ("started_at", "2026-11-03T10:00"),
            ("status", "investigating"),
            ("title_en", "Storage system fs19 down"),
            ("body_en", "We are investigating."),
            ("title_de", "Speichersystem fs19 ausgefallen"),
            ("body_de", "Wir untersuchen das."),
        ],
    );
    assert_eq!(opened.status, 303, "{}", opened.body);
    let path = opened.location();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let updated = support.post(
        &format!("{path}/update"),
        &[
            ("status", "identified"),
            ("body_en", "A controller failed."),
            ("body_de", "Ein Controller ist ausgefallen."),
        ],
    );
    assert_eq!(updated.status, 303, "{}", updated.body);
    let resolved =
        support.post(&format!("{path}/resolve"), &[("ended_at", "2026-11-04T22:00"), ("body_en", "Fixed.")]);
    assert_eq!(resolved.status, 303, "{}", resolved.body);
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM audit_log WHERE target = 'incident:{id}'")), 3);
    let mut finance =
        crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    assert_eq!(
        finance.post(&format!("{path}/update"), &[("status", "monitoring"), ("body_en", "x")]).status,
        404
    );
    let shown = finance.get(&path);
    assert!(
        shown.body.contains("Ein Controller ist ausgefallen.") || shown.body.contains("A controller failed.")
    );
    assert!(shown.body.contains("/compensation"), "finance may issue: {}", shown.body);
    let issued = finance.submit(&format!("{path}/compensation"), &[]);
    assert_eq!(issued.status, 200);
    let affected = on_fs19(&db);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM compensation_grants WHERE amount > 0"), affected);

    // One affected customer reads German.
    diesel::sql_query(
        "UPDATE customers SET language = 'de' WHERE id = (SELECT min(p.customer_id) FROM placements p
           JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19')",
    )
    .execute(&mut db.conn())
    .unwrap();
    // December's invoices apply the credit and name the incident.
    bill_december(&db);
    let used = count(&db, "SELECT count(DISTINCT invoice_id) AS n FROM compensation_grant_uses");
    assert_eq!(used, affected, "every credited customer's next invoice consumed the grant");
    let over = count(
        &db,
        "SELECT count(*) AS n FROM compensation_grants g
          WHERE g.amount < (SELECT coalesce(sum(u.amount), 0) FROM compensation_grant_uses u WHERE u.grant_id = g.id)",
    );
    assert_eq!(over, 0, "no grant is consumed beyond its amount");
    let number: String = diesel::sql_query(
        "SELECT i.number AS s FROM invoices i JOIN compensation_grant_uses u ON u.invoice_id = i.id ORDER BY i.id LIMIT 1",
    )
    .get_result::<Line>(&mut db.conn())
    .unwrap()
    .s;
    let invoice = finance.get(&format!("/backoffice/invoices/{number}"));
    assert_eq!(invoice.status, 200);
    assert!(invoice.body.contains("Compensation for Storage system fs19 down"), "{}", invoice.body);
    // The PDF shows the same line where it prints the credit applied, in the customer's language.
    let language: String = diesel::sql_query("SELECT language AS s FROM invoices WHERE number = $1")
        .bind::<diesel::sql_types::Text, _>(&number)
        .get_result::<Line>(&mut db.conn())
        .unwrap()
        .s;
    let lang = kontor::i18n::Lang::supported(&language).unwrap();
    let title = texts(&[("en", "Storage system fs19 down"), ("de", "Speichersystem fs19 ausgefallen")]);
    let expected = kontor::i18n::t_args(
        &lang,
        "compensation-invoice-line",
        &[("title", title.get(&lang).to_owned().into())],
    );
    assert!(!expected.starts_with("compensation-"), "{expected}");
    let pdf = kontor::documents::store::pdf_of(&mut db.conn(), &number, None).unwrap();
    let text = crate::support::documents::pdf_text(
        &crate::support::documents::scratch("incident-pdf"),
        &number,
        &pdf.content,
    );
    crate::support::documents::assert_shows(&text, &expected, "compensation line on the PDF");
    // A German customer's invoice names the incident in German.
    let german: Line = diesel::sql_query(
        "SELECT i.number AS s FROM invoices i JOIN compensation_grant_uses u ON u.invoice_id = i.id
          WHERE i.language = 'de' ORDER BY i.id LIMIT 1",
    )
    .get_result::<Line>(&mut db.conn())
    .unwrap();
    let pdf = kontor::documents::store::pdf_of(&mut db.conn(), &german.s, None).unwrap();
    let text = crate::support::documents::pdf_text(
        &crate::support::documents::scratch("incident-pdf"),
        &german.s,
        &pdf.content,
    );
    crate::support::documents::assert_shows(
        &text,
        "Entschädigung für Speichersystem fs19 ausgefallen",
        "German PDF",
    );
    let applied: Decimal = diesel::sql_query("SELECT credit_applied AS n FROM invoices WHERE number = $1")
        .bind::<diesel::sql_types::Text, _>(&number)
        .get_result::<Amount>(&mut db.conn())
        .unwrap()
        .n;
    assert!(applied > Decimal::ZERO);
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

/// Runs December's invoice batch.
fn bill_december(db: &TestDb) {
    let settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    let run = crate::support::invoicing::Run::december();
    crate::support::invoicing::run_batch_as(db, &settings, crate::support::now(), &run);
}

#[test]
fn monitoring_opens_updates_and_resolves_from_the_command_line() {
    let db = TestDb::new();
    customers(&db, 2);
    let status_dir = crate::support::scratch_dir("cli-status");
    let kontor = |args: &[&str]| {
        let out = crate::support::kontor_command()
            .args(args)
            .env("DATABASE_URL", db.url())
            .env("KONTOR_STATUS_DIR", &status_dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let open = [
        "incident",
        "open",
        "--severity",
        "major",
        "--title",
        "en=Web server s639 down",
        "--title",
        "fr=Serveur web s639 en panne",
        "--text",
        "en=Investigating",
        "--resources",
        "s639",
        "--key",
        "alert-42",
    ];
    let id = kontor(&open);
    assert_eq!(kontor(&open), id, "a retried alert opens the incident once");
    kontor(&[
        "incident",
        "update",
        &id,
        "--status",
        "identified",
        "--text",
        "en=Power supply",
        "--text",
        "fr=Alimentation",
    ]);
    kontor(&["incident", "resolve", &id, "--text", "en=Back"]);
    // The static status page followed the command line's changes.
    let french = std::fs::read_to_string(status_dir.join("fr/index.html")).unwrap();
    assert!(french.contains("Serveur web s639 en panne") && french.contains("Alimentation"), "{french}");
    let _ = std::fs::remove_dir_all(&status_dir);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incidents"), 1);
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM incident_updates WHERE incident_id = {id}")),
        3
    );
    let preview: serde_json::Value =
        serde_json::from_str(&kontor(&["compensation", "preview", "--incident", &id])).unwrap();
    assert!(preview["affected"].as_u64().unwrap() >= 1);
    let refused = crate::support::kontor_command()
        .args([
            "incident",
            "open",
            "--severity",
            "major",
            "--title",
            "de=Nur Deutsch",
            "--text",
            "en=x",
            "--services",
            "mail",
        ])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(!refused.status.success(), "English is required");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incidents"), 1, "nothing written");
}

const INCIDENT_TOKEN: &str = "monitoring-token-0123456789abcdef";

/// POSTs JSON with an optional bearer token; returns status and body.
fn post_json(port: u16, path: &str, token: Option<&str>, body: &serde_json::Value) -> (u16, String) {
    crate::support::incidents::send_json(port, "POST", path, token, body)
}

#[test]
fn monitoring_uses_the_json_api_with_its_token() {
    let db = TestDb::new();
    customers(&db, 2);
    let settings = kontor::config::Settings::from_lookup(|name| match name {
        "KONTOR_BIND" => Some("127.0.0.1:0".to_owned()),
        "KONTOR_INCIDENT_TOKEN" => Some(INCIDENT_TOKEN.to_owned()),
        _ => None,
    })
    .unwrap();
    let pool = db.pool();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        let app = system.block_on(async { kontor::web::Application::build(&settings, pool) }).unwrap();
        sender.send((app.port(), app.handle())).unwrap();
        let _ = system.block_on(app.run_until_stopped());
    });
    let (port, handle) = receiver.recv().unwrap();
    let alert = serde_json::json!({
        "severity": "major", "title": {"en": "Mail cluster nmail5 slow", "sv": "E-postklustret nmail5 är långsamt"},
        "resources": ["nmail5"], "services": ["mail"], "body": {"en": "Queues are growing."}, "idempotency_key": "alert-7",
    });
    assert_eq!(post_json(port, "/api/incidents", None, &alert).0, 401);
    assert_eq!(post_json(port, "/api/incidents", Some("monitoring-token-0123456789abcdeX"), &alert).0, 401);
    let (status, body) = post_json(port, "/api/incidents", Some(INCIDENT_TOKEN), &alert);
    assert_eq!(status, 200, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["incident"].as_i64().unwrap();
    let (_, again) = post_json(port, "/api/incidents", Some(INCIDENT_TOKEN), &alert);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&again).unwrap()["incident"].as_i64(), Some(id));
    let update = serde_json::json!({"status": "monitoring", "body": {"en": "Draining.", "sv": "Töms."}});
    assert_eq!(
        post_json(port, &format!("/api/incidents/{id}/updates"), Some(INCIDENT_TOKEN), &update).0,
        200
    );
    let bad = serde_json::json!({"body": {"xx": "?"}});
    let (status, body) = post_json(port, &format!("/api/incidents/{id}/updates"), Some(INCIDENT_TOKEN), &bad);
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("incident-error-text"));
    let resolve = serde_json::json!({"body": {"en": "Normal again."}});
    assert_eq!(
        post_json(port, &format!("/api/incidents/{id}/resolve"), Some(INCIDENT_TOKEN), &resolve).0,
        200
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incidents"), 1);
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM incident_updates WHERE incident_id = {id}")),
        3
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'incident.%'"), 3);
    actix_web::rt::System::new().block_on(handle.stop(true));
}

#[test]
fn affected_customers_are_told_once_per_update_in_their_language_with_their_own_window_in_their_zone() {
    let db = TestDb::new();
    customers(&db, 12);
    let on_fs19 = customers_on_fs19(&db, 2);
    let (oslo, london) = (on_fs19[0], on_fs19[1]);
    diesel::sql_query(format!("UPDATE customers SET language = 'nb', country = 'NO' WHERE id = {oslo}"))
        .execute(&mut db.conn())
        .unwrap();
    diesel::sql_query(format!("UPDATE customers SET language = 'en', country = 'GB' WHERE id = {london}"))
        .execute(&mut db.conn())
        .unwrap();
    let elsewhere: i64 = count(
        &db,
        "SELECT min(customer_id) AS n FROM placements WHERE customer_id NOT IN
           (SELECT p.customer_id FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19')",
    );
    let id = outage(&db, at(3, 10), at(3, 12), None);
    let notices = |customer: i64| -> Vec<(String, String)> {
        #[derive(QueryableByName)]
        struct Mail {
            #[diesel(sql_type = diesel::sql_types::Text)]
            subject: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            text_body: String,
        }
        diesel::sql_query(format!(
            "SELECT o.subject, o.text_body FROM mail_outbox o JOIN customers c ON c.email = o.recipient
              WHERE c.id = {customer} AND o.idempotency_key LIKE 'incident-notice:%' ORDER BY o.id"
        ))
        .load::<Mail>(&mut db.conn())
        .unwrap()
        .into_iter()
        .map(|m| (m.subject, m.text_body))
        .collect()
    };
    assert_eq!(notices(oslo).len(), 2, "opened and resolved: service messages, no opt-in needed");
    assert_eq!(notices(london).len(), 2);
    assert!(notices(elsewhere).is_empty(), "not affected");
    // Telling again about the same update adds nothing: one email per customer and update.
    let updates: Vec<i64> = kontor::db::schema::incident_updates::table
        .filter(kontor::db::schema::incident_updates::incident_id.eq(id))
        .select(kontor::db::schema::incident_updates::id)
        .load(&mut db.conn())
        .unwrap();
    for update in updates {
        kontor::incidents::notices::tell_affected(&mut db.conn(), &site(), id, update, at(3, 12)).unwrap();
    }
    assert_eq!((notices(oslo).len(), notices(london).len()), (2, 2));
    // In her language, with her window in Oslo time; his in London time.
    let nb = kontor::i18n::Lang::supported("nb").unwrap();
    let (subject, opened) = &notices(oslo)[0];
    assert!(subject.starts_with("Driftsmelding"), "{subject}");
    assert!(opened.contains("fs19: 03.11.2026 11:00–… (Europe/Oslo)"), "still going on: {opened}");
    let (_, body) = &notices(oslo)[1];
    assert!(body.contains("fs19: 03.11.2026 11:00–13:00 (Europe/Oslo)"), "{body}");
    assert!(
        body.contains(&kontor::i18n::t(&nb, "incident-email-english-only")),
        "no Norwegian text: said so"
    );
    let (_, body) = &notices(london)[1];
    assert!(body.contains("fs19: 03/11/2026 10:00–12:00 (Europe/London)"), "{body}");
    assert!(!body.contains(&kontor::i18n::t(&kontor::i18n::Lang::english(), "incident-email-english-only")));
}

#[test]
fn the_demo_has_one_resolved_incident_in_two_languages_that_finance_can_compensate() {
    let db = TestDb::new();
    let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incidents"), 1, "loading twice adds nothing");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incident_updates"), 3);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM incident_updates WHERE body ? 'en' AND body ? 'de'"),
        3,
        "every update in English and German"
    );
    let id = count(&db, "SELECT id AS n FROM incidents WHERE ended_at < now()");
    let preview = compensation::preview(&mut db.conn(), id, &seller(), crate::support::now()).unwrap();
    assert!(preview.affected > 0, "{preview:?}");
    assert!(preview.downtime.keys().any(|k| k != "0"), "the demo customers were down: {preview:?}");
    // A demo customer sees it on their incidents page, in German.
    let server = TestServer::start(&db);
    let email: String = diesel::sql_query(
        "SELECT c.email AS s FROM customers c JOIN placements p ON p.customer_id = c.id
           JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19' AND c.language = 'de' ORDER BY c.id LIMIT 1",
    )
    .get_result::<Line>(&mut db.conn())
    .unwrap()
    .s;
    let user = kontor::accounts::User::by_email(&mut db.conn(), &email).unwrap().unwrap();
    let mut browser = server.browser();
    browser.sign_in_as(&db, user.id);
    let page = browser.get("/account/incidents");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Speichersystem fs19 nicht erreichbar"), "{}", page.body);
    let status = browser.get("/status");
    assert!(status.body.contains("Speichersystem fs19 nicht erreichbar"), "{}", status.body);
    assert!(kontor::ledger::verify(&mut db.conn()).unwrap().is_healthy());
}

#[test]
fn absurd_or_hostile_incidents_are_refused_and_hostile_but_allowed_text_keeps_the_feed_valid() {
    use kontor::incidents::IncidentError;
    use kontor::text::TextProblem;
    let db = TestDb::new();
    customers(&db, 2);
    let now = crate::support::now();
    let base = || NewIncident {
        kind: Kind::Incident,
        severity: "major".into(),
        title: texts(&[("en", "Mail delays")]),
        services: vec!["mail".into()],
        resources: vec!["nmail5".into()],
        started_at: now - Duration::hours(1),
        ended_at: None,
        status: "identified".into(),
        body: texts(&[("en", "Looking into it.")]),
        offer: None,
        idempotency_key: None,
    };
    let open = |new: &NewIncident| {
        db.conn().transaction(|c| incident::open(c, &site(), new, &Actor::system("t"), now))
    };
    // The tester's input: a control character in the text.
    let parsed = Texts::parse([("en".to_owned(), "Mail \u{1b}[31mdown\u{0}".to_owned())]);
    assert!(matches!(parsed, Err(IncidentError::Text(TextProblem::ControlCharacter))), "{parsed:?}");
    let mut title = base();
    title.title = Texts(std::iter::once(("en".to_owned(), "Two\nlines".to_owned())).collect());
    assert!(matches!(open(&title), Err(IncidentError::Text(TextProblem::ControlCharacter))));
    // The year 0000, and a start ten years ahead.
    let mut ancient = base();
    ancient.started_at =
        chrono::NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
    assert!(matches!(open(&ancient), Err(IncidentError::DateOutOfRange)));
    let mut future = base();
    future.kind = Kind::Maintenance;
    future.started_at = now + Duration::days(3650);
    assert!(matches!(open(&future), Err(IncidentError::DateOutOfRange)));
    // 2,147,483,647 GB.
    let mut greedy = base();
    greedy.offer =
        Some(StorageOffer { deadline: now + Duration::days(14), storage_gb: i32::MAX, months: 3 }.into());
    assert!(matches!(open(&greedy), Err(IncidentError::OfferOutOfRange)));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incidents"), 0, "nothing was stored");
    let en = kontor::i18n::Lang::english();
    for id in ["text-control-character", "incident-error-date-range", "incident-error-offer-range"] {
        assert_ne!(kontor::i18n::t(&en, id), id, "{id} is a message");
    }

    // Hostile but allowed: markup, ampersands, quotes, emoji, a multi-line update.
    let mut allowed = base();
    allowed.title = texts(&[("en", "<script>alert(\"x\")</script> & 'co' 🚀")]);
    allowed.body = texts(&[("en", "Line one <&>\n\tLine two \"quoted\" 💥")]);
    open(&allowed).unwrap();
    let server = TestServer::start(&db);
    let atom = server.browser().get("/status/feed.atom?lang=en");
    assert_eq!(atom.status, 200);
    assert!(atom.body.contains("&lt;script&gt;") && atom.body.contains("🚀"), "{}", atom.body);
    let file = crate::support::scratch_dir("atom-hostile").with_extension("xml");
    std::fs::write(&file, &atom.body).unwrap();
    let lint = Command::new("xmllint").arg("--noout").arg(&file).output().unwrap();
    assert!(lint.status.success(), "{}\n{}", String::from_utf8_lossy(&lint.stderr), atom.body);
    let _ = std::fs::remove_file(&file);
}

/// A signed-in browser for a seeded customer, reading English.
fn english_customer(server: &TestServer, db: &TestDb, customer: i64) -> crate::support::Browser {
    diesel::sql_query(format!("UPDATE customers SET language = 'en' WHERE id = {customer}"))
        .execute(&mut db.conn())
        .unwrap();
    let user = count(
        db,
        &format!(
            "INSERT INTO users (email, role, customer_id, language, email_verified_at)
             SELECT email, 'customer', id, 'en', now() FROM customers WHERE id = {customer} RETURNING id AS n"
        ),
    );
    let mut browser = server.browser();
    browser.sign_in_as(db, kontor::ids::UserId(user));
    browser
}

#[test]
fn the_compensation_choice_shows_what_each_option_means_and_only_to_customers_who_get_something() {
    let db = TestDb::new();
    customers(&db, 12);
    let affected: Vec<(i64, i64)> = diesel::sql_query(
        "SELECT DISTINCT p.subscription_id AS id, p.customer_id AS n FROM placements p
           JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19' ORDER BY 1",
    )
    .load::<Pair>(&mut db.conn())
    .unwrap()
    .into_iter()
    .map(|p| (p.id, p.n))
    .collect();
    let ((_, paying), (free_sub, free)) = (affected[0], affected[1]);
    // The second was in their free month when the outage began: the policy grants them nothing.
    diesel::sql_query(format!(
        "UPDATE subscriptions SET status = 'trial', trial_ends_on = '2026-11-20' WHERE id = {free_sub}"
    ))
    .execute(&mut db.conn())
    .unwrap();
    // Ten hours down in November, extra storage offered until mid-December.
    let deadline = Utc.with_ymd_and_hms(2026, 12, 15, 0, 0, 0).unwrap();
    let id = outage(&db, at(3, 10), at(3, 20), Some(StorageOffer { deadline, storage_gb: 50, months: 3 }));
    let now = crate::support::now();
    let credit = match compensation::entitlement(&mut db.conn(), paying, id, &seller(), now).unwrap() {
        compensation::Entitlement::Credit { amount, .. } => amount,
        other => panic!("a paying customer is credited: {other:?}"),
    };
    assert!(matches!(
        compensation::entitlement(&mut db.conn(), free, id, &seller(), now).unwrap(),
        compensation::Entitlement::Nothing { reason: kontor::incidents::sla::Reason::Trial, .. }
    ));
    let server = TestServer::start(&db);
    let choice = format!("/account/incidents/{id}/choice");

    // The paying customer chooses between amounts they can compare.
    let mut browser = english_customer(&server, &db, paying);
    let page = browser.get("/account/incidents");
    assert_eq!(page.status, 200);
    let amount = kontor::i18n::format::money(&kontor::i18n::Lang::english(), credit);
    assert!(page.body.contains(&choice), "{}", page.body);
    assert!(page.body.contains(&format!("a credit of {amount} on your next invoice")), "{}", page.body);
    assert!(
        page.body.contains(&format!("50 GB extra storage for 3 months instead of the credit of {amount}")),
        "{}",
        page.body
    );
    let chosen = browser.submit(&choice, &[("option", "storage")]);
    assert_eq!(chosen.status, 200);
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM compensation_choices WHERE customer_id = {paying}")),
        1
    );

    // The customer in their free month is told why there is nothing, and offered nothing.
    let mut browser = english_customer(&server, &db, free);
    let page = browser.get("/account/incidents");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Storage system fs19 down"), "{}", page.body);
    assert!(!page.body.contains(&choice), "no choice to make: {}", page.body);
    assert!(page.body.contains("This incident gives you no compensation"), "{}", page.body);
    assert!(page.body.contains("free trial month"), "the reason: {}", page.body);
    // Choosing anyway is refused and stores nothing.
    let refused = browser.post(&choice, &[("option", "storage")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("there is nothing to choose"), "{}", refused.body);
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM compensation_choices WHERE customer_id = {free}")),
        0
    );
}

#[test]
fn issuing_as_a_job_survives_a_worker_stopped_mid_way_and_finishes_exactly_once() {
    use kontor::jobs::run::{self, Context, Ran};
    use kontor::jobs::{self, State, Work};
    let db = TestDb::new();
    customers(&db, 30);
    let id = outage(&db, at(3, 10), at(4, 22), None);
    let now = at(20, 0);
    let affected = on_fs19(&db);
    let work = Work::CompensationIssue { incident: id, user: None, ip: "test".into() };
    let job = jobs::enqueue(&mut db.conn(), &work, None).unwrap();
    let pool = db.pool();
    // A lease of nothing: a worker that stopped is taken for dead at once (the server waits a
    // minute before another claims its job).
    let context = Context { site: site(), seller: seller(), now, lease_seconds: 0.0 };
    {
        let _armed = kontor::failpoint::arm("job-step-recorded", kontor::failpoint::Action::Panic);
        let stopped =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run::run_next(&pool, &context)));
        assert!(stopped.is_err(), "the worker stopped at the failpoint");
    }
    let stopped = jobs::find(&mut db.conn(), job).unwrap();
    assert_eq!((stopped.state, stopped.done), (State::Running, 0), "the step rolled back with its progress");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM compensation_grants"), 0);
    // Started again: the job whose worker went silent is claimed and finished.
    assert_eq!(run::run_next(&pool, &context).unwrap(), Some((job, Ran::Done)));
    assert_eq!(run::run_next(&pool, &context).unwrap(), None, "nothing is left to claim");
    let done = jobs::find(&mut db.conn(), job).unwrap();
    assert_eq!((done.state, done.done, done.total), (State::Done, affected, Some(affected)));
    assert_eq!(done.result["credits"], affected);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM compensation_grants"), affected, "each credit once");
    assert_eq!(count(&db, "SELECT attempts::bigint AS n FROM jobs"), 2);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'compensation.issue'"), 1);
}

#[test]
fn a_job_s_progress_page_reloads_itself_until_the_result_is_there() {
    use kontor::accounts::Role;
    use kontor::jobs::run::{self, Context, Ran};
    use kontor::jobs::{self, Work};
    let db = TestDb::new();
    customers(&db, 12);
    let id = outage(&db, at(3, 10), at(4, 22), None);
    let work = Work::CompensationIssue { incident: id, user: None, ip: "test".into() };
    let job = jobs::enqueue(&mut db.conn(), &work, None).unwrap();
    let server = TestServer::start(&db);
    let mut finance =
        crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let page = format!("/backoffice/jobs/{job}");
    let waiting = finance.get(&page);
    assert_eq!(waiting.status, 200);
    assert!(waiting.body.contains("http-equiv=\"refresh\""), "{}", waiting.body);
    assert!(waiting.body.contains(&format!("/backoffice/incidents/{id}")), "{}", waiting.body);
    let context = Context { site: site(), seller: seller(), now: at(20, 0), lease_seconds: 60.0 };
    assert_eq!(run::run_next(&db.pool(), &context).unwrap(), Some((job, Ran::Done)));
    let done = finance.get(&page);
    assert_eq!(done.status, 200);
    assert!(!done.body.contains("http-equiv=\"refresh\""), "a finished job's page stays: {}", done.body);
    let credits = on_fs19(&db).to_string();
    assert!(done.body.contains(&credits), "the result is shown: {}", done.body);
    let support =
        crate::support::accounts::staff_browser(&server, &db, "sue@kontor.example", Role::Support).get(&page);
    assert_eq!(support.status, 404, "the route table keeps it finance's");
}

/// The text of a PDF, as pdftotext reads it.
pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    let dir = crate::support::scratch_dir("letter");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("letter.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_letter_names_the_server_and_the_customer_s_own_window_and_its_amount_is_the_ledger_s() {
    let db = TestDb::new();
    customers(&db, 12);
    let on_fs19 = customers_on_fs19(&db, 3);
    let (oslo, london, trial) = (on_fs19[0], on_fs19[1], on_fs19[2]);
    for (id, language, country) in [(oslo, "nb", "NO"), (london, "en", "GB")] {
        diesel::sql_query(format!(
            "UPDATE customers SET language = '{language}', country = '{country}' WHERE id = {id}"
        ))
        .execute(&mut db.conn())
        .unwrap();
    }
    // She moved off fs19 at 15:00 on the 4th, in the middle of it: her window ends then.
    kontor::incidents::placements::ensure_resource(&mut db.conn(), "fs21", "storage").unwrap();
    let subscription: i64 =
        count(&db, &format!("SELECT min(id) AS n FROM subscriptions WHERE customer_id = {oslo}"));
    kontor::incidents::placements::place(&mut db.conn(), subscription, oslo, "fs21", at(4, 15)).unwrap();
    diesel::sql_query(format!(
        "UPDATE subscriptions SET status = 'trial', trial_ends_on = '2026-12-31', created_at = '2026-11-01T00:00:00Z' WHERE customer_id = {trial}"
    ))
    .execute(&mut db.conn())
    .unwrap();
    // fs19 down from 10:00 UTC on the 3rd to 22:00 on the 4th.
    let id = outage(&db, at(3, 10), at(4, 22), None);
    let now = at(20, 0);
    compensation::issue(&db.pool(), &site(), &seller(), id, &Actor::system("test"), now).unwrap();
    let letter = |customer: i64| {
        db.conn()
            .transaction(|c| {
                kontor::letters::compensation::letter_pdf(c, customer, id, "Kontor Test GmbH", &seller(), now)
            })
            .unwrap()
    };
    let granted = |customer: i64| -> (Decimal, Decimal, String) {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Numeric)]
            granted: Decimal,
            #[diesel(sql_type = diesel::sql_types::Numeric)]
            booked: Decimal,
            #[diesel(sql_type = diesel::sql_types::Text)]
            currency: String,
        }
        let row: Row = diesel::sql_query(format!(
            "SELECT sum(g.amount) AS granted, g.currency::text AS currency,
                    coalesce((SELECT sum(p.amount) FROM postings p WHERE p.entry_id = ANY (array_agg(g.ledger_entry_id)) AND p.amount > 0), 0) AS booked
               FROM compensation_grants g WHERE g.incident_id = {id} AND g.customer_id = {customer} GROUP BY g.currency"
        ))
        .get_result(&mut db.conn())
        .unwrap();
        (row.granted, row.booked, row.currency)
    };

    // The email names her server and window too, and where the letter is.
    let email: String = diesel::sql_query(format!(
        "SELECT o.text_body AS s FROM mail_outbox o JOIN customers c ON c.email = o.recipient
          WHERE c.id = {oslo} AND o.idempotency_key LIKE 'compensation:%' LIMIT 1"
    ))
    .get_result::<Line>(&mut db.conn())
    .unwrap()
    .s;
    assert!(email.contains("fs19: 03.11.2026 11:00 – 04.11.2026 16:00 (Europe/Oslo)"), "{email}");
    assert!(email.contains(&format!("/account/incidents/{id}/letter.pdf")), "{email}");
    let first = letter(oslo);
    let text = pdf_text(&first.content);
    assert!(text.contains("fs19: 03.11.2026 11:00 – 04.11.2026 16:00 (Europe/Oslo)"), "{text}");
    assert!(text.contains("Kompensasjon for: Storage system fs19 down"), "{text}");
    assert!(text.contains("Nedetid regnet for deg: 29,0 timer"), "{text}");
    let (amount, booked, currency) = granted(oslo);
    assert!(amount > Decimal::ZERO);
    assert_eq!(amount, booked, "the letter's grant is what the ledger booked");
    let formats = kontor::i18n::format::Formats::new(&kontor::i18n::Lang::supported("nb").unwrap(), "NO");
    let money = formats.money(kontor::money::Money::new(
        amount,
        iso_currency::Currency::from_code(currency.trim()).unwrap(),
    ));
    assert!(text.replace('\u{a0}', " ").contains(&money.replace('\u{a0}', " ")), "{money} in {text}");
    // Kept once: asked again, the same stored document (its hash checked on reading).
    let again = letter(oslo);
    assert_eq!((again.id, again.sha256_hex()), (first.id, first.sha256_hex()));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM compensation_letters"), 1);

    let text = pdf_text(&letter(london).content);
    assert!(text.contains("fs19: 03/11/2026 10:00 – 04/11/2026 22:00 (Europe/London)"), "{text}");
    let (amount, booked, _) = granted(london);
    assert_eq!(amount, booked);
    assert!(text.contains("You receive a credit of"), "{text}");

    // In a free trial: nothing, told why, no choice.
    let text = pdf_text(&letter(trial).content);
    let lang = kontor::i18n::Lang::supported(&count_text(&db, trial)).unwrap();
    let why = kontor::i18n::t(&lang, "compensation-reason-trial");
    assert!(text.split_whitespace().collect::<Vec<_>>().join(" ").contains(&why), "{why} in {text}");
    assert!(!text.contains("choose"));
    assert_eq!(granted(trial).0, Decimal::ZERO);

    // Over HTTP for the signed-in customer; anyone else's letter is not found.
    let server = TestServer::start(&db);
    let mut browser = english_customer(&server, &db, london);
    let (response, bytes) = browser.get_bytes(&format!("/account/incidents/{id}/letter.pdf"));
    assert_eq!(response.status, 200);
    assert!(pdf_text(&bytes).contains("fs19: 03/11/2026 10:00"));
    let mut other = english_customer(&server, &db, on_fs19_elsewhere(&db));
    assert_eq!(other.get(&format!("/account/incidents/{id}/letter.pdf")).status, 404);
}

fn count_text(db: &TestDb, customer: i64) -> String {
    diesel::sql_query(format!("SELECT language AS s FROM customers WHERE id = {customer}"))
        .get_result::<Line>(&mut db.conn())
        .unwrap()
        .s
}

fn on_fs19_elsewhere(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT min(customer_id) AS n FROM placements WHERE customer_id NOT IN
           (SELECT p.customer_id FROM placements p JOIN resources r ON r.id = p.resource_id WHERE r.code = 'fs19')",
    )
}

/// The first `n` customers placed on fs19, by id.
fn customers_on_fs19(db: &TestDb, n: i64) -> Vec<i64> {
    diesel::sql_query(format!(
        "SELECT DISTINCT p.customer_id AS id, 0::bigint AS n FROM placements p JOIN resources r ON r.id = p.resource_id
          WHERE r.code = 'fs19' ORDER BY 1 LIMIT {n}"
    ))
    .load::<Pair>(&mut db.conn())
    .unwrap()
    .into_iter()
    .map(|p| p.id)
    .collect()
}

#[test]
fn downtime_running_into_the_next_month_counts_in_each_month_it_touches() {
    let db = TestDb::new();
    customers(&db, 6);
    // fs19 down from 00:00 on 29 November to 12:00 on 2 December: 48 hours of November's 720
    // (93.3 % available: the 50 % tier) and 36 of December's 744 (95.2 %: the 25 % tier).
    // Measured as one month it would be 84 hours: the full fee.
    let id = outage(&db, at(29, 0), Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap(), None);
    let now = Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).unwrap();
    compensation::issue(&db.pool(), &site(), &seller(), id, &Actor::system("test"), now).unwrap();
    #[derive(QueryableByName)]
    struct Grant {
        #[diesel(sql_type = diesel::sql_types::Numeric)]
        amount: Decimal,
        #[diesel(sql_type = diesel::sql_types::Numeric)]
        november: Decimal,
        #[diesel(sql_type = diesel::sql_types::Numeric)]
        december: Decimal,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        downtime_seconds: i64,
    }
    let grants: Vec<Grant> = diesel::sql_query(format!(
        "SELECT amount, (by_month->>'2026-11')::numeric AS november, (by_month->>'2026-12')::numeric AS december,
                downtime_seconds
           FROM compensation_grants WHERE incident_id = {id}"
    ))
    .load(&mut db.conn())
    .unwrap();
    assert!(!grants.is_empty());
    for g in &grants {
        assert_eq!(g.downtime_seconds, 84 * 3600);
        assert_eq!(g.november + g.december, g.amount);
        assert!(g.december > Decimal::ZERO);
        // 50 % and 25 % of the same monthly fee (each rounded to the cent).
        assert!(
            (g.november - g.december * Decimal::TWO).abs() <= Decimal::new(1, 2),
            "{} {}",
            g.november,
            g.december
        );
    }
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn in_the_demo_ingrid_in_oslo_reads_a_letter_naming_fs19_and_her_window_in_oslo_time_and_chooses() {
    let db = TestDb::new();
    let billing = kontor::config::Settings::from_lookup(|_| None).unwrap().billing();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    let ingrid = count(&db, "SELECT id AS n FROM customers WHERE email = 'ingrid.hansen@no.example'");
    let incident = count(&db, "SELECT id AS n FROM incidents");
    let now = crate::support::now();
    // The demo's outage: two days ago, 3.5 hours; in Oslo time one hour later than UTC.
    let document = db
        .conn()
        .transaction(|c| {
            kontor::letters::compensation::letter_pdf(c, ingrid, incident, "Kontor", &seller(), now)
        })
        .unwrap();
    let text = pdf_text(&document.content);
    assert!(text.contains("fs19: 03.12.2026 10:00–13:30 (Europe/Oslo)"), "{text}");
    assert!(text.contains("Du kan velge til og med"), "the choice is open: {text}");
    // She chooses the extra storage; the letter after issuing says so.
    kontor::incidents::compensation::choose(&mut db.conn(), ingrid, incident, "storage", &seller(), now)
        .unwrap();
    compensation::issue(
        &db.pool(),
        &site(),
        &seller(),
        incident,
        &Actor::system("test"),
        now + Duration::days(15),
    )
    .unwrap();
    let document = db
        .conn()
        .transaction(|c| {
            kontor::letters::compensation::letter_pdf(c, ingrid, incident, "Kontor", &seller(), now)
        })
        .unwrap();
    assert!(pdf_text(&document.content).contains("Som du valgte"), "the storage she chose");
}
