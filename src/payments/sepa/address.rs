//! The creditor's (or debtor's) structured postal address as ISO 20022 `PstlAdr`. From
//! November 2026 SEPA files must carry at least the town and country as fields of their own;
//! the seller's address is configured as printed lines, so the street and building number,
//! postcode and town are read from those lines.

use super::SepaError;
use super::xml::{Xml, sepa_text};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostalAddress {
    pub street: Option<String>,
    pub building: Option<String>,
    pub postcode: Option<String>,
    pub town: String,
    /// ISO 3166 alpha-2.
    pub country: String,
}

impl PostalAddress {
    /// Reads printed lines such as `Friedrichstraße 100 | 10117 Berlin | Germany`: the first
    /// line is the street (a last word starting with a digit is the building number); the line
    /// whose first word holds a digit is postcode and town. A line naming the country is left
    /// out: the country is `country`. Lines that do not fit leave the town as the last line
    /// before the country, so a file is never without a town.
    pub fn from_lines(lines: &[String], country: &str) -> PostalAddress {
        let lines: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
        let mut address = PostalAddress { country: country.to_ascii_uppercase(), ..Default::default() };
        let postcode_line = lines.iter().skip(1).position(|line| {
            line.split_whitespace().next().is_some_and(|word| word.chars().any(|c| c.is_ascii_digit()))
        });
        if let Some(street) = lines.first().filter(|_| lines.len() > 1) {
            match street.rsplit_once(' ') {
                Some((name, number)) if number.starts_with(|c: char| c.is_ascii_digit()) => {
                    address.street = Some(name.trim().to_owned());
                    address.building = Some(number.to_owned());
                }
                _ => address.street = Some((*street).to_owned()),
            }
        }
        match postcode_line.and_then(|i| lines.get(i + 1).copied()) {
            Some(line) => {
                let (postcode, town) = line.split_once(' ').unwrap_or((line, ""));
                address.postcode = Some(postcode.to_owned());
                address.town = town.trim().to_owned();
            }
            None => address.town = lines.get(1).or(lines.first()).copied().unwrap_or_default().to_owned(),
        }
        address
    }

    /// `PstlAdr` in PostalAddress24 order (pain.008.001.08, pain.001.001.09).
    pub(super) fn write(&self, x: &mut Xml) -> Result<(), SepaError> {
        x.open("PstlAdr")?;
        if let Some(street) = &self.street {
            x.leaf("StrtNm", &sepa_text(street, 70))?;
        }
        if let Some(building) = &self.building {
            x.leaf("BldgNb", &sepa_text(building, 16))?;
        }
        if let Some(postcode) = &self.postcode {
            x.leaf("PstCd", &sepa_text(postcode, 16))?;
        }
        x.leaf("TwnNm", &sepa_text(&self.town, 35))?;
        x.leaf("Ctry", &self.country)?;
        x.close("PstlAdr")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.split('|').map(str::to_owned).collect()
    }

    #[test]
    fn street_building_postcode_and_town_come_from_the_printed_lines() {
        let a = PostalAddress::from_lines(&lines("Friedrichstraße 100|10117 Berlin|Germany"), "de");
        assert_eq!(a.street.as_deref(), Some("Friedrichstraße"));
        assert_eq!(a.building.as_deref(), Some("100"));
        assert_eq!(a.postcode.as_deref(), Some("10117"));
        assert_eq!(a.town, "Berlin");
        assert_eq!(a.country, "DE");
    }

    #[test]
    fn an_address_without_number_or_postcode_still_has_a_town() {
        let a = PostalAddress::from_lines(&lines("Am Markt|Vaduz"), "LI");
        assert_eq!(a.street.as_deref(), Some("Am Markt"));
        assert_eq!((a.building, a.postcode), (None, None));
        assert_eq!(a.town, "Vaduz");
        let single = PostalAddress::from_lines(&lines("Wien"), "AT");
        assert_eq!((single.street, single.town.as_str()), (None, "Wien"));
    }
}
