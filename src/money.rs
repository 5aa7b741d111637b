//! Money for Kontor: an exact decimal amount tied to one ISO 4217 currency. Never `f64` (it
//! cannot hold 0.10); mixing currencies and overflow are errors, not panics; rounding happens
//! only in [`Money::round_with`], so every rounding decision is findable.

use std::cmp::Reverse;
use std::fmt;
use std::ops::Neg;

use iso_currency::Currency;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A quadrillion (leading zeros aside); a longer number typed into a billing form is a typo.
const MAX_INTEGER_DIGITS: usize = 15;

/// Decimal places of the minor unit (EUR 2, JPY 0; none in ISO 4217 counts as 0). Capped at
/// Decimal's maximum scale so nothing built on it can panic; ISO's largest is 4 anyway.
pub fn minor_units(currency: Currency) -> u32 {
    u32::from(currency.exponent().unwrap_or(0)).min(Decimal::MAX_SCALE)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {} with {}", .left.code(), .right.code())]
    CurrencyMismatch { left: Currency, right: Currency },
    #[error("amount out of range")]
    Overflow,
    #[error("amount is not rounded to the currency's minor unit")]
    NotRounded,
    #[error("weights must be non-negative with a positive sum")]
    InvalidWeights,
    #[error("cannot split into zero parts")]
    NoParts,
}

impl MoneyError {
    /// Fluent message id: the UI translates it, the `Display` text is only for logs.
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::CurrencyMismatch { .. } => "money-currency-mismatch",
            Self::Overflow => "money-overflow",
            Self::NotRounded => "money-not-rounded",
            Self::InvalidWeights => "money-invalid-weights",
            Self::NoParts => "money-no-parts",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum MoneyParseError {
    #[error("no amount given")]
    Empty,
    #[error("amount contains invalid characters")]
    InvalidCharacters,
    #[error("at most {allowed} decimal places allowed")]
    TooManyDecimals { allowed: u32 },
    #[error("amount too large")]
    TooLarge,
}

impl MoneyParseError {
    /// Fluent message id: the UI translates it, the `Display` text is only for logs.
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::Empty => "money-parse-empty",
            Self::InvalidCharacters => "money-parse-invalid",
            Self::TooManyDecimals { .. } => "money-parse-too-many-decimals",
            Self::TooLarge => "money-parse-too-large",
        }
    }
}

/// How an amount is brought to a payable precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundingRule {
    /// To the currency's minor unit, an exact half away from zero
    /// (0.005 EUR -> 0.01, -0.005 EUR -> -0.01, 2.5 JPY -> 3).
    HalfAwayFromZero,
    /// Swiss cash rounding to the nearest 0.05 (5 Rappen), an exact half away from zero
    /// (1.025 -> 1.05, 1.024 -> 1.00, -1.025 -> -1.05). Meant for CHF cash payments.
    CashFiveRappen,
}

/// JSON form `{"amount":"12.34","currency":"EUR"}`: a string, so no reader turns it into a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "MoneyRepr", try_from = "MoneyRepr")]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Exact, not rounded: intermediate results such as tax shares keep their precision.
    pub fn new(mut amount: Decimal, currency: Currency) -> Money {
        // Decimal keeps a sign on zero; "-0.00 EUR" on an invoice reads like a bug.
        if amount.is_zero() {
            amount.set_sign_positive(true);
        }
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// `from_minor(1234, EUR)` is 12.34 EUR.
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money::new(Decimal::new(minor, minor_units(currency)), currency)
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        self.amount.is_sign_positive() && !self.is_zero()
    }

    /// 12.34 EUR -> 1234; refuses rather than rounding silently.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        if !self.is_rounded() {
            return Err(MoneyError::NotRounded);
        }
        let unit = Decimal::new(1, minor_units(self.currency));
        let minor = self.amount.checked_div(unit).and_then(|m| m.to_i64());
        minor.ok_or(MoneyError::Overflow)
    }

    fn combine(self, other: Money, op: fn(Decimal, Decimal) -> Option<Decimal>) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            let (left, right) = (self.currency, other.currency);
            return Err(MoneyError::CurrencyMismatch { left, right });
        }
        self.checked(op(self.amount, other.amount))
    }

    fn checked(self, amount: Option<Decimal>) -> Result<Money, MoneyError> {
        let money = amount.map(|amount| Money::new(amount, self.currency));
        money.ok_or(MoneyError::Overflow)
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.combine(other, Decimal::checked_add)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.combine(other, Decimal::checked_sub)
    }

    /// Cannot fail (Decimal has a sign bit); a `Result` so it chains like its siblings.
    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        Ok(-self)
    }

    /// Exact product: round once at the end of a calculation, not after every step.
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, MoneyError> {
        self.checked(self.amount.checked_mul(factor))
    }

    /// The currency is needed because an empty sum still has to be zero of something.
    pub fn sum<I>(currency: Currency, items: I) -> Result<Money, MoneyError>
    where
        I: IntoIterator<Item = Money>,
    {
        let zero = Money::zero(currency);
        items.into_iter().try_fold(zero, Money::checked_add)
    }

    pub fn round(self) -> Money {
        self.round_with(RoundingRule::HalfAwayFromZero)
    }

    pub fn round_with(self, rule: RoundingRule) -> Money {
        let amount = match rule {
            RoundingRule::HalfAwayFromZero => self
                .amount
                .round_dp_with_strategy(minor_units(self.currency), RoundingStrategy::MidpointAwayFromZero),
            RoundingRule::CashFiveRappen => round_to_five_hundredths(self.amount),
        };
        Money::new(amount, self.currency)
    }

    pub fn is_rounded(&self) -> bool {
        self.amount.trunc_with_scale(minor_units(self.currency)) == self.amount
    }

    /// Splits a rounded amount in proportion to `weights` into rounded parts that sum exactly
    /// to it: each part gets its share truncated toward zero, then the leftover minor units
    /// go one each to the largest remainders, earlier parts first on ties.
    pub fn allocate(self, weights: &[Decimal]) -> Result<Vec<Money>, MoneyError> {
        if weights.is_empty() || weights.iter().any(|weight| *weight < Decimal::ZERO) {
            return Err(MoneyError::InvalidWeights);
        }
        let total = i128::from(self.to_minor()?);
        // Integer weights put every share over one denominator, so remainders compare
        // exactly; Decimal division would round at the 28th digit and misplace a cent.
        let weights = integer_weights(weights)?;
        let weight_sum = weights.iter().try_fold(0_i128, |sum, w| sum.checked_add(*w));
        let weight_sum = weight_sum.ok_or(MoneyError::Overflow)?;
        if weight_sum == 0 {
            return Err(MoneyError::InvalidWeights);
        }
        let mut shares = Vec::with_capacity(weights.len());
        for (index, weight) in weights.into_iter().enumerate() {
            let exact = total.abs().checked_mul(weight);
            let exact = exact.ok_or(MoneyError::Overflow)?;
            shares.push((index, exact / weight_sum, exact % weight_sum));
        }
        // Truncation loses less than one unit per part, so this is below the part count.
        let leftover = total.abs() - shares.iter().map(|share| share.1).sum::<i128>();
        let leftover = usize::try_from(leftover).map_err(|_| MoneyError::Overflow)?;
        shares.sort_by_key(|&(index, _, remainder)| (Reverse(remainder), index));
        for share in shares.iter_mut().take(leftover) {
            share.1 += 1;
        }
        shares.sort_by_key(|share| share.0);
        let sign = total.signum();
        let to_money = |(_, units, _): (usize, i128, i128)| {
            let minor = i64::try_from(units * sign).map_err(|_| MoneyError::Overflow)?;
            Ok(Money::from_minor(minor, self.currency))
        };
        shares.into_iter().map(to_money).collect()
    }

    pub fn split_evenly(self, parts: usize) -> Result<Vec<Money>, MoneyError> {
        if parts == 0 {
            return Err(MoneyError::NoParts);
        }
        self.allocate(&vec![Decimal::ONE; parts])
    }

    /// What a person typed: `12`, ` -3.10 `, `12,50` (comma for German-speaking users).
    /// Exponents, thousands separators and surplus decimals are rejected, not guessed at.
    pub fn parse(input: &str, currency: Currency) -> Result<Money, MoneyParseError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (negative, integer, fraction) = split_plain(input).ok_or(MoneyParseError::InvalidCharacters)?;
        let allowed = minor_units(currency);
        if fraction.len() > allowed as usize {
            return Err(MoneyParseError::TooManyDecimals { allowed });
        }
        if integer.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
            return Err(MoneyParseError::TooLarge);
        }
        let amount = plain_decimal(negative, integer, fraction).ok_or(MoneyParseError::TooLarge)?;
        Ok(Money::new(amount, currency))
    }

    /// `12.30` rather than `12.3` once rounded, so columns line up; the exact value otherwise.
    fn plain_amount(&self) -> String {
        if self.is_rounded() {
            format!("{:.*}", minor_units(self.currency) as usize, self.amount)
        } else {
            self.amount.to_string()
        }
    }
}

impl Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        Money::new(-self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.plain_amount(), self.currency.code())
    }
}

/// 0.05 is half a tenth, so the nearest multiple follows from the exact rest below the tenth.
/// Scaling by 20 instead would drop the last digit of a 28-digit amount and could round wrong.
fn round_to_five_hundredths(amount: Decimal) -> Decimal {
    let tenths = amount.round_dp_with_strategy(1, RoundingStrategy::ToZero);
    let rest = amount.checked_sub(tenths).unwrap_or(Decimal::ZERO).abs();
    let step = match rest {
        r if r < Decimal::new(25, 3) => return tenths,
        r if r < Decimal::new(75, 3) => Decimal::new(5, 2),
        _ => Decimal::new(1, 1),
    };
    let signed = if amount.is_sign_negative() { -step } else { step };
    tenths.checked_add(signed).unwrap_or(amount)
}

/// Integers in the same ratio as `weights`, divided by their gcd to keep the products small.
fn integer_weights(weights: &[Decimal]) -> Result<Vec<i128>, MoneyError> {
    let weights: Vec<Decimal> = weights.iter().map(Decimal::normalize).collect();
    let scale = weights.iter().map(Decimal::scale).max().unwrap_or(0);
    let scaled = weights.iter().map(|weight| {
        let factor = 10_i128.checked_pow(scale - weight.scale());
        factor.and_then(|factor| weight.mantissa().checked_mul(factor))
    });
    let integers: Vec<i128> = scaled.collect::<Option<_>>().ok_or(MoneyError::Overflow)?;
    let divisor = integers.iter().fold(0, |d, &w| gcd(d, w)).max(1);
    Ok(integers.into_iter().map(|w| w / divisor).collect())
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Splits `[+-]digits[(.|,)digits]` into sign, integer and fraction digits; None otherwise.
fn split_plain(text: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (integer, fraction) = match unsigned.split_once(['.', ',']) {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (unsigned, ""),
    };
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let valid = !integer.is_empty() && digits(integer) && digits(fraction);
    valid.then_some((negative, integer, fraction))
}

/// Builds the number from digits that `split_plain` has vetted; None if Decimal cannot hold it.
fn plain_decimal(negative: bool, integer: &str, fraction: &str) -> Option<Decimal> {
    let mut digits = integer.bytes().chain(fraction.bytes());
    let mantissa =
        digits.try_fold(0_i128, |acc, digit| acc.checked_mul(10)?.checked_add(i128::from(digit - b'0')))?;
    let mantissa = if negative { -mantissa } else { mantissa };
    Decimal::try_from_i128_with_scale(mantissa, u32::try_from(fraction.len()).ok()?).ok()
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyRepr {
    amount: String,
    currency: String,
}

impl From<Money> for MoneyRepr {
    fn from(money: Money) -> Self {
        let (amount, currency) = (money.plain_amount(), money.currency.code().into());
        MoneyRepr { amount, currency }
    }
}

impl TryFrom<MoneyRepr> for Money {
    type Error = String;

    fn try_from(MoneyRepr { amount, currency }: MoneyRepr) -> Result<Self, String> {
        let code = Currency::from_code(&currency);
        let code = code.ok_or_else(|| format!("unknown currency code {currency:?}"))?;
        let number = split_plain(&amount).and_then(|(sign, int, frac)| plain_decimal(sign, int, frac));
        let number = number.ok_or_else(|| format!("invalid amount {amount:?}"))?;
        Ok(Money::new(number, code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MoneyError::*;
    use iso_currency::Currency::{BHD, CHF, EUR, JPY, USD};
    use proptest::prelude::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn m(text: &str, currency: Currency) -> Money {
        Money::new(dec(text), currency)
    }

    fn eur(text: &str) -> Money {
        m(text, EUR)
    }

    fn show(parts: Result<Vec<Money>, MoneyError>) -> Vec<String> {
        parts.unwrap().iter().map(Money::to_string).collect()
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let mismatch = Err(CurrencyMismatch { left: EUR, right: USD });
        assert_eq!(eur("1").checked_add(m("1", USD)), mismatch);
        assert_eq!(eur("1").checked_sub(m("1", USD)), mismatch);
        assert_eq!(Money::sum(EUR, [eur("1"), m("1", USD)]), mismatch);
        assert_eq!(Money::sum(EUR, [eur("1.5"), eur("2")]), Ok(eur("3.5")));
        assert_eq!(Money::sum(JPY, []), Ok(Money::zero(JPY)));
    }

    #[test]
    fn arithmetic_is_exact_and_overflow_is_an_error() {
        let max = Money::new(Decimal::MAX, EUR);
        assert_eq!(Money::from_minor(1234, EUR), eur("12.34"));
        assert_eq!(Money::from_minor(-7, JPY).to_minor(), Ok(-7));
        assert_eq!(eur("1.99").checked_mul(dec("0.19")), Ok(eur("0.3781")));
        assert_eq!(eur("0.005").to_minor(), Err(NotRounded));
        assert_eq!(max.to_minor(), Err(Overflow));
        assert_eq!(max.checked_add(eur("1")), Err(Overflow));
        assert_eq!((-max).checked_sub(eur("1")), Err(Overflow));
        assert_eq!(max.checked_mul(dec("2")), Err(Overflow));
        assert_eq!(eur("2.5").checked_neg(), Ok(eur("-2.5")));
        assert!(eur("-0.01").is_negative() && eur("0.01").is_positive());
        assert!(!(-Money::zero(EUR)).is_negative() && Money::zero(EUR).is_zero());
        assert_eq!(Overflow.message_id(), "money-overflow");
    }

    #[test]
    fn rounding_examples() {
        assert_eq!(eur("0.005").round(), eur("0.01"));
        assert_eq!(eur("-0.005").round(), eur("-0.01"));
        assert_eq!(eur("0.0049").round(), Money::zero(EUR));
        assert_eq!(m("2.5", JPY).round(), m("3", JPY));
        assert_eq!(m("1.0005", BHD).round(), m("1.001", BHD));
        let cash = |text| m(text, CHF).round_with(RoundingRule::CashFiveRappen);
        assert_eq!(cash("1.025").to_string(), "1.05 CHF");
        assert_eq!(cash("1.024").to_string(), "1.00 CHF");
        assert_eq!(cash("-1.025").to_string(), "-1.05 CHF");
        assert_eq!(cash("1.075").to_string(), "1.10 CHF");
        // 20 times this needs 30 digits; scaling by 20 would round it up to x.x5.
        assert_eq!(cash("51.024999999999999999999999999"), m("51", CHF));
        assert!(eur("1.50").is_rounded() && !eur("1.505").is_rounded());
    }

    #[test]
    fn display_is_plain() {
        assert_eq!(eur("12.5").to_string(), "12.50 EUR");
        assert_eq!(eur("-0.001").round().to_string(), "0.00 EUR");
        assert_eq!(eur("0.005").to_string(), "0.005 EUR");
        assert_eq!(m("7", JPY).to_string(), "7 JPY");
    }

    #[test]
    fn allocation_examples() {
        let weights = |weights: &[u32]| weights.iter().map(|&w| w.into()).collect::<Vec<_>>();
        let parts = |text, w: &[u32]| show(eur(text).allocate(&weights(w)));
        let thirds = show(eur("100.00").split_evenly(3));
        assert_eq!(thirds, ["33.34 EUR", "33.33 EUR", "33.33 EUR"]);
        assert_eq!(parts("0.05", &[1, 1]), ["0.03 EUR", "0.02 EUR"]);
        assert_eq!(parts("-0.05", &[1, 1]), ["-0.03 EUR", "-0.02 EUR"]);
        let negative = ["0.00 EUR", "-0.33 EUR", "-0.67 EUR"];
        assert_eq!(parts("-1", &[0, 1, 2]), negative);
        assert_eq!(parts("0", &[1, 2]), ["0.00 EUR", "0.00 EUR"]);
        let fractional = eur("10").allocate(&[dec("0.5"), dec("0.25")]);
        assert_eq!(show(fractional), ["6.67 EUR", "3.33 EUR"]);
        assert_eq!(eur("1").allocate(&[]), Err(InvalidWeights));
        assert_eq!(eur("1").allocate(&weights(&[0, 0])), Err(InvalidWeights));
        let negative_weight = [dec("1"), dec("-1")];
        assert_eq!(eur("1").allocate(&negative_weight), Err(InvalidWeights));
        assert_eq!(eur("1.005").allocate(&weights(&[1])), Err(NotRounded));
        assert_eq!(eur("1").split_evenly(0), Err(NoParts));
    }

    #[test]
    fn parse_accepts_plain_input() {
        let parse = |text| Money::parse(text, EUR);
        assert_eq!(parse("12"), Ok(eur("12")));
        assert_eq!(parse("12.5"), Ok(eur("12.5")));
        assert_eq!(parse("12,50"), Ok(eur("12.5")));
        assert_eq!(parse(" -3.10 "), Ok(eur("-3.1")));
        assert_eq!(parse("+4"), Ok(eur("4")));
        assert_eq!(parse("-0").unwrap().to_string(), "0.00 EUR");
    }

    #[test]
    fn parse_rejects_garbage() {
        use MoneyParseError::*;
        let parse = |text| Money::parse(text, EUR);
        let garbage = ["abc", "1e5", "NaN", "inf", "0x10", "1 000", "1,2,3", "1.2.3"];
        for input in garbage.into_iter().chain(["1.", ".5", "--1", "-", "+-1", "١٢"]) {
            assert_eq!(parse(input), Err(InvalidCharacters), "{input:?}");
        }
        assert_eq!(parse(" \t"), Err(Empty));
        assert_eq!(parse("1.234"), Err(TooManyDecimals { allowed: 2 }));
        assert_eq!(Money::parse("1.5", JPY), Err(TooManyDecimals { allowed: 0 }));
        assert_eq!(parse("1234567890123456"), Err(TooLarge));
        assert_eq!(parse("999999999999999.99"), Ok(eur("999999999999999.99")));
        assert_eq!(TooLarge.message_id(), "money-parse-too-large");
    }

    #[test]
    fn serde_keeps_the_amount_a_string() {
        let from_json = |json: &str| serde_json::from_str::<Money>(json);
        let json = serde_json::to_string(&eur("12.3")).unwrap();
        assert_eq!(json, r#"{"amount":"12.30","currency":"EUR"}"#);
        assert_eq!(from_json(&json).unwrap(), eur("12.3"));
        let exact = serde_json::to_string(&eur("-0.0049")).unwrap();
        assert_eq!(from_json(&exact).unwrap(), eur("-0.0049"));
        assert!(from_json(r#"{"amount":"1","currency":"XYZ"}"#).is_err());
        assert!(from_json(r#"{"amount":1.5,"currency":"EUR"}"#).is_err());
        assert!(from_json(r#"{"amount":"1e5","currency":"EUR"}"#).is_err());
    }

    /// Sum exact, parts rounded, |part - total * w / W| < 1 minor unit (compared in integers).
    fn check_parts(total: i64, weights: &[u32], parts: &[Money]) -> Result<(), TestCaseError> {
        let weight_sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
        let sum = Money::sum(EUR, parts.to_vec());
        prop_assert_eq!(sum, Ok(Money::from_minor(total, EUR)));
        prop_assert_eq!(parts.len(), weights.len());
        for (part, &weight) in parts.iter().zip(weights) {
            let exact = i128::from(total) * i128::from(weight);
            let deviation = i128::from(part.to_minor()?) * weight_sum - exact;
            prop_assert!(deviation.abs() < weight_sum, "{part} is off by {deviation}");
        }
        Ok(())
    }

    const TOTALS: std::ops::Range<i64> = -1_000_000_000_000..1_000_000_000_000;

    proptest! {
        #[test]
        fn allocate_sums_exactly(
            total in TOTALS,
            weights in prop::collection::vec(0_u32..1000, 1..50)
                .prop_filter("a positive weight", |w| w.iter().any(|&w| w > 0)),
        ) {
            let decimals: Vec<Decimal> = weights.iter().map(|&w| w.into()).collect();
            let parts = Money::from_minor(total, EUR).allocate(&decimals)?;
            check_parts(total, &weights, &parts)?;
        }

        #[test]
        fn split_evenly_sums_exactly(total in TOTALS, count in 1_usize..50) {
            let parts = Money::from_minor(total, EUR).split_evenly(count)?;
            check_parts(total, &vec![1; count], &parts)?;
        }

        #[test]
        fn formatted_amounts_parse_back(
            minor in -999_999_999_999_999_i64..=999_999_999_999_999,
            currency in prop::sample::select(vec![EUR, JPY, CHF, BHD]),
        ) {
            let money = Money::from_minor(minor, currency);
            let text = money.to_string();
            let amount = text.strip_suffix(currency.code()).unwrap().trim_end();
            prop_assert_eq!(Money::parse(amount, currency), Ok(money));
        }
    }
}
