//! Compensation paid per incident: how many subscriptions were compensated, the credit booked
//! for them (free months included) and what they donated to the incident's charity, per
//! currency (grants taken as storage count, but book no money). Dated by when the grant was
//! made; country and currency are the customer's.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Numeric, Text};
use rust_decimal::Decimal;

use super::{Filter, ReportError};

#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct Row {
    #[diesel(sql_type = BigInt)]
    pub incident: i64,
    /// The incident's title in each language it was written in.
    #[diesel(sql_type = Jsonb)]
    pub title: serde_json::Value,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub grants: i64,
    #[diesel(sql_type = Numeric)]
    pub credited: Decimal,
    /// Booked to donations payable, owed to the charity the incident named.
    #[diesel(sql_type = Numeric)]
    pub donated: Decimal,
}

impl Row {
    /// The title in `lang`, else in English, else any.
    pub fn title_in(&self, lang: &str) -> String {
        let pick = |code: &str| self.title.get(code).and_then(|t| t.as_str()).map(str::to_owned);
        pick(lang)
            .or_else(|| pick("en"))
            .or_else(|| {
                self.title.as_object().and_then(|o| o.values().find_map(|v| v.as_str().map(str::to_owned)))
            })
            .unwrap_or_default()
    }
}

pub fn rows(conn: &mut PgConnection, filter: &Filter, time_zone: &str) -> Result<Vec<Row>, ReportError> {
    Ok(filter.query(
        "SELECT g.incident_id AS incident, i.title, trim(g.currency) AS currency, count(*)::int8 AS grants,
                COALESCE(sum(g.amount) FILTER (WHERE g.ledger_entry_id IS NOT NULL AND g.option <> 'donation'), 0) AS credited,
                COALESCE(sum(g.amount) FILTER (WHERE g.ledger_entry_id IS NOT NULL AND g.option = 'donation'), 0) AS donated
           FROM compensation_grants g
           JOIN incidents i ON i.id = g.incident_id
           JOIN customers c ON c.id = g.customer_id
          WHERE (g.created_at AT TIME ZONE $5)::date BETWEEN $1 AND $2
            AND ($3::text IS NULL OR c.country = $3) AND ($4::text IS NULL OR g.currency = $4)
          GROUP BY 1, 2, 3 ORDER BY 1, 3",
    )
    .bind::<Text, _>(time_zone)
    .load(conn)?)
}
