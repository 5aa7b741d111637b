//! `kontor seed --customers N`: synthetic customers with subscriptions spread over countries,
//! currencies, free months and storage packs, made by PostgreSQL itself from
//! `generate_series` (a few statements, however large N), for benchmarks and demos.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use crate::invoicing::BillingMonth;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Creates `count` customers whose billing periods start on the first of `month` (they subscribed in the
/// month before, a fifth of them with a free month that has ended, a third with a pack).
pub fn customers(conn: &mut PgConnection, count: i64, month: BillingMonth) -> QueryResult<i64> {
    conn.transaction(|conn| {
        let tag: String = diesel::select(diesel::dsl::sql::<Text>("substr(md5(random()::text), 1, 8)")).get_result(conn)?;
        diesel::sql_query(
            "CREATE TEMP TABLE seeded ON COMMIT DROP AS
             WITH c AS (
               INSERT INTO customers (email, name, country, language, currency, street, postal_code, city)
               SELECT 'seed-' || $1 || '-' || g || '@seed.example', 'Seed Customer ' || g, v.country, v.lang, v.cur,
                      'Seedstraße ' || g, '10115', 'Berlin'
                 FROM generate_series(1, $2) g
                 JOIN (VALUES (0, 'DE', 'de', 'EUR'), (1, 'AT', 'de', 'EUR'), (2, 'CH', 'de', 'CHF'),
                              (3, 'FR', 'fr', 'EUR'), (4, 'NL', 'nl', 'EUR'), (5, 'DK', 'da', 'DKK'),
                              (6, 'NO', 'nb', 'NOK'), (7, 'SE', 'sv', 'SEK'), (8, 'GB', 'en', 'GBP'),
                              (9, 'DE', 'de', 'EUR'), (10, 'FR', 'fr', 'EUR'), (11, 'IT', 'en', 'EUR'))
                      AS v(k, country, lang, cur) ON v.k = g % 12
               RETURNING id, currency)
             SELECT id, currency, row_number() OVER (ORDER BY id) AS n FROM c",
        )
        .bind::<Text, _>(&tag)
        .bind::<BigInt, _>(count)
        .execute(conn)?;
        // Anchored on the first of the month before: the next period of each starts on the first
        // of `month` and is invoiced by the run of that day.
        let previous = month.first_day() - chrono::Months::new(1);
        diesel::sql_query(
            "INSERT INTO subscriptions (customer_id, plan_code, currency, anchor_date, status, trial_ends_on)
             SELECT id, 'mailbox_10gb', currency, $1::date,
                    'active', CASE WHEN n % 5 = 0 THEN ($1::date + interval '1 month')::date END
               FROM seeded",
        )
        .bind::<Date, _>(previous)
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO subscription_packs (subscription_id, customer_id, plan_code, starts_on, start_announced)
             SELECT s.id, s.customer_id,
                    (ARRAY['mail_pack_10gb', 'storage_pack_50gb', 'mail_pack_100gb'])[1 + ((seeded.n / 36) % 3)],
                    s.anchor_date, true
               FROM seeded JOIN subscriptions s ON s.customer_id = seeded.id
              WHERE (seeded.n / 12) % 3 = 0",
        )
        .execute(conn)?;
        // About 30 % of the EUR customers pay by SEPA direct debit (the demo creditor id; the export
        // writes the configured one), so exports and benchmarks have mandates to collect.
        diesel::sql_query(
            "INSERT INTO sepa_mandates (customer_id, reference, debtor_name, iban, signed_on, creditor_id,
                                        mandate_text_sha256, language)
             SELECT c.id, 'KONTOR-K' || CASE WHEN c.id < 1000000 THEN lpad(c.id::text, 6, '0') ELSE c.id::text END || '-' ||
                          (1 + (SELECT count(*) FROM sepa_mandates m WHERE m.customer_id = c.id)),
                    c.name, 'DE89370400440532013000', $1::date, 'DE98ZZZ09999999999',
                    encode(sha256(convert_to('seeded mandate ' || c.id, 'UTF8')), 'hex'), c.language
               FROM seeded JOIN customers c ON c.id = seeded.id
              WHERE seeded.currency = 'EUR' AND seeded.n % 10 IN (6, 7, 9)",
        )
        .bind::<Date, _>(previous)
        .execute(conn)?;
        let made: Count = diesel::sql_query("SELECT count(*) AS n FROM seeded").get_result(conn)?;
        // Spread over the platform's resources (issue 9: incidents know whom they touch).
        crate::incidents::placements::spread_unplaced(conn).map_err(|e| match e {
            crate::incidents::IncidentError::Database(e) => e,
            other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
        })?;
        Ok(made.n)
    })
}
