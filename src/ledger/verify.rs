//! `kontor ledger verify`: checks every ledger invariant over the whole database, including
//! data that reached it behind the triggers' back (replica mode, disabled triggers, restores).

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
