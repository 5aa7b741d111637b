//! `kontor ledger verify`: checks every ledger invariant over the whole database, including
//! data that reached it behind the triggers' back (replica mode, disabled triggers, restores),
//! and that every sub-ledger agrees with the records it sums up:
//! - customer credit (1750-*-C*) is never below zero;
//! - each customer's receivable (1400-*-C*) is their invoices' open amounts (plus SEPA return
//!   fees charged to it, which no invoice carries);
//! - bank (1200-*) is the money the bank statements brought in, less what they took back
//!   (returns) and what they show leaving as our payouts (debits booked by a payout);
//! - PayPal clearing (1360-*) is the captures less refunds and chargebacks;
//! - suspense (1590-*) is what waits unassigned in the reconciliation queue.

use std::fmt;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::LedgerError;

/// Most findings of one kind listed by name; the rest are counted.
const LIST_LIMIT: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub entry_id: Option<i64>,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: i64,
    pub postings: i64,
    pub findings: Vec<Finding>,
}

impl VerifyReport {
    pub fn is_healthy(&self) -> bool {
        self.findings.is_empty()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = if self.entries == 1 { "entry" } else { "entries" };
        writeln!(f, "checked {} journal {entries} with {} postings", self.entries, self.postings)?;
        if self.findings.is_empty() {
            return writeln!(f, "ledger OK: every invariant holds");
        }
        writeln!(f, "ledger BROKEN: {} problem(s)", self.findings.len())?;
        for finding in &self.findings {
            match finding.entry_id {
                Some(id) => writeln!(f, "  [{}] entry {}: {}", finding.check, id, finding.detail)?,
                None => writeln!(f, "  [{}] {}", finding.check, finding.detail)?,
            }
        }
        Ok(())
    }
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Nullable<BigInt>)]
    entry_id: Option<i64>,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The checks, each a query yielding `(entry_id, detail)` rows that are violations.
/// A check that a system account (`code-CUR`, per currency) holds what its own table says:
/// `source` yields `currency, total`; `message` formats account, balance, currency and total.
macro_rules! system_account_matches {
    ($code:literal, $source:literal, $message:literal) => {
        concat!(
            "WITH ledger AS (
                 SELECT a.currency, a.code, COALESCE(sum(p.amount), 0) AS balance
                   FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
                  WHERE a.code ~ '^",
            $code,
            "-[A-Z]{3}$' GROUP BY a.currency, a.code),
             source AS (",
            $source,
            ")
             SELECT NULL::bigint AS entry_id,
                    format('",
            $message,
            "', COALESCE(l.code, '",
            $code,
            "-' || s.currency), COALESCE(l.balance, 0),
                           COALESCE(l.currency, s.currency), COALESCE(s.total, 0)) AS detail
               FROM ledger l FULL JOIN source s ON s.currency = l.currency
              WHERE COALESCE(l.balance, 0) <> COALESCE(s.total, 0)"
        )
    };
}

const CHECKS: &[(&str, &str)] = &[
    (
        "unbalanced",
        "SELECT e.id AS entry_id, format('%s (%s): %s postings sum to %s', e.idempotency_key, e.kind, p.currency, sum(p.amount)) AS detail
           FROM journal_entries e JOIN postings p ON p.entry_id = e.id
          GROUP BY e.id, e.idempotency_key, e.kind, p.currency HAVING sum(p.amount) <> 0",
    ),
    (
        "too-few-postings",
        "SELECT e.id AS entry_id, format('%s (%s) has %s posting(s)', e.idempotency_key, e.kind, count(p.id)) AS detail
           FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id
          GROUP BY e.id, e.idempotency_key, e.kind HAVING count(p.id) < 2",
    ),
    (
        "orphan-posting",
        "SELECT p.entry_id, format('posting %s refers to a missing %s', p.id,
                CASE WHEN e.id IS NULL THEN 'journal entry' ELSE 'account ' || p.account_id END) AS detail
           FROM postings p LEFT JOIN journal_entries e ON e.id = p.entry_id
                           LEFT JOIN ledger_accounts a ON a.id = p.account_id
          WHERE e.id IS NULL OR a.id IS NULL",
    ),
    (
        "currency-mismatch",
        "SELECT p.entry_id, format('posting %s is in %s but account %s (%s) is kept in %s', p.id, p.currency, a.id, a.code, a.currency) AS detail
           FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
          WHERE p.currency <> a.currency",
    ),
    (
        "bad-amount",
        "SELECT p.entry_id, format('posting %s has amount %s %s', p.id, p.amount, p.currency) AS detail
           FROM postings p LEFT JOIN currencies c ON c.code = p.currency
          WHERE p.amount = 0 OR c.code IS NULL OR p.amount <> round(p.amount, c.minor_units)",
    ),
    (
        "trial-balance",
        "SELECT NULL::bigint AS entry_id, format('all %s postings sum to %s', currency, sum(amount)) AS detail
           FROM postings GROUP BY currency HAVING sum(amount) <> 0",
    ),
    (
        "credit-negative",
        "SELECT NULL::bigint AS entry_id,
                format('customer %s: credit account %s is %s %s below zero (customer credit is never negative)',
                       a.customer_id, a.code, sum(p.amount), a.currency) AS detail
           FROM ledger_accounts a JOIN postings p ON p.account_id = a.id
          WHERE a.code LIKE '1750-%' AND a.customer_id IS NOT NULL
          GROUP BY a.id, a.customer_id, a.code, a.currency HAVING sum(p.amount) > 0",
    ),
    (
        "receivable-mismatch",
        "WITH ledger AS (
             SELECT a.customer_id, a.currency, a.code, COALESCE(sum(p.amount), 0) AS balance,
                    COALESCE(sum(p.amount) FILTER (WHERE e.kind = 'direct_debit_return_fee'), 0) AS fees
               FROM ledger_accounts a
               LEFT JOIN postings p ON p.account_id = a.id
               LEFT JOIN journal_entries e ON e.id = p.entry_id
              WHERE a.code LIKE '1400-%' AND a.customer_id IS NOT NULL
              GROUP BY a.customer_id, a.currency, a.code),
         open AS (
             SELECT customer_id, currency, sum(open_amount) AS open, count(*) FILTER (WHERE open_amount > 0) AS n
               FROM invoice_balances GROUP BY customer_id, currency)
         SELECT NULL::bigint AS entry_id,
                format('customer %s: receivable %s is %s %s, but their %s open invoice(s) come to %s%s',
                       COALESCE(l.customer_id, o.customer_id), COALESCE(l.code, '(none)'), COALESCE(l.balance, 0),
                       COALESCE(l.currency, o.currency), COALESCE(o.n, 0), COALESCE(o.open, 0),
                       CASE WHEN COALESCE(l.fees, 0) <> 0 THEN format(' plus %s of return fees', l.fees) ELSE '' END) AS detail
           FROM ledger l FULL JOIN open o ON o.customer_id = l.customer_id AND o.currency = l.currency
          WHERE COALESCE(l.balance, 0) <> COALESCE(o.open, 0) + COALESCE(l.fees, 0)",
    ),
    (
        "bank-mismatch",
        system_account_matches!(
            "1200",
            "SELECT currency, sum(CASE WHEN direction = 'credit' THEN amount
                                       WHEN state IN ('returned', 'booked') THEN -amount ELSE 0 END) AS total
               FROM bank_transactions GROUP BY currency",
            "bank account %s holds %s %s, but the bank statements brought in %s (credits less returns and payouts)"
        ),
    ),
    (
        "paypal-clearing-mismatch",
        system_account_matches!(
            "1360",
            "SELECT currency, sum(total) AS total FROM (
                 SELECT currency, amount - fee AS total FROM paypal_captures
                 UNION ALL
                 SELECT r.currency, CASE WHEN r.kind = 'refund' THEN -r.amount ELSE c.fee - r.amount END
                   FROM paypal_refunds r JOIN paypal_captures c ON c.capture_id = r.capture_id) x
              GROUP BY currency",
            "PayPal clearing %s holds %s %s, but captures less refunds and chargebacks come to %s"
        ),
    ),
    (
        "suspense-mismatch",
        "WITH ledger AS (
             SELECT a.currency, a.code, COALESCE(sum(p.amount), 0) AS balance
               FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
              WHERE a.code ~ '^1590-[A-Z]{3}$' GROUP BY a.currency, a.code),
         waiting AS (
             SELECT b.currency, sum(b.amount - COALESCE((
                        SELECT sum(r.amount) FROM bank_assignments s JOIN payment_receipts r ON r.key = s.receipt_key
                         WHERE s.bank_transaction_id = b.id AND s.undone_by IS NULL), 0)) AS total,
                    count(*) AS n
               FROM bank_transactions b
              WHERE b.direction = 'credit' AND b.state IN ('unassigned', 'suggested', 'refund')
              GROUP BY b.currency)
         SELECT NULL::bigint AS entry_id,
                format('suspense %s holds %s %s, but the %s transfer(s) waiting in the reconciliation queue come to %s',
                       COALESCE(l.code, '1590-' || w.currency), -COALESCE(l.balance, 0), COALESCE(l.currency, w.currency),
                       COALESCE(w.n, 0), COALESCE(w.total, 0)) AS detail
           FROM ledger l FULL JOIN waiting w ON w.currency = l.currency
          WHERE -COALESCE(l.balance, 0) <> COALESCE(w.total, 0)",
    ),
    (
        "protection-missing",
        "SELECT NULL::bigint AS entry_id, format('trigger %s is missing or disabled', expected.name) AS detail
           FROM (VALUES ('journal_entry_balanced'), ('postings_check'), ('journal_entries_append_only'),
                        ('journal_entries_no_truncate'), ('postings_append_only'), ('postings_no_truncate'),
                        ('ledger_accounts_guard')) AS expected(name)
           LEFT JOIN pg_trigger t ON t.tgname = expected.name AND t.tgenabled <> 'D'
          WHERE t.oid IS NULL",
    ),
];

pub fn verify(conn: &mut PgConnection) -> Result<VerifyReport, LedgerError> {
    let count = |conn: &mut PgConnection, table: &str| -> Result<i64, LedgerError> {
        let row: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result(conn)?;
        Ok(row.n)
    };
    let mut report = VerifyReport {
        entries: count(conn, "journal_entries")?,
        postings: count(conn, "postings")?,
        findings: Vec::new(),
    };
    for (check, query) in CHECKS {
        let total: Count =
            diesel::sql_query(format!("SELECT count(*) AS n FROM ({query}) AS v")).get_result(conn)?;
        let rows: Vec<Row> = diesel::sql_query(format!(
            "SELECT * FROM ({query}) AS v ORDER BY entry_id NULLS FIRST LIMIT {LIST_LIMIT}"
        ))
        .load(conn)?;
        report.findings.extend(rows.into_iter().map(|row| Finding {
            check,
            entry_id: row.entry_id,
            detail: row.detail,
        }));
        if total.n > LIST_LIMIT {
            report.findings.push(Finding {
                check,
                entry_id: None,
                detail: format!("... and {} more", total.n - LIST_LIMIT),
            });
        }
    }
    Ok(report)
}
