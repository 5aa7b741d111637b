//! Reading settings: defaults, bad values naming their variable, the seller's accounts.

use super::*;
use std::collections::HashMap;

fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Settings::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn an_https_portal_marks_cookies_secure_unless_told_otherwise() {
    assert!(!settings(&[]).unwrap().secure_cookies, "plain http on a developer's machine");
    let https = [("KONTOR_PUBLIC_URL", "https://portal.example")];
    assert!(settings(&https).unwrap().secure_cookies);
    let told = [("KONTOR_PUBLIC_URL", "https://portal.example"), ("KONTOR_SECURE_COOKIES", "false")];
    assert!(!settings(&told).unwrap().secure_cookies, "an explicit false wins");
    let http = [("KONTOR_PUBLIC_URL", "http://portal.example"), ("KONTOR_SECURE_COOKIES", "true")];
    assert!(settings(&http).unwrap().secure_cookies);
}

#[test]
fn the_demo_company_s_bank_and_identity_are_named_until_replaced() {
    assert_eq!(
        settings(&[]).unwrap().demo_seller_variables(),
        [
            "KONTOR_SELLER_VAT_ID",
            "KONTOR_SELLER_REGISTER",
            "KONTOR_SELLER_IBAN",
            "KONTOR_SELLER_CHF_IBAN",
            "KONTOR_SEPA_CREDITOR_ID"
        ]
    );
    let own = settings(&[
        ("KONTOR_SELLER_VAT_ID", "DE811907980"),
        ("KONTOR_SELLER_REGISTER", "Amtsgericht Köln, HRB 12345"),
        ("KONTOR_SELLER_IBAN", "DE02120300000000202051"),
        ("KONTOR_SELLER_BIC", "BYLADEM1001"),
        ("KONTOR_SELLER_CHF_IBAN", "none"),
        ("KONTOR_SEPA_CREDITOR_ID", "DE32ZZZ00000123456"),
    ])
    .unwrap();
    assert!(own.demo_seller_variables().is_empty(), "{:?}", own.demo_seller_variables());
}

#[test]
fn defaults_just_work() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.database_url, None);
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(s.data_dir, PathBuf::from("var"));
    assert_eq!(s.pg_user, "postgres");
    assert_eq!(s.log_format, LogFormat::Text);
    assert_eq!(s.public_url, "http://127.0.0.1:8080");
    assert_eq!(s.mail_domain(), "kontor.example");
    assert_eq!(s.vies().url, "https://ec.europa.eu/taxation_customs/vies/rest-api");
}

#[test]
fn vies_is_asked_as_the_seller_once_the_seller_is_not_the_demo_company() {
    let demo = settings(&[]).unwrap().vies();
    assert_eq!(demo.requester, None, "the demo company's VAT ID is nobody's to use");
    let own =
        settings(&[("KONTOR_SELLER_VAT_ID", "DE811907980"), ("KONTOR_VIES_URL", "http://127.0.0.1:9/")])
            .unwrap()
            .vies();
    assert_eq!(own.requester.map(|r| r.to_string()).as_deref(), Some("DE811907980"));
    assert_eq!(own.url, "http://127.0.0.1:9");
    assert_eq!(settings(&[("KONTOR_VIES_URL", "ec.europa.eu")]).unwrap_err().variable, "KONTOR_VIES_URL");
}

#[test]
fn bad_values_name_their_variable() {
    let error = settings(&[("KONTOR_BIND", "localhost")]).unwrap_err();
    assert_eq!(error.variable, "KONTOR_BIND");
    assert!(error.to_string().starts_with("KONTOR_BIND=\"localhost\""));
    assert_eq!(settings(&[("KONTOR_DB_POOL_SIZE", "0")]).unwrap_err().variable, "KONTOR_DB_POOL_SIZE");
    assert_eq!(settings(&[("KONTOR_LOG_FORMAT", "xml")]).unwrap_err().variable, "KONTOR_LOG_FORMAT");
    assert_eq!(settings(&[("KONTOR_PUBLIC_URL", "portal")]).unwrap_err().variable, "KONTOR_PUBLIC_URL");
    assert_eq!(settings(&[("KONTOR_MAIL_FROM", "nobody")]).unwrap_err().variable, "KONTOR_MAIL_FROM");
    assert_eq!(settings(&[("KONTOR_TIME_ZONE", "Mars/Olympus")]).unwrap_err().variable, "KONTOR_TIME_ZONE");
    assert_eq!(
        settings(&[("KONTOR_VAT_REGISTRATIONS", "CH,XX")]).unwrap_err().variable,
        "KONTOR_VAT_REGISTRATIONS"
    );
    assert_eq!(
        settings(&[("KONTOR_PROVISIONING_TOKEN", "short")]).unwrap_err().variable,
        "KONTOR_PROVISIONING_TOKEN"
    );
    for (variable, value) in [
        ("KONTOR_SELLER_IBAN", "DE89370400440532013001"),
        ("KONTOR_SELLER_IBAN", "DE8937040044053201300"),
        ("KONTOR_SELLER_BIC", "COBADEFF1"),
        ("KONTOR_SELLER_BIC", "cobadeffxxx"),
        ("KONTOR_SELLER_CHF_IBAN", "DE89370400440532013000"),
    ] {
        assert_eq!(settings(&[(variable, value)]).unwrap_err().variable, variable, "{value}");
    }
    let spaced =
        settings(&[("KONTOR_SELLER_IBAN", "NL91 ABNA 0417 1643 00"), ("KONTOR_SELLER_BIC", "ABNANL2A")]);
    assert_eq!(spaced.unwrap().seller.iban, "NL91ABNA0417164300");
    let registered = settings(&[("KONTOR_VAT_REGISTRATIONS", "ch, NO")]).unwrap();
    assert_eq!(registered.vat_registrations.len(), 2);
}

#[test]
fn smtp_settings() {
    let defaults = settings(&[]).unwrap();
    assert_eq!((&defaults.smtp_url, defaults.smtp_rate), (&None, 50));
    assert_eq!(defaults.mail_delivery().file_dir, PathBuf::from("var/mail/outbox"));
    let s = settings(&[("KONTOR_SMTP_URL", "smtps://kontor:pw@mail.example.com"), ("KONTOR_SMTP_RATE", "0")])
        .unwrap();
    assert_eq!(s.smtp_url.map(|u| u.redacted()).as_deref(), Some("smtps://kontor:***@mail.example.com"));
    assert_eq!(s.smtp_rate, 0);
    let error = settings(&[("KONTOR_SMTP_URL", "smtp://kontor:pw@mail.example.com?tls=maybe")]).unwrap_err();
    assert_eq!(error.variable, "KONTOR_SMTP_URL");
    assert!(!error.to_string().contains("pw@"), "the password stays hidden: {error}");
    assert_eq!(settings(&[("KONTOR_SMTP_URL", "mail.example.com")]).unwrap_err().variable, "KONTOR_SMTP_URL");
    assert_eq!(settings(&[("KONTOR_SMTP_RATE", "-1")]).unwrap_err().variable, "KONTOR_SMTP_RATE");
    assert_eq!(settings(&[("KONTOR_SMTP_RATE", "fast")]).unwrap_err().variable, "KONTOR_SMTP_RATE");
}

#[test]
fn seller_accounts_per_currency_and_the_sepa_creditor() {
    let defaults = settings(&[]).unwrap();
    assert_eq!(defaults.sepa.creditor_id, "DE98ZZZ09999999999");
    assert_eq!(defaults.sepa.return_fee, None);
    assert_eq!(defaults.seller.account_for("SEK").iban, defaults.seller.iban);
    let s = settings(&[
        ("KONTOR_SELLER_IBAN_SEK", "SE45 5000 0000 0583 9825 7466"),
        ("KONTOR_SELLER_BIC_SEK", "ESSESESS"),
        ("KONTOR_SELLER_IBAN_EUR", "NL91ABNA0417164300"),
        ("KONTOR_SELLER_BIC_EUR", "ABNANL2A"),
        ("KONTOR_SEPA_CREDITOR_ID", "nl42 zzz 123456780001"),
        ("KONTOR_SEPA_RETURN_FEE", "3.00 EUR"),
    ])
    .unwrap();
    assert_eq!(s.seller.account_for("SEK").iban, "SE4550000000058398257466");
    assert_eq!(s.seller.account_for("SEK").bic, "ESSESESS");
    assert_eq!((s.seller.iban.as_str(), s.seller.bic.as_str()), ("NL91ABNA0417164300", "ABNANL2A"));
    assert_eq!(s.seller.account_for("EUR").iban, "NL91ABNA0417164300");
    assert_eq!(s.sepa.creditor_id, "NL42ZZZ123456780001");
    assert_eq!(s.sepa.return_fee.map(|f| f.to_string()).as_deref(), Some("3.00 EUR"));
    for (variable, value) in [
        ("KONTOR_SELLER_IBAN_GBP", "GB94BARC20201530093459"),
        ("KONTOR_SELLER_IBAN_NOK", "NO93 8601 1117 948"),
        ("KONTOR_SELLER_BIC_DKK", "DABADKKK"),
        ("KONTOR_SELLER_BIC_CHF", "UBSWCHZH8OA"),
        ("KONTOR_SEPA_CREDITOR_ID", "DE97ZZZ09999999999"),
        ("KONTOR_SEPA_CREDITOR_ID", "DE98ZZZ"),
        ("KONTOR_SEPA_RETURN_FEE", "3.001 EUR"),
        ("KONTOR_SEPA_RETURN_FEE", "-3 EUR"),
        ("KONTOR_SEPA_RETURN_FEE", "3 XYZ"),
        ("KONTOR_SEPA_RETURN_FEE", "three euros"),
    ] {
        let error = settings(&[(variable, value)]).unwrap_err();
        assert_eq!(error.variable, variable, "{value}");
        assert!(error.to_string().starts_with(variable));
    }
}

#[test]
fn chf_invoices_are_paid_into_one_account_whichever_variable_names_it() {
    let defaults = settings(&[]).unwrap();
    assert_eq!(defaults.seller.account_for("CHF").iban, demo_seller::CHF_IBAN);
    let named = |pairs: &[(&str, &str)]| {
        let s = settings(pairs).unwrap();
        (s.seller.chf_iban.clone(), s.seller.account_for("CHF"))
    };
    // Either name gives the QR-bill and the transfer the same account.
    let qr = "CH4431999123000889012";
    for variable in ["KONTOR_SELLER_CHF_IBAN", "KONTOR_SELLER_IBAN_CHF"] {
        let (bill, account) = named(&[(variable, "CH93 0076 2011 6238 5295 7")]);
        assert_eq!(
            (bill.as_deref(), account.iban.as_str()),
            (Some("CH9300762011623852957"), "CH9300762011623852957")
        );
    }
    let (bill, account) = named(&[("KONTOR_SELLER_IBAN_CHF", qr), ("KONTOR_SELLER_BIC_CHF", "UBSWCHZH80A")]);
    assert_eq!((bill.as_deref(), account.bic.as_str()), (Some(qr), "UBSWCHZH80A"));
    // A CHF account outside Switzerland carries no QR-bill; "none" turns it off.
    let (bill, account) = named(&[("KONTOR_SELLER_IBAN_CHF", "GB29NWBK60161331926819")]);
    assert_eq!((bill, account.iban.as_str()), (None, "GB29NWBK60161331926819"));
    let (bill, account) = named(&[("KONTOR_SELLER_CHF_IBAN", "none")]);
    assert_eq!((bill, account.iban), (None, defaults.seller.iban.clone()));
    // Two different CHF accounts are refused.
    let error =
        settings(&[("KONTOR_SELLER_CHF_IBAN", qr), ("KONTOR_SELLER_IBAN_CHF", "CH9300762011623852957")])
            .unwrap_err();
    assert_eq!(error.variable, "KONTOR_SELLER_CHF_IBAN");
    // What serve warns about: every billed currency without its own account, EUR never.
    let warnings = defaults.seller.account_warnings().join("\n");
    for currency in ["CHF", "SEK", "NOK", "DKK", "GBP"] {
        assert!(warnings.contains(&format!("for {currency}:")), "{warnings}");
    }
    assert!(!warnings.contains("for EUR"));
    let sek = settings(&[("KONTOR_SELLER_IBAN_SEK", "SE4550000000058398257466")]).unwrap();
    assert!(!sek.seller.account_warnings().join("\n").contains("for SEK"));
}

#[test]
fn empty_values_mean_unset() {
    assert_eq!(settings(&[("DATABASE_URL", " ")]).unwrap().database_url, None);
}

#[test]
fn domestic_details_of_the_nordic_accounts_are_read_and_checked() {
    use crate::references::domestic::KidCheck;
    use crate::seller::DomesticAccount;
    let accounts = [
        ("KONTOR_SELLER_IBAN_SEK", "SE4550000000058398257466"),
        ("KONTOR_SELLER_IBAN_NOK", "NO9386011117947"),
        ("KONTOR_SELLER_IBAN_DKK", "DK5000400440116243"),
    ];
    let with = |extra: &[(&str, &str)]| settings(&[&accounts[..], extra].concat());
    let read = with(&[
        ("KONTOR_SELLER_DOMESTIC_SEK", "bankgiro:5050-1055"),
        ("KONTOR_SELLER_DOMESTIC_NOK", "kid-mod11"),
        ("KONTOR_SELLER_DOMESTIC_DKK", "fik71:81234567"),
    ])
    .unwrap();
    let domestic = |currency: &str| read.seller.accounts.get(currency).and_then(|a| a.domestic.clone());
    assert_eq!(domestic("SEK"), Some(DomesticAccount::Bankgiro { number: "5050-1055".into() }));
    assert_eq!(
        domestic("NOK"),
        Some(DomesticAccount::NorwegianAccount { number: "86011117947".into(), kid: KidCheck::Mod11 }),
        "the account inside the Norwegian IBAN"
    );
    assert_eq!(domestic("DKK"), Some(DomesticAccount::Fik71 { creditor: "81234567".into() }));
    assert_eq!(with(&[]).unwrap().seller.accounts.get("SEK").unwrap().domestic, None);

    for (variable, value) in [
        ("KONTOR_SELLER_DOMESTIC_SEK", "bankgiro:5050-1056"),
        ("KONTOR_SELLER_DOMESTIC_SEK", "kid-mod10"),
        ("KONTOR_SELLER_DOMESTIC_NOK", "kid-mod10:86011117948"),
        ("KONTOR_SELLER_DOMESTIC_NOK", "ocr"),
        ("KONTOR_SELLER_DOMESTIC_DKK", "fik71:71234567"),
    ] {
        let error = with(&[(variable, value)]).unwrap_err();
        assert_eq!((error.variable, error.value.as_str()), (variable, value));
    }
    let without_iban = settings(&[("KONTOR_SELLER_DOMESTIC_SEK", "bankgiro:5050-1055")]).unwrap_err();
    assert_eq!(without_iban.variable, "KONTOR_SELLER_DOMESTIC_SEK");
}

#[test]
fn batch_work_runs_at_a_lower_priority_unless_told_otherwise() {
    assert_eq!(settings(&[]).unwrap().batch_nice, 10);
    assert_eq!(settings(&[("KONTOR_BATCH_NICE", "0")]).unwrap().batch_nice, 0);
    let refused = settings(&[("KONTOR_BATCH_NICE", "-5")]).unwrap_err();
    assert_eq!(refused.variable, "KONTOR_BATCH_NICE");
    assert!(settings(&[("KONTOR_BATCH_NICE", "20")]).is_err(), "19 is the lowest priority there is");
}
