//! The plain journal CSV of a month: one row per posting, for anyone without DATEV. UTF-8,
//! comma-separated, decimal point, debit positive; the entries of a month in id order.

use std::io::Write;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::{AccountingError, month_bounds};
use crate::csv_export::{Cell, CsvWriter};
use crate::invoicing::BillingMonth;

pub const HEADER: [&str; 9] =
    ["entry", "date", "kind", "reference", "memo", "account", "account_name", "currency", "amount"];

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = BigInt)]
    entry_id: i64,
    #[diesel(sql_type = Text)]
    day: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Text)]
    memo: String,
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

/// Entries per query.
const PAGE: i64 = 5_000;

/// Writes the month's journal; returns the rows written.
pub fn write(
    conn: &mut PgConnection,
    month: BillingMonth,
    zone: chrono_tz::Tz,
    out: impl Write,
) -> Result<u64, AccountingError> {
    let (start, end) = month_bounds(month, zone);
    let fail = |e: crate::csv_export::CsvError| AccountingError::Write(e.to_string());
    let mut csv = CsvWriter::new(out, &HEADER).map_err(fail)?;
    let mut rows = 0;
    let mut after = 0i64;
    loop {
        let lines: Vec<Line> = diesel::sql_query(
            "WITH page AS (SELECT id FROM journal_entries
                            WHERE occurred_at >= $1 AND occurred_at < $2 AND id > $3
                            ORDER BY id LIMIT $4)
             SELECT e.id AS entry_id, to_char(e.occurred_at AT TIME ZONE $5, 'YYYY-MM-DD') AS day,
                    e.kind, coalesce(e.reference_type || ':' || e.reference_id, '') AS reference, e.memo,
                    a.code, a.name, p.currency::text AS currency, p.amount
               FROM page JOIN journal_entries e ON e.id = page.id
               JOIN postings p ON p.entry_id = e.id
               JOIN ledger_accounts a ON a.id = p.account_id
              ORDER BY e.id, p.id",
        )
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(PAGE)
        .bind::<Text, _>(zone.name())
        .load(conn)?;
        let Some(last) = lines.last() else { break };
        after = last.entry_id;
        for line in &lines {
            let (entry, amount) = (line.entry_id.to_string(), line.amount.normalize().to_string());
            csv.row(&[
                Cell::Value(&entry),
                Cell::Value(&line.day),
                Cell::Value(&line.kind),
                Cell::Text(&line.reference),
                Cell::Text(&line.memo),
                Cell::Value(&line.code),
                Cell::Text(&line.name),
                Cell::Value(&line.currency),
                Cell::Value(&amount),
            ])
            .map_err(fail)?;
            rows += 1;
        }
    }
    csv.finish().map_err(fail)?;
    Ok(rows)
}
