//! The dunning ladder as data (`dunning_levels`, `dunning_fees`, `interest_margins`,
//! `base_rates`): which step comes how many days after the due date for consumers and for
//! businesses, what it costs, and the interest rates. The default shipped in the collections
//! migration follows German law; another seller country's rules are other rows.

use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::CollectionsError;
use super::interest::BaseRate;
use crate::db::schema::{base_rates, dunning_fees, dunning_levels, interest_margins};
use crate::money::Money;

/// Consumer or business: a customer with a VAT ID is a business (as the VAT rules decide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    Consumer,
    Business,
}

impl CustomerType {
    pub const ALL: [CustomerType; 2] = [CustomerType::Consumer, CustomerType::Business];

    /// A business is who holds a VAT ID that VIES confirmed (the `vat_id_confirmed` rule the
    /// invoices' reverse charge follows too); a number of the right form alone proves nothing,
    /// and treating someone as a consumer is the side that never overcharges.
    pub fn of(confirmed_vat_id: bool) -> CustomerType {
        if confirmed_vat_id { CustomerType::Business } else { CustomerType::Consumer }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerType::Consumer => "consumer",
            CustomerType::Business => "business",
        }
    }

    pub fn parse(text: &str) -> Option<CustomerType> {
        CustomerType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// What a step of the ladder does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Reminder,
    /// The last reminder, naming the day of suspension.
    FinalNotice,
    /// Log-in and sending blocked (incoming mail still accepted) until the balance is settled.
    Suspension,
    /// The subscription cancelled and the claim handed to a collection agency.
    Termination,
}

impl Action {
    pub const ALL: [Action; 4] =
        [Action::Reminder, Action::FinalNotice, Action::Suspension, Action::Termination];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Reminder => "reminder",
            Action::FinalNotice => "final_notice",
            Action::Suspension => "suspension",
            Action::Termination => "termination",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The Fluent id of the step's name (`dunning-action-final-notice`).
    pub fn message_id(self) -> &'static str {
        match self {
            Action::Reminder => "dunning-action-reminder",
            Action::FinalNotice => "dunning-action-final-notice",
            Action::Suspension => "dunning-action-suspension",
            Action::Termination => "dunning-action-termination",
        }
    }
}

/// One step of a customer type's ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub level: i32,
    pub days_after_due: i32,
    pub action: Action,
    pub charges_interest: bool,
    /// Fee per currency (none: free).
    pub fees: Vec<Money>,
}

impl Level {
    pub fn fee(&self, currency: Currency) -> Money {
        self.fees.iter().copied().find(|f| f.currency() == currency).unwrap_or(Money::zero(currency))
    }
}

/// Both ladders, the interest margins and the base rates, read once per run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    pub consumer: Vec<Level>,
    pub business: Vec<Level>,
    pub consumer_points: Decimal,
    pub business_points: Decimal,
    pub base_rates: Vec<BaseRate>,
}

impl Ladder {
    pub fn load(conn: &mut PgConnection) -> Result<Ladder, CollectionsError> {
        let rows: Vec<(String, i32, i32, String, bool)> = dunning_levels::table
            .order((dunning_levels::customer_type, dunning_levels::level))
            .select((
                dunning_levels::customer_type,
                dunning_levels::level,
                dunning_levels::days_after_due,
                dunning_levels::action,
                dunning_levels::charges_interest,
            ))
            .load(conn)?;
        let fees: Vec<(String, i32, String, Decimal)> = dunning_fees::table
            .select((
                dunning_fees::customer_type,
                dunning_fees::level,
                dunning_fees::currency,
                dunning_fees::amount,
            ))
            .load(conn)?;
        let mut ladder = Ladder {
            consumer: Vec::new(),
            business: Vec::new(),
            consumer_points: Decimal::ZERO,
            business_points: Decimal::ZERO,
            base_rates: base_rates::table
                .order(base_rates::valid_from)
                .select((base_rates::valid_from, base_rates::rate))
                .load::<(chrono::NaiveDate, Decimal)>(conn)?
                .into_iter()
                .map(|(valid_from, rate)| BaseRate { valid_from, rate })
                .collect(),
        };
        for (customer_type, level, days_after_due, action, charges_interest) in rows {
            let kind = CustomerType::parse(&customer_type)
                .ok_or_else(|| CollectionsError::Corrupt(customer_type.clone()))?;
            let action = Action::parse(&action).ok_or_else(|| CollectionsError::Corrupt(action.clone()))?;
            let fees = fees
                .iter()
                .filter(|(t, l, _, _)| *t == customer_type && *l == level)
                .map(|(_, _, currency, amount)| {
                    let currency = Currency::from_code(currency.trim())
                        .ok_or_else(|| CollectionsError::Corrupt(format!("currency {currency}")))?;
                    Ok(Money::new(*amount, currency))
                })
                .collect::<Result<Vec<_>, CollectionsError>>()?;
            let row = Level { level, days_after_due, action, charges_interest, fees };
            match kind {
                CustomerType::Consumer => ladder.consumer.push(row),
                CustomerType::Business => ladder.business.push(row),
            }
        }
        for (customer_type, points) in interest_margins::table
            .select((interest_margins::customer_type, interest_margins::points))
            .load::<(String, Decimal)>(conn)?
        {
            match CustomerType::parse(&customer_type) {
                Some(CustomerType::Consumer) => ladder.consumer_points = points,
                Some(CustomerType::Business) => ladder.business_points = points,
                None => return Err(CollectionsError::Corrupt(customer_type)),
            }
        }
        Ok(ladder)
    }

    pub fn levels(&self, customer_type: CustomerType) -> &[Level] {
        match customer_type {
            CustomerType::Consumer => &self.consumer,
            CustomerType::Business => &self.business,
        }
    }

    pub fn points(&self, customer_type: CustomerType) -> Decimal {
        match customer_type {
            CustomerType::Consumer => self.consumer_points,
            CustomerType::Business => self.business_points,
        }
    }

    /// The step after `last_sent` (none sent: the first), if its day has come by `days_overdue`.
    /// One step per run: a run that was missed for a while walks the ladder a day at a time,
    /// so nobody is suspended without the final notice first.
    pub fn next(
        &self,
        customer_type: CustomerType,
        last_sent: Option<i32>,
        days_overdue: i64,
    ) -> Option<&Level> {
        self.levels(customer_type)
            .iter()
            .find(|l| last_sent.is_none_or(|sent| l.level > sent))
            .filter(|l| i64::from(l.days_after_due) <= days_overdue)
    }

    /// The day the ladder suspends an invoice that fell due on `due`.
    pub fn suspension_day(
        &self,
        customer_type: CustomerType,
        due: chrono::NaiveDate,
    ) -> Option<chrono::NaiveDate> {
        self.levels(customer_type)
            .iter()
            .find(|l| l.action == Action::Suspension)
            .map(|l| due + chrono::Days::new(u64::try_from(l.days_after_due).unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_are_the_ones_the_database_allows() {
        let migration = include_str!("../../migrations/2026-12-12-000001_collections/up.sql");
        let actions = crate::db::check_list(migration, "dunning_levels", "action");
        assert_eq!(actions, Action::ALL.map(Action::as_str).to_vec());
        let types = crate::db::check_list(migration, "dunning_levels", "customer_type");
        assert_eq!(types, CustomerType::ALL.map(CustomerType::as_str).to_vec());
    }

    #[test]
    fn only_a_confirmed_vat_id_makes_a_business() {
        assert_eq!(CustomerType::of(true), CustomerType::Business);
        assert_eq!(CustomerType::of(false), CustomerType::Consumer);
    }

    #[test]
    fn the_next_step_waits_for_its_day_and_never_skips_one() {
        let level = |level, days, action| Level {
            level,
            days_after_due: days,
            action,
            charges_interest: false,
            fees: vec![],
        };
        let ladder = Ladder {
            consumer: vec![
                level(1, 3, Action::Reminder),
                level(2, 14, Action::Reminder),
                level(3, 35, Action::Suspension),
            ],
            business: vec![],
            consumer_points: Decimal::from(5),
            business_points: Decimal::from(9),
            base_rates: vec![],
        };
        let c = CustomerType::Consumer;
        assert_eq!(ladder.next(c, None, 2), None);
        assert_eq!(ladder.next(c, None, 3).map(|l| l.level), Some(1));
        assert_eq!(ladder.next(c, None, 40).map(|l| l.level), Some(1), "one step per run");
        assert_eq!(ladder.next(c, Some(1), 13), None);
        assert_eq!(ladder.next(c, Some(2), 35).map(|l| l.level), Some(3));
        assert_eq!(ladder.next(c, Some(3), 400), None);
        let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(ladder.suspension_day(c, due), chrono::NaiveDate::from_ymd_opt(2027, 1, 5));
    }
}
