//! The last step of the ladder: the account is closed through the one closing path
//! (`closing::close_account`, as closing one's own account does: the subscription cancelled at
//! the end of what was invoiced, a direct debit mandate revoked, the platform told, the closing
//! email in the customer's language; the customer keeps a read-only view and can still pay), and
//! the claim goes to a collection agency as a CSV of its parts (principal, fees, interest) from
//! `kontor dunning claims`.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Numeric, Text};
use rust_decimal::Decimal;

use super::CollectionsError;
use crate::csv_export::{Cell, CsvWriter};

/// Why closing an account failed, as the closing path reports it.
pub type ClosingFailed = Box<dyn std::error::Error + Send + Sync>;

/// The closing path (`closing::for_dunning`), handed in by the edges: this module sits below
/// it (payments, which closing uses, call the collections), so it cannot import it.
pub type CloseAccount<'a> = &'a (dyn Fn(&mut PgConnection, i64) -> Result<(), ClosingFailed> + Sync);

/// Closes `customer`'s account through `close`, in the step's transaction. Closing twice
/// changes nothing more.
pub fn terminate(
    conn: &mut PgConnection,
    close: CloseAccount<'_>,
    customer: i64,
) -> Result<(), CollectionsError> {
    close(conn, customer).map_err(CollectionsError::Closing)
}

#[derive(QueryableByName)]
struct Claim {
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    address: String,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Date)]
    due_date: chrono::NaiveDate,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    principal: Decimal,
    #[diesel(sql_type = Numeric)]
    fees: Decimal,
    #[diesel(sql_type = Numeric)]
    interest: Decimal,
    #[diesel(sql_type = Numeric)]
    charges_open: Decimal,
    #[diesel(sql_type = Date)]
    handed_over: chrono::NaiveDate,
}

/// Every claim handed over (invoices at the termination step, still open), as CSV: one row per
/// invoice with its open principal, the fees and interest charged and what of them is open.
pub fn export_claims(conn: &mut PgConnection, out: impl std::io::Write) -> Result<usize, CollectionsError> {
    let claims: Vec<Claim> = diesel::sql_query(
        "SELECT c.id AS customer_id, c.name, c.email, c.street || ', ' || c.postal_code || ' ' || c.city || ', ' || c.country AS address,
                i.number, i.due_date, trim(i.currency) AS currency, b.open_amount AS principal,
                (SELECT COALESCE(sum(n.fee), 0) FROM dunning_notices n WHERE n.invoice_id = i.id) AS fees,
                (SELECT COALESCE(sum(n.interest), 0) FROM dunning_notices n WHERE n.invoice_id = i.id) AS interest,
                (SELECT COALESCE(sum(cb.open_amount), 0) FROM dunning_notices n JOIN invoice_balances cb ON cb.invoice_id = n.charge_invoice_id
                  WHERE n.invoice_id = i.id) AS charges_open,
                t.sent_on AS handed_over
           FROM dunning_notices t
           JOIN invoices i ON i.id = t.invoice_id
           JOIN invoice_balances b ON b.invoice_id = i.id
           JOIN customers c ON c.id = i.customer_id
          WHERE t.action = 'termination' AND b.open_amount > 0
          ORDER BY t.sent_on, i.id",
    )
    .load(conn)?;
    let csv_error = |e: crate::csv_export::CsvError| CollectionsError::Corrupt(e.to_string());
    let mut writer = CsvWriter::new(
        out,
        &[
            "customer",
            "name",
            "email",
            "address",
            "invoice",
            "due_date",
            "currency",
            "principal",
            "fees",
            "interest",
            "charges_open",
            "total_open",
            "handed_over",
        ],
    )
    .map_err(csv_error)?;
    for claim in &claims {
        let total = claim.principal + claim.charges_open;
        writer
            .row(&[
                Cell::Value(&claim.customer_id.to_string()),
                Cell::Text(&claim.name),
                Cell::Text(&claim.email),
                Cell::Text(&claim.address),
                Cell::Value(&claim.number),
                Cell::Value(&claim.due_date.to_string()),
                Cell::Value(&claim.currency),
                Cell::Value(&claim.principal.to_string()),
                Cell::Value(&claim.fees.to_string()),
                Cell::Value(&claim.interest.to_string()),
                Cell::Value(&claim.charges_open.to_string()),
                Cell::Value(&total.to_string()),
                Cell::Value(&claim.handed_over.to_string()),
            ])
            .map_err(csv_error)?;
    }
    writer.finish().map_err(csv_error)?;
    Ok(claims.len())
}
