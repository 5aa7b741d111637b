//! Shared test helpers of the payments capability: what its tests and other capabilities' tests use.

use crate::support::TestDb;
use crate::support::invoicing::{PERIOD, seed};
use diesel::prelude::*;
use rust_decimal::Decimal;

/// Issues the December invoices of `customers` seeded customers; returns (invoice, customer,
/// amount due, currency) of each, in id order.
pub fn invoiced(db: &TestDb, customers: i64) -> Vec<(i64, i64, Decimal, String)> {
    seed(db, customers);
    let now = "2026-12-01T06:00:00Z".parse().unwrap();
    crate::support::invoicing::run_batch(db, PERIOD, now);
    use kontor::db::schema::invoices::dsl as i;
    i::invoices
        .filter(i::kind.eq("invoice"))
        .order(i::id)
        .select((i::id, i::customer_id, i::amount_due, i::currency))
        .load::<(i64, i64, Decimal, String)>(&mut db.conn())
        .unwrap()
        .into_iter()
        .map(|(id, customer, due, currency)| (id, customer, due, currency.trim().to_owned()))
        .collect()
}
