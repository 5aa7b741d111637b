//! The statement's lines: one per journal entry that moved the customer's own accounts
//! (receivable and credit), its amount the sum of those postings. Debit-positive like the
//! ledger, so a line is a charge when positive and a payment or credit when negative, and the
//! running balance is what the customer owes (negative: what they have in credit). An invoice
//! partly settled from credit moves money between the customer's two accounts and so shows
//! its full amount, as printed on it.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bpchar, Date, Int8, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::StatementError;
use crate::ids::CustomerId;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub entry_id: i64,
    /// The entry's kind as stored (`invoice_issued`, `payment_received`, ...).
    pub kind: String,
    pub date: NaiveDate,
    /// The invoice or credit note number, for documents.
    pub document: Option<String>,
    /// How a payment arrived (`bank_transfer`, `direct_debit`, `paypal`, `manual`); set
    /// exactly for the lines that have a receipt.
    pub method: Option<String>,
    /// Debit-positive: what this line adds to what the customer owes.
    pub amount: Decimal,
    /// What the customer owes after this line.
    pub balance: Decimal,
}

/// The lines in one currency (a customer who moved country may have two).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub currency: String,
    /// What was owed before the first line (the sum of everything before `from`).
    pub opening: Decimal,
    pub lines: Vec<Line>,
    pub closing: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Statement {
    pub customer: i64,
    pub from: Option<NaiveDate>,
    pub until: NaiveDate,
    pub sections: Vec<Section>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Int8)]
    entry_id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Timestamptz)]
    occurred_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    reference_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    reference_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    method: Option<String>,
    #[diesel(sql_type = Bpchar)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

#[derive(QueryableByName)]
struct Opening {
    #[diesel(sql_type = Bpchar)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

/// The instant a calendar day starts in the provider's time zone.
fn start_of(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight).earliest().map_or(midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// The statement of `customer` for the days `from..=until` of the provider's calendar (`from`
/// `None`: since the account was opened).
pub fn statement(
    conn: &mut PgConnection,
    customer: CustomerId,
    from: Option<NaiveDate>,
    until: NaiveDate,
    tz: Tz,
) -> Result<Statement, StatementError> {
    let start = from.map(|day| start_of(day, tz));
    let end = start_of(until.succ_opt().unwrap_or(until), tz);
    let openings: Vec<Opening> = match start {
        Some(start) => diesel::sql_query(
            "SELECT p.currency, SUM(p.amount) AS amount
               FROM postings p
               JOIN ledger_accounts a ON a.id = p.account_id
               JOIN journal_entries e ON e.id = p.entry_id
              WHERE a.customer_id = $1 AND e.occurred_at < $2
              GROUP BY p.currency",
        )
        .bind::<BigInt, _>(customer.0)
        .bind::<Timestamptz, _>(start)
        .load(conn)?,
        None => Vec::new(),
    };
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT e.id AS entry_id, e.kind, e.occurred_at, e.reference_type, e.reference_id,
                r.method, p.currency, SUM(p.amount) AS amount
           FROM postings p
           JOIN ledger_accounts a ON a.id = p.account_id
           JOIN journal_entries e ON e.id = p.entry_id
           LEFT JOIN payment_receipts r ON r.ledger_entry_id = e.id AND r.customer_id = a.customer_id
          WHERE a.customer_id = $1 AND e.occurred_at >= COALESCE($2, '-infinity') AND e.occurred_at < $3
          GROUP BY e.id, r.method, p.currency
          ORDER BY e.occurred_at, e.id",
    )
    .bind::<BigInt, _>(customer.0)
    .bind::<Nullable<Timestamptz>, _>(start)
    .bind::<Timestamptz, _>(end)
    .load(conn)?;

    let mut sections: Vec<Section> = openings
        .into_iter()
        .filter(|o| !o.amount.is_zero())
        .map(|o| Section { currency: o.currency, opening: o.amount, lines: Vec::new(), closing: o.amount })
        .collect();
    for row in rows {
        if !sections.iter().any(|s| s.currency == row.currency) {
            sections.push(Section {
                currency: row.currency.clone(),
                opening: Decimal::ZERO,
                lines: Vec::new(),
                closing: Decimal::ZERO,
            });
        }
        let Some(section) = sections.iter_mut().find(|s| s.currency == row.currency) else {
            return Err(StatementError::Corrupt(format!("no section for {}", row.currency)));
        };
        section.closing += row.amount;
        let document = matches!(row.reference_type.as_deref(), Some("invoice" | "credit_note"))
            .then(|| row.reference_id.clone())
            .flatten();
        section.lines.push(Line {
            entry_id: row.entry_id,
            kind: row.kind,
            date: crate::subscriptions::period::local_date(row.occurred_at, tz),
            document,
            method: row.method,
            amount: row.amount,
            balance: section.closing,
        });
    }
    Ok(Statement { customer: customer.0, from, until, sections })
}

/// The years the customer has statement lines in, newest first (for the year chooser).
pub fn years(conn: &mut PgConnection, customer: CustomerId, tz: Tz) -> Result<Vec<i32>, StatementError> {
    #[derive(QueryableByName)]
    struct Day {
        #[diesel(sql_type = Date)]
        day: NaiveDate,
    }
    let days: Vec<Day> = diesel::sql_query(
        "SELECT DISTINCT (date_trunc('year', e.occurred_at AT TIME ZONE $2))::date AS day
           FROM journal_entries e
          WHERE e.id IN (SELECT p.entry_id FROM postings p
                           JOIN ledger_accounts a ON a.id = p.account_id WHERE a.customer_id = $1)
          ORDER BY day DESC",
    )
    .bind::<BigInt, _>(customer.0)
    .bind::<Text, _>(tz.name())
    .load(conn)?;
    Ok(days.into_iter().map(|d| chrono::Datelike::year(&d.day)).collect())
}
