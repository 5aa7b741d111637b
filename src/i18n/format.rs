//! Numbers and amounts in the reader's format. Digits, grouping and decimal separators
//! come from ICU4X's locale data; where the currency symbol goes comes from the Fluent
//! message `money-format` of the language (Fluent's NUMBER() cannot group in Rust).

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal as IcuDecimal;
use icu_locale_core::Locale;
use rust_decimal::Decimal;

use super::{Lang, t, t_args};
use crate::money::{Money, minor_units};

/// `value` with the locale's separators, with exactly `decimals` decimals.
pub fn number(lang: &Lang, value: Decimal, decimals: u32) -> String {
    number_in(lang.code(), value, decimals)
}

fn number_in(locale: &str, value: Decimal, decimals: u32) -> String {
    let plain = format!("{:.*}", decimals as usize, value);
    let formatted = Locale::try_from_str(locale).ok().and_then(|locale| {
        let formatter = DecimalFormatter::try_new(locale.into(), Default::default()).ok()?;
        let decimal = IcuDecimal::try_from_str(&plain).ok()?;
        Some(formatter.format(&decimal).to_string())
    });
    // Without locale data the plain form is still exact and readable.
    formatted.unwrap_or(plain)
}

/// An amount as the reader writes it: `1.234,56 €` (de), `€1,234.56` (en), `1 234,56 kr` (sv).
pub fn money(lang: &Lang, amount: Money) -> String {
    let currency = amount.currency();
    let rounded = amount.round();
    let digits = number(lang, rounded.amount(), minor_units(currency));
    let symbol = t(lang, &format!("currency-{}", currency.code()));
    t_args(lang, "money-format", &[("amount", digits.into()), ("symbol", symbol.into())])
}

/// `money` for an amount and currency code read from the database (a code Kontor does not
/// know prints the plain amount rather than failing the page).
pub fn money_in(lang: &Lang, amount: rust_decimal::Decimal, currency: &str) -> String {
    iso_currency::Currency::from_code(currency.trim())
        .map_or_else(|| amount.to_string(), |c| money(lang, Money::new(amount, c)))
}

/// A date as the reader writes it in numbers (CLDR's medium numeric forms): `21.11.2026` (de,
/// da, nb), `21/11/2026` (en-GB, fr), `21-11-2026` (nl), `2026-11-21` (sv).
pub fn date(lang: &Lang, date: chrono::NaiveDate) -> String {
    let pattern = match lang.code() {
        "de" | "da" | "nb" => "%d.%m.%Y",
        "nl" => "%d-%m-%Y",
        "sv" => "%Y-%m-%d",
        _ => "%d/%m/%Y",
    };
    date.format(pattern).to_string()
}

/// Formats for a reader in a country: Swiss and Austrian readers write numbers, amounts and
/// dates their own way (`CHF 1'234.56` de-CH, `€ 1 234,56` de-AT); everyone else as their
/// language does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats {
    pub lang: Lang,
    region: Region,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Language,
    Switzerland,
    Austria,
}

impl Formats {
    pub fn new(lang: &Lang, country: &str) -> Formats {
        let region = match (country, lang.code()) {
            ("CH" | "LI", "de" | "fr" | "en") => Region::Switzerland,
            ("AT", "de") => Region::Austria,
            _ => Region::Language,
        };
        Formats { lang: lang.clone(), region }
    }

    fn locale(&self) -> String {
        match self.region {
            Region::Language => self.lang.code().to_owned(),
            Region::Switzerland => format!("{}-CH", self.lang.code()),
            Region::Austria => "de-AT".to_owned(),
        }
    }

    pub fn number(&self, value: Decimal, decimals: u32) -> String {
        number_in(&self.locale(), value, decimals)
    }

    pub fn money(&self, amount: Money) -> String {
        let currency = amount.currency();
        let rounded = amount.round();
        let digits = self.number(rounded.amount(), minor_units(currency));
        match (self.region, self.lang.code()) {
            (Region::Switzerland, "fr") => format!("{digits}\u{a0}{}", currency.code()),
            (Region::Switzerland, _) => format!("{}\u{a0}{digits}", currency.code()),
            (Region::Austria, _) => {
                format!("{}\u{a0}{digits}", t(&self.lang, &format!("currency-{}", currency.code())))
            }
            (Region::Language, _) => money(&self.lang, amount),
        }
    }

    pub fn date(&self, day: chrono::NaiveDate) -> String {
        match self.region {
            Region::Switzerland => day.format("%d.%m.%Y").to_string(),
            _ => date(&self.lang, day),
        }
    }

    pub fn percent(&self, rate: Decimal) -> String {
        let rate = rate.normalize();
        self.number(rate, rate.scale())
    }
}

/// A VAT rate in percent with the locale's decimal separator: `19`, `25,5`, `25.5`.
pub fn percent(lang: &Lang, rate: Decimal) -> String {
    let rate = rate.normalize();
    number(lang, rate, rate.scale())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    fn lang(code: &str) -> Lang {
        Lang::supported(code).unwrap()
    }

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    #[test]
    fn amounts_follow_the_language() {
        assert_eq!(money(&lang("de"), eur(123_456)), "1.234,56\u{a0}€");
        assert_eq!(money(&lang("en"), eur(123_456)), "€1,234.56");
        assert_eq!(money(&lang("fr"), eur(123_456)), "1\u{202f}234,56\u{a0}€");
        assert_eq!(money(&lang("nl"), eur(123_456)), "€\u{a0}1.234,56");
        assert_eq!(money(&lang("sv"), Money::from_minor(123_456, Currency::SEK)), "1\u{a0}234,56\u{a0}kr");
        assert_eq!(money(&lang("de"), eur(100)), "1,00\u{a0}€");
        assert_eq!(money(&lang("de"), eur(-550)), "-5,50\u{a0}€");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(date(&lang("de"), day), "07.03.2026");
        assert_eq!(date(&lang("sv"), day), "2026-03-07");
        assert_eq!(date(&lang("en"), day), "07/03/2026");
        assert_eq!(percent(&lang("de"), Decimal::new(255, 1)), "25,5");
        assert_eq!(percent(&lang("en"), Decimal::new(19, 0)), "19");
    }

    #[test]
    fn swiss_and_austrian_readers_get_their_forms() {
        let chf = Money::from_minor(123_456, Currency::CHF);
        assert_eq!(Formats::new(&lang("de"), "CH").money(chf), "CHF\u{a0}1'234.56");
        assert_eq!(Formats::new(&lang("fr"), "CH").money(chf), "1'234,56\u{a0}CHF");
        assert_eq!(Formats::new(&lang("de"), "AT").money(eur(123_456)), "€\u{a0}1\u{a0}234,56");
        assert_eq!(Formats::new(&lang("de"), "DE").money(eur(123_456)), "1.234,56\u{a0}€");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(Formats::new(&lang("fr"), "CH").date(day), "07.03.2026");
        assert_eq!(Formats::new(&lang("fr"), "FR").date(day), "07/03/2026");
    }
}
