//! Emails that confirm a change to a subscription, in the customer's language, queued in the
//! transaction of the change through the mail outbox (so a rolled-back change sends nothing).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::SubscriptionError;
use crate::db::schema::customers;
use crate::i18n::Lang;
use crate::i18n::format::Formats;
use crate::ids::CustomerId;
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::site::Site;

/// "Your subscription ends on ...": sent once per cancellation and end date.
pub fn cancellation_confirmed(
    conn: &mut PgConnection,
    site: &Site,
    customer: CustomerId,
    end: NaiveDate,
) -> Result<(), SubscriptionError> {
    let (email, language, country): (String, String, String) = customers::table
        .find(customer.0)
        .select((customers::email, customers::language, customers::country))
        .first(conn)?;
    let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
    let date = Formats::new(&lang, country.trim()).date(super::period::last_day(end));
    let content = EmailContent {
        subject: "email-cancel-subject",
        paragraphs: &["cancel-done-text"],
        action: Some(("email-cancel-action", format!("{}/account", site.public_url.trim_end_matches('/')))),
        args: vec![("date", date.into())],
    };
    let key = format!("subscription-cancelled:{}:{end}", customer.0);
    mail::send(conn, site, &email, &lang, key, &content)?;
    Ok(())
}
