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
