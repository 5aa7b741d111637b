//! Shared test helpers of the accounts capability: what its tests and other capabilities' tests use.

use crate::support::{Browser, TestDb, TestServer};
use diesel::prelude::*;
use kontor::accounts::{staff, totp};
use kontor::mail::{FileTransport, deliver_pending};

pub const PASSWORD: &str = "correct horse battery staple";

/// Delivers the outbox to .eml files and returns the newest mail to `recipient`, decoded.
pub fn delivered_mail(server: &TestServer, db: &TestDb, recipient: &str) -> String {
    let transport = FileTransport::new(&server.mail_dir);
    deliver_pending(&mut db.conn(), &transport, &server.settings.mail_from, crate::support::now(), 100)
        .unwrap();
    let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&server.mail_dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| (e.metadata().unwrap().modified().unwrap(), std::fs::read_to_string(e.path()).unwrap()))
        .filter(|(_, text)| text.contains(&format!("To: {recipient}")))
        .collect();
    mails.sort();
    let (_, mail) = mails.last().unwrap_or_else(|| panic!("no mail to {recipient}"));
    decode_quoted_printable(mail)
}

/// The path+query of the newest link to `path` in a mail to `recipient`.
pub fn mailed_link(server: &TestServer, db: &TestDb, recipient: &str, path: &str) -> String {
    let decoded = delivered_mail(server, db, recipient);
    let start =
        decoded.find(&format!("{path}?token=")).unwrap_or_else(|| panic!("no {path} link in {decoded}"));
    decoded[start..].split(|c: char| c.is_whitespace() || c == '"' || c == '<').next().unwrap().to_owned()
}

pub fn signed_up_and_verified(server: &TestServer, db: &TestDb, email: &str, name: &str) -> Browser {
    signed_up_in(server, db, email, name, "DE", "en")
}

/// A customer living in `country` (ISO alpha-2), reading `language`, signed up, verified and
/// signed in.
pub fn signed_up_in(
    server: &TestServer,
    db: &TestDb,
    email: &str,
    name: &str,
    country: &str,
    language: &str,
) -> Browser {
    let mut browser = server.browser();
    let mut fields = signup_fields(email, name, language);
    for field in fields.iter_mut().filter(|(key, _)| *key == "country") {
        field.1 = country;
    }
    let response = browser.submit("/signup", &fields);
    assert_eq!(response.status, 200, "{}", response.body);
    let link = mailed_link(server, db, email, "/verify");
    assert_eq!(browser.get(&link).status, 200);
    let response = browser.post("/login", &[("email", email), ("password", PASSWORD)]);
    assert_eq!(response.status, 303, "{}", response.body);
    browser
}

/// A staff member signed in to the back office (TOTP enrolled where the role needs it).
pub fn staff_browser(server: &TestServer, db: &TestDb, email: &str, role: kontor::accounts::Role) -> Browser {
    let site = server.settings.site();
    let address = kontor::accounts::email::EmailAddress::parse(email).unwrap();
    let (_, link) = db
        .conn()
        .transaction(|c| staff::create_staff(c, &site, &address, role, crate::support::now()))
        .unwrap();
    let path = &link[link.find("/password/set").unwrap()..];
    let token = path.split("token=").nth(1).unwrap();
    let mut browser = server.browser();
    browser.post("/password/set", &[("token", token), ("password", "staff member secret 1")]);
    browser.post("/login", &[("email", email), ("password", "staff member secret 1")]);
    if role.requires_second_factor() {
        let enrol = browser.get("/backoffice/2fa/enrol");
        let start = enrol.body.find("class=\"secret\">").unwrap() + "class=\"secret\">".len();
        let secret = totp::TotpSecret::from_base32(&enrol.body[start..start + 32]).unwrap();
        let code = totp::code_at(&secret, crate::support::now().timestamp() as u64);
        browser.post("/backoffice/2fa/enrol", &[("code", &code)]);
    }
    assert_eq!(browser.get("/backoffice").status, 200, "{email} is in the back office");
    browser
}

pub fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn signup_fields<'a>(email: &'a str, name: &'a str, language: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("password", PASSWORD),
        ("name", name),
        ("street", "Hauptstraße 1"),
        ("postal_code", "10115"),
        ("city", "Berlin"),
        ("country", "DE"),
        ("language", language),
    ]
}
