//! Settings from the environment, with defaults that work on a developer's machine.
//! Every variable is documented in the README; a bad value names its variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `DATABASE_URL`: an existing PostgreSQL database. Unset: Kontor runs its own cluster.
    pub database_url: Option<String>,
    /// `KONTOR_BIND`: address the web server listens on.
    pub bind: SocketAddr,
    /// `KONTOR_DATA_DIR`: the local cluster (`pg/`), mail files and stored documents.
    pub data_dir: PathBuf,
    /// `KONTOR_PG_BIN`: folder with initdb and pg_ctl; searched for when unset.
    pub pg_bin_dir: Option<PathBuf>,
    /// `KONTOR_PG_USER`: the unprivileged user the local cluster runs as when Kontor is root.
    pub pg_user: String,
    /// `KONTOR_DB_POOL_SIZE`: connections per process.
    pub db_pool_size: u32,
    /// `KONTOR_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `KONTOR_SECURE_COOKIES`: mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// `KONTOR_PUBLIC_URL`: the portal's address as customers reach it, for links in emails.
    pub public_url: String,
    /// `KONTOR_MAIL_FROM`: sender of every email, `Name <address>`.
    pub mail_from: String,
    /// `KONTOR_TRUST_FORWARDED`: take the client address from `Forwarded`/`X-Forwarded-For`
    /// (only behind a proxy that sets them).
    pub trust_forwarded: bool,
    /// `KONTOR_TIME_ZONE`: the provider's time zone; billing periods follow its calendar days.
    pub time_zone: chrono_tz::Tz,
    /// The one clock (days in `time_zone`): the machine's, or standing still at `KONTOR_NOW`
    /// (tests, demos, replaying a day). Every page, job and command reads the time from it.
    pub clock: crate::clock::Clock,
    /// `KONTOR_SELLER_COUNTRY`: where the provider is established for VAT.
    pub seller_country: crate::country::Country,
    /// `KONTOR_VAT_REGISTRATIONS`: countries outside the EU where the provider charges local
    /// VAT, comma-separated (e.g. `CH,NO`).
    pub vat_registrations: Vec<crate::country::Country>,
    /// `KONTOR_PROVISIONING_TOKEN`: the bearer token of the provisioning API; unset, it is off.
    pub provisioning_token: Option<String>,
    /// `KONTOR_INCIDENT_TOKEN`: the bearer token monitoring uses to open, update and resolve
    /// incidents (`/api/incidents`); unset, that API is off.
    pub incident_token: Option<String>,
    /// The seller as printed on invoices (`KONTOR_SELLER_*`).
    pub seller: SellerDetails,
    /// `KONTOR_PAYMENT_TERMS_DAYS`: days from issue to due date.
    pub payment_terms_days: u32,
    /// `KONTOR_BILLING_LEAD_DAYS`: how many days before its first day a period may be invoiced
    /// (0: on its first day). Never reaches into the free month.
    pub billing_lead_days: u32,
    /// `KONTOR_SMTP_URL`: the SMTP server mail goes to; unset, mail is written to files.
    pub smtp_url: Option<crate::mail::smtp::SmtpUrl>,
    /// `KONTOR_SMTP_RATE`: messages per second each process sends at most; 0 is no limit.
    pub smtp_rate: u32,
    /// `KONTOR_SEPA_*`: the creditor side of SEPA direct debits.
    pub sepa: SepaSettings,
    /// `KONTOR_PAYPAL_*`: PayPal checkout; unset (no client id and secret), PayPal is off.
    pub paypal: Option<crate::payments::paypal::PayPalSettings>,
}

/// The seller as a SEPA direct debit creditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SepaSettings {
    /// `KONTOR_SEPA_CREDITOR_ID`: the SEPA creditor identifier (EPC262, mod 97 checked).
    pub creditor_id: String,
    /// `KONTOR_SEPA_RETURN_FEE`: what the bank charges for a returned debit, passed on to the
    /// customer (e.g. "3.00 EUR"); unset, nothing is charged.
    pub return_fee: Option<crate::money::Money>,
}

/// A bank account of the seller: where customers paying in one currency send their money.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BankAccount {
    pub iban: String,
    /// Empty when none is configured (CHF accounts paid through the QR-bill need none).
    pub bic: String,
}

/// Currencies that may have an account of their own (`KONTOR_SELLER_IBAN_<CUR>`).
pub const ACCOUNT_CURRENCIES: [&str; 6] = ["EUR", "CHF", "SEK", "NOK", "DKK", "GBP"];

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

/// Who issues the invoices. Defaults describe the demo company.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SellerDetails {
    /// `KONTOR_SELLER_NAME`
    pub name: String,
    /// `KONTOR_SELLER_ADDRESS`: lines separated by `|`.
    pub address: Vec<String>,
    /// `KONTOR_SELLER_VAT_ID`
    pub vat_id: String,
    /// `KONTOR_SELLER_REGISTER`: commercial register entry.
    pub register: String,
    /// `KONTOR_SELLER_IBAN` and `KONTOR_SELLER_BIC`: where customers pay.
    pub iban: String,
    pub bic: String,
    /// `KONTOR_SELLER_CHF_IBAN`: the Swiss (CH/LI) account for CHF invoices, printed in their
    /// QR-bill. A QR-IBAN (institution id 30000-31999) gets QR references, any other IBAN
    /// gets RF creditor references. Unset ("none"): CHF invoices carry no QR-bill.
    pub chf_iban: Option<String>,
    /// `KONTOR_SELLER_IBAN_<CUR>` / `KONTOR_SELLER_BIC_<CUR>`: the account per invoice currency
    /// (EUR is `iban`/`bic` above). Currencies without one are paid to the EUR account.
    pub accounts: std::collections::BTreeMap<String, BankAccount>,
}

impl SellerDetails {
    /// The account customers paying in `currency` are asked to pay to: the currency's own,
    /// else the EUR account (their bank converts).
    pub fn account_for(&self, currency: &str) -> BankAccount {
        self.own_account(currency)
            .unwrap_or_else(|| BankAccount { iban: self.iban.clone(), bic: self.bic.clone() })
    }

    /// The account of `currency` itself, if there is one. CHF's is the QR-bill account.
    pub fn own_account(&self, currency: &str) -> Option<BankAccount> {
        if currency == "EUR" {
            return Some(BankAccount { iban: self.iban.clone(), bic: self.bic.clone() });
        }
        self.accounts.get(currency).cloned().or_else(|| {
            (currency == "CHF")
                .then(|| self.chf_iban.clone())
                .flatten()
                .map(|iban| BankAccount { iban, bic: String::new() })
        })
    }

    /// Every currency's own account except EUR's (which is `iban`/`bic`), as invoices freeze
    /// them in their seller snapshot.
    pub fn own_accounts(&self) -> std::collections::BTreeMap<String, BankAccount> {
        ACCOUNT_CURRENCIES
            .iter()
            .filter(|c| **c != "EUR")
            .filter_map(|c| self.own_account(c).map(|a| ((*c).to_owned(), a)))
            .collect()
    }

    /// What `kontor serve` warns about at start: each currency customers can be billed in
    /// (their country's) whose invoices would ask for money in an account that is not its own.
    pub fn account_warnings(&self) -> Vec<String> {
        let mut billed: Vec<&str> =
            crate::country::Country::ALL.iter().map(|c| c.currency().code()).collect();
        billed.sort_unstable();
        billed.dedup();
        billed
            .into_iter()
            .filter(|currency| *currency != "EUR" && !self.accounts.contains_key(*currency))
            .map(|currency| match (currency, &self.chf_iban) {
                // Only the default puts a QR-IBAN here without a CHF account configured.
                ("CHF", Some(iban)) => format!(
                    "no account of its own for CHF: CHF invoices carry SIX's example QR-IBAN {iban}, which is nobody's account; set KONTOR_SELLER_CHF_IBAN (or KONTOR_SELLER_IBAN_CHF) to the CHF account"
                ),
                _ => format!(
                    "no account of its own for {currency}: {currency} invoices ask customers to pay into the EUR account {}; set KONTOR_SELLER_IBAN_{currency} (and KONTOR_SELLER_BIC_{currency}) to the {currency} account",
                    self.iban
                ),
            })
            .collect()
    }
}

impl Settings {
    /// The domain part of the sender address, used for Message-IDs.
    pub fn mail_domain(&self) -> String {
        self.mail_from
            .rsplit('@')
            .next()
            .map(|d| d.trim_end_matches('>').trim().to_owned())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "kontor.invalid".to_owned())
    }

    pub fn billing(&self) -> crate::subscriptions::Billing {
        crate::subscriptions::Billing {
            time_zone: self.time_zone,
            seller: crate::tax::Seller {
                country: self.seller_country,
                registered_outside_eu: self.vat_registrations.clone(),
            },
            lead_days: self.billing_lead_days,
        }
    }

    /// Where and how mail is delivered: SMTP, or `.eml` files in `$KONTOR_DATA_DIR/mail/outbox`.
    pub fn mail_delivery(&self) -> crate::mail::DeliverySettings {
        crate::mail::DeliverySettings {
            from: self.mail_from.clone(),
            smtp_url: self.smtp_url.clone(),
            file_dir: self.data_dir.join("mail").join("outbox"),
            rate_per_second: self.smtp_rate,
        }
    }

    /// Where issued documents are published: links in their emails, the seller's country.
    pub fn publishing(&self) -> crate::documents::Publishing {
        crate::documents::Publishing {
            site: self.site(),
            seller_country: self.seller_country.code().to_owned(),
        }
    }

    pub fn site(&self) -> crate::site::Site {
        crate::site::Site { public_url: self.public_url.clone(), mail_domain: self.mail_domain() }
    }

    /// The seller's bank accounts, each with the currency it is kept in: the EUR account, the
    /// Swiss QR-bill account (CHF) and each `KONTOR_SELLER_IBAN_<CUR>`.
    pub fn own_bank_accounts(&self) -> Vec<crate::payments::bank::OwnAccount> {
        let account = |iban: &str, code: &str| {
            iso_currency::Currency::from_code(code)
                .map(|currency| crate::payments::bank::OwnAccount { iban: iban.to_owned(), currency })
        };
        let mut accounts: Vec<_> = account(&self.seller.iban, "EUR").into_iter().collect();
        accounts.extend(self.seller.chf_iban.as_deref().and_then(|iban| account(iban, "CHF")));
        accounts.extend(self.seller.accounts.iter().filter_map(|(code, a)| account(&a.iban, code)));
        accounts.dedup();
        accounts
    }

    /// The variables still holding the demo company's example identity or bank details. Commands
    /// that issue documents or exports refuse to start while any is left, so no customer is asked
    /// to pay into a textbook account. (Name, address and BIC may truly be the operator's.)
    pub fn demo_seller_variables(&self) -> Vec<&'static str> {
        let mut left = Vec::new();
        if self.seller.vat_id == demo_seller::VAT_ID {
            left.push("KONTOR_SELLER_VAT_ID");
        }
        if self.seller.register == demo_seller::REGISTER {
            left.push("KONTOR_SELLER_REGISTER");
        }
        if self.seller.iban == demo_seller::IBAN {
            left.push("KONTOR_SELLER_IBAN");
        }
        if self.seller.chf_iban.as_deref() == Some(demo_seller::CHF_IBAN) {
            left.push("KONTOR_SELLER_CHF_IBAN");
        }
        if self.sepa.creditor_id == demo_seller::CREDITOR_ID {
            left.push("KONTOR_SEPA_CREDITOR_ID");
        }
        left
    }
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
                    BankAccount { iban: parsed.as_str().to_owned(), bic: bic.unwrap_or_default() },
                );
            }
        }
    }
    Ok(accounts)
}

impl Settings {
    pub fn from_env() -> Result<Settings, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let invalid = |variable: &'static str, value: String, reason: &'static str| ConfigError {
            variable,
            value,
            reason,
        };
        let bind = match get("KONTOR_BIND") {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(value) => value
                .parse()
                .map_err(|_| invalid("KONTOR_BIND", value, "expected host:port, e.g. 0.0.0.0:8080"))?,
        };
        let db_pool_size = match get("KONTOR_DB_POOL_SIZE") {
            None => 10,
            Some(value) => match value.parse::<u32>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => {
                    return Err(invalid("KONTOR_DB_POOL_SIZE", value, "expected a number from 1 to 500"));
                }
            },
        };
        let log_format = match get("KONTOR_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid("KONTOR_LOG_FORMAT", other.to_owned(), "expected text or json"));
            }
        };
        let flag = |variable: &'static str| match get(variable).as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(invalid(variable, other.to_owned(), "expected true or false")),
        };
        let trust_forwarded = flag("KONTOR_TRUST_FORWARDED")?;
        let public_url = match get("KONTOR_PUBLIC_URL") {
            None => format!("http://{bind}"),
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(other) => return Err(invalid("KONTOR_PUBLIC_URL", other, "expected an http(s):// URL")),
        };
        // Customers reach an https portal only over TLS, so its cookies must never travel in
        // clear; an explicit false still wins (e.g. TLS ended at a proxy testing over http).
        let secure_cookies = match get("KONTOR_SECURE_COOKIES") {
            None => public_url.starts_with("https://"),
            Some(_) => flag("KONTOR_SECURE_COOKIES")?,
        };
        let time_zone = match get("KONTOR_TIME_ZONE") {
            None => chrono_tz::Europe::Berlin,
            Some(name) => name.parse::<chrono_tz::Tz>().map_err(|_| {
                invalid("KONTOR_TIME_ZONE", name, "expected an IANA zone such as Europe/Berlin")
            })?,
        };
        let clock = match get("KONTOR_NOW") {
            None => crate::clock::Clock::system(time_zone),
            Some(value) => match DateTime::parse_from_rfc3339(value.trim()) {
                Ok(at) => crate::clock::Clock::fixed(at.with_timezone(&Utc), time_zone),
                Err(_) => {
                    return Err(invalid(
                        "KONTOR_NOW",
                        value,
                        "expected an RFC 3339 instant, e.g. 2026-11-05T10:00:00Z",
                    ));
                }
            },
        };
        let country = |variable: &'static str, code: String| {
            crate::country::Country::parse(&code)
                .map_err(|_| invalid(variable, code, "expected a country code such as DE"))
        };
        let seller_country = match get("KONTOR_SELLER_COUNTRY") {
            None => crate::country::Country::Germany,
            Some(code) => country("KONTOR_SELLER_COUNTRY", code)?,
        };
        let vat_registrations = get("KONTOR_VAT_REGISTRATIONS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(|c| country("KONTOR_VAT_REGISTRATIONS", c.to_owned()))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        let mut accounts = seller_accounts(&get)?;
        // `KONTOR_SELLER_IBAN_EUR` is another name for the default account.
        let eur_account = accounts.remove("EUR");
        let seller = SellerDetails {
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
        };
        let sepa = SepaSettings {
            // The Deutsche Bundesbank's example creditor id: valid, but nobody's.
            creditor_id: {
                let id =
                    get("KONTOR_SEPA_CREDITOR_ID").unwrap_or_else(|| demo_seller::CREDITOR_ID.to_owned());
                crate::payments::sepa::ids::CreditorId::parse(&id)
                    .ok_or_else(|| {
                        invalid(
                            "KONTOR_SEPA_CREDITOR_ID",
                            id.clone(),
                            "expected a SEPA creditor identifier such as DE98ZZZ09999999999 (check digits per EPC262)",
                        )
                    })?
                    .as_str()
                    .to_owned()
            },
            return_fee: match get("KONTOR_SEPA_RETURN_FEE") {
                None => None,
                Some(text) => Some(parse_fee(&text).ok_or_else(|| {
                    invalid(
                        "KONTOR_SEPA_RETURN_FEE",
                        text.clone(),
                        "expected an amount and currency, e.g. 3.00 EUR",
                    )
                })?),
            },
        };
        let billing_lead_days = match get("KONTOR_BILLING_LEAD_DAYS") {
            None => 0,
            Some(value) => match value.parse::<u32>() {
                Ok(days) if days <= 27 => days,
                _ => return Err(invalid("KONTOR_BILLING_LEAD_DAYS", value, "expected 0 to 27 days")),
            },
        };
        let payment_terms_days = match get("KONTOR_PAYMENT_TERMS_DAYS") {
            None => 14,
            Some(value) => match value.parse::<u32>() {
                Ok(days) if (0..=120).contains(&days) => days,
                _ => {
                    return Err(invalid("KONTOR_PAYMENT_TERMS_DAYS", value, "expected 0 to 120 days"));
                }
            },
        };
        let provisioning_token = get("KONTOR_PROVISIONING_TOKEN");
        if provisioning_token.as_ref().is_some_and(|t| t.len() < 24) {
            return Err(invalid(
                "KONTOR_PROVISIONING_TOKEN",
                "(hidden)".to_owned(),
                "use at least 24 characters",
            ));
        }
        let incident_token = get("KONTOR_INCIDENT_TOKEN");
        if incident_token.as_ref().is_some_and(|t| t.len() < 24) {
            return Err(invalid(
                "KONTOR_INCIDENT_TOKEN",
                "(hidden)".to_owned(),
                "use at least 24 characters",
            ));
        }
        let mail_from =
            get("KONTOR_MAIL_FROM").unwrap_or_else(|| "Kontor <no-reply@kontor.example>".to_owned());
        if lettre::message::Mailbox::from_str(&mail_from).is_err() {
            return Err(invalid("KONTOR_MAIL_FROM", mail_from, "expected Name <address@domain>"));
        }
        let smtp_url = get("KONTOR_SMTP_URL")
            .map(|url| {
                crate::mail::smtp::SmtpUrl::parse(&url).map_err(|_| {
                    invalid("KONTOR_SMTP_URL", crate::mail::smtp::redact(&url), crate::mail::smtp::URL_FORMS)
                })
            })
            .transpose()?;
        let smtp_rate = match get("KONTOR_SMTP_RATE") {
            None => 50,
            Some(value) => match value.parse::<u32>() {
                Ok(rate) if rate <= 100_000 => rate,
                _ => {
                    return Err(invalid(
                        "KONTOR_SMTP_RATE",
                        value,
                        "expected messages per second, 0 (no limit) to 100000",
                    ));
                }
            },
        };
        let paypal = crate::payments::paypal::config::from_lookup(get)?;
        Ok(Settings {
            database_url: get("DATABASE_URL"),
            bind,
            data_dir: get("KONTOR_DATA_DIR").map_or_else(|| PathBuf::from("var"), PathBuf::from),
            pg_bin_dir: get("KONTOR_PG_BIN").map(PathBuf::from),
            pg_user: get("KONTOR_PG_USER").unwrap_or_else(|| "postgres".to_owned()),
            db_pool_size,
            log_format,
            secure_cookies,
            public_url,
            mail_from,
            time_zone,
            clock,
            seller_country,
            vat_registrations,
            provisioning_token,
            incident_token,
            seller,
            payment_terms_days,
            billing_lead_days,
            trust_forwarded,
            smtp_url,
            smtp_rate,
            sepa,
            paypal,
        })
    }
}

/// "3.00 EUR" (or "EUR 3.00"): a positive amount in whole minor units.
fn parse_fee(text: &str) -> Option<crate::money::Money> {
    let mut parts = text.split_whitespace();
    let (first, second) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (amount, code) =
        if first.chars().all(|c| c.is_ascii_alphabetic()) { (second, first) } else { (first, second) };
    let currency = iso_currency::Currency::from_code(&code.to_ascii_uppercase())?;
    let fee = crate::money::Money::parse(amount, currency).ok()?;
    (fee.is_positive() && fee.is_rounded()).then_some(fee)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
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
        assert_eq!(
            settings(&[("KONTOR_TIME_ZONE", "Mars/Olympus")]).unwrap_err().variable,
            "KONTOR_TIME_ZONE"
        );
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
        let s =
            settings(&[("KONTOR_SMTP_URL", "smtps://kontor:pw@mail.example.com"), ("KONTOR_SMTP_RATE", "0")])
                .unwrap();
        assert_eq!(s.smtp_url.map(|u| u.redacted()).as_deref(), Some("smtps://kontor:***@mail.example.com"));
        assert_eq!(s.smtp_rate, 0);
        let error =
            settings(&[("KONTOR_SMTP_URL", "smtp://kontor:pw@mail.example.com?tls=maybe")]).unwrap_err();
        assert_eq!(error.variable, "KONTOR_SMTP_URL");
        assert!(!error.to_string().contains("pw@"), "the password stays hidden: {error}");
        assert_eq!(
            settings(&[("KONTOR_SMTP_URL", "mail.example.com")]).unwrap_err().variable,
            "KONTOR_SMTP_URL"
        );
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
        let (bill, account) =
            named(&[("KONTOR_SELLER_IBAN_CHF", qr), ("KONTOR_SELLER_BIC_CHF", "UBSWCHZH80A")]);
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
}
