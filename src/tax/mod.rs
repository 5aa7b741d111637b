//! Which VAT a supply of Kontor's electronically supplied services (mail, storage) carries.
//!
//! Legal basis, in short (Council Directive 2006/112/EC):
//! - B2C: the place of supply is where the consumer lives (Art. 58), so an EU consumer in another
//!   member state pays that state's rate, declared through the One-Stop Shop (Art. 369a ff.). The
//!   EUR 10 000 threshold of Art. 59c is deliberately not used: destination taxation is always correct.
//! - B2B: the place of supply is the customer's state (Art. 44) and the customer owes the VAT
//!   (reverse charge, Art. 196), so the invoice shows 0 % and a note (Art. 226 (11a)). Only a
//!   customer whose VAT ID VIES confirmed counts as one ([`vies`]); any other is charged like a
//!   consumer, since a supplier who reverse-charges on an unconfirmed ID owes the VAT itself.
//! - At home the seller's own rate applies to consumers and businesses alike.
//! - Outside the EU there is no EU VAT; local VAT only where the seller registered there.
//!
//! The German and other note texts are Fluent messages elsewhere; this module only names their ids.

pub mod rates;
pub mod vies;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::country::{Country, VatId};
use crate::money::{Money, MoneyError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seller {
    pub country: Country,
    /// Non-EU countries where the provider registered for local VAT (e.g. CH, NO).
    pub registered_outside_eu: Vec<Country>,
}

impl Default for Seller {
    fn default() -> Self {
        Seller { country: Country::Germany, registered_outside_eu: Vec::new() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buyer<'a> {
    pub country: Country,
    /// Present for a business with a (format-valid) VAT ID; `None` means a consumer.
    pub vat_id: Option<&'a VatId>,
    /// Whether the latest VIES check of `vat_id` found it valid. Reverse charge needs it; an ID
    /// that is invalid, unchecked or not answered yet is charged like a consumer.
    pub vies_valid: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatTreatment {
    /// Buyer in the seller's country, consumer or business.
    Domestic { rate: Decimal },
    /// EU consumer in another member state: that state's rate, declared via OSS.
    OssDestination { country: Country, rate: Decimal },
    /// EU business in another member state with a VAT ID VIES confirmed: the customer owes the VAT.
    ReverseCharge,
    /// Non-EU buyer where the seller has no registration (or the customer accounts for local VAT).
    OutsideEu,
    /// Non-EU buyer in a country where the seller is registered for VAT.
    LocalRegistration { country: Country, rate: Decimal },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    #[error("no VAT rate for {country} on {date}")]
    NoRate { country: Country, date: NaiveDate },
    // Reverse charge rests on the customer's identification in its own state; a foreign ID means
    // the customer data is inconsistent, and guessing a treatment would put wrong VAT on an invoice.
    #[error("VAT ID of {vat_id_country} given for a buyer in {buyer_country}")]
    VatIdCountryMismatch { buyer_country: Country, vat_id_country: Country },
    // The rules above are the EU's; a seller elsewhere needs different ones, not a wrong answer.
    #[error("seller country {0} is not an EU member state")]
    SellerOutsideEu(Country),
    #[error("VAT calculation: {0}")]
    Money(#[from] MoneyError),
}

impl TaxError {
    /// Fluent message id: every variant means a configuration or programming error, not user input.
    pub fn message_id(&self) -> &'static str {
        "error-internal"
    }
}

impl VatTreatment {
    /// Percent, 0 where no VAT of ours is charged.
    pub fn rate(&self) -> Decimal {
        match self {
            Self::Domestic { rate }
            | Self::OssDestination { rate, .. }
            | Self::LocalRegistration { rate, .. } => *rate,
            Self::ReverseCharge | Self::OutsideEu => Decimal::ZERO,
        }
    }

    /// Fluent id of the legally required invoice note, if any.
    pub fn note_message_id(&self) -> Option<&'static str> {
        match self {
            Self::ReverseCharge => Some("vat-note-reverse-charge"),
            Self::OutsideEu => Some("vat-note-outside-eu"),
            Self::Domestic { .. } | Self::OssDestination { .. } | Self::LocalRegistration { .. } => None,
        }
    }

    /// Stable code for storage; never change an existing one.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domestic { .. } => "domestic",
            Self::OssDestination { .. } => "oss",
            Self::ReverseCharge => "reverse_charge",
            Self::OutsideEu => "outside_eu",
            Self::LocalRegistration { .. } => "local",
        }
    }
}

/// Whether a seller registered in this non-EU country charges its VAT to businesses too.
/// CH: only suppliers *not* registered leave it to the customer (acquisition tax, Art. 45 MWSTG).
/// NO (VOEC) and GB: a foreign supplier's registration covers consumers; businesses self-account.
fn local_vat_for_businesses(country: Country) -> bool {
    matches!(country, Country::Switzerland)
}

pub fn treatment(seller: &Seller, buyer: &Buyer, supply_date: NaiveDate) -> Result<VatTreatment, TaxError> {
    if !seller.country.is_eu() {
        return Err(TaxError::SellerOutsideEu(seller.country));
    }
    if let Some(vat_id) = buyer.vat_id
        && vat_id.country() != buyer.country
    {
        let (buyer_country, vat_id_country) = (buyer.country, vat_id.country());
        return Err(TaxError::VatIdCountryMismatch { buyer_country, vat_id_country });
    }
    let rate = |country| {
        rates::standard_rate(country, supply_date).ok_or(TaxError::NoRate { country, date: supply_date })
    };
    let country = buyer.country;
    let business = buyer.vat_id.is_some();
    if country == seller.country {
        return Ok(VatTreatment::Domestic { rate: rate(country)? });
    }
    if country.is_eu() {
        return Ok(if business && buyer.vies_valid {
            VatTreatment::ReverseCharge
        } else {
            VatTreatment::OssDestination { country, rate: rate(country)? }
        });
    }
    let registered = seller.registered_outside_eu.contains(&country);
    if registered && (!business || local_vat_for_businesses(country)) {
        return Ok(VatTreatment::LocalRegistration { country, rate: rate(country)? });
    }
    Ok(VatTreatment::OutsideEu)
}

/// `net × rate / 100`, rounded once, half away from zero: invoices call it once per rate on that
/// rate's net total, so per-line rounding differences cannot add up.
/// Fails only on overflow, which table rates (≤ 100 %) cannot cause for any representable amount.
pub fn vat_amount(net: Money, rate: Decimal) -> Result<Money, TaxError> {
    let factor = rate.checked_div(Decimal::ONE_HUNDRED).ok_or(MoneyError::Overflow)?;
    Ok(net.checked_mul(factor)?.round())
}

/// Fails on overflow only (a net amount beyond half of Decimal's range).
pub fn gross(net: Money, rate: Decimal) -> Result<Money, TaxError> {
    Ok(net.checked_add(vat_amount(net, rate)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Country::*;
    use VatTreatment::*;
    use iso_currency::Currency::{EUR, SEK};

    const TODAY: &str = "2026-11-21";

    fn pct(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn id(text: &str, country: Country) -> VatId {
        VatId::parse(text, country).unwrap()
    }

    /// "oss AT 20": code, country where the treatment names one, and rate; the error text otherwise.
    /// A VAT ID given is one VIES confirmed.
    fn decide(seller: &Seller, country: Country, vat_id: Option<&VatId>, on: &str) -> String {
        decide_checked(seller, Buyer { country, vat_id, vies_valid: vat_id.is_some() }, on)
    }

    fn decide_checked(seller: &Seller, buyer: Buyer, on: &str) -> String {
        match treatment(seller, &buyer, on.parse().unwrap()) {
            Ok(t @ (OssDestination { country, .. } | LocalRegistration { country, .. })) => {
                format!("{} {country} {}", t.code(), t.rate())
            }
            Ok(t) => format!("{} {}", t.code(), t.rate()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn decisions() {
        let de = Seller::default();
        let ch_no = Seller { registered_outside_eu: vec![Switzerland, Norway], ..Seller::default() };
        let ch_seller = Seller { country: Switzerland, registered_outside_eu: Vec::new() };
        let at = id("ATU13585627", Austria);
        let (de_id, ch_id) = (id("DE136695976", Germany), id("CHE-100.155.212 MWST", Switzerland));
        let no_id = id("NO 995 525 828", Norway);
        #[rustfmt::skip]
        let cases = [
            (&de, Germany, None, TODAY, "domestic 19"),
            (&de, Austria, None, TODAY, "oss AT 20"),
            (&de, France, None, TODAY, "oss FR 20"),
            (&de, Netherlands, None, TODAY, "oss NL 21"),
            (&de, Denmark, None, TODAY, "oss DK 25"),
            (&de, Sweden, None, TODAY, "oss SE 25"),
            (&de, Finland, None, "2024-08-31", "oss FI 24"),
            (&de, Finland, None, "2024-09-01", "oss FI 25.5"),
            (&de, Estonia, None, "2025-07-01", "oss EE 24"),
            (&de, Germany, None, "2020-12-31", "domestic 16"),
            // A business with a VAT ID: reverse charge abroad, never at home.
            (&de, Austria, Some(&at), TODAY, "reverse_charge 0"),
            (&de, Germany, Some(&de_id), TODAY, "domestic 19"),
            (&de, Switzerland, None, TODAY, "outside_eu 0"),
            (&de, Norway, None, TODAY, "outside_eu 0"),
            (&de, UnitedKingdom, None, TODAY, "outside_eu 0"),
            (&ch_no, Switzerland, None, TODAY, "local CH 8.1"),
            (&ch_no, Switzerland, None, "2023-06-01", "local CH 7.7"),
            (&ch_no, Switzerland, Some(&ch_id), TODAY, "local CH 8.1"),
            (&ch_no, Norway, None, TODAY, "local NO 25"),
            (&ch_no, Norway, Some(&no_id), TODAY, "outside_eu 0"),
            (&ch_no, UnitedKingdom, None, TODAY, "outside_eu 0"),
            (&de, Austria, None, "2019-12-31", "no VAT rate for AT on 2019-12-31"),
            (&de, Germany, None, "2019-12-31", "no VAT rate for DE on 2019-12-31"),
            (&de, France, Some(&at), TODAY, "VAT ID of AT given for a buyer in FR"),
            (&ch_seller, Germany, None, TODAY, "seller country CH is not an EU member state"),
        ];
        for (seller, country, vat_id, on, expected) in cases {
            assert_eq!(decide(seller, country, vat_id, on), expected, "{country} {on}");
        }
        let date = "2019-12-31".parse().unwrap();
        let no_rate = treatment(&de, &Buyer { country: Austria, vat_id: None, vies_valid: false }, date);
        assert_eq!(no_rate, Err(TaxError::NoRate { country: Austria, date }));
    }

    #[test]
    fn a_vat_id_vies_did_not_confirm_is_charged_like_a_consumer_in_the_eu_only() {
        let de = Seller::default();
        let ch_no = Seller { registered_outside_eu: vec![Switzerland, Norway], ..Seller::default() };
        let at = id("ATU13585627", Austria);
        let (ch_id, no_id) = (id("CHE-100.155.212 MWST", Switzerland), id("NO 995 525 828", Norway));
        let unconfirmed = |country, vat_id| Buyer { country, vat_id: Some(vat_id), vies_valid: false };
        assert_eq!(decide_checked(&de, unconfirmed(Austria, &at), TODAY), "oss AT 20");
        let de_id = id("DE136695976", Germany);
        assert_eq!(decide_checked(&de, unconfirmed(Germany, &de_id), TODAY), "domestic 19");
        // VIES knows no Swiss or Norwegian numbers: the business stays a business there.
        assert_eq!(decide_checked(&ch_no, unconfirmed(Switzerland, &ch_id), TODAY), "local CH 8.1");
        assert_eq!(decide_checked(&ch_no, unconfirmed(Norway, &no_id), TODAY), "outside_eu 0");
        // Confirmation without a VAT ID means nothing.
        let odd = Buyer { country: Austria, vat_id: None, vies_valid: true };
        assert_eq!(decide_checked(&de, odd, TODAY), "oss AT 20");
    }

    #[test]
    fn rates_notes_codes_and_message_ids() {
        let rate = pct("20");
        let country = Switzerland;
        #[rustfmt::skip]
        let cases = [
            (Domestic { rate }, "20", None, "domestic"),
            (OssDestination { country, rate }, "20", None, "oss"),
            (ReverseCharge, "0", Some("vat-note-reverse-charge"), "reverse_charge"),
            (OutsideEu, "0", Some("vat-note-outside-eu"), "outside_eu"),
            (LocalRegistration { country, rate }, "20", None, "local"),
        ];
        for (t, rate, note, code) in cases {
            assert_eq!((t.rate().to_string().as_str(), t.note_message_id(), t.code()), (rate, note, code));
        }
        assert_eq!(TaxError::SellerOutsideEu(Switzerland).message_id(), "error-internal");
        assert_eq!(TaxError::Money(MoneyError::Overflow).message_id(), "error-internal");
    }

    #[test]
    fn vat_is_rounded_once_half_away_from_zero() {
        let eur = |minor| Money::from_minor(minor, EUR);
        assert_eq!(vat_amount(eur(84), pct("19")), Ok(eur(16)));
        assert_eq!(vat_amount(eur(100), pct("25.5")), Ok(eur(26)));
        assert_eq!(vat_amount(eur(-100), pct("25.5")), Ok(eur(-26)));
        let sek = |minor| Money::from_minor(minor, SEK);
        assert_eq!(vat_amount(sek(1200), pct("25")), Ok(sek(300)));
        assert_eq!(vat_amount(eur(999), Decimal::ZERO), Ok(eur(0)));
        assert_eq!(gross(eur(84), pct("19")), Ok(eur(100)));
        assert_eq!(gross(eur(100), pct("25.5")), Ok(eur(126)));
        let huge = Money::new(Decimal::MAX, EUR);
        assert_eq!(gross(huge, pct("19")), Err(TaxError::Money(MoneyError::Overflow)));
    }
}
