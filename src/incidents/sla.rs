//! SLA policies as data and the credit they grant: availability in a period against credit
//! tiers, full credit beyond a number of hours down, capped at the period's fee, with rules for
//! trials and cancelled subscriptions. Exact arithmetic: availability is compared by cross
//! multiplication of integers and decimals, amounts are `Money` rounded half-up once.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// Availability in percent below which this tier applies (e.g. 99.9).
    pub below: Decimal,
    /// Credit in percent of the period's fee.
    pub percent: Decimal,
}

/// What trials and cancelled subscriptions get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    None,
    ProRata,
    Full,
}

impl Rule {
    pub fn parse(text: &str) -> Option<Rule> {
        match text {
            "none" => Some(Rule::None),
            "pro_rata" => Some(Rule::ProRata),
            "full" => Some(Rule::Full),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub target_percent: Decimal,
    pub tiers: Vec<Tier>,
    pub full_credit_seconds: i64,
    pub announce_seconds: i64,
    pub trial_rule: Rule,
    pub cancelled_rule: Rule,
}

impl Policy {
    /// The default policy: below 99.9 % 10 %, below 99 % 25 %, below 95 % 50 %, more than 72 h
    /// down 100 %; maintenance announced 7 days ahead excluded; trials none, cancelled pro rata.
    pub fn standard() -> Policy {
        let tier = |below: i64, scale: u32, percent: i64| Tier {
            below: Decimal::new(below, scale),
            percent: Decimal::new(percent, 0),
        };
        Policy {
            target_percent: Decimal::new(999, 1),
            tiers: vec![tier(999, 1, 10), tier(99, 0, 25), tier(95, 0, 50)],
            full_credit_seconds: 72 * 3600,
            announce_seconds: 7 * 24 * 3600,
            trial_rule: Rule::None,
            cancelled_rule: Rule::ProRata,
        }
    }
}

/// Why a subscription gets what it gets; shown to the customer (a Fluent id per reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Availability met the target or no tier applies.
    WithinTarget,
    Tier,
    /// More than the full-credit hours down.
    LongOutage,
    /// A trial, under a policy that grants trials nothing.
    Trial,
    /// Cancelled, under a policy that grants cancelled subscriptions nothing.
    Cancelled,
    /// Cancelled (or a trial), credited in proportion to the time subscribed in the period.
    ProRata,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::WithinTarget => "within_target",
            Reason::Tier => "tier",
            Reason::LongOutage => "long_outage",
            Reason::Trial => "trial",
            Reason::Cancelled => "cancelled",
            Reason::ProRata => "pro_rata",
        }
    }

    pub fn message_id(self) -> &'static str {
        match self {
            Reason::WithinTarget => "compensation-reason-within-target",
            Reason::Tier => "compensation-reason-tier",
            Reason::LongOutage => "compensation-reason-long-outage",
            Reason::Trial => "compensation-reason-trial",
            Reason::Cancelled => "compensation-reason-cancelled",
            Reason::ProRata => "compensation-reason-pro-rata",
        }
    }

    pub fn parse(text: &str) -> Option<Reason> {
        [
            Reason::WithinTarget,
            Reason::Tier,
            Reason::LongOutage,
            Reason::Trial,
            Reason::Cancelled,
            Reason::ProRata,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// Why a subscription gets what it gets, in the reader's words (hours down, the tier's
/// percentage).
pub fn reason_text(
    lang: &crate::i18n::Lang,
    reason: Reason,
    downtime_seconds: i64,
    percent: Decimal,
) -> String {
    let hours = Decimal::from(downtime_seconds) / Decimal::from(3600);
    crate::i18n::t_args(
        lang,
        reason.message_id(),
        &[
            ("hours", crate::i18n::format::number(lang, hours, 1).into()),
            ("percent", crate::i18n::format::number(lang, percent, 0).into()),
        ],
    )
}

/// Is availability `(period - down) / period` strictly below `percent` %? Exact:
/// `(period - down) * 100 < percent * period`.
pub fn availability_below(down: i64, period: i64, percent: Decimal) -> bool {
    let up = Decimal::from(period - down) * Decimal::ONE_HUNDRED;
    up < percent * Decimal::from(period)
}

/// Availability in percent, for display (rounded to 3 places).
pub fn availability_percent(down: i64, period: i64) -> Decimal {
    if period <= 0 {
        return Decimal::ONE_HUNDRED;
    }
    (Decimal::from(period - down.clamp(0, period)) * Decimal::ONE_HUNDRED / Decimal::from(period)).round_dp(3)
}

/// The credit percentage for `down` seconds in a period of `period` seconds.
pub fn credit_percent(policy: &Policy, down: i64, period: i64) -> (Decimal, Reason) {
    if down > policy.full_credit_seconds {
        return (Decimal::ONE_HUNDRED, Reason::LongOutage);
    }
    let best = policy
        .tiers
        .iter()
        .filter(|tier| availability_below(down, period, tier.below))
        .map(|tier| tier.percent)
        .max();
    match best {
        Some(percent) if percent > Decimal::ZERO => (percent.min(Decimal::ONE_HUNDRED), Reason::Tier),
        _ => (Decimal::ZERO, Reason::WithinTarget),
    }
}

/// Who the subscription was during the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Paying,
    Trial,
    /// Cancelled or ended: subscribed for `subscribed` of the period's seconds.
    Cancelled {
        subscribed: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    pub percent: Decimal,
    pub amount: Money,
    pub reason: Reason,
}

/// The credit for a subscription with fee `fee` for the period, down `down` of `period`
/// seconds. Never more than the fee; rounded half-up to the currency's minor unit.
pub fn credit(
    policy: &Policy,
    fee: Money,
    standing: Standing,
    down: i64,
    period: i64,
) -> Result<Credit, MoneyError> {
    let (percent, tier_reason) = credit_percent(policy, down, period);
    let zero = Money::zero(fee.currency());
    if percent.is_zero() {
        return Ok(Credit { percent, amount: zero, reason: tier_reason });
    }
    let (rule, fraction, rule_reason) = match standing {
        Standing::Paying => (Rule::Full, Decimal::ONE, tier_reason),
        Standing::Trial => (policy.trial_rule, Decimal::ONE, Reason::Trial),
        Standing::Cancelled { subscribed } => {
            let fraction = if period > 0 {
                Decimal::from(subscribed.clamp(0, period)) / Decimal::from(period)
            } else {
                Decimal::ZERO
            };
            (policy.cancelled_rule, fraction, Reason::Cancelled)
        }
    };
    let (share, reason) = match rule {
        Rule::None => return Ok(Credit { percent: Decimal::ZERO, amount: zero, reason: rule_reason }),
        Rule::Full => (Decimal::ONE, if standing == Standing::Paying { tier_reason } else { rule_reason }),
        Rule::ProRata => (fraction, Reason::ProRata),
    };
    let raw = fee.checked_mul(percent / Decimal::ONE_HUNDRED)?.checked_mul(share)?.round();
    let amount = if raw.amount() > fee.amount() { fee } else { raw };
    Ok(Credit { percent, amount, reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    /// 30 days: 2,592,000 s; 0.1 % of it is 2,592 s, 1 % 25,920 s, 5 % 129,600 s.
    const PERIOD: i64 = 30 * 24 * 3600;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    #[test]
    fn tier_boundaries_are_exact() {
        let p = Policy::standard();
        // Exactly 99.9 % available: not below 99.9 -> nothing; one second more -> 10 %.
        assert_eq!(credit_percent(&p, 2_592, PERIOD), (Decimal::ZERO, Reason::WithinTarget));
        assert_eq!(credit_percent(&p, 2_593, PERIOD), (Decimal::new(10, 0), Reason::Tier));
        // Exactly 99 %: 10 %; one second more: 25 %.
        assert_eq!(credit_percent(&p, 25_920, PERIOD).0, Decimal::new(10, 0));
        assert_eq!(credit_percent(&p, 25_921, PERIOD).0, Decimal::new(25, 0));
        // Exactly 95 %: 25 %; one second more: 50 %.
        assert_eq!(credit_percent(&p, 129_600, PERIOD).0, Decimal::new(25, 0));
        assert_eq!(credit_percent(&p, 129_601, PERIOD).0, Decimal::new(50, 0));
    }

    #[test]
    fn seventy_two_hours_is_the_last_second_of_the_tiers() {
        let p = Policy::standard();
        let h72 = 72 * 3600;
        // A 31-day month: 72 h is 90.3 % available -> 50 %; one second more -> 100 %.
        let month31 = 31 * 24 * 3600;
        assert_eq!(credit_percent(&p, h72, month31), (Decimal::new(50, 0), Reason::Tier));
        assert_eq!(credit_percent(&p, h72 + 1, month31), (Decimal::ONE_HUNDRED, Reason::LongOutage));
    }

    #[test]
    fn credit_is_capped_at_the_fee() {
        let mut p = Policy::standard();
        p.tiers.push(Tier { below: Decimal::new(95, 0), percent: Decimal::new(150, 0) });
        let c = credit(&p, eur(100), Standing::Paying, 200_000, PERIOD).unwrap();
        assert_eq!(c.amount, eur(100));
        let c = credit(&p, eur(100), Standing::Paying, 72 * 3600 + 1, PERIOD).unwrap();
        assert_eq!((c.amount, c.reason), (eur(100), Reason::LongOutage));
    }

    #[test]
    fn amounts_round_half_up_in_each_currency() {
        let p = Policy::standard();
        let down = 3_000; // 10 %
        for (currency, fee, expected) in [
            (Currency::EUR, Decimal::new(105, 2), Decimal::new(11, 2)), // 0.105 -> 0.11
            (Currency::CHF, Decimal::new(125, 2), Decimal::new(13, 2)), // 0.125 -> 0.13
            (Currency::GBP, Decimal::new(99, 2), Decimal::new(10, 2)),  // 0.099 -> 0.10
            (Currency::SEK, Decimal::new(1195, 2), Decimal::new(120, 2)),
            (Currency::DKK, Decimal::new(745, 2), Decimal::new(75, 2)),
            (Currency::NOK, Decimal::new(1105, 2), Decimal::new(111, 2)),
        ] {
            let c = credit(&p, Money::new(fee, currency), Standing::Paying, down, PERIOD).unwrap();
            assert_eq!(c.amount, Money::new(expected, currency), "{currency:?}");
            assert_eq!(c.amount.currency(), currency);
            assert!(c.amount.is_rounded());
        }
    }

    #[test]
    fn trials_get_nothing_and_cancelled_pro_rata_by_default() {
        let p = Policy::standard();
        let down = 30_000; // 25 %
        let trial = credit(&p, eur(100), Standing::Trial, down, PERIOD).unwrap();
        assert_eq!((trial.amount, trial.reason), (eur(0), Reason::Trial));
        let half =
            credit(&p, eur(100), Standing::Cancelled { subscribed: PERIOD / 2 }, down, PERIOD).unwrap();
        assert_eq!((half.amount, half.reason), (eur(13), Reason::ProRata)); // 25 * 0.5 = 12.5 -> 13
        let mut generous = Policy::standard();
        generous.trial_rule = Rule::Full;
        generous.cancelled_rule = Rule::None;
        assert_eq!(credit(&generous, eur(100), Standing::Trial, down, PERIOD).unwrap().amount, eur(25));
        let none = credit(&generous, eur(100), Standing::Cancelled { subscribed: 1 }, down, PERIOD).unwrap();
        assert_eq!((none.amount, none.reason), (eur(0), Reason::Cancelled));
    }

    #[test]
    fn availability_for_display() {
        assert_eq!(availability_percent(2_592, PERIOD), Decimal::new(99900, 3));
        assert_eq!(availability_percent(0, PERIOD), Decimal::ONE_HUNDRED);
    }

    #[test]
    fn policy_tiers_read_from_json() {
        let tiers: Vec<Tier> = serde_json::from_str(r#"[{"below": "99.9", "percent": "10"}]"#).unwrap();
        assert_eq!(tiers, vec![Tier { below: Decimal::new(999, 1), percent: Decimal::new(10, 0) }]);
    }
}
