//! Abuse limits as fixed-window counters in PostgreSQL, so every web server sees the same
//! counts. A bucket is a limit name plus a key (an IP address, an account, or both).

use chrono::{DateTime, Duration, DurationRound, Utc};
use diesel::prelude::*;

use crate::db::schema::rate_limit_hits;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window: Duration,
}

/// Every log-in attempt from one address.
pub const LOGIN_PER_IP: Limit = Limit { name: "login-ip", max: 30, window: Duration::minutes(10) };
/// Failed log-ins for one account from one address. Keyed by both, so a stranger hammering an
/// account locks out only themselves, never the owner on another network.
pub const LOGIN_FAILURES_PER_ACCOUNT_AND_IP: Limit =
    Limit { name: "login-fail", max: 5, window: Duration::minutes(15) };
/// Failed log-ins for one account from anywhere (strangers guessing from many networks): past
/// this, the account takes no more password attempts for the window, except from browsers its
/// owner signed in from before (see `accounts::login` and `accounts::device`).
pub const LOGIN_FAILURES_PER_ACCOUNT: Limit =
    Limit { name: "login-fail-account", max: 20, window: Duration::hours(1) };
/// Wrong current passwords where a signed-in person confirms a change (new password, closing
/// the account): a stolen session must not become a password oracle.
pub const CURRENT_PASSWORD_FAILURES: Limit =
    Limit { name: "current-password", max: 5, window: Duration::minutes(15) };
pub const SIGNUP_PER_IP: Limit = Limit { name: "signup-ip", max: 10, window: Duration::hours(1) };
pub const RESEND_PER_ACCOUNT: Limit = Limit { name: "resend-account", max: 3, window: Duration::hours(1) };
pub const RESEND_PER_IP: Limit = Limit { name: "resend-ip", max: 10, window: Duration::hours(1) };
pub const RESET_PER_IP: Limit = Limit { name: "reset-ip", max: 10, window: Duration::hours(1) };
pub const RESET_PER_EMAIL: Limit = Limit { name: "reset-email", max: 3, window: Duration::hours(1) };
/// Email-change links one account may have sent (each goes to an address of the person's
/// choosing): enough to fix a typo, too few to send mail to strangers.
pub const EMAIL_CHANGE_PER_ACCOUNT: Limit =
    Limit { name: "email-change-account", max: 3, window: Duration::hours(1) };
/// Requests to follow the status page by email from one network address (no account needed).
pub const STATUS_SUBSCRIBE_PER_IP: Limit =
    Limit { name: "status-subscribe-ip", max: 10, window: Duration::hours(1) };
/// Confirmation emails to one address: one per window. Asking again within it is answered the
/// same and sends nothing, so the form cannot fill a stranger's inbox.
pub const STATUS_CONFIRM_PER_ADDRESS: Limit =
    Limit { name: "status-confirm-address", max: 1, window: Duration::hours(1) };
pub const SECOND_FACTOR_PER_ACCOUNT: Limit = Limit { name: "2fa", max: 10, window: Duration::minutes(15) };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Limited { retry_after: Duration },
}

impl Verdict {
    pub fn is_limited(self) -> bool {
        matches!(self, Verdict::Limited { .. })
    }
}

fn window_start(limit: &Limit, now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(limit.window).unwrap_or(now)
}

fn verdict(limit: &Limit, hits: i32, now: DateTime<Utc>) -> Verdict {
    if hits > limit.max {
        let retry_after = window_start(limit, now) + limit.window - now;
        Verdict::Limited { retry_after: retry_after.max(Duration::seconds(1)) }
    } else {
        Verdict::Allowed
    }
}

fn bucket(limit: &Limit, key: &str) -> String {
    format!("{}:{}", limit.name, key.to_lowercase())
}

/// Counts one hit and says whether it is over the limit.
pub fn hit(conn: &mut PgConnection, limit: &Limit, key: &str, now: DateTime<Utc>) -> QueryResult<Verdict> {
    let hits: i32 = diesel::insert_into(rate_limit_hits::table)
        .values((
            rate_limit_hits::bucket.eq(bucket(limit, key)),
            rate_limit_hits::window_start.eq(window_start(limit, now)),
            rate_limit_hits::hits.eq(1),
        ))
        .on_conflict((rate_limit_hits::bucket, rate_limit_hits::window_start))
        .do_update()
        .set(rate_limit_hits::hits.eq(rate_limit_hits::hits + 1))
        .returning(rate_limit_hits::hits)
        .get_result(conn)?;
    Ok(verdict(limit, hits, now))
}

/// Whether the next hit would be over the limit, without counting it (for limits that count
/// failures only).
pub fn check(conn: &mut PgConnection, limit: &Limit, key: &str, now: DateTime<Utc>) -> QueryResult<Verdict> {
    let hits: Option<i32> = rate_limit_hits::table
        .find((bucket(limit, key), window_start(limit, now)))
        .select(rate_limit_hits::hits)
        .first(conn)
        .optional()?;
    Ok(verdict(limit, hits.unwrap_or(0) + 1, now))
}

/// Forgets the counts of a bucket (a successful log-in clears its failures).
pub fn clear(conn: &mut PgConnection, limit: &Limit, key: &str) -> QueryResult<()> {
    diesel::delete(rate_limit_hits::table.filter(rate_limit_hits::bucket.eq(bucket(limit, key))))
        .execute(conn)?;
    Ok(())
}

/// Forgets the counts of every bucket of `limit` whose key starts with `prefix` (an account's
/// failures from every address); returns how many windows were dropped.
pub fn clear_prefix(conn: &mut PgConnection, limit: &Limit, prefix: &str) -> QueryResult<usize> {
    let pattern = bucket(limit, prefix).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    diesel::delete(rate_limit_hits::table.filter(rate_limit_hits::bucket.like(format!("{pattern}%"))))
        .execute(conn)
}

/// Removes windows that ended more than a day ago; the server's worker calls it now and then.
pub fn purge(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(rate_limit_hits::table.filter(rate_limit_hits::window_start.lt(now - Duration::days(1))))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_the_limit_waits_for_the_window_to_end() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:07:30Z").unwrap().to_utc();
        assert_eq!(verdict(&LOGIN_PER_IP, 30, now), Verdict::Allowed);
        assert_eq!(verdict(&LOGIN_PER_IP, 31, now), Verdict::Limited { retry_after: Duration::seconds(150) });
        assert_eq!(bucket(&LOGIN_PER_IP, "Anna@X.example"), "login-ip:anna@x.example");
    }
}
