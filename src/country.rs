//! Countries customers may live in, and their VAT identification numbers.

use std::fmt;

use iso_currency::Currency;
use serde::{Deserialize, Serialize};

/// Declares `Country` from one table so that variants, codes and `ALL` cannot drift apart.
macro_rules! countries {
    ($($variant:ident = $code:literal,)*) => {
        /// A country a customer may live in: the 27 EU member states plus Switzerland, Norway and the UK.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum Country { $($variant,)* }

        impl Country {
            /// Core markets first so that country pickers show them on top; the rest by ISO code.
            pub const ALL: [Country; 30] = [$(Country::$variant,)*];

            /// ISO 3166-1 alpha-2.
            pub fn code(self) -> &'static str {
                match self { $(Country::$variant => $code,)* }
            }
        }
    };
}

countries! {
    Germany = "DE", Austria = "AT", Switzerland = "CH", France = "FR", Netherlands = "NL", Denmark = "DK",
    Norway = "NO", Sweden = "SE", UnitedKingdom = "GB",
    Belgium = "BE", Bulgaria = "BG", Cyprus = "CY", Czechia = "CZ", Estonia = "EE", Spain = "ES",
    Finland = "FI", Greece = "GR", Croatia = "HR", Hungary = "HU", Ireland = "IE", Italy = "IT",
    Lithuania = "LT", Luxembourg = "LU", Latvia = "LV", Malta = "MT", Poland = "PL", Portugal = "PT",
    Romania = "RO", Slovenia = "SI", Slovakia = "SK",
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryError {
    #[error("unknown country code {0:?}")]
    Unknown(String),
}

impl CountryError {
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::Unknown(_) => "country-unknown",
        }
    }
}

impl Country {
    /// Parses an ISO 3166-1 alpha-2 code. `EL` and `UK` are refused: they are not ISO codes.
    pub fn parse(code: &str) -> Result<Country, CountryError> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| CountryError::Unknown(code.to_owned()))
    }

    pub fn is_eu(self) -> bool {
        use Country::*;
        !matches!(self, Switzerland | Norway | UnitedKingdom)
    }

    pub fn currency(self) -> Currency {
        match self {
            Country::Switzerland => Currency::CHF,
            Country::Sweden => Currency::SEK,
            Country::Norway => Currency::NOK,
            Country::Denmark => Currency::DKK,
            Country::UnitedKingdom => Currency::GBP,
            // EU states outside the euro area (PL, CZ, HU, RO, ...) too: the provider invoices them in EUR,
            // not in their national currency.
            _ => Currency::EUR,
        }
    }

    /// Default portal language (en, de, fr, nl, sv, da, nb); the customer can always switch.
    ///
    /// | country    | lang | why                                                                     |
    /// |------------|------|-------------------------------------------------------------------------|
    /// | DE, AT     | de   | official language                                                       |
    /// | CH         | de   | majority language (~60 %); no Italian translation                       |
    /// | FR         | fr   | official language                                                       |
    /// | BE         | fr   | product decision for the bilingual country, although nl is the majority |
    /// | LU         | fr   | language of administration and business                                 |
    /// | NL         | nl   | official language                                                       |
    /// | SE         | sv   | official language                                                       |
    /// | DK         | da   | official language                                                       |
    /// | NO         | nb   | Bokmål is the written standard of most Norwegians                       |
    /// | FI         | en   | no Finnish; Swedish is the mother tongue of ~5 % only                   |
    /// | all others | en   | no translation in their language                                        |
    pub fn default_language(self) -> &'static str {
        use Country::*;
        match self {
            Germany | Austria | Switzerland => "de",
            France | Belgium | Luxembourg => "fr",
            Netherlands => "nl",
            Sweden => "sv",
            Denmark => "da",
            Norway => "nb",
            _ => "en",
        }
    }

    pub fn name_message_id(self) -> String {
        format!("country-{}", self.code().to_ascii_lowercase())
    }

    /// The prefix of VAT IDs, which differs from the ISO code for Greece (EU usage) and Switzerland (UID).
    pub fn vat_prefix(self) -> &'static str {
        match self {
            Country::Greece => "EL",
            Country::Switzerland => "CHE",
            _ => self.code(),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Country {
    type Error = CountryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Country::parse(&s)
    }
}

impl From<Country> for &'static str {
    fn from(c: Country) -> Self {
        c.code()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VatIdError {
    #[error("VAT ID is empty")]
    Empty,
    #[error("VAT ID of {found} given for a customer in {expected}")]
    WrongCountryPrefix { expected: Country, found: Country },
    #[error("VAT ID does not have the format of its country")]
    BadFormat,
    #[error("VAT ID check digit is wrong")]
    BadCheckDigit,
}

impl VatIdError {
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::Empty => "vat-id-empty",
            Self::WrongCountryPrefix { .. } => "vat-id-wrong-country",
            Self::BadFormat => "vat-id-bad-format",
            Self::BadCheckDigit => "vat-id-bad-check-digit",
        }
    }
}

/// A VAT identification number whose format (and check digit, where known) fits its country.
/// Serialized as the canonical form with prefix, from which deserializing recovers the country.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VatId {
    country: Country,
    number: String,
}

impl VatId {
    /// Parses what a customer of `country` typed, with or without the country prefix.
    pub fn parse(input: &str, country: Country) -> Result<VatId, VatIdError> {
        let separator = |c: &char| c.is_whitespace() || matches!(c, '.' | '-' | '\u{2010}'..='\u{2015}');
        let s: String = input.chars().filter(|c| !separator(c)).collect();
        let s = s.to_uppercase();
        if s.is_empty() {
            return Err(VatIdError::Empty);
        }
        let expected = country;
        let wrong = |found| VatIdError::WrongCountryPrefix { expected, found };
        let number = match split_prefix(&s) {
            // A number may itself start with its prefix's letters (French keys), so retry unstripped.
            Some((c, rest)) if c == country => {
                canonical_number(country, rest).or_else(|| canonical_number(country, &s))
            }
            // French keys may look like a country code; only a fit to that country's format says it is one.
            Some((other, rest)) => match canonical_number(country, &s) {
                Some(n) if canonical_number(other, rest).is_none() => Some(n),
                _ => return Err(wrong(other)),
            },
            None => canonical_number(country, &s),
        }
        .ok_or(VatIdError::BadFormat)?;
        if !check_digits_ok(country, &number) {
            return Err(VatIdError::BadCheckDigit);
        }
        Ok(VatId { country, number })
    }

    pub fn country(&self) -> Country {
        self.country
    }

    /// The number without the country prefix, as VIES wants it next to the prefix.
    pub fn as_str(&self) -> &str {
        &self.number
    }
}

impl fmt::Display for VatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.country.vat_prefix(), self.number)
    }
}

/// Parses a VAT ID with its prefix, as stored: the prefix is the only way to know its country.
impl TryFrom<String> for VatId {
    type Error = VatIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let start = s.trim_start().chars().take(3).collect::<String>().to_uppercase();
        match split_prefix(&start) {
            Some((country, _)) => VatId::parse(&s, country),
            None if s.trim().is_empty() => Err(VatIdError::Empty),
            None => Err(VatIdError::BadFormat),
        }
    }
}

impl From<VatId> for String {
    fn from(v: VatId) -> Self {
        v.to_string()
    }
}

fn split_prefix(s: &str) -> Option<(Country, &str)> {
    if let Some(rest) = s.strip_prefix("CHE") {
        return Some((Country::Switzerland, rest));
    }
    let (prefix, rest) = s.split_at_checked(2)?;
    // GR is tolerated for Greece: customers know their ISO code better than the EU's EL.
    let greece = (prefix == "EL").then_some(Country::Greece);
    let country = Country::parse(prefix).ok().or(greece)?;
    Some((country, rest))
}

/// Pattern chars: `9` digit, `A` letter, `X` letter or digit; anything else stands for itself.
fn shape(s: &str, pattern: &str) -> bool {
    s.len() == pattern.len()
        && s.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
            b'9' => c.is_ascii_digit(),
            b'A' => c.is_ascii_uppercase(),
            b'X' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            _ => c == p,
        })
}

fn all_digits(s: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// The national part in canonical form if `s` has the format VIES (or the national authority) gives.
fn canonical_number(country: Country, s: &str) -> Option<String> {
    use Country::*;
    let n = |len| all_digits(s, len..=len);
    let fits = match country {
        Austria => shape(s, "U99999999"),
        // Old numbers had 9 digits; the enterprise number added a leading zero.
        Belgium if n(9) => return Some(format!("0{s}")),
        Belgium => n(10) && (s.starts_with('0') || s.starts_with('1')),
        Bulgaria => all_digits(s, 9..=10),
        Cyprus => shape(s, "99999999A"),
        Czechia => all_digits(s, 8..=10),
        Germany | Estonia | Greece | Portugal => n(9),
        Denmark | Finland | Hungary | Luxembourg | Malta | Slovenia => n(8),
        // First and last may be letters or digits but not both digits; the middle is digits anyway.
        Spain => shape(s, "X9999999X") && !n(9),
        France => shape(s, "XX999999999") && !s.bytes().take(2).any(|b| b == b'I' || b == b'O'),
        Croatia | Italy | Latvia => n(11),
        // Since 2013 a second letter (A-I, or W for none) may follow the check letter.
        Ireland => {
            let old = ["9999999A", "9A99999A", "9+99999A", "9*99999A"];
            let second_letter = |c| matches!(c, 'A'..='I' | 'W');
            old.iter().any(|p| shape(s, p)) || shape(s, "9999999AA") && s.ends_with(second_letter)
        }
        Lithuania => n(9) || n(12),
        Netherlands => shape(s, "999999999B99"),
        Poland | Slovakia => n(10),
        Romania => all_digits(s, 2..=10),
        Sweden => n(12) && s.ends_with("01"),
        // The suffix names the tax in the customer's language and belongs to the number on invoices.
        Switzerland => {
            let suffixes = ["", "MWST", "TVA", "IVA"];
            suffixes.iter().any(|x| s.strip_suffix(x).is_some_and(|d| all_digits(d, 9..=9)))
        }
        // Customers often leave out MVA, but the official form always has it.
        Norway => {
            let digits = s.strip_suffix("MVA").unwrap_or(s);
            return all_digits(digits, 9..=9).then(|| format!("{digits}MVA"));
        }
        UnitedKingdom => n(9) || n(12) || shape(s, "GD999") || shape(s, "HA999"),
    };
    fits.then(|| s.to_owned())
}

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// Luhn sum mod 10 (0 means valid): from the right, every second digit is doubled and its digits added.
fn luhn(digits: &[u32]) -> u32 {
    let weighted = digits.iter().rev().zip([1, 2].into_iter().cycle());
    let sum: u32 = weighted.map(|(&d, k)| d * k / 10 + d * k % 10).sum();
    sum % 10
}

/// The check digit of ISO 7064 MOD 11,10, whose running sum counts 0 as 10.
fn iso7064_mod11_10(body: &[u32]) -> u32 {
    let product = body.iter().fold(10, |p, &d| match (d + p) % 10 {
        0 => 2 * 10 % 11,
        sum => 2 * sum % 11,
    });
    (11 - product) % 10
}

/// Only algorithms confirmed against published valid and invalid numbers; the rest pass on format.
fn check_digits_ok(country: Country, number: &str) -> bool {
    use Country::*;
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    let Some((&check, body)) = digits.split_last() else {
        return false;
    };
    let value = digits.iter().fold(0u64, |v, &d| v * 10 + u64::from(d));
    let mod11 = |weights: &[u32]| (11 - weighted(body, weights) % 11) % 11 == check;
    match country {
        Austria => (16 - luhn(body)) % 10 == check,
        Belgium => (value / 100 + value % 100).is_multiple_of(97),
        Germany | Croatia => iso7064_mod11_10(body) == check,
        Denmark => weighted(&digits, &[2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
        Estonia => weighted(&digits, &[3, 7, 1, 3, 7, 1, 3, 7, 1]).is_multiple_of(10),
        Finland => mod11(&[7, 9, 10, 5, 8, 4, 2]),
        // Only the old numeric keys have a public algorithm.
        France if digits.len() == 11 => (12 + 3 * (value % 1_000_000_000 % 97)) % 97 == value / 1_000_000_000,
        Greece => weighted(body, &[256, 128, 64, 32, 16, 8, 4, 2]) % 11 % 10 == check,
        Hungary => weighted(&digits, &[9, 7, 3, 1, 9, 7, 3, 1]).is_multiple_of(10),
        Italy => luhn(&digits) == 0,
        Luxembourg => value / 100 % 89 == value % 100,
        Malta => weighted(&digits, &[3, 4, 6, 7, 8, 9, 10, 1]).is_multiple_of(37),
        Norway => mod11(&[3, 2, 7, 6, 5, 4, 3, 2]),
        Poland => weighted(body, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == check,
        Portugal => (11 - weighted(body, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11) % 11 % 10 == check,
        Sweden => digits.get(..10).is_some_and(|d| luhn(d) == 0),
        Switzerland => mod11(&[5, 4, 3, 2, 7, 6, 5, 4]),
        _ => true,
    }
}

#[cfg(test)]
mod tests;
