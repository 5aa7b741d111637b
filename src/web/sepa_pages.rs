//! The customer's direct debit page: the SEPA mandate in their language, set up (CSRF,
//! validated, audited) or revoked. Everything is scoped to the signed-in customer.

use actix_web::HttpResponse;
use serde::Deserialize;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::account_pages::Empty;
use super::env::Env;
use super::form::Form;
use super::render::page;
use super::submit::Outcome;
use crate::accounts::AccountError;
use crate::i18n::format::date;
use crate::i18n::{t, t_args};
use crate::ids::CustomerId;
use crate::payments::sepa::confirmation::{Creditor, mandate_signed};
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

pub async fn mandate_page(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    render(&env, who.customer, None, &[], None).await
}

pub async fn create(env: Env, who: Customer, form: Form<MandateForm>) -> Result<HttpResponse, WebError> {
    let (now, key, form) = (env.now, form.key, form.fields);
    let (user, customer) = (who.user.id, who.customer);
    let (ip, lang) = (env.ip.clone(), env.lang.clone());
    let (creditor_name, creditor_id) =
        (env.settings().seller.name.clone(), env.settings().sepa.creditor_id.clone());
    let submitted = form.clone();
    let today = env.settings().billing().today(now);
    let notice_lang = env.lang.clone();
    let (site, creditor_address) = (env.settings().site(), env.settings().seller.address.clone());
    let outcome = env
        .submit(&key, move |conn| -> Result<Outcome<SepaError>, AccountError> {
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
            match sepa::create_mandate(conn, &request) {
                Ok(mandate) => {
                    let customer = crate::accounts::profile::load(conn, customer)?;
                    let creditor =
                        Creditor { name: &creditor_name, id: &creditor_id, address: &creditor_address };
                    mandate_signed(conn, &site, &mandate, &creditor, &customer.email, &customer.country)
                        .map_err(internal)?;
                    Ok(Outcome::noted(
                        "/account/direct-debit",
                        t_args(&notice_lang, "sepa-created", &[("reference", mandate.reference.into())]),
                    ))
                }
                Err(error) if error.is_input_error() => Ok(Outcome::Refused(error)),
                Err(error) => Err(internal(error)),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
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

pub async fn revoke(env: Env, who: Customer, form: Form<Empty>) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let (user, customer) = (who.user.id, who.customer);
    let ip = env.ip.clone();
    let notice = t(&env.lang, "sepa-revoked");
    env.submit(&form.key, move |conn| -> Result<Outcome<()>, AccountError> {
        match sepa::revoke_mandate(conn, customer, Some(user), &ip, now) {
            Ok(_) => Ok(Outcome::noted("/account/direct-debit", notice)),
            Err(SepaError::NoActiveMandate) => Ok(Outcome::done("/account/direct-debit")),
            Err(error) => Err(internal(error)),
        }
    })
    .await?
    .map_err(|()| WebError::internal(&env.lang, "refused without a reason"))
}
