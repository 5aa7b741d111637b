//! The suspense account: bank money that names no invoice of ours waits there until finance
//! assigns it, and leaves it when the bank takes it back.

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use super::BankError;
use crate::ledger::chart::SystemAccount;
use crate::ledger::{Account, AccountSpec, NewEntry, NewPosting, Reference, post_entries};
use crate::money::Money;

/// One entry between the bank account and suspense.
pub(crate) struct SuspenseMove {
    pub key: String,
    pub kind: crate::ledger::EntryKind,
    pub memo: String,
    pub occurred_at: DateTime<Utc>,
    /// The bank transaction's identity, the entry's reference.
    pub identity: String,
    pub amount: Money,
    /// Into suspense (bank debit, suspense credit), or out of it (the reverse: a return).
    pub into_suspense: bool,
}

/// Posts the moves with one `post_entries`; idempotent by their keys.
pub(crate) fn post(conn: &mut PgConnection, moves: &[SuspenseMove]) -> Result<(), BankError> {
    if moves.is_empty() {
        return Ok(());
    }
    let specs: Vec<AccountSpec> = moves
        .iter()
        .flat_map(|m| {
            [SystemAccount::Bank.spec(m.amount.currency()), SystemAccount::Suspense.spec(m.amount.currency())]
        })
        .collect();
    let accounts = Account::open_many(conn, &specs)?;
    let account = |spec: AccountSpec| {
        accounts.get(&spec.code).copied().ok_or_else(|| BankError::Corrupt(format!("account {}", spec.code)))
    };
    let mut entries = Vec::with_capacity(moves.len());
    for m in moves {
        let currency = m.amount.currency();
        let (bank, suspense) =
            (account(SystemAccount::Bank.spec(currency))?, account(SystemAccount::Suspense.spec(currency))?);
        let (debit, credit) = if m.into_suspense { (bank, suspense) } else { (suspense, bank) };
        entries.push(NewEntry {
            idempotency_key: m.key.clone(),
            kind: m.kind.into(),
            memo: m.memo.clone(),
            occurred_at: m.occurred_at,
            reference: Some(Reference { kind: "bank_transaction".to_owned(), id: m.identity.clone() }),
            postings: vec![NewPosting::debit(debit, m.amount), NewPosting::credit(credit, m.amount)],
        });
    }
    post_entries(conn, &entries)?;
    Ok(())
}
