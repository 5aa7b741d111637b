//! The customer's SEPA Core mandate: entered and accepted on the account page, at most one
//! active per customer (a partial unique index), revoked by the customer at any time. A new
//! mandate replaces the active one (a new account), in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::SepaError;
use crate::audit::{self, AuditEvent};
use crate::db::schema::{customers, sepa_mandates};
use crate::i18n::{Lang, t_args};
use crate::iban::{Bic, Iban};
use crate::ids::CustomerId;
use crate::ids::UserId;
use crate::subscriptions::identity::IdentityKind;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = sepa_mandates)]
pub struct Mandate {
    pub id: i64,
    pub customer_id: i64,
    pub reference: String,
    pub debtor_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub signed_on: NaiveDate,
    pub creditor_id: String,
    pub sequence: String,
    pub status: String,
    pub language: String,
}

impl Mandate {
    /// "…1234": the end of the IBAN, enough for the customer to recognise the account.
    pub fn iban_ending(&self) -> String {
        format!("…{}", self.iban.get(self.iban.len().saturating_sub(4)..).unwrap_or_default())
    }

    /// FRST for a mandate's first collection, RCUR after it.
    pub fn sequence_type(&self) -> &'static str {
        if self.sequence == "recurring" { "RCUR" } else { "FRST" }
    }
}

/// What the customer submitted, with who and where for the audit log.
#[derive(Debug, Clone)]
pub struct MandateRequest<'a> {
    pub customer: CustomerId,
    pub actor: Option<UserId>,
    pub ip: &'a str,
    pub debtor_name: &'a str,
    pub iban: &'a str,
    pub bic: &'a str,
    pub accepted: bool,
    pub language: &'a Lang,
    pub creditor_name: &'a str,
    pub creditor_id: &'a str,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

/// The mandate wording in `lang`, naming the creditor, its identifier and the reference.
pub fn mandate_text(lang: &Lang, creditor_name: &str, creditor_id: &str, reference: &str) -> String {
    t_args(
        lang,
        "sepa-mandate-text",
        &[
            ("creditor", creditor_name.to_owned().into()),
            ("creditor_id", creditor_id.to_owned().into()),
            ("reference", reference.to_owned().into()),
        ],
    )
}

pub fn active_mandate(conn: &mut PgConnection, customer: CustomerId) -> Result<Option<Mandate>, SepaError> {
    Ok(sepa_mandates::table
        .filter(sepa_mandates::customer_id.eq(customer.0))
        .filter(sepa_mandates::status.eq("active"))
        .select(Mandate::as_select())
        .first(conn)
        .optional()?)
}

/// The next reference of a customer: `KONTOR-<customer number>-<n>`.
pub fn next_reference(conn: &mut PgConnection, customer: CustomerId) -> Result<String, SepaError> {
    let count: i64 =
        sepa_mandates::table.filter(sepa_mandates::customer_id.eq(customer.0)).count().get_result(conn)?;
    Ok(format!("KONTOR-{}-{}", crate::invoicing::customer_number(customer.0), count + 1))
}

/// Validates the form and stores the mandate (replacing an active one). Runs in the caller's
/// transaction; on an input error nothing is written.
pub fn create_mandate(conn: &mut PgConnection, request: &MandateRequest<'_>) -> Result<Mandate, SepaError> {
    let name = request.debtor_name.trim();
    if name.is_empty() || name.chars().count() > 70 {
        return Err(SepaError::InvalidName);
    }
    let iban = Iban::parse(request.iban).ok_or(SepaError::InvalidIban)?;
    if !iban.in_sepa_area() {
        return Err(SepaError::IbanOutsideSepa);
    }
    let bic = match request.bic.trim() {
        "" => None,
        text => Some(Bic::parse(&text.to_ascii_uppercase()).ok_or(SepaError::InvalidBic)?),
    };
    if !request.accepted {
        return Err(SepaError::NotAccepted);
    }
    // Locks the customer row, so two submissions of one customer take turns.
    let currency: String =
        customers::table.find(request.customer.0).select(customers::currency).for_update().first(conn)?;
    if currency.trim() != "EUR" {
        return Err(SepaError::NotEur);
    }
    let replaced = revoke_active(conn, request.customer, request.now)?;
    let replaced_id = replaced.as_ref().map(|(id, _)| *id);
    let replaced = replaced.map(|(_, reference)| reference);
    let reference = next_reference(conn, request.customer)?;
    let text = mandate_text(request.language, request.creditor_name, request.creditor_id, &reference);
    let mandate: Mandate = diesel::insert_into(sepa_mandates::table)
        .values((
            sepa_mandates::customer_id.eq(request.customer.0),
            sepa_mandates::reference.eq(&reference),
            sepa_mandates::debtor_name.eq(name),
            sepa_mandates::iban.eq(iban.as_str()),
            sepa_mandates::bic.eq(bic.as_ref().map(Bic::as_str)),
            sepa_mandates::signed_on.eq(request.today),
            sepa_mandates::creditor_id.eq(request.creditor_id),
            sepa_mandates::mandate_text_sha256.eq(hex::encode(Sha256::digest(text.as_bytes()))),
            sepa_mandates::language.eq(request.language.code()),
            sepa_mandates::replaces_id.eq(replaced_id),
        ))
        .returning(Mandate::as_returning())
        .get_result(conn)?;
    // The IBAN is a payment identity for the one-free-month rule.
    let identity_fresh = crate::subscriptions::trial::register_payment_identity(
        conn,
        request.customer,
        IdentityKind::Iban,
        iban.as_str(),
    )?;
    audit::record(
        conn,
        &AuditEvent::new("sepa.mandate_created", request.actor, request.ip).target(&reference).details(
            serde_json::json!({
                "customer_id": request.customer.0,
                "iban_ending": mandate.iban_ending(),
                "replaced": replaced,
                "identity_used_by_another_trial": !identity_fresh,
            }),
        ),
    )?;
    Ok(mandate)
}

/// Revokes the active mandate, if any: (its id, its reference).
fn revoke_active(
    conn: &mut PgConnection,
    customer: CustomerId,
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>, SepaError> {
    Ok(diesel::update(
        sepa_mandates::table
            .filter(sepa_mandates::customer_id.eq(customer.0))
            .filter(sepa_mandates::status.eq("active")),
    )
    .set((sepa_mandates::status.eq("revoked"), sepa_mandates::revoked_at.eq(now)))
    .returning((sepa_mandates::id, sepa_mandates::reference))
    .get_result(conn)
    .optional()?)
}

/// Revokes the customer's active mandate; collections already exported still run (the bank
/// has them), nothing new is collected. Returns the revoked reference.
pub fn revoke_mandate(
    conn: &mut PgConnection,
    customer: CustomerId,
    actor: Option<UserId>,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<String, SepaError> {
    let (_, reference) = revoke_active(conn, customer, now)?.ok_or(SepaError::NoActiveMandate)?;
    audit::record(
        conn,
        &AuditEvent::new("sepa.mandate_revoked", actor, ip)
            .target(&reference)
            .details(serde_json::json!({ "customer_id": customer.0 })),
    )?;
    Ok(reference)
}
