//! Standard VAT rates with validity periods: a supply is taxed at the rate valid on its supply date,
//! so an invoice for an old period stays correct after a rate change.
//!
//! Source type: EU VAT rates database (TEDB, European Commission) and the national laws behind it;
//! CH: MWSTG, NO: merverdiavgiftsloven, GB: VATA 1994. Last checked: 2026-11 (no standard-rate change
//! had been announced for 2026). Only changes we are sure of are listed; the history starts in 2020
//! because Kontor has no earlier supplies. PT is mainland Portugal (Azores and Madeira have lower rates).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::country::Country::{self, *};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateEntry {
    pub country: Country,
    /// Percent: 19 means 19 %.
    pub rate: Decimal,
    pub valid_from: NaiveDate,
    /// Exclusive, so the next entry's `valid_from` equals it; `None` while the rate is in force.
    pub valid_to: Option<NaiveDate>,
}

/// Evaluated only in the statics below, so a mistyped date fails the build, never an invoice run.
#[allow(clippy::panic, reason = "const evaluation only: an invalid date is a compile error")]
const fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in VAT rate table"),
    }
}

/// `pct(25, 5)` is 25.5 %; whole rates keep scale 0 so they print as "19", not "19.0".
const fn pct(whole: u32, tenths: u32) -> Decimal {
    if tenths == 0 {
        Decimal::from_parts(whole, 0, 0, false, 0)
    } else {
        Decimal::from_parts(whole * 10 + tenths, 0, 0, false, 1)
    }
}

const fn e(country: Country, rate: Decimal, valid_from: NaiveDate, valid_to: Option<NaiveDate>) -> RateEntry {
    RateEntry { country, rate, valid_from, valid_to }
}

const START: NaiveDate = d(2020, 1, 1);

#[rustfmt::skip]
pub static EU_STANDARD_RATES: &[RateEntry] = &[
    e(Austria, pct(20, 0), START, None),
    e(Belgium, pct(21, 0), START, None),
    e(Bulgaria, pct(20, 0), START, None),
    e(Croatia, pct(25, 0), START, None),
    e(Cyprus, pct(19, 0), START, None),
    e(Czechia, pct(21, 0), START, None),
    e(Denmark, pct(25, 0), START, None),
    e(Estonia, pct(20, 0), START, Some(d(2024, 1, 1))),
    e(Estonia, pct(22, 0), d(2024, 1, 1), Some(d(2025, 7, 1))),
    e(Estonia, pct(24, 0), d(2025, 7, 1), None),
    e(Finland, pct(24, 0), START, Some(d(2024, 9, 1))),
    e(Finland, pct(25, 5), d(2024, 9, 1), None),
    e(France, pct(20, 0), START, None),
    // Temporary COVID-19 reduction of the second half of 2020.
    e(Germany, pct(19, 0), START, Some(d(2020, 7, 1))),
    e(Germany, pct(16, 0), d(2020, 7, 1), Some(d(2021, 1, 1))),
    e(Germany, pct(19, 0), d(2021, 1, 1), None),
    e(Greece, pct(24, 0), START, None),
    e(Hungary, pct(27, 0), START, None),
    // Temporary COVID-19 reduction, 2020-09-01 to 2021-02-28.
    e(Ireland, pct(23, 0), START, Some(d(2020, 9, 1))),
    e(Ireland, pct(21, 0), d(2020, 9, 1), Some(d(2021, 3, 1))),
    e(Ireland, pct(23, 0), d(2021, 3, 1), None),
    e(Italy, pct(22, 0), START, None),
    e(Latvia, pct(21, 0), START, None),
    e(Lithuania, pct(21, 0), START, None),
    // Temporary energy-crisis reduction for 2023.
    e(Luxembourg, pct(17, 0), START, Some(d(2023, 1, 1))),
    e(Luxembourg, pct(16, 0), d(2023, 1, 1), Some(d(2024, 1, 1))),
    e(Luxembourg, pct(17, 0), d(2024, 1, 1), None),
    e(Malta, pct(18, 0), START, None),
    e(Netherlands, pct(21, 0), START, None),
    e(Poland, pct(23, 0), START, None),
    e(Portugal, pct(23, 0), START, None),
    e(Romania, pct(19, 0), START, Some(d(2025, 8, 1))),
    e(Romania, pct(21, 0), d(2025, 8, 1), None),
    e(Slovakia, pct(20, 0), START, Some(d(2025, 1, 1))),
    e(Slovakia, pct(23, 0), d(2025, 1, 1), None),
    e(Slovenia, pct(22, 0), START, None),
    e(Spain, pct(21, 0), START, None),
    e(Sweden, pct(25, 0), START, None),
];

/// Consulted only for countries in `Seller::registered_outside_eu`: without a local registration
/// these supplies carry no VAT of ours at all.
#[rustfmt::skip]
pub static NON_EU_STANDARD_RATES: &[RateEntry] = &[
    e(Switzerland, pct(7, 7), START, Some(d(2024, 1, 1))),
    e(Switzerland, pct(8, 1), d(2024, 1, 1), None),
    e(Norway, pct(25, 0), START, None),
    e(UnitedKingdom, pct(20, 0), START, None),
];

/// The rate of `country` valid on `date`, from the table that applies to it.
pub fn standard_rate(country: Country, date: NaiveDate) -> Option<Decimal> {
    let table = if country.is_eu() { EU_STANDARD_RATES } else { NON_EU_STANDARD_RATES };
    table
        .iter()
        .find(|entry| {
            entry.country == country
                && entry.valid_from <= date
                && entry.valid_to.is_none_or(|valid_to| date < valid_to)
        })
        .map(|entry| entry.rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_has_one_gapless_history() {
        for table in [EU_STANDARD_RATES, NON_EU_STANDARD_RATES] {
            for country in Country::ALL {
                let entries: Vec<_> = table.iter().filter(|e| e.country == country).collect();
                for pair in entries.windows(2) {
                    assert_eq!(pair[0].valid_to, Some(pair[1].valid_from), "{country}: gap or overlap");
                }
                for entry in &entries {
                    assert!(entry.valid_to.is_none_or(|to| entry.valid_from < to), "{country}: empty period");
                    assert!(entry.rate > Decimal::ZERO && entry.rate < Decimal::ONE_HUNDRED);
                }
                if let Some(last) = entries.last() {
                    assert_eq!(last.valid_to, None, "{country}: last rate must be open-ended");
                }
            }
        }
        assert!(EU_STANDARD_RATES.iter().all(|e| e.country.is_eu()));
        assert!(NON_EU_STANDARD_RATES.iter().all(|e| !e.country.is_eu()));
        let on = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        for country in Country::ALL {
            let valid = EU_STANDARD_RATES.iter().chain(NON_EU_STANDARD_RATES).filter(|e| {
                e.country == country && e.valid_from <= on && e.valid_to.is_none_or(|to| on < to)
            });
            assert_eq!(valid.count(), 1, "{country}");
            assert!(standard_rate(country, on).is_some());
        }
    }

    #[test]
    fn known_changes() {
        let rate = |country, y, m, d| standard_rate(country, NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let p = |text: &str| text.parse::<Decimal>().ok();
        assert_eq!(rate(Germany, 2020, 6, 30), p("19"));
        assert_eq!(rate(Germany, 2020, 7, 1), p("16"));
        assert_eq!(rate(Germany, 2021, 1, 1), p("19"));
        assert_eq!(rate(Estonia, 2023, 12, 31), p("20"));
        assert_eq!(rate(Estonia, 2024, 1, 1), p("22"));
        assert_eq!(rate(Estonia, 2025, 6, 30), p("22"));
        assert_eq!(rate(Slovakia, 2024, 12, 31), p("20"));
        assert_eq!(rate(Slovakia, 2025, 1, 1), p("23"));
        assert_eq!(rate(Romania, 2025, 7, 31), p("19"));
        assert_eq!(rate(Romania, 2025, 8, 1), p("21"));
        assert_eq!(rate(Luxembourg, 2023, 12, 31), p("16"));
        assert_eq!(rate(Luxembourg, 2024, 1, 1), p("17"));
        assert_eq!(rate(Ireland, 2021, 2, 28), p("21"));
        assert_eq!(rate(Ireland, 2021, 3, 1), p("23"));
        assert_eq!(rate(Switzerland, 2023, 12, 31), p("7.7"));
        assert_eq!(rate(Switzerland, 2024, 1, 1), p("8.1"));
        assert_eq!(rate(Finland, 2024, 9, 1).map(|r| r.to_string()).as_deref(), Some("25.5"));
        assert_eq!(rate(Germany, 2026, 1, 1).map(|r| r.to_string()).as_deref(), Some("19"));
        assert_eq!(rate(Austria, 2019, 12, 31), None);
    }
}
