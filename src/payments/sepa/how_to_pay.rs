//! How a customer pays an invoice, for its web page: the debit under their mandate, or the
//! seller's account for the invoice's currency, the RF reference and (EUR) the EPC QR code.

use base64::Engine;
use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;

use super::SepaError;
use super::mandate::{Mandate, active_mandate};
use crate::config::SellerDetails;
use crate::documents::payment::grouped;
use crate::documents::qr_image::qr_svg;
use crate::documents::qr_payload::{Payee, epc};
use crate::ledger::CustomerId;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HowToPay {
    /// Nothing is left to pay (paid, credited, or a credit note).
    Nothing,
    /// Collected under the customer's mandate on the due date.
    DirectDebit { mandate: Mandate, date: NaiveDate },
    Transfer {
        amount: Money,
        holder: String,
        /// Printed in groups of four.
        iban: String,
        bic: String,
        reference: String,
        date: NaiveDate,
        /// `data:image/svg+xml;base64,...` of the EPC code (EUR only).
        qr_data_url: Option<String>,
    },
}

/// `invoice` is the invoice's id; the caller has already checked the customer may see it.
pub fn how_to_pay(
    conn: &mut PgConnection,
    seller: &SellerDetails,
    invoice: i64,
) -> Result<HowToPay, SepaError> {
    use crate::db::schema::invoices;
    let (kind, customer, currency, due_date, reference): (String, i64, String, NaiveDate, String) =
        invoices::table
            .find(invoice)
            .select((
                invoices::kind,
                invoices::customer_id,
                invoices::currency,
                invoices::due_date,
                invoices::payment_reference,
            ))
            .first(conn)?;
    if kind != "invoice" {
        return Ok(HowToPay::Nothing);
    }
    let currency = Currency::from_code(currency.trim())
        .ok_or_else(|| SepaError::Corrupt(format!("invoice {invoice}: currency {currency}")))?;
    let open = crate::payments::open_amounts(conn, &[invoice])
        .map_err(|e| SepaError::Corrupt(e.to_string()))?
        .remove(&invoice)
        .unwrap_or_else(|| Money::zero(currency));
    if !open.is_positive() {
        return Ok(HowToPay::Nothing);
    }
    if currency == Currency::EUR {
        let collected: bool = {
            use crate::db::schema::direct_debit_collections as c;
            diesel::select(diesel::dsl::exists(
                c::table.filter(c::invoice_id.eq(invoice)).filter(c::status.eq("returned")),
            ))
            .get_result(conn)?
        };
        // A returned debit is not collected again: that invoice is paid by transfer.
        if !collected && let Some(mandate) = active_mandate(conn, CustomerId(customer))? {
            return Ok(HowToPay::DirectDebit { mandate, date: due_date });
        }
    }
    let account = seller.account_for(currency.code());
    let qr_data_url = if currency == Currency::EUR {
        let payee = Payee { name: seller.name.clone(), iban: account.iban.clone(), bic: account.bic.clone() };
        let payload = epc(&payee, open, &reference).map_err(|e| SepaError::Corrupt(e.to_string()))?;
        let svg = qr_svg(&payload).map_err(|e| SepaError::Corrupt(e.to_string()))?;
        Some(format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg.as_bytes())
        ))
    } else {
        None
    };
    Ok(HowToPay::Transfer {
        amount: open,
        holder: seller.name.clone(),
        iban: grouped(&account.iban, 4),
        bic: account.bic,
        reference: grouped(&reference, 4),
        date: due_date,
        qr_data_url,
    })
}
