//! Ledger accounts: what a posting is booked to. The chart of accounts is data; an
//! account's code, kind, currency and owner never change (the database refuses).

use diesel::prelude::*;
use iso_currency::Currency;

use super::{LedgerError, currency_from_code};
use crate::db::schema::ledger_accounts;
use crate::ids::CustomerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    Asset,
    Liability,
    Equity,
    Revenue,
    Expense,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Revenue => "revenue",
            AccountKind::Expense => "expense",
        }
    }

    pub fn parse(text: &str) -> Result<AccountKind, LedgerError> {
        Ok(match text {
            "asset" => AccountKind::Asset,
            "liability" => AccountKind::Liability,
            "equity" => AccountKind::Equity,
            "revenue" => AccountKind::Revenue,
            "expense" => AccountKind::Expense,
            other => return Err(LedgerError::Corrupt(format!("unknown account kind {other:?}"))),
        })
    }

    /// Assets and expenses grow with debits (positive postings); the rest with credits.
    pub fn is_debit_normal(self) -> bool {
        matches!(self, AccountKind::Asset | AccountKind::Expense)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub currency: Currency,
    pub customer_id: Option<CustomerId>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ledger_accounts)]
struct AccountRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    currency: String,
    customer_id: Option<i64>,
}

impl TryFrom<AccountRow> for Account {
    type Error = LedgerError;

    fn try_from(row: AccountRow) -> Result<Account, LedgerError> {
        Ok(Account {
            id: AccountId(row.id),
            kind: AccountKind::parse(&row.kind)?,
            currency: currency_from_code(&row.currency)?,
            code: row.code,
            name: row.name,
            customer_id: row.customer_id.map(CustomerId),
        })
    }
}

/// An account to open (or find, when one with this code exists).
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: AccountKind,
    pub currency: Currency,
    pub customer_id: Option<CustomerId>,
}

impl Account {
    pub fn by_id(conn: &mut PgConnection, id: AccountId) -> Result<Account, LedgerError> {
        ledger_accounts::table
            .find(id.0)
            .select(AccountRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(LedgerError::UnknownAccount(id.0.to_string()))?
            .try_into()
    }

    pub fn by_code(conn: &mut PgConnection, code: &str) -> Result<Option<Account>, LedgerError> {
        ledger_accounts::table
            .filter(ledger_accounts::code.eq(code))
            .select(AccountRow::as_select())
            .first(conn)
            .optional()?
            .map(Account::try_from)
            .transpose()
    }

    pub fn of_customer(conn: &mut PgConnection, customer: CustomerId) -> Result<Vec<Account>, LedgerError> {
        ledger_accounts::table
            .filter(ledger_accounts::customer_id.eq(customer.0))
            .order(ledger_accounts::id)
            .select(AccountRow::as_select())
            .load(conn)?
            .into_iter()
            .map(Account::try_from)
            .collect()
    }

    /// Opens the account, or returns the existing one with this code. An existing account
    /// that differs in kind, currency or owner is an error, never silently reused.
    pub fn open(conn: &mut PgConnection, new: &NewAccount<'_>) -> Result<Account, LedgerError> {
        diesel::insert_into(ledger_accounts::table)
            .values((
                ledger_accounts::code.eq(new.code),
                ledger_accounts::name.eq(new.name),
                ledger_accounts::kind.eq(new.kind.as_str()),
                ledger_accounts::currency.eq(new.currency.code()),
                ledger_accounts::customer_id.eq(new.customer_id.map(|c| c.0)),
            ))
            .on_conflict(ledger_accounts::code)
            .do_nothing()
            .execute(conn)?;
        let account = Account::by_code(conn, new.code)?
            .ok_or_else(|| LedgerError::UnknownAccount(new.code.to_owned()))?;
        if account.kind != new.kind
            || account.currency != new.currency
            || account.customer_id != new.customer_id
        {
            return Err(LedgerError::AccountConflict(new.code.to_owned()));
        }
        Ok(account)
    }
}

/// An account to open in bulk (owned strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSpec {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub currency: Currency,
    pub customer_id: Option<CustomerId>,
}

impl Account {
    /// Opens every account in `specs` that does not exist yet and returns the ids of all of
    /// them by code. Inserted in code order, so concurrent callers never deadlock.
    pub fn open_many(
        conn: &mut PgConnection,
        specs: &[AccountSpec],
    ) -> Result<std::collections::HashMap<String, AccountId>, LedgerError> {
        let mut sorted: Vec<&AccountSpec> = specs.iter().collect();
        sorted.sort_by(|a, b| a.code.cmp(&b.code));
        sorted.dedup_by(|a, b| a.code == b.code);
        // Most accounts exist already (a customer's receivable, the bank): look first, and
        // insert only what is missing.
        let mut ids = std::collections::HashMap::with_capacity(sorted.len());
        let codes: Vec<&str> = sorted.iter().map(|s| s.code.as_str()).collect();
        ids_by_code(conn, &codes, &mut ids)?;
        let missing: Vec<&AccountSpec> = sorted.into_iter().filter(|s| !ids.contains_key(&s.code)).collect();
        if missing.is_empty() {
            return Ok(ids);
        }
        for chunk in missing.chunks(5_000) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|s| {
                    (
                        ledger_accounts::code.eq(&s.code),
                        ledger_accounts::name.eq(&s.name),
                        ledger_accounts::kind.eq(s.kind.as_str()),
                        ledger_accounts::currency.eq(s.currency.code()),
                        ledger_accounts::customer_id.eq(s.customer_id.map(|c| c.0)),
                    )
                })
                .collect();
            diesel::insert_into(ledger_accounts::table)
                .values(&rows)
                .on_conflict(ledger_accounts::code)
                .do_nothing()
                .execute(conn)?;
        }
        let codes: Vec<&str> = missing.iter().map(|s| s.code.as_str()).collect();
        ids_by_code(conn, &codes, &mut ids)?;
        Ok(ids)
    }
}

fn ids_by_code(
    conn: &mut PgConnection,
    codes: &[&str],
    ids: &mut std::collections::HashMap<String, AccountId>,
) -> Result<(), LedgerError> {
    for chunk in codes.chunks(10_000) {
        let found: Vec<(i64, String)> = ledger_accounts::table
            .filter(ledger_accounts::code.eq_any(chunk))
            .select((ledger_accounts::id, ledger_accounts::code))
            .load(conn)?;
        ids.extend(found.into_iter().map(|(id, code)| (code, AccountId(id))));
    }
    Ok(())
}
