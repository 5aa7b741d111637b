//! Shared test helpers of the sepa capability: what its tests and other capabilities' tests use.

use crate::support::TestDb;
use chrono::NaiveDate;
use diesel::prelude::*;
use kontor::ids::CustomerId;
use kontor::payments::sepa::{MandateRequest, SepaError, create_mandate};
use rust_decimal::Decimal;

pub fn settings() -> kontor::config::Settings {
    kontor::config::Settings::from_lookup(|name| match name {
        "KONTOR_SEPA_RETURN_FEE" => Some("3.00 EUR".to_owned()),
        _ => None,
    })
    .unwrap()
}

pub fn mandate(db: &TestDb, customer: i64, iban: &str) -> Result<kontor::payments::sepa::Mandate, SepaError> {
    let lang = kontor::i18n::Lang::english();
    let mut conn = db.conn();
    conn.transaction(|conn| {
        create_mandate(
            conn,
            &MandateRequest {
                customer: CustomerId(customer),
                actor: None,
                ip: "test",
                debtor_name: "Jürgen Weiß",
                iban,
                bic: "",
                accepted: true,
                language: &lang,
                creditor_name: "Kontor Hosting GmbH",
                creditor_id: "DE98ZZZ09999999999",
                today: day("2026-12-01"),
                now: chrono::TimeZone::from_utc_datetime(
                    &chrono::Utc,
                    &day("2026-12-01").and_hms_opt(9, 0, 0).expect("valid"),
                ),
            },
        )
    })
}

pub fn e2e_of(db: &TestDb, customer: i64) -> (String, Decimal, i64) {
    use kontor::db::schema::direct_debit_collections::dsl as c;
    c::direct_debit_collections
        .filter(c::customer_id.eq(customer))
        .select((c::end_to_end_id, c::amount, c::invoice_id))
        .first(&mut db.conn())
        .unwrap()
}

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}
