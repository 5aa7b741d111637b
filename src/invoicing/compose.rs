//! Computing an invoice from its lines, without touching the database: VAT per rate (one
//! rounding per rate and invoice, half away from zero), each line's share of its rate's VAT
//! (allocated so the shares add up exactly), totals, and customer credit applied.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::InvoicingError;
use crate::money::Money;
use crate::tax;

/// A line before VAT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub description: String,
    pub plan_code: Option<String>,
    /// The product whose revenue account the line is booked to (`mailbox`, `online_storage`).
    pub product: String,
    pub service_from: Option<NaiveDate>,
    pub service_until: Option<NaiveDate>,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub net: Money,
    pub vat_rate: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub input: LineInput,
    pub vat: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatRow {
    pub rate: Decimal,
    pub net: Money,
    pub vat: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<Line>,
    pub vat_rows: Vec<VatRow>,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
    pub credit_applied: Money,
    pub amount_due: Money,
}

/// Totals for `lines` in `currency`, applying up to `credit_available` of customer credit.
pub fn totals(
    currency: iso_currency::Currency,
    lines: Vec<LineInput>,
    credit_available: Money,
) -> Result<Totals, InvoicingError> {
    let mut by_rate: BTreeMap<Decimal, Vec<usize>> = BTreeMap::new();
    for (index, line) in lines.iter().enumerate() {
        by_rate.entry(line.vat_rate.normalize()).or_default().push(index);
    }
    let mut line_vat = vec![Money::zero(currency); lines.len()];
    let mut vat_rows = Vec::new();
    for (rate, indices) in &by_rate {
        let nets: Vec<Money> = indices.iter().filter_map(|i| lines.get(*i).map(|l| l.net)).collect();
        let net = Money::sum(currency, nets.iter().copied())?;
        let vat = tax::vat_amount(net, *rate)?;
        let weights: Vec<Decimal> = nets.iter().map(|n| n.amount().abs()).collect();
        let shares = if weights.iter().any(|w| !w.is_zero()) {
            vat.allocate(&weights)?
        } else {
            vec![Money::zero(currency); nets.len()]
        };
        for (index, share) in indices.iter().zip(shares) {
            if let Some(slot) = line_vat.get_mut(*index) {
                *slot = share;
            }
        }
        vat_rows.push(VatRow { rate: *rate, net, vat });
    }
    let net = Money::sum(currency, vat_rows.iter().map(|r| r.net))?;
    let vat = Money::sum(currency, vat_rows.iter().map(|r| r.vat))?;
    let gross = net.checked_add(vat)?;
    let credit_applied = if gross.is_positive() && credit_available.is_positive() {
        if credit_available.amount() < gross.amount() { credit_available } else { gross }
    } else {
        Money::zero(currency)
    };
    let amount_due = gross.checked_sub(credit_applied)?;
    let lines = lines.into_iter().zip(line_vat).map(|(input, vat)| Line { input, vat }).collect();
    Ok(Totals { lines, vat_rows, net, vat, gross, credit_applied, amount_due })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    fn line(net: i64, rate: i64) -> LineInput {
        LineInput {
            description: "x".into(),
            plan_code: None,
            product: "mailbox".into(),
            service_from: None,
            service_until: None,
            quantity: Decimal::ONE,
            unit_price: eur(net),
            net: eur(net),
            vat_rate: Decimal::new(rate, 0),
        }
    }

    #[test]
    fn vat_is_rounded_once_per_rate_and_shared_exactly() {
        // Three lines of 0.33 at 19 %: per line 0.0627 would round to 0.06 x 3 = 0.18; per rate
        // 0.99 x 19 % = 0.1881 -> 0.19, shared 0.07 + 0.06 + 0.06.
        let t = totals(Currency::EUR, vec![line(33, 19), line(33, 19), line(33, 19)], eur(0)).unwrap();
        assert_eq!(t.vat, eur(19));
        assert_eq!(t.lines.iter().map(|l| l.vat.to_minor().unwrap()).sum::<i64>(), 19);
        assert_eq!(t.gross, eur(118));
        assert_eq!(t.vat_rows.len(), 1);
    }

    #[test]
    fn several_rates_get_their_own_rows() {
        let t = totals(Currency::EUR, vec![line(100, 19), line(100, 7)], eur(0)).unwrap();
        assert_eq!(t.vat_rows.len(), 2);
        assert_eq!(t.vat, eur(26));
    }

    #[test]
    fn credit_is_applied_up_to_the_total() {
        let t = totals(Currency::EUR, vec![line(100, 19)], eur(50)).unwrap();
        assert_eq!((t.credit_applied, t.amount_due), (eur(50), eur(69)));
        let t = totals(Currency::EUR, vec![line(100, 19)], eur(500)).unwrap();
        assert_eq!((t.credit_applied, t.amount_due), (eur(119), eur(0)));
        let t = totals(Currency::EUR, vec![line(100, 19)], eur(-5)).unwrap();
        assert_eq!(t.credit_applied, eur(0));
    }
}
