//! Countries and VAT ids: parsing, canonical forms, check digits per country.

use super::*;
use Country::*;
use VatIdError::{BadCheckDigit, BadFormat, Empty};

#[test]
fn every_country_parses_and_round_trips() {
    for c in Country::ALL {
        assert_eq!(Country::parse(c.code()), Ok(c));
        assert_eq!(Country::parse(&format!(" {} ", c.code().to_lowercase())), Ok(c));
        assert_eq!(Country::ALL.iter().filter(|x| **x == c).count(), 1);
    }
    for bad in ["", "XX", "DEU", "EL", "UK", "D"] {
        assert_eq!(Country::parse(bad), Err(CountryError::Unknown(bad.to_owned())));
    }
    let codes: Vec<_> = Country::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(codes[..9], ["DE", "AT", "CH", "FR", "NL", "DK", "NO", "SE", "GB"]);
    assert!(codes[9..].is_sorted());
    assert_eq!(Country::ALL.iter().filter(|c| c.is_eu()).count(), 27);
    assert!(!Switzerland.is_eu() && !Norway.is_eu() && !UnitedKingdom.is_eu() && Poland.is_eu());
    assert_eq!(Austria.name_message_id(), "country-at");
    assert_eq!(CountryError::Unknown("X".into()).message_id(), "country-unknown");
}

fn from_string<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T, serde::de::value::Error> {
    T::deserialize(serde::de::IntoDeserializer::into_deserializer(s.to_owned()))
}

#[test]
fn serde_uses_codes_and_canonical_vat_ids() {
    assert_eq!(from_string::<Country>("gb"), Ok(UnitedKingdom));
    assert!(from_string::<Country>("EL").is_err());
    assert_eq!(<&str>::from(Greece), "GR");
    let vat_id = from_string::<VatId>("EL094259216");
    assert_eq!(vat_id.as_ref().map(VatId::country), Ok(Greece));
    assert_eq!(vat_id.map(String::from).ok().as_deref(), Some("EL094259216"));
    assert!(from_string::<VatId>("ATU13585626").is_err());
    assert_eq!(VatId::try_from("  ".to_owned()), Err(Empty));
    assert_eq!(VatId::try_from("136695976".to_owned()), Err(BadFormat));
}

#[test]
fn currencies_and_languages() {
    let non_euro = [(Switzerland, Currency::CHF), (Sweden, Currency::SEK), (Norway, Currency::NOK)];
    for (c, currency) in
        non_euro.into_iter().chain([(Denmark, Currency::DKK), (UnitedKingdom, Currency::GBP)])
    {
        assert_eq!(c.currency(), currency);
    }
    for c in [Germany, Austria, France, Poland, Czechia, Hungary, Romania, Bulgaria, Ireland] {
        assert_eq!(c.currency(), Currency::EUR, "{c}");
    }
    let de_fr = [("de", Germany), ("de", Austria), ("de", Switzerland), ("fr", France), ("fr", Belgium)];
    let others = [("fr", Luxembourg), ("nl", Netherlands), ("sv", Sweden), ("da", Denmark), ("nb", Norway)];
    let english = [Finland, UnitedKingdom, Ireland, Italy, Spain, Poland, Greece].map(|c| ("en", c));
    for (lang, c) in de_fr.into_iter().chain(others).chain(english) {
        assert_eq!(c.default_language(), lang, "{c}");
    }
}

#[track_caller]
fn ok(country: Country, input: &str, canonical: &str) {
    let vat_id = VatId::parse(input, country);
    assert_eq!(vat_id.as_ref().map(ToString::to_string), Ok(canonical.to_owned()), "{country} {input}");
    assert_eq!(vat_id.as_ref().map(VatId::country), Ok(country));
    assert_eq!(VatId::try_from(canonical.to_owned()), vat_id);
}

#[track_caller]
fn err(country: Country, input: &str, expected: VatIdError) {
    assert_eq!(VatId::parse(input, country), Err(expected), "{country} {input}");
}

// Numbers checked by an algorithm are the documented examples of python-stdnum, mostly real
// registrations; their invalid variants change the check digit.
#[test]
fn valid_and_invalid_per_country() {
    let cases = [
        (Austria, "U13585627", "U13585626", BadCheckDigit),
        (Belgium, "0403019261", "0431150351", BadCheckDigit),
        (Bulgaria, "175074752", "17507475", BadFormat),
        (Croatia, "33392005961", "33392005962", BadCheckDigit),
        (Cyprus, "10259033P", "102590331", BadFormat),
        (Czechia, "25123891", "2512389", BadFormat),
        (Denmark, "13585628", "13585627", BadCheckDigit),
        (Estonia, "100594102", "100594103", BadCheckDigit),
        (Finland, "20774740", "20774741", BadCheckDigit),
        (France, "40303265045", "84323140391", BadCheckDigit),
        (Germany, "136695976", "136695978", BadCheckDigit),
        (Greece, "094259216", "123456781", BadCheckDigit),
        (Hungary, "12892312", "12892313", BadCheckDigit),
        (Ireland, "6433435F", "6433435", BadFormat),
        (Italy, "00743110157", "00743110158", BadCheckDigit),
        (Latvia, "40003521600", "4000352160", BadFormat),
        (Lithuania, "119511515", "1195115151", BadFormat),
        (Luxembourg, "15027442", "15027443", BadCheckDigit),
        (Malta, "11679112", "11679113", BadCheckDigit),
        (Netherlands, "004495445B01", "004495445C01", BadFormat),
        (Norway, "995525828MVA", "995525829MVA", BadCheckDigit),
        (Poland, "8567346215", "8567346216", BadCheckDigit),
        (Portugal, "501964843", "501964842", BadCheckDigit),
        (Romania, "18547290", "1", BadFormat),
        (Slovakia, "2022749619", "202274961", BadFormat),
        (Slovenia, "50223054", "5022305", BadFormat),
        (Spain, "B58378431", "158378431", BadFormat),
        (Sweden, "123456789701", "123456789101", BadCheckDigit),
        (Switzerland, "100155212", "100155213", BadCheckDigit),
        (UnitedKingdom, "980780684", "98078068", BadFormat),
    ];
    for (c, valid, invalid, error) in cases {
        let canonical = format!("{}{valid}", c.vat_prefix());
        ok(c, valid, &canonical);
        ok(c, &canonical.to_lowercase(), &canonical);
        err(c, invalid, error);
        err(c, &format!("{valid}X"), BadFormat);
    }
    assert!(Country::ALL.iter().all(|c| cases.iter().any(|case| case.0 == *c)));
}

#[test]
fn more_examples() {
    ok(Belgium, "BE 428759497", "BE0428759497");
    ok(Estonia, "EE 100 931 558", "EE100931558");
    ok(Finland, "FI 0112038-9", "FI01120389");
    ok(France, "23334175221", "FR23334175221");
    ok(France, "K7399859412", "FRK7399859412");
    ok(Germany, "DE123456788", "DE123456788");
    err(Germany, "DE123456789", BadCheckDigit);
    ok(Sweden, "556703-7485 01", "SE556703748501");
    ok(Switzerland, "CHE-107.787.577 IVA", "CHE107787577IVA");
    ok(Spain, "esx1234567l", "ESX1234567L");
    ok(Spain, "12345678Z", "ES12345678Z");
    ok(Ireland, "8D79739I", "IE8D79739I");
    ok(Ireland, "6433435OA", "IE6433435OA");
    ok(Ireland, "IE 8+79739I", "IE8+79739I");
    ok(Czechia, "CZ 7103192745", "CZ7103192745");
    ok(Lithuania, "LT 100001919017", "LT100001919017");
    ok(UnitedKingdom, "GB 980 7806 84 001", "GB980780684001");
    ok(UnitedKingdom, "gbgd001", "GBGD001");
    ok(UnitedKingdom, "HA500", "GBHA500");
    ok(Switzerland, "100155212 MWST", "CHE100155212MWST");
    ok(Switzerland, "CHE-100.155.212 TVA", "CHE100155212TVA");
    ok(Norway, "NO 995 525 828", "NO995525828MVA");
    err(Switzerland, "CHE-100.155.212 VAT", BadFormat);
    err(Spain, "ES12345678", BadFormat);
    err(France, "FRIO334175221", BadFormat);
    err(Belgium, "2403019261", BadFormat);
    err(Sweden, "123456789702", BadFormat);
    err(Ireland, "6433435FX", BadFormat);
}

#[test]
fn prefixes() {
    ok(Germany, "de136695976", "DE136695976");
    ok(Greece, "GR 094259216", "EL094259216");
    let wrong = |expected, found| VatIdError::WrongCountryPrefix { expected, found };
    err(Germany, "ATU13585627", wrong(Germany, Austria));
    err(Austria, "DE136695976", wrong(Austria, Germany));
    err(Cyprus, "EL094259216", wrong(Cyprus, Greece));
    err(Germany, "CHE-100.155.212", wrong(Germany, Switzerland));
    err(Sweden, "NO995525828MVA", wrong(Sweden, Norway));
    // A French key that looks like a country code is French unless the rest fits that country.
    ok(France, "AT303265045", "FRAT303265045");
    ok(France, "FRDE303265045", "FRDE303265045");
    err(France, "DE136695976", wrong(France, Germany));
}

#[test]
fn normalization() {
    ok(Germany, " DE 136.695-976 ", "DE136695976");
    ok(Austria, "at\tu 1358 5627", "ATU13585627");
    ok(Netherlands, "nl0044.95.445.b.01", "NL004495445B01");
    ok(Belgium, "BE 403.019.261", "BE0403019261");
    ok(Germany, "DE\u{a0}136\u{2013}695\u{2013}976", "DE136695976");
    err(Germany, " .-- ", Empty);
    err(Germany, "DE 136/695/976", BadFormat);
    err(Germany, "DE13669597\u{ff16}", BadFormat);
    let vat_id = VatId::parse("NO 995 525 828", Norway);
    assert_eq!(vat_id.as_ref().map(VatId::as_str), Ok("995525828MVA"));
}

#[test]
fn error_message_ids() {
    let wrong = VatIdError::WrongCountryPrefix { expected: Germany, found: Austria };
    let ids = [Empty, wrong, BadFormat, BadCheckDigit].map(|e| e.message_id());
    assert_eq!(ids, ["vat-id-empty", "vat-id-wrong-country", "vat-id-bad-format", "vat-id-bad-check-digit"]);
}
