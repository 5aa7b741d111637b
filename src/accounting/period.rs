//! Closing a month. A closed month is locked in PostgreSQL: a trigger on `journal_entries`
//! refuses any entry dated in it, whoever writes it (Kontor or hand-written SQL), so a
//! correction goes into the open month. Closing and reopening are audited; reopening needs an
//! admin and a reason.
//!
//! The checklist says whether the month is ready: the batch done, statements imported to its
//! last day, suspense empty (or explained), the dunning run of the month's last day (or later)
//! finished, and `ledger verify` clean.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Nullable, Numeric, Timestamptz};
use rust_decimal::Decimal;

use super::{AccountingError, month_bounds};
use crate::accounts::Role;
use crate::audit::Actor;
use crate::db::schema::closed_months;
use crate::invoicing::BillingMonth;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    Done,
    Open,
}

impl CheckState {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Done => "done",
            CheckState::Open => "open",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckItem {
    /// `batch`, `statements`, `suspense`, `dunning`, `ledger`: the Fluent key's suffix.
    pub name: &'static str,
    pub state: CheckState,
    /// What a person needs to know (the suspense balance, the last statement day, findings).
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub month: BillingMonth,
    pub closed: Option<DateTime<Utc>>,
    pub items: Vec<CheckItem>,
}

impl Checklist {
    /// Ready to close: nothing open except a suspense balance, which an explanation covers.
    pub fn ready(&self, explained: bool) -> bool {
        self.items.iter().all(|item| match item.state {
            CheckState::Open => item.name == "suspense" && explained,
            CheckState::Done => true,
        })
    }
}

#[derive(QueryableByName)]
struct Facts {
    #[diesel(sql_type = Bool)]
    batch_unfinished: bool,
    #[diesel(sql_type = Nullable<Date>)]
    last_statement_day: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Numeric>)]
    suspense: Option<Decimal>,
    #[diesel(sql_type = Nullable<Date>)]
    last_dunning_day: Option<NaiveDate>,
}

/// The checklist of `month`, with the month's bounds in `zone`.
pub fn checklist(
    conn: &mut PgConnection,
    month: BillingMonth,
    zone: chrono_tz::Tz,
) -> Result<Checklist, AccountingError> {
    let (_, end) = month_bounds(month, zone);
    let last_day = month.end().pred_opt().unwrap_or(month.first_day());
    let facts: Facts = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM billing_run_items
                         WHERE period <= $1 AND state IN ('pending', 'failed')) AS batch_unfinished,
                (SELECT max(booking_date) FROM bank_transactions) AS last_statement_day,
                (SELECT sum(p.amount) FROM postings p
                   JOIN ledger_accounts a ON a.id = p.account_id
                   JOIN journal_entries e ON e.id = p.entry_id
                  WHERE a.code LIKE '1590-%' AND e.occurred_at < $2) AS suspense,
                (SELECT max(day) FROM dunning_runs) AS last_dunning_day",
    )
    .bind::<diesel::sql_types::Text, _>(month.to_string())
    .bind::<Timestamptz, _>(end)
    .get_result(conn)?;
    let mut items = Vec::new();
    items.push(CheckItem {
        name: "batch",
        state: if facts.batch_unfinished { CheckState::Open } else { CheckState::Done },
        detail: String::new(),
    });
    items.push(CheckItem {
        name: "statements",
        state: match facts.last_statement_day {
            Some(day) if day >= last_day => CheckState::Done,
            _ => CheckState::Open,
        },
        detail: facts.last_statement_day.map(|d| d.to_string()).unwrap_or_default(),
    });
    let suspense = facts.suspense.unwrap_or_default();
    items.push(CheckItem {
        name: "suspense",
        state: if suspense.is_zero() { CheckState::Done } else { CheckState::Open },
        detail: (-suspense).normalize().to_string(),
    });
    items.push(CheckItem {
        name: "dunning",
        state: match facts.last_dunning_day {
            Some(day) if day >= last_day => CheckState::Done,
            _ => CheckState::Open,
        },
        detail: facts.last_dunning_day.map(|d| d.to_string()).unwrap_or_default(),
    });
    let report = crate::ledger::verify(conn)?;
    items.push(CheckItem {
        name: "ledger",
        state: if report.is_healthy() { CheckState::Done } else { CheckState::Open },
        detail: report.findings.len().to_string(),
    });
    Ok(Checklist { month, closed: closed_at(conn, month)?, items })
}

pub fn closed_at(
    conn: &mut PgConnection,
    month: BillingMonth,
) -> Result<Option<DateTime<Utc>>, AccountingError> {
    Ok(closed_months::table
        .find(month.first_day())
        .select(closed_months::closed_at)
        .first(conn)
        .optional()?)
}

/// The closed months, newest first.
pub fn closed(conn: &mut PgConnection) -> Result<Vec<BillingMonth>, AccountingError> {
    let days: Vec<NaiveDate> =
        closed_months::table.order(closed_months::month.desc()).select(closed_months::month).load(conn)?;
    Ok(days.into_iter().map(BillingMonth::containing).collect())
}

/// What closing a month takes besides the month.
pub struct Closing<'a> {
    pub zone: chrono_tz::Tz,
    pub actor: &'a Actor,
    /// Why suspense is not empty, when it is not.
    pub explanation: &'a str,
    pub now: DateTime<Utc>,
}

/// Closes `month`: from the commit on, PostgreSQL refuses every journal entry dated in it,
/// and its entries are the month's DATEV export.
/// Closing a closed month again changes nothing. Run it in a transaction.
pub fn close(
    conn: &mut PgConnection,
    month: BillingMonth,
    closing: &Closing<'_>,
) -> Result<bool, AccountingError> {
    let (start, end) = month_bounds(month, closing.zone);
    if closing.now < end {
        return Err(AccountingError::MonthNotOver(month.to_string()));
    }
    // Waits for transactions that are writing entries right now (they hold ROW EXCLUSIVE) and
    // keeps new ones out until this commits, so none can slip into the month unseen by the
    // trigger. The lock lasts one short transaction.
    diesel::sql_query("LOCK TABLE journal_entries IN SHARE MODE").execute(conn)?;
    let added = diesel::insert_into(closed_months::table)
        .values((
            closed_months::month.eq(month.first_day()),
            closed_months::starts_at.eq(start),
            closed_months::ends_at.eq(end),
            closed_months::closed_at.eq(closing.now),
            closed_months::closed_by.eq(closing.actor.user.map(|u| u.0)),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    // The month's entries go out in its DATEV file, each in no other (the key is the entry).
    diesel::sql_query(
        "INSERT INTO datev_exported_entries (entry_id, month)
         SELECT id, $1 FROM journal_entries WHERE occurred_at >= $2 AND occurred_at < $3
         ON CONFLICT (entry_id) DO NOTHING",
    )
    .bind::<Date, _>(month.first_day())
    .bind::<Timestamptz, _>(start)
    .bind::<Timestamptz, _>(end)
    .execute(conn)?;
    if added == 1 {
        let details = serde_json::json!({ "explanation": closing.explanation.trim() });
        crate::audit::record(
            conn,
            &closing.actor.event("month.closed").target(month.to_string()).details(details),
        )?;
    }
    Ok(added == 1)
}

/// Reopens a closed month: only an admin, only with a reason; audited.
pub fn reopen(
    conn: &mut PgConnection,
    month: BillingMonth,
    role: Role,
    reason: &str,
    actor: &Actor,
) -> Result<(), AccountingError> {
    if role != Role::Admin {
        return Err(AccountingError::NotAdmin);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AccountingError::NoReason);
    }
    crate::text::check(reason, false, 500).map_err(|_| AccountingError::NoReason)?;
    let removed = diesel::delete(closed_months::table.find(month.first_day())).execute(conn)?;
    if removed == 0 {
        return Err(AccountingError::MonthOpen(month.to_string()));
    }
    let details = serde_json::json!({ "reason": reason });
    crate::audit::record(conn, &actor.event("month.reopened").target(month.to_string()).details(details))?;
    Ok(())
}
