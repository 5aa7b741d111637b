//! A typical monthly invoice without a database, for benchmarks and rendering tests.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::model::{InvoiceDocument, Kind, Line, Party, VatRow};
use super::snapshot::Seller;
use crate::documents::how_to_pay::{Facts, HowToPay, Settled, decide};
use crate::i18n::Lang;
use crate::money::Money;

/// A customer typical for `language`: where they live, their name (with the letters that
/// trip up fonts), and their currency.
pub fn customer_for(language: &str) -> (Party, Currency) {
    let party = |name: &str, street: &str, postal: &str, city: &str, country: &str| Party {
        name: name.to_owned(),
        company_name: None,
        street: street.to_owned(),
        postal_code: postal.to_owned(),
        city: city.to_owned(),
        country: country.to_owned(),
        vat_id: None,
    };
    match language {
        "de" => (party("Jürgen Weiß", "Königstraße 5", "70173", "Stuttgart", "DE"), Currency::EUR),
        "fr" => (party("Françoise Lefèvre", "Rue de la Paix 12", "75002", "Paris", "FR"), Currency::EUR),
        "nl" => (
            party("Anneloes van Dijk-Brouwer", "Prinsengracht 263", "1016 GV", "Amsterdam", "NL"),
            Currency::EUR,
        ),
        "sv" => (party("Åsa Öberg", "Drottninggatan 7", "111 51", "Stockholm", "SE"), Currency::SEK),
        "da" => (party("Søren Æbelø", "Strøget 3", "1160", "København K", "DK"), Currency::DKK),
        "nb" => (party("Bjørn Håland", "Karl Johans gate 22", "0159", "Oslo", "NO"), Currency::NOK),
        _ => (party("Zoë Brontë", "221B Baker Street", "NW1 6XE", "London", "GB"), Currency::GBP),
    }
}

pub fn seller() -> Seller {
    Seller {
        name: "Kontor Hosting GmbH".to_owned(),
        address: vec!["Friedrichstraße 100".to_owned(), "10117 Berlin".to_owned(), "Germany".to_owned()],
        vat_id: "DE136695976".to_owned(),
        register: "Amtsgericht Charlottenburg, HRB 000000 B".to_owned(),
        iban: "DE89370400440532013000".to_owned(),
        bic: "COBADEFFXXX".to_owned(),
        chf_iban: Some("CH4431999123000889012".to_owned()),
        accounts: BTreeMap::new(),
        domestic: BTreeMap::new(),
    }
}

/// An invoice with `lines` lines of `unit_minor` each at `vat_rate` percent.
pub fn invoice(
    language: &str,
    customer: Party,
    currency: Currency,
    lines: usize,
    unit_minor: i64,
    vat_rate: Decimal,
) -> InvoiceDocument {
    let money = |minor: i64| Money::from_minor(minor, currency);
    let unit = money(unit_minor);
    let line_vat = (Decimal::new(unit_minor, 2) * vat_rate / Decimal::ONE_HUNDRED).round_dp(2);
    let count = lines as i64;
    let net = money(unit_minor * count);
    let vat = Money::new(line_vat * Decimal::from(count), currency);
    let gross = net.checked_add(vat).unwrap_or(net);
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
    let number = "2026-004711";
    let payment_reference = crate::references::rf_reference(number);
    let seller = seller();
    // Decided as for an issued invoice, so the sample shows what a customer without a mandate
    // gets (a failure here would be a bug in the sample's own data).
    let how_to_pay = decide(&Facts {
        credit_note: false,
        number,
        currency,
        due_date: day(15),
        payment_reference: &payment_reference,
        seller: &seller,
        amount_due: gross,
        open: gross,
        mandate: None,
    })
    .unwrap_or(HowToPay::Nothing(Settled::Paid));
    InvoiceDocument {
        id: 1,
        kind: Kind::Invoice,
        number: number.to_owned(),
        issue_date: day(1),
        due_date: day(15),
        service_from: Some(day(1)),
        // Exclusive, as stored: the service runs through 30 November.
        service_until: NaiveDate::from_ymd_opt(2026, 12, 1),
        currency,
        lines: (0..lines)
            .map(|n| Line {
                description: if n == 0 {
                    "Mailbox 10 GB, 01.11.2026 – 30.11.2026".to_owned()
                } else {
                    format!("Storage upgrade +{} GB, 01.11.2026 – 30.11.2026", 10 * (n % 5 + 1))
                },
                quantity: Decimal::ONE,
                unit_price: unit,
                net: unit,
                vat_rate,
            })
            .collect(),
        vat_rows: vec![VatRow { rate: vat_rate, net, vat }],
        net,
        vat,
        gross,
        credit_applied: Money::zero(currency),
        compensation: Vec::new(),
        amount_due: gross,
        vat_note: None,
        vat_treatment: "domestic".to_owned(),
        language: Lang::supported(language).unwrap_or_else(Lang::english),
        customer_number: "K-0012345".to_owned(),
        customer_email: "customer@example.org".to_owned(),
        customer,
        seller,
        payment_reference,
        credited_number: None,
        reason: None,
        how_to_pay,
    }
}
