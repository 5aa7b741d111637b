//! The signed-in customer's own pages: overview, settings, password, devices, data, closing.
//! Every query is scoped to the session's own user and customer; ids in paths that belong to
//! someone else are simply not found.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::account_pages::{Empty, error_messages};
use super::env::Env;
use super::form::{Form, path_id};
use super::render::page;
use super::submit::Outcome;
use crate::accounts::profile::{self, Profile, ProfileForm};
use crate::accounts::session::{self, SessionId};
use crate::accounts::{AccountError, FieldErrors, signup};
use crate::country::Country;
use crate::i18n::format;
use crate::i18n::{LANGUAGES, Lang, t, t_args};
use crate::subscriptions::period::local_date;
use crate::tax::vies::{self, Verdict};

pub(super) async fn load_profile(env: &Env, who: &Customer) -> Result<Profile, WebError> {
    let customer = who.customer;
    env.db(move |conn| profile::load(conn, customer)).await
}

pub async fn overview(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let user = who.user.clone();
    let profile = load_profile(&env, &who).await?;
    if user.closed {
        return closed_overview(&env, &who, profile).await;
    }
    let mut context = Context::new();
    context.insert("profile", &profile);
    context.insert("verified", &user.is_verified());
    context.insert("subscription", &super::subscription_pages::load_overview(&env, &user).await?);
    let customer = who.customer.0;
    let suspended = env.run(move |conn| crate::collections::suspension::suspended(conn, customer)).await?;
    if let Some(suspended) = suspended {
        let owed: Vec<String> =
            suspended.owed.iter().map(|m| crate::i18n::format::money(&env.lang, *m)).collect();
        context.insert("suspended_owed", &owed.join(" + "));
    }
    page("pages/account.html", &env, context)
}

/// A closed account's overview: when its services end, what is still open, where to pay.
async fn closed_overview(env: &Env, who: &Customer, profile: Profile) -> Result<HttpResponse, WebError> {
    let customer = who.customer;
    let standing = env.run(move |conn| crate::closing::standing(conn, customer)).await?;
    let formats = crate::i18n::format::Formats::new(&env.lang, &profile.country);
    let mut context = Context::new();
    context.insert("profile", &profile);
    context.insert(
        "services_last_day",
        &standing.services_end.and_then(|e| e.pred_opt()).map(|d| formats.date(d)),
    );
    context.insert("open_invoices", &standing.open_invoices);
    context.insert("unbilled", &standing.unbilled_charges);
    page("pages/account_closed.html", env, context)
}

pub(super) fn settings_context(
    env: &Env,
    profile: &Profile,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> Context {
    let mut context = Context::new();
    let languages: Vec<(&str, String)> = LANGUAGES
        .iter()
        .filter_map(|code| Lang::supported(code).map(|l| (*code, t(&l, "language-name"))))
        .collect();
    let country_name =
        Country::parse(&profile.country).map(|c| t(&env.lang, &c.name_message_id())).unwrap_or_default();
    context.insert("profile", profile);
    context.insert("country_name", &country_name);
    context.insert("language_options", &languages);
    context.insert("time_zones", profile::time_zones());
    context.insert("country_zone", crate::incidents::reader_time::zone_of_country(&profile.country).name());
    context.insert("errors", &error_messages(&env.lang, errors));
    if let Some(notice) = notice {
        context.insert("notice", &t(&env.lang, notice));
    }
    if let Some((verdict, text)) = vat_check_text(env, profile) {
        context.insert("vat_check", &serde_json::json!({ "verdict": verdict, "text": text }));
    }
    context
}

/// What the settings page says about the VAT ID on file: VIES's last word on it, or that it
/// has none yet. Nothing for customers without an EU VAT ID.
fn vat_check_text(env: &Env, profile: &Profile) -> Option<(&'static str, String)> {
    let vat_id = crate::country::VatId::try_from(profile.vat_id.clone()?).ok()?;
    if !vies::covers(&vat_id) {
        return None;
    }
    let check = profile.vat_check.as_ref().filter(|c| c.vat_id == vat_id.to_string());
    let day = |at| format::date(&env.lang, local_date(at, env.settings().time_zone));
    let (verdict, key, date) = match check.map(|c| (c.verdict, c.checked_at)) {
        Some((Verdict::Valid, at)) => ("valid", "settings-vat-valid", day(at)),
        Some((Verdict::Invalid, at)) => ("invalid", "settings-vat-invalid", day(at)),
        Some((Verdict::Unavailable, _)) | None => ("pending", "settings-vat-pending", String::new()),
    };
    Some((verdict, t_args(&env.lang, key, &[("vat_id", vat_id.to_string().into()), ("date", date.into())])))
}

pub async fn settings_form(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let profile = load_profile(&env, &who).await?;
    page("pages/settings.html", &env, settings_context(&env, &profile, &FieldErrors::default(), None))
}

pub async fn settings(env: Env, who: Customer, form: Form<ProfileForm>) -> Result<HttpResponse, WebError> {
    let (key, form) = (form.key, form.fields);
    let ip = env.ip.clone();
    let for_update = who.user.clone();
    let submitted = form.clone();
    let notice = t(&env.lang, "settings-saved");
    let changed = std::sync::Arc::new(std::sync::OnceLock::new());
    let new_vat_id = changed.clone();
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<FieldErrors>, AccountError> {
            Ok(match profile::update(conn, &for_update, &submitted, &ip)? {
                Ok(updated) => {
                    if let Some(vat_id) = updated.new_vat_id {
                        let _ = new_vat_id.set(vat_id);
                    }
                    Outcome::noted("/account/settings", notice)
                }
                Err(errors) => Outcome::Refused(errors),
            })
        })
        .await?;
    match outcome {
        Ok(done) => {
            // Set only by this submission's own work, which committed: a reload finds the
            // key used and checks nothing again.
            if let Some(vat_id) = changed.get() {
                super::vat_checks::check_new_vat_id(&env, who.customer, vat_id.clone()).await;
            }
            Ok(done)
        }
        Err(errors) => {
            let mut shown = load_profile(&env, &who).await?;
            let mut context = settings_context(&env, &shown, &errors, None);
            // What VIES said is about the VAT ID on file, not about another one typed.
            if shown.vat_id.as_deref() != Some(form.vat_id.trim()) {
                context.remove("vat_check");
            }
            shown.name = form.name;
            shown.company_name = Some(form.company_name);
            shown.vat_id = Some(form.vat_id);
            shown.street = form.street;
            shown.postal_code = form.postal_code;
            shown.city = form.city;
            context.insert("profile", &shown);
            // What to correct, as a 4xx: nothing was changed.
            let mut response = page("pages/settings.html", &env, context)?;
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct EInvoiceForm {
    /// The checkbox: present ("yes") when ticked, absent when not.
    #[serde(default)]
    wants_e_invoice: Option<String>,
}

/// The e-invoice checkbox of the settings page: Factur-X from the next invoice on.
pub async fn e_invoice(env: Env, who: Customer, form: Form<EInvoiceForm>) -> Result<HttpResponse, WebError> {
    let wanted = match form.fields.wants_e_invoice.as_deref() {
        None => false,
        Some("yes") => true,
        Some(other) => {
            return Err(WebError::bad_request(&env.lang, "field-invalid", format!("e-invoice: {other:?}")));
        }
    };
    let (user, ip) = (who.user.clone(), env.ip.clone());
    let notice = t(&env.lang, if wanted { "settings-e-invoice-on" } else { "settings-e-invoice-off" });
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, AccountError> {
        profile::set_e_invoice(conn, &user, wanted, &ip)?;
        Ok(Outcome::noted("/account/settings", notice))
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "an e-invoice choice is never refused"))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

pub async fn change_password(
    env: Env,
    who: Customer,
    form: Form<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    let (key, form) = (form.key, form.fields);
    let (user, session_id) = (who.user.clone(), who.session);
    let profile = load_profile(&env, &who).await?;
    let mut errors = FieldErrors::default();
    let new = match profile::new_password(&user, &profile.name, &form.password) {
        Ok(new) => Some(new),
        Err(AccountError::Password(error)) => {
            errors.add("password", error.message_id());
            None
        }
        Err(other) => return Err(WebError::from_account(&env.lang, other)),
    };
    if let Some(new) = new {
        let (ip, now) = (env.ip.clone(), env.now);
        let for_change = user.clone();
        let notice = t(&env.lang, "settings-password-changed");
        // A wrong current password must still count against the limit: checked before the
        // submission's transaction, which it would otherwise roll back.
        let current = form.current.clone();
        let checker = user.clone();
        let right =
            env.db(move |conn| profile::check_current_password(conn, &checker, &current, &ip, now)).await?;
        if right {
            let ip = env.ip.clone();
            let outcome = env
                .submit(&key, move |conn| -> Result<Outcome<()>, AccountError> {
                    let hash = signup::hash_password(&new)?;
                    profile::change_password(conn, &for_change, &hash, session_id, &ip)?;
                    Ok(Outcome::noted("/account/settings", notice))
                })
                .await?;
            if let Ok(done) = outcome {
                return Ok(done);
            }
        }
        errors.add("current", "account-wrong-password");
    }
    page("pages/settings.html", &env, settings_context(&env, &profile, &errors, None))
}

pub async fn sessions(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let (user, current) = (who.user.id, who.session);
    let list = env.db(move |conn| session::list(conn, user)).await?;
    let mut context = Context::new();
    context.insert("sessions", &list);
    context.insert("current", &current.0);
    page("pages/sessions.html", &env, context)
}

pub async fn end_session(
    env: Env,
    who: Customer,
    path: web::Path<String>,
    form: Form<Empty>,
) -> Result<HttpResponse, WebError> {
    let user = who.user.id;
    let target = SessionId(path_id(&env.lang, &path)?);
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, AccountError> {
        Ok(if session::end_own(conn, user, target)? {
            Outcome::done("/account/sessions")
        } else {
            Outcome::Refused(())
        })
    })
    .await?
    .map_err(|()| WebError::not_found(&env.lang))
}

pub async fn end_all_sessions(env: Env, who: Customer, form: Form<Empty>) -> Result<HttpResponse, WebError> {
    let user = who.user.id;
    let ip = env.ip.clone();
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, AccountError> {
        session::end_all(conn, user)?;
        crate::audit::record(conn, &crate::audit::AuditEvent::new("session.ended_all", Some(user), &ip))?;
        Ok(Outcome::done("/login"))
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))
}

pub async fn my_data(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let user = who.user;
    let data = env.db(move |conn| crate::accounts::my_data::export(conn, &user)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Content-Disposition", "attachment; filename=\"kontor-my-data.json\""))
        .insert_header(("Cache-Control", "private, no-store"))
        .json(data))
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    password: String,
}

pub async fn close_account(env: Env, who: Customer, form: Form<CloseForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let (ip, user) = (env.ip.clone(), who.user.clone());
    let checker = user.clone();
    let check_ip = ip.clone();
    let right = env
        .db(move |conn| profile::check_current_password(conn, &checker, &form.password, &check_ip, now))
        .await?;
    if right {
        let notice =
            format!("{} — {}", t(&env.lang, "account-closed-title"), t(&env.lang, "account-closed-text"));
        let (billing, site) = (env.settings().billing(), env.settings().site());
        let mut response = env
            .submit(&key, move |conn| -> Result<Outcome<()>, crate::closing::ClosingError> {
                crate::closing::close_account(conn, &billing, &site, &user, &ip, now)?;
                Ok(Outcome::noted("/login", notice))
            })
            .await?
            .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))?;
        response
            .add_cookie(&super::account_pages::expired_session_cookie(&env))
            .map_err(|e| WebError::internal(&env.lang, e))?;
        return Ok(response);
    }
    let profile = load_profile(&env, &who).await?;
    let mut errors = FieldErrors::default();
    errors.add("close_password", "account-wrong-password");
    page("pages/settings.html", &env, settings_context(&env, &profile, &errors, None))
}
