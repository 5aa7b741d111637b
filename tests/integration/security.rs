//! Security by construction, tried from outside as a hostile visitor would: every route with
//! every kind of caller, garbage and other people's ids, anonymous uploads, open redirects,
//! password guessing from many networks, a client naming its own address. Each test names the
//! hole a tester found before it was closed.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use kontor::accounts::Role;
use kontor::web::{Access, ROUTES};

use crate::support::accounts::{PASSWORD, signed_up_and_verified, staff_browser};
use crate::support::{Browser, TestDb, TestServer, count};

#[derive(QueryableByName, PartialEq, Eq, Debug)]
struct TableRows {
    #[diesel(sql_type = Text)]
    t: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows in every table but the counters that reading pages legitimately moves (rate limits).
fn snapshot(db: &TestDb) -> Vec<TableRows> {
    let tables: Vec<String> = diesel::sql_query(
        "SELECT table_name AS t, 0::bigint AS n FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            AND table_name NOT IN ('rate_limit_hits', '__diesel_schema_migrations')
          ORDER BY table_name",
    )
    .load::<TableRows>(&mut db.conn())
    .unwrap()
    .into_iter()
    .map(|r| r.t)
    .collect();
    let sql = tables
        .iter()
        .map(|t| format!("SELECT '{t}' AS t, count(*) AS n FROM \"{t}\""))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    diesel::sql_query(sql).load(&mut db.conn()).unwrap()
}

/// Every file under the server's data folder (uploads, mail, documents).
fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { stack.push(path) } else { found.push(path) }
        }
    }
    found.sort();
    found
}

/// The storage system the incidents here are about.
fn storage_system(db: &TestDb) {
    diesel::sql_query(
        "INSERT INTO resources (code, service) VALUES ('fs19', 'storage') ON CONFLICT DO NOTHING",
    )
    .execute(&mut db.conn())
    .unwrap();
}

/// A form body a browser never sends: values that are not numbers, amounts and codes, a NUL.
const GARBAGE: &[(&str, &str)] = &[
    ("id", "not-a-number"),
    ("customer", "K\u{0}42"),
    ("invoices", "1e999"),
    ("amount", "NaN"),
    ("plan", "../../etc/passwd"),
    ("option", "<script>"),
    ("capture", "'; DROP TABLE invoices; --"),
    ("email", "x"),
    ("password", "y"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    CustomerA,
    CustomerB,
    Support,
    Finance,
    Admin,
}

impl Who {
    fn role(self) -> Option<Role> {
        match self {
            Who::Anonymous => None,
            Who::CustomerA | Who::CustomerB => Some(Role::Customer),
            Who::Support => Some(Role::Support),
            Who::Finance => Some(Role::Finance),
            Who::Admin => Some(Role::Admin),
        }
    }
}

/// What the route table says `who` gets: `Err(status)` for a refusal before the handler.
fn expected(access: Access, who: Who) -> Result<(), (u16, &'static str)> {
    match access {
        // Machines' routes: the provisioning token is configured (and not sent), the
        // monitoring token and PayPal are not configured in the test server.
        Access::ProvisioningToken => Err((401, "")),
        Access::MonitoringToken | Access::Webhook => Err((404, "")),
        Access::Public => Ok(()),
        access => match who.role() {
            None => Err((303, "/login")),
            Some(role) if !access.admits(role) => Err((404, "")),
            Some(_) => Ok(()),
        },
    }
}

#[test]
fn every_route_answers_every_caller_as_the_route_table_says_and_nothing_is_written() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    // Customer A owns objects of every kind a path names; B tries them.
    let mut alice = signed_up_and_verified(&server, &db, "alice@x.example", "Alice");
    let mut bob = signed_up_and_verified(&server, &db, "bob@x.example", "Bob");
    for browser in [&mut alice, &mut bob] {
        assert_eq!(browser.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
        assert_eq!(browser.post("/account/storage/add", &[("plan", "storage_pack_10gb")]).status, 303);
    }
    let month = crate::support::now().format("%Y-%m").to_string();
    let issued = crate::support::invoicing::run_batch(&db, &month, crate::support::now());
    assert_eq!(issued.issued, 2);
    let alice_customer = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'alice@x.example'");
    let objects = [
        ("session", count(&db, "SELECT min(s.id) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'alice@x.example'").to_string()),
        ("pack", count(&db, &format!("SELECT min(id) AS n FROM subscription_packs WHERE customer_id = {alice_customer}")).to_string()),
        ("invoice", {
            let id = count(&db, &format!("SELECT min(id) AS n FROM invoices WHERE customer_id = {alice_customer}"));
            kontor::db::schema::invoices::table
                .find(id)
                .select(kontor::db::schema::invoices::number)
                .first::<String>(&mut db.conn())
                .unwrap()
        }),
        ("incident", {
            storage_system(&db);
            let start = crate::support::now() - chrono::Duration::hours(3);
            crate::support::incidents::outage(&db, start, start + chrono::Duration::hours(1), None).to_string()
        }),
        ("job", {
            // A finished job of finance's (issuing the incident's compensation).
            let incident = count(&db, "SELECT max(id) AS n FROM incidents");
            let work = kontor::jobs::Work::CompensationIssue { incident, user: None, ip: "test".to_owned() };
            let job = kontor::jobs::enqueue(&mut db.conn(), &work, None).unwrap();
            kontor::jobs::claim(&mut db.conn(), Some(job), 60.0).unwrap().expect("claimed");
            kontor::jobs::finish(&mut db.conn(), job, &serde_json::json!({})).unwrap();
            job.to_string()
        }),
        ("customer", kontor::support::customer_number(alice_customer)),
        // Alice has no payment here (its owner check is in statement.rs); a year is the caller's own.
        ("payment", "1".to_owned()),
        ("year", crate::support::now().format("%Y").to_string()),
        ("code", "de".to_owned()),
        ("report", "signups".to_owned()),
        ("level", "1".to_owned()),
        ("name", "kontor.css".to_owned()),
        // Finance's payout items; there are none here, so any id is another's (or missing).
        ("payout", "1".to_owned()),
    ];
    let mut callers: Vec<(Who, Browser)> = vec![
        (Who::Anonymous, server.browser()),
        (Who::CustomerA, alice),
        (Who::CustomerB, bob),
        (Who::Support, staff_browser(&server, &db, "sue@kontor.example", Role::Support)),
        (Who::Finance, staff_browser(&server, &db, "fin@kontor.example", Role::Finance)),
        (Who::Admin, staff_browser(&server, &db, "ada@kontor.example", Role::Admin)),
    ];
    let files_before = files(&server.settings.data_dir);
    let mut walked = 0;
    for route in ROUTES {
        let mut path = route.path.to_owned();
        let mut names_an_object = false;
        while let Some(start) = path.find('{') {
            let end = start + path[start..].find('}').unwrap();
            let parameter = &path[start + 1..end];
            let (_, value) = objects.iter().find(|(name, _)| *name == parameter).unwrap_or_else(|| {
                panic!("{} takes {{{parameter}}}: teach this test whose it is", route.path)
            });
            // Sessions, packs and invoices belong to a customer; incidents, jobs, languages and
            // assets are everyone's (whom the route lets in).
            names_an_object |= matches!(parameter, "session" | "pack" | "invoice");
            path = format!("{}{}{}", &path[..start], value, &path[end + 1..]);
        }
        let before = snapshot(&db);
        for (who, browser) in callers.iter_mut() {
            let mut answers = Vec::new();
            if route.method == "get" {
                answers.push(("get", browser.get(&path)));
            } else if route.method == "put" {
                answers.push(("garbage", browser.put_raw(&path, "garbage")));
            } else {
                answers.push(("garbage", browser.post(&path, GARBAGE)));
                // B sends a well-formed form about A's object.
                if *who == Who::CustomerB && names_an_object {
                    answers.push((
                        "another's",
                        browser.post(&path, &[("plan", "mail_pack_10gb"), ("option", "credit")]),
                    ));
                }
            }
            for (what, response) in answers {
                let context = format!("{who:?} {} {path} ({what}): {}", route.method, response.status);
                match expected(route.access, *who) {
                    Err((status, location)) => {
                        assert_eq!(response.status, status, "{context}");
                        assert!(
                            response.location().starts_with(location),
                            "{context} -> {}",
                            response.location()
                        );
                    }
                    Ok(()) => assert!(response.status < 500, "{context}: {}", response.body),
                }
                assert!(
                    !response.body.contains("alice@x.example")
                        || *who == Who::CustomerA
                        || who.role().is_some_and(Role::is_staff),
                    "{context} shows Alice's address"
                );
                if what == "garbage" && route.access.is_form() && expected(route.access, *who).is_ok() {
                    assert_eq!(response.status, 400, "{context}: garbage is a 400");
                }
                if what == "another's" {
                    assert_eq!(response.status, 404, "{context}: another's object is not found");
                }
            }
        }
        assert_eq!(snapshot(&db), before, "{} {path} wrote something", route.method);
        walked += 1;
    }
    assert_eq!(walked, ROUTES.len());
    assert_eq!(files(&server.settings.data_dir), files_before, "no request wrote a file");
}

#[test]
fn an_anonymous_visitor_sees_no_finance_page_and_writes_nothing_to_disk() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    // The tester's request: a valid CSRF pair from the home page and a non-numeric customer.
    let mut visitor = server.browser();
    let assigned = visitor.post("/backoffice/bank/assign", &[("id", "1"), ("customer", "abc")]);
    assert_eq!((assigned.status, assigned.location().as_str()), (303, "/login"));
    assert!(!assigned.body.contains("IBAN") && !assigned.body.contains("bank"), "{}", assigned.body);
    // Four uploads, each larger than any form: refused before a byte reaches the disk.
    let statement = "<Document>".to_owned() + &"x".repeat(4 * 1024 * 1024);
    let token = visitor.csrf();
    for _ in 0..4 {
        let upload = visitor.post_file(
            "/backoffice/bank/import",
            &[("csrf", &token)],
            ("statement", "s.xml", &statement),
        );
        assert_eq!((upload.status, upload.location().as_str()), (303, "/login"));
    }
    assert!(files(&server.settings.data_dir).is_empty(), "{:?}", files(&server.settings.data_dir));
    // A customer is no better off.
    let mut customer = signed_up_and_verified(&server, &db, "curious@x.example", "Curious");
    let token = customer.csrf();
    let upload = customer.post_file(
        "/backoffice/bank/import",
        &[("csrf", &token)],
        ("statement", "s.xml", &statement),
    );
    assert_eq!(upload.status, 404);
    assert!(files(&server.settings.data_dir).iter().all(|f| !f.to_string_lossy().contains("uploads")));
}

#[test]
fn the_language_switch_never_sends_anyone_off_the_site() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut visitor = server.browser();
    for next in [
        "/%09/evil.example/",
        "/%09/%09/evil.example",
        "/%5Cevil.example",
        "//evil.example",
        "/x%0D%0ASet-Cookie:%20a=b",
        "https://evil.example/",
        "/%0A/evil.example",
    ] {
        let response = visitor.get(&format!("/lang/de?next={next}"));
        assert_eq!((response.status, response.location().as_str()), (303, "/"), "{next}");
        assert!(!response.head.contains("a=b"), "no header injected by {next}");
    }
    let fine = visitor.get("/lang/fr?next=/status");
    assert_eq!(fine.location(), "/status");
}

#[test]
fn guessing_from_many_networks_stops_strangers_but_not_the_owners_own_browser() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    // The owner signed in from this browser before (it is trusted from now on).
    let mut owner = signed_up_and_verified(&server, &db, "target@x.example", "Target");
    owner.submit("/logout", &[]);
    // 150 guesses from 30 networks, 5 from each (each network's own limit).
    let mut refused_early = 0;
    for network in 0..30 {
        let mut attacker = server.browser();
        attacker.ip = format!("203.0.113.{network}");
        for guess in 0..5 {
            let password = format!("guess number {network} {guess}");
            let response = attacker.post("/login", &[("email", "target@x.example"), ("password", &password)]);
            if response.status == 429 {
                refused_early += 1;
            }
        }
    }
    assert!(refused_early > 0, "past the account's cap, guesses are refused outright");
    // Now the right password from a stranger's browser on yet another network does not work.
    let mut stranger = server.browser();
    stranger.ip = "198.51.100.200".to_owned();
    let response = stranger.post("/login", &[("email", "target@x.example"), ("password", PASSWORD)]);
    assert_eq!(response.status, 429, "the account is closed to strangers for the window");
    assert!(response.header("retry-after").is_some());
    // The owner's browser still gets in.
    owner.ip = "198.51.100.201".to_owned();
    let response = owner.post("/login", &[("email", "target@x.example"), ("password", PASSWORD)]);
    assert_eq!((response.status, response.location().as_str()), (303, "/account"));
}

#[test]
fn current_password_checks_are_limited_too() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut thief = signed_up_and_verified(&server, &db, "stolen@x.example", "Stolen");
    let mut limited = 0;
    for guess in 0..60 {
        let password = format!("not it {guess}");
        let changed =
            thief.post("/account/password", &[("current", &password), ("password", "a new long password")]);
        let closed = thief.post("/account/close", &[("password", &password)]);
        limited += usize::from(changed.status == 429) + usize::from(closed.status == 429);
    }
    assert!(limited >= 100, "past five wrong passwords, each check answers 429 ({limited})");
    // Even the right one, while limited: a guesser learns nothing.
    let right = thief.post("/account/close", &[("password", PASSWORD)]);
    assert_eq!(right.status, 429);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM customers WHERE closed_at IS NOT NULL"), 0);
}

#[test]
fn a_client_cannot_choose_the_address_kontor_records() {
    let db = TestDb::new();
    let server = TestServer::start_with(&db, &[("KONTOR_TRUST_FORWARDED", "false".to_owned())]);
    let mut visitor = server.browser();
    visitor.ip = "203.0.113.99".to_owned(); // sent as X-Forwarded-For, not believed
    visitor.post("/login", &[("email", "nobody@x.example"), ("password", "wrong password")]);
    let recorded: Vec<String> = kontor::db::schema::audit_log::table
        .select(kontor::db::schema::audit_log::ip)
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(recorded, ["127.0.0.1"], "the socket's peer, not the header");
}

#[test]
fn support_staff_pass_a_second_factor_before_the_back_office() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let site = server.settings.site();
    let email = kontor::accounts::email::EmailAddress::parse("sam@kontor.example").unwrap();
    let (_, link) = db
        .conn()
        .transaction(|c| {
            kontor::accounts::staff::create_staff(c, &site, &email, Role::Support, crate::support::now())
        })
        .unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let mut support = server.browser();
    support.submit("/password/set", &[("token", &token), ("password", "support team secret 1")]);
    let signed_in =
        support.post("/login", &[("email", "sam@kontor.example"), ("password", "support team secret 1")]);
    assert_eq!(signed_in.location(), "/backoffice/2fa/enrol");
    for page in ["/backoffice", "/backoffice/invoices", "/backoffice/incidents"] {
        let response = support.get(page);
        assert_eq!((response.status, response.location().as_str()), (303, "/backoffice/2fa/enrol"), "{page}");
    }
}

#[test]
fn bad_input_of_every_kind_is_a_4xx_with_a_message_and_changes_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut customer = signed_up_and_verified(&server, &db, "careful@x.example", "Careful");
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    let before = snapshot(&db);
    let csrf = customer.csrf();
    let key = crate::support::submission_key();
    let check = |what: &str, response: crate::support::Response| {
        assert!((400..500).contains(&response.status), "{what}: {} {}", response.status, response.body);
        assert!(!response.body.contains("form-"), "{what}: a message, not its id: {}", response.body);
    };
    // Without signing in.
    let mut visitor = server.browser();
    check(
        "signup with a field twice",
        visitor.post("/signup", &[("email", "a@x.example"), ("email", "b@x.example")]),
    );
    check("signup with a NUL", visitor.post("/signup", &[("email", "a\u{0}@x.example")]));
    check(
        "login without a key",
        visitor.post("/login", &[("email", "a@x.example"), ("submission", "short")]),
    );
    check("language with CR/LF", visitor.get("/lang/de%0D%0A"));
    // Customers.
    check("settings with a field twice", customer.post("/account/settings", &[("name", "A"), ("name", "B")]));
    check("settings with a NUL", customer.post("/account/settings", &[("name", "A\u{0}B")]));
    check("a session id that is not a number", customer.post("/account/sessions/abc/end", &[]));
    check("a pack id that is not a number", customer.post("/account/storage/x1/remove", &[]));
    let raw = format!("csrf={csrf}&submission={key}&plan=mail_pack_10gb&plan=x");
    check("storage add with a field twice", customer.post_raw("/account/storage/add", &raw));
    // Back office.
    check("bank assign with a non-numeric id", finance.post("/backoffice/bank/assign", &[("id", "abc")]));
    check("mail retry with a NUL", finance.post("/backoffice/mail/retry", &[("id", "\u{0}")]));
    check(
        "an incident id that is not a number",
        support.post("/backoffice/incidents/x/update", &[("body_en", "x")]),
    );
    assert_eq!(snapshot(&db), before, "nothing changed");
    // The same resource twice on an incident is one resource, not a 500.
    storage_system(&db);
    let opened = support.post(
        "/backoffice/incidents",
        &[
            ("kind", "incident"),
            ("severity", "major"),
            ("resources", "fs19, fs19"),
            ("started_at", "2026-12-05T08:00"),
            ("status", "investigating"),
            ("title_en", "Storage slow"),
            ("body_en", "Looking into it."),
        ],
    );
    assert_eq!(opened.status, 303, "{}", opened.body);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM incident_resources"), 1);
}
