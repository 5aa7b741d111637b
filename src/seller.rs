//! The seller: who issues the invoices, as printed on them, and the bank accounts customers
//! pay into. The edges read it from the settings (`config`) and pass it down.

/// A bank account of the seller: where customers paying in one currency send their money.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BankAccount {
    pub iban: String,
    /// Empty when none is configured (CHF accounts paid through the QR-bill need none).
    pub bic: String,
    /// How payers of the account's own country reach it without an IBAN, if they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domestic: Option<DomesticAccount>,
}

/// The account as a domestic transfer in Sweden, Norway or Denmark names it, with the reference
/// scheme its agreement with the bank says (`KONTOR_SELLER_DOMESTIC_<CUR>`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case")]
pub enum DomesticAccount {
    /// A Swedish bankgiro number (`5050-1055`), paid with OCR numbers.
    Bankgiro { number: String },
    /// A Norwegian 11-digit account number, paid with KIDs checked as `kid` says.
    NorwegianAccount { number: String, kid: crate::references::domestic::KidCheck },
    /// A Danish FI creditor number, paid with +71 payment slips.
    Fik71 { creditor: String },
}

impl DomesticAccount {
    /// The currency whose account it can be.
    pub fn currency(&self) -> &'static str {
        match self {
            DomesticAccount::Bankgiro { .. } => "SEK",
            DomesticAccount::NorwegianAccount { .. } => "NOK",
            DomesticAccount::Fik71 { .. } => "DKK",
        }
    }

    /// The reference a domestic transfer quotes for the invoice whose number's digits are
    /// `payload`.
    pub fn reference(&self, payload: &str) -> Option<String> {
        use crate::references::domestic::{fik71_payment_id, kid, ocr};
        match self {
            DomesticAccount::Bankgiro { .. } => ocr(payload),
            DomesticAccount::NorwegianAccount { kid: check, .. } => kid(payload, *check),
            DomesticAccount::Fik71 { .. } => fik71_payment_id(payload),
        }
    }
}

/// Currencies that may have an account of their own (`KONTOR_SELLER_IBAN_<CUR>`).
pub const ACCOUNT_CURRENCIES: [&str; 6] = ["EUR", "CHF", "SEK", "NOK", "DKK", "GBP"];

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
        self.own_account(currency).unwrap_or_else(|| BankAccount {
            iban: self.iban.clone(),
            bic: self.bic.clone(),
            domestic: None,
        })
    }

    /// The account of `currency` itself, if there is one. CHF's is the QR-bill account.
    pub fn own_account(&self, currency: &str) -> Option<BankAccount> {
        if currency == "EUR" {
            return Some(BankAccount { iban: self.iban.clone(), bic: self.bic.clone(), domestic: None });
        }
        self.accounts.get(currency).cloned().or_else(|| {
            (currency == "CHF").then(|| self.chf_iban.clone()).flatten().map(|iban| BankAccount {
                iban,
                bic: String::new(),
                domestic: None,
            })
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
