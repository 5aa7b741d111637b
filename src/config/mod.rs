//! Settings from the environment, with defaults that work on a developer's machine.
//! Every variable is documented in the README; a bad value names its variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::seller::SellerDetails;
pub use crate::telemetry::LogFormat;
pub use seller::demo_seller;

mod paypal;
mod seller;

/// Batch work yields the CPU to requests: at nice 10 a busy thread gets about a tenth of what
/// a request's thread gets when both want a core, and all of it when the portal is quiet.
const DEFAULT_BATCH_NICE: i32 = 10;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: &'static str,
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
    /// `KONTOR_BATCH_NICE`: the CPU priority (Unix nice, 0-19) of batch work: the billing
    /// run's threads, the server's background worker and, on the local cluster, their
    /// database backends, so customers' pages come first while a batch runs.
    pub batch_nice: i32,
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
    /// `KONTOR_DATEV_CHART` (skr03, skr04), `KONTOR_DATEV_CONSULTANT`, `KONTOR_DATEV_CLIENT`:
    /// the tax adviser's chart and numbers for the DATEV export.
    pub datev: DatevSettings,
    /// `KONTOR_PROVISIONING_TOKEN`: the bearer token of the provisioning API; unset, it is off.
    pub provisioning_token: Option<String>,
    /// `KONTOR_INCIDENT_TOKEN`: the bearer token monitoring uses to open, update and resolve
    /// incidents (`/api/incidents`); unset, that API is off.
    pub incident_token: Option<String>,
    /// `KONTOR_STATUS_DIR`: where the status page and its feeds are written as static files
    /// after every change (default `$KONTOR_DATA_DIR/status`), to be served when the portal
    /// or its database is down.
    pub status_dir: PathBuf,
    /// `KONTOR_STATUS_PUBLISH`: a shell command run after each render that wrote something,
    /// with the folder as `$1` (e.g. `rsync -a --delete "$1"/ status-host:/srv/status/`).
    pub status_publish: Option<String>,
    /// The seller as printed on invoices (`KONTOR_SELLER_*`).
    pub seller: SellerDetails,
    /// `KONTOR_PAYMENT_TERMS_DAYS`: days from issue to due date.
    pub payment_terms_days: u32,
    /// `KONTOR_FACTURX_THRESHOLD_EUR`: euro invoices up to this gross amount (default 250.00,
    /// the German small-amount exemption) are not sent as Factur-X; 0 sends every one.
    pub facturx_threshold_eur: rust_decimal::Decimal,
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
    /// `KONTOR_VIES_URL`: the VIES REST API that confirms customers' EU VAT IDs (default the
    /// European Commission's; the fake's address in tests and the demo).
    pub vies_url: String,
}

/// The seller as a SEPA direct debit creditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SepaSettings {
    /// `KONTOR_SEPA_CREDITOR_ID`: the SEPA creditor identifier (EPC262, mod 97 checked).
    pub creditor_id: String,
    /// `KONTOR_SEPA_RETURN_FEE`: what the bank charges for a returned debit, passed on to the
    /// customer (e.g. "3.00 EUR"); unset, nothing is charged.
    pub return_fee: Option<crate::money::Money>,
    /// `KONTOR_SEPA_PAIN008_VERSION`: `08` (default) or `02` for a bank that still wants
    /// pain.008.001.02.
    pub pain008_version: crate::payments::sepa::pain008::Version,
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
            facturx_threshold_eur: self.facturx_threshold_eur,
        }
    }

    /// Where VAT IDs are checked, as whom: the seller's own VAT ID goes along (VIES then gives
    /// a consultation number), unless it is still the demo company's, which is nobody's to use.
    pub fn vies(&self) -> crate::tax::vies::ViesSettings {
        let own = crate::country::VatId::try_from(self.seller.vat_id.clone()).ok();
        let requester = own.filter(|id| id.country().is_eu() && self.seller.vat_id != demo_seller::VAT_ID);
        crate::tax::vies::ViesSettings {
            url: self.vies_url.clone(),
            timeout: crate::tax::vies::TIMEOUT,
            requester,
        }
    }

    /// What SEPA returns need: links and Message-IDs for the email, and the fee.
    pub fn sepa_returns(&self) -> crate::payments::sepa::ReturnContext {
        crate::payments::sepa::ReturnContext { site: self.site(), return_fee: self.sepa.return_fee }
    }

    /// Who collects SEPA direct debits: the seller's EUR account and creditor identifier.
    pub fn sepa_export(&self) -> crate::payments::sepa::export::ExportSettings {
        let account = self.seller.account_for("EUR");
        crate::payments::sepa::export::ExportSettings {
            creditor: crate::payments::sepa::pain008::Creditor {
                name: self.seller.name.clone(),
                iban: account.iban,
                bic: account.bic,
                creditor_id: self.sepa.creditor_id.clone(),
                address: crate::payments::sepa::address::PostalAddress::from_lines(
                    &self.seller.address,
                    self.seller_country.code(),
                ),
            },
            version: self.sepa.pain008_version,
        }
    }

    /// Where the database is: `DATABASE_URL`, or the local cluster in the data folder.
    pub fn database(&self) -> crate::db::DatabaseOptions {
        crate::db::DatabaseOptions {
            url: self.database_url.clone(),
            data_dir: self.data_dir.clone(),
            pg_bin_dir: self.pg_bin_dir.clone(),
            pg_user: self.pg_user.clone(),
            pool_size: self.db_pool_size,
        }
    }

    pub fn site(&self) -> crate::site::Site {
        crate::site::Site { public_url: self.public_url.clone(), mail_domain: self.mail_domain() }
    }

    /// The seller's bank accounts, each with the currency it is kept in: the EUR account, the
    /// Swiss QR-bill account (CHF) and each `KONTOR_SELLER_IBAN_<CUR>`.
    /// Who pays the payouts' credit transfers: the seller's EUR account.
    pub fn payout_export(&self) -> crate::payments::payouts::ExportSettings {
        let creditor = self.sepa_export().creditor;
        crate::payments::payouts::ExportSettings {
            debtor: crate::payments::sepa::pain001::Debtor {
                name: creditor.name,
                iban: creditor.iban,
                bic: creditor.bic,
                address: creditor.address,
            },
        }
    }

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
        let batch_nice = match get("KONTOR_BATCH_NICE") {
            None => DEFAULT_BATCH_NICE,
            Some(value) => match value.parse::<i32>() {
                Ok(n) if (0..=19).contains(&n) => n,
                _ => return Err(invalid("KONTOR_BATCH_NICE", value, "expected a nice value from 0 to 19")),
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
        let seller = seller::read(&get)?;
        let datev = DatevSettings {
            chart: match get("KONTOR_DATEV_CHART") {
                None => crate::accounting::datev::Chart::Skr03,
                Some(text) => crate::accounting::datev::Chart::parse(&text)
                    .ok_or_else(|| invalid("KONTOR_DATEV_CHART", text, "expected skr03 or skr04"))?,
            },
            consultant: datev_number(get("KONTOR_DATEV_CONSULTANT"), "KONTOR_DATEV_CONSULTANT", 1001)?,
            client: datev_number(get("KONTOR_DATEV_CLIENT"), "KONTOR_DATEV_CLIENT", 1)?,
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
            pain008_version: match get("KONTOR_SEPA_PAIN008_VERSION") {
                None => crate::payments::sepa::pain008::Version::default(),
                Some(text) => crate::payments::sepa::pain008::Version::parse(&text)
                    .ok_or_else(|| invalid("KONTOR_SEPA_PAIN008_VERSION", text, "expected 08 or 02"))?,
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
        let facturx_threshold_eur = match get("KONTOR_FACTURX_THRESHOLD_EUR") {
            None => rust_decimal::Decimal::new(25_000, 2),
            Some(value) => match value.parse::<rust_decimal::Decimal>() {
                Ok(amount) if !amount.is_sign_negative() && amount.scale() <= 2 => amount,
                _ => {
                    return Err(invalid(
                        "KONTOR_FACTURX_THRESHOLD_EUR",
                        value,
                        "expected an amount such as 250.00",
                    ));
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
        let paypal = paypal::from_lookup(get)?;
        let vies_url = match get("KONTOR_VIES_URL") {
            None => crate::tax::vies::EC_URL.to_owned(),
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                url.trim().trim_end_matches('/').to_owned()
            }
            Some(other) => return Err(invalid("KONTOR_VIES_URL", other, "expected an http(s):// URL")),
        };
        let data_dir = get("KONTOR_DATA_DIR").map_or_else(|| PathBuf::from("var"), PathBuf::from);
        Ok(Settings {
            database_url: get("DATABASE_URL"),
            bind,
            status_dir: get("KONTOR_STATUS_DIR").map_or_else(|| data_dir.join("status"), PathBuf::from),
            status_publish: get("KONTOR_STATUS_PUBLISH").filter(|c| !c.trim().is_empty()),
            data_dir,
            pg_bin_dir: get("KONTOR_PG_BIN").map(PathBuf::from),
            pg_user: get("KONTOR_PG_USER").unwrap_or_else(|| "postgres".to_owned()),
            db_pool_size,
            batch_nice,
            log_format,
            secure_cookies,
            public_url,
            mail_from,
            time_zone,
            clock,
            seller_country,
            vat_registrations,
            datev,
            provisioning_token,
            incident_token,
            seller,
            payment_terms_days,
            facturx_threshold_eur,
            billing_lead_days,
            trust_forwarded,
            smtp_url,
            smtp_rate,
            sepa,
            paypal,
            vies_url,
        })
    }
}

/// The adviser's DATEV numbers for the export header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatevSettings {
    pub chart: crate::accounting::datev::Chart,
    pub consultant: u32,
    pub client: u32,
}

/// A DATEV Berater- or Mandantennummer: 1 to 9,999,999.
fn datev_number(value: Option<String>, variable: &'static str, default: u32) -> Result<u32, ConfigError> {
    match value {
        None => Ok(default),
        Some(text) => match text.trim().parse::<u32>() {
            Ok(n) if (1..=9_999_999).contains(&n) => Ok(n),
            _ => Err(ConfigError { variable, value: text, reason: "expected a number from 1 to 9999999" }),
        },
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
mod tests;
