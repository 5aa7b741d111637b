//! The one clock: the current instant and the provider's calendar day. Every page, job and
//! command reads the time from here and passes it down as a value, so tests pin it (and move
//! it forward a day at a time) and nothing depends on the date the suite happens to run.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// Where the clock's instant comes from.
#[derive(Clone)]
enum Source {
    /// The machine's clock.
    System,
    /// A hand-set instant that only moves when told to (tests, `KONTOR_NOW`). Shared by every
    /// clone, so a test that advances it moves the server it started too.
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

/// The current instant and the provider's calendar day (in `time_zone`).
#[derive(Clone)]
pub struct Clock {
    source: Source,
    time_zone: Tz,
}

impl Clock {
    /// The machine's clock, with days in `time_zone`.
    pub fn system(time_zone: Tz) -> Clock {
        Clock { source: Source::System, time_zone }
    }

    /// A clock standing still at `at` until `set` or `advance` moves it.
    pub fn fixed(at: DateTime<Utc>, time_zone: Tz) -> Clock {
        Clock { source: Source::Manual(Arc::new(Mutex::new(at))), time_zone }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.source {
            Source::System => Utc::now(),
            Source::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Today in the provider's calendar.
    pub fn today(&self) -> NaiveDate {
        crate::subscriptions::period::local_date(self.now(), self.time_zone)
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// True for a hand-set clock (`fixed`).
    pub fn is_fixed(&self) -> bool {
        matches!(self.source, Source::Manual(_))
    }

    /// Moves a fixed clock to `at`; a system clock cannot be set and ignores it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Source::Manual(current) = &self.source {
            *current.lock().unwrap_or_else(PoisonError::into_inner) = at;
        }
    }

    /// Moves a fixed clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(current) = &self.source {
            let mut current = current.lock().unwrap_or_else(PoisonError::into_inner);
            *current += by;
        }
    }

    /// The same source with days in another zone.
    pub fn in_zone(&self, time_zone: Tz) -> Clock {
        Clock { source: self.source.clone(), time_zone }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Source::System => write!(f, "Clock::system({})", self.time_zone),
            Source::Manual(_) => write!(f, "Clock::fixed({}, {})", self.now().to_rfc3339(), self.time_zone),
        }
    }
}

/// Two clocks are equal when they read the same way: both the system's, or both fixed at the
/// same instant, in the same zone (settings compare by what they mean).
impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        self.time_zone == other.time_zone
            && match (&self.source, &other.source) {
                (Source::System, Source::System) => true,
                (Source::Manual(_), Source::Manual(_)) => self.now() == other.now(),
                _ => false,
            }
    }
}

impl Eq for Clock {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_fixed_clock_stands_still_and_moves_for_every_clone() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 22, 59, 50).single().expect("valid");
        let clock = Clock::fixed(at, chrono_tz::Europe::Berlin);
        let shared = clock.clone();
        assert_eq!(clock.now(), at);
        // 23:59:50 in Berlin is still the last day of the year.
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid"));
        shared.advance(Duration::seconds(10));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2027, 1, 1).expect("valid"));
        assert_eq!(clock.now(), at + Duration::seconds(10));
    }

    #[test]
    fn the_calendar_day_follows_the_zone_across_daylight_saving() {
        // 2027-03-28 01:30 UTC is 03:30 CEST (the clocks went forward at 02:00 CET).
        let at = Utc.with_ymd_and_hms(2027, 3, 27, 23, 30, 0).single().expect("valid");
        let berlin = Clock::fixed(at, chrono_tz::Europe::Berlin);
        assert_eq!(berlin.today(), NaiveDate::from_ymd_opt(2027, 3, 28).expect("valid"));
        assert_eq!(
            berlin.in_zone(chrono_tz::UTC).today(),
            NaiveDate::from_ymd_opt(2027, 3, 27).expect("valid")
        );
    }

    #[test]
    fn a_system_clock_ignores_set_and_reads_the_machine() {
        let clock = Clock::system(chrono_tz::UTC);
        clock.set(Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single().expect("valid"));
        assert!(clock.now().timestamp() > 946_684_800);
        assert!(!clock.is_fixed());
    }
}
