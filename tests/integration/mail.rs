//! Mail delivery end to end: through a real SMTP conversation (the listener in
//! `smtp_listener`) and to `.eml` files, with attachments, retries, permanent failures, the
//! failed list and staff retries, and two workers sharing one outbox.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use kontor::audit::Actor;
use kontor::db::schema::{audit_log, documents, mail_outbox};
use kontor::mail::outbox::{self, MAX_ATTEMPTS};
use kontor::mail::smtp::{SmtpTransport, SmtpUrl};
use kontor::mail::{DeliveryReport, FileTransport, OutgoingMail, deliver_pending, enqueue};
use mail_parser::{MessageParser, MimeHeaders};

use crate::smtp_listener::{Script, SmtpListener};
use crate::support::{TestDb, TestServer, count, scratch_dir};

const FROM: &str = "Kontor <no-reply@kontor.example>";
const DOMAIN: &str = "kontor.example";
const SUBJECT: &str = "Ihre Rechnung 2026-000001 über 1,19 € – schöne Grüße";

/// PDF-like bytes with every byte value, CR/LF pairs and lines that start with a dot, so
/// any encoding or dot-stuffing slip changes them.
fn document_bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\r\n.\r\n..\r\n.hidden\n".to_vec();
    for round in 0..40u32 {
        bytes.extend((0..=255u8).map(|b| b.wrapping_add(round as u8)));
        bytes.extend_from_slice(b"\r\n.\r\n");
    }
    bytes
}

fn store_document(db: &TestDb, content: &[u8]) -> i64 {
    use sha2::Digest;
    diesel::insert_into(documents::table)
        .values((
            documents::file_name.eq("Rechnung-2026-000001.pdf"),
            documents::media_type.eq("application/pdf"),
            documents::sha256.eq(sha2::Sha256::digest(content).to_vec()),
            documents::byte_size.eq(content.len() as i32),
            documents::content.eq(content),
        ))
        .returning(documents::id)
        .get_result(&mut db.conn())
        .unwrap()
}

fn mail(key: &str, recipient: &str, document: Option<i64>) -> OutgoingMail {
    OutgoingMail {
        secret: None,
        list_unsubscribe: None,
        idempotency_key: key.to_owned(),
        recipient: recipient.to_owned(),
        language: "de".to_owned(),
        subject: SUBJECT.to_owned(),
        text_body: "Guten Tag Jürgen,\n\nanbei Ihre Rechnung über 1,19 €.\n".to_owned(),
        html_body: "<p>Guten Tag Jürgen,</p><p>anbei Ihre Rechnung über 1,19&nbsp;€.</p>".to_owned(),
        attachment_document_id: document,
    }
}

fn queue(db: &TestDb, mail: &OutgoingMail) {
    assert!(enqueue(&mut db.conn(), mail, DOMAIN).unwrap(), "queued");
}

fn smtp(listener: &SmtpListener) -> SmtpTransport {
    SmtpTransport::new(&SmtpUrl::parse(&listener.url()).unwrap()).unwrap()
}

fn deliver(db: &TestDb, transport: &dyn kontor::mail::Transport, now: DateTime<Utc>) -> DeliveryReport {
    deliver_pending(&mut db.conn(), transport, FROM, now, 1000).unwrap()
}

fn report(sent: usize, retrying: usize, failed: usize) -> DeliveryReport {
    DeliveryReport { sent, retrying, failed }
}

/// An outbox row as the tests look at it.
#[derive(Queryable)]
struct Row {
    message_id: String,
    sent_at: Option<DateTime<Utc>>,
    failed_at: Option<DateTime<Utc>>,
    attempts: i32,
    last_error: Option<String>,
}

/// (message_id, sent, failed, attempts, last_error) of the row with `key`.
fn row(db: &TestDb, key: &str) -> (String, bool, bool, i32, Option<String>) {
    let row: Row = mail_outbox::table
        .filter(mail_outbox::idempotency_key.eq(key))
        .select((
            mail_outbox::message_id,
            mail_outbox::sent_at,
            mail_outbox::failed_at,
            mail_outbox::attempts,
            mail_outbox::last_error,
        ))
        .first(&mut db.conn())
        .unwrap();
    (row.message_id, row.sent_at.is_some(), row.failed_at.is_some(), row.attempts, row.last_error)
}

/// Checks a delivered invoice mail: subject, both alternatives, the attachment byte for byte,
/// and the Message-ID of its outbox row.
fn assert_invoice_mail(raw: &[u8], message_id: &str, content: &[u8]) {
    let message = MessageParser::default().parse(raw).expect("a parsable message");
    assert_eq!(message.subject(), Some(SUBJECT));
    assert_eq!(message.message_id(), Some(message_id));
    let (texts, htmls) = crate::support::text_and_html_parts(&message);
    assert_eq!(texts.len(), 1, "one text/plain part");
    assert!(texts[0].contains("anbei Ihre Rechnung über 1,19 €"), "{}", texts[0]);
    assert_eq!(htmls.len(), 1, "one text/html part");
    assert!(htmls[0].contains("<p>Guten Tag Jürgen,</p>"), "{}", htmls[0]);
    assert_eq!(message.attachment_count(), 1);
    let attachment = message.attachments().next().unwrap();
    assert_eq!(attachment.attachment_name(), Some("Rechnung-2026-000001.pdf"));
    let media_type = attachment.content_type().unwrap();
    assert_eq!((media_type.ctype(), media_type.subtype()), ("application", Some("pdf")));
    assert!(attachment.contents() == content, "the document arrives byte for byte");
    let root = message.content_type().unwrap();
    assert_eq!((root.ctype(), root.subtype()), ("multipart", Some("mixed")));
}

#[test]
fn smtp_delivers_the_localized_mail_with_the_stored_document_attached() {
    let db = TestDb::new();
    let listener = SmtpListener::start(Script::default());
    let content = document_bytes();
    let document = store_document(&db, &content);
    queue(&db, &mail("invoice:2026-000001", "juergen@kunde.example", Some(document)));
    queue(&db, &mail("welcome:1", "anna@kunde.example", None));

    assert_eq!(deliver(&db, &smtp(&listener), crate::support::now()), report(2, 0, 0));

    let received = listener.received();
    assert_eq!(received.len(), 2);
    assert_eq!(listener.connections(), 1, "the pooled connection is reused");
    let (message_id, sent, failed, attempts, _) = row(&db, "invoice:2026-000001");
    assert!(sent && !failed && attempts == 1);
    let id: i64 = mail_outbox::table
        .filter(mail_outbox::idempotency_key.eq("invoice:2026-000001"))
        .select(mail_outbox::id)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(message_id, outbox::message_id(id, "invoice:2026-000001", DOMAIN), "derived from the row");
    let invoice_mail = received.iter().find(|m| m.to == ["juergen@kunde.example"]).expect("to Jürgen");
    assert_eq!(invoice_mail.from, "no-reply@kontor.example");
    assert_invoice_mail(&invoice_mail.data, &message_id, &content);
    let plain = received.iter().find(|m| m.to == ["anna@kunde.example"]).unwrap();
    let plain = MessageParser::default().parse(&plain.data[..]).unwrap();
    assert_eq!(plain.attachment_count(), 0);
    let root = plain.content_type().unwrap();
    assert_eq!(root.subtype(), Some("alternative"), "no mixed wrapper without an attachment");
}

#[test]
fn the_file_transport_writes_the_same_message_with_its_attachment() {
    let db = TestDb::new();
    let content = document_bytes();
    let document = store_document(&db, &content);
    queue(&db, &mail("invoice:2026-000001", "juergen@kunde.example", Some(document)));
    let dir = scratch_dir("eml");
    let transport = FileTransport::new(&dir);
    assert_eq!(deliver(&db, &transport, crate::support::now()), report(1, 0, 0));
    let (message_id, ..) = row(&db, "invoice:2026-000001");
    let raw =
        std::fs::read(transport.path_of(&message_id)).expect("the .eml file is named after the Message-ID");
    assert_invoice_mail(&raw, &message_id, &content);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_deferred_message_is_retried_after_the_backoff_and_delivered_once() {
    let db = TestDb::new();
    let listener = SmtpListener::start(Script { defer_first_data: 1, ..Script::default() });
    let transport = smtp(&listener);
    queue(&db, &mail("reminder:7", "kunde@kunde.example", None));
    let now = crate::support::now();

    assert_eq!(deliver(&db, &transport, now), report(0, 1, 0));
    let (_, sent, failed, attempts, error) = row(&db, "reminder:7");
    assert!(!sent && !failed && attempts == 1);
    assert!(error.as_deref().is_some_and(|e| e.contains("451")), "{error:?}");
    assert!(listener.received().is_empty());
    assert_eq!(deliver(&db, &transport, now + Duration::seconds(30)), report(0, 0, 0), "not due yet");

    assert_eq!(deliver(&db, &transport, now + Duration::minutes(3)), report(1, 0, 0));
    assert_eq!(deliver(&db, &transport, now + Duration::days(2)), report(0, 0, 0));
    assert_eq!(listener.received().len(), 1, "delivered exactly once");
    let (message_id, sent, failed, attempts, _) = row(&db, "reminder:7");
    assert!(sent && !failed && attempts == 2);
    let received = listener.received();
    let delivered = MessageParser::default().parse(&received[0].data[..]).unwrap();
    assert_eq!(delivered.message_id(), Some(message_id.as_str()));
}

#[test]
fn a_refused_recipient_fails_for_good_is_listed_and_retried_only_by_staff() {
    let db = TestDb::new();
    let listener = SmtpListener::start(Script {
        reject_recipients: vec!["gone@kunde.example".to_owned()],
        ..Script::default()
    });
    let transport = smtp(&listener);
    queue(&db, &mail("invoice:1", "gone@kunde.example", None));
    queue(&db, &mail("invoice:2", "here@kunde.example", None));
    let now = crate::support::now();

    assert_eq!(deliver(&db, &transport, now), report(1, 0, 1));
    let (_, sent, failed, attempts, error) = row(&db, "invoice:1");
    assert!(!sent && failed && attempts == 1);
    assert!(error.as_deref().is_some_and(|e| e.contains("550")), "{error:?}");
    for days in [1, 10, 100] {
        assert_eq!(deliver(&db, &transport, now + Duration::days(days)), report(0, 0, 0), "never retried");
    }
    assert_eq!(listener.received().len(), 1, "only the good address got mail");

    let listed = outbox::failed(&mut db.conn(), 100).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].recipient.as_str(), listed[0].subject.as_str()), ("gone@kunde.example", SUBJECT));
    assert!(listed[0].last_error.as_deref().is_some_and(|e| e.contains("550")));

    // Finance corrected the mailbox on the other side; staff queue it again.
    listener.set_script(Script::default());
    let operator = Actor { user: None, ip: "test".to_owned(), login: Some("tester".to_owned()) };
    let id = listed[0].id;
    assert!(db.conn().transaction(|c| outbox::retry(c, &operator, id, now)).unwrap());
    assert!(!db.conn().transaction(|c| outbox::retry(c, &operator, id, now)).unwrap(), "not failed any more");
    assert!(!db.conn().transaction(|c| outbox::retry(c, &operator, 999_999, now)).unwrap(), "no such row");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'mail.retried'"), 1);
    let target: String = audit_log::table.select(audit_log::target).first(&mut db.conn()).unwrap();
    assert_eq!(target, format!("mail:{id}"));
    assert!(outbox::failed(&mut db.conn(), 100).unwrap().is_empty());

    assert_eq!(deliver(&db, &transport, now), report(1, 0, 0));
    assert_eq!(listener.received().len(), 2);
    assert!(row(&db, "invoice:1").1, "sent after the retry");
}

#[test]
fn a_message_failing_max_attempts_times_counts_as_failed() {
    let db = TestDb::new();
    db.expect_failed_mail();
    let listener = SmtpListener::start(Script { defer_first_data: usize::MAX, ..Script::default() });
    let transport = smtp(&listener);
    queue(&db, &mail("notice:3", "kunde@kunde.example", None));
    let mut now = crate::support::now();
    for attempt in 1..MAX_ATTEMPTS {
        assert_eq!(deliver(&db, &transport, now), report(0, 1, 0), "attempt {attempt}");
        now += Duration::days(1);
    }
    assert_eq!(deliver(&db, &transport, now), report(0, 0, 1), "the last attempt");
    assert_eq!(deliver(&db, &transport, now + Duration::days(30)), report(0, 0, 0));
    let (_, sent, failed, attempts, _) = row(&db, "notice:3");
    assert!(!sent && failed && attempts == MAX_ATTEMPTS);
    assert_eq!(outbox::failed(&mut db.conn(), 10).unwrap().len(), 1);
}

#[test]
fn an_unreachable_server_is_a_transient_failure() {
    let db = TestDb::new();
    // A port that was free a moment ago and has nobody listening now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let transport =
        SmtpTransport::new(&SmtpUrl::parse(&format!("smtp://127.0.0.1:{port}")).unwrap()).unwrap();
    queue(&db, &mail("notice:4", "kunde@kunde.example", None));
    assert_eq!(deliver(&db, &transport, crate::support::now()), report(0, 1, 0));
    let (_, sent, failed, attempts, _) = row(&db, "notice:4");
    assert!(!sent && !failed && attempts == 1);
}

#[test]
fn two_workers_deliver_every_message_exactly_once() {
    const MESSAGES: usize = 200;
    let db = TestDb::new();
    let listener = SmtpListener::start(Script::default());
    {
        let mut conn = db.conn();
        conn.transaction(|conn| {
            for n in 0..MESSAGES {
                let mut m = mail(&format!("batch:{n}"), &format!("kunde{n}@kunde.example"), None);
                m.subject = format!("Rechnung {n}");
                enqueue(conn, &m, DOMAIN)?;
            }
            Ok::<_, kontor::mail::MailError>(())
        })
        .unwrap();
    }
    let now = crate::support::now();
    let start = std::sync::Barrier::new(2);
    let reports: Vec<DeliveryReport> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (pool, url, start) = (db.pool(), listener.url(), &start);
                scope.spawn(move || {
                    let transport = SmtpTransport::new(&SmtpUrl::parse(&url).unwrap()).unwrap();
                    let mut conn = pool.get().unwrap();
                    start.wait();
                    deliver_pending(&mut conn, &transport, FROM, now, usize::MAX).unwrap()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(reports.iter().map(|r| r.sent).sum::<usize>(), MESSAGES);
    assert!(reports.iter().all(|r| r.retrying == 0 && r.failed == 0), "{reports:?}");

    let received = listener.received();
    assert_eq!(received.len(), MESSAGES, "no message twice");
    let ids: HashSet<String> = received
        .iter()
        .map(|m| MessageParser::default().parse(&m.data[..]).unwrap().message_id().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), MESSAGES, "every Message-ID once");
    let stored: HashSet<String> = mail_outbox::table
        .select(mail_outbox::message_id)
        .load::<String>(&mut db.conn())
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(ids, stored, "each row's own Message-ID");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE sent_at IS NULL"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE attempts <> 1"), 0);
}

#[test]
fn enqueueing_twice_keeps_one_row_and_its_message_id() {
    let db = TestDb::new();
    let first = mail("verify:9", "kunde@kunde.example", None);
    assert!(enqueue(&mut db.conn(), &first, DOMAIN).unwrap());
    let (message_id, ..) = row(&db, "verify:9");
    assert!(!enqueue(&mut db.conn(), &first, DOMAIN).unwrap(), "already queued");
    assert_eq!(row(&db, "verify:9").0, message_id);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox"), 1);
}

#[test]
fn finance_sees_undeliverable_mail_in_the_back_office_and_queues_it_again() {
    use kontor::accounts::Role;
    let db = TestDb::new();
    let server = TestServer::start(&db);
    queue(&db, &mail("invoice:5", "gone@kunde.example", None));
    diesel::update(mail_outbox::table)
        .set((
            mail_outbox::failed_at.eq(crate::support::now()),
            mail_outbox::attempts.eq(1),
            mail_outbox::last_error.eq("refused by the mail server: permanent error (550): no such mailbox"),
        ))
        .execute(&mut db.conn())
        .unwrap();
    let id: i64 = mail_outbox::table.select(mail_outbox::id).first(&mut db.conn()).unwrap();

    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "sam@kontor.example", Role::Support);
    assert_eq!(support.get("/backoffice/mail").status, 404);
    assert_eq!(support.post("/backoffice/mail/retry", &[("id", &id.to_string())]).status, 404);
    assert!(row(&db, "invoice:5").2, "still failed");

    let mut finance =
        crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    assert!(finance.get("/backoffice").body.contains("/backoffice/mail"), "linked from the back office");
    let page = finance.get("/backoffice/mail");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Undeliverable email") && page.body.contains("gone@kunde.example"),
        "{}",
        page.body
    );
    assert!(page.body.contains("no such mailbox"), "the reason is shown");
    let retried = finance.submit("/backoffice/mail/retry", &[("id", &id.to_string())]);
    assert_eq!(retried.status, 200);
    assert!(
        retried.body.contains("queued again") && retried.body.contains("No undeliverable email"),
        "{}",
        retried.body
    );
    let (_, sent, failed, attempts, _) = row(&db, "invoice:5");
    assert!(!sent && !failed && attempts == 0, "queued again with fresh attempts");
    let actor: Option<i64> = audit_log::table
        .filter(audit_log::action.eq("mail.retried"))
        .select(audit_log::actor_user_id)
        .first(&mut db.conn())
        .unwrap();
    assert!(actor.is_some(), "the retry is audited with who did it");
    let again = finance.post("/backoffice/mail/retry", &[("id", &id.to_string())]);
    assert!(again.body.contains("not among the undeliverable"), "{}", again.body);
}

#[test]
fn the_command_line_delivers_lists_failures_and_retries() {
    let db = TestDb::new();
    let data_dir = scratch_dir("mail-cli");
    let kontor = |args: &[&str], smtp_url: Option<&str>| {
        let mut command = crate::support::kontor_command();
        command.args(args).env("DATABASE_URL", db.url()).env("KONTOR_DATA_DIR", &data_dir);
        command.env_remove("KONTOR_SMTP_URL").env_remove("KONTOR_SMTP_RATE");
        if let Some(url) = smtp_url {
            command.env("KONTOR_SMTP_URL", url);
        }
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stdout, stderr)
    };

    // Without an SMTP server: .eml files in the outbox folder.
    queue(&db, &mail("cli:1", "kunde@kunde.example", None));
    let (status, stdout, stderr) = kontor(&["mail", "deliver"], None);
    assert_eq!(status, Some(0), "{stderr}");
    let outbox_dir = data_dir.join("mail").join("outbox");
    assert!(
        stdout.contains(&format!("no KONTOR_SMTP_URL: writing emails to {}", outbox_dir.display())),
        "{stdout}"
    );
    assert!(stdout.contains("sent 1, retrying later 0, failed permanently 0"), "{stdout}");
    assert_eq!(std::fs::read_dir(&outbox_dir).unwrap().count(), 1);

    // Through SMTP, one recipient refused for good.
    let listener = SmtpListener::start(Script {
        reject_recipients: vec!["gone@kunde.example".to_owned()],
        ..Script::default()
    });
    queue(&db, &mail("cli:2", "gone@kunde.example", None));
    queue(&db, &mail("cli:3", "here@kunde.example", None));
    let (status, stdout, stderr) = kontor(&["mail", "deliver"], Some(&listener.url()));
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.contains(&format!("sending emails through {}", listener.url())), "{stdout}");
    assert!(stdout.contains("sent 1, retrying later 0, failed permanently 1"), "{stdout}");
    assert_eq!(listener.received().len(), 1);

    let (status, stdout, _) = kontor(&["mail", "failed"], None);
    assert_eq!(status, Some(0));
    assert!(stdout.contains("gone@kunde.example") && stdout.contains("550"), "{stdout}");
    assert!(stdout.contains("1 undeliverable message(s)"), "{stdout}");
    let id = stdout.split_whitespace().next().unwrap().to_owned();
    let (status, stdout, stderr) = kontor(&["mail", "retry", &id], None);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.contains("queued again"), "{stdout}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'mail.retried'"), 1);
    let (status, _, stderr) = kontor(&["mail", "retry", &id], None);
    assert_ne!(status, Some(0), "no longer failed: {stderr}");
    assert!(kontor(&["mail", "failed"], None).1.contains("0 undeliverable message(s)"));

    // A URL lettre does not understand stops Kontor and names the variable, not the password.
    let (status, _, stderr) =
        kontor(&["mail", "deliver"], Some("smtp://kontor:s3cret@mail.example?tls=starttls"));
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("KONTOR_SMTP_URL") && !stderr.contains("s3cret"), "{stderr}");
    std::fs::remove_dir_all(&data_dir).unwrap();
}

/// (subject, text body, html body, secret still stored) of the row with `key`.
fn bodies(db: &TestDb, key: &str) -> (String, String, String, bool) {
    let (subject, text, html, secret): (String, String, String, Option<String>) = mail_outbox::table
        .filter(mail_outbox::idempotency_key.eq(key))
        .select((mail_outbox::subject, mail_outbox::text_body, mail_outbox::html_body, mail_outbox::secret))
        .first(&mut db.conn())
        .unwrap();
    (subject, text, html, secret.is_some())
}

fn reset_key(db: &TestDb) -> String {
    mail_outbox::table
        .filter(mail_outbox::idempotency_key.like("reset:%"))
        .select(mail_outbox::idempotency_key)
        .first(&mut db.conn())
        .unwrap()
}

/// The reset link in a stored body: the token after `token=`.
fn token_in(text: &str) -> Option<String> {
    let start = text.find("token=")? + "token=".len();
    Some(text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
}

fn request_reset(db: &TestDb, now: DateTime<Utc>) -> String {
    use kontor::accounts::{Role, staff};
    use kontor::site::Site;
    let site = Site { public_url: "https://portal.example".to_owned(), mail_domain: DOMAIN.to_owned() };
    let email = kontor::accounts::email::EmailAddress::parse("reset@kontor.example").unwrap();
    let mut conn = db.conn();
    conn.transaction(|c| {
        staff::create_staff(c, &site, &email, Role::Support, now)?;
        kontor::accounts::recovery::request_reset(c, &site, email.as_str(), "192.0.2.9", now)
    })
    .unwrap();
    let key = reset_key(db);
    let (_, text, html, secret) = bodies(db, &key);
    let token = token_in(&text).expect("the queued mail carries the link");
    assert!(token.len() >= 16 && html.contains(&token) && secret, "{text}");
    token
}

#[test]
fn a_delivered_reset_mail_keeps_no_link_in_the_outbox() {
    let db = TestDb::new();
    let now = crate::support::now();
    let token = request_reset(&db, now);
    let dir = scratch_dir("mail-secret");
    assert_eq!(deliver(&db, &FileTransport::new(&dir), now), report(1, 0, 0));
    let delivered =
        std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).next();
    assert!(
        String::from_utf8_lossy(&delivered.unwrap()).contains(&token),
        "the customer got the working link"
    );
    let (subject, text, html, secret) = bodies(&db, &reset_key(&db));
    for stored in [&subject, &text, &html] {
        assert!(!stored.contains(&token), "the secret is gone from the row: {stored}");
    }
    assert!(text.contains(outbox::REDACTED) && html.contains(outbox::REDACTED), "{text}");
    assert!(!secret);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_undeliverable_or_expired_reset_mail_keeps_no_link_either() {
    // Refused for good: forgotten in the transaction that marks it failed.
    let db = TestDb::new();
    db.expect_failed_mail();
    let now = crate::support::now();
    let token = request_reset(&db, now);
    let listener = SmtpListener::start(Script {
        reject_recipients: vec!["reset@kontor.example".to_owned()],
        ..Script::default()
    });
    assert_eq!(deliver(&db, &smtp(&listener), now), report(0, 0, 1));
    let (_, text, html, secret) = bodies(&db, &reset_key(&db));
    assert!(!text.contains(&token) && !html.contains(&token) && !secret, "{text}");

    // Never delivered (the server keeps deferring it): forgotten once the link expired.
    let db = TestDb::new();
    let token = request_reset(&db, now);
    let deferring = SmtpListener::start(Script { defer_first_data: 100, ..Script::default() });
    assert_eq!(deliver(&db, &smtp(&deferring), now), report(0, 1, 0));
    assert!(bodies(&db, &reset_key(&db)).1.contains(&token), "still needed while the link lives");
    assert_eq!(outbox::redact_expired(&mut db.conn(), now + Duration::minutes(59)).unwrap(), 0);
    assert_eq!(outbox::redact_expired(&mut db.conn(), now + Duration::minutes(61)).unwrap(), 1);
    let (_, text, html, secret) = bodies(&db, &reset_key(&db));
    assert!(!text.contains(&token) && !html.contains(&token) && !secret, "{text}");
}
