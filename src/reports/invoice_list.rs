//! `kontor invoice list --format csv`: one row per invoice and credit note, the stable
//! interface for finance exports and scripts. Credit notes carry negative amounts. `status`
//! is open, overdue, partly_paid, paid or credited for invoices, issued for credit notes.
//!
//! A year holds millions of documents, so the export reads keyset pages and writes each before
//! reading the next: memory holds one page, whatever the size of the table.

use std::io::Write;

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::csv_export::{Cell, CsvWriter};
use crate::invoicing::InvoicingError;
use crate::invoicing::queries::{Filter, page};

pub const HEADER: [&str; 13] = [
    "number",
    "kind",
    "issue_date",
    "due_date",
    "customer_number",
    "country",
    "currency",
    "net",
    "vat",
    "gross",
    "open_amount",
    "status",
    "payment_reference",
];

/// Documents read per query.
pub const PAGE_SIZE: i64 = 2_000;

/// What an export wrote, and the largest page it held in memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub rows: u64,
    pub pages: u64,
    pub largest_page: usize,
}

/// Writes the CSV of every document `filter` selects to `out`, reading `page_size` at a time.
pub fn write_csv(
    conn: &mut PgConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
    out: impl Write,
    page_size: i64,
) -> Result<Written, InvoicingError> {
    let corrupt = |e: crate::csv_export::CsvError| InvoicingError::Corrupt(e.to_string());
    let mut csv = CsvWriter::new(out, &HEADER).map_err(corrupt)?;
    let mut written = Written::default();
    let mut after = None;
    loop {
        let (rows, end) = page(conn, filter, after.as_ref(), page_size.max(1))?;
        if rows.is_empty() {
            break;
        }
        written.pages += 1;
        written.largest_page = written.largest_page.max(rows.len());
        let ids: Vec<i64> = rows
            .iter()
            .filter(|r| r.kind == crate::invoicing::numbering::Series::Invoice.as_str())
            .map(|r| r.id)
            .collect();
        let balances = crate::payments::balances(conn, &ids)
            .map_err(|e| InvoicingError::Corrupt(format!("invoice balances: {e}")))?;
        for row in &rows {
            let credit_note = row.kind == crate::invoicing::numbering::Series::CreditNote.as_str();
            let sign = if credit_note { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
            let (open, status) = match balances.get(&row.id) {
                Some(balance) if !credit_note => (balance.open_amount, balance.state(today).as_str()),
                _ => (Decimal::ZERO, "issued"),
            };
            let snapshot =
                |key: &str| row.customer_snapshot.get(key).and_then(|v| v.as_str()).unwrap_or_default();
            let amounts =
                [row.net * sign, row.vat * sign, row.gross * sign, open].map(|a| a.round_dp(2).to_string());
            let [net, vat, gross, open] = &amounts;
            let (issue_date, due_date) = (row.issue_date.to_string(), row.due_date.to_string());
            csv.row(&[
                Cell::Value(&row.number),
                Cell::Value(&row.kind),
                Cell::Value(&issue_date),
                Cell::Value(&due_date),
                Cell::Text(snapshot("number")),
                Cell::Text(snapshot("country")),
                Cell::Value(&row.currency),
                Cell::Value(net),
                Cell::Value(vat),
                Cell::Value(gross),
                Cell::Value(open),
                Cell::Value(status),
                Cell::Value(&row.payment_reference),
            ])
            .map_err(corrupt)?;
            written.rows += 1;
        }
        after = end;
    }
    csv.finish().map_err(corrupt)?;
    Ok(written)
}
