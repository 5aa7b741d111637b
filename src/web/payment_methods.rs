//! The payment methods page: how the customer's next invoice will be paid (by the direct debit
//! of their active mandate, or by transfer to the account of their currency), the mandate with
//! its set-up, replacement and revocation (the direct debit pages), and PayPal as the exception
//! for paying one open invoice.

use actix_web::HttpResponse;
use tera::Context;

use super::WebError;
use super::access::Customer;
use super::env::Env;
use super::render::page;
use crate::accounts::AccountError;
use crate::documents::printed::grouped;
use crate::i18n::format::date;

pub async fn payment_methods(env: Env, who: Customer) -> Result<HttpResponse, WebError> {
    let customer = who.customer;
    let (mandate, currency) = env
        .db(move |conn| {
            let mandate = crate::payments::sepa::active_mandate(conn, customer)
                .map_err(|e| AccountError::Corrupt(e.to_string()))?;
            let profile = crate::accounts::profile::load(conn, customer)?;
            Ok((mandate, profile.currency))
        })
        .await?;
    let lang = &env.lang;
    let account = env.settings().seller.account_for(&currency);
    let mut context = Context::new();
    context.insert(
        "mandate",
        &mandate.map(|m| {
            serde_json::json!({
                "reference": m.reference,
                "iban_ending": m.iban_ending(),
                "signed_on": date(lang, m.signed_on),
            })
        }),
    );
    context.insert("eur", &(currency == "EUR"));
    context.insert("currency", &currency);
    context.insert("holder", &env.settings().seller.name);
    context.insert("iban", &grouped(&account.iban, 4));
    context.insert("bic", &account.bic);
    context.insert("paypal", &env.settings().paypal.is_some());
    page("pages/payment_methods.html", &env, context)
}
