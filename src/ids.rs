//! Typed ids shared across the domain, so a customer's id cannot be passed where a user's
//! belongs. Each wraps the row's `BIGINT` primary key; modules that own a table keep their
//! private ids (ledger accounts, entries, sessions) beside it.

/// A customer: the party that is invoiced and owns ledger accounts (`customers.id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub i64);

/// A log-in identity, customer or staff (`users.id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct UserId(pub i64);
