//! Charging part of a billing period. Amounts stay exact until one final rounding, and a
//! price split over pieces of a period adds back up to exactly that price.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::{Money, MoneyError};
use crate::subscriptions::period::BillingPeriod;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProrationError {
    #[error("{effective} lies outside the billing period {start} to {end} (exclusive)")]
    OutsidePeriod { effective: NaiveDate, start: NaiveDate, end: NaiveDate },
    #[error("billing period {start} to {end} has no days")]
    EmptyPeriod { start: NaiveDate, end: NaiveDate },
    #[error("price {0} is not rounded to the currency's minor unit")]
    PriceNotRounded(Money),
    #[error("cut dates must be strictly increasing and inside the billing period")]
    InvalidCuts,
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ProrationError {
    /// Every variant is a caller's bug or corrupt data, nothing a customer could correct.
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::OutsidePeriod { .. }
            | Self::EmptyPeriod { .. }
            | Self::PriceNotRounded(_)
            | Self::InvalidCuts
            | Self::Money(_) => "error-internal",
        }
    }
}

/// Days from `effective`, which counts, to the end of the period. Clamped to the period:
/// a date before it leaves every day, a date at or past its end none.
pub fn remaining_days(period: &BillingPeriod, effective: NaiveDate) -> u32 {
    let from = effective.max(period.start);
    u32::try_from(period.end.signed_duration_since(from).num_days()).unwrap_or(0)
}

/// The charge for using something from `effective` (inclusive) to the end of `period`.
///
/// Rule: remaining days / days in period, by calendar days in the provider's time zone, the
/// day of the change counted as used; rounded half away from zero to the currency's minor
/// unit, once, on the final amount.
///
/// For a non-negative price the result lies between zero and the price and never grows with
/// a later `effective`; a negative price (a credit) mirrors it. Charging consecutive pieces
/// of one period this way can exceed the price through rounding (2.99 over two 15-day
/// halves is 1.50 + 1.50); [`allocate_by_days`] splits without that.
pub fn prorate(
    monthly_price: Money,
    period: &BillingPeriod,
    effective: NaiveDate,
) -> Result<Money, ProrationError> {
    let days = period_days(period)?;
    if !period.contains(effective) {
        let (start, end) = (period.start, period.end);
        return Err(ProrationError::OutsidePeriod { effective, start, end });
    }
    let price = rounded(monthly_price)?;
    let used = price.checked_mul(Decimal::from(remaining_days(period, effective)))?;
    // Multiplying first keeps the product exact. Divided by d days, the quotient is either
    // an exact decimal or at least 1/(2d) of a minor unit away from a half, so Decimal's
    // 28-digit division cannot tip the one rounding.
    let share = used.amount().checked_div(Decimal::from(days));
    let share = share.ok_or(MoneyError::Overflow)?;
    Ok(Money::new(share, price.currency()).round())
}

/// Splits `monthly_price` over `[start, cuts[0])`, `[cuts[0], cuts[1])`, ..., `[last cut,
/// end)` in proportion to their days. The parts add up to exactly the price, each within
/// one minor unit of its exact share; rounding each piece on its own would not add up.
pub fn allocate_by_days(
    monthly_price: Money,
    period: &BillingPeriod,
    cuts: &[NaiveDate],
) -> Result<Vec<Money>, ProrationError> {
    period_days(period)?;
    let price = rounded(monthly_price)?;
    let bounds: Vec<NaiveDate> = [period.start].into_iter().chain(cuts.iter().copied()).collect();
    let ends = bounds.iter().skip(1).copied().chain([period.end]);
    let piece_days = bounds.iter().zip(ends).map(|(&from, to)| match to.signed_duration_since(from) {
        days if days.num_days() > 0 => Ok(Decimal::from(days.num_days())),
        _ => Err(ProrationError::InvalidCuts),
    });
    let weights = piece_days.collect::<Result<Vec<_>, _>>()?;
    Ok(price.allocate(&weights)?)
}

fn period_days(period: &BillingPeriod) -> Result<u32, ProrationError> {
    match period.days() {
        0 => Err(ProrationError::EmptyPeriod { start: period.start, end: period.end }),
        days => Ok(days),
    }
}

/// A price with fractions of a cent has no payable full amount: the full period would
/// charge more than the list price, or less.
fn rounded(price: Money) -> Result<Money, ProrationError> {
    if price.is_rounded() { Ok(price) } else { Err(ProrationError::PriceNotRounded(price)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subscriptions::period::{nth_period, period_containing};
    use chrono::Days;
    use iso_currency::Currency::{self, BHD, CHF, DKK, EUR, GBP, JPY, NOK, SEK};
    use proptest::prelude::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn m(text: &str, currency: Currency) -> Money {
        Money::new(text.parse().unwrap(), currency)
    }

    fn month(start: &str) -> BillingPeriod {
        nth_period(d(start), 0)
    }

    /// Price, period start, effective date, days in period, days left, charge; exact value.
    #[rustfmt::skip]
    const TABLE: &[(&str, Currency, &str, &str, u32, u32, &str)] = &[
        ("1.00", EUR, "2026-04-01", "2026-04-16", 30, 15, "0.50"),  // 15/30 = 0.5
        ("1.00", EUR, "2026-01-01", "2026-01-22", 31, 10, "0.32"),  // 10/31 = 0.3225..
        ("1.00", EUR, "2026-02-01", "2026-02-28", 28, 1, "0.04"),   // 1/28 = 0.0357..
        ("12.00", SEK, "2026-01-01", "2026-01-16", 31, 16, "6.19"), // 192/31 = 6.1935..
        ("1.00", CHF, "2026-04-01", "2026-04-01", 30, 30, "1.00"),  // first day: full price
        ("1.00", GBP, "2026-01-01", "2026-01-31", 31, 1, "0.03"),   // last day: 1/31 = 0.0322..
        ("1.00", GBP, "2026-01-01", "2026-01-16", 31, 16, "0.52"),  // 16/31 = 0.5161..
        ("12.00", NOK, "2026-02-01", "2026-02-15", 28, 14, "6.00"), // 168/28 = 6
        ("12.00", NOK, "2028-02-01", "2028-02-29", 29, 1, "0.41"),  // leap day: 12/29 = 0.4137..
        ("12.00", SEK, "2026-04-01", "2026-04-30", 30, 1, "0.40"),  // 12/30 = 0.4
        ("8.00", DKK, "2026-04-01", "2026-04-11", 30, 20, "5.33"),  // 160/30 = 5.3333..
        ("8.00", DKK, "2026-02-01", "2026-02-02", 28, 27, "7.71"),  // 216/28 = 7.7142..
        ("1.00", CHF, "2028-02-01", "2028-02-20", 29, 10, "0.34"),  // 10/29 = 0.3448..
        ("2.99", EUR, "2028-02-01", "2028-02-15", 29, 15, "1.55"),  // 44.85/29 = 1.5465..
        ("2.99", EUR, "2026-04-01", "2026-04-16", 30, 15, "1.50"),  // 44.85/30 = 1.495: half up
        ("2.99", EUR, "2026-02-01", "2026-02-15", 28, 14, "1.50"),  // 41.86/28 = 1.495: half up
        ("2.99", EUR, "2026-01-01", "2026-01-31", 31, 1, "0.10"),   // 2.99/31 = 0.0964..
        ("-2.99", EUR, "2026-04-01", "2026-04-16", 30, 15, "-1.50"), // credit: away from zero
    ];

    #[test]
    fn prorated_charges() {
        for &(price, currency, start, effective, days, left, charge) in TABLE {
            let (period, effective) = (month(start), d(effective));
            let counted = (period.days(), remaining_days(&period, effective));
            assert_eq!(counted, (days, left), "{effective}");
            let prorated = prorate(m(price, currency), &period, effective).unwrap().to_string();
            assert_eq!(prorated, format!("{charge} {}", currency.code()), "{effective}");
        }
    }

    #[test]
    fn anchored_on_the_31st() {
        let period = period_containing(d("2026-01-31"), d("2026-03-15"));
        assert_eq!((period.start, period.days()), (d("2026-02-28"), 31));
        let prorated = prorate(m("1.00", EUR), &period, d("2026-03-15"));
        assert_eq!(prorated, Ok(m("0.52", EUR)));
    }

    #[test]
    fn allocation_adds_up_where_rounding_pieces_would_not() {
        let april = month("2026-04-01");
        let show = |parts: Vec<Money>| parts.iter().map(Money::to_string).collect::<Vec<_>>();
        // Each half alone is 1.495, rounded 1.50: 3.00 for a 2.99 month.
        let second_half = prorate(m("2.99", EUR), &april, d("2026-04-16"));
        assert_eq!(second_half, Ok(m("1.50", EUR)));
        let halves = allocate_by_days(m("2.99", EUR), &april, &[d("2026-04-16")]).unwrap();
        assert_eq!(show(halves), ["1.50 EUR", "1.49 EUR"]);
        let thirds = allocate_by_days(m("1.00", CHF), &april, &[d("2026-04-11"), d("2026-04-21")]);
        assert_eq!(show(thirds.unwrap()), ["0.34 CHF", "0.33 CHF", "0.33 CHF"]);
        let whole = allocate_by_days(m("12.00", SEK), &april, &[]).unwrap();
        assert_eq!(show(whole), ["12.00 SEK"]);
    }

    #[test]
    fn errors() {
        use ProrationError as E;
        let (january, price) = (month("2026-01-01"), m("1.00", EUR));
        let (start, end) = (january.start, january.end);
        for effective in [d("2025-12-31"), end] {
            let outside = E::OutsidePeriod { effective, start, end };
            assert_eq!(prorate(price, &january, effective), Err(outside));
        }
        let (empty, no_days) = (BillingPeriod { start, end: start }, E::EmptyPeriod { start, end: start });
        assert_eq!(prorate(price, &empty, start), Err(no_days));
        assert_eq!(allocate_by_days(price, &empty, &[]), Err(no_days));
        let unrounded = m("1.005", EUR);
        assert_eq!(prorate(unrounded, &january, start), Err(E::PriceNotRounded(unrounded)));
        let overflow = Err(E::Money(MoneyError::Overflow));
        assert_eq!(prorate(Money::new(Decimal::MAX, EUR), &january, start), overflow);
        let (tenth, twentieth) = (d("2026-01-10"), d("2026-01-20"));
        let cuts =
            [vec![start], vec![end], vec![twentieth, tenth], vec![tenth, tenth], vec![d("2026-03-01")]];
        for cuts in cuts {
            assert_eq!(allocate_by_days(price, &january, &cuts), Err(E::InvalidCuts), "{cuts:?}");
        }
        assert_eq!(E::InvalidCuts.message_id(), "error-internal");
        assert_eq!(remaining_days(&january, d("2025-01-01")), 31);
        assert_eq!(remaining_days(&january, d("2027-01-01")), 0);
    }

    fn any_period() -> impl Strategy<Value = BillingPeriod> {
        let start = (0..36_890_u64).prop_map(|offset| d("2000-01-01") + Days::new(offset));
        (start, 0..24_u32).prop_map(|(anchor, n)| nth_period(anchor, n))
    }

    fn any_currency() -> impl Strategy<Value = Currency> {
        prop::sample::select(vec![EUR, CHF, SEK, NOK, DKK, GBP, JPY, BHD])
    }

    proptest! {
        #[test]
        fn prorate_is_bounded_monotone_and_rounded_once(
            minor in 0..1_000_000_000_i64,
            currency in any_currency(),
            period in any_period(),
            (a, b) in (0..31_u32, 0..31_u32),
        ) {
            let (price, days) = (Money::from_minor(minor, currency), period.days());
            let (early, late) = (a.min(b) % days, a.max(b) % days);
            let (early, late) = (early.min(late), early.max(late));
            let at = |offset: u32| prorate(price, &period, period.start + Days::new(offset.into()));
            let (first, second) = (at(early)?, at(late)?);
            prop_assert_eq!(at(0)?, price);
            prop_assert!(second.amount() <= first.amount() && first.amount() <= price.amount());
            prop_assert!(!second.is_negative());
            // Integer model: price * left / days, an exact half rounding up.
            let left = i128::from(days - late);
            let model = (2 * i128::from(minor) * left + i128::from(days)) / (2 * i128::from(days));
            prop_assert_eq!(i128::from(second.to_minor()?), model);
        }

        #[test]
        fn allocation_sums_to_the_price(
            minor in -1_000_000_000_i64..1_000_000_000,
            currency in any_currency(),
            period in any_period(),
            offsets in prop::collection::btree_set(1..31_u64, 0..8),
        ) {
            let (price, days) = (Money::from_minor(minor, currency), period.days());
            let inside = offsets.into_iter().filter(|&offset| offset < u64::from(days));
            let cuts: Vec<NaiveDate> = inside.map(|offset| period.start + Days::new(offset)).collect();
            let parts = allocate_by_days(price, &period, &cuts)?;
            prop_assert_eq!(Money::sum(currency, parts.clone())?, price);
            let bounds = [period.start].into_iter().chain(cuts.iter().copied());
            let ends = cuts.iter().copied().chain([period.end]);
            prop_assert_eq!(parts.len(), cuts.len() + 1);
            for ((from, to), part) in bounds.zip(ends).zip(&parts) {
                let piece = i128::from(to.signed_duration_since(from).num_days());
                let deviation = i128::from(part.to_minor()?) * i128::from(days) - i128::from(minor) * piece;
                prop_assert!(deviation.abs() < i128::from(days), "{} off by {}/{}", part, deviation, days);
            }
        }
    }
}
