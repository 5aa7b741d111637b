//! Shared test helpers of the bank capability: what its tests and other capabilities' tests use.

use crate::support::TestDb;
use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::money::Money;
use kontor::payments::bank::statement::{Movement, StatementHeader, write_camt053};
use kontor::payments::bank::{ImportRequest, Summary, import};
use rust_decimal::Decimal;

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

/// An open EUR invoice: id, number, customer, customer name, amount due, RF reference.
#[derive(Clone, Debug)]
pub struct Open {
    pub id: i64,
    pub number: String,
    pub customer: i64,
    pub name: String,
    pub due: Decimal,
    pub reference: String,
}

pub fn open_eur_invoices(db: &TestDb) -> Vec<Open> {
    crate::support::payments::invoiced(db, 24);
    use kontor::db::schema::{customers, invoices};
    invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .filter(
            invoices::kind
                .eq("invoice")
                .and(invoices::currency.eq("EUR"))
                .and(invoices::amount_due.gt(Decimal::ZERO)),
        )
        .order(invoices::id)
        .select((
            invoices::id,
            invoices::number,
            invoices::customer_id,
            customers::name,
            invoices::amount_due,
            invoices::payment_reference,
        ))
        .load::<(i64, String, i64, String, Decimal, String)>(&mut db.conn())
        .unwrap()
        .into_iter()
        .map(|(id, number, customer, name, due, reference)| Open {
            id,
            number,
            customer,
            name,
            due,
            reference,
        })
        .collect()
}

pub fn eur(amount: Decimal) -> Money {
    Money::new(amount, Currency::EUR)
}

pub fn statement_bytes(id: &str, movements: Vec<Movement>) -> Vec<u8> {
    let mut xml = Vec::new();
    write_camt053(&mut xml, &StatementHeader { id, iban: IBAN, created: day() }, movements).unwrap();
    xml
}

pub fn import_bytes(db: &TestDb, xml: &[u8]) -> Result<Summary, kontor::payments::bank::BankError> {
    let settings = crate::support::seller_settings();
    let returns = settings.sepa_returns();
    let accounts = settings.own_bank_accounts();
    let request = ImportRequest {
        file_name: "test.xml",
        actor: None,
        now: crate::support::now(),
        returns: &returns,
        accounts: &accounts,
    };
    import(&mut db.conn(), xml, &request, &|_| {})
}

pub const IBAN: &str = crate::support::SELLER_IBAN;
