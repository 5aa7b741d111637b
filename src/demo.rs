//! Demo data for `kontor demo`: customers in every country Kontor serves and a few ledger
//! entries. Loading twice changes nothing (unique email, idempotency keys).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use iso_currency::Currency;

use crate::db::schema::customers;
use crate::ledger::chart::{CustomerAccount, SystemAccount};
use crate::ledger::{CustomerId, LedgerError, NewEntry, NewPosting, post_entry};
use crate::money::Money;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("demo data: {0}")]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCustomer {
    pub email: &'static str,
    pub name: &'static str,
    pub country: &'static str,
    pub language: &'static str,
    pub currency: &'static str,
}

const fn customer(
    email: &'static str,
    name: &'static str,
    country: &'static str,
    language: &'static str,
    currency: &'static str,
) -> DemoCustomer {
    DemoCustomer {
        email,
        name,
        country,
        language,
        currency,
    }
}

/// `.example` is reserved (RFC 2606): these addresses can never reach a real person.
pub const CUSTOMERS: &[DemoCustomer] = &[
    customer("anna.schmidt@de.example", "Anna Schmidt", "DE", "de", "EUR"),
    customer("lukas.gruber@at.example", "Lukas Gruber", "AT", "de", "EUR"),
    customer("lea.meier@ch.example", "Lea Meier", "CH", "de", "CHF"),
    customer("chloe.dubois@fr.example", "Chloé Dubois", "FR", "fr", "EUR"),
    customer("daan.jansen@nl.example", "Daan Jansen", "NL", "nl", "EUR"),
    customer("sofie.norgaard@dk.example", "Sofie Nørgaard", "DK", "da", "DKK"),
    customer("ingrid.hansen@no.example", "Ingrid Hansen", "NO", "nb", "NOK"),
    customer("erik.lindqvist@se.example", "Erik Lindqvist", "SE", "sv", "SEK"),
    customer("oliver.smith@gb.example", "Oliver Smith", "GB", "en", "GBP"),
];

/// Loads the demo data in one transaction and returns the demo customers.
pub fn load(conn: &mut PgConnection) -> Result<&'static [DemoCustomer], DemoError> {
    conn.transaction(|conn| {
        for demo in CUSTOMERS {
            let id = upsert_customer(conn, demo)?;
            post_prepayment(conn, demo, id)?;
        }
        Ok(CUSTOMERS)
    })
}

fn upsert_customer(conn: &mut PgConnection, demo: &DemoCustomer) -> Result<CustomerId, DemoError> {
    diesel::sql_query(
        "INSERT INTO customers (email, name, country, language, currency) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ((lower(email))) DO NOTHING",
    )
    .bind::<Text, _>(demo.email)
    .bind::<Text, _>(demo.name)
    .bind::<Text, _>(demo.country)
    .bind::<Text, _>(demo.language)
    .bind::<Text, _>(demo.currency)
    .execute(conn)?;
    let id: i64 = customers::table
        .filter(customers::email.eq(demo.email))
        .select(customers::id)
        .first(conn)?;
    Ok(CustomerId(id))
}

/// Each demo customer has paid twelve months in advance: bank debit, customer credit.
fn post_prepayment(conn: &mut PgConnection, demo: &DemoCustomer, id: CustomerId) -> Result<(), DemoError> {
    let currency = Currency::from_code(demo.currency).unwrap_or(Currency::EUR);
    let monthly = match currency {
        Currency::SEK | Currency::NOK => 1_200,
        Currency::DKK => 800,
        _ => 100,
    };
    let amount = Money::from_minor(monthly * 12, currency);
    let bank = SystemAccount::Bank.open(conn, currency)?;
    let credit = CustomerAccount::Credit.open(conn, id, currency)?;
    let occurred_at: DateTime<Utc> = DateTime::from_timestamp(1_793_491_200, 0).unwrap_or_default(); // 2026-11-01
    post_entry(
        conn,
        &NewEntry {
            idempotency_key: format!("demo:prepayment:{}", demo.email),
            kind: "payment_received".to_owned(),
            memo: "Demo: twelve months paid in advance".to_owned(),
            occurred_at,
            reference: None,
            postings: vec![
                NewPosting::debit(bank.id, amount),
                NewPosting::credit(credit.id, amount),
            ],
        },
    )?;
    Ok(())
}
