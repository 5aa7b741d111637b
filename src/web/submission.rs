//! One-time submission keys, stored with their result. Every form that changes something is
//! rendered with a fresh random key; the first POST with it claims the key (the primary key
//! of `form_submissions`), does its work and records where its result is shown, all in one
//! transaction; the answer is a redirect there (Post/Redirect/Get). A reload, a double click
//! or a resent request brings the same key: the claim finds the row and the visitor is sent
//! to the first result, nothing is done again. Work refused for bad input rolls back with the
//! claim, so the corrected form can be sent with the same key.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::form::SubmissionKey;
use crate::db::schema::form_submissions;
use crate::ids::UserId;

/// How long a key is remembered: longer than any page stays open.
pub const KEPT_FOR: Duration = Duration::days(7);

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new and now ours until the transaction ends.
    New,
    /// Used before: its result is shown here.
    Done { location: String, has_notice: bool },
    /// Used before by work that is still under way (a PayPal call, a long job).
    Running,
    /// Someone else's key: treated as not found.
    Foreign,
}

/// Claims `key` for `user` inside the caller's transaction. A concurrent claim of the same key
/// waits here until the first transaction ends, then sees its row.
pub fn claim(
    conn: &mut PgConnection,
    key: &SubmissionKey,
    user: Option<UserId>,
    form: &str,
    now: DateTime<Utc>,
) -> QueryResult<Claim> {
    let form: String = form.chars().take(200).collect();
    let inserted = diesel::insert_into(form_submissions::table)
        .values((
            form_submissions::key.eq(key.as_str()),
            form_submissions::user_id.eq(user.map(|u| u.0)),
            form_submissions::form.eq(&form),
            form_submissions::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (owner, location, notice): (Option<i64>, Option<String>, Option<String>) = form_submissions::table
        .find(key.as_str())
        .select((form_submissions::user_id, form_submissions::location, form_submissions::notice))
        .first(conn)?;
    if owner != user.map(|u| u.0) {
        return Ok(Claim::Foreign);
    }
    Ok(match location {
        Some(location) => Claim::Done { location, has_notice: notice.is_some() },
        None => Claim::Running,
    })
}

/// Records the result of a claimed key (in the claiming transaction, or after long work).
pub fn finish(
    conn: &mut PgConnection,
    key: &SubmissionKey,
    location: &str,
    notice: Option<&str>,
) -> QueryResult<()> {
    let notice: Option<String> = notice.map(|n| n.chars().take(2000).collect());
    diesel::update(form_submissions::table.find(key.as_str()))
        .set((form_submissions::location.eq(location), form_submissions::notice.eq(notice)))
        .execute(conn)?;
    Ok(())
}

/// Gives a claimed key back when long work failed before it changed anything, so the same
/// form can be sent again.
pub fn release(conn: &mut PgConnection, key: &SubmissionKey) -> QueryResult<()> {
    diesel::delete(form_submissions::table.find(key.as_str()).filter(form_submissions::location.is_null()))
        .execute(conn)?;
    Ok(())
}

/// The confirmation recorded with a used key, for the page its redirect leads to. The key
/// (256 random bits, known only to the browser that rendered the form) is what proves the
/// reader may see it: after signing out or closing an account, the sign-in page still shows
/// what happened.
pub fn notice(conn: &mut PgConnection, key: &str) -> QueryResult<Option<String>> {
    Ok(form_submissions::table
        .find(key)
        .select(form_submissions::notice)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Forgets keys older than [`KEPT_FOR`]; the worker calls it now and then.
pub fn purge(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(form_submissions::table.filter(form_submissions::created_at.lt(now - KEPT_FOR)))
        .execute(conn)
}

/// `location` with `submission=<key>` added, so the result page can show the notice.
pub fn with_key(location: &str, key: &SubmissionKey) -> String {
    let separator = if location.contains('?') { '&' } else { '?' };
    format!("{location}{separator}submission={}", key.as_str())
}
