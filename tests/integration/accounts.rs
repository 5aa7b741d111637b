//! Accounts end to end against a real server: sign-up in every language, verification by
//! the emailed link, sign-in, settings, sign-out, password reset, staff with TOTP, and the
//! security properties the portal owes its users.

use chrono::Duration;
use diesel::prelude::*;
use diesel::sql_types::Text;
use kontor::accounts::{password, staff, totp};

use crate::support::accounts::{
    PASSWORD, delivered_mail, mailed_link, signed_up_and_verified, signup_fields,
};
use crate::support::{Count, TestDb, TestServer, count};

#[test]
fn a_person_signs_up_in_every_language_verifies_signs_in_changes_settings_and_signs_out() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    for lang in kontor::i18n::LANGUAGES {
        let mut browser = server.browser();
        browser.accept_language = lang.to_owned();
        browser.ip = format!("198.51.100.{}", lang.len() + lang.as_bytes()[0] as usize % 200);
        let form = browser.get("/signup");
        assert!(form.body.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        let email = format!("person.{lang}@{lang}.example");
        let response = browser.post("/signup", &signup_fields(&email, "Pat Person", lang));
        assert_eq!(response.status, 303, "{lang}: {}", response.body);
        let done = browser.follow(response);
        let marker = kontor::i18n::t_args(
            &kontor::i18n::Lang::supported(lang).unwrap(),
            "signup-done-text",
            &[("email", email.clone().into())],
        );
        assert!(done.body.contains(&marker), "{lang}: {}", done.body);
        // Reloading the result page sends the form again: the same page, no second account.
        let again = browser.resend();
        assert_eq!((again.status, again.location()), (303, done.request_path.clone()), "{lang}");
        assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM users WHERE email = '{email}'")), 1);
        // The verification email is in the person's language.
        let link = mailed_link(&server, &db, &email, "/verify");
        let verified = browser.get(&link);
        assert_eq!(verified.status, 200);
        assert_eq!(verified.header("content-language").as_deref(), Some(lang));
        // The link works once.
        // A second click (a reload) confirms again and does nothing twice.
        let confirmed = kontor::i18n::t(&kontor::i18n::Lang::supported(lang).unwrap(), "verify-done-text");
        assert!(verified.body.contains(&confirmed), "{lang}: {}", verified.body);
        let second = browser.get(&link);
        assert_eq!(second.status, 200);
        assert!(second.body.contains(&confirmed), "{lang}: {}", second.body);
        let again: i64 = diesel::sql_query(
            "SELECT count(*) AS n FROM users WHERE email_verified_at IS NOT NULL AND email = $1",
        )
        .bind::<Text, _>(&email)
        .get_result::<Count>(&mut db.conn())
        .unwrap()
        .n;
        assert_eq!(again, 1);

        let signed_in = browser.post("/login", &[("email", &email), ("password", PASSWORD)]);
        assert_eq!(signed_in.status, 303);
        assert_eq!(signed_in.location(), "/account");
        let account = browser.get("/account");
        assert_eq!(account.status, 200);
        assert!(account.body.contains("Pat Person"));

        let saved = browser.post(
            "/account/settings",
            &[
                ("name", "Pat Q. Person"),
                ("street", "Ring 2"),
                ("postal_code", "8010"),
                ("city", "Graz"),
                ("language", lang),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert!(browser.get("/account").body.contains("Pat Q. Person"));

        let out = browser.submit("/logout", &[]);
        assert_eq!(out.status, 200);
        assert_eq!(browser.get("/account").status, 303, "signed out");
    }
}

#[test]
fn signup_refuses_bad_input_with_localized_field_errors_and_changes_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser = server.browser();
    browser.accept_language = "de".to_owned();
    let mut fields = signup_fields("not-an-email", "Anna", "de");
    fields[1] = ("password", "password123");
    fields.push(("vat_id", "DE123456789"));
    let response = browser.post("/signup", &fields);
    assert_eq!(response.status, 200);
    assert!(
        response.body.contains("gültige E-Mail-Adresse") || response.body.contains("E-Mail"),
        "{}",
        response.body
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM customers"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM mail_outbox"), 0);
}

#[test]
fn signing_up_with_a_known_address_reveals_nothing_and_warns_the_owner() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let _owner = signed_up_and_verified(&server, &db, "owner@x.example", "Owner");
    let mut stranger = server.browser();
    stranger.ip = "203.0.113.9".to_owned();
    let response = stranger.submit("/signup", &signup_fields("OWNER@x.example", "Stranger", "en"));
    assert_eq!(response.status, 200);
    assert!(response.body.contains("Please check your inbox"));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 1);
    let mail = delivered_mail(&server, &db, "owner@x.example");
    assert!(mail.contains("/password/forgot") && mail.contains("tried to create"), "{mail}");
}

#[test]
fn stored_passwords_are_argon2id_with_owasp_parameters() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    signed_up_and_verified(&server, &db, "hash@x.example", "Hash Person");
    let stored: String = kontor::db::schema::users::table
        .select(kontor::db::schema::users::password_hash.assume_not_null())
        .first(&mut db.conn())
        .unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    let hash = password::PasswordHash::from_stored(stored);
    assert!(password::verify(PASSWORD, &hash).unwrap());
    assert!(!password::verify("wrong password entirely", &hash).unwrap());
    let mut browser = server.browser();
    let refused =
        browser.post("/login", &[("email", "hash@x.example"), ("password", "wrong password entirely")]);
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("not correct"));
    assert!(!browser.cookies.contains_key("kontor_session"));
}

#[test]
fn unknown_and_known_emails_and_disabled_accounts_cost_the_same_password_work() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    signed_up_and_verified(&server, &db, "timing@x.example", "Timing");
    signed_up_and_verified(&server, &db, "gone@x.example", "Gone");
    diesel::sql_query("UPDATE users SET disabled_at = now() WHERE email = 'gone@x.example'")
        .execute(&mut db.conn())
        .unwrap();
    let mut conn = db.conn();
    // Not a clock: the argon2 verifications each attempt computed, with their parameters.
    let mut work = |email: &str, ip: &str| {
        kontor::accounts::password::verifications();
        let client = kontor::accounts::login::Client { ip, user_agent: "", device: None };
        let outcome = kontor::accounts::login::log_in(
            &mut conn,
            email,
            "wrong password entirely",
            client,
            crate::support::now(),
        )
        .unwrap();
        assert!(matches!(outcome, kontor::accounts::login::LoginOutcome::Refused));
        kontor::accounts::password::verifications()
    };
    let known = work("timing@x.example", "10.9.0.1");
    let unknown = work("nobody@x.example", "10.9.0.2");
    let disabled = work("gone@x.example", "10.9.0.3");
    assert_eq!(known.len(), 1, "{known:?}");
    assert!(known[0].starts_with("argon2id:Some("), "{known:?}");
    assert_eq!(unknown, known, "an unknown address costs what a wrong password costs");
    assert_eq!(disabled, known, "so does a disabled account");
}

#[test]
fn every_form_refuses_a_post_without_a_valid_csrf_token_and_changes_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser = signed_up_and_verified(&server, &db, "csrf@x.example", "Csrf");
    let before = count(&db, "SELECT count(*) AS n FROM audit_log");
    let forms: Vec<String> = kontor::web::ROUTES
        .iter()
        .filter(|route| route.method == "post")
        // Webhooks and APIs are not forms: signatures and bearer tokens guard them.
        .filter(|route| route.access.is_form())
        // Routes for other roles are refused before any token is looked at (see web.rs).
        .filter(|route| route.access.admits(kontor::accounts::Role::Customer))
        .map(|route| {
            route
                .path
                .replace("{session}", "1")
                .replace("{pack}", "1")
                .replace("{invoice}", "2026-000001")
                .replace("{incident}", "1")
        })
        .collect();
    assert!(forms.len() >= 10, "every form is walked: {forms:?}");
    for path in &forms {
        let missing = browser.post_without_csrf(path, &[("name", "Changed"), ("email", "csrf@x.example")]);
        assert_eq!(missing.status, 403, "{path} without token");
        assert!(missing.body.contains("form expired"), "{path}: localized message");
        let wrong = browser
            .post(path, &[("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("name", "Changed")]);
        assert_eq!(wrong.status, 403, "{path} with a wrong token");
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log"), before, "nothing happened");
    assert!(browser.get("/account").body.contains("Csrf"), "still signed in, name unchanged");
    // A cross-site post is refused even with a token.
    let token = browser.csrf();
    let response = browser.post("/account/settings", &[("csrf", &token), ("name", "X")]);
    assert_ne!(response.status, 403, "a same-site post with the token is accepted");
}

#[test]
fn another_customers_ids_answer_404_and_reveal_nothing() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut alice = signed_up_and_verified(&server, &db, "alice@x.example", "Alice");
    let mut bob = signed_up_and_verified(&server, &db, "bob@x.example", "Bob");
    let alice_session: i64 = count(
        &db,
        "SELECT s.id AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'alice@x.example'",
    );
    // Every route with a path parameter, with Alice's object in it, requested by Bob. A new
    // kind of parameter fails here until the test knows whose object to put in.
    // Both have subscriptions with storage packs, so a refusal cannot come from Bob having none.
    for (browser, plan) in [(&mut alice, "mail_pack_10gb"), (&mut bob, "storage_pack_10gb")] {
        assert_eq!(browser.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
        assert_eq!(browser.post("/account/storage/add", &[("plan", plan)]).status, 303);
    }
    let alice_pack: i64 = count(
        &db,
        "SELECT p.id AS n FROM subscription_packs p JOIN users u ON u.customer_id = p.customer_id WHERE u.email = 'alice@x.example'",
    );
    // Both get an invoice for this month.
    let month = crate::support::now().with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m").to_string();
    let batch = crate::support::kontor_command()
        .args(["billing", "run", "--period", &month])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(batch.status.success(), "{}", String::from_utf8_lossy(&batch.stderr));
    let alice_invoice: String = kontor::db::schema::invoices::table
        .inner_join(kontor::db::schema::users::table.on(
            kontor::db::schema::users::customer_id.eq(kontor::db::schema::invoices::customer_id.nullable()),
        ))
        .filter(kontor::db::schema::users::email.eq("alice@x.example"))
        .select(kontor::db::schema::invoices::number)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(
        alice.get(&format!("/account/invoices/{alice_invoice}")).status,
        200,
        "Alice sees her invoice"
    );
    assert!(alice.get("/account/invoices").body.contains(&alice_invoice));
    assert!(!bob.get("/account/invoices").body.contains(&alice_invoice), "Bob's list shows only his");
    let alice_invoice_id =
        count(&db, &format!("SELECT id AS n FROM invoices WHERE number = '{alice_invoice}'"));
    let alice_customer = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'alice@x.example'");
    let paid = kontor::payments::apply_receipt(
        &mut db.conn(),
        &crate::support::payments::site(),
        &kontor::payments::Receipt {
            key: "bank:alice:1".to_owned(),
            customer: alice_customer,
            amount: kontor::money::Money::new(rust_decimal::Decimal::ONE, iso_currency::Currency::EUR),
            fee: None,
            received_in: kontor::ledger::chart::SystemAccount::Cash,
            method: kontor::payments::Method::BankTransfer,
            invoices: vec![alice_invoice_id],
            occurred_at: crate::support::now(),
            memo: "test".to_owned(),
        },
    )
    .unwrap();
    let alice_payment = paid.entry.0;
    let alice_objects = |parameter: &str| match parameter {
        "payment" => Some(alice_payment.to_string()),
        "session" => Some(alice_session.to_string()),
        "pack" => Some(alice_pack.to_string()),
        "invoice" => Some(alice_invoice.clone()),
        // Public parameters, or staff's objects (jobs, the support console's customer pages),
        // not customer-owned objects. A year is the caller's own year (their invoices of it, or
        // not found).
        "code" | "name" | "incident" | "job" | "customer" | "year" | "report" | "level" | "payout" => None,
        other => panic!("routes take {{{other}}}: teach this test whose it is"),
    };
    let mut walked = 0;
    for kontor::web::Route { method, path: route, .. } in kontor::web::ROUTES {
        let Some(start) = route.find('{') else { continue };
        let end = start + route[start..].find('}').unwrap();
        let parameter = &route[start + 1..end];
        let Some(alice_id) = alice_objects(parameter) else {
            continue;
        };
        walked += 1;
        let placeholder = format!("{{{parameter}}}");
        let path = route.replace(&placeholder, &alice_id);
        let response = if *method == "post" { bob.post(&path, &[]) } else { bob.get(&path) };
        assert_eq!(response.status, 404, "{method} {path}");
        assert!(!response.body.contains("alice"), "{path} reveals nothing");
        // The same answer as for an id that does not exist at all.
        let missing = route.replace(&placeholder, "999999");
        let response = if *method == "post" { bob.post(&missing, &[]) } else { bob.get(&missing) };
        assert_eq!(response.status, 404, "{method} {missing}");
    }
    assert!(walked >= 3, "every id-taking route was walked ({walked})");
    let alice_packs = count(
        &db,
        &format!("SELECT count(*) AS n FROM subscription_packs WHERE id = {alice_pack} AND ends_on IS NULL"),
    );
    assert_eq!(alice_packs, 1, "Alice's pack is untouched");
    assert_eq!(alice.get("/account").status, 200, "Alice's session survived");
    // Customers cannot see the back office.
    assert_eq!(bob.get("/backoffice").status, 404);
    assert_eq!(bob.get("/backoffice/audit").status, 404);
}

#[test]
fn names_with_markup_are_escaped_on_every_page_that_shows_them() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let evil = "<script>alert(1)</script>";
    let mut browser = signed_up_and_verified(&server, &db, "xss@x.example", evil);
    for page in ["/account", "/account/settings"] {
        let body = browser.get(page).body;
        assert!(!body.contains(evil), "{page} shows raw markup");
        assert!(body.contains("&lt;script&gt;"), "{page} shows the escaped name");
    }
    let headers = browser.get("/account").head.to_ascii_lowercase();
    assert!(headers.contains("content-security-policy: default-src 'self'; script-src 'self'"), "{headers}");
    assert!(headers.contains("x-frame-options: deny"));
    assert!(headers.contains("x-content-type-options: nosniff"));
    assert!(headers.contains("referrer-policy: no-referrer"));
}

#[test]
fn the_session_is_rotated_at_sign_in_and_useless_after_sign_out() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut first = signed_up_and_verified(&server, &db, "rotate@x.example", "Rotate");
    let old = first.cookies.get("kontor_session").cloned().unwrap();
    // Signing in again in the same browser gives a new session id and ends the old one.
    let again = first.post("/login", &[("email", "rotate@x.example"), ("password", PASSWORD)]);
    assert_eq!(again.status, 303);
    let new = first.cookies.get("kontor_session").cloned().unwrap();
    assert_ne!(old, new);
    let mut thief = server.browser();
    thief.cookies.insert("kontor_session".into(), old);
    assert_eq!(thief.get("/account").status, 303, "the old session id is dead");
    // After sign-out the id is useless too.
    first.post("/logout", &[]);
    thief.cookies.insert("kontor_session".into(), new);
    assert_eq!(thief.get("/account").status, 303);
    // The cookie is HttpOnly and SameSite.
    let mut fresh = server.browser();
    fresh.get("/login");
    let response = fresh.post("/login", &[("email", "rotate@x.example"), ("password", PASSWORD)]);
    let cookie = response.header("set-cookie").unwrap_or_default().to_ascii_lowercase();
    let all = response.head.to_ascii_lowercase();
    assert!(
        all.contains("kontor_session=") && all.contains("httponly") && all.contains("samesite=lax"),
        "{cookie}"
    );
}

#[test]
fn log_out_everywhere_ends_every_session() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut laptop = signed_up_and_verified(&server, &db, "many@x.example", "Many");
    let mut phone = server.browser();
    phone.post("/login", &[("email", "many@x.example"), ("password", PASSWORD)]);
    assert_eq!(phone.get("/account").status, 200);
    assert!(laptop.get("/account/sessions").body.contains("/end\""), "the other device is listed");
    laptop.post("/account/sessions/end-all", &[]);
    assert_eq!(phone.get("/account").status, 303);
    assert_eq!(laptop.get("/account").status, 303);
}

#[test]
fn rate_limits_answer_429_with_retry_after_and_strangers_cannot_lock_out_the_owner() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    signed_up_and_verified(&server, &db, "target@x.example", "Target");
    let mut attacker = server.browser();
    attacker.ip = "203.0.113.66".to_owned();
    let mut limited = 0;
    for _ in 0..1_000 {
        let response =
            attacker.post("/login", &[("email", "target@x.example"), ("password", "not the password!")]);
        if response.status == 429 {
            limited += 1;
            assert!(response.header("retry-after").is_some_and(|s| s.parse::<i64>().unwrap() > 0));
            assert!(response.body.contains("Too many attempts"));
        }
    }
    assert!(limited >= 990, "the attacker is limited after a few tries ({limited})");
    let mut owner = server.browser();
    owner.ip = "198.51.100.77".to_owned();
    let response = owner.post("/login", &[("email", "target@x.example"), ("password", PASSWORD)]);
    assert_eq!(response.status, 303, "the owner still gets in");
}

#[test]
fn limits_recover_after_their_window() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let limit = kontor::rate_limit::RESET_PER_EMAIL;
    let now = crate::support::now();
    for _ in 0..limit.max {
        assert!(!kontor::rate_limit::hit(&mut conn, &limit, "a@x.example", now).unwrap().is_limited());
    }
    assert!(kontor::rate_limit::hit(&mut conn, &limit, "a@x.example", now).unwrap().is_limited());
    let later = now + limit.window + Duration::seconds(1);
    assert!(!kontor::rate_limit::hit(&mut conn, &limit, "a@x.example", later).unwrap().is_limited());
}

#[test]
fn a_forgotten_password_is_reset_by_a_single_use_link() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut old_device = signed_up_and_verified(&server, &db, "forgetful@x.example", "Forgetful");
    let mut browser = server.browser();
    let answer_known = browser.submit("/password/forgot", &[("email", "forgetful@x.example")]);
    let answer_unknown = browser.submit("/password/forgot", &[("email", "nobody@x.example")]);
    assert_eq!(answer_known.status, 200);
    assert!(answer_known.notice().is_some());
    assert_eq!(answer_known.notice(), answer_unknown.notice(), "no account enumeration");
    let link = mailed_link(&server, &db, "forgetful@x.example", "/password/reset");
    assert_eq!(browser.get(&link).status, 200);
    let token = link.split("token=").nth(1).unwrap();
    let done =
        browser.submit("/password/reset", &[("token", token), ("password", "a brand new long secret")]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        browser.post("/password/reset", &[("token", token), ("password", "another long secret!")]).status,
        404
    );
    assert_eq!(old_device.get("/account").status, 303, "old sessions end with a reset");
    let response =
        browser.post("/login", &[("email", "forgetful@x.example"), ("password", "a brand new long secret")]);
    assert_eq!(response.status, 303);
}

#[test]
fn finance_staff_must_enrol_totp_before_the_back_office() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let site = server.settings.site();
    let email = kontor::accounts::email::EmailAddress::parse("fiona@kontor.example").unwrap();
    let (_, link) = db
        .conn()
        .transaction(|c| {
            staff::create_staff(c, &site, &email, kontor::accounts::Role::Finance, crate::support::now())
        })
        .unwrap();
    let path = &link[link.find("/password/set").unwrap()..];
    let token = path.split("token=").nth(1).unwrap();
    let mut browser = server.browser();
    assert_eq!(browser.get(path).status, 200);
    assert_eq!(
        browser.submit("/password/set", &[("token", token), ("password", "finance team secret 1")]).status,
        200
    );

    let signed_in =
        browser.post("/login", &[("email", "fiona@kontor.example"), ("password", "finance team secret 1")]);
    assert_eq!(signed_in.location(), "/backoffice/2fa/enrol");
    let back_office = browser.get("/backoffice");
    assert_eq!(back_office.status, 303, "no back office without 2FA");
    assert_eq!(back_office.location(), "/backoffice/2fa/enrol");
    let enrol = browser.get("/backoffice/2fa/enrol");
    let secret_start = enrol.body.find("class=\"secret\">").unwrap() + "class=\"secret\">".len();
    let secret = &enrol.body[secret_start..secret_start + 32];
    let secret = totp::TotpSecret::from_base32(secret).unwrap();
    let wrong = browser.post("/backoffice/2fa/enrol", &[("code", "000000")]);
    assert!(wrong.body.contains("not correct") || wrong.body.contains("code"), "{}", wrong.body);
    let code = totp::code_at(&secret, crate::support::now().timestamp() as u64);
    let codes = browser.post("/backoffice/2fa/enrol", &[("code", &code)]);
    assert_eq!(codes.status, 200);
    assert_eq!(codes.body.matches("<li><code>").count(), staff::RECOVERY_CODES);
    assert_eq!(browser.get("/backoffice").status, 200);

    // A new sign-in must pass the second factor; a recovery code works once.
    let recovery = {
        let start = codes.body.find("<li><code>").unwrap() + "<li><code>".len();
        codes.body[start..start + 11].to_owned()
    };
    let mut other = server.browser();
    let signed_in =
        other.post("/login", &[("email", "fiona@kontor.example"), ("password", "finance team secret 1")]);
    assert_eq!(signed_in.location(), "/login/2fa");
    assert_eq!(other.get("/backoffice").location(), "/login/2fa");
    assert_eq!(other.post("/login/2fa", &[("code", &recovery)]).location(), "/backoffice");
    assert_eq!(other.get("/backoffice").status, 200);
    let mut third = server.browser();
    third.post("/login", &[("email", "fiona@kontor.example"), ("password", "finance team secret 1")]);
    assert_eq!(third.post("/login/2fa", &[("code", &recovery)]).status, 200, "used recovery code is refused");
    assert_eq!(third.get("/backoffice").status, 303);
    // Everything above is in the audit log.
    let actions: Vec<String> = kontor::db::schema::audit_log::table
        .select(kontor::db::schema::audit_log::action)
        .load(&mut db.conn())
        .unwrap();
    for expected in [
        "staff.created",
        "password.set",
        "login.succeeded",
        "totp.enrolled",
        "totp.recovery_code_used",
        "totp.failed",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

#[test]
fn closing_an_account_signs_out_and_keeps_the_customer_record() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser = signed_up_and_verified(&server, &db, "leaving@x.example", "Leaving");
    let data = browser.get("/account/data.json");
    assert_eq!(data.status, 200);
    assert!(data.body.contains("leaving@x.example") && data.body.contains("\"audit_log\""));
    let wrong = browser.post("/account/close", &[("password", "not my password at all")]);
    assert_eq!(wrong.status, 200);
    assert_eq!(browser.get("/account").status, 200, "a wrong password closes nothing");
    let closed = browser.submit("/account/close", &[("password", PASSWORD)]);
    assert_eq!(closed.status, 200);
    assert!(closed.notice().is_some_and(|n| n.contains("closed")), "{}", closed.body);
    assert_eq!(browser.get("/account").status, 303);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM customers WHERE closed_at IS NOT NULL"), 1);
    let response = browser.post("/login", &[("email", "leaving@x.example"), ("password", PASSWORD)]);
    assert_eq!(response.status, 200, "a closed account cannot sign in");
}

#[test]
fn sessions_end_after_idle_and_absolute_timeouts() {
    use kontor::accounts::session;
    let db = TestDb::new();
    let server = TestServer::start(&db);
    signed_up_and_verified(&server, &db, "sleepy@x.example", "Sleepy");
    let mut conn = db.conn();
    let user = kontor::accounts::User::by_email(&mut conn, "sleepy@x.example").unwrap().unwrap();
    let start = crate::support::now();
    let token = session::start(&mut conn, user.id, "10.0.0.1", "test", start).unwrap();
    // Active every 20 minutes: alive for hours, until the absolute limit.
    let mut now = start;
    while now + Duration::minutes(20) < start + session::ABSOLUTE_TIMEOUT {
        now += Duration::minutes(20);
        assert!(session::resume(&mut conn, token.as_str(), now).unwrap().is_some(), "alive at {now}");
    }
    assert!(session::resume(&mut conn, token.as_str(), start + session::ABSOLUTE_TIMEOUT).unwrap().is_none());
    // Idle for longer than the idle timeout: over.
    let idle = session::start(&mut conn, user.id, "10.0.0.1", "test", start).unwrap();
    let later = start + session::IDLE_TIMEOUT + Duration::seconds(1);
    assert!(session::resume(&mut conn, idle.as_str(), later).unwrap().is_none());
    assert!(session::resume(&mut conn, "not-a-token", start).unwrap().is_none());
}

#[test]
fn changing_the_password_needs_the_current_one_and_signs_out_other_devices() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut laptop = signed_up_and_verified(&server, &db, "changer@x.example", "Changer");
    let mut phone = server.browser();
    phone.post("/login", &[("email", "changer@x.example"), ("password", PASSWORD)]);
    let wrong = laptop
        .post("/account/password", &[("current", "not the password"), ("password", "a new long password")]);
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("not correct"));
    let weak = laptop.post("/account/password", &[("current", PASSWORD), ("password", "1234567890")]);
    assert!(weak.body.contains("too common"), "{}", weak.body);
    let done =
        laptop.submit("/account/password", &[("current", PASSWORD), ("password", "a new long password")]);
    assert!(done.notice().is_some_and(|n| n.contains("changed")), "{}", done.body);
    assert_eq!(laptop.get("/account").status, 200, "this device stays signed in");
    assert_eq!(phone.get("/account").status, 303, "other devices are signed out");
    let mut fresh = server.browser();
    let response =
        fresh.post("/login", &[("email", "changer@x.example"), ("password", "a new long password")]);
    assert_eq!(response.status, 303);
}

#[test]
fn staff_are_created_and_managed_from_the_command_line() {
    let db = TestDb::new();
    let kontor = |args: &[&str]| {
        crate::support::kontor_command()
            .args(args)
            .env("DATABASE_URL", db.url())
            .env("KONTOR_PUBLIC_URL", "https://portal.example")
            .output()
            .unwrap()
    };
    let created = kontor(&["user", "create", "--email", "fin@kontor.example", "--role", "finance"]);
    let stdout = String::from_utf8_lossy(&created.stdout);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(stdout.contains("https://portal.example/password/set?token="), "{stdout}");
    assert!(stdout.contains("two-factor"), "{stdout}");
    let refused = kontor(&["user", "create", "--email", "x@kontor.example", "--role", "customer"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("support, finance or admin"));
    let changed = kontor(&["user", "role", "--email", "fin@kontor.example", "--role", "admin"]);
    assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
    let reset = kontor(&["user", "reset-2fa", "--email", "fin@kontor.example"]);
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let role: String = kontor::db::schema::users::table
        .select(kontor::db::schema::users::role)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(role, "admin");
    let actions: Vec<String> = kontor::db::schema::audit_log::table
        .order(kontor::db::schema::audit_log::id)
        .select(kontor::db::schema::audit_log::action)
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(actions, ["staff.created", "role.changed", "totp.disabled"]);
}
