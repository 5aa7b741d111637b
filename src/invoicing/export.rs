//! `kontor invoice list --format csv`: one row per invoice and credit note, the stable
//! interface for finance exports and scripts. Credit notes carry negative amounts. `status`
//! is open, overdue, partly_paid, paid or credited for invoices, issued for credit notes.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::InvoicingError;
use super::queries::{Filter, list};

pub const HEADER: &str = "number,kind,issue_date,due_date,customer_number,country,currency,net,vat,gross,open_amount,status,payment_reference";

fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

pub fn csv(
    conn: &mut PgConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
) -> Result<String, InvoicingError> {
    let rows = list(conn, filter)?;
    let ids: Vec<i64> = rows.iter().filter(|r| r.kind == "invoice").map(|r| r.id).collect();
    let balances = crate::payments::balances(conn, &ids)
        .map_err(|e| InvoicingError::Corrupt(format!("invoice balances: {e}")))?;
    let mut out = String::from(HEADER);
    out.push('\n');
    for row in rows {
        let credit_note = row.kind == "credit_note";
        let sign = if credit_note { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
        let (open, status) = match balances.get(&row.id) {
            Some(balance) if !credit_note => (balance.open_amount, balance.state(today).as_str()),
            _ => (Decimal::ZERO, "issued"),
        };
        let snapshot = |key: &str| {
            row.customer_snapshot.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
        };
        let cells = [
            row.number.clone(),
            row.kind.clone(),
            row.issue_date.to_string(),
            row.due_date.to_string(),
            snapshot("number"),
            snapshot("country"),
            row.currency.clone(),
            (row.net * sign).round_dp(2).to_string(),
            (row.vat * sign).round_dp(2).to_string(),
            (row.gross * sign).round_dp(2).to_string(),
            open.round_dp(2).to_string(),
            status.to_owned(),
            row.payment_reference.clone(),
        ];
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    Ok(out)
}
