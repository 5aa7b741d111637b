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
