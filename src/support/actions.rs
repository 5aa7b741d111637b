//! What staff do for a customer. Each action is one function run inside the transaction that
//! claims the form's one-time key (so a resubmitted form does nothing), writes one audit entry
//! naming the staff member and `customer:<id>`, and is safe to repeat where a second run could
//! still happen (an outbox or ledger idempotency key derived from the form's key).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};
use rust_decimal::Decimal;

use super::SupportError;
use crate::accounts::email::EmailAddress;
use crate::accounts::{FieldErrors, User, email_change, session};
use crate::audit::{self, Actor};
use crate::ids::CustomerId;
use crate::ledger::{
    Account, AccountKind, AccountSpec, EntryKind, NewEntry, NewPosting, Reference, chart::codes, post_entry,
};
use crate::mail::OutgoingMail;
use crate::money::Money;
use crate::site::Site;
use crate::subscriptions::Billing;
use crate::subscriptions::changes::{self, ChangeRequest};

/// The most days one extension of the free month may add.
pub const MAX_EXTENSION_DAYS: i32 = 90;
/// The largest goodwill credit one form may grant, in the customer's currency's major unit
/// (kronor and crowns included): a slip of the keyboard stays small.
pub const MAX_GOODWILL: Decimal = Decimal::from_parts(500, 0, 0, false, 0);
const MAX_REASON: usize = 500;
const MAX_NOTE: usize = 4000;

fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    customer: i64,
    details: serde_json::Value,
) -> Result<(), SupportError> {
    audit::record(conn, &actor.event(action).target(format!("customer:{customer}")).details(details))?;
    Ok(())
}

/// The customer's log-in.
fn login_of(conn: &mut PgConnection, customer: i64) -> Result<User, SupportError> {
    User::of_customer(conn, CustomerId(customer))?.ok_or(SupportError::NoLogIn)
}

/// Sends one of the customer's emails again, as a new message (its own Message-ID: it is a new
/// email, not a retry of the old one) to the customer's current address, with the same
/// subject, text and attachment. `form_key` makes the copy's outbox key, so the same form can
/// never queue it twice. Emails that carried a single-use link cannot be sent again.
pub fn resend_mail(
    conn: &mut PgConnection,
    actor: &Actor,
    customer: i64,
    mail: MailToResend,
    form_key: &str,
    mail_domain: &str,
) -> Result<(), SupportError> {
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        subject: String,
        #[diesel(sql_type = Text)]
        text_body: String,
        #[diesel(sql_type = Text)]
        html_body: String,
        #[diesel(sql_type = Text)]
        language: String,
        #[diesel(sql_type = Nullable<BigInt>)]
        attachment_document_id: Option<i64>,
        #[diesel(sql_type = Text)]
        email: String,
    }
    let (id, number) = match &mail {
        MailToResend::Mail(id) => (Some(*id), None),
        MailToResend::Invoice(number) => (None, Some(number.clone())),
    };
    let stored: Option<Stored> = diesel::sql_query(format!(
        "SELECT m.id, m.subject, m.text_body, m.html_body, m.language, m.attachment_document_id,
                (SELECT email FROM customers WHERE id = $1) AS email
           FROM mail_outbox m
          WHERE {} AND {}
            AND (m.id = $2 OR m.idempotency_key = 'document:' || $3)
          ORDER BY m.id LIMIT 1",
        super::customer_file::MAILS_OF_CUSTOMER,
        super::customer_file::resendable()
    ))
    .bind::<BigInt, _>(customer)
    .bind::<Nullable<BigInt>, _>(id)
    .bind::<Nullable<Text>, _>(number)
    .get_result(conn)
    .optional()?;
    let Some(stored) = stored else {
        return Err(SupportError::UnknownMail);
    };
    let copy = OutgoingMail {
        idempotency_key: format!("again:{}:{form_key}", stored.id),
        recipient: stored.email.clone(),
        language: stored.language,
        subject: stored.subject,
        text_body: stored.text_body,
        html_body: stored.html_body,
        attachment_document_id: stored.attachment_document_id,
        secret: None,
        list_unsubscribe: None,
    };
    crate::mail::enqueue(conn, &copy, mail_domain)?;
    record(
        conn,
        actor,
        "support.mail_resent",
        customer,
        serde_json::json!({ "mail": stored.id, "to": stored.email }),
    )
}

/// Which email to send again: an outbox row, or the email that carried an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailToResend {
    Mail(i64),
    Invoice(String),
}

/// Starts an email change for the customer: the link goes to the new address, and only the
/// customer, opening it there, changes anything (`accounts::email_change`).
pub fn change_email(
    conn: &mut PgConnection,
    site: &Site,
    actor: &Actor,
    customer: i64,
    new: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<Result<(), FieldErrors>, SupportError> {
    let user = login_of(conn, customer)?;
    if let Err(errors) = email_change::request_change(conn, site, &user, new, &actor.ip, now)? {
        return Ok(Err(errors));
    }
    record(
        conn,
        actor,
        "support.email_change_requested",
        customer,
        serde_json::json!({ "to": new.as_str() }),
    )?;
    Ok(Ok(()))
}

/// Adds `days` to a free month that is running (and not cancelled); returns its new end.
pub fn extend_free_month(
    conn: &mut PgConnection,
    actor: &Actor,
    customer: i64,
    days: i32,
    today: NaiveDate,
) -> Result<NaiveDate, SupportError> {
    #[derive(QueryableByName)]
    struct Extended {
        #[diesel(sql_type = Date)]
        trial_ends_on: NaiveDate,
    }
    if !(1..=MAX_EXTENSION_DAYS).contains(&days) {
        return Err(SupportError::Days { max: MAX_EXTENSION_DAYS });
    }
    crate::db::locks::lock_customers(conn, &[customer])?;
    let extended: Option<Extended> = diesel::sql_query(
        "UPDATE subscriptions SET trial_ends_on = trial_ends_on + $2
          WHERE customer_id = $1 AND status = 'trial' AND trial_ends_on > $3
            AND cancel_on IS NULL AND ended_on IS NULL
          RETURNING trial_ends_on",
    )
    .bind::<BigInt, _>(customer)
    .bind::<Integer, _>(days)
    .bind::<Date, _>(today)
    .get_result(conn)
    .optional()?;
    let end = extended.ok_or(SupportError::NoFreeMonth)?.trial_ends_on;
    record(
        conn,
        actor,
        "support.free_month_extended",
        customer,
        serde_json::json!({ "days": days, "ends_on": end }),
    )?;
    Ok(end)
}

/// The expense account goodwill credit is booked to, per currency.
pub fn goodwill_account(currency: iso_currency::Currency) -> AccountSpec {
    AccountSpec {
        code: format!("6891-{}", currency.code()),
        name: format!("Goodwill credit {}", currency.code()),
        kind: AccountKind::Expense,
        currency,
        customer_id: None,
    }
}

/// A goodwill credit: customer credit (account 1750, used by the next invoices like outage
/// compensation) against the goodwill expense, one balanced ledger entry whose idempotency
/// key is the form's key.
pub fn goodwill_credit(
    conn: &mut PgConnection,
    actor: &Actor,
    customer: i64,
    amount: &str,
    reason: &str,
    form_key: &str,
    now: DateTime<Utc>,
) -> Result<Money, SupportError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(SupportError::Reason);
    }
    let currency: String = crate::db::schema::customers::table
        .find(customer)
        .select(crate::db::schema::customers::currency)
        .first(conn)
        .optional()?
        .ok_or(SupportError::UnknownCustomer)?;
    let currency = crate::ledger::currency_from_code(currency.trim())?;
    let amount = Money::parse(amount, currency).map_err(|_| SupportError::Amount)?;
    if amount.amount() <= Decimal::ZERO || amount.amount() > MAX_GOODWILL {
        return Err(SupportError::Amount);
    }
    // The batch applies customer credit under the customers' locks: never beside it.
    crate::db::locks::lock_customers(conn, &[customer])?;
    let (expense, credit) = (goodwill_account(currency), codes::credit(currency, customer));
    let accounts = Account::open_many(conn, &[expense.clone(), credit.clone()])?;
    let id = |spec: &AccountSpec| {
        accounts
            .get(&spec.code)
            .copied()
            .ok_or_else(|| crate::ledger::LedgerError::UnknownAccount(spec.code.clone()))
    };
    let memo: String = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    post_entry(
        conn,
        &NewEntry {
            idempotency_key: format!("goodwill:{form_key}"),
            kind: EntryKind::GoodwillCredited.into(),
            memo: format!("Goodwill credit: {memo}"),
            occurred_at: now,
            reference: Some(Reference { kind: "customer".to_owned(), id: customer.to_string() }),
            postings: vec![
                NewPosting::debit(id(&expense)?, amount),
                NewPosting::credit(id(&credit)?, amount),
            ],
        },
    )?;
    record(
        conn,
        actor,
        "support.goodwill_credit",
        customer,
        serde_json::json!({ "amount": amount.amount().to_string(), "currency": currency.code(), "reason": reason }),
    )?;
    Ok(amount)
}

/// Cancels the customer's subscription at the end of what is paid for, as the customer's own
/// cancel button does (with the same confirmation email).
pub fn cancel(
    conn: &mut PgConnection,
    site: &Site,
    billing: &Billing,
    actor: &Actor,
    customer: i64,
    now: DateTime<Utc>,
) -> Result<NaiveDate, SupportError> {
    let staff = actor.user.ok_or(SupportError::NoLogIn)?;
    let request = ChangeRequest { billing, customer: CustomerId(customer), actor: staff, ip: &actor.ip, now };
    let end = changes::cancel(conn, &request)?;
    crate::subscriptions::notices::cancellation_confirmed(conn, site, CustomerId(customer), end)?;
    record(conn, actor, "support.cancelled", customer, serde_json::json!({ "effective": end }))?;
    Ok(end)
}

/// Takes back a cancellation that has not taken effect yet.
pub fn reactivate(
    conn: &mut PgConnection,
    billing: &Billing,
    actor: &Actor,
    customer: i64,
    now: DateTime<Utc>,
) -> Result<(), SupportError> {
    let staff = actor.user.ok_or(SupportError::NoLogIn)?;
    let request = ChangeRequest { billing, customer: CustomerId(customer), actor: staff, ip: &actor.ip, now };
    changes::reactivate(conn, &request)?;
    record(conn, actor, "support.reactivated", customer, serde_json::json!({}))
}

/// Lets the customer try their password again at once: forgets the failed log-ins counted
/// against their address (from every network).
pub fn unlock_log_in(conn: &mut PgConnection, actor: &Actor, customer: i64) -> Result<(), SupportError> {
    let user = login_of(conn, customer)?;
    let cleared = crate::accounts::login::unlock(conn, &user.email)?;
    record(conn, actor, "support.login_unlocked", customer, serde_json::json!({ "buckets": cleared }))
}

/// Signs the customer out everywhere.
pub fn end_all_sessions(
    conn: &mut PgConnection,
    actor: &Actor,
    customer: i64,
) -> Result<usize, SupportError> {
    let user = login_of(conn, customer)?;
    let ended = session::end_all(conn, user.id)?;
    record(conn, actor, "support.sessions_ended", customer, serde_json::json!({ "sessions": ended }))?;
    Ok(ended)
}

/// Writes a note on the customer's file; notes are never changed or deleted.
pub fn add_note(
    conn: &mut PgConnection,
    actor: &Actor,
    customer: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), SupportError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_NOTE {
        return Err(SupportError::Note);
    }
    let author = actor.user.ok_or(SupportError::NoLogIn)?;
    diesel::insert_into(crate::db::schema::staff_notes::table)
        .values((
            crate::db::schema::staff_notes::customer_id.eq(customer),
            crate::db::schema::staff_notes::author_user_id.eq(author.0),
            crate::db::schema::staff_notes::body.eq(body),
            crate::db::schema::staff_notes::created_at.eq(now),
        ))
        .execute(conn)?;
    record(conn, actor, "support.note_added", customer, serde_json::json!({}))
}

/// Turns the staff member's session into a read-only view of the portal as the customer sees
/// it (see `accounts::session::Session::view_as`), or back (`customer` None).
pub fn view_as(
    conn: &mut PgConnection,
    actor: &Actor,
    staff_session: session::SessionId,
    customer: Option<i64>,
) -> Result<(), SupportError> {
    if let Some(customer) = customer {
        login_of(conn, customer)?;
    }
    let previous = session::set_view_as(conn, staff_session, customer.map(CustomerId))?;
    match (customer, previous) {
        (Some(customer), _) => {
            record(conn, actor, "support.view_as_started", customer, serde_json::json!({}))
        }
        (None, Some(previous)) => {
            record(conn, actor, "support.view_as_ended", previous.0, serde_json::json!({}))
        }
        (None, None) => Ok(()),
    }
}
