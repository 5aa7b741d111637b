//! `kontor invoice list --format csv`: one row per invoice and credit note, the stable
//! interface for finance exports and scripts. Credit notes carry negative amounts.

use std::collections::HashMap;

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::InvoicingError;
use super::queries::{Filter, list};
use crate::db::schema::invoices;

pub const HEADER: &str = "number,kind,issue_date,due_date,customer_number,country,currency,net,vat,gross,open_amount,status,payment_reference";

fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

pub fn csv(conn: &mut PgConnection, filter: &Filter) -> Result<String, InvoicingError> {
    let rows = list(conn, filter)?;
    let credited: Vec<(Option<i64>, Decimal)> = invoices::table
        .filter(invoices::credited_invoice_id.is_not_null())
        .select((invoices::credited_invoice_id, invoices::gross))
        .load(conn)?;
    let mut credited_by_invoice: HashMap<i64, Decimal> = HashMap::new();
    for (invoice, gross) in credited {
        if let Some(invoice) = invoice {
            *credited_by_invoice.entry(invoice).or_default() += gross;
        }
    }
    let mut out = String::from(HEADER);
    out.push('\n');
    for row in rows {
        let credit_note = row.kind == "credit_note";
        let sign = if credit_note { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
        let (open, status) = if credit_note {
            (Decimal::ZERO, "issued")
        } else {
            let credited = credited_by_invoice.get(&row.id).copied().unwrap_or_default();
            let open = (row.amount_due - credited).max(Decimal::ZERO);
            let status = if credited >= row.gross && !row.gross.is_zero() {
                "credited"
            } else if open.is_zero() {
                "settled"
            } else {
                "open"
            };
            (open, status)
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
