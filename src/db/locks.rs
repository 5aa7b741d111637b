//! The lock order. Every transaction that takes more than one lock takes them in this order,
//! so two transactions never wait for each other in a circle (PostgreSQL would break such a
//! deadlock by failing one of them: a 500 in the web, a failed batch item):
//!
//! 1. **Job locks**: the advisory lock a whole job takes to run alone (a bank statement
//!    import, a compensation issuer), first thing in its transaction.
//! 2. **Work items**: the row a transaction works on: billing run items (claimed with
//!    `SKIP LOCKED`, so never waited for), a bank transaction in the queue, a PayPal capture
//!    (the per-capture lock of [`capture_lock`]) and webhook events, a direct debit collection,
//!    a payment receipt being reversed.
//! 3. **Invoices**, in id order: the invoices a receipt pays or a reversal opens again, the
//!    invoice a credit note credits.
//! 4. **Customers**, in id order ([`lock_customers`]): the per-customer serialization point.
//!    Every path that reads customer credit and then spends it (the batch applying it to an
//!    invoice, a reversal taking back what a receipt credited, a PayPal refund paid out of it),
//!    every change to a subscription and every provisioning event takes it. Transactions that
//!    need several customers take them all at once, sorted.
//! 5. **Subscriptions**, then **packs**, in id order.
//! 6. **Counters**, last and briefly: the invoice number series (`numbering::reserve`), and the
//!    provisioning events' commit-order numbering, which a deferred trigger takes at commit.
//!
//! Adding money to a customer's credit (a payment, compensation) needs no customer lock: it
//! cannot make the balance negative, whatever runs beside it.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};

/// Locks the customers (their rows, `FOR NO KEY UPDATE`, so rows referring to them can still
/// be inserted) in id order until the transaction ends.
pub fn lock_customers(conn: &mut PgConnection, customers: &[i64]) -> QueryResult<()> {
    let mut ids = customers.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query("SELECT id FROM customers WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        .bind::<Array<BigInt>, _>(&ids)
        .execute(conn)?;
    Ok(())
}

/// Locks one customer (see [`lock_customers`]).
pub fn lock_customer(conn: &mut PgConnection, customer: i64) -> QueryResult<()> {
    lock_customers(conn, &[customer])
}

/// The per-capture lock (a work item): booking a PayPal capture and handling a refund or
/// reversal event of it take turns, so neither misses the other.
pub fn capture_lock(conn: &mut PgConnection, capture_id: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('kontor:paypal-capture:' || $1, 0))")
        .bind::<Text, _>(capture_id)
        .execute(conn)?;
    Ok(())
}
