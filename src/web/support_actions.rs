//! What staff do for a customer from the support console's customer page: each a form with
//! its one-time key, done in one transaction with the key's claim and audited by
//! `support::actions`; done, the customer page with a notice; refused, the page with why.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::WebError;
use super::access::{Finance, Staff, Support};
use super::env::Env;
use super::form::Form;
use super::submit::Outcome;
use super::support_pages::{customer_of, customer_view};
use crate::accounts::email::EmailAddress;
use crate::audit::Actor;
use crate::i18n::format::date;
use crate::i18n::{t, t_args};
use crate::support::actions::{self, MailToResend};
use crate::support::{SupportError, customer_number};

/// Runs one action in the transaction of its form's key; done, it shows the customer page with
/// `notice`; refused (bad days, no free month, ...), the page with the reason, nothing changed.
async fn act<F>(
    env: &Env,
    staff: &crate::accounts::User,
    customer: i64,
    key: &super::form::SubmissionKey,
    work: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce(&mut diesel::PgConnection, &Actor, &str) -> Result<String, SupportError> + Send + 'static,
{
    let actor = Actor::person(staff.id, env.ip.clone());
    let location = format!("/backoffice/customers/{}", customer_number(customer));
    let form_key = key.as_str().to_owned();
    let outcome = env
        .submit(key, move |conn| -> Result<Outcome<&'static str>, SupportError> {
            let known: Option<i64> = {
                use diesel::prelude::*;
                crate::db::schema::customers::table
                    .find(customer)
                    .select(crate::db::schema::customers::id)
                    .first(conn)
                    .optional()?
            };
            if known.is_none() {
                return Err(SupportError::UnknownCustomer);
            }
            match work(conn, &actor, &form_key) {
                Ok(notice) => Ok(Outcome::noted(location, notice)),
                Err(error) if error.is_refusal() => Ok(Outcome::Refused(error.message_id())),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => customer_view(env, staff.role, customer, Some(t(&env.lang, message))).await,
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

pub async fn add_note(
    env: Env,
    who: Staff,
    customer: web::Path<String>,
    form: Form<NoteForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (now, body, notice) = (env.now, form.fields.body, t(&env.lang, "support-note-added"));
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        actions::add_note(conn, actor, customer, &body, now).map(|()| notice)
    })
    .await
}

#[derive(Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    mail: String,
    #[serde(default)]
    invoice: String,
}

pub async fn resend_mail(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<ResendForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let which = match (form.fields.mail.trim().parse::<i64>(), form.fields.invoice.trim()) {
        (Ok(id), _) => MailToResend::Mail(id),
        (Err(_), number) if !number.is_empty() && number.len() <= 40 => {
            MailToResend::Invoice(number.to_owned())
        }
        _ => return Err(WebError::bad_request(&env.lang, "support-mail-unknown", "no mail named")),
    };
    let (domain, notice) = (env.settings().mail_domain(), t(&env.lang, "support-mail-resent"));
    act(&env, &who.user, customer, &form.key, move |conn, actor, key| {
        actions::resend_mail(conn, actor, customer, which, key, &domain).map(|()| notice)
    })
    .await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
}

pub async fn change_email(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<EmailForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let Some(new) = EmailAddress::parse(&form.fields.new_email) else {
        return customer_view(&env, who.user.role, customer, Some(t(&env.lang, "email-invalid"))).await;
    };
    let (site, now, lang) = (env.settings().site(), env.now, env.lang.clone());
    let notice = t_args(&lang, "support-email-change-sent", &[("address", new.as_str().to_owned().into())]);
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        match actions::change_email(conn, &site, actor, customer, &new, now)? {
            Ok(()) => Ok(notice),
            Err(errors) => {
                Err(SupportError::Refused(errors.0.first().map_or("email-invalid", |(_, message)| message)))
            }
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct DaysForm {
    #[serde(default)]
    days: String,
}

pub async fn extend_free_month(
    env: Env,
    who: Finance,
    customer: web::Path<String>,
    form: Form<DaysForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let days = form.fields.days.trim().parse::<i32>().unwrap_or(0);
    let (today, lang) = (env.today(), env.lang.clone());
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        let end = actions::extend_free_month(conn, actor, customer, days, today)?;
        Ok(t_args(&lang, "support-free-month-extended", &[("date", date(&lang, end).into())]))
    })
    .await
}

#[derive(Deserialize)]
pub struct GoodwillForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

pub async fn goodwill_credit(
    env: Env,
    who: Finance,
    customer: web::Path<String>,
    form: Form<GoodwillForm>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (now, lang, fields) = (env.now, env.lang.clone(), form.fields);
    act(&env, &who.user, customer, &form.key, move |conn, actor, key| {
        let amount =
            actions::goodwill_credit(conn, actor, customer, &fields.amount, &fields.reason, key, now)?;
        let amount = crate::i18n::format::money(&lang, amount);
        Ok(t_args(&lang, "support-goodwill-granted", &[("amount", amount.into())]))
    })
    .await
}

pub async fn cancel(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (site, billing, now, lang) =
        (env.settings().site(), env.settings().billing(), env.now, env.lang.clone());
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        let end = actions::cancel(conn, &site, &billing, actor, customer, now)?;
        let end = crate::subscriptions::period::last_day(end);
        Ok(t_args(&lang, "support-cancelled", &[("date", date(&lang, end).into())]))
    })
    .await
}

pub async fn reactivate(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (billing, now, notice) = (env.settings().billing(), env.now, t(&env.lang, "support-reactivated"));
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        actions::reactivate(conn, &billing, actor, customer, now).map(|()| notice)
    })
    .await
}

pub async fn unlock(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let notice = t(&env.lang, "support-unlocked");
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        actions::unlock_log_in(conn, actor, customer).map(|()| notice)
    })
    .await
}

pub async fn end_sessions(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let lang = env.lang.clone();
    act(&env, &who.user, customer, &form.key, move |conn, actor, _| {
        let ended = actions::end_all_sessions(conn, actor, customer)?;
        Ok(t_args(&lang, "support-sessions-ended", &[("count", (ended as i64).into())]))
    })
    .await
}

/// Starts viewing the portal as the customer: the next pages are theirs, read-only.
pub async fn view_as(
    env: Env,
    who: Support,
    customer: web::Path<String>,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let customer = customer_of(&env, &customer)?;
    let (actor, session) = (Actor::person(who.user.id, env.ip.clone()), who.session);
    let outcome = env
        .submit(&form.key, move |conn| -> Result<Outcome<&'static str>, SupportError> {
            match actions::view_as(conn, &actor, session, Some(customer)) {
                Ok(()) => Ok(Outcome::done("/account")),
                Err(error) if error.is_refusal() => Ok(Outcome::Refused(error.message_id())),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(message) => customer_view(&env, who.user.role, customer, Some(t(&env.lang, message))).await,
    }
}

/// Back to the staff member's own view, on the page of the customer they viewed.
pub async fn end_view_as(
    env: Env,
    who: Support,
    form: Form<super::account_pages::Empty>,
) -> Result<HttpResponse, WebError> {
    let (actor, session) = (Actor::person(who.user.id, env.ip.clone()), who.session);
    let viewed = env.session.as_ref().and_then(|s| s.view_as);
    let location = match viewed {
        Some(customer) => format!("/backoffice/customers/{}", customer_number(customer.0)),
        None => "/backoffice/customers".to_owned(),
    };
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, SupportError> {
        actions::view_as(conn, &actor, session, None)?;
        Ok(Outcome::done(location))
    })
    .await?
    .map_err(|()| WebError::not_found(&env.lang))
}
