//! EU VAT IDs checked against VIES, the European Commission's VAT Information Exchange System.
//!
//! Reverse charge rests on the customer being a taxable person in their member state, and a
//! VAT ID whose format fits proves nothing of the kind: VIES asks the member state. Every check
//! is kept (`vat_id_checks`: the verdict, what VIES said about the trader, its consultation
//! number, when); a customer's standing is the latest check of the VAT ID now on file, and only
//! `valid` makes an invoice reverse-charged (`vat_id_confirmed` in PostgreSQL, read by the
//! invoice batch and the quotes).
//!
//! VIES is often down for one member state or another. An unanswered check never blocks
//! anything: it is stored as `unavailable` and asked again later ([`recheck`]), and until then
//! the customer is charged VAT like a consumer.

pub mod client;
pub mod fake;
pub mod recheck;
pub mod wire;

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::country::VatId;
use crate::db::schema::{customers, vat_id_checks};
use crate::ids::CustomerId;

/// The Commission's VIES REST API (`KONTOR_VIES_URL` overrides it).
pub const EC_URL: &str = "https://ec.europa.eu/taxation_customs/vies/rest-api";

/// How long a check may take: VIES answers in well under a second when the member state is up,
/// and a sign-up waits for it, so a slow state counts as unavailable and is asked again later.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Where and as whom Kontor asks VIES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViesSettings {
    /// The REST API's base address, without a trailing slash.
    pub url: String,
    pub timeout: Duration,
    /// The seller's own EU VAT ID, sent along so VIES gives a consultation number.
    pub requester: Option<VatId>,
}

#[derive(Debug, thiserror::Error)]
pub enum ViesError {
    #[error("stored VAT ID check is unreadable: {0}")]
    Corrupt(String),
    #[error("database pool")]
    Pool(#[source] diesel::r2d2::PoolError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What VIES said about a VAT ID, as the `result` column's CHECK names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Valid,
    Invalid,
    /// No answer: the service or the member state is down, busy or too slow.
    #[default]
    Unavailable,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Valid, Verdict::Invalid, Verdict::Unavailable];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Unavailable => "unavailable",
        }
    }

    pub fn parse(text: &str) -> Option<Verdict> {
        Self::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

/// One answer of VIES, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub verdict: Verdict,
    pub name: Option<String>,
    pub address: Option<String>,
    pub request_identifier: Option<String>,
    pub request_date: Option<String>,
    pub reason: Option<String>,
}

impl Answer {
    pub fn unavailable(reason: &str) -> Answer {
        Answer { verdict: Verdict::Unavailable, reason: Some(reason.to_owned()), ..Answer::default() }
    }
}

/// Whether VIES knows VAT IDs of this kind: the EU member states' (Swiss, Norwegian and UK
/// numbers are not in it, and reverse charge does not depend on them).
pub fn covers(vat_id: &VatId) -> bool {
    vat_id.country().is_eu()
}

diesel::define_sql_function! {
    /// The latest check of `vat_id` for `customer` found it valid (see the migration).
    fn vat_id_confirmed(customer: diesel::sql_types::BigInt, vat_id: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Bool;
}

/// A business customer and the VAT ID on file, as written there (which is what a check is
/// kept under, so the standing finds it) and as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Business {
    pub customer: CustomerId,
    pub on_file: String,
    pub vat_id: VatId,
}

impl Business {
    /// A VAT ID that sign-up or the settings just stored (they store the canonical form).
    pub fn stored(customer: CustomerId, vat_id: VatId) -> Business {
        Business { customer, on_file: vat_id.to_string(), vat_id }
    }
}

/// Keeps one check of the VAT ID `on_file` (as `customers.vat_id` holds it) for `customer`,
/// made at `checked_at`.
pub fn record(
    conn: &mut PgConnection,
    customer: CustomerId,
    on_file: &str,
    answer: &Answer,
    checked_at: DateTime<Utc>,
) -> Result<(), ViesError> {
    diesel::insert_into(vat_id_checks::table)
        .values((
            vat_id_checks::customer_id.eq(customer.0),
            vat_id_checks::vat_id.eq(on_file),
            vat_id_checks::result.eq(answer.verdict.as_str()),
            vat_id_checks::name.eq(answer.name.as_deref()),
            vat_id_checks::address.eq(answer.address.as_deref()),
            vat_id_checks::request_identifier.eq(answer.request_identifier.as_deref()),
            vat_id_checks::request_date.eq(answer.request_date.as_deref()),
            vat_id_checks::reason.eq(answer.reason.as_deref()),
            vat_id_checks::checked_at.eq(checked_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A customer's standing: the latest check of the VAT ID now on file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Standing {
    pub vat_id: String,
    pub verdict: Verdict,
    pub checked_at: DateTime<Utc>,
}

/// The standing of `customer`'s current VAT ID; `None` without a VAT ID VIES covers, or before
/// its first check.
pub fn standing(conn: &mut PgConnection, customer: CustomerId) -> Result<Option<Standing>, ViesError> {
    let latest: Option<(String, String, DateTime<Utc>)> = vat_id_checks::table
        .inner_join(customers::table)
        .filter(vat_id_checks::customer_id.eq(customer.0))
        .filter(customers::vat_id.eq(vat_id_checks::vat_id.nullable()))
        .order((vat_id_checks::checked_at.desc(), vat_id_checks::id.desc()))
        .select((vat_id_checks::vat_id, vat_id_checks::result, vat_id_checks::checked_at))
        .first(conn)
        .optional()?;
    latest
        .map(|(vat_id, result, checked_at)| {
            let verdict =
                Verdict::parse(&result).ok_or_else(|| ViesError::Corrupt(format!("result {result:?}")))?;
            Ok(Standing { vat_id, verdict, checked_at })
        })
        .transpose()
}

/// Asks VIES about the business's VAT ID (no connection held while waiting) and keeps the
/// answer, checked at the instant `now` gives once the answer is in. The check of a sign-up or a
/// changed VAT ID, after the transaction that stored the VAT ID committed, and of a re-check.
pub fn check_and_record(
    pool: &crate::db::PgPool,
    settings: &ViesSettings,
    business: &Business,
    now: &dyn Fn() -> DateTime<Utc>,
) -> Result<Answer, ViesError> {
    let answer = client::check(settings, &business.vat_id);
    let mut conn = pool.get().map_err(ViesError::Pool)?;
    record(&mut conn, business.customer, &business.on_file, &answer, now())?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdicts_are_the_ones_the_database_allows() {
        let migration = include_str!("../../../migrations/2026-12-18-000020_vat_id_checks/up.sql");
        let allowed = crate::db::check_list(migration, "vat_id_checks", "result");
        let ours: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(allowed, ours);
        assert!(Verdict::ALL.iter().all(|v| Verdict::parse(v.as_str()) == Some(*v)));
    }

    #[test]
    fn vies_covers_member_states_only() {
        use crate::country::Country;
        let at = VatId::parse("ATU13585627", Country::Austria).unwrap();
        let ch = VatId::parse("CHE-123.456.788", Country::Switzerland).unwrap();
        assert!(covers(&at) && !covers(&ch));
    }
}
