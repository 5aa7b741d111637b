//! What the bank statement import calls when a direct debit comes back in a statement: the
//! settlement (the money arrived: a receipt allocated to the invoice) or a return / reject
//! (R-transaction: the receipt is reversed, the invoice is open again and is not collected
//! automatically again, the bank's fee is passed on, the customer is told why in their
//! language). Both are idempotent: the collection row is locked, and its status, the receipt
//! keys and the fee's journal entry key make a second call do nothing new.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::SepaError;
use crate::db::schema::{customers, direct_debit_collections as collections, invoices, sepa_mandates};
use crate::documents::how_to_pay::HowToPay;
use crate::i18n::Lang;
use crate::i18n::format::Formats;
use crate::ids::CustomerId;
use crate::ledger::chart::{CustomerAccount, SystemAccount};
use crate::ledger::{NewEntry, NewPosting, Reference, post_entry};
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::money::Money;
use crate::payments::allocation::{Applied, Method, Receipt, apply_receipt, reverse_receipt};
use crate::site::Site;

/// What returns need from the configuration: links and Message-IDs for the email, and the fee.
/// (Where to transfer instead is the invoice's own, `documents::how_to_pay`.)
#[derive(Debug, Clone)]
pub struct ReturnContext {
    pub site: Site,
    pub return_fee: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub collection_id: i64,
    pub invoice_id: i64,
    pub customer_id: i64,
    pub applied: Applied,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    pub collection_id: i64,
    pub invoice_id: i64,
    pub customer_id: i64,
    /// The counter-entry of the settlement, when the debit had settled (a return); none for a
    /// reject that came before settlement.
    pub reversed: Option<Applied>,
    /// The fee passed on to the customer, if one is configured.
    pub fee: Option<Money>,
    /// True when this return had been processed before: nothing new was booked or sent.
    pub already_returned: bool,
}

#[derive(Queryable)]
struct Row {
    id: i64,
    invoice_id: i64,
    customer_id: i64,
    amount: Decimal,
    currency: String,
    status: String,
    settlement_key: Option<String>,
}

fn lock(conn: &mut PgConnection, end_to_end_id: &str) -> Result<Option<Row>, SepaError> {
    Ok(collections::table
        .filter(collections::end_to_end_id.eq(end_to_end_id))
        .select((
            collections::id,
            collections::invoice_id,
            collections::customer_id,
            collections::amount,
            collections::currency,
            collections::status,
            collections::settlement_key,
        ))
        .for_update()
        .first(conn)
        .optional()?)
}

fn currency(code: &str) -> Result<Currency, SepaError> {
    Currency::from_code(code.trim()).ok_or_else(|| SepaError::Corrupt(format!("currency {code:?}")))
}

/// The collection `end_to_end_id` arrived on the seller's account as `amount`: a direct debit
/// receipt (key `bank_key`) pays its invoice (anything above the open amount becomes credit).
/// Unknown end-to-end ids are `Ok(None)`, for the import to match otherwise.
pub fn settle_collection(
    conn: &mut PgConnection,
    site: &Site,
    end_to_end_id: &str,
    amount: Money,
    booked_at: DateTime<Utc>,
    bank_key: &str,
) -> Result<Option<Settlement>, SepaError> {
    conn.transaction(|conn| {
        let Some(row) = lock(conn, end_to_end_id)? else {
            return Ok(None);
        };
        if amount.currency() != currency(&row.currency)? || !amount.is_positive() {
            return Err(SepaError::Corrupt(format!("{end_to_end_id}: settled as {amount}")));
        }
        // Settled before under another bank entry: that receipt stands, this one is the same
        // money seen again (an overlapping statement).
        let key = match (row.status.as_str(), &row.settlement_key) {
            ("settled", Some(first)) => first.clone(),
            _ => bank_key.to_owned(),
        };
        let receipt = Receipt {
            key,
            customer: row.customer_id,
            amount,
            fee: None,
            received_in: SystemAccount::Bank,
            method: Method::DirectDebit,
            invoices: vec![row.invoice_id],
            occurred_at: booked_at,
            memo: format!("SEPA direct debit {end_to_end_id}"),
        };
        let applied = apply_receipt(conn, site, &receipt).map_err(|e| SepaError::Corrupt(e.to_string()))?;
        if row.status == "pending" {
            diesel::update(collections::table.find(row.id))
                .set((
                    collections::status.eq("settled"),
                    collections::settlement_key.eq(&receipt.key),
                    collections::updated_at.eq(diesel::dsl::now),
                ))
                .execute(conn)?;
            let mandate: i64 = collections::table.find(row.id).select(collections::mandate_id).first(conn)?;
            diesel::update(sepa_mandates::table.find(mandate))
                .set(sepa_mandates::sequence.eq("recurring"))
                .execute(conn)?;
        }
        Ok(Some(Settlement {
            collection_id: row.id,
            invoice_id: row.invoice_id,
            customer_id: row.customer_id,
            applied,
        }))
    })
}

/// The collection came back (return after settlement, or reject before it) with the ISO
/// reason code. See the module documentation for what happens; `Ok(None)` for unknown ids.
pub fn return_collection(
    conn: &mut PgConnection,
    context: &ReturnContext,
    end_to_end_id: &str,
    reason_code: Option<&str>,
    booked_at: DateTime<Utc>,
    bank_key: &str,
) -> Result<Option<Return>, SepaError> {
    conn.transaction(|conn| {
        let Some(row) = lock(conn, end_to_end_id)? else {
            return Ok(None);
        };
        if row.status == "returned" {
            return Ok(Some(Return {
                collection_id: row.id,
                invoice_id: row.invoice_id,
                customer_id: row.customer_id,
                reversed: None,
                fee: None,
                already_returned: true,
            }));
        }
        let currency = currency(&row.currency)?;
        let reversed = match (row.status.as_str(), &row.settlement_key) {
            ("settled", Some(settlement)) => Some(
                reverse_receipt(
                    conn,
                    settlement,
                    bank_key,
                    booked_at,
                    &format!("SEPA direct debit {end_to_end_id} returned ({})", reason_code.unwrap_or("-")),
                )
                .map_err(|e| SepaError::Corrupt(e.to_string()))?,
            ),
            _ => None,
        };
        let reason = reason_code.map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty());
        diesel::update(collections::table.find(row.id))
            .set((
                collections::status.eq("returned"),
                collections::return_key.eq(bank_key),
                collections::return_reason.eq(&reason),
                collections::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let fee = context.return_fee.filter(|f| f.currency() == currency);
        if let Some(fee) = fee {
            let customer = CustomerId(row.customer_id);
            let receivable = CustomerAccount::Receivable.open(conn, customer, currency)?;
            let fees = SystemAccount::PaymentFees.open(conn, currency)?;
            post_entry(
                conn,
                &NewEntry {
                    idempotency_key: format!("sepa-return-fee:{end_to_end_id}"),
                    kind: crate::ledger::EntryKind::DirectDebitReturnFee.into(),
                    memo: format!("Return fee for SEPA direct debit {end_to_end_id}"),
                    occurred_at: booked_at,
                    reference: Some(Reference {
                        kind: "direct_debit".to_owned(),
                        id: end_to_end_id.to_owned(),
                    }),
                    postings: vec![NewPosting::debit(receivable.id, fee), NewPosting::credit(fees.id, fee)],
                },
            )?;
        }
        notify(conn, context, &row, Money::new(row.amount, currency), reason.as_deref(), fee, booked_at)?;
        Ok(Some(Return {
            collection_id: row.id,
            invoice_id: row.invoice_id,
            customer_id: row.customer_id,
            reversed,
            fee,
            already_returned: false,
        }))
    })
}

/// The Fluent message explaining an ISO 20022 return reason in plain words.
/// Whether a return of `invoice` for `reason` (already recorded) is presented once more.
fn presented_again(conn: &mut PgConnection, invoice: i64, reason: Option<&str>) -> Result<bool, SepaError> {
    if !reason.is_some_and(|r| crate::collections::direct_debit::PRESENTED_AGAIN_AFTER.contains(&r)) {
        return Ok(false);
    }
    let collections: i64 =
        collections::table.filter(collections::invoice_id.eq(invoice)).count().get_result(conn)?;
    Ok(collections == 1)
}

pub fn reason_message_id(code: Option<&str>) -> &'static str {
    match code {
        Some("AM04") => "sepa-return-reason-am04",
        Some("MD06") => "sepa-return-reason-md06",
        Some("AC04") => "sepa-return-reason-ac04",
        Some("MS02") => "sepa-return-reason-ms02",
        Some("MD01") => "sepa-return-reason-md01",
        Some("AC06") => "sepa-return-reason-ac06",
        _ => "sepa-return-reason-other",
    }
}

fn notify(
    conn: &mut PgConnection,
    context: &ReturnContext,
    row: &Row,
    amount: Money,
    reason: Option<&str>,
    fee: Option<Money>,
    booked_at: DateTime<Utc>,
) -> Result<(), SepaError> {
    let (email, language, country): (String, String, String) = customers::table
        .find(row.customer_id)
        .select((customers::email, customers::language, customers::country))
        .first(conn)?;
    let number: String = invoices::table.find(row.invoice_id).select(invoices::number).first(conn)?;
    // The invoice is paid by transfer now: the account and reference its page shows.
    let transfer = match crate::documents::how_to_pay::how_to_pay(conn, row.invoice_id)
        .map_err(|e| SepaError::Corrupt(e.to_string()))?
    {
        HowToPay::Transfer(transfer) => Some(transfer),
        HowToPay::DirectDebit(_) | HowToPay::Nothing(_) => None,
    };
    let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
    let formats = Formats::new(&lang, country.trim());
    let mut paragraphs = vec!["sepa-return-text", reason_message_id(reason)];
    if fee.is_some() {
        paragraphs.push("sepa-return-fee");
    }
    // The pre-notification of the second presentation, or how to pay instead.
    if presented_again(conn, row.invoice_id, reason)? {
        paragraphs.push("sepa-return-present-again");
    } else if transfer.is_some() {
        paragraphs.push("sepa-return-pay-instead");
    }
    let content = EmailContent {
        subject: "sepa-return-subject",
        paragraphs: &paragraphs,
        action: Some(("sepa-return-action", context.site.link("/account/invoices"))),
        args: vec![
            ("amount", formats.money(amount).into()),
            ("invoice", number.into()),
            ("date", formats.date(booked_at.date_naive()).into()),
            ("code", reason.unwrap_or("-").to_owned().into()),
            ("fee", fee.map(|f| formats.money(f)).unwrap_or_default().into()),
            ("iban", transfer.as_ref().map(|t| t.iban_printed()).unwrap_or_default().into()),
            ("bic", transfer.as_ref().map(|t| t.bic.clone()).unwrap_or_default().into()),
            ("reference", transfer.as_ref().map(|t| t.reference.printed()).unwrap_or_default().into()),
        ],
    };
    mail::send(conn, &context.site, &email, &lang, format!("sepa-return:{}", row.id), &content)?;
    Ok(())
}
