//! The payment QR payloads against the standards' examples, bank samples and identifier vectors.

use super::*;
use iso_currency::Currency::{CHF, EUR, USD};

const QR_IBAN: &str = "CH4431999123000889012";
const IBAN: &str = "CH9300762011623852957";
const QRR: &str = "123456789012345678901234567";
const RF: &str = "RF18539007547034";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text_fixture(path: &str) -> String {
    String::from_utf8(fixture(path)).unwrap()
}

fn latin1(text: &str) -> Vec<u8> {
    text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect()
}

fn payee(name: &str, iban: &str, bic: &str) -> Payee {
    Payee { name: name.into(), iban: iban.into(), bic: bic.into() }
}

fn addr(fields: [&str; 6]) -> SwissAddress {
    let [name, street, building, postal_code, town, country] = fields.map(String::from);
    SwissAddress { name, street, building, postal_code, town, country }
}

fn thomas() -> SwissAddress {
    addr(["Thomas LeClaire", "Rue examplaire", "22a", "1000", "Lausanne", "CH"])
}

fn at(iban: &str) -> SwissCreditor {
    SwissCreditor { iban: iban.into(), address: thomas() }
}

#[test]
fn epc_examples_byte_for_byte() {
    let franz = payee("Franz Mustermänn", "DE71110220330123456789", "BHBLDEHHXXX");
    let amount = Money::from_minor(1230, EUR);
    let example1 = |charset| epc_payload(&franz, amount, "GDDS", RF, "", charset).unwrap();
    assert_eq!(example1("1").into_bytes(), fixture("qr/epc/epc-example1-utf8.txt"));
    assert_eq!(latin1(&example1("2")), fixture("qr/epc/epc-example1-latin1.txt"));
    let francois = payee("François D'Alsace S.A.", "FR1420041010050500013M02606", "");
    let example2 = epc_payload(&francois, amount, "", "", "Client:Marie Louise La Lune", "2").unwrap();
    assert_eq!(latin1(&example2), fixture("qr/epc/epc-example2-latin1.txt"));
    // The public entry point is example 1 without the purpose code.
    let expected = text_fixture("qr/epc/epc-example1-utf8.txt").replace("\nGDDS\n", "\n\n");
    assert_eq!(epc(&franz, amount, RF).unwrap(), expected);
    assert!(epc(&franz, Money::from_minor(100_000, EUR), "").unwrap().ends_with("\nEUR1000"));
    assert!(epc(&franz, Money::from_minor(99_999_999_999, EUR), "").is_ok());
}

#[test]
fn epc_errors() {
    let ok = payee("Kontor GmbH", "DE71 1102 2033 0123 4567 89", "");
    let eur = |minor| Money::from_minor(minor, EUR);
    let chf = Money::from_minor(1230, CHF);
    assert!(matches!(epc(&ok, chf, ""), Err(QrError::UnsupportedCurrency { currency: "CHF", .. })));
    assert_eq!(epc(&ok, Money::new(Decimal::new(12345, 3), EUR), ""), Err(QrError::NotRounded));
    for minor in [0, -100, 100_000_000_000] {
        assert_eq!(epc(&ok, eur(minor), ""), Err(QrError::AmountOutOfRange));
    }
    let long = payee(&"x".repeat(71), &ok.iban, "");
    assert_eq!(epc(&long, eur(100), ""), Err(QrError::TooLong { field: "name", max: 70 }));
    let injected = payee("Kontor\nEUR999", &ok.iban, "");
    assert_eq!(epc(&injected, eur(100), ""), Err(QrError::InvalidCharacters { field: "name" }));
    let bad_iban = payee("Kontor", "DE71110220330123456788", "");
    assert_eq!(epc(&bad_iban, eur(100), ""), Err(QrError::Invalid { field: "iban" }));
    assert_eq!(epc(&payee("K", &ok.iban, "BHBL"), eur(100), ""), Err(QrError::Invalid { field: "bic" }));
    assert_eq!(epc(&ok, eur(100), "RF19539007547034"), Err(QrError::Invalid { field: "reference" }));
    assert_eq!(QrError::NotRounded.message_id(), "error-internal");
}

#[test]
fn swiss_public_examples_byte_for_byte() {
    let chf = Money::from_minor(2590, CHF);
    let qrr = || SwissReference::Qrr(QRR.into());
    let kraut = addr(["Joachim Kraut", "Ewigermeisterstrasse 20", "20", "80331", "München", "DE"]);
    let special = addr(["Jôachim Kräutłą", "€wigérmeisterstrasse 20", "20", "80331", "München", "DE"]);
    let cases = [
        ("minimal-setup", swiss(&at(QR_IBAN), None, chf, qrr())),
        ("ultimate-debtor", swiss(&at(QR_IBAN), Some(&thomas()), chf, qrr())),
        ("international-ultimate-debtor", swiss(&at(QR_IBAN), Some(&kraut), chf, qrr())),
        ("special-chars-ultimate-debtor", swiss(&at(QR_IBAN), Some(&special), chf, qrr())),
        ("payment-reference-scor", swiss(&at(IBAN), None, chf, SwissReference::Scor(RF.into()))),
        ("payment-reference-non", swiss(&at(IBAN), None, chf, SwissReference::None)),
    ];
    for (name, built) in cases {
        assert_eq!(built.unwrap(), text_fixture(&format!("qr/swiss/sprain-qr-{name}.txt")), "{name}");
    }
}

#[test]
fn swiss_full_layout_examples_byte_for_byte() {
    let heaps = "Heaps of Characters International Trading Company of Switzerland GmbH";
    let street = "Street of the Mighty Long Names Where Heroes Live and Villans Die";
    let long = addr([heaps, street, "75", "1000", "Lausanne au bord du lac", "CH"]);
    let medium = addr([heaps, "Rue examplaire 22a", "", "1000", "Lausanne", "CH"]);
    let jane = addr(["Jane", "", "", "1000", "Lausanne", "CH"]);
    let schneider = addr(["Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"]);
    let pia = addr(["Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28", "9400", "Rorschach", "CH"]);
    let (th, qrr, non) = (thomas(), SwissReference::Qrr(QRR.into()), SwissReference::None);
    let six_qrr = SwissReference::Qrr("210000000003139471430009017".into());
    let swico = "//S1/01/20170309/11/10201409/20/14000000/22/36958/30/CH106017086/40/1020/41/3010";
    let six_message = format!("Order of 15.09.2019{swico}");
    let alt = "CC/XRPL/10/bUuK6fwHtfZ3HGAgKvEV7Y5TzHEu8ChUj9";
    let (alts, message, info) = (&[alt, alt][..], "Invoice 1234568 Gardening work", "Bill Information");
    let base = SwissBill {
        iban: QR_IBAN,
        creditor: &th,
        amount: "25.90",
        currency: "CHF",
        debtor: None,
        reference: &qrr,
        message: "",
        bill_information: "",
        alternatives: &[],
    };
    let open = SwissBill { amount: "", currency: "EUR", ..base };
    let jane =
        SwissBill { iban: "CH5380005000010283664", creditor: &jane, amount: "", reference: &non, ..base };
    let cases = [
        ("sprain-qr-additional-information", SwissBill { message, bill_information: info, ..base }),
        ("sprain-qr-alternative-schemes", SwissBill { alternatives: alts, ..base }),
        (
            "sprain-qr-full-set",
            SwissBill { debtor: Some(&th), message, bill_information: info, alternatives: alts, ..base },
        ),
        (
            "sprain-qr-payment-information-with-mediumlong-creditor-and-unknown-debtor",
            SwissBill { creditor: &medium, ..open },
        ),
        (
            "sprain-qr-payment-information-without-amount-and-long-addresses",
            SwissBill { creditor: &long, debtor: Some(&long), ..open },
        ),
        ("sprain-qr-payment-information-without-amount-but-debtor", SwissBill { debtor: Some(&th), ..open }),
        ("sprain-qr-payment-information-without-amount", open),
        (
            "sprain-qr-payment-information-zero-amount",
            SwissBill { amount: "0.00", message: "DO NOT USE FOR PAYMENT", ..open },
        ),
        ("qrbill-minimal", jane),
        ("qrbill-billing-information", SwissBill { bill_information: swico, ..jane }),
        (
            "qrbill-six-ig-example1",
            SwissBill {
                creditor: &schneider,
                amount: "1949.70",
                debtor: Some(&pia),
                reference: &six_qrr,
                message: &six_message,
                ..base
            },
        ),
    ];
    for (name, bill) in cases {
        // The qrbill fixtures were written with CR LF, sprain's with LF; the IG allows both.
        let separator = if name.starts_with("qrbill") { "\r\n" } else { "\n" };
        assert_eq!(
            swiss_lines(&bill).unwrap().join(separator),
            text_fixture(&format!("qr/swiss/{name}.txt"))
        );
    }
}

#[test]
fn swiss_errors() {
    let chf = Money::from_minor(2590, CHF);
    let qrr = || SwissReference::Qrr(QRR.into());
    assert_eq!(swiss(&at(QR_IBAN), None, chf, SwissReference::None), Err(QrError::QrIbanNeedsQrReference));
    let scor = SwissReference::Scor(RF.into());
    assert_eq!(swiss(&at(QR_IBAN), None, chf, scor), Err(QrError::QrIbanNeedsQrReference));
    assert_eq!(swiss(&at(IBAN), None, chf, qrr()), Err(QrError::QrReferenceNeedsQrIban));
    let bad_qrr = SwissReference::Qrr("123456789012345678901234568".into());
    assert_eq!(swiss(&at(QR_IBAN), None, chf, bad_qrr), Err(QrError::Invalid { field: "reference" }));
    let usd = Money::from_minor(2590, USD);
    assert!(matches!(swiss(&at(QR_IBAN), None, usd, qrr()), Err(QrError::UnsupportedCurrency { .. })));
    let fine = Money::new(Decimal::new(25905, 3), CHF);
    assert_eq!(swiss(&at(QR_IBAN), None, fine, qrr()), Err(QrError::NotRounded));
    assert_eq!(swiss(&at(QR_IBAN), None, Money::zero(CHF), qrr()), Err(QrError::AmountOutOfRange));
    let named =
        |name: &str| SwissCreditor { iban: QR_IBAN.into(), address: addr([name, "", "", "1", "B", "CH"]) };
    let too_long = Err(QrError::TooLong { field: "name", max: 70 });
    assert_eq!(swiss(&named(&"x".repeat(71)), None, chf, qrr()), too_long);
    for bad in ["王", "A\r\nB"] {
        assert_eq!(swiss(&named(bad), None, chf, qrr()), Err(QrError::InvalidCharacters { field: "name" }));
    }
    assert_eq!(
        swiss(&at("DE71110220330123456789"), None, chf, qrr()),
        Err(QrError::Invalid { field: "iban" })
    );
}

fn vectors(path: &str) -> Vec<(String, bool)> {
    let csv = text_fixture(path);
    let row = |line: &str| line.split_once(',').map(|(value, rest)| (value.into(), rest.starts_with("true")));
    csv.lines().skip(1).map(|line| row(line).unwrap()).collect()
}

#[test]
fn creditor_reference_vectors() {
    for (value, expected) in vectors("ids/iso11649-rf-creditor-reference.csv") {
        assert_eq!(is_creditor_reference(&value), expected, "{value}");
    }
}
