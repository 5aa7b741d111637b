//! Emails that confirm a change to a subscription, in the customer's language, queued in the
//! transaction of the change through the mail outbox (so a rolled-back change sends nothing).

use chrono::NaiveDate;
use diesel::prelude::*;

use iso_currency::Currency;

use super::prices::{describe, terms_of};
use super::{Billing, SubscriptionError};
use crate::db::schema::{customers, subscription_packs, subscriptions};
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t};
use crate::ids::CustomerId;
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::site::Site;

/// Who a notice goes to: their address, language and the formats of their country.
struct Recipient {
    email: String,
    lang: Lang,
    formats: Formats,
}

fn recipient(conn: &mut PgConnection, customer: CustomerId) -> Result<Recipient, SubscriptionError> {
    let (email, language, country): (String, String, String) = customers::table
        .find(customer.0)
        .select((customers::email, customers::language, customers::country))
        .first(conn)?;
    let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
    let formats = Formats::new(&lang, country.trim());
    Ok(Recipient { email, lang, formats })
}

fn account_link(site: &Site) -> Option<(&'static str, String)> {
    Some(("email-cancel-action", format!("{}/account", site.public_url.trim_end_matches('/'))))
}

/// "Your subscription ends on ...": sent once per cancellation and end date.
pub fn cancellation_confirmed(
    conn: &mut PgConnection,
    site: &Site,
    customer: CustomerId,
    end: NaiveDate,
) -> Result<(), SubscriptionError> {
    let to = recipient(conn, customer)?;
    let date = to.formats.date(super::period::last_day(end));
    let content = EmailContent {
        subject: "email-cancel-subject",
        paragraphs: &["cancel-done-text"],
        action: account_link(site),
        args: vec![("date", date.into())],
    };
    let key = format!("subscription-cancelled:{}:{end}", customer.0);
    mail::send(conn, site, &to.email, &to.lang, key, &content)?;
    Ok(())
}

/// "Your free month has started": the last free day and what the mailbox costs after it, as
/// this customer will pay it. Once per customer (one free month per customer).
pub fn free_month_started(
    conn: &mut PgConnection,
    site: &Site,
    billing: &Billing,
    customer: CustomerId,
    trial_ends_on: NaiveDate,
    currency: Currency,
) -> Result<(), SubscriptionError> {
    let to = recipient(conn, customer)?;
    let net = crate::catalog::price_on(conn, super::trial::BASE_PLAN, currency, trial_ends_on)?;
    let price = describe(&to.lang, &terms_of(conn, billing, customer, trial_ends_on)?.show(net)?);
    let content = EmailContent {
        subject: "email-free-month-subject",
        paragraphs: &["email-free-month-text"],
        action: account_link(site),
        args: vec![
            ("date", to.formats.date(super::period::last_day(trial_ends_on)).into()),
            ("price", price.into()),
        ],
    };
    mail::send(conn, site, &to.email, &to.lang, format!("free-month-started:{}", customer.0), &content)?;
    Ok(())
}

/// "Storage pack added": which, from when and for how much a month. Once per pack.
pub fn pack_added(
    conn: &mut PgConnection,
    site: &Site,
    billing: &Billing,
    customer: CustomerId,
    pack: i64,
) -> Result<(), SubscriptionError> {
    let to = recipient(conn, customer)?;
    let (plan_code, starts_on, currency): (String, NaiveDate, String) = subscription_packs::table
        .inner_join(subscriptions::table)
        .filter(subscription_packs::id.eq(pack))
        .select((subscription_packs::plan_code, subscription_packs::starts_on, subscriptions::currency))
        .first(conn)?;
    let currency =
        Currency::from_code(currency.trim()).ok_or_else(|| SubscriptionError::Corrupt(currency.clone()))?;
    let plan = crate::catalog::plan(conn, &plan_code)?;
    let net = crate::catalog::price_on(conn, &plan_code, currency, starts_on)?;
    let price = describe(&to.lang, &terms_of(conn, billing, customer, starts_on)?.show(net)?);
    let content = EmailContent {
        subject: "email-pack-added-subject",
        paragraphs: &["email-pack-added-text"],
        action: account_link(site),
        args: vec![
            ("name", t(&to.lang, &plan.name_id()).into()),
            ("date", to.formats.date(starts_on).into()),
            ("price", price.into()),
        ],
    };
    mail::send(conn, site, &to.email, &to.lang, format!("pack-added:{pack}"), &content)?;
    Ok(())
}

/// "Storage pack removed": which and its last day. Once per pack.
pub fn pack_removed(
    conn: &mut PgConnection,
    site: &Site,
    customer: CustomerId,
    pack: i64,
    end: NaiveDate,
) -> Result<(), SubscriptionError> {
    let to = recipient(conn, customer)?;
    let plan_code: String =
        subscription_packs::table.find(pack).select(subscription_packs::plan_code).first(conn)?;
    let plan = crate::catalog::plan(conn, &plan_code)?;
    let content = EmailContent {
        subject: "email-pack-removed-subject",
        paragraphs: &["email-pack-removed-text"],
        action: account_link(site),
        args: vec![
            ("name", t(&to.lang, &plan.name_id()).into()),
            ("date", to.formats.date(super::period::last_day(end)).into()),
        ],
    };
    mail::send(conn, site, &to.email, &to.lang, format!("pack-removed:{pack}"), &content)?;
    Ok(())
}
