//! The VIES check of a VAT ID a customer just gave (at sign-up, in their settings): after the
//! transaction that stored it committed, with no connection held while VIES answers. Whatever
//! comes back is kept, and nothing the customer did is undone by it: an invalid ID stays on file
//! (the settings page says so), an unanswered check is asked again by the worker.

use actix_web::web;

use super::env::Env;
use crate::country::VatId;
use crate::ids::CustomerId;
use crate::tax::vies;

pub(super) async fn check_new_vat_id(env: &Env, customer: CustomerId, vat_id: VatId) {
    if !vies::covers(&vat_id) {
        return;
    }
    let pool = env.state.pool.clone();
    let (settings, clock) = (env.settings().vies(), env.settings().clock.clone());
    let business = vies::Business::stored(customer, vat_id);
    let checked =
        web::block(move || vies::check_and_record(&pool, &settings, &business, &move || clock.now())).await;
    match checked {
        Ok(Ok(answer)) => {
            tracing::info!(customer = customer.0, verdict = answer.verdict.as_str(), "VAT ID checked")
        }
        // The worker finds a VAT ID without a check and asks again.
        Ok(Err(error)) => {
            tracing::error!(customer = customer.0, error = %crate::failure::cause_chain(&error), "keeping a VAT ID check")
        }
        Err(error) => tracing::error!(customer = customer.0, %error, "checking a VAT ID"),
    }
}
