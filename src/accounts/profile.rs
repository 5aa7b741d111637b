//! What customers change themselves: name, address, language, time zone, VAT ID, password;
//! their data as JSON; closing the account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::address::{PostalDetails, PostalInput, optional_vat_id};
use super::password::{self, Password, PasswordHash};
use super::user::User;
use super::{AccountError, FieldErrors, session};
use crate::audit;
use crate::country::{Country, VatId};
use crate::db::schema::{customers, sessions, users};
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::ids::UserId;
use crate::tax::vies::{self, Standing};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProfileForm {
    pub name: String,
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub vat_id: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub language: String,
    /// An IANA zone from [`time_zones`], or empty for the country's; absent leaves it as it is.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The customer's details as shown on the settings page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    pub customer_id: i64,
    pub email: String,
    pub name: String,
    pub company_name: Option<String>,
    pub vat_id: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub language: String,
    pub currency: String,
    /// The zone the customer chose for times on pages, notices and letters; none: their
    /// country's (and on the status page, their browser's).
    pub time_zone: Option<String>,
    /// What VIES last said about `vat_id`, for an EU VAT ID checked at least once.
    pub vat_check: Option<Standing>,
    /// Asked for Factur-X e-invoices (business customers get them anyway, above the threshold).
    pub wants_e_invoice: bool,
}

/// The zones a customer may choose: the IANA zones of a region (`Europe/Oslo`), sorted, without
/// the legacy aliases (`CET`, `US/Eastern`, `Etc/GMT+1`).
pub fn time_zones() -> &'static [&'static str] {
    static ZONES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        const REGIONS: [&str; 10] = [
            "Africa/",
            "America/",
            "Antarctica/",
            "Arctic/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|zone| zone.name())
            .filter(|name| REGIONS.iter().any(|region| name.starts_with(region)))
            .collect();
        zones.sort_unstable();
        zones
    });
    &ZONES
}

type ProfileRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    bool,
);

pub fn load(conn: &mut PgConnection, customer: CustomerId) -> Result<Profile, AccountError> {
    let row = customers::table
        .find(customer.0)
        .select((
            customers::id,
            customers::email,
            customers::name,
            customers::company_name,
            customers::vat_id,
            customers::street,
            customers::postal_code,
            customers::city,
            customers::country,
            customers::language,
            customers::currency,
            customers::time_zone,
            customers::wants_e_invoice,
        ))
        .first::<ProfileRow>(conn)
        .optional()?
        .ok_or(AccountError::UnknownUser)?;
    let (
        customer_id,
        email,
        name,
        company_name,
        vat_id,
        street,
        postal_code,
        city,
        country,
        language,
        currency,
        time_zone,
        wants_e_invoice,
    ) = row;
    let vat_check = vies::standing(conn, customer).map_err(|e| AccountError::Corrupt(e.to_string()))?;
    Ok(Profile {
        customer_id,
        email,
        name,
        company_name,
        vat_id,
        street,
        postal_code,
        city,
        country: country.trim().to_owned(),
        language,
        currency: currency.trim().to_owned(),
        time_zone,
        vat_check,
        wants_e_invoice,
    })
}

/// What an update changed that needs more than the transaction: a new VAT ID, to be checked
/// with VIES once the transaction committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    pub new_vat_id: Option<VatId>,
}

/// Updates the signed-in customer's own details (the country, and with it the currency,
/// is fixed at sign-up).
pub fn update(
    conn: &mut PgConnection,
    user: &User,
    form: &ProfileForm,
    ip: &str,
) -> Result<Result<Updated, FieldErrors>, AccountError> {
    let customer = user.customer_id.ok_or(AccountError::UnknownUser)?;
    let current = load(conn, customer)?;
    let country =
        Country::parse(&current.country).map_err(|_| AccountError::Corrupt(current.country.clone()))?;
    let mut errors = FieldErrors::default();
    let details = PostalDetails::parse(
        PostalInput {
            name: &form.name,
            company_name: &form.company_name,
            street: &form.street,
            postal_code: &form.postal_code,
            city: &form.city,
        },
        &mut errors,
    );
    let vat_id = optional_vat_id(&mut errors, &form.vat_id, country);
    let language = Lang::supported(&form.language);
    if language.is_none() {
        errors.add("language", "field-invalid");
    }
    // None: not on the form, unchanged; Some(None): the country's.
    let time_zone: Option<Option<&str>> = match form.time_zone.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(name) => match time_zones().binary_search(&name) {
            Ok(found) => time_zones().get(found).map(|zone| Some(*zone)),
            Err(_) => {
                errors.add("time_zone", "field-invalid");
                None
            }
        },
    };
    let (Some(details), Some(language), true) = (details, language, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let stored = vat_id.as_ref().map(ToString::to_string);
    let new_vat_id = vat_id.filter(|_| stored != current.vat_id);
    diesel::update(customers::table.find(customer.0))
        .set((
            customers::name.eq(&details.name),
            customers::company_name.eq(&details.company_name),
            customers::vat_id.eq(&stored),
            customers::street.eq(&details.street),
            customers::postal_code.eq(&details.postal_code),
            customers::city.eq(&details.city),
            customers::language.eq(language.code()),
        ))
        .execute(conn)?;
    if let Some(zone) = time_zone {
        diesel::update(customers::table.find(customer.0)).set(customers::time_zone.eq(zone)).execute(conn)?;
    }
    diesel::update(users::table.find(user.id.0)).set(users::language.eq(language.code())).execute(conn)?;
    audit::record(conn, &audit::AuditEvent::new("profile.updated", Some(user.id), ip))?;
    Ok(Ok(Updated { new_vat_id }))
}

/// Records whether the signed-in customer wants Factur-X e-invoices (a PDF carrying the
/// invoice as XML), from their next invoice on; issued invoices stay as they were sent.
/// Audited when it changes; setting it to what it is changes nothing.
pub fn set_e_invoice(
    conn: &mut PgConnection,
    user: &User,
    wanted: bool,
    ip: &str,
) -> Result<bool, AccountError> {
    let customer = user.customer_id.ok_or(AccountError::UnknownUser)?;
    let changed =
        diesel::update(customers::table.find(customer.0).filter(customers::wants_e_invoice.ne(wanted)))
            .set(customers::wants_e_invoice.eq(wanted))
            .execute(conn)?;
    if changed > 0 {
        audit::record(
            conn,
            &audit::AuditEvent::new("profile.e_invoice", Some(user.id), ip)
                .details(serde_json::json!({ "wants_e_invoice": wanted })),
        )?;
    }
    Ok(changed > 0)
}

/// Changes the password after checking the current one; other sessions end.
/// Checks the password a signed-in person typed to confirm a change (a new password, closing
/// the account). Wrong ones are audited and count against `CURRENT_PASSWORD_FAILURES`; past it
/// the answer is `RateLimited` without checking. Commits on its own (the caller's change runs
/// after it), so a refused attempt still counts.
pub fn check_current_password(
    conn: &mut PgConnection,
    user: &User,
    current: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<bool, AccountError> {
    use crate::rate_limit::{CURRENT_PASSWORD_FAILURES, check, hit};
    let key = user.id.0.to_string();
    super::limited(check(conn, &CURRENT_PASSWORD_FAILURES, &key, now)?)?;
    let stored = user.password_hash.clone().map(PasswordHash::from_stored);
    let right = match stored {
        Some(hash) => password::verify(current, &hash)?,
        None => false,
    };
    if !right {
        hit(conn, &CURRENT_PASSWORD_FAILURES, &key, now)?;
        audit::record(conn, &audit::AuditEvent::new("password.check_failed", Some(user.id), ip))?;
    }
    Ok(right)
}

/// Sets a new password (the current one checked before with `check_current_password`) and
/// ends every other session.
pub fn change_password(
    conn: &mut PgConnection,
    user: &User,
    new_hash: &PasswordHash,
    keep_session: session::SessionId,
    ip: &str,
) -> Result<(), AccountError> {
    diesel::update(users::table.find(user.id.0))
        .set(users::password_hash.eq(new_hash.as_str()))
        .execute(conn)?;
    diesel::delete(
        sessions::table.filter(sessions::user_id.eq(user.id.0)).filter(sessions::id.ne(keep_session.0)),
    )
    .execute(conn)?;
    audit::record(conn, &audit::AuditEvent::new("password.changed", Some(user.id), ip))?;
    Ok(())
}

/// Parses a new password against the user's own data.
pub fn new_password(user: &User, profile_name: &str, input: &str) -> Result<Password, AccountError> {
    let local = user.email.split('@').next().unwrap_or_default();
    Ok(Password::parse(input, &[local, profile_name])?)
}

/// Marks the account closed: every session ends at once, and the person can sign in again only
/// to a read-only view until everything is settled (`closing` ends the services and, once
/// settled, the log-in). The customer record stays for as long as its invoices must be kept
/// (see README, "Closing an account").
pub fn close(conn: &mut PgConnection, user: &User, ip: &str, now: DateTime<Utc>) -> Result<(), AccountError> {
    if let Some(customer) = user.customer_id {
        diesel::update(customers::table.find(customer.0).filter(customers::closed_at.is_null()))
            .set(customers::closed_at.eq(now))
            .execute(conn)?;
    }
    diesel::update(users::table.find(user.id.0).filter(users::closed_at.is_null()))
        .set(users::closed_at.eq(now))
        .execute(conn)?;
    session::end_all(conn, user.id)?;
    audit::record(conn, &audit::AuditEvent::new("account.closed", Some(user.id), ip))?;
    Ok(())
}

pub fn user_of_customer_name(conn: &mut PgConnection, user: UserId) -> Result<String, AccountError> {
    let name: Option<String> = users::table
        .inner_join(customers::table)
        .filter(users::id.eq(user.0))
        .select(customers::name)
        .first(conn)
        .optional()?;
    Ok(name.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_zones_to_choose_are_regions_sorted_and_fit_the_column_s_check() {
        let zones = super::time_zones();
        assert!(zones.contains(&"Europe/Oslo") && zones.contains(&"America/Argentina/Buenos_Aires"));
        assert!(!zones.contains(&"CET") && !zones.contains(&"US/Eastern") && !zones.contains(&"Etc/GMT+1"));
        assert!(zones.windows(2).all(|pair| pair[0] < pair[1]));
        // customers.time_zone: ^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$
        for zone in zones {
            let mut parts = zone.split('/');
            let area = parts.next().unwrap_or_default();
            assert!(!area.is_empty() && area.chars().all(|c| c.is_ascii_alphabetic() || c == '_'), "{zone}");
            let rest: Vec<&str> = parts.collect();
            assert!((1..=2).contains(&rest.len()), "{zone}");
            for part in rest {
                assert!(part.chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c)), "{zone}");
            }
        }
    }
}
