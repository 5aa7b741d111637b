//! Shared test helpers of the paypal capability: what its tests and other capabilities' tests use.

use crate::support::{TestDb, TestServer};
use kontor::payments::paypal::fake::FakePayPal;
use rust_decimal::Decimal;

pub struct World {
    pub db: TestDb,
    pub fake: FakePayPal,
    pub server: TestServer,
    /// (invoice id, customer, amount due, currency) of the seeded December invoices.
    pub invoices: Vec<(i64, i64, Decimal, String)>,
}
