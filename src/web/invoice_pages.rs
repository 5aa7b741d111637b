//! Invoices for customers (their own) and for the back office (all, with filters, and credit
//! notes for finance).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use base64::Engine;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::{Customer, Finance, Staff};
use super::env::Env;
use super::form::Form;
use super::render::page;
use super::submit::Outcome;
use crate::accounts::{AccountError, Role};
use crate::audit::Actor;
use crate::documents::how_to_pay::{Code, HowToPay};
use crate::documents::qr_image::qr_svg;
use crate::i18n::format::{date, money, percent};
use crate::i18n::{Lang, t};
use crate::invoicing::InvoicingError;
use crate::invoicing::credit_note::credit_invoice;
use crate::invoicing::queries::{Detail, Filter, InvoiceRow, detail, list};
use crate::payments::Balance;

fn amount(lang: &Lang, value: Decimal, currency: &str) -> String {
    crate::i18n::format::money_in(lang, value, currency)
}

fn row_json(lang: &Lang, row: &InvoiceRow) -> serde_json::Value {
    serde_json::json!({
        "number": row.number,
        "credit_note": row.kind == crate::invoicing::numbering::Series::CreditNote.as_str(),
        "issue_date": date(lang, row.issue_date),
        "due_date": date(lang, row.due_date),
        "customer": row.customer_snapshot.get("name"),
        "customer_number": row.customer_snapshot.get("number"),
        "country": row.customer_snapshot.get("country"),
        "gross": amount(lang, row.gross, &row.currency),
        "amount_due": amount(lang, row.amount_due, &row.currency),
    })
}

fn detail_json(lang: &Lang, d: &Detail) -> serde_json::Value {
    let currency = d.invoice.currency.as_str();
    let lines: Vec<serde_json::Value> = d
        .lines
        .iter()
        .map(|l| {
            serde_json::json!({
                "description": l.description,
                "quantity": l.quantity.normalize().to_string(),
                "unit_price": amount(lang, l.unit_price, currency),
                "net": amount(lang, l.net, currency),
                "vat_rate": percent(lang, l.vat_rate),
            })
        })
        .collect();
    let vat: Vec<serde_json::Value> = d
        .vat
        .iter()
        .map(|(rate, net, vat)| {
            serde_json::json!({ "rate": percent(lang, *rate), "net": amount(lang, *net, currency), "vat": amount(lang, *vat, currency) })
        })
        .collect();
    serde_json::json!({
        "row": row_json(lang, &d.invoice),
        "customer": d.invoice.customer_snapshot,
        "seller": d.seller,
        "lines": lines,
        "vat": vat,
        "net": amount(lang, d.invoice.net, currency),
        "vat_total": amount(lang, d.invoice.vat, currency),
        "credit_applied": (!d.invoice.credit_applied.is_zero()).then(|| amount(lang, d.invoice.credit_applied, currency)),
        "vat_note": d.vat_note,
        "payment_reference": d.invoice.payment_reference,
        "service_from": d.service_from.map(|x| date(lang, x)),
        "service_until": d.service_until.map(|x| date(lang, x - chrono::Duration::days(1))),
        "reason": d.reason,
    })
}

/// Where an invoice stands (open, overdue, partly paid, paid, credited) and what is left to
/// pay, from the payments allocated to it.
fn state_json(lang: &Lang, balance: Option<&Balance>, currency: &str, today: NaiveDate) -> serde_json::Value {
    match balance {
        Some(b) => {
            let state = b.state(today);
            serde_json::json!({
                "state": state.as_str(),
                "state_text": crate::i18n::t(lang, state.message_id()),
                "open": amount(lang, b.open_amount, currency),
            })
        }
        None => serde_json::json!({}),
    }
}

fn balances_of(conn: &mut diesel::PgConnection, ids: &[i64]) -> Result<HashMap<i64, Balance>, AccountError> {
    crate::payments::balances(conn, ids).map_err(|e| AccountError::Corrupt(e.to_string()))
}

/// The "how to pay" block, from the one decision the PDF and the emails use too: the
/// announced debit, or the transfer details with the EPC code (EUR) or a pointer to the PDF's
/// QR-bill (CHF).
fn pay_json(lang: &Lang, pay: &HowToPay) -> Result<serde_json::Value, WebError> {
    Ok(match pay {
        HowToPay::Nothing(_) => serde_json::Value::Null,
        HowToPay::DirectDebit(debit) => serde_json::json!({
            "debit": crate::i18n::t_args(lang, "sepa-debit-notice", &[
                ("iban", format!("…{}", debit.iban_ending).into()),
                ("reference", debit.mandate_reference.clone().into()),
                ("date", date(lang, debit.date).into()),
            ]),
        }),
        HowToPay::Transfer(transfer) => {
            let qr = match transfer.epc_payload().map_err(|e| WebError::internal(lang, e))? {
                Some(payload) => {
                    let svg = qr_svg(&payload).map_err(|e| WebError::internal(lang, e))?;
                    Some(format!(
                        "data:image/svg+xml;base64,{}",
                        base64::engine::general_purpose::STANDARD.encode(svg.as_bytes())
                    ))
                }
                None => None,
            };
            serde_json::json!({
                "intro": crate::i18n::t_args(lang, "sepa-pay-transfer", &[
                    ("amount", money(lang, transfer.amount).into()),
                    ("date", date(lang, transfer.due_date).into()),
                ]),
                "holder": transfer.holder,
                "iban": transfer.iban_printed(),
                "bic": transfer.bic,
                "reference": transfer.reference.printed(),
                "qr": qr,
                "qr_bill": transfer.code == Code::SwissQrBill,
                "domestic": transfer.domestic.as_ref().map(|d| d.sentence(lang)),
            })
        }
    })
}

async fn rows(env: &Env, filter: Filter) -> Result<Vec<serde_json::Value>, WebError> {
    let lang = env.lang.clone();
    let today = env.today();
    let (found, balances) = env
        .db(move |conn| {
            let found = list(conn, &filter).map_err(|e| AccountError::Corrupt(e.to_string()))?;
            let ids: Vec<i64> = found.iter().map(|r| r.id).collect();
            Ok((found, balances_of(conn, &ids)?))
        })
        .await?;
    Ok(found
        .iter()
        .map(|r| {
            let mut row = row_json(&lang, r);
            if let Some(fields) = row.as_object_mut() {
                fields
                    .insert("payment".to_owned(), state_json(&lang, balances.get(&r.id), &r.currency, today));
            }
            row
        })
        .collect())
}

pub async fn my_invoices(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let customer = who.customer;
    let invoices = rows(&env, Filter { customer: Some(customer.0), ..Filter::default() }).await?;
    let mut context = Context::new();
    context.insert("invoices", &invoices);
    context.insert("base", "/account/invoices");
    context.insert("staff", &false);
    page("pages/invoices.html", &env, context)
}

pub(super) async fn show(
    env: &Env,
    number: String,
    customer: Option<i64>,
    staff: bool,
    notice: Option<String>,
) -> Result<HttpResponse, WebError> {
    let lang = env.lang.clone();
    let reader = lang.clone();
    let paypal = !staff && env.settings().paypal.is_some();
    let found = env
        .db(move |conn| match detail(conn, &number, customer) {
            Ok(d) => {
                let balance = balances_of(conn, &[d.invoice.id])?.remove(&d.invoice.id);
                // Compensation the invoice's applied credit consumed, as negative lines.
                let compensation = crate::incidents::credits::lines_of(conn, d.invoice.id, &reader)
                    .map_err(|e| AccountError::Corrupt(e.to_string()))?;
                let pay = crate::documents::how_to_pay::how_to_pay(conn, d.invoice.id)
                    .map_err(|e| AccountError::Corrupt(e.to_string()))?;
                Ok(Some((d, balance, compensation, pay)))
            }
            Err(InvoicingError::UnknownInvoice(_)) => Ok(None),
            Err(e) => Err(AccountError::Corrupt(e.to_string())),
        })
        .await?;
    let Some((found, balance, compensation, pay)) = found else {
        return Err(WebError::not_found(&env.lang));
    };
    let compensation: Vec<serde_json::Value> = compensation
        .iter()
        .map(|c| {
            serde_json::json!({
                "description": crate::i18n::t_args(&lang, "compensation-invoice-line", &[("title", c.title.clone().into())]),
                "amount": amount(&lang, -c.amount, &found.invoice.currency),
            })
        })
        .collect();
    // "Pay with PayPal" when PayPal is configured and the invoice waits for the customer's
    // money: not when it is paid, nor when it is being collected by direct debit (paying it
    // twice over would follow).
    let paypal_button = paypal && matches!(pay, HowToPay::Transfer(_));
    let mut context = Context::new();
    let mut invoice = detail_json(&lang, &found);
    if let Some(fields) = invoice.as_object_mut() {
        fields.insert(
            "payment".to_owned(),
            state_json(&lang, balance.as_ref(), &found.invoice.currency, env.today()),
        );
    }
    context.insert("pay", &pay_json(&lang, &pay)?);
    context.insert("invoice", &invoice);
    context.insert("compensation", &compensation);
    context.insert("staff", &staff);
    context.insert(
        "can_credit",
        &(staff
            && found.invoice.kind == crate::invoicing::numbering::Series::Invoice.as_str()
            && env.session.as_ref().is_some_and(|s| matches!(s.user.role, Role::Finance | Role::Admin))),
    );
    context.insert("notice", &notice);
    context.insert("paypal_button", &paypal_button);
    let base = if staff { "/backoffice/invoices" } else { "/account/invoices" };
    context.insert("pdf_url", &format!("{base}/{}/pdf", found.invoice.number));
    let number = found.invoice.number.clone();
    let e_invoice = env
        .db(move |conn| Ok::<_, AccountError>(crate::documents::store::xml_of(conn, &number, None).is_ok()))
        .await?;
    if e_invoice {
        context.insert("xrechnung_url", &format!("{base}/{}/xrechnung.xml", found.invoice.number));
    }
    page("pages/invoice.html", env, context)
}

/// The stored PDF as it was sent, never a fresh render.
async fn pdf(env: &Env, number: String, customer: Option<i64>) -> Result<HttpResponse, WebError> {
    use crate::documents::{DocumentError, store::pdf_of};
    let found = env
        .db(move |conn| match pdf_of(conn, &number, customer) {
            Ok(document) => Ok(Some(document)),
            Err(DocumentError::NotFound(_)) => Ok(None),
            Err(e) => Err(AccountError::Corrupt(e.to_string())),
        })
        .await?;
    let document = found.ok_or_else(|| WebError::not_found(&env.lang))?;
    Ok(pdf_response(document))
}

/// A stored document as sent, inline, never cached.
pub(super) fn pdf_response(document: crate::documents::store::StoredDocument) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(document.media_type.as_str())
        .insert_header(("Content-Disposition", format!("inline; filename=\"{}\"", document.file_name)))
        .insert_header(("ETag", format!("\"{}\"", document.sha256_hex())))
        // Invoices and letters are personal data: no shared or browser cache keeps a copy.
        .insert_header(("Cache-Control", "private, no-store"))
        .body(document.content)
}

/// The XRechnung (CII) of an e-invoiced document, for public-sector buyers: written from the
/// same frozen document as its stored Factur-X, with the XRechnung guideline id. Documents
/// that went out as plain PDFs have none.
async fn xrechnung(env: &Env, number: String, customer: Option<i64>) -> Result<HttpResponse, WebError> {
    use crate::documents::facturx::{Guideline, cii_xml};
    use crate::documents::{DocumentError, model::load, store::xml_of};
    use diesel::prelude::*;
    let seller_country = env.settings().seller_country.code().to_owned();
    let file_name = format!("{number}-xrechnung.xml");
    let found = env
        .db(move |conn| {
            let corrupt = |e: DocumentError| AccountError::Corrupt(e.to_string());
            match xml_of(conn, &number, customer) {
                Ok(_) => {}
                Err(DocumentError::NotFound(_)) => return Ok(None),
                Err(e) => return Err(corrupt(e)),
            }
            let id: i64 = crate::db::schema::invoices::table
                .filter(crate::db::schema::invoices::number.eq(&number))
                .select(crate::db::schema::invoices::id)
                .first(conn)
                .map_err(|e| AccountError::Corrupt(e.to_string()))?;
            let doc = load(conn, &[id]).map_err(corrupt)?.into_iter().next();
            doc.map(|doc| cii_xml(&doc, &seller_country, Guideline::XRechnung))
                .transpose()
                .map_err(|e| AccountError::Corrupt(e.to_string()))
        })
        .await?;
    let xml = found.ok_or_else(|| WebError::not_found(&env.lang))?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{file_name}\"")))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(xml))
}

pub async fn my_invoice_xrechnung(
    env: Env,
    who: Customer,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    xrechnung(&env, number.into_inner(), Some(who.customer.0)).await
}

pub async fn any_invoice_xrechnung(
    env: Env,
    _: Staff,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    xrechnung(&env, number.into_inner(), None).await
}

pub async fn my_invoice_pdf(
    env: Env,
    who: Customer,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    pdf(&env, number.into_inner(), Some(who.customer.0)).await
}

pub async fn any_invoice_pdf(
    env: Env,
    _: Staff,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    pdf(&env, number.into_inner(), None).await
}

pub async fn my_invoice(
    env: Env,
    who: Customer,
    number: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    show(&env, number.into_inner(), Some(who.customer.0), false, None).await
}

#[derive(Deserialize, Default)]
pub struct FinanceFilter {
    period: Option<String>,
    country: Option<String>,
    number: Option<String>,
}

pub async fn all_invoices(
    env: Env,
    _: Staff,
    query: web::Query<FinanceFilter>,
) -> Result<HttpResponse, WebError> {
    let query = query.into_inner();
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let period = clean(query.period).filter(|p| p.parse::<crate::invoicing::BillingMonth>().is_ok());
    let filter = Filter {
        period: period.clone(),
        country: clean(query.country.clone()),
        number: clean(query.number.clone()),
        customer: None,
        limit: Some(500),
    };
    let invoices = rows(&env, filter).await?;
    let mut context = Context::new();
    context.insert("invoices", &invoices);
    context.insert("base", "/backoffice/invoices");
    context.insert("staff", &true);
    context.insert(
        "filter",
        &serde_json::json!({ "period": period, "country": query.country, "number": query.number }),
    );
    page("pages/invoices.html", &env, context)
}

pub async fn any_invoice(env: Env, _: Staff, number: web::Path<String>) -> Result<HttpResponse, WebError> {
    show(&env, number.into_inner(), None, true, None).await
}

#[derive(Deserialize)]
pub struct CreditForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

pub async fn credit(
    env: Env,
    who: Finance,
    number: web::Path<String>,
    form: Form<CreditForm>,
) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let (actor, ip, billing) = (who.user.id, env.ip.clone(), env.settings().billing());
    let publishing = env.settings().publishing();
    let number = number.into_inner();
    let invoice_number = number.clone();
    let lang = env.lang.clone();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<&'static str>, AccountError> {
            let actor = Actor::person(actor, ip);
            let issued = credit_invoice(
                conn,
                &billing,
                &publishing,
                &invoice_number,
                &form.amount,
                &form.reason,
                &actor,
                now,
            );
            match issued {
                Ok(issued) => Ok(Outcome::noted(
                    format!("/backoffice/invoices/{invoice_number}"),
                    crate::i18n::t_args(&lang, "credit-note-issued", &[("number", issued.number.into())]),
                )),
                Err(
                    e @ (InvoicingError::UnknownInvoice(_)
                    | InvoicingError::BadAmount(_)
                    | InvoicingError::NoReason
                    | InvoicingError::CreditTooLarge
                    | InvoicingError::NotAnInvoice),
                ) => Ok(Outcome::Refused(e.message_id())),
                Err(e) => Err(AccountError::Corrupt(e.to_string())),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err("error-not-found") => Err(WebError::not_found(&env.lang)),
        Err(message) => show(&env, number, None, true, Some(t(&env.lang, message))).await,
    }
}
