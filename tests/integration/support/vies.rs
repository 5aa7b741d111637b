//! Shared test helpers of the VIES check: the fake VIES (`kontor::tax::vies::fake`, which the
//! demo uses too) with the VAT IDs these tests know, and a stored valid check for business
//! customers that tests create directly in the database.

use kontor::country::VatId;
use kontor::ids::CustomerId;
use kontor::tax::vies::fake::{FakeVies, Known};
use kontor::tax::vies::{self, Answer, Verdict};

/// An Austrian company VIES knows (its check digit fits).
pub const AUSTRIAN_VALID: &str = "ATU13585627";
/// Another well-formed Austrian VAT ID, which VIES does not know.
pub const AUSTRIAN_INVALID: &str = "ATU10223006";

/// Where Kontor asks VIES in tests that start no fake: nobody listens there, so a check that
/// should not happen shows up as an `unavailable` row instead of a call to the Commission.
pub const NOWHERE: &str = "http://127.0.0.1:1";

/// A fake VIES on a free port that knows `AUSTRIAN_VALID` as a company and `AUSTRIAN_INVALID`
/// as invalid (as it does every VAT ID it was not told about).
pub fn fake() -> FakeVies {
    let fake = FakeVies::start().expect("the fake VIES starts");
    let company = Known::Valid {
        name: "Gruber Hosting GmbH".to_owned(),
        address: "Mariahilfer Straße 5\n1060 Wien".to_owned(),
    };
    fake.set(AUSTRIAN_VALID, company);
    fake.set(AUSTRIAN_INVALID, Known::Invalid);
    fake
}

/// The settings that point Kontor at `fake`.
pub fn env(fake: &FakeVies) -> Vec<(&'static str, String)> {
    vec![("KONTOR_VIES_URL", fake.url.clone())]
}

/// Records that VIES confirmed `vat_id` for `customer` at the tests' `now()`: what a business
/// customer created straight in the database needs to be reverse-charged.
pub fn confirmed(conn: &mut diesel::PgConnection, customer: i64, vat_id: &str) {
    assert!(VatId::try_from(vat_id.to_owned()).is_ok(), "a well-formed VAT ID: {vat_id}");
    let answer = Answer { verdict: Verdict::Valid, ..Answer::default() };
    vies::record(conn, CustomerId(customer), vat_id, &answer, crate::support::now()).unwrap();
}
