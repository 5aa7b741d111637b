//! A calendar quarter, the period of OSS and the non-EU VAT returns: `2026-Q4`.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::AccountingError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub number: u32,
}

impl Quarter {
    pub fn containing(date: NaiveDate) -> Quarter {
        Quarter { year: date.year(), number: (date.month() - 1) / 3 + 1 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.number - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the next quarter.
    pub fn end(self) -> NaiveDate {
        self.first_day().checked_add_months(chrono::Months::new(3)).unwrap_or(NaiveDate::MAX)
    }

    pub fn last_day(self) -> NaiveDate {
        self.end().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    pub fn previous(self) -> Quarter {
        Quarter::containing(self.first_day().pred_opt().unwrap_or(NaiveDate::MIN))
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

impl FromStr for Quarter {
    type Err = AccountingError;

    fn from_str(text: &str) -> Result<Quarter, AccountingError> {
        let bad = || AccountingError::BadQuarter(text.to_owned());
        let (year, number) = text.trim().split_once("-Q").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u32 = number.parse().map_err(|_| bad())?;
        if !(2000..=9999).contains(&year) || !(1..=4).contains(&number) {
            return Err(bad());
        }
        Ok(Quarter { year, number })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_span_three_months() {
        let q: Quarter = "2026-Q4".parse().unwrap();
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(q.last_day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(q.previous().to_string(), "2026-Q3");
        assert_eq!("2026-Q1".parse::<Quarter>().unwrap().previous().to_string(), "2025-Q4");
        assert_eq!(Quarter::containing(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).to_string(), "2026-Q2");
        for bad in ["2026-Q5", "2026-Q0", "2026Q1", "x-Q1", ""] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }
}
