//! Manual journal entries under the four-eyes rule: finance proposes (accounts by code,
//! amounts debit-positive, a day and a memo), a second finance or admin user approves, and
//! only then is the entry posted, dated at the start of its day in the seller's time zone.
//! The database refuses the proposer as approver too (a CHECK), and a day in a closed month
//! (the period lock). Both steps are audited.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{AccountingError, start_of};
use crate::audit::Actor;
use crate::db::schema::manual_entries;
use crate::ids::UserId;
use crate::ledger::{Account, EntryKind, NewEntry, NewPosting, Reference, post_entry};
use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedPosting {
    pub account: String,
    /// Debit positive, credit negative, in the account's currency.
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub occurred_on: NaiveDate,
    pub memo: String,
    pub postings: Vec<ProposedPosting>,
    pub proposed_by: UserId,
    pub approved_by: Option<UserId>,
}

fn postings_json(postings: &[ProposedPosting]) -> serde_json::Value {
    postings
        .iter()
        .map(|p| serde_json::json!({ "account": p.account, "amount": p.amount.normalize().to_string() }))
        .collect()
}

fn postings_of(json: &serde_json::Value) -> Result<Vec<ProposedPosting>, AccountingError> {
    let corrupt = || AccountingError::BadManualEntry("stored postings unreadable".into());
    json.as_array()
        .ok_or_else(corrupt)?
        .iter()
        .map(|p| {
            let account = p.get("account").and_then(|a| a.as_str()).ok_or_else(corrupt)?;
            let amount = p.get("amount").and_then(|a| a.as_str()).ok_or_else(corrupt)?;
            Ok(ProposedPosting {
                account: account.to_owned(),
                amount: amount.parse().map_err(|_| corrupt())?,
            })
        })
        .collect()
}

/// The entry the proposal becomes; checking it is how a proposal is validated.
fn entry(
    conn: &mut PgConnection,
    id: i64,
    proposal: &NewProposal<'_>,
    zone: chrono_tz::Tz,
) -> Result<NewEntry, AccountingError> {
    let mut postings = Vec::with_capacity(proposal.postings.len());
    for posting in proposal.postings {
        let account = Account::by_code(conn, posting.account.trim())?
            .ok_or_else(|| AccountingError::BadManualEntry(format!("unknown account {}", posting.account)))?;
        postings
            .push(NewPosting { account: account.id, amount: Money::new(posting.amount, account.currency) });
    }
    let entry = NewEntry {
        idempotency_key: format!("manual:{id}"),
        kind: EntryKind::ManualEntry.into(),
        memo: proposal.memo.trim().to_owned(),
        occurred_at: start_of(proposal.occurred_on, zone),
        reference: Some(Reference { kind: "manual_entry".into(), id: id.to_string() }),
        postings,
    };
    entry.validate()?;
    Ok(entry)
}

pub struct NewProposal<'a> {
    pub occurred_on: NaiveDate,
    pub memo: &'a str,
    pub postings: &'a [ProposedPosting],
}

/// Records a proposal after checking it would post (accounts, balance, rounding). Returns its id.
pub fn propose(
    conn: &mut PgConnection,
    proposal: &NewProposal<'_>,
    proposer: UserId,
    actor: &Actor,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<i64, AccountingError> {
    let memo = proposal.memo.trim();
    if memo.is_empty() {
        return Err(AccountingError::BadManualEntry("a memo says why".into()));
    }
    crate::text::check(memo, false, 500).map_err(|_| AccountingError::BadManualEntry("memo".into()))?;
    entry(conn, 0, proposal, zone)?;
    let id: i64 = diesel::insert_into(manual_entries::table)
        .values((
            manual_entries::occurred_on.eq(proposal.occurred_on),
            manual_entries::memo.eq(memo),
            manual_entries::postings.eq(postings_json(proposal.postings)),
            manual_entries::proposed_by.eq(proposer.0),
            manual_entries::proposed_at.eq(now),
        ))
        .returning(manual_entries::id)
        .get_result(conn)?;
    crate::audit::record(conn, &actor.event("manual_entry.proposed").target(format!("manual entry {id}")))?;
    Ok(id)
}

/// Approves and posts proposal `id`. Run it in a transaction.
pub fn approve(
    conn: &mut PgConnection,
    id: i64,
    approver: UserId,
    actor: &Actor,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<crate::ledger::EntryId, AccountingError> {
    let (occurred_on, memo, postings, proposed_by): (NaiveDate, String, serde_json::Value, i64) =
        manual_entries::table
            .find(id)
            .filter(manual_entries::approved_by.is_null())
            .select((
                manual_entries::occurred_on,
                manual_entries::memo,
                manual_entries::postings,
                manual_entries::proposed_by,
            ))
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AccountingError::UnknownProposal(id))?;
    if proposed_by == approver.0 {
        return Err(AccountingError::SameApprover);
    }
    let postings = postings_of(&postings)?;
    let proposal = NewProposal { occurred_on, memo: &memo, postings: &postings };
    let new = entry(conn, id, &proposal, zone)?;
    let entry_id = post_entry(conn, &new)?.id();
    diesel::update(manual_entries::table.find(id))
        .set((
            manual_entries::approved_by.eq(approver.0),
            manual_entries::approved_at.eq(now),
            manual_entries::entry_id.eq(entry_id.0),
        ))
        .execute(conn)?;
    crate::audit::record(
        conn,
        &actor.event("manual_entry.approved").target(format!("manual entry {id}")).details(
            serde_json::json!({
                "journal_entry": entry_id.0
            }),
        ),
    )?;
    Ok(entry_id)
}

/// Proposals waiting for approval, oldest first.
pub fn pending(conn: &mut PgConnection) -> Result<Vec<Proposal>, AccountingError> {
    let rows: Vec<(i64, NaiveDate, String, serde_json::Value, i64)> = manual_entries::table
        .filter(manual_entries::approved_by.is_null())
        .order(manual_entries::id)
        .select((
            manual_entries::id,
            manual_entries::occurred_on,
            manual_entries::memo,
            manual_entries::postings,
            manual_entries::proposed_by,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, occurred_on, memo, postings, proposed_by)| {
            Ok(Proposal {
                id,
                occurred_on,
                memo,
                postings: postings_of(&postings)?,
                proposed_by: UserId(proposed_by),
                approved_by: None,
            })
        })
        .collect()
}
