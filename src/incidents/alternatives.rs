//! What an incident offers its affected customers, as data (`compensation_alternatives`):
//! the credit on the next invoice (always offered), extra storage for some months, a free
//! month, or a donation of the amount to a charity the provider names. One of them is what a
//! customer who did not choose gets once the deadline has passed.

use diesel::prelude::*;

use fluent_templates::fluent_bundle::FluentValue;

use super::IncidentError;
use crate::db::schema::compensation_alternatives as alt;
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t_args};
use crate::money::Money;

/// The kinds of compensation, as `compensation_alternatives.kind`, choices and grants store them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    Credit,
    Storage,
    FreeMonth,
    Donation,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Credit, Kind::Storage, Kind::FreeMonth, Kind::Donation];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Credit => "credit",
            Kind::Storage => "storage",
            Kind::FreeMonth => "free_month",
            Kind::Donation => "donation",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// One alternative an incident offers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Alternative {
    Credit,
    Storage { gb: i32, months: i32 },
    FreeMonth,
    Donation { charity: String },
}

impl Alternative {
    pub fn kind(&self) -> Kind {
        match self {
            Alternative::Credit => Kind::Credit,
            Alternative::Storage { .. } => Kind::Storage,
            Alternative::FreeMonth => Kind::FreeMonth,
            Alternative::Donation { .. } => Kind::Donation,
        }
    }
}

/// An incident's alternatives and the one that applies after the deadline. Incidents that offer
/// no choice have none stored and mean the credit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Alternatives {
    pub offered: Vec<Alternative>,
    pub default: Kind,
}

/// Storage an outage may be made good with: a generous pack, not a typo of 2,147,483,647 GB.
pub const MAX_GB: i32 = 10_000;
pub const MAX_MONTHS: i32 = 24;
const MAX_CHARITY: usize = 200;

impl Alternatives {
    /// Only the credit: what an incident without a choice gives.
    pub fn credit_only() -> Alternatives {
        Alternatives { offered: vec![Alternative::Credit], default: Kind::Credit }
    }

    /// Checks and orders them: the credit always among them (added when missing), each kind
    /// once, storage within range, a charity named in one line, the default one of them.
    pub fn new(mut offered: Vec<Alternative>, default: Kind) -> Result<Alternatives, IncidentError> {
        if !offered.iter().any(|a| a.kind() == Kind::Credit) {
            offered.push(Alternative::Credit);
        }
        offered.sort_by_key(Alternative::kind);
        if offered.windows(2).any(|w| matches!(w, [a, b] if a.kind() == b.kind())) {
            return Err(IncidentError::Invalid("an alternative offered twice".to_owned()));
        }
        for a in &mut offered {
            match a {
                Alternative::Storage { gb, months }
                    if !(1..=MAX_GB).contains(gb) || !(1..=MAX_MONTHS).contains(months) =>
                {
                    return Err(IncidentError::OfferOutOfRange);
                }
                Alternative::Donation { charity } => {
                    *charity = charity.trim().to_owned();
                    if charity.is_empty() {
                        return Err(IncidentError::Invalid("the charity's name".to_owned()));
                    }
                    crate::text::check(charity, false, MAX_CHARITY)?;
                }
                _ => {}
            }
        }
        if !offered.iter().any(|a| a.kind() == default) {
            return Err(IncidentError::Invalid(format!("default {:?} is not offered", default.as_str())));
        }
        Ok(Alternatives { offered, default })
    }

    /// Whether customers have anything to choose between.
    pub fn is_choice(&self) -> bool {
        self.offered.len() > 1
    }

    pub fn get(&self, kind: Kind) -> Option<&Alternative> {
        self.offered.iter().find(|a| a.kind() == kind)
    }

    pub fn storage(&self) -> Option<(i32, i32)> {
        self.offered.iter().find_map(|a| match a {
            Alternative::Storage { gb, months } => Some((*gb, *months)),
            _ => None,
        })
    }

    pub fn charity(&self) -> Option<&str> {
        self.offered.iter().find_map(|a| match a {
            Alternative::Donation { charity } => Some(charity.as_str()),
            _ => None,
        })
    }
}

/// The alternatives a customer owed `amount` may choose from, each in their words with what
/// it is worth to them; the free month only when it is offered to them (`free_month`).
pub fn described(
    lang: &Lang,
    formats: &Formats,
    alternatives: &Alternatives,
    amount: Money,
    free_month: Option<Money>,
) -> Vec<(Kind, String)> {
    let money = |m: Money| FluentValue::from(formats.money(m));
    alternatives
        .offered
        .iter()
        .filter_map(|a| {
            let text = match a {
                Alternative::Credit => t_args(lang, "compensation-alt-credit", &[("amount", money(amount))]),
                Alternative::Storage { gb, months } => t_args(
                    lang,
                    "compensation-alt-storage",
                    &[
                        ("gb", i64::from(*gb).into()),
                        ("months", i64::from(*months).into()),
                        ("amount", money(amount)),
                    ],
                ),
                Alternative::FreeMonth => {
                    t_args(lang, "compensation-alt-free-month", &[("value", money(free_month?))])
                }
                Alternative::Donation { charity } => t_args(
                    lang,
                    "compensation-alt-donation",
                    &[("amount", money(amount)), ("charity", charity.clone().into())],
                ),
            };
            Some((a.kind(), text))
        })
        .collect()
}

type Row = (String, Option<i32>, Option<i32>, Option<String>, bool);

/// The incident's alternatives (the credit alone when it stores none).
pub fn of_incident(conn: &mut PgConnection, incident: i64) -> Result<Alternatives, IncidentError> {
    let rows: Vec<Row> = alt::table
        .filter(alt::incident_id.eq(incident))
        .select((alt::kind, alt::storage_gb, alt::storage_months, alt::charity, alt::is_default))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Alternatives::credit_only());
    }
    let mut offered = Vec::with_capacity(rows.len());
    let mut default = Kind::Credit;
    for (kind, gb, months, charity, is_default) in rows {
        let kind =
            Kind::parse(&kind).ok_or_else(|| IncidentError::Corrupt(format!("alternative {kind:?}")))?;
        if is_default {
            default = kind;
        }
        offered.push(match kind {
            Kind::Credit => Alternative::Credit,
            Kind::FreeMonth => Alternative::FreeMonth,
            Kind::Storage => Alternative::Storage { gb: gb.unwrap_or(0), months: months.unwrap_or(0) },
            Kind::Donation => Alternative::Donation { charity: charity.unwrap_or_default() },
        });
    }
    offered.sort_by_key(Alternative::kind);
    Ok(Alternatives { offered, default })
}

/// Stores what a new incident offers (nothing for the credit alone).
pub fn store(
    conn: &mut PgConnection,
    incident: i64,
    alternatives: &Alternatives,
) -> Result<(), IncidentError> {
    if !alternatives.is_choice() {
        return Ok(());
    }
    let rows: Vec<_> = alternatives
        .offered
        .iter()
        .map(|a| {
            let (gb, months) = match a {
                Alternative::Storage { gb, months } => (Some(*gb), Some(*months)),
                _ => (None, None),
            };
            let charity = match a {
                Alternative::Donation { charity } => Some(charity.clone()),
                _ => None,
            };
            (
                alt::incident_id.eq(incident),
                alt::kind.eq(a.kind().as_str()),
                alt::storage_gb.eq(gb),
                alt::storage_months.eq(months),
                alt::charity.eq(charity),
                alt::is_default.eq(a.kind() == alternatives.default),
            )
        })
        .collect();
    diesel::insert_into(alt::table).values(&rows).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credit_is_always_offered_and_the_default_must_be_offered() {
        let a = Alternatives::new(vec![Alternative::FreeMonth], Kind::FreeMonth).unwrap();
        assert_eq!(a.offered, vec![Alternative::Credit, Alternative::FreeMonth]);
        assert!(a.is_choice());
        assert!(Alternatives::new(vec![Alternative::FreeMonth], Kind::Storage).is_err());
        assert!(
            Alternatives::new(vec![Alternative::FreeMonth, Alternative::FreeMonth], Kind::Credit).is_err()
        );
        assert!(matches!(
            Alternatives::new(vec![Alternative::Storage { gb: 0, months: 3 }], Kind::Credit),
            Err(IncidentError::OfferOutOfRange)
        ));
        assert!(
            Alternatives::new(vec![Alternative::Donation { charity: "  ".into() }], Kind::Credit).is_err()
        );
        let d =
            Alternatives::new(vec![Alternative::Donation { charity: " Red Cross ".into() }], Kind::Credit)
                .unwrap();
        assert_eq!(d.charity(), Some("Red Cross"));
        assert!(!Alternatives::credit_only().is_choice());
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
