//! Reading what an invoice froze at issue in its JSON snapshots: the seller with their bank
//! accounts, and the text fields of the customer's.

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Seller {
    pub name: String,
    pub address: Vec<String>,
    pub vat_id: String,
    pub register: String,
    pub iban: String,
    pub bic: String,
    pub chf_iban: Option<String>,
    /// IBAN and BIC per currency (`KONTOR_SELLER_IBAN_<CUR>`); others are paid to `iban`.
    pub accounts: BTreeMap<String, (String, String)>,
    /// How domestic transfers reach the account of a currency, where it says (Sweden, Norway,
    /// Denmark; snapshots from before domestic references have none).
    pub domestic: BTreeMap<String, crate::seller::DomesticAccount>,
}

impl Seller {
    /// (IBAN, BIC) of the account customers paying in `currency` pay to: the currency's own,
    /// for CHF the QR-bill's (snapshots from before accounts were frozen name only that), else
    /// the EUR account.
    pub fn account_for(&self, currency: &str) -> (String, String) {
        if let Some(account) = self.accounts.get(currency) {
            return account.clone();
        }
        match (&self.chf_iban, currency) {
            (Some(iban), "CHF") => (iban.clone(), String::new()),
            _ => (self.iban.clone(), self.bic.clone()),
        }
    }

    /// The seller as frozen in an invoice's `seller_snapshot`.
    pub fn from_snapshot(value: &Value) -> Seller {
        seller(value)
    }
}

pub(super) fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

pub(super) fn optional_text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned).filter(|s| !s.trim().is_empty())
}

pub(super) fn seller(value: &Value) -> Seller {
    let frozen_accounts = value.get("accounts").and_then(Value::as_object);
    let accounts = || frozen_accounts.into_iter().flatten();
    Seller {
        name: text(value, "name"),
        address: value
            .get("address")
            .and_then(Value::as_array)
            .map(|lines| lines.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        vat_id: text(value, "vat_id"),
        register: text(value, "register"),
        iban: text(value, "iban"),
        bic: text(value, "bic"),
        chf_iban: optional_text(value, "chf_iban"),
        accounts: accounts()
            .map(|(currency, account)| (currency.clone(), (text(account, "iban"), text(account, "bic"))))
            .collect(),
        domestic: accounts()
            .filter_map(|(currency, account)| {
                Some((currency.clone(), serde_json::from_value(account.get("domestic")?.clone()).ok()?))
            })
            .collect(),
    }
}
