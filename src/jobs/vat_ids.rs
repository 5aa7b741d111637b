//! The VIES re-check of business customers' VAT IDs as the edges start it (the worker every
//! round, `kontor vat check-ids`): with the configured VIES and clock.

use crate::config::Settings;
use crate::tax::vies::recheck::{self, Scope, Summary};
use crate::tax::vies::{Answer, Business, ViesError};

/// How many checks one round of the worker makes at most, so a VIES that answers slowly for
/// thousands of customers (the last days of a quarter) never holds mail delivery up for long.
pub const PER_ROUND: i64 = 50;

/// Whoever is due now (see `tax::vies::recheck`), with the window's first day in the
/// provider's calendar.
pub fn due_scope(settings: &Settings) -> Scope {
    due_at(settings.clock.now(), settings.time_zone)
}

fn due_at(now: chrono::DateTime<chrono::Utc>, time_zone: chrono_tz::Tz) -> Scope {
    use crate::subscriptions::period::{local_date, start_instant};
    let opened = recheck::window_opened(local_date(now, time_zone));
    Scope::Due { window_opened: start_instant(opened, time_zone), retry_before: now - recheck::RETRY_AFTER }
}

/// Checks the business customers in `scope` (at most `limit`); `progress` hears of each check
/// with the number of checks to make.
pub fn run_configured(
    settings: &Settings,
    pool: &crate::db::PgPool,
    scope: Scope,
    limit: Option<i64>,
    mut progress: impl FnMut(usize, usize, &Business, &Answer),
) -> Result<Summary, ViesError> {
    let list = {
        let mut conn = pool.get().map_err(ViesError::Pool)?;
        recheck::businesses(&mut conn, scope, limit, settings.clock.now())?
    };
    let total = list.len();
    let clock = settings.clock.clone();
    recheck::run(pool, &settings.vies(), &move || clock.now(), &list, |n, business, answer| {
        progress(n, total, business, answer)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_counts_from_the_window_in_the_providers_days() {
        let now: chrono::DateTime<chrono::Utc> = "2026-12-30T10:00:00Z".parse().unwrap();
        let Scope::Due { window_opened, retry_before } = due_at(now, chrono_tz::Europe::Berlin) else {
            panic!("a due scope")
        };
        assert_eq!(window_opened, "2026-12-28T23:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
        assert_eq!(retry_before, now - recheck::RETRY_AFTER);
    }
}
