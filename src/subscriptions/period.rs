//! Monthly billing periods, anchored on the day a subscription started and counted in local
//! calendar days of the provider's time zone: the customer's "31 March" is the one on their
//! invoice, not the UTC one, and a 23-hour DST day still counts as one day.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("unknown time zone {name:?}")]
    UnknownTimeZone { name: String },
}

impl PeriodError {
    /// A bad zone name comes from configuration; nothing a customer could correct.
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::UnknownTimeZone { .. } => "error-internal",
        }
    }
}

/// Local dates `[start, end)`: `end` is the first day of the next period, so consecutive
/// periods share a boundary instead of overlapping or leaving a day out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BillingPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl BillingPeriod {
    /// 0 for a hand-built period with `end <= start`, so it reads as empty rather than huge.
    pub fn days(&self) -> u32 {
        u32::try_from(self.end.signed_duration_since(self.start).num_days()).unwrap_or(0)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// The period after this one.
    pub fn next(&self, anchor: NaiveDate) -> BillingPeriod {
        period_containing(anchor, self.end)
    }
}

/// The last day of service before `end`, an exclusive end as periods keep them: what every
/// page, email and PDF names ("until 9 January" for a period ending at the 10th).
pub fn last_day(end: NaiveDate) -> NaiveDate {
    end.pred_opt().unwrap_or(end)
}

/// Period `n`, 0 being the first. Every start is counted from the anchor, never from the
/// previous start: stepping month by month would leave a Jan 31 anchor stuck on the 28th
/// after February, while `checked_add_months` clamps each month on its own.
pub fn nth_period(anchor: NaiveDate, n: u32) -> BillingPeriod {
    let (start, end) = (nth_start(anchor, n), nth_start(anchor, n.saturating_add(1)));
    BillingPeriod { start, end }
}

/// Saturates at chrono's last date (year 262143), far past any subscription, so that the
/// period functions need not return `Result`.
fn nth_start(anchor: NaiveDate, n: u32) -> NaiveDate {
    anchor.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// The period holding `date`; dates before the anchor get the first period.
pub fn period_containing(anchor: NaiveDate, date: NaiveDate) -> BillingPeriod {
    if date < anchor {
        return nth_period(anchor, 0);
    }
    let years = i64::from(date.year()) - i64::from(anchor.year());
    let months = years * 12 + i64::from(date.month0()) - i64::from(anchor.month0());
    let months = u32::try_from(months).unwrap_or(0);
    // The period starting in `date`'s month holds it unless its start, clamped or not,
    // still lies ahead; then it is the one starting the month before.
    let candidate = nth_period(anchor, months);
    if date < candidate.start { nth_period(anchor, months.saturating_sub(1)) } else { candidate }
}

pub fn parse_time_zone(name: &str) -> Result<Tz, PeriodError> {
    name.parse().map_err(|_| PeriodError::UnknownTimeZone { name: name.to_owned() })
}

pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    let utc = instant.naive_utc();
    // chrono's own `date_naive` panics where the offset crosses its year-262143 limit.
    local_time(utc, tz).map_or(utc.date(), |local| local.date())
}

fn local_time(utc: NaiveDateTime, tz: Tz) -> Option<NaiveDateTime> {
    utc.checked_add_offset(tz.offset_from_utc_datetime(&utc).fix())
}

/// The first instant of `date` in `tz`. Where DST skips midnight (Havana; Sao Paulo until
/// 2019) that is the jump itself, shown as 01:00; where midnight happens twice, the first.
/// A day skipped entirely (Apia, 2011-12-30) starts where the next day does: length zero,
/// rather than an instant that belongs to neither.
pub fn start_instant(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&midnight).earliest() {
        Some(instant) => instant.with_timezone(&Utc),
        None => first_instant_reaching(midnight, tz),
    }
}

/// Bisects for the first UTC second whose local time is at or after `local`, which lies in
/// a DST gap. A day to either side brackets it for every offset there is (all under 24
/// hours), and no zone changes its offset twice within that window.
fn first_instant_reaching(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    const DAY: i64 = 86_400;
    let reached = |seconds: i64| {
        let utc = DateTime::from_timestamp(seconds, 0);
        utc.and_then(|utc| local_time(utc.naive_utc(), tz)).is_some_and(|time| time >= local)
    };
    let guess = local.and_utc().timestamp();
    let (mut before, mut after) = (guess - DAY, guess + DAY);
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if reached(middle) {
            after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(after, 0).unwrap_or(local.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Days, TimeDelta};
    use proptest::prelude::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn end_of_month_anchors_fall_back_and_return() {
        let chains = [
            "2026-01-31 2026-02-28 2026-03-31 2026-04-30 2026-05-31 2026-06-30",
            "2028-01-31 2028-02-29 2028-03-31 2028-04-30",
            "2026-01-30 2026-02-28 2026-03-30",
            "2026-01-29 2026-02-28 2026-03-29",
            "2028-01-29 2028-02-29 2028-03-29",
            "2026-11-01 2026-12-01 2027-01-01",
        ];
        for chain in chains {
            let anchor = d(chain.get(..10).unwrap());
            let starts = (0..).map(|n| nth_period(anchor, n).start.to_string());
            assert_eq!(starts.take(chain.split(' ').count()).collect::<Vec<_>>().join(" "), chain);
        }
    }

    #[test]
    fn periods_containing_dates() {
        let period = |anchor, date| {
            let period = period_containing(d(anchor), d(date));
            (period.start.to_string(), period.end.to_string(), period.days())
        };
        let (jan, feb) = ("2026-01-31", "2026-02-28");
        assert_eq!(period(jan, "2026-02-27"), (jan.into(), feb.into(), 28));
        assert_eq!(period(jan, feb), (feb.into(), "2026-03-31".into(), 31));
        assert_eq!(period(jan, "2026-03-30"), (feb.into(), "2026-03-31".into(), 31));
        assert_eq!(period(jan, "2026-03-31"), ("2026-03-31".into(), "2026-04-30".into(), 30));
        assert_eq!(period(jan, "2025-06-01"), (jan.into(), feb.into(), 28));
        assert_eq!(period("2028-01-31", "2028-02-29").2, 31);
        assert_eq!(period("2028-01-31", "2028-02-28").2, 29);
        assert_eq!(period("2026-01-01", "2026-12-31"), ("2026-12-01".into(), "2027-01-01".into(), 31));
        let anchor = d(jan);
        assert_eq!(nth_period(anchor, 0).next(anchor), nth_period(anchor, 1));
        assert!(nth_period(anchor, 0).contains(anchor) && !nth_period(anchor, 0).contains(d(feb)));
        let backwards = BillingPeriod { start: d(feb), end: d(jan) };
        assert_eq!(backwards.days(), 0);
    }

    #[test]
    fn berlin_days_start_at_local_midnight_across_dst() {
        let berlin = parse_time_zone("Europe/Berlin").unwrap();
        let start = |date| start_instant(d(date), berlin);
        assert_eq!(start("2026-03-29"), utc("2026-03-28T23:00:00Z"));
        assert_eq!(start("2026-03-30"), utc("2026-03-29T22:00:00Z"));
        assert_eq!(start("2026-10-25"), utc("2026-10-24T22:00:00Z"));
        assert_eq!(start("2026-10-26"), utc("2026-10-25T23:00:00Z"));
        assert_eq!((start("2026-03-30") - start("2026-03-29")).num_hours(), 23);
        assert_eq!((start("2026-10-26") - start("2026-10-25")).num_hours(), 25);
        assert_eq!(period_containing(d("2026-03-15"), d("2026-03-29")).days(), 31);
        assert_eq!(local_date(utc("2026-03-28T22:59:59Z"), berlin), d("2026-03-28"));
        assert_eq!(local_date(utc("2026-03-28T23:00:00Z"), berlin), d("2026-03-29"));
        let error = parse_time_zone("Europe/Bonn").unwrap_err();
        assert_eq!(error.to_string(), r#"unknown time zone "Europe/Bonn""#);
        assert_eq!(error.message_id(), "error-internal");
    }

    #[test]
    fn midnight_skipped_or_repeated_by_dst() {
        let start = |date, zone| start_instant(d(date), parse_time_zone(zone).unwrap());
        let havana = parse_time_zone("America/Havana").unwrap();
        let midnight = |date| havana.from_local_datetime(&d(date).and_time(NaiveTime::MIN)).map(|_| ());
        assert_eq!(midnight("2026-03-08"), chrono::MappedLocalTime::None);
        assert_eq!(midnight("2026-11-01"), chrono::MappedLocalTime::Ambiguous((), ()));
        // 00:00 -> 01:00: the day begins at the jump.
        assert_eq!(start("2018-11-04", "America/Sao_Paulo"), utc("2018-11-04T03:00:00Z"));
        assert_eq!(start("2026-03-08", "America/Havana"), utc("2026-03-08T05:00:00Z"));
        // 01:00 -> 00:00: the first of two midnights, still in daylight time (UTC-4).
        assert_eq!(start("2026-11-01", "America/Havana"), utc("2026-11-01T04:00:00Z"));
        assert_eq!(start("2026-11-02", "America/Havana"), utc("2026-11-02T05:00:00Z"));
        // Samoa jumped from UTC-10 to UTC+14 over 2011-12-30.
        assert_eq!(start("2011-12-30", "Pacific/Apia"), utc("2011-12-30T10:00:00Z"));
        assert_eq!(start("2011-12-31", "Pacific/Apia"), utc("2011-12-30T10:00:00Z"));
    }

    #[test]
    fn every_day_starts_at_its_first_instant() {
        for zone in [Tz::Europe__Berlin, Tz::America__Havana, Tz::America__Sao_Paulo, Tz::Pacific__Apia] {
            for date in d("2000-01-01").iter_days().take_while(|date| date.year() < 2040) {
                let start = start_instant(date, zone);
                let skipped = zone == Tz::Pacific__Apia && date == d("2011-12-30");
                assert!(local_date(start, zone) == date || skipped, "{zone} {date}");
                let before = local_date(start - TimeDelta::seconds(1), zone);
                assert!(before < date, "{zone} {date}");
            }
        }
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2000-01-01 up to 2100-12-31.
        (0..36_890_u64).prop_map(|offset| d("2000-01-01") + Days::new(offset))
    }

    fn last_day_of_month(date: NaiveDate) -> u32 {
        (28..=31).rev().find(|&day| date.with_day(day).is_some()).unwrap()
    }

    proptest! {
        #[test]
        fn a_date_lies_in_the_period_containing_it(anchor in any_date(), date in any_date()) {
            let period = period_containing(anchor, date);
            prop_assert!((28..=31).contains(&period.days()), "{:?}", period);
            if date < anchor {
                prop_assert_eq!(period, nth_period(anchor, 0));
            } else {
                prop_assert!(period.contains(date));
            }
            prop_assert_eq!(period.start.day(), anchor.day().min(last_day_of_month(period.start)));
            prop_assert_eq!(period.next(anchor).start, period.end);
        }

        #[test]
        fn a_year_is_covered_exactly_once(anchor in any_date(), later in 0..=20_i32) {
            let year = anchor.year() + later;
            let new_year = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let periods: Vec<BillingPeriod> = (0..)
                .map(|n| nth_period(anchor, n))
                .take_while(|period| period.start.year() <= year)
                .filter(|period| period.end > new_year)
                .collect();
            for pair in periods.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
            }
            let year_days = new_year.iter_days().take_while(|day| day.year() == year);
            for day in year_days.filter(|day| *day >= anchor) {
                let holders: Vec<_> = periods.iter().filter(|period| period.contains(day)).collect();
                prop_assert_eq!(holders.len(), 1, "{}", day);
                prop_assert_eq!(*holders[0], period_containing(anchor, day));
            }
        }
    }
}
