//! Closing an account ends its billing. The customer's subscription ends at the end of what
//! was paid for (the running period, or the period already invoiced ahead; in the free month,
//! with the free month), so nothing more is invoiced; charges already incurred (storage added
//! this period) come on one last invoice. A direct debit mandate is revoked, the platform is
//! told when the services end (a provisioning event), and the customer gets an email. They can
//! still sign in to a read-only view of their invoices and payments and pay what is open; once
//! nothing is open, running or unbilled, the log-in is switched off.
//!
//! A use case over several domains (accounts, subscriptions, payments), called by the web and
//! the jobs alike.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date};

use crate::accounts::{AccountError, User, profile};
use crate::db::schema::{customers, users};
use crate::failure::UserFacing;
use crate::i18n::Lang;
use crate::i18n::format::Formats;
use crate::ids::CustomerId;
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::site::Site;
use crate::subscriptions::changes::{self, ChangeRequest};
use crate::subscriptions::{Billing, SubscriptionError};

#[derive(Debug, thiserror::Error)]
pub enum ClosingError {
    #[error("only customers close their accounts")]
    NotACustomer,
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Subscription(#[from] SubscriptionError),
    #[error(transparent)]
    Sepa(#[from] crate::payments::sepa::SepaError),
    #[error(transparent)]
    Payout(#[from] crate::payments::payouts::PayoutError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl UserFacing for ClosingError {
    fn message_id(&self) -> &'static str {
        match self {
            ClosingError::NotACustomer => "error-not-found",
            ClosingError::Account(e) => e.message_id(),
            ClosingError::Subscription(e) => e.message_id(),
            ClosingError::Sepa(e) => e.message_id(),
            ClosingError::Payout(e) => e.message_id(),
            ClosingError::Mail(_) | ClosingError::Database(_) => "error-internal",
        }
    }
}

/// Where a customer who closed their account stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Standing {
    /// When their services end (the last day is the one before); `None` once ended.
    pub services_end: Option<NaiveDate>,
    /// Invoices with something left to pay.
    pub open_invoices: i64,
    /// Charges incurred and not invoiced yet (they come on one last invoice).
    pub unbilled_charges: bool,
}

impl Standing {
    /// Nothing runs, nothing is open, nothing is left to invoice.
    pub fn settled(&self) -> bool {
        self.services_end.is_none() && self.open_invoices == 0 && !self.unbilled_charges
    }
}

/// Closes `user`'s account (see the module documentation); returns when services end. In the
/// caller's transaction; closing twice changes nothing more.
pub fn close_account(
    conn: &mut PgConnection,
    billing: &Billing,
    site: &Site,
    user: &User,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Option<NaiveDate>, ClosingError> {
    let customer = user.customer_id.ok_or(ClosingError::NotACustomer)?;
    let request = ChangeRequest { billing, customer, actor: user.id, ip, now };
    let end = match changes::cancel(conn, &request) {
        Ok(end) => Some(end),
        Err(SubscriptionError::NoSubscription) => None,
        Err(other) => return Err(other.into()),
    };
    match crate::payments::sepa::revoke_mandate(conn, customer, Some(user.id), ip, now) {
        Ok(_) | Err(crate::payments::sepa::SepaError::NoActiveMandate) => {}
        Err(other) => return Err(other.into()),
    }
    profile::close(conn, user, ip, now)?;
    confirm(conn, site, customer, end)?;
    // Nothing running, open or unbilled: there is nothing to come back for.
    if standing(conn, customer)?.settled() {
        switch_off(conn, user.id.0, now)?;
        settle_credit(conn, customer.0, now)?;
    }
    Ok(end)
}

/// The closing of a customer's account as the dunning run's termination asks for it (see
/// `collections::termination`), for the edges to hand to the run: the collections sit below
/// this module (payments call them), so they take the closing as a function instead of
/// importing it. A customer without a log-in has nothing to close.
pub fn for_dunning<'a>(
    billing: &'a Billing,
    site: &'a Site,
    now: DateTime<Utc>,
) -> impl Fn(&mut PgConnection, i64) -> Result<(), crate::collections::termination::ClosingFailed> + Sync + 'a
{
    move |conn, customer| {
        let user: Option<i64> = users::table
            .filter(users::customer_id.eq(customer))
            .filter(users::role.eq("customer"))
            .select(users::id)
            .first(conn)
            .optional()
            .map_err(|e| Box::new(ClosingError::from(e)) as crate::collections::termination::ClosingFailed)?;
        let Some(user) = user else { return Ok(()) };
        let user = User::by_id(conn, crate::ids::UserId(user))
            .map_err(|e| Box::new(ClosingError::from(e)) as crate::collections::termination::ClosingFailed)?;
        let Some(user) = user else { return Ok(()) };
        close_account(conn, billing, site, &user, "dunning", now)
            .map(|_| ())
            .map_err(|e| Box::new(e) as crate::collections::termination::ClosingFailed)
    }
}

/// A settled closed account's credit balance is the customer's money: it is proposed for a
/// payout to their account, which finance approves (see `payments::payouts`).
fn settle_credit(conn: &mut PgConnection, customer: i64, now: DateTime<Utc>) -> Result<(), ClosingError> {
    crate::payments::payouts::propose_closed_account_credit(conn, customer, now)?;
    Ok(())
}

fn switch_off(conn: &mut PgConnection, user: i64, now: DateTime<Utc>) -> Result<usize, ClosingError> {
    Ok(diesel::update(users::table.find(user).filter(users::disabled_at.is_null()))
        .set(users::disabled_at.eq(now))
        .execute(conn)?)
}

/// "Your account is closed": when the services end, and that invoices stay visible and payable.
fn confirm(
    conn: &mut PgConnection,
    site: &Site,
    customer: CustomerId,
    end: Option<NaiveDate>,
) -> Result<(), ClosingError> {
    let (email, language, country): (String, String, String) = customers::table
        .find(customer.0)
        .select((customers::email, customers::language, customers::country))
        .first(conn)?;
    let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
    let formats = Formats::new(&lang, country.trim());
    let last_day = end.and_then(|e| e.pred_opt()).map(|d| formats.date(d)).unwrap_or_default();
    let content = EmailContent {
        subject: "email-closed-subject",
        paragraphs: if end.is_some() {
            &["email-closed-services", "email-closed-invoices"]
        } else {
            &["email-closed-invoices"]
        },
        action: Some((
            "email-closed-action",
            format!("{}/account/invoices", site.public_url.trim_end_matches('/')),
        )),
        args: vec![("date", last_day.into())],
    };
    mail::send(conn, site, &email, &lang, format!("account-closed:{}", customer.0), &content)?;
    Ok(())
}

#[derive(QueryableByName)]
struct StandingRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<Date>)]
    services_end: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    open_invoices: i64,
    #[diesel(sql_type = Bool)]
    unbilled_charges: bool,
}

const STANDING: &str = "
    SELECT (SELECT min(COALESCE(s.cancel_on, s.trial_ends_on)) FROM subscriptions s
             WHERE s.customer_id = c.id AND s.status <> 'ended') AS services_end,
           (SELECT count(*) FROM invoice_balances b
             WHERE b.customer_id = c.id AND b.open_amount > 0) AS open_invoices,
           EXISTS (SELECT 1 FROM pending_charges p
                    WHERE p.customer_id = c.id AND p.invoice_id IS NULL) AS unbilled_charges
      FROM customers c WHERE c.id = $1";

/// Where `customer` stands (for the read-only view and the switch-off).
pub fn standing(conn: &mut PgConnection, customer: CustomerId) -> Result<Standing, ClosingError> {
    let row: StandingRow = diesel::sql_query(STANDING).bind::<BigInt, _>(customer.0).get_result(conn)?;
    Ok(Standing {
        services_end: row.services_end,
        open_invoices: row.open_invoices,
        unbilled_charges: row.unbilled_charges,
    })
}

/// Switches off the log-in of every closed account that is settled; returns how many. Run by
/// the worker (and `kontor subscriptions advance`); idempotent.
pub fn disable_settled(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, ClosingError> {
    let closed: Vec<(i64, i64)> = users::table
        .filter(users::closed_at.is_not_null())
        .filter(users::disabled_at.is_null())
        .filter(users::customer_id.is_not_null())
        .select((users::id, users::customer_id.assume_not_null()))
        .load(conn)?;
    let mut disabled = 0;
    for (user, customer) in closed {
        if standing(conn, CustomerId(customer))?.settled() {
            disabled += switch_off(conn, user, now)?;
            settle_credit(conn, customer, now)?;
        }
    }
    Ok(disabled)
}
