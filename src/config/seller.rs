//! The seller's identity and bank accounts from `KONTOR_SELLER_*`, checked before anything runs:
//! a typo in an IBAN would send customers' money astray.

use super::ConfigError;
use crate::seller::{ACCOUNT_CURRENCIES, BankAccount, DomesticAccount, SellerDetails};

/// The demo company's example identity and bank details: valid in form, but nobody's (the
/// Bundesbank's example creditor id, SIX's example QR-IBAN, a textbook IBAN). They are the
/// defaults so `kontor demo` runs with nothing configured; real documents must never carry them.
pub mod demo_seller {
    pub const NAME: &str = "Kontor Hosting GmbH";
    pub const ADDRESS: &str = "Friedrichstraße 100|10117 Berlin|Germany";
    pub const VAT_ID: &str = "DE136695976";
    pub const REGISTER: &str = "Amtsgericht Charlottenburg, HRB 000000 B";
    pub const IBAN: &str = "DE89370400440532013000";
    pub const BIC: &str = "COBADEFFXXX";
    pub const CHF_IBAN: &str = "CH4431999123000889012";
    pub const CREDITOR_ID: &str = "DE98ZZZ09999999999";
}

fn is_swiss(iban: &str) -> bool {
    iban.starts_with("CH") || iban.starts_with("LI")
}

/// ISO 9362: 4 letters (institution), a country code, 2 letters or digits (location),
/// optionally 3 letters or digits (branch).
fn is_bic(bic: &str) -> bool {
    crate::iban::Bic::is_exact(bic)
}

/// The accounts per currency other than EUR: `KONTOR_SELLER_IBAN_<CUR>` with an optional
/// `KONTOR_SELLER_BIC_<CUR>`; a BIC without its IBAN is refused, so a half-configured
/// account is noticed at start.
fn seller_accounts(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<std::collections::BTreeMap<String, BankAccount>, ConfigError> {
    const IBAN_VARS: [&str; 6] = [
        "KONTOR_SELLER_IBAN_EUR",
        "KONTOR_SELLER_IBAN_CHF",
        "KONTOR_SELLER_IBAN_SEK",
        "KONTOR_SELLER_IBAN_NOK",
        "KONTOR_SELLER_IBAN_DKK",
        "KONTOR_SELLER_IBAN_GBP",
    ];
    const BIC_VARS: [&str; 6] = [
        "KONTOR_SELLER_BIC_EUR",
        "KONTOR_SELLER_BIC_CHF",
        "KONTOR_SELLER_BIC_SEK",
        "KONTOR_SELLER_BIC_NOK",
        "KONTOR_SELLER_BIC_DKK",
        "KONTOR_SELLER_BIC_GBP",
    ];
    let mut accounts = std::collections::BTreeMap::new();
    for ((currency, iban_var), bic_var) in ACCOUNT_CURRENCIES.iter().zip(IBAN_VARS).zip(BIC_VARS) {
        let bic = get(bic_var).map(|b| b.trim().to_owned());
        if let Some(bic) = &bic
            && !is_bic(bic)
        {
            return Err(ConfigError {
                variable: bic_var,
                value: bic.clone(),
                reason: "expected a BIC of 8 or 11 characters",
            });
        }
        // CHF's account may also be named by `KONTOR_SELLER_CHF_IBAN` (the QR-bill's): one account.
        let (iban, iban_var) = match get(iban_var) {
            None if *currency == "CHF" => (
                get("KONTOR_SELLER_CHF_IBAN").filter(|v| !v.trim().eq_ignore_ascii_case("none")),
                "KONTOR_SELLER_CHF_IBAN",
            ),
            iban => (iban, iban_var),
        };
        match iban {
            None if bic.is_some() => {
                return Err(ConfigError {
                    variable: bic_var,
                    value: bic.unwrap_or_default(),
                    reason: "set the IBAN of this currency's account too",
                });
            }
            None => {}
            Some(iban) => {
                let Some(parsed) = crate::iban::Iban::parse(&iban) else {
                    return Err(ConfigError {
                        variable: iban_var,
                        value: iban,
                        reason: "expected a valid IBAN (check digits, length)",
                    });
                };
                accounts.insert(
                    (*currency).to_owned(),
                    BankAccount {
                        iban: parsed.as_str().to_owned(),
                        bic: bic.unwrap_or_default(),
                        domestic: None,
                    },
                );
            }
        }
    }
    for (currency, variable) in DOMESTIC_VARS {
        if let Some(value) = get(variable) {
            let domestic = domestic_account(currency, variable, value.trim(), accounts.get(currency))?;
            if let Some(account) = accounts.get_mut(currency) {
                account.domestic = Some(domestic);
            }
        }
    }
    Ok(accounts)
}

const DOMESTIC_VARS: [(&str, &str); 3] = [
    ("SEK", "KONTOR_SELLER_DOMESTIC_SEK"),
    ("NOK", "KONTOR_SELLER_DOMESTIC_NOK"),
    ("DKK", "KONTOR_SELLER_DOMESTIC_DKK"),
];

/// `KONTOR_SELLER_DOMESTIC_<CUR>`: `bankgiro:<number>` (SEK), `kid-mod10[:<account>]` or
/// `kid-mod11[:<account>]` (NOK; the account defaults to the one inside the Norwegian IBAN),
/// `fik71:<creditor>` (DKK). The currency's IBAN must be set too: the domestic details describe
/// that account.
fn domestic_account(
    currency: &str,
    variable: &'static str,
    value: &str,
    account: Option<&BankAccount>,
) -> Result<DomesticAccount, ConfigError> {
    use crate::references::domestic::{
        KidCheck, is_valid_bankgiro, is_valid_fi_creditor, is_valid_norwegian_account,
    };
    let invalid = |reason: &'static str| ConfigError { variable, value: value.to_owned(), reason };
    let Some(account) = account else {
        return Err(invalid("set the IBAN of this currency's account too"));
    };
    let (scheme, number) = value.split_once(':').map_or((value, ""), |(s, n)| (s.trim(), n.trim()));
    let domestic = match (currency, scheme) {
        ("SEK", "bankgiro") if is_valid_bankgiro(number) => {
            DomesticAccount::Bankgiro { number: number.to_owned() }
        }
        ("SEK", _) => {
            return Err(invalid(
                "expected bankgiro:<number> with a valid bankgiro number, e.g. bankgiro:5050-1055",
            ));
        }
        ("NOK", "kid-mod10" | "kid-mod11") => {
            let kid = if scheme == "kid-mod10" { KidCheck::Mod10 } else { KidCheck::Mod11 };
            let number = match number {
                "" if account.iban.starts_with("NO") => account.iban.get(4..).unwrap_or_default(),
                number => number,
            };
            let compact: String = number.chars().filter(char::is_ascii_digit).collect();
            if !is_valid_norwegian_account(&compact) {
                return Err(invalid("expected a valid 11-digit Norwegian account number after the scheme"));
            }
            DomesticAccount::NorwegianAccount { number: compact, kid }
        }
        ("NOK", _) => {
            return Err(invalid("expected kid-mod10 or kid-mod11, optionally with :<account number>"));
        }
        ("DKK", "fik71") if is_valid_fi_creditor(number) => {
            DomesticAccount::Fik71 { creditor: number.to_owned() }
        }
        _ => return Err(invalid("expected fik71:<creditor number> with the 8-digit FI creditor number")),
    };
    Ok(domestic)
}

/// The seller from `KONTOR_SELLER_*`; the demo company's details where unset.
pub(super) fn read(get: &impl Fn(&str) -> Option<String>) -> Result<SellerDetails, ConfigError> {
    let invalid =
        |variable: &'static str, value: String, reason: &'static str| ConfigError { variable, value, reason };
    let mut accounts = seller_accounts(&get)?;
    // `KONTOR_SELLER_IBAN_EUR` is another name for the default account.
    let eur_account = accounts.remove("EUR");
    Ok(SellerDetails {
        name: get("KONTOR_SELLER_NAME").unwrap_or_else(|| demo_seller::NAME.to_owned()),
        address: get("KONTOR_SELLER_ADDRESS")
            .unwrap_or_else(|| demo_seller::ADDRESS.to_owned())
            .split('|')
            .map(|line| line.trim().to_owned())
            .collect(),
        vat_id: get("KONTOR_SELLER_VAT_ID").unwrap_or_else(|| demo_seller::VAT_ID.to_owned()),
        register: get("KONTOR_SELLER_REGISTER").unwrap_or_else(|| demo_seller::REGISTER.to_owned()),
        // Printed on every invoice and encoded in its payment code: a typo would send
        // customers' money astray, so it is checked (mod 97, length) before anything runs.
        iban: {
            let iban = eur_account
                .as_ref()
                .map(|a| a.iban.clone())
                .or_else(|| get("KONTOR_SELLER_IBAN"))
                .unwrap_or_else(|| demo_seller::IBAN.to_owned());
            match crate::iban::Iban::parse(&iban) {
                Some(parsed) => parsed.as_str().to_owned(),
                None => {
                    return Err(invalid(
                        "KONTOR_SELLER_IBAN",
                        iban,
                        "expected a valid IBAN (check digits, length)",
                    ));
                }
            }
        },
        bic: {
            let bic = eur_account
                .as_ref()
                .map(|a| a.bic.clone())
                .filter(|b| !b.is_empty())
                .or_else(|| get("KONTOR_SELLER_BIC"))
                .unwrap_or_else(|| demo_seller::BIC.to_owned());
            if !is_bic(&bic) {
                return Err(invalid("KONTOR_SELLER_BIC", bic, "expected a BIC of 8 or 11 characters"));
            }
            bic
        },
        // CHF invoices are paid into one account, whichever of the two variables names it:
        // the page, the PDF's QR-bill and the email must agree.
        chf_iban: match get("KONTOR_SELLER_CHF_IBAN").as_deref().map(str::trim) {
            None => match accounts.get("CHF") {
                // A CHF account outside CH/LI cannot carry a QR-bill: paid by transfer.
                Some(account) => is_swiss(&account.iban).then(|| account.iban.clone()),
                None => Some(demo_seller::CHF_IBAN.to_owned()),
            },
            Some("" | "none") => None,
            Some(iban) => {
                let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
                if !is_swiss(&compact) || crate::iban::Iban::parse(&compact).is_none() {
                    return Err(invalid(
                        "KONTOR_SELLER_CHF_IBAN",
                        iban.to_owned(),
                        "expected a valid Swiss or Liechtenstein IBAN (CH.. or LI..), or none",
                    ));
                }
                if accounts.get("CHF").is_some_and(|a| a.iban != compact) {
                    return Err(invalid(
                        "KONTOR_SELLER_CHF_IBAN",
                        iban.to_owned(),
                        "differs from KONTOR_SELLER_IBAN_CHF: CHF invoices are paid into one account",
                    ));
                }
                Some(compact)
            }
        },
        accounts,
    })
}
