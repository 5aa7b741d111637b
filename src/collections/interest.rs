//! Default interest (§ 288 BGB): the base rate in force on each day plus the customer type's
//! points, on the open amount, from the day of default. The day count is actual/365: every
//! calendar day counts, and a year is 365 days, leap years too; the letter says "N days at X %
//! p.a." for each stretch of one rate, and each stretch is rounded to the cent on its own, so
//! the letter's lines add up to exactly what was charged.

use chrono::NaiveDate;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::CollectionsError;
use crate::money::Money;

/// Days in the year the rate is per: actual/365.
pub const DAYS_PER_YEAR: i64 = 365;

/// A base rate (percent) in force from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseRate {
    pub valid_from: NaiveDate,
    pub rate: Decimal,
}

/// One stretch of days at one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    pub from: NaiveDate,
    /// The last day, inclusive.
    pub until: NaiveDate,
    pub days: i64,
    /// Percent per year (base rate + points).
    pub rate: Decimal,
    pub amount: Money,
}

/// The interest on `principal` for the days `from..=until` at the base rates (any order) plus
/// `points`; empty when `until` is before `from` or the principal is not positive.
pub fn stretches(
    principal: Money,
    from: NaiveDate,
    until: NaiveDate,
    rates: &[BaseRate],
    points: Decimal,
) -> Result<Vec<Stretch>, CollectionsError> {
    if until < from || !principal.is_positive() {
        return Ok(Vec::new());
    }
    let mut rates = rates.to_vec();
    rates.sort_by_key(|r| r.valid_from);
    let mut out = Vec::new();
    let mut day = from;
    while day <= until {
        let current =
            rates.iter().rev().find(|r| r.valid_from <= day).ok_or(CollectionsError::NoBaseRate(day))?;
        let next_change = rates.iter().find(|r| r.valid_from > day).map(|r| r.valid_from);
        let end = match next_change {
            Some(change) if change <= until => change.pred_opt().unwrap_or(until),
            _ => until,
        };
        let days = (end - day).num_days() + 1;
        let rate = current.rate + points;
        let amount = Money::new(
            principal.amount() * rate * Decimal::from(days) / Decimal::from(100 * DAYS_PER_YEAR),
            principal.currency(),
        )
        .round();
        out.push(Stretch { from: day, until: end, days, rate, amount });
        day = match end.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }
    Ok(out)
}

/// The sum of the stretches' amounts.
pub fn total(currency: Currency, stretches: &[Stretch]) -> Result<Money, CollectionsError> {
    Ok(Money::sum(currency, stretches.iter().map(|s| s.amount))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    #[test]
    fn one_rate_counts_actual_days_over_365() {
        let rates = [BaseRate { valid_from: d(2026, 1, 1), rate: Decimal::new(127, 2) }];
        // 1,000.00 at 6.27 % for 31 days: 1000 * 0.0627 * 31 / 365 = 5.3252... -> 5.33.
        let s = stretches(eur(100_000), d(2026, 12, 1), d(2026, 12, 31), &rates, Decimal::from(5)).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].days, s[0].rate, s[0].amount), (31, Decimal::new(627, 2), eur(533)));
    }

    #[test]
    fn a_base_rate_change_splits_the_days_and_a_leap_year_counts_its_29th_of_february() {
        let rates = [
            BaseRate { valid_from: d(2028, 3, 1), rate: Decimal::new(227, 2) },
            BaseRate { valid_from: d(2026, 1, 1), rate: Decimal::new(127, 2) },
        ];
        let s = stretches(eur(100_000), d(2028, 2, 1), d(2028, 3, 10), &rates, Decimal::from(9)).unwrap();
        assert_eq!(s.len(), 2);
        // February 2028 has 29 days: 1000 * 0.1027 * 29 / 365 = 8.1597 -> 8.16.
        assert_eq!(
            (s[0].from, s[0].until, s[0].days, s[0].amount),
            (d(2028, 2, 1), d(2028, 2, 29), 29, eur(816))
        );
        // 1000 * 0.1127 * 10 / 365 = 3.0876 -> 3.09.
        assert_eq!(
            (s[1].from, s[1].days, s[1].rate, s[1].amount),
            (d(2028, 3, 1), 10, Decimal::new(1127, 2), eur(309))
        );
        assert_eq!(total(Currency::EUR, &s).unwrap(), eur(1125));
    }

    #[test]
    fn nothing_before_the_first_day_or_on_nothing_owed_and_no_rate_is_an_error() {
        let rates = [BaseRate { valid_from: d(2026, 1, 1), rate: Decimal::ONE }];
        assert!(stretches(eur(100), d(2026, 2, 2), d(2026, 2, 1), &rates, Decimal::ONE).unwrap().is_empty());
        assert!(stretches(eur(0), d(2026, 2, 1), d(2026, 2, 9), &rates, Decimal::ONE).unwrap().is_empty());
        assert!(matches!(
            stretches(eur(100), d(2025, 12, 30), d(2026, 1, 2), &rates, Decimal::ONE),
            Err(CollectionsError::NoBaseRate(_))
        ));
    }
}
