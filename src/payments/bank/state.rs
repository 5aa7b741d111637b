//! A bank transaction's state, as the `bank_transactions.state` CHECK names it: Rust and SQL
//! agree on one list, which a test reads back from the migration.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionState {
    /// Paid invoices or went to customer credit.
    Booked,
    /// Waiting in suspense for finance, with no guess.
    Unassigned,
    /// Waiting in suspense, with invoices the text may mean.
    Suggested,
    /// Marked to be sent back to the payer.
    Refund,
    /// A direct debit that came back.
    Returned,
    /// A debit that is not ours to book.
    Ignored,
}

impl TransactionState {
    pub const ALL: [TransactionState; 6] = [
        TransactionState::Booked,
        TransactionState::Unassigned,
        TransactionState::Suggested,
        TransactionState::Refund,
        TransactionState::Returned,
        TransactionState::Ignored,
    ];

    /// What the reconciliation queue lists.
    pub const QUEUED: [&'static str; 3] = ["unassigned", "suggested", "refund"];

    pub fn as_str(self) -> &'static str {
        match self {
            TransactionState::Booked => "booked",
            TransactionState::Unassigned => "unassigned",
            TransactionState::Suggested => "suggested",
            TransactionState::Refund => "refund",
            TransactionState::Returned => "returned",
            TransactionState::Ignored => "ignored",
        }
    }

    pub fn parse(text: &str) -> Option<TransactionState> {
        TransactionState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Money in suspense that finance may assign or mark for refund.
    pub fn is_waiting(self) -> bool {
        matches!(self, TransactionState::Unassigned | TransactionState::Suggested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_states_are_the_ones_the_database_allows() {
        let migration = include_str!("../../../migrations/2026-11-22-000011_bank_statements/up.sql");
        let allowed = crate::db::check_list(migration, "bank_transactions", "state");
        let ours: Vec<&str> = TransactionState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(allowed, ours);
        assert!(TransactionState::QUEUED.iter().all(|s| TransactionState::parse(s).is_some()));
    }
}
