//! The trial-end reminder: three days before the free month ends, an email with the price after
//! the trial (with VAT, as the customer will pay it) and how to cancel. Once per subscription:
//! the `trial_end_reminders` key is claimed in the email's transaction.

use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use iso_currency::Currency;

use super::CollectionsError;
use crate::i18n::Lang;
use crate::i18n::format::Formats;
use crate::ids::CustomerId;
use crate::mail::templates::EmailContent;
use crate::money::Money;
use crate::site::Site;
use crate::subscriptions::Billing;

/// Days before the trial's end the reminder goes out.
pub const DAYS_BEFORE: u64 = 3;

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = BigInt)]
    subscription_id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    plan_code: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Date)]
    trial_ends_on: NaiveDate,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    language: String,
    #[diesel(sql_type = Text)]
    country: String,
}

/// Sends every reminder due by `today` (trials ending within three days, not cancelled, not
/// reminded yet); returns how many.
pub fn remind(
    conn: &mut PgConnection,
    billing: &Billing,
    site: &Site,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, CollectionsError> {
    let due: Vec<Due> = diesel::sql_query(
        "SELECT s.id AS subscription_id, s.customer_id, s.plan_code, trim(s.currency) AS currency, s.trial_ends_on,
                c.email, c.language, trim(c.country) AS country
           FROM subscriptions s JOIN customers c ON c.id = s.customer_id
          WHERE s.status = 'trial' AND s.cancel_on IS NULL AND c.closed_at IS NULL
            AND s.trial_ends_on > $1 AND s.trial_ends_on <= $2
            AND NOT EXISTS (SELECT 1 FROM trial_end_reminders r WHERE r.subscription_id = s.id)",
    )
    .bind::<Date, _>(today)
    .bind::<Date, _>(today + Days::new(DAYS_BEFORE))
    .load(conn)?;
    let mut sent = 0;
    for row in due {
        sent += conn.transaction(|conn| one(conn, billing, site, &row, now))?;
    }
    Ok(sent)
}

fn one(
    conn: &mut PgConnection,
    billing: &Billing,
    site: &Site,
    row: &Due,
    now: DateTime<Utc>,
) -> Result<usize, CollectionsError> {
    let claimed = diesel::sql_query(
        "INSERT INTO trial_end_reminders (subscription_id, customer_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind::<BigInt, _>(row.subscription_id)
    .bind::<BigInt, _>(row.customer_id)
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .execute(conn)?;
    if claimed == 0 {
        return Ok(0);
    }
    let currency =
        Currency::from_code(&row.currency).ok_or_else(|| CollectionsError::Corrupt(row.currency.clone()))?;
    let net = crate::catalog::price_on(conn, &row.plan_code, currency, row.trial_ends_on)
        .map_err(|e| CollectionsError::Corrupt(e.to_string()))?;
    let (rate, _) = crate::subscriptions::changes::vat_for(
        conn,
        billing,
        CustomerId(row.customer_id),
        row.trial_ends_on,
    )?;
    let gross: Money = net.checked_add(
        crate::tax::vat_amount(net, rate).map_err(|e| CollectionsError::Corrupt(e.to_string()))?,
    )?;
    let lang = Lang::supported(&row.language).unwrap_or_else(Lang::english);
    let formats = Formats::new(&lang, &row.country);
    let content = EmailContent {
        subject: "trial-end-subject",
        paragraphs: &["trial-end-price", "trial-end-cancel"],
        action: Some(("trial-end-action", site.link("/account/subscription/cancel"))),
        args: vec![("date", formats.date(row.trial_ends_on).into()), ("price", formats.money(gross).into())],
    };
    crate::mail::send(conn, site, &row.email, &lang, format!("trial-end:{}", row.subscription_id), &content)?;
    Ok(1)
}
