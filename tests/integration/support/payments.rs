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

/// Where the test seller's emails link to: what receipts need to tell a customer their invoice
/// is paid.
pub fn site() -> kontor::site::Site {
    crate::support::seller_settings().site()
}

/// A queued "invoice paid" email, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidEmail {
    pub key: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub text: String,
}

/// Every "invoice paid" email in the outbox, in the order queued.
pub fn paid_emails(db: &TestDb) -> Vec<PaidEmail> {
    use kontor::db::schema::mail_outbox as m;
    m::table
        .filter(m::idempotency_key.like("invoice-paid:%"))
        .order(m::id)
        .select((m::idempotency_key, m::recipient, m::language, m::subject, m::text_body))
        .load::<(String, String, String, String, String)>(&mut db.conn())
        .unwrap()
        .into_iter()
        .map(|(key, recipient, language, subject, text)| PaidEmail {
            key,
            recipient,
            language,
            subject,
            text,
        })
        .collect()
}

/// The journal entry of the receipt that paid `invoice` last: its receipt page's number.
pub fn last_receipt_entry(db: &TestDb, invoice: i64) -> i64 {
    use kontor::db::schema::payment_allocations as a;
    a::table
        .filter(a::invoice_id.eq(invoice).and(a::amount.gt(Decimal::ZERO)))
        .order(a::id.desc())
        .select(a::ledger_entry_id)
        .first(&mut db.conn())
        .unwrap()
}

/// Sets the language `customer` reads their mail in.
pub fn set_language(db: &TestDb, customer: i64, language: &str) {
    use kontor::db::schema::customers as c;
    diesel::update(c::table.find(customer)).set(c::language.eq(language)).execute(&mut db.conn()).unwrap();
}
