//! Changing an email address: customers in their settings (password, a link to the new
//! address, the old one told and able to take the account back), a taken address answered
//! like a free one, and admins changing a staff member's address from the command line.

use diesel::prelude::*;
use kontor::db::schema::{customers, users};

use crate::support::accounts::{PASSWORD, delivered_mail, mailed_link, signed_up_and_verified};
use crate::support::{TestDb, TestServer, count};

fn address_of(db: &TestDb, user_email_like: &str) -> (String, String) {
    users::table
        .inner_join(customers::table)
        .filter(users::email.ilike(user_email_like))
        .select((users::email, customers::email))
        .first(&mut db.conn())
        .unwrap()
}

fn audited(db: &TestDb, action: &str) -> i64 {
    count(db, &format!("SELECT count(*) AS n FROM audit_log WHERE action = '{action}'"))
}

fn links(db: &TestDb, purpose: &str) -> i64 {
    count(db, &format!("SELECT count(*) AS n FROM one_time_tokens WHERE purpose = '{purpose}'"))
}

#[test]
fn a_customer_changes_their_address_by_a_link_to_it_and_the_old_address_is_told() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser = signed_up_and_verified(&server, &db, "nora@x.example", "Nora");

    // Bad input is refused with a message beside the field and changes nothing.
    let wrong =
        browser.post("/account/email", &[("new_email", "nora@y.example"), ("email_password", "wrong")]);
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("The password is not correct"), "{}", wrong.body);
    let garbage = browser.post("/account/email", &[("new_email", "nora"), ("email_password", PASSWORD)]);
    assert_eq!(garbage.status, 422);
    assert!(garbage.body.contains("Please enter a valid email address"), "{}", garbage.body);
    let same =
        browser.post("/account/email", &[("new_email", "NORA@X.example"), ("email_password", PASSWORD)]);
    assert_eq!(same.status, 422);
    assert!(same.body.contains("This is already your email address"), "{}", same.body);
    assert_eq!(links(&db, "change_email"), 0);
    assert_eq!(audited(&db, "password.check_failed"), 1, "the wrong password counted");

    // The request: a link to the new address, and nothing changes yet.
    let sent = browser
        .submit("/account/email", &[("new_email", "Nora.Neu@Y.example"), ("email_password", PASSWORD)]);
    assert_eq!(sent.status, 200, "{}", sent.body);
    let notice = sent.notice().expect("a notice");
    assert!(notice.contains("We have sent a link to Nora.Neu@y.example"), "{notice}");
    let again = browser.reload_result();
    assert_eq!(again.notice(), Some(notice.clone()), "a reload shows the same result");
    assert_eq!(links(&db, "change_email"), 1, "and sends no second link");
    assert_eq!(address_of(&db, "nora@x.example"), ("nora@x.example".to_owned(), "nora@x.example".to_owned()));
    assert_eq!(audited(&db, "email.change_requested"), 1);

    // The link: a page that asks, then the change.
    let link = mailed_link(&server, &db, "Nora.Neu@y.example", "/email/confirm");
    let page = browser.get(&link);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nora.Neu@y.example"), "{}", page.body);
    assert_eq!(links(&db, "restore_email"), 0, "opening the link changes nothing");
    let token = link.split("token=").nth(1).unwrap();
    let done = browser.submit("/email/confirm", &[("token", token)]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.request_path.split('?').next(), Some("/account/settings"));
    let notice = done.notice().expect("a notice");
    assert!(notice.contains("Your email address is now Nora.Neu@y.example"), "{notice}");
    let again = browser.reload_result();
    assert_eq!(again.notice(), Some(notice), "a reload shows the same result");
    assert_eq!(audited(&db, "email.changed"), 1, "changed once");
    assert_eq!(
        address_of(&db, "nora.neu@y.example"),
        ("Nora.Neu@y.example".to_owned(), "Nora.Neu@y.example".to_owned()),
        "the log-in and the customer record"
    );
    // The session stayed; the used link is gone.
    assert_eq!(browser.get("/account").status, 200);
    assert_eq!(browser.get(&link).status, 404);

    // The old address is told where to (masked), with the way back.
    let old = delivered_mail(&server, &db, "nora@x.example");
    assert!(old.contains("N…@y….example"), "{old}");
    assert!(!old.contains("Nora.Neu@y.example"), "the new address in full stays out of the old mailbox");
    assert!(old.contains("/email/restore?token="), "{old}");

    // Signing in: the new address works, the old one no longer does.
    let mut fresh = server.browser();
    assert_eq!(fresh.post("/login", &[("email", "nora@x.example"), ("password", PASSWORD)]).status, 200);
    let mut fresh = server.browser();
    assert_eq!(fresh.post("/login", &[("email", "nora.neu@y.example"), ("password", PASSWORD)]).status, 303);
}

#[test]
fn a_taken_address_gets_the_same_answer_and_its_owner_is_warned() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let _owner = signed_up_and_verified(&server, &db, "owner@x.example", "Owner");
    let mut browser = signed_up_and_verified(&server, &db, "taker@x.example", "Taker");

    let taken =
        browser.submit("/account/email", &[("new_email", "OWNER@x.example"), ("email_password", PASSWORD)]);
    let free =
        browser.submit("/account/email", &[("new_email", "free@x.example"), ("email_password", PASSWORD)]);
    assert_eq!((taken.status, free.status), (200, 200));
    let words = |r: &crate::support::Response, address: &str| r.notice().unwrap().replace(address, "…");
    assert_eq!(words(&taken, "OWNER@x.example"), words(&free, "free@x.example"), "one answer for both");
    assert_eq!(links(&db, "change_email"), 1, "a link only to the free address");
    let warning = delivered_mail(&server, &db, "owner@x.example");
    assert!(warning.contains("Someone tried to use your email address"), "{warning}");
    assert_eq!(audited(&db, "email.change_taken"), 1);

    // Taken between the link and its use: refused, nothing changes.
    let link = mailed_link(&server, &db, "free@x.example", "/email/confirm");
    let _late = signed_up_and_verified(&server, &db, "free@x.example", "Quick");
    let token = link.split("token=").nth(1).unwrap();
    let refused = browser.post("/email/confirm", &[("token", token)]);
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("already used by another account"), "{}", refused.body);
    assert_eq!(address_of(&db, "taker@x.example").0, "taker@x.example");
    assert_eq!(audited(&db, "email.changed"), 0);

    // Links to addresses of one's choosing are limited.
    let third = browser.post("/account/email", &[("new_email", "c@x.example"), ("email_password", PASSWORD)]);
    assert_eq!(third.status, 303);
    let fourth =
        browser.post("/account/email", &[("new_email", "d@x.example"), ("email_password", PASSWORD)]);
    assert_eq!(fourth.status, 429, "{}", fourth.body);
    assert_eq!(links(&db, "change_email"), 2);
}

#[test]
fn the_old_address_takes_the_account_back_and_everyone_is_signed_out() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut intruder = signed_up_and_verified(&server, &db, "victim@x.example", "Victim");
    intruder.submit("/account/email", &[("new_email", "intruder@y.example"), ("email_password", PASSWORD)]);
    let link = mailed_link(&server, &db, "intruder@y.example", "/email/confirm");
    intruder.submit("/email/confirm", &[("token", link.split("token=").nth(1).unwrap())]);
    assert_eq!(address_of(&db, "intruder@y.example").0, "intruder@y.example");

    // The owner, reading the old mailbox in another browser.
    let restore = mailed_link(&server, &db, "victim@x.example", "/email/restore");
    let mut owner = server.browser();
    let page = owner.get(&restore);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("victim@x.example"), "{}", page.body);
    let token = restore.split("token=").nth(1).unwrap();
    let done = owner.submit("/email/restore", &[("token", token)]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.request_path.split('?').next(), Some("/password/forgot"));
    assert!(done.notice().unwrap().contains("is victim@x.example again"), "{:?}", done.notice());
    assert_eq!(owner.reload_result().notice(), done.notice(), "a reload shows the same result");
    assert_eq!(
        address_of(&db, "victim@x.example"),
        ("victim@x.example".to_owned(), "victim@x.example".to_owned())
    );
    assert_eq!(audited(&db, "email.restored"), 1);
    // Whoever changed it is signed out; the owner resets the password at their own address.
    assert_eq!(intruder.get("/account").status, 303);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sessions"), 0);
    assert_eq!(owner.get(&restore).status, 404, "the link works once");
}

#[test]
fn an_admin_changes_a_staff_members_address_from_the_command_line_and_both_are_told() {
    let db = TestDb::new();
    let site = kontor::config::Settings::from_lookup(|_| None).unwrap().site();
    let address = kontor::accounts::email::EmailAddress::parse("sue@kontor.example").unwrap();
    db.conn()
        .transaction(|c| {
            kontor::accounts::staff::create_staff(
                c,
                &site,
                &address,
                kontor::accounts::Role::Support,
                crate::support::now(),
            )
        })
        .unwrap();
    let run = |args: &[&str]| {
        crate::support::kontor_command()
            .args(["user", "email"])
            .args(args)
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap()
    };
    let changed = run(&["--email", "sue@kontor.example", "--new", "susan@kontor.example"]);
    assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
    let email: String = users::table.select(users::email).first(&mut db.conn()).unwrap();
    assert_eq!(email, "susan@kontor.example");
    for recipient in ["sue@kontor.example", "susan@kontor.example"] {
        assert_eq!(
            count(&db, &format!("SELECT count(*) AS n FROM mail_outbox WHERE recipient = '{recipient}'")),
            1,
            "{recipient} is told"
        );
    }
    assert_eq!(audited(&db, "staff.email_changed"), 1);
    // Unknown staff and taken addresses are refused and change nothing.
    assert!(!run(&["--email", "nobody@kontor.example", "--new", "x@kontor.example"]).status.success());
    crate::support::invoicing::seed(&db, 1);
    let customer: String = customers::table.select(customers::email).first(&mut db.conn()).unwrap();
    let taken = run(&["--email", "susan@kontor.example", "--new", &customer]);
    assert!(!taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("belongs to another account"));
    assert_eq!(audited(&db, "staff.email_changed"), 1);
}
