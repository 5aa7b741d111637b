//! Shared test helpers of the subscriptions capability: what its tests and other capabilities' tests use.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use kontor::accounts::User;

/// A verified customer (no password: these tests never sign in).
pub fn customer(
    conn: &mut PgConnection,
    email: &str,
    country: &str,
    currency: &str,
    vat_id: Option<&str>,
) -> User {
    let customer = diesel::sql_query(
        "INSERT INTO customers (email, name, country, language, currency, vat_id, street, postal_code, city)
         VALUES ($1, 'Test Person', $2, 'en', $3, $4, 'Street 1', '12345', 'Town') RETURNING id",
    )
    .bind::<Text, _>(email)
    .bind::<Text, _>(country)
    .bind::<Text, _>(currency)
    .bind::<Nullable<Text>, _>(vat_id)
    .get_result::<Id>(conn)
    .unwrap()
    .id;
    diesel::sql_query(
        "INSERT INTO users (email, role, customer_id, language, email_verified_at) VALUES ($1, 'customer', $2, 'en', now())",
    )
    .bind::<Text, _>(email)
    .bind::<BigInt, _>(customer)
    .execute(conn)
    .unwrap();
    User::by_email(conn, email).unwrap().unwrap()
}

#[derive(QueryableByName)]
pub struct Id {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
}
