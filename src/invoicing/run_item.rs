//! The state of a subscription's item in a billing run, as the `billing_run_items.state` CHECK
//! names it: Rust and SQL agree on one list, which a test reads back from the migration.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    /// Not invoiced yet, or failed for a passing reason and to be tried again.
    Pending,
    /// Invoiced.
    Done,
    /// Nothing to invoice.
    Skipped,
    /// Failed for good, until finance queues it again.
    Failed,
}

impl ItemState {
    pub const ALL: [ItemState; 4] =
        [ItemState::Pending, ItemState::Done, ItemState::Skipped, ItemState::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Pending => "pending",
            ItemState::Done => "done",
            ItemState::Skipped => "skipped",
            ItemState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<ItemState> {
        ItemState::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_states_are_the_ones_the_database_allows() {
        let migration = include_str!("../../migrations/2026-11-22-000003_invoicing/up.sql");
        let allowed = crate::db::check_list(migration, "billing_run_items", "state");
        let ours: Vec<&str> = ItemState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(allowed, ours);
        assert!(ItemState::ALL.into_iter().all(|s| ItemState::parse(s.as_str()) == Some(s)));
    }
}
