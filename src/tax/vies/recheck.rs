//! Asking VIES again: every business customer before each quarter (a VAT ID can be
//! deregistered at any time, and the quarter's invoices and OSS return rest on the standing),
//! and soon again whenever VIES gave no answer.
//!
//! The re-check window opens [`WINDOW_DAYS`] days before a quarter ends. A customer is due when
//! their VAT ID has no check since the latest window opened, was never checked, or got no
//! answer more than [`RETRY_AFTER`] ago. Run every day (the server's worker does, and
//! `kontor vat check-ids --before-quarter` from cron would), that checks everyone once in the
//! last days of each quarter (or on the first day of the next, if those were missed), picks up
//! whoever was left, and retries unanswered checks; run again, it finds nobody due.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz};

use super::{Answer, Business, Verdict, ViesError, ViesSettings, check_and_record, record};
use crate::country::{Country, VatId};
use crate::ids::CustomerId;

/// How many of a quarter's last days the re-check runs on.
pub const WINDOW_DAYS: u64 = 3;

/// How long an unanswered check waits before it is asked again.
pub const RETRY_AFTER: Duration = Duration::hours(1);

/// Which business customers to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everyone with an EU VAT ID (`kontor vat check-ids`).
    All,
    /// Whoever is due (see the module's words): `window_opened` is the first instant of
    /// [`window_opened`]'s day in the provider's calendar, `retry_before` is [`RETRY_AFTER`]
    /// before now.
    Due { window_opened: DateTime<Utc>, retry_before: DateTime<Utc> },
}

/// The first day of the latest re-check window that has opened by `today`: this quarter's, once
/// its last days have come, else the previous quarter's.
pub fn window_opened(today: NaiveDate) -> NaiveDate {
    let this_quarter_ends = last_day_of_quarter(today);
    let opens = |last_day: NaiveDate| last_day - chrono::Days::new(WINDOW_DAYS - 1);
    if today >= opens(this_quarter_ends) {
        opens(this_quarter_ends)
    } else {
        let first_day = NaiveDate::from_ymd_opt(today.year(), (today.month() - 1) / 3 * 3 + 1, 1);
        opens(first_day.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MIN))
    }
}

/// The last day of the calendar quarter `day` is in.
fn last_day_of_quarter(day: NaiveDate) -> NaiveDate {
    let first_month_after = (day.month() - 1) / 3 * 3 + 4;
    let (year, month) =
        if first_month_after > 12 { (day.year() + 1, 1) } else { (day.year(), first_month_after) };
    NaiveDate::from_ymd_opt(year, month, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    vat_id: String,
}

/// The open accounts in `scope` with an EU VAT ID, never-checked and longest-unchecked first,
/// at most `limit`. A VAT ID on file that is not one of valid form (written before the format
/// checks, or by hand) is not asked about: it is kept as an `invalid` check at `now`, so it is
/// charged like a consumer and not found due again before the next quarter.
pub fn businesses(
    conn: &mut PgConnection,
    scope: Scope,
    limit: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<Business>, ViesError> {
    let (all, opened, retry) = match scope {
        Scope::All => (true, None, None),
        Scope::Due { window_opened, retry_before } => (false, Some(window_opened), Some(retry_before)),
    };
    let eu: Vec<&str> = Country::ALL.iter().filter(|c| c.is_eu()).map(|c| c.code()).collect();
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT c.id, c.vat_id
           FROM customers c
           LEFT JOIN LATERAL (SELECT k.result, k.checked_at FROM vat_id_checks k
                               WHERE k.customer_id = c.id AND k.vat_id = c.vat_id
                               ORDER BY k.checked_at DESC, k.id DESC LIMIT 1) latest ON true
          WHERE c.vat_id IS NOT NULL AND c.closed_at IS NULL AND c.country::text = ANY($1)
            AND ($2 OR latest.checked_at IS NULL OR latest.checked_at < $3
                 OR (latest.result = 'unavailable' AND latest.checked_at < $4))
          ORDER BY latest.checked_at NULLS FIRST, c.id
          LIMIT $5",
    )
    .bind::<diesel::sql_types::Array<Text>, _>(&eu)
    .bind::<Bool, _>(all)
    .bind::<Nullable<Timestamptz>, _>(opened)
    .bind::<Nullable<Timestamptz>, _>(retry)
    .bind::<Nullable<BigInt>, _>(limit)
    .load(conn)?;
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let customer = CustomerId(row.id);
        match VatId::try_from(row.vat_id.clone()) {
            Ok(vat_id) => list.push(Business { customer, on_file: row.vat_id, vat_id }),
            Err(error) => {
                tracing::warn!(customer = row.id, vat_id = row.vat_id, %error, "VAT ID on file not of valid form");
                let reason = Some(NOT_A_VAT_ID.to_owned());
                let answer = Answer { verdict: Verdict::Invalid, reason, ..Answer::default() };
                record(conn, customer, &row.vat_id, &answer, now)?;
            }
        }
    }
    Ok(list)
}

/// The reason kept for a VAT ID on file that VIES was not asked about, its form being wrong.
pub const NOT_A_VAT_ID: &str = "not a VAT ID of valid form";

/// How a run of checks went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub valid: usize,
    pub invalid: usize,
    pub unavailable: usize,
}

/// Checks each of `list` in turn (one at a time: VIES limits concurrent requests), keeping
/// every answer; `progress` hears of each as it comes.
pub fn run(
    pool: &crate::db::PgPool,
    settings: &ViesSettings,
    now: &dyn Fn() -> DateTime<Utc>,
    list: &[Business],
    mut progress: impl FnMut(usize, &Business, &Answer),
) -> Result<Summary, ViesError> {
    let mut summary = Summary::default();
    for (n, business) in list.iter().enumerate() {
        let answer = check_and_record(pool, settings, business, now)?;
        match answer.verdict {
            Verdict::Valid => summary.valid += 1,
            Verdict::Invalid => summary.invalid += 1,
            Verdict::Unavailable => summary.unavailable += 1,
        }
        progress(n + 1, business, &answer);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_window_opens_in_the_last_days_of_each_quarter() {
        let cases = [
            ("2026-12-05", "2026-09-28"),
            ("2026-12-28", "2026-09-28"),
            ("2026-12-29", "2026-12-29"),
            ("2026-12-31", "2026-12-29"),
            // The first day of a quarter still belongs to the window before it.
            ("2027-01-01", "2026-12-29"),
            ("2027-03-29", "2027-03-29"),
            ("2027-06-28", "2027-06-28"),
            ("2027-06-27", "2027-03-29"),
            ("2026-10-01", "2026-09-28"),
        ];
        for (today, opened) in cases {
            assert_eq!(window_opened(day(today)), day(opened), "{today}");
        }
    }

    #[test]
    fn quarters_end_where_the_calendar_says() {
        for (day, last) in
            [("2026-01-01", "2026-03-31"), ("2026-05-31", "2026-06-30"), ("2026-12-31", "2026-12-31")]
        {
            assert_eq!(
                last_day_of_quarter(day.parse().unwrap()),
                last.parse::<NaiveDate>().unwrap(),
                "{day}"
            );
        }
    }
}
