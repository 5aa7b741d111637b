//! The statement as CSV for a spreadsheet: one row per line, amounts as plain numbers
//! (debit-positive: a charge is positive, a payment or credit negative), codes rather than
//! words, so a script reads it the same in every language. An opening row carries what was
//! owed before the first line when the statement starts later than the account.

use std::io::Write;

use super::{Statement, StatementError};
use crate::csv_export::{Cell, CsvWriter};

pub const HEADER: [&str; 7] = ["date", "kind", "document", "method", "currency", "amount", "balance"];

pub fn write_csv(statement: &Statement, out: impl Write) -> Result<(), StatementError> {
    let mut csv = CsvWriter::new(out, &HEADER)?;
    for section in &statement.sections {
        if let Some(from) = statement.from {
            let opening = section.opening.round_dp(2).to_string();
            csv.row(&[
                Cell::Value(&from.to_string()),
                Cell::Value("opening_balance"),
                Cell::Value(""),
                Cell::Value(""),
                Cell::Value(&section.currency),
                Cell::Value(""),
                Cell::Value(&opening),
            ])?;
        }
        for line in &section.lines {
            let (amount, balance) =
                (line.amount.round_dp(2).to_string(), line.balance.round_dp(2).to_string());
            csv.row(&[
                Cell::Value(&line.date.to_string()),
                Cell::Value(&line.kind),
                Cell::Text(line.document.as_deref().unwrap_or_default()),
                Cell::Value(line.method.as_deref().unwrap_or_default()),
                Cell::Value(&section.currency),
                Cell::Value(&amount),
                Cell::Value(&balance),
            ])?;
        }
    }
    csv.finish()?;
    Ok(())
}
