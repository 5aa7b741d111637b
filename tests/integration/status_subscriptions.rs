//! Following the status page by email, without an account: double opt-in, per component, in
//! the language of the page, a one-click way out in every email (and `List-Unsubscribe`), an
//! answer that reveals nothing and limits on the form; incident texts in any of the seven
//! languages from the back office, English with a note where one is missing; times in the
//! reader's zone.

use diesel::prelude::*;
use kontor::audit::Actor;
use kontor::incidents::incident;

use crate::support::accounts::{delivered_mail, mailed_link, signed_up_and_verified, staff_browser};
use crate::support::incidents::{open_storage_incident, texts};
use crate::support::{Browser, TestDb, TestServer, count};

fn post_update(server: &TestServer, db: &TestDb, id: i64, text: &str) {
    let site = server.settings.site();
    let body = texts(&[("en", text)]);
    db.conn()
        .transaction(|c| {
            incident::post_update(
                c,
                &site,
                id,
                "identified",
                &body,
                None,
                &Actor::system("test"),
                crate::support::now(),
            )
        })
        .unwrap();
}

/// Status update emails queued for `email`.
fn updates_to(db: &TestDb, email: &str) -> i64 {
    count(
        db,
        &format!(
            "SELECT count(*) AS n FROM mail_outbox WHERE recipient = '{email}' AND idempotency_key LIKE 'status-update:%'"
        ),
    )
}

fn confirmations_to(db: &TestDb, email: &str) -> i64 {
    count(
        db,
        &format!(
            "SELECT count(*) AS n FROM mail_outbox WHERE recipient = '{email}' AND idempotency_key LIKE 'status-confirm:%'"
        ),
    )
}

/// Asks to follow `components` on the page in `lang`; returns the result page's notice.
fn subscribe(visitor: &mut Browser, email: &str, components: &[&str], lang: &str) -> String {
    let ticked: Vec<String> = components.iter().map(|c| format!("component_{c}")).collect();
    let mut fields = vec![("email", email), ("lang", lang)];
    fields.extend(ticked.iter().map(|name| (name.as_str(), "on")));
    let answer = visitor.post("/status/subscribe", &fields);
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert!(answer.location().starts_with(&format!("/status/subscribe?lang={lang}&submission=")));
    let page = visitor.follow(answer);
    assert_eq!(page.status, 200);
    page.notice().unwrap_or_else(|| panic!("a notice: {}", page.body))
}

/// The unsubscribe link of the newest email to `email` (the header's, without its brackets).
fn unsubscribe_link(server: &TestServer, db: &TestDb, email: &str) -> String {
    mailed_link(server, db, email, "/status/unsubscribe").trim_end_matches('>').to_owned()
}

/// Every email delivered to `email` so far, as written (RFC 5322, not decoded).
fn raw_mails_to(server: &TestServer, email: &str) -> Vec<String> {
    std::fs::read_dir(&server.mail_dir)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .filter(|mail| mail.contains(&format!("\r\nTo: {email}\r\n")))
        .collect()
}

/// Follows the confirmation link mailed to `email`: the page asks, the button confirms.
fn confirm(server: &TestServer, db: &TestDb, visitor: &mut Browser, email: &str) {
    let link = mailed_link(server, db, email, "/status/subscribe/confirm");
    let asking = visitor.get(&link);
    assert_eq!(asking.status, 200, "{}", asking.body);
    let token = link.split("token=").nth(1).unwrap();
    let done = visitor.post("/status/subscribe/confirm", &[("token", token)]);
    assert_eq!(done.status, 303, "{}", done.body);
    // A reload of the result sends the same form again: the same answer, nothing twice.
    assert_eq!(visitor.resend().location(), done.location());
}

#[test]
fn a_confirmed_follower_gets_each_update_of_their_component_in_their_language_until_they_unsubscribe() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut visitor = server.browser();
    // Anna follows storage on the German page, Bob mail, Carla storage but never confirms, and
    // Didier everything on the French page.
    subscribe(&mut visitor, "anna@example.de", &["storage"], "de");
    subscribe(&mut visitor, "bob@example.org", &["mail"], "en");
    subscribe(&mut visitor, "carla@example.org", &["storage"], "en");
    subscribe(&mut visitor, "didier@example.fr", &[], "fr");
    let invitation = delivered_mail(&server, &db, "anna@example.de");
    assert!(invitation.contains("Jemand, hoffentlich Sie"), "in the page's language: {invitation}");
    assert!(invitation.contains("Online-Speicher"), "naming what Anna follows: {invitation}");
    for email in ["anna@example.de", "bob@example.org", "didier@example.fr"] {
        confirm(&server, &db, &mut visitor, email);
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM status_subscribers"), 3, "Carla did not confirm");
    // A used link is gone.
    let used = mailed_link(&server, &db, "anna@example.de", "/status/subscribe/confirm");
    assert_eq!(visitor.get(&used).status, 404);

    let id = open_storage_incident(&db, &server.settings.site());
    assert_eq!(updates_to(&db, "anna@example.de"), 1, "one email for the opening");
    assert_eq!(updates_to(&db, "didier@example.fr"), 1, "all components include storage");
    assert_eq!(updates_to(&db, "bob@example.org"), 0, "mail is not touched");
    assert_eq!(updates_to(&db, "carla@example.org"), 0, "unconfirmed: nothing");

    let mail = delivered_mail(&server, &db, "anna@example.de");
    assert!(
        mail.contains("Speichersystem fs19 ausgefallen") && mail.contains("Wir untersuchen das."),
        "{mail}"
    );
    assert!(!mail.contains("Not available"), "German was written: {mail}");
    // The headers as sent (the decoded text above would read `=4F` in a token as a letter).
    let sent = raw_mails_to(&server, "anna@example.de");
    let raw = sent.iter().find(|m| m.contains("List-Unsubscribe")).expect("an email with List-Unsubscribe");
    let header = raw.split("List-Unsubscribe: <").nth(1).expect("List-Unsubscribe").replace("\r\n ", "");
    assert!(
        header.starts_with(&format!("{}/status/unsubscribe?token=", server.settings.public_url)),
        "{header}"
    );
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), "{raw}");
    assert_eq!(sent.iter().filter(|m| m.contains("List-Unsubscribe")).count(), 1, "not on the confirmation");
    let french = delivered_mail(&server, &db, "didier@example.fr");
    assert!(french.contains("Storage system fs19 down"), "no French text: English, {french}");
    assert!(french.contains("Ce texte n"), "with the note in French: {french}");
    // Out of the outbox, the token is forgotten there (body and header).
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'status-update:%'
               AND sent_at IS NOT NULL AND list_unsubscribe LIKE '%token=[removed]%'
               AND text_body LIKE '%unsubscribe?token=[removed]%' AND secret IS NULL"
        ),
        2
    );

    // Anna's mail client posts the one-click body to the header's address: no cookie, no page.
    let link = unsubscribe_link(&server, &db, "anna@example.de");
    let mut mail_client = server.browser();
    let gone = mail_client.post_raw(&link, "List-Unsubscribe=One-Click");
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(mail_client.post_raw(&link, "List-Unsubscribe=One-Click").status, 200, "again: harmless");
    // Didier uses the link's page and its button; a reload changes nothing.
    let link = unsubscribe_link(&server, &db, "didier@example.fr");
    let page = visitor.get(&link);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("didier@example.fr"), "{}", page.body);
    let token = link.split("token=").nth(1).unwrap();
    let done = visitor.post("/status/unsubscribe", &[("token", token)]);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(visitor.resend().location(), done.location());
    assert_eq!(visitor.get(&link).status, 404, "the link names no one now");

    post_update(&server, &db, id, "The controller was replaced.");
    assert_eq!(updates_to(&db, "anna@example.de"), 1, "unsubscribed: nothing more");
    assert_eq!(updates_to(&db, "didier@example.fr"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM status_subscribers"), 1, "only Bob is left");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM status_unsubscribe_links"),
        0,
        "their links went with them"
    );

    // Bob's mail client sends the one-click body as multipart/form-data, which RFC 8058 allows.
    diesel::sql_query("UPDATE status_subscribers SET components = '{}'").execute(&mut db.conn()).unwrap();
    post_update(&server, &db, id, "Still on it.");
    let link = unsubscribe_link(&server, &db, "bob@example.org");
    let boundary = "one-click-7d3f";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--{boundary}--\r\n"
    );
    let answer =
        server.browser().post_typed(&link, &format!("multipart/form-data; boundary={boundary}"), &body);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM status_subscribers"), 0);
}

#[test]
fn asking_again_answers_the_same_sends_one_confirmation_and_too_many_asks_get_429() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut visitor = server.browser();
    let first = subscribe(&mut visitor, "erik@example.se", &["webmail"], "en");
    let again = subscribe(&mut visitor, "erik@example.se", &["mail"], "en");
    assert_eq!(first, again, "the same answer");
    assert_eq!(confirmations_to(&db, "erik@example.se"), 1, "one confirmation in the window");
    // An address that follows already gets the answer a new one gets.
    confirm(&server, &db, &mut visitor, "erik@example.se");
    let known = subscribe(&mut visitor, "erik@example.se", &[], "en");
    let new = subscribe(&mut visitor, "new@example.se", &[], "en");
    assert_eq!(known.replace("erik@example.se", "X"), new.replace("new@example.se", "X"));
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM status_subscription_requests"),
        2,
        "Erik's and the new one"
    );
    // A bad address: the form again, 422, nothing stored.
    let bad = visitor.post("/status/subscribe", &[("email", "not an address"), ("lang", "en")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Please enter a valid email address"), "{}", bad.body);

    // From one network: ten asks an hour, then 429 with Retry-After, and nothing sent.
    let mut flood = server.browser();
    flood.ip = "198.51.100.7".to_owned();
    for n in 0..kontor::rate_limit::STATUS_SUBSCRIBE_PER_IP.max {
        subscribe(&mut flood, &format!("flood{n}@example.net"), &[], "en");
    }
    let limited = flood.post("/status/subscribe", &[("email", "one-more@example.net"), ("lang", "en")]);
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(confirmations_to(&db, "one-more@example.net"), 0);
    // Other networks are not held up.
    assert!(!subscribe(&mut visitor, "someone@example.org", &[], "en").is_empty());
}

#[test]
fn texts_in_german_english_and_french_show_french_to_a_french_reader_and_english_with_a_note_to_a_dutch_one()
{
    use kontor::accounts::Role;
    let db = TestDb::new();
    kontor::incidents::placements::ensure_resource(&mut db.conn(), "fs19", "storage").unwrap();
    let server = TestServer::start(&db);
    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let form = support.get("/backoffice/incidents");
    for code in kontor::i18n::LANGUAGES {
        assert!(form.body.contains(&format!("name=\"title_{code}\"")), "a fieldset per language: {code}");
    }
    let base = [
        ("kind", "incident"),
        ("severity", "major"),
        ("services", "storage"),
        ("resources", "fs19"),
        ("status", "investigating"),
        ("title_en", "Storage system fs19 slow"),
        ("body_en", "We are investigating."),
        ("title_de", "Speichersystem fs19 langsam"),
        ("body_de", "Wir untersuchen das."),
    ];
    // A title without its text is refused, and nothing is stored.
    let mut half = base.to_vec();
    half.push(("title_fr", "Stockage fs19 lent"));
    let refused = support.post("/backoffice/incidents", &half);
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Each language needs both a title and a text, or neither."),
        "{}",
        refused.body
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incidents"), 0);
    let mut full = base.to_vec();
    full.extend([("title_fr", "Stockage fs19 lent"), ("body_fr", "Nous cherchons la cause.")]);
    let opened = support.post("/backoffice/incidents", &full);
    assert_eq!(opened.status, 303, "{}", opened.body);
    let path = opened.location();
    let updated = support.post(
        &format!("{path}/update"),
        &[
            ("status", "identified"),
            ("body_en", "A controller failed."),
            ("body_de", "Ein Controller ist ausgefallen."),
            ("body_fr", "Un contrôleur est tombé en panne."),
        ],
    );
    assert_eq!(updated.status, 303, "{}", updated.body);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM incident_updates WHERE body ?& array['en', 'de', 'fr']"),
        2,
        "stored per language"
    );

    let mut reader = server.browser();
    reader.accept_language = "fr".to_owned();
    let french = reader.get("/status");
    assert!(
        french.body.contains("Stockage fs19 lent")
            && french.body.contains("Un contrôleur est tombé en panne.")
    );
    assert!(!french.body.contains("Non disponible dans votre langue"), "French was written");
    reader.accept_language = "nl".to_owned();
    let dutch = reader.get("/status");
    assert!(dutch.body.contains("Storage system fs19 slow") && dutch.body.contains("A controller failed."));
    assert!(dutch.body.contains("Niet beschikbaar in uw taal; in het Engels getoond."), "{}", dutch.body);
    let feed: serde_json::Value =
        serde_json::from_str(&reader.get("/status/feed.json?lang=nl").body).unwrap();
    let summary = feed["items"][0]["content_text"].as_str().unwrap();
    assert!(summary.contains("A controller failed.") && summary.contains("Niet beschikbaar"), "{summary}");
    let feed: serde_json::Value =
        serde_json::from_str(&reader.get("/status/feed.json?lang=fr").body).unwrap();
    assert!(!feed["items"][0]["content_text"].as_str().unwrap().contains("Non disponible"));
}

#[test]
fn a_customer_in_oslo_sees_oslo_time_and_a_visitor_sees_utc_for_the_browser_to_rewrite() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    open_storage_incident(&db, &server.settings.site());
    let mut customer = signed_up_and_verified(&server, &db, "ola@example.no", "Ola Nordmann");
    let post = |browser: &mut Browser, zone: &str| {
        browser.post(
            "/account/settings",
            &[
                ("name", "Ola Nordmann"),
                ("street", "Storgata 1"),
                ("postal_code", "0155"),
                ("city", "Oslo"),
                ("language", "en"),
                ("time_zone", zone),
            ],
        )
    };
    let zone_of = || count(&db, "SELECT count(*) AS n FROM customers WHERE time_zone = 'Europe/Oslo'");
    // A zone Kontor does not offer is refused and changes nothing.
    let refused = post(&mut customer, "Mars/Olympus_Mons");
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"error-time_zone\""), "{}", refused.body);
    assert_eq!(zone_of(), 0);
    assert_eq!(post(&mut customer, "Europe/Oslo").status, 303);
    assert_eq!(zone_of(), 1);
    let page = customer.get("/account/settings").body;
    assert!(page.contains("<option value=\"Europe/Oslo\" selected>"), "the choice is shown");

    // 07:00 UTC is 08:00 in Oslo in December: written so, and left alone by the script.
    let mine = customer.get("/status").body;
    assert!(mine.contains("05/12/2026 08:00 Europe/Oslo"), "{mine}");
    assert!(mine.contains("data-zone=\"Europe/Oslo\"") && !mine.contains("07:00 UTC"), "{mine}");
    // Anyone else: UTC, labelled so, with the instant for the browser.
    let public = server.browser().get("/status").body;
    assert!(public.contains("05/12/2026 07:00 UTC") && !public.contains("data-zone"), "{public}");
    assert!(public.contains("datetime=\"2026-12-05T07:00:00+00:00\""), "{public}");
    assert!(public.contains("<script src=\"/assets/local-time.js\" defer></script>"));
    // The static copy is for no one in particular: UTC labelled so, the same markup for the
    // script, and a link to the portal's form instead of a form of its own.
    kontor::web::status_snapshot::render(&mut db.conn(), &server.settings).unwrap();
    let snapshot = std::fs::read_to_string(server.settings.status_dir.join("en").join("index.html")).unwrap();
    assert!(snapshot.contains("<time datetime=\"2026-12-05T07:00:00+00:00\">05/12/2026 07:00 UTC</time>"));
    assert!(
        snapshot.contains("data-local-note=")
            && !snapshot.contains("<form method=\"post\" action=\"/status/subscribe\"")
    );
    assert!(snapshot.contains(&format!("href=\"{}/status/subscribe?lang=en\"", server.settings.public_url)));

    // Ola follows the status page with his account's address: his data export shows it.
    subscribe(&mut customer, "ola@example.no", &["mail"], "en");
    let data: serde_json::Value = serde_json::from_str(&customer.get("/account/data.json").body).unwrap();
    let requests = data["status_subscription_requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "{data}");
    assert!(requests[0].get("token_hash").is_none() && requests[0]["components"][0] == "mail");

    // Back to the country's zone (Germany, where Ola signed up): the browser's again on the page.
    assert_eq!(post(&mut customer, "").status, 303);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM customers WHERE time_zone IS NOT NULL"), 0);
    assert!(customer.get("/status").body.contains("07:00 UTC"));
}
