//! Balances are sums of postings, never a stored column someone updates.

use chrono::{DateTime, Utc};
use diesel::dsl::sum;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::LedgerError;
use super::account::Account;
use crate::db::schema::{journal_entries, postings};
use crate::ids::CustomerId;
use crate::money::Money;

/// The balance of `account` from every entry that occurred at or before `at`, debit-positive
/// (an asset holding 10 EUR is +10, a liability of 10 EUR is -10).
pub fn account_balance(
    conn: &mut PgConnection,
    account: &Account,
    at: DateTime<Utc>,
) -> Result<Money, LedgerError> {
    let total: Option<Decimal> = postings::table
        .inner_join(journal_entries::table)
        .filter(postings::account_id.eq(account.id.0))
        .filter(journal_entries::occurred_at.le(at))
        .select(sum(postings::amount))
        .first(conn)?;
    Ok(Money::new(total.unwrap_or_default(), account.currency))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBalance {
    pub account: Account,
    /// Debit-positive, like postings.
    pub balance: Money,
}

/// Every ledger account of a customer (receivables, credit, ...) with its balance at `at`.
pub fn customer_balances(
    conn: &mut PgConnection,
    customer: CustomerId,
    at: DateTime<Utc>,
) -> Result<Vec<AccountBalance>, LedgerError> {
    let accounts = Account::of_customer(conn, customer)?;
    let ids: Vec<i64> = accounts.iter().map(|a| a.id.0).collect();
    let totals: Vec<(i64, Option<Decimal>)> = postings::table
        .inner_join(journal_entries::table)
        .filter(postings::account_id.eq_any(&ids))
        .filter(journal_entries::occurred_at.le(at))
        .group_by(postings::account_id)
        .select((postings::account_id, sum(postings::amount)))
        .load(conn)?;
    Ok(accounts
        .into_iter()
        .map(|account| {
            let total = totals
                .iter()
                .find(|(id, _)| *id == account.id.0)
                .and_then(|(_, total)| *total)
                .unwrap_or_default();
            AccountBalance { balance: Money::new(total, account.currency), account }
        })
        .collect())
}
