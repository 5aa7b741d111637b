//! What customers do on their own: see prices as they pay them, find everything stored about
//! them in "My data", and use every page on a phone.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::support::accounts::{signed_up_and_verified, signed_up_in};
use crate::support::{TestDb, TestServer, count};

fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn consumers_see_gross_prices_in_their_currency_and_businesses_net_plus_vat() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut erik = signed_up_in(&server, &db, "erik@example.se", "Erik Lindqvist", "SE", "sv");
    assert_eq!(erik.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    let today = server.settings.clock.today();
    let net: Decimal = kontor::catalog::price_on(
        &mut db.conn(),
        kontor::subscriptions::trial::BASE_PLAN,
        iso_currency::Currency::SEK,
        today,
    )
    .unwrap()
    .amount();
    let sv = kontor::i18n::Lang::supported("sv").unwrap();
    let gross = kontor::i18n::format::money_in(&sv, net * Decimal::new(125, 2), "SEK");
    let expected = plain(&format!("{gross} inkl. 25 % moms"));
    for page in ["/account", "/account/subscription/cancel"] {
        let body = plain(&erik.get(page).body);
        assert!(body.contains(&expected), "{page} shows {expected}: {body}");
        assert!(!body.contains('€'), "{page}: no euros for a Swede");
    }
    assert!(plain(&erik.get("/account/storage").body).contains("inkl. 25 % moms"), "pack prices too");

    // A German business (VAT ID on file) sees the net price plus VAT.
    let mut firm = signed_up_and_verified(&server, &db, "firm@x.example", "Firm");
    let customer = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'firm@x.example'");
    diesel::sql_query(format!("UPDATE customers SET vat_id = 'DE123456789' WHERE id = {customer}"))
        .execute(&mut db.conn())
        .unwrap();
    assert_eq!(firm.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    let body = plain(&firm.get("/account").body);
    assert!(body.contains("€1.00 plus 19 % VAT"), "{body}");
}

#[test]
fn the_home_page_states_the_price_for_the_chosen_country() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut visitor = server.browser();
    let swedish = plain(&visitor.get("/?country=SE").body);
    assert!(
        swedish.contains("Price for Sweden:") && swedish.contains("SEK 15.00 incl. 25 % VAT"),
        "{swedish}"
    );
    assert!(!swedish.contains("guessed"), "a chosen country is not a guess");
    let swiss = plain(&visitor.get("/?country=CH").body);
    assert!(swiss.contains("Price for Switzerland:") && swiss.contains("CHF"), "{swiss}");
    // Nonsense falls back to the guess, never an error.
    let guessed = visitor.get("/?country=XX");
    assert_eq!(guessed.status, 200);
    assert!(guessed.body.contains("guessed"));
}

#[test]
fn my_data_holds_a_section_for_every_table_about_the_customer_and_no_secrets() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    // Every table (or view) with a column naming a customer or a user is exported, or said
    // not to be and why (see `my_data::NOT_EXPORTED`).
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT DISTINCT table_name::text AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name IN ('customer_id', 'user_id', 'actor_user_id')
          ORDER BY 1",
    )
    .load(&mut db.conn())
    .unwrap();
    use kontor::accounts::my_data::{NOT_EXPORTED, SECTIONS};
    assert!(tables.len() > 20, "{}", tables.len());
    for table in &tables {
        assert!(
            SECTIONS.iter().any(|(name, _, _)| *name == table.name)
                || NOT_EXPORTED.contains(&table.name.as_str()),
            "{} names a customer or user but is not in My data",
            table.name
        );
    }

    let (mut erik, _, number, _) = crate::statement::erik_invoiced_and_overpaid(&server, &db);
    let response = erik.get("/account/data.json");
    assert_eq!(response.status, 200);
    let data: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    for (table, _, hidden) in SECTIONS {
        let rows = data[*table].as_array().unwrap_or_else(|| panic!("section {table} in {data}"));
        for row in rows {
            for column in *hidden {
                assert!(row.get(*column).is_none(), "{table}.{column} is never exported");
            }
        }
    }
    let rows = |table: &str| data[table].as_array().unwrap().len();
    for table in [
        "customers",
        "users",
        "sessions",
        "subscriptions",
        "invoices",
        "invoice_lines",
        "documents",
        "payment_receipts",
        "payment_allocations",
        "ledger_accounts",
        "mail_outbox",
        "audit_log",
    ] {
        assert!(rows(table) >= 1, "{table} holds Erik's rows: {}", data[table]);
    }
    assert_eq!(data["invoices"][0]["number"], number.as_str());
    assert!(!response.body.contains("argon2"), "no password hash");

    // Bob's export holds nothing of Erik's.
    let mut bob = signed_up_and_verified(&server, &db, "bob@x.example", "Bob");
    let theirs = bob.get("/account/data.json").body;
    assert!(!theirs.contains("erik@example.se") && !theirs.contains(&number), "{theirs}");
}

/// Every page a customer sees, for the phone and accessibility checks (with Erik's invoice).
fn customer_pages(number: &str) -> Vec<String> {
    [
        "/account",
        "/account/statement",
        "/account/statement?year=2026",
        "/account/invoices",
        "/account/storage",
        "/account/storage/add?plan=storage_pack_10gb",
        "/account/subscription/cancel",
        "/account/direct-debit",
        "/account/payment-methods",
        "/account/incidents",
        "/account/settings",
        "/account/sessions",
        "/status",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .chain([format!("/account/invoices/{number}")])
    .collect()
}

#[test]
fn on_a_phone_erik_sees_his_balance_in_kronor_downloads_his_statement_and_every_page_passes_axe() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let (_, _, number, _) = crate::statement::erik_invoiced_and_overpaid(&server, &db);
    let Some(chromium) = server.chromium() else { return };
    chromium.window_size(390, 844);

    // Public pages first, signed out.
    for page in ["/", "/login", "/signup", "/password/forgot"] {
        chromium.goto(page);
        let violations = chromium.serious_accessibility_violations();
        assert!(violations.is_empty(), "{page}: {violations:#?}");
        let (viewport, content) = chromium.widths();
        assert!(content <= viewport, "{page} scrolls sideways at 390 px: {content} > {viewport}");
    }

    chromium.goto("/login");
    chromium.fill_all(&[("email", "erik@example.se"), ("password", crate::support::accounts::PASSWORD)]);
    chromium.click_in("form[action=\"/login\"]", "Sign in");
    chromium.wait_for_url("/account");
    let (viewport, _) = chromium.widths();
    assert!(viewport <= 390, "the window is a phone's: {viewport}");

    // The statement, from the dashboard: the balance in kronor.
    chromium.click_in("main", "Kontoutdrag och kvitton");
    chromium.wait_for_url("/account/statement");
    let text = plain(&chromium.wait_for_text("Kontoutdrag"));
    let credit = plain(&kontor::i18n::format::money_in(
        &kontor::i18n::Lang::supported("sv").unwrap(),
        -Decimal::TEN,
        "SEK",
    ));
    assert!(text.contains(&credit), "the balance in kronor ({credit}): {text}");
    // Amounts never break inside: each sits on one line in its card.
    let amounts_unbroken = chromium.script(
        "return [...document.querySelectorAll('.amount')].every(e => e.getClientRects().length <= 1 && getComputedStyle(e).whiteSpace === 'nowrap');",
    );
    assert_eq!(amounts_unbroken, serde_json::Value::Bool(true));

    // The PDF and CSV behind the links.
    let pdf_link = chromium.link("Ladda ner som PDF");
    let (response, pdf) = chromium.http().get_bytes(&pdf_link);
    assert_eq!(response.status, 200, "{}", response.head);
    assert!(pdf.starts_with(b"%PDF"));
    let (response, csv) = chromium.http().get_bytes(&chromium.link("Ladda ner som CSV (kalkylark)"));
    assert_eq!(response.status, 200);
    assert!(String::from_utf8(csv).unwrap().contains(&number));

    // The language links keep the page; a reload keeps it too.
    chromium.click_css("nav.languages a[hreflang=\"en\"]");
    chromium.wait_for_url("/account/statement");
    chromium.wait_for_text("Account statement");
    chromium.reload();
    chromium.wait_for_text("Account statement");

    // A form's result page, reloaded, does it once: adding a storage pack.
    chromium.goto("/account/storage/add?plan=storage_pack_10gb");
    let packs = || count(&db, "SELECT count(*) AS n FROM subscription_packs");
    let before = packs();
    chromium.click_css("main form button[type=\"submit\"]");
    chromium.wait_for_url("/account/storage?submission=");
    chromium.reload();
    chromium.wait_for_url("/account/storage");
    assert_eq!(packs(), before + 1, "one pack, however often the result is reloaded");

    // Every customer page: usable at 390 px and no serious accessibility violation.
    for page in customer_pages(&number) {
        chromium.goto(&page);
        let violations = chromium.serious_accessibility_violations();
        assert!(violations.is_empty(), "{page}: {violations:#?}");
        let (viewport, content) = chromium.widths();
        assert!(content <= viewport, "{page} scrolls sideways at 390 px: {content} > {viewport}");
    }

    // The check can fail: a field without a label is a critical violation axe reports.
    chromium.script("const i = document.createElement('input'); document.querySelector('main').appendChild(i); return true;");
    let found = chromium.serious_accessibility_violations();
    assert!(found.iter().any(|v| v.starts_with("label:")), "{found:#?}");

    // Signed out, the page says so and offers signing in, not the account menu.
    chromium.click_in("header", "Sign out");
    chromium.wait_for_url("/login");
    let html = chromium.html();
    assert!(!html.contains("action=\"/logout\""), "no sign-out button after signing out");
    chromium.reload();
    assert!(!chromium.html().contains("action=\"/logout\""));
}

/// The text of the one outbox mail under `key`; fails when there is none or more than one.
fn queued(db: &TestDb, key: &str) -> String {
    use kontor::db::schema::mail_outbox;
    let texts: Vec<(String, String)> = mail_outbox::table
        .filter(mail_outbox::idempotency_key.eq(key))
        .select((mail_outbox::subject, mail_outbox::text_body))
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(texts.len(), 1, "one mail under {key}");
    let (subject, text) = &texts[0];
    plain(&format!("{subject}\n{text}"))
}

#[test]
fn free_month_packs_and_mandates_are_confirmed_by_email_once_however_often_the_form_is_sent() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut anna = signed_up_and_verified(&server, &db, "anna@x.example", "Anna");
    let customer = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'anna@x.example'");

    // The free month: its last day (inclusive) and the price after it, as Anna will pay it.
    assert_eq!(anna.submit("/account/subscription/start", &[("mode", "trial")]).status, 200);
    anna.reload_result();
    let trial_end: chrono::NaiveDate = kontor::db::schema::subscriptions::table
        .select(kontor::db::schema::subscriptions::trial_ends_on.assume_not_null())
        .first(&mut db.conn())
        .unwrap();
    let last_day = kontor::i18n::format::date(
        &kontor::i18n::Lang::english(),
        kontor::subscriptions::period::last_day(trial_end),
    );
    let mail = queued(&db, &format!("free-month-started:{customer}"));
    assert!(mail.contains("Your free month has started"), "{mail}");
    assert!(mail.contains(&format!("until {last_day} (inclusive)")), "{mail}");
    assert!(mail.contains("€1.19 incl. 19 % VAT a month"), "{mail}");

    // A pack added, the result reloaded: one mail; removed: one more.
    assert_eq!(anna.submit("/account/storage/add", &[("plan", "storage_pack_10gb")]).status, 200);
    anna.reload_result();
    let pack = count(&db, "SELECT max(id) AS n FROM subscription_packs");
    let mail = queued(&db, &format!("pack-added:{pack}"));
    assert!(mail.contains("Storage pack added") && mail.contains("incl. 19 % VAT a month"), "{mail}");
    assert_eq!(anna.submit(&format!("/account/storage/{pack}/remove"), &[]).status, 200);
    anna.reload_result();
    let mail = queued(&db, &format!("pack-removed:{pack}"));
    assert!(mail.contains("Storage pack removed") && mail.contains("(inclusive)"), "{mail}");
    // Queued again by the same change (a retry), the mail is still one: the outbox key is unique.
    let site = server.settings.site();
    kontor::subscriptions::notices::pack_added(
        &mut db.conn(),
        &site,
        &server.settings.billing(),
        kontor::ids::CustomerId(customer),
        pack,
    )
    .unwrap();
    queued(&db, &format!("pack-added:{pack}"));

    // A mandate: the text as accepted and the creditor's full name and address.
    let fields = [("debtor_name", "Anna Berg"), ("iban", "DE89370400440532013000"), ("accept", "yes")];
    assert_eq!(anna.submit("/account/direct-debit", &fields).status, 200);
    anna.reload_result();
    let mandate = count(&db, "SELECT max(id) AS n FROM sepa_mandates");
    let mail = queued(&db, &format!("mandate-signed:{mandate}"));
    let seller = &server.settings.seller;
    let reference: String = kontor::db::schema::sepa_mandates::table
        .find(mandate)
        .select(kontor::db::schema::sepa_mandates::reference)
        .first(&mut db.conn())
        .unwrap();
    let text = kontor::payments::sepa::mandate_text(
        &kontor::i18n::Lang::english(),
        &seller.name,
        &server.settings.sepa.creditor_id,
        &reference,
    );
    assert!(mail.contains(&plain(&text)), "the mandate text as accepted: {mail}");
    assert!(mail.contains("ending …3000"), "{mail}");
    for line in std::iter::once(&seller.name).chain(&seller.address) {
        assert!(mail.contains(line.as_str()), "the creditor's address names {line}: {mail}");
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sepa_mandates"), 1, "one mandate");
}

#[test]
fn the_storage_page_offers_a_bigger_or_smaller_pack_with_its_price_and_switches_once() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut anna = signed_up_and_verified(&server, &db, "anna@x.example", "Anna");
    assert_eq!(anna.post("/account/subscription/start", &[("mode", "paid")]).status, 303);
    assert_eq!(anna.post("/account/storage/add", &[("plan", "storage_pack_50gb")]).status, 303);
    let pack = count(&db, "SELECT max(id) AS n FROM subscription_packs");
    let page = plain(&anna.get("/account/storage").body);
    let form =
        &page[page.find(&format!("action=\"/account/storage/{pack}/switch\"")).expect("a switch form")..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains("Online storage +100 GB") && form.contains("at once"), "bigger: at once: {form}");
    assert!(
        form.contains("Online storage +10 GB") && form.contains("the next period"),
        "smaller: later: {form}"
    );
    assert!(form.contains("incl. 19 % VAT"), "each with its price: {form}");
    assert!(!form.contains("Mailbox +"), "only packs of the same storage: {form}");

    let done = anna.submit(&format!("/account/storage/{pack}/switch"), &[("plan", "storage_pack_100gb")]);
    assert_eq!(done.status, 200);
    assert!(done.body.contains("The change takes effect on"), "{}", done.body);
    anna.reload_result();
    let packs = |sql: &str| count(&db, &format!("SELECT count(*) AS n FROM subscription_packs WHERE {sql}"));
    assert_eq!(packs("plan_code = 'storage_pack_100gb'"), 1, "switched once");
    assert_eq!(packs(&format!("id = {pack} AND ends_on IS NOT NULL")), 1, "the old pack ends");
    // The ending pack offers no switch any more.
    assert!(!anna.get("/account/storage").body.contains(&format!("/account/storage/{pack}/switch")));
}

#[test]
fn the_payment_methods_page_says_how_the_next_invoice_is_paid() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut anna = signed_up_and_verified(&server, &db, "anna@x.example", "Anna");
    assert!(anna.get("/account").body.contains("href=\"/account/payment-methods\""));
    let page = plain(&anna.get("/account/payment-methods").body);
    assert!(page.contains("is paid by bank transfer to this account"), "{page}");
    let iban = kontor::documents::printed::grouped(&server.settings.seller.iban, 4);
    assert!(page.contains(&iban), "the account of her currency: {page}");
    assert!(page.contains("Set up a direct debit mandate"));

    let fields = [("debtor_name", "Anna Berg"), ("iban", "DE89370400440532013000"), ("accept", "yes")];
    assert_eq!(anna.post("/account/direct-debit", &fields).status, 303);
    let page = plain(&anna.get("/account/payment-methods").body);
    assert!(
        page.contains("will be debited from your account IBAN ending …3000 under mandate KONTOR-"),
        "{page}"
    );
    assert!(page.contains("Replace or revoke the mandate"), "{page}");
    assert!(!page.contains(&iban), "no transfer details when the invoice is debited");
}
