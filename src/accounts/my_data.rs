//! "My data": everything Kontor stores about a customer, as one JSON document they can
//! download (GDPR art. 15 and 20). Each section is one table's rows about them, read by
//! PostgreSQL as JSON, so a column added later is exported without anyone remembering to;
//! only secrets (password and token hashes, second-factor secrets, mail link secrets) and bytes
//! they download elsewhere (stored PDFs) are left out, by name. A test holds the sections to
//! every table that names a customer or a user, so a new table cannot be forgotten either.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};

use super::AccountError;
use super::user::User;

/// How a table's rows are found for one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Customer,
    User,
    /// The invoice's customer (lines, VAT rows, stored documents).
    Invoice,
    /// Mail sent to any address the customer's account has had on file now.
    Recipient,
    /// Rows about the account's address that name no account: following the status page by
    /// email needs none, so a customer who follows it with their own address finds that here.
    Address,
}

/// Each section: table, how it links, and the columns never exported.
pub const SECTIONS: &[(&str, Link, &[&str])] = &[
    ("customers", Link::Customer, &[]),
    ("users", Link::User, &["password_hash", "totp_secret", "totp_last_step"]),
    ("sessions", Link::User, &["token_hash"]),
    ("trusted_devices", Link::User, &["token_hash"]),
    ("form_submissions", Link::User, &[]),
    ("audit_log", Link::User, &[]),
    ("subscriptions", Link::Customer, &[]),
    ("subscription_packs", Link::Customer, &[]),
    ("pending_charges", Link::Customer, &[]),
    ("trial_claims", Link::Customer, &["fingerprint"]),
    ("provisioning_events", Link::Customer, &[]),
    ("placements", Link::Customer, &[]),
    ("invoices", Link::Customer, &[]),
    ("invoice_lines", Link::Invoice, &[]),
    ("invoice_vat", Link::Invoice, &[]),
    ("documents", Link::Invoice, &["content"]),
    ("invoice_balances", Link::Customer, &[]),
    ("ledger_accounts", Link::Customer, &[]),
    ("payment_receipts", Link::Customer, &[]),
    ("payment_allocations", Link::Customer, &[]),
    ("bank_transactions", Link::Customer, &[]),
    ("sepa_mandates", Link::Customer, &[]),
    ("direct_debit_collections", Link::Customer, &[]),
    ("payouts", Link::Customer, &[]),
    ("paypal_orders", Link::Customer, &[]),
    ("paypal_captures", Link::Customer, &[]),
    ("paypal_refunds", Link::Customer, &[]),
    ("compensation_grants", Link::Customer, &[]),
    ("compensation_choices", Link::Customer, &[]),
    ("compensation_letters", Link::Customer, &[]),
    ("incident_notice_subscribers", Link::Customer, &[]),
    ("dunning_notices", Link::Customer, &[]),
    ("suspensions", Link::Customer, &[]),
    ("dunning_pauses", Link::Customer, &[]),
    ("write_offs", Link::Customer, &[]),
    ("trial_end_reminders", Link::Customer, &[]),
    ("vat_id_checks", Link::Customer, &[]),
    // What staff wrote about the customer is data about them too.
    ("staff_notes", Link::Customer, &[]),
    ("mail_outbox", Link::Recipient, &["secret", "html_body"]),
    // Following the status page is open to anyone; these rows name an address, not a
    // customer, and are about the customer when it is theirs. The unsubscribe links
    // (`status_unsubscribe_links`) hold nothing but hashes and which follower they end.
    ("status_subscribers", Link::Address, &[]),
    ("status_subscription_requests", Link::Address, &["token_hash"]),
];

/// Tables that name a customer or user but hold nothing about them to export: one-time
/// tokens and recovery codes are secrets (hashes) and nothing else.
pub const NOT_EXPORTED: &[&str] = &["one_time_tokens", "recovery_codes"];

#[derive(QueryableByName)]
struct Rows {
    #[diesel(sql_type = Text)]
    rows: String,
}

fn section(
    conn: &mut PgConnection,
    table: &str,
    link: Link,
    hidden: &[&str],
    user: &User,
) -> Result<serde_json::Value, AccountError> {
    // Table names come from the constant above, never from a request.
    let condition = match link {
        Link::Customer if table == "customers" => "t.id = $1",
        Link::Customer => "t.customer_id = $1",
        Link::User if table == "users" => "t.id = $2",
        Link::User if table == "audit_log" => "t.actor_user_id = $2",
        Link::User => "t.user_id = $2",
        Link::Invoice => "t.invoice_id IN (SELECT id FROM invoices WHERE customer_id = $1)",
        Link::Recipient => {
            "t.recipient IN (SELECT email FROM customers WHERE id = $1 UNION SELECT email FROM users WHERE id = $2)"
        }
        Link::Address => {
            "lower(t.email) IN (SELECT lower(email) FROM customers WHERE id = $1
                                UNION SELECT lower(email) FROM users WHERE id = $2)"
        }
    };
    let sql = format!(
        "SELECT coalesce(json_agg(to_jsonb(t) - $3::text[]), '[]'::json)::text AS rows FROM {table} t WHERE {condition}"
    );
    let hidden: Vec<&str> = hidden.to_vec();
    let found: Rows = diesel::sql_query(sql)
        .bind::<BigInt, _>(user.customer_id.map_or(-1, |c| c.0))
        .bind::<BigInt, _>(user.id.0)
        .bind::<Array<Text>, _>(&hidden)
        .get_result(conn)?;
    serde_json::from_str(&found.rows).map_err(|e| AccountError::Corrupt(format!("{table} as JSON: {e}")))
}

/// Everything stored about `user` and their customer record, a section per table.
pub fn export(conn: &mut PgConnection, user: &User) -> Result<serde_json::Value, AccountError> {
    let mut sections = serde_json::Map::new();
    for (table, link, hidden) in SECTIONS {
        sections.insert((*table).to_owned(), section(conn, table, *link, hidden, user)?);
    }
    Ok(serde_json::Value::Object(sections))
}
