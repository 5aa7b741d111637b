//! The customer's direct debit page: the SEPA mandate in their language, set up (CSRF,
//! validated, audited) or revoked. Everything is scoped to the signed-in customer.

use actix_web::HttpResponse;
use diesel::Connection;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::account_pages::Empty;
use super::csrf::CsrfForm;
use super::env::Env;
use super::render::{page, see_other};
use crate::accounts::{AccountError, Role};
use crate::i18n::format::date;
use crate::i18n::{t, t_args};
use crate::ledger::CustomerId;
use crate::payments::sepa::{self, Mandate, MandateRequest, SepaError};

#[derive(Deserialize, Default, Clone, serde::Serialize)]
pub struct MandateForm {
    #[serde(default)]
    debtor_name: String,
    #[serde(default)]
    iban: String,
    #[serde(default)]
    bic: String,
    #[serde(default)]
    accept: Option<String>,
}

fn customer(env: &Env) -> Result<(crate::accounts::UserId, CustomerId), WebError> {
    let session = env.require_session()?;
    match (session.user.role, session.user.customer_id) {
        (Role::Customer, Some(customer)) => Ok((session.user.id, customer)),
        _ => Err(WebError::not_found(&env.lang)),
    }
}

fn internal(error: SepaError) -> AccountError {
    match error {
        SepaError::Account(inner) => inner,
        other => AccountError::Corrupt(other.to_string()),
    }
}

struct PageData {
    mandate: Option<Mandate>,
    eur: bool,
    next_reference: String,
    name: String,
}

async fn load(env: &Env, customer: CustomerId) -> Result<PageData, WebError> {
    env.db(move |conn| {
        use crate::db::schema::customers;
        use diesel::prelude::*;
        let (currency, name): (String, String) =
            customers::table.find(customer.0).select((customers::currency, customers::name)).first(conn)?;
        let mandate = sepa::active_mandate(conn, customer).map_err(internal)?;
        let next_reference = sepa::mandate::next_reference(conn, customer).map_err(internal)?;
        Ok(PageData { mandate, eur: currency.trim() == "EUR", next_reference, name })
    })
    .await
}

async fn render(
    env: &Env,
    customer: CustomerId,
    form: Option<MandateForm>,
    errors: &[(&str, &str)],
    notice: Option<String>,
) -> Result<HttpResponse, WebError> {
    let data = load(env, customer).await?;
    let seller = &env.settings().seller;
    let mut context = Context::new();
    context.insert("eur", &data.eur);
    context.insert(
        "mandate",
        &data.mandate.as_ref().map(|m| {
            serde_json::json!({
                "reference": m.reference,
                "iban_ending": m.iban_ending(),
                "signed_on": date(&env.lang, m.signed_on),
            })
        }),
    );
    context.insert(
        "mandate_text",
        &sepa::mandate_text(&env.lang, &seller.name, &env.settings().sepa.creditor_id, &data.next_reference),
    );
    let form = form.unwrap_or(MandateForm { debtor_name: data.name, ..MandateForm::default() });
    context.insert("form", &form);
    let messages: std::collections::HashMap<&str, String> =
        errors.iter().map(|(field, id)| (*field, t(&env.lang, id))).collect();
    context.insert("errors", &messages);
    context.insert("notice", &notice);
    page("pages/direct_debit.html", env, context)
}

pub async fn mandate_page(env: Env) -> Result<HttpResponse, WebError> {
    let (_, customer) = customer(&env)?;
    render(&env, customer, None, &[], None).await
}

pub async fn create(env: Env, CsrfForm(form): CsrfForm<MandateForm>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let (user, customer) = customer(&env)?;
    let (ip, lang) = (env.ip.clone(), env.lang.clone());
    let (creditor_name, creditor_id) =
        (env.settings().seller.name.clone(), env.settings().sepa.creditor_id.clone());
    let submitted = form.clone();
    let today = env.settings().billing().today(now);
    let outcome = env
        .db(move |conn| {
            let request = MandateRequest {
                customer,
                actor: Some(user),
                ip: &ip,
                debtor_name: &submitted.debtor_name,
                iban: &submitted.iban,
                bic: &submitted.bic,
                accepted: submitted.accept.is_some(),
                language: &lang,
                creditor_name: &creditor_name,
                creditor_id: &creditor_id,
                today,
                now,
            };
            match conn.transaction(|conn| sepa::create_mandate(conn, &request)) {
                Ok(mandate) => Ok(Ok(mandate.reference)),
                Err(error) if error.is_input_error() => Ok(Err(error)),
                Err(error) => Err(internal(error)),
            }
        })
        .await?;
    match outcome {
        Ok(reference) => {
            let notice = t_args(&env.lang, "sepa-created", &[("reference", reference.into())]);
            render(&env, customer, None, &[], Some(notice)).await
        }
        Err(error) => {
            let field = match error {
                SepaError::InvalidIban | SepaError::IbanOutsideSepa => "iban",
                SepaError::InvalidBic => "bic",
                SepaError::InvalidName => "debtor_name",
                SepaError::NotAccepted => "accept",
                _ => "general",
            };
            let mut response =
                render(&env, customer, Some(form), &[(field, error.message_id())], None).await?;
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

pub async fn revoke(env: Env, _: CsrfForm<Empty>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let (user, customer) = customer(&env)?;
    let ip = env.ip.clone();
    let revoked = env
        .db(move |conn| {
            match conn.transaction(|conn| sepa::revoke_mandate(conn, customer, Some(user), &ip, now)) {
                Ok(_) => Ok(true),
                Err(SepaError::NoActiveMandate) => Ok(false),
                Err(error) => Err(internal(error)),
            }
        })
        .await?;
    if !revoked {
        return Ok(see_other("/account/direct-debit"));
    }
    render(&env, customer, None, &[], Some(t(&env.lang, "sepa-revoked"))).await
}
