//! Reading invoices back: lists with filters (finance, customers, exports) and details.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::InvoicingError;
use crate::db::schema::{invoice_lines, invoice_vat, invoices};

#[derive(Debug, Clone, PartialEq, Queryable, serde::Serialize)]
pub struct InvoiceRow {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub customer_id: i64,
    pub billing_period: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: String,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub credit_applied: Decimal,
    pub amount_due: Decimal,
    pub payment_reference: String,
    pub customer_snapshot: serde_json::Value,
    pub credited_invoice_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub period: Option<String>,
    pub country: Option<String>,
    pub number: Option<String>,
    pub customer: Option<i64>,
    pub limit: Option<i64>,
}

macro_rules! row_columns {
    () => {
        (
            invoices::id,
            invoices::kind,
            invoices::number,
            invoices::customer_id,
            invoices::billing_period,
            invoices::issue_date,
            invoices::due_date,
            invoices::currency,
            invoices::net,
            invoices::vat,
            invoices::gross,
            invoices::credit_applied,
            invoices::amount_due,
            invoices::payment_reference,
            invoices::customer_snapshot,
            invoices::credited_invoice_id,
        )
    };
}

type Filtered<'a> = invoices::BoxedQuery<'a, diesel::pg::Pg>;

fn filtered(filter: &Filter) -> Filtered<'static> {
    let mut query = invoices::table.into_boxed();
    if let Some(period) = &filter.period {
        // Credit notes belong to the period of their issue date.
        let prefix = format!("{period}-");
        query = query.filter(
            invoices::billing_period.eq(period.clone()).or(invoices::billing_period.is_null().and(
                diesel::dsl::sql::<diesel::sql_types::Bool>("to_char(issue_date, 'YYYY-MM-') = ")
                    .bind::<diesel::sql_types::Text, _>(prefix),
            )),
        );
    }
    if let Some(country) = &filter.country {
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("customer_snapshot->>'country' = ")
                .bind::<diesel::sql_types::Text, _>(country.to_uppercase()),
        );
    }
    if let Some(number) = &filter.number {
        query = query.filter(invoices::number.ilike(format!("%{}%", number.replace(['%', '_'], ""))));
    }
    if let Some(customer) = filter.customer {
        query = query.filter(invoices::customer_id.eq(customer));
    }
    query
}

pub fn list(conn: &mut PgConnection, filter: &Filter) -> Result<Vec<InvoiceRow>, InvoicingError> {
    let mut rows: Vec<InvoiceRow> = filtered(filter)
        .order((invoices::kind.desc(), invoices::series_year, invoices::sequence))
        .limit(filter.limit.unwrap_or(i64::MAX))
        .select(row_columns!())
        .load(conn)?;
    for row in &mut rows {
        row.currency = row.currency.trim().to_owned();
    }
    Ok(rows)
}

/// Where a page of [`page`] ended: the kind, year and sequence of its last document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEnd {
    pub kind: String,
    pub series_year: i32,
    pub sequence: i64,
}

/// Up to `size` documents in [`list`]'s order (invoices, then credit notes, each by number)
/// after `after`: keyset pages on the `(kind, series_year, sequence)` unique index, so each page
/// costs the same however deep into the table it is.
pub fn page(
    conn: &mut PgConnection,
    filter: &Filter,
    after: Option<&PageEnd>,
    size: i64,
) -> Result<(Vec<InvoiceRow>, Option<PageEnd>), InvoicingError> {
    let mut query = filtered(filter);
    if let Some(end) = after {
        // `kind` sorts descending ("invoice" before "credit_note").
        query = query.filter(
            invoices::kind.lt(end.kind.clone()).or(invoices::kind.eq(end.kind.clone()).and(
                invoices::series_year
                    .gt(end.series_year)
                    .or(invoices::series_year.eq(end.series_year).and(invoices::sequence.gt(end.sequence))),
            )),
        );
    }
    let found: Vec<(InvoiceRow, i32, i64)> = query
        .order((invoices::kind.desc(), invoices::series_year, invoices::sequence))
        .limit(size)
        .select((row_columns!(), invoices::series_year, invoices::sequence))
        .load(conn)?;
    let end = found.last().map(|(row, series_year, sequence)| PageEnd {
        kind: row.kind.clone(),
        series_year: *series_year,
        sequence: *sequence,
    });
    let rows = found
        .into_iter()
        .map(|(mut row, _, _)| {
            row.currency = row.currency.trim().to_owned();
            row
        })
        .collect();
    Ok((rows, end))
}

/// Gross of the credit notes issued against each invoice.
pub fn credited(conn: &mut PgConnection, invoice: i64) -> Result<Decimal, InvoicingError> {
    let total: Option<Decimal> = invoices::table
        .filter(invoices::credited_invoice_id.eq(invoice))
        .select(diesel::dsl::sum(invoices::gross))
        .first(conn)?;
    Ok(total.unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Queryable, serde::Serialize)]
pub struct LineRow {
    pub line_no: i32,
    pub description: String,
    pub plan_code: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub net: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Detail {
    pub invoice: InvoiceRow,
    pub lines: Vec<LineRow>,
    pub vat: Vec<(Decimal, Decimal, Decimal)>,
    pub vat_note: Option<String>,
    pub seller: serde_json::Value,
    pub service_from: Option<NaiveDate>,
    pub service_until: Option<NaiveDate>,
    pub reason: Option<String>,
}

/// The invoice row and its document-only columns.
type DetailRow =
    (InvoiceRow, Option<String>, serde_json::Value, Option<NaiveDate>, Option<NaiveDate>, Option<String>);

/// One document by number; `customer` scopes it to that customer (anyone else: not found).
pub fn detail(
    conn: &mut PgConnection,
    number: &str,
    customer: Option<i64>,
) -> Result<Detail, InvoicingError> {
    let mut query = invoices::table.filter(invoices::number.eq(number)).into_boxed();
    if let Some(customer) = customer {
        query = query.filter(invoices::customer_id.eq(customer));
    }
    let found: Option<DetailRow> = query
        .select((
            row_columns!(),
            invoices::vat_note,
            invoices::seller_snapshot,
            invoices::service_from,
            invoices::service_until,
            invoices::reason,
        ))
        .first(conn)
        .optional()?;
    let (mut invoice, vat_note, seller, service_from, service_until, reason) =
        found.ok_or_else(|| InvoicingError::UnknownInvoice(number.to_owned()))?;
    invoice.currency = invoice.currency.trim().to_owned();
    let lines = invoice_lines::table
        .filter(invoice_lines::invoice_id.eq(invoice.id))
        .order(invoice_lines::line_no)
        .select((
            invoice_lines::line_no,
            invoice_lines::description,
            invoice_lines::plan_code,
            invoice_lines::quantity,
            invoice_lines::unit_price,
            invoice_lines::net,
            invoice_lines::vat_rate,
            invoice_lines::vat,
        ))
        .load(conn)?;
    let vat = invoice_vat::table
        .filter(invoice_vat::invoice_id.eq(invoice.id))
        .order(invoice_vat::rate)
        .select((invoice_vat::rate, invoice_vat::net, invoice_vat::vat))
        .load(conn)?;
    Ok(Detail { invoice, lines, vat, vat_note, seller, service_from, service_until, reason })
}
