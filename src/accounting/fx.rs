//! ECB euro foreign exchange reference rates, imported from the ECB's published XML
//! (`eurofxref-daily.xml`, `eurofxref-hist.xml`, `eurofxref-hist-90d.xml`): `Cube` elements with
//! a `time`, holding `Cube` elements with a `currency` and a `rate` (units per 1 EUR).

use chrono::NaiveDate;
use diesel::prelude::*;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rust_decimal::Decimal;

use super::AccountingError;
use crate::db::schema::fx_rates;

/// A sample of the ECB's file (the rates of the quarter ends of 2026 and the days around them),
/// shipped for tests and the demo.
pub const SAMPLE: &str = include_str!("../../assets/ecb/eurofxref-sample.xml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub date: NaiveDate,
    pub currency: String,
    /// Units of `currency` per 1 EUR.
    pub rate: Decimal,
}

/// The rates in an ECB XML file, in file order.
pub fn parse(xml: &str) -> Result<Vec<Rate>, AccountingError> {
    let bad = |reason: String| AccountingError::BadRates(reason);
    let mut reader = Reader::from_str(xml);
    let mut date: Option<NaiveDate> = None;
    let mut rates = Vec::new();
    loop {
        match reader.read_event().map_err(|e| bad(e.to_string()))? {
            Event::Start(cube) | Event::Empty(cube) if cube.local_name().into_inner() == "Cube" => {
                if let Some(time) = attribute(&cube, "time")? {
                    let day = NaiveDate::parse_from_str(&time, "%Y-%m-%d")
                        .map_err(|_| bad(format!("not a date: {time:?}")))?;
                    date = Some(day);
                }
                if let (Some(currency), Some(rate)) =
                    (attribute(&cube, "currency")?, attribute(&cube, "rate")?)
                {
                    let date =
                        date.ok_or_else(|| bad(format!("rate for {currency} outside a dated Cube")))?;
                    let valid = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase());
                    if !valid || currency == "EUR" {
                        return Err(bad(format!("not a currency: {currency:?}")));
                    }
                    let rate: Decimal = rate.parse().map_err(|_| bad(format!("not a rate: {rate:?}")))?;
                    if rate <= Decimal::ZERO {
                        return Err(bad(format!("not a rate: {rate}")));
                    }
                    rates.push(Rate { date, currency, rate });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if rates.is_empty() {
        return Err(bad("the file holds no rates".into()));
    }
    Ok(rates)
}

fn attribute(start: &BytesStart<'_>, name: &str) -> Result<Option<String>, AccountingError> {
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| AccountingError::BadRates(e.to_string()))?;
        if attribute.key.local_name().into_inner() == name {
            return Ok(Some(attribute.value.trim().to_owned()));
        }
    }
    Ok(None)
}

/// Stores the rates; a rate already stored stays (the ECB never revises one), so importing a
/// file again, or an overlapping one, is harmless. Returns how many were new.
pub fn import(conn: &mut PgConnection, rates: &[Rate]) -> Result<usize, AccountingError> {
    let mut added = 0;
    for chunk in rates.chunks(5_000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    fx_rates::currency.eq(&r.currency),
                    fx_rates::rate_date.eq(r.date),
                    fx_rates::rate.eq(r.rate),
                )
            })
            .collect();
        added += diesel::insert_into(fx_rates::table).values(&rows).on_conflict_do_nothing().execute(conn)?;
    }
    Ok(added)
}

/// The reference rate OSS uses for a period ending on `day` (Art. 366 of the VAT Directive):
/// the one published for that day or, if none was (a weekend, a TARGET holiday), the next
/// published one.
pub fn rate_for(conn: &mut PgConnection, currency: &str, day: NaiveDate) -> Result<Decimal, AccountingError> {
    fx_rates::table
        .filter(fx_rates::currency.eq(currency))
        .filter(fx_rates::rate_date.ge(day))
        .order(fx_rates::rate_date)
        .select(fx_rates::rate)
        .first(conn)
        .optional()?
        .ok_or(AccountingError::NoRate { currency: currency.to_owned(), date: day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_sample_parses() {
        let rates = parse(SAMPLE).unwrap();
        let chf = rates
            .iter()
            .find(|r| r.currency == "CHF" && r.date == NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
            .unwrap();
        assert!(chf.rate > Decimal::ZERO);
        assert!(rates.iter().any(|r| r.currency == "SEK"));
    }

    #[test]
    fn garbage_is_refused() {
        assert!(parse("<x/>").is_err());
        assert!(parse("<Cube><Cube currency=\"USD\" rate=\"1.1\"/></Cube>").is_err());
        assert!(parse("<Cube time=\"2026-01-02\"><Cube currency=\"USD\" rate=\"-1\"/></Cube>").is_err());
        assert!(parse("<Cube time=\"2026-13-02\"><Cube currency=\"USD\" rate=\"1\"/></Cube>").is_err());
        assert!(parse("<Cube time=\"2026-01-02\"><Cube currency=\"EUR\" rate=\"1\"/></Cube>").is_err());
    }
}
