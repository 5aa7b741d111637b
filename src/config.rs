//! Settings from the environment, with defaults that work on a developer's machine.
//! Every variable is documented in the README; a bad value names its variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

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
    /// `KONTOR_SELLER_COUNTRY`: where the provider is established for VAT.
    pub seller_country: crate::accounts::country::Country,
    /// `KONTOR_VAT_REGISTRATIONS`: countries outside the EU where the provider charges local
    /// VAT, comma-separated (e.g. `CH,NO`).
    pub vat_registrations: Vec<crate::accounts::country::Country>,
    /// `KONTOR_PROVISIONING_TOKEN`: the bearer token of the provisioning API; unset, it is off.
    pub provisioning_token: Option<String>,
    /// The seller as printed on invoices (`KONTOR_SELLER_*`).
    pub seller: SellerDetails,
    /// `KONTOR_PAYMENT_TERMS_DAYS`: days from issue to due date.
    pub payment_terms_days: u32,
    /// `KONTOR_SMTP_URL`: the SMTP server mail goes to; unset, mail is written to files.
    pub smtp_url: Option<crate::mail::smtp::SmtpUrl>,
    /// `KONTOR_SMTP_RATE`: messages per second each process sends at most; 0 is no limit.
    pub smtp_rate: u32,
    /// `KONTOR_PAYPAL_*`: PayPal checkout; unset (no client id and secret), PayPal is off.
    pub paypal: Option<crate::payments::paypal::PayPalSettings>,
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

    pub fn site(&self) -> crate::accounts::Site {
        crate::accounts::Site { public_url: self.public_url.clone(), mail_domain: self.mail_domain() }
    }
}

/// ISO 9362: 4 letters (institution), 2 letters (country), 2 letters or digits (location),
/// optionally 3 letters or digits (branch).
fn is_bic(bic: &str) -> bool {
    let bytes = bic.as_bytes();
    (bytes.len() == 8 || bytes.len() == 11)
        && bytes.iter().take(6).all(u8::is_ascii_uppercase)
        && bytes.iter().skip(6).all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
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
        let secure_cookies = flag("KONTOR_SECURE_COOKIES")?;
        let trust_forwarded = flag("KONTOR_TRUST_FORWARDED")?;
        let public_url = match get("KONTOR_PUBLIC_URL") {
            None => format!("http://{bind}"),
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(other) => return Err(invalid("KONTOR_PUBLIC_URL", other, "expected an http(s):// URL")),
        };
        let time_zone = match get("KONTOR_TIME_ZONE") {
            None => chrono_tz::Europe::Berlin,
            Some(name) => name.parse::<chrono_tz::Tz>().map_err(|_| {
                invalid("KONTOR_TIME_ZONE", name, "expected an IANA zone such as Europe/Berlin")
            })?,
        };
        let country = |variable: &'static str, code: String| {
            crate::accounts::country::Country::parse(&code)
                .map_err(|_| invalid(variable, code, "expected a country code such as DE"))
        };
        let seller_country = match get("KONTOR_SELLER_COUNTRY") {
            None => crate::accounts::country::Country::Germany,
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
        let seller = SellerDetails {
            name: get("KONTOR_SELLER_NAME").unwrap_or_else(|| "Kontor Hosting GmbH".to_owned()),
            address: get("KONTOR_SELLER_ADDRESS")
                .unwrap_or_else(|| "Friedrichstraße 100|10117 Berlin|Germany".to_owned())
                .split('|')
                .map(|line| line.trim().to_owned())
                .collect(),
            vat_id: get("KONTOR_SELLER_VAT_ID").unwrap_or_else(|| "DE136695976".to_owned()),
            register: get("KONTOR_SELLER_REGISTER")
                .unwrap_or_else(|| "Amtsgericht Charlottenburg, HRB 000000 B".to_owned()),
            // Printed on every invoice and encoded in its payment code: a typo would send
            // customers' money astray, so it is checked (mod 97, length) before anything runs.
            iban: {
                let iban = get("KONTOR_SELLER_IBAN").unwrap_or_else(|| "DE89370400440532013000".to_owned());
                let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
                if compact.parse::<iban::Iban>().is_err() {
                    return Err(invalid(
                        "KONTOR_SELLER_IBAN",
                        iban,
                        "expected a valid IBAN (check digits, length)",
                    ));
                }
                compact
            },
            bic: {
                let bic = get("KONTOR_SELLER_BIC").unwrap_or_else(|| "COBADEFFXXX".to_owned());
                if !is_bic(&bic) {
                    return Err(invalid("KONTOR_SELLER_BIC", bic, "expected a BIC of 8 or 11 characters"));
                }
                bic
            },
            chf_iban: match get("KONTOR_SELLER_CHF_IBAN").as_deref().map(str::trim) {
                // The QR-IBAN of SIX's own examples: scannable, but no bank account of ours.
                None => Some("CH4431999123000889012".to_owned()),
                Some("" | "none") => None,
                Some(iban) => {
                    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
                    let swiss = compact.starts_with("CH") || compact.starts_with("LI");
                    if !swiss || compact.parse::<iban::Iban>().is_err() {
                        return Err(invalid(
                            "KONTOR_SELLER_CHF_IBAN",
                            iban.to_owned(),
                            "expected a valid Swiss or Liechtenstein IBAN (CH.. or LI..), or none",
                        ));
                    }
                    Some(compact)
                }
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
            seller_country,
            vat_registrations,
            provisioning_token,
            seller,
            payment_terms_days,
            trust_forwarded,
            smtp_url,
            smtp_rate,
            paypal,
        })
    }
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
    fn empty_values_mean_unset() {
        assert_eq!(settings(&[("DATABASE_URL", " ")]).unwrap().database_url, None);
    }
}
