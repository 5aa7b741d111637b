//! The trial balance: per account number (a customer's accounts summed into their number, so
//! `1400` is all receivables) and currency, the balance before the period, the debits and
//! credits in it and the balance at its end. Balances are debit-positive, like postings.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::AccountingError;

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Row {
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub opening: Decimal,
    #[diesel(sql_type = Numeric)]
    pub debits: Decimal,
    #[diesel(sql_type = Numeric)]
    pub credits: Decimal,
}

impl Row {
    pub fn closing(&self) -> Decimal {
        self.opening + self.debits - self.credits
    }
}

/// The trial balance of the entries that occurred in [from, until); `from == until` gives the
/// balances at `until` alone.
pub fn trial_balance(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Row>, AccountingError> {
    Ok(diesel::sql_query(
        "SELECT split_part(a.code, '-', 1) AS number, a.currency::text AS currency,
                coalesce(sum(p.amount) FILTER (WHERE e.occurred_at < $1), 0) AS opening,
                coalesce(sum(p.amount) FILTER (WHERE e.occurred_at >= $1 AND p.amount > 0), 0) AS debits,
                coalesce(-sum(p.amount) FILTER (WHERE e.occurred_at >= $1 AND p.amount < 0), 0) AS credits
           FROM postings p
           JOIN journal_entries e ON e.id = p.entry_id
           JOIN ledger_accounts a ON a.id = p.account_id
          WHERE e.occurred_at < $2
          GROUP BY 1, 2
          ORDER BY 2, 1",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(until)
    .load(conn)?)
}
