//! Everything about one customer, for the support page: one small function per section, each
//! one query that PostgreSQL turns into JSON rows. Amounts leave the database as text (never
//! as JSON numbers, which would pass through floats); the page formats them in the reader's
//! locale. A new section is one more function and one more entry in [`SECTIONS`].

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Jsonb};
use serde_json::Value;

use super::SupportError;

/// A section's rows, newest first.
pub type Rows = Vec<Value>;

#[derive(QueryableByName)]
struct Aggregated {
    #[diesel(sql_type = Jsonb)]
    rows: Value,
}

/// Whose file is read, and on which day (the provider's calendar): what is "in force" depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub customer: i64,
    pub today: NaiveDate,
}

/// The rows of `select`, whose `$1` is the customer's id and `$2` the day of reading, as JSON
/// objects in its order.
fn rows(conn: &mut PgConnection, select: &str, reading: &Reading) -> Result<Rows, SupportError> {
    let sql = format!(
        "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.ord), '[]'::jsonb) AS rows
           FROM (SELECT row_number() OVER () AS ord, s.* FROM ({select}) s) t"
    );
    let found: Aggregated = diesel::sql_query(sql)
        .bind::<BigInt, _>(reading.customer)
        .bind::<Date, _>(reading.today)
        .get_result(conn)?;
    Ok(match found.rows {
        Value::Array(rows) => rows,
        _ => Vec::new(),
    })
}

/// The customer's record and log-in; `None` when there is no such customer.
pub fn profile(conn: &mut PgConnection, reading: &Reading) -> Result<Option<Value>, SupportError> {
    let found = rows(
        conn,
        "SELECT c.id, c.name, c.company_name, c.vat_id, c.email, c.street, c.postal_code, c.city,
                c.country::text AS country, c.language, c.currency::text AS currency, c.created_at,
                c.closed_at, u.id AS user_id, u.email AS login, u.email_verified_at, u.disabled_at,
                u.closed_at AS login_closed_at
           FROM customers c LEFT JOIN users u ON u.customer_id = c.id AND u.role = 'customer'
          WHERE c.id = $1",
        reading,
    )?;
    Ok(found.into_iter().next())
}

pub fn subscriptions(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT id, plan_code, status, anchor_date, trial_ends_on, cancel_on, ended_on, created_at
           FROM subscriptions WHERE customer_id = $1 ORDER BY id DESC",
        reading,
    )
}

/// Storage and mailbox packs, ended ones too: their history.
pub fn packs(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT id, plan_code, starts_on, ends_on, created_at, grant_id IS NOT NULL AS from_compensation
           FROM subscription_packs WHERE customer_id = $1 ORDER BY id DESC",
        reading,
    )
}

pub fn placements(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT r.code AS resource, r.service, p.placed_from, p.placed_until
           FROM placements p JOIN resources r ON r.id = p.resource_id
          WHERE p.customer_id = $1 ORDER BY p.placed_from DESC LIMIT 100",
        reading,
    )
}

/// Invoices and credit notes with what is left to pay.
pub fn invoices(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT i.number, i.kind, i.issue_date, i.due_date, i.billing_period, i.currency::text AS currency,
                i.gross::text AS gross, coalesce(b.open_amount, 0)::text AS open, c.number AS credits
           FROM invoices i
           LEFT JOIN invoice_balances b ON b.invoice_id = i.id
           LEFT JOIN invoices c ON c.id = i.credited_invoice_id
          WHERE i.customer_id = $1 ORDER BY i.id DESC LIMIT 200",
        reading,
    )
}

/// Money received (and reversed), with the invoices each payment settled.
pub fn payments(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT r.method, r.currency::text AS currency, r.amount::text AS amount, r.to_credit::text AS to_credit,
                r.occurred_at, r.reversal_of IS NOT NULL AS reversal,
                (SELECT coalesce(jsonb_agg(jsonb_build_object('invoice', i.number, 'amount', a.amount::text)
                                           ORDER BY a.id), '[]'::jsonb)
                   FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id
                  WHERE a.receipt_key = r.key) AS allocations
           FROM payment_receipts r WHERE r.customer_id = $1 ORDER BY r.occurred_at DESC LIMIT 200",
        reading,
    )
}

/// Credit granted (outages, goodwill) and used on invoices: the customer credit account's
/// postings, credit positive.
pub fn credits(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT e.occurred_at, e.kind, e.memo, p.currency::text AS currency, (-p.amount)::text AS amount
           FROM postings p
           JOIN ledger_accounts a ON a.id = p.account_id
           JOIN journal_entries e ON e.id = p.entry_id
          WHERE a.customer_id = $1 AND a.code LIKE '1750-%' ORDER BY e.id DESC LIMIT 200",
        reading,
    )
}

/// The dunning notices sent, newest first: for which invoice, on which step, what they charged.
pub fn dunning_notices(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT i.number AS invoice, n.level, n.action AS step, n.sent_on, n.currency::text AS currency,
                n.open_amount::text AS open, n.fee::text AS fee, n.interest::text AS interest,
                c.number AS charges
           FROM dunning_notices n
           JOIN invoices i ON i.id = n.invoice_id
           LEFT JOIN invoices c ON c.id = n.charge_invoice_id
          WHERE n.customer_id = $1 ORDER BY n.sent_on DESC, n.level DESC LIMIT 100",
        reading,
    )
}

/// Suspensions, the open one (if any) first: since when, for which invoice, when lifted.
pub fn suspensions(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT s.suspended_at, i.number AS invoice, s.lifted_at, s.lifted_at IS NULL AS in_force
           FROM suspensions s JOIN invoices i ON i.id = s.invoice_id
          WHERE s.customer_id = $1 ORDER BY s.lifted_at IS NULL DESC, s.id DESC LIMIT 20",
        reading,
    )
}

/// Pauses of dunning, those still in force on the day of reading first: until when, why, by whom.
pub fn dunning_pauses(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT p.until AS ends_on, p.reason, p.created_at, u.email AS author, p.until >= $2 AS in_force
           FROM dunning_pauses p LEFT JOIN users u ON u.id = p.created_by
          WHERE p.customer_id = $1 ORDER BY p.until >= $2 DESC, p.until DESC, p.id DESC LIMIT 20",
        reading,
    )
}

/// Direct debit mandates; the IBAN only by its country and last four characters.
pub fn mandates(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT reference, debtor_name, left(iban, 2) AS iban_country, right(iban, 4) AS iban_ending, bic,
                signed_on, status, revoked_at
           FROM sepa_mandates WHERE customer_id = $1 ORDER BY id DESC",
        reading,
    )
}

pub fn paypal_orders(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT o.order_id, i.number AS invoice, o.currency::text AS currency, o.amount::text AS amount,
                o.state, o.payer_id, o.capture_id, o.created_at
           FROM paypal_orders o JOIN invoices i ON i.id = o.invoice_id
          WHERE o.customer_id = $1 ORDER BY o.id DESC LIMIT 100",
        reading,
    )
}

/// Which outbox rows are this customer's: to their addresses (record and log-in), or carrying
/// one of their invoices. `$1` is the customer.
pub(super) const MAILS_OF_CUSTOMER: &str =
    "(lower(m.recipient) IN (SELECT lower(email) FROM customers WHERE id = $1
                              UNION SELECT lower(email) FROM users WHERE customer_id = $1)
      OR m.idempotency_key IN (SELECT 'document:' || number FROM invoices WHERE customer_id = $1))";

/// Whether the outbox row `m` can be sent again: not one that carries a single-use link (its
/// secret is still in the row, or was cut out of the stored copy once it went out).
pub(super) fn resendable() -> String {
    format!("(m.secret IS NULL AND strpos(m.text_body, '{}') = 0)", crate::mail::outbox::REDACTED)
}

/// Every email sent (or waiting, or failed), and whether it can be sent again.
pub fn mails(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        &format!(
            "SELECT m.id, m.recipient, m.subject, m.created_at, m.sent_at, m.failed_at, m.attempts,
                    {} AS can_resend
               FROM mail_outbox m WHERE {MAILS_OF_CUSTOMER} ORDER BY m.id DESC LIMIT 200",
            resendable()
        ),
        reading,
    )
}

/// Outage compensation granted and the options the customer chose.
pub fn grants(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT g.incident_id, g.currency::text AS currency, g.amount::text AS amount, g.downtime_seconds,
                g.option, g.created_at,
                (SELECT c.option FROM compensation_choices c
                  WHERE c.incident_id = g.incident_id AND c.subscription_id = g.subscription_id) AS chosen
           FROM compensation_grants g WHERE g.customer_id = $1 ORDER BY g.id DESC",
        reading,
    )
}

pub fn sessions(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE u.customer_id = $1 ORDER BY s.last_seen_at DESC",
        reading,
    )
}

/// Audit entries about the customer (their record, log-in, subscriptions, packs, invoices,
/// address) or done by them, newest first.
pub fn audit_trail(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT a.occurred_at, a.action, a.target, a.ip, a.details, actor.email AS actor
           FROM audit_log a LEFT JOIN users actor ON actor.id = a.actor_user_id
          WHERE a.target IN (SELECT 'customer:' || $1
                             UNION SELECT 'user:' || id FROM users WHERE customer_id = $1
                             UNION SELECT email FROM users WHERE customer_id = $1
                             UNION SELECT 'subscription:' || id FROM subscriptions WHERE customer_id = $1
                             UNION SELECT 'pack:' || id FROM subscription_packs WHERE customer_id = $1
                             UNION SELECT 'invoice:' || number FROM invoices WHERE customer_id = $1)
             OR a.actor_user_id IN (SELECT id FROM users WHERE customer_id = $1)
          ORDER BY a.id DESC LIMIT 200",
        reading,
    )
}

/// Staff notes, newest first, with their author.
pub fn notes(conn: &mut PgConnection, reading: &Reading) -> Result<Rows, SupportError> {
    rows(
        conn,
        "SELECT n.body, n.created_at, u.email AS author
           FROM staff_notes n JOIN users u ON u.id = n.author_user_id
          WHERE n.customer_id = $1 ORDER BY n.id DESC",
        reading,
    )
}

/// A section of the page: its name (the template's key) and rows.
pub type Section = fn(&mut PgConnection, &Reading) -> Result<Rows, SupportError>;

/// The page's sections in the order shown.
pub const SECTIONS: &[(&str, Section)] = &[
    ("notes", notes),
    ("subscriptions", subscriptions),
    ("packs", packs),
    ("placements", placements),
    ("invoices", invoices),
    ("payments", payments),
    ("credits", credits),
    ("dunning_notices", dunning_notices),
    ("suspensions", suspensions),
    ("dunning_pauses", dunning_pauses),
    ("mandates", mandates),
    ("paypal", paypal_orders),
    ("mails", mails),
    ("grants", grants),
    ("sessions", sessions),
    ("audit", audit_trail),
];

/// Each section's rows by its name.
pub type Sections = serde_json::Map<String, Value>;

/// The whole file as read on `reading.today`: the profile and every section; `None` for an
/// unknown customer.
pub fn customer_file(
    conn: &mut PgConnection,
    reading: &Reading,
) -> Result<Option<(Value, Sections)>, SupportError> {
    let Some(profile) = profile(conn, reading)? else {
        return Ok(None);
    };
    let mut sections = serde_json::Map::new();
    for (name, section) in SECTIONS {
        sections.insert((*name).to_owned(), Value::Array(section(conn, reading)?));
    }
    Ok(Some((profile, sections)))
}
