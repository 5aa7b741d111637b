//! The chart of accounts: the accounts Kontor books to, one per currency, and each
//! customer's own accounts. Codes follow the usual ranges (1xxx assets, 17xx liabilities,
//! 4xxx revenue) so finance recognises them in exports.

use diesel::PgConnection;
use iso_currency::Currency;

use super::{Account, AccountKind, AccountSpec, LedgerError, NewAccount};
use crate::ids::CustomerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemAccount {
    /// Money not on a bank statement: cash at the counter, opening balances. `ledger verify`
    /// holds the bank account to the imported statements, so nothing else books there.
    Cash,
    Bank,
    PayPalClearing,
    /// Money received that is not yet matched to a customer.
    Suspense,
    Revenue,
    VatPayable,
    PaymentFees,
}

impl SystemAccount {
    fn code_and_name(self) -> (&'static str, AccountKind, &'static str) {
        match self {
            SystemAccount::Cash => ("1000", AccountKind::Asset, "Cash"),
            SystemAccount::Bank => ("1200", AccountKind::Asset, "Bank"),
            SystemAccount::PayPalClearing => ("1360", AccountKind::Asset, "PayPal clearing"),
            SystemAccount::Suspense => ("1590", AccountKind::Liability, "Unassigned receipts"),
            SystemAccount::VatPayable => ("1776", AccountKind::Liability, "VAT payable"),
            SystemAccount::Revenue => ("4400", AccountKind::Revenue, "Revenue"),
            SystemAccount::PaymentFees => ("6855", AccountKind::Expense, "Payment fees"),
        }
    }

    /// The account in `currency`, for opening in bulk with `Account::open_many`.
    pub fn spec(self, currency: Currency) -> AccountSpec {
        let (number, kind, name) = self.code_and_name();
        AccountSpec {
            code: format!("{number}-{}", currency.code()),
            name: format!("{name} {}", currency.code()),
            kind,
            currency,
            customer_id: None,
        }
    }

    /// Opens (or finds) this account in `currency`.
    pub fn open(self, conn: &mut PgConnection, currency: Currency) -> Result<Account, LedgerError> {
        let (number, kind, name) = self.code_and_name();
        open_numbered(conn, number, kind, name, currency, None)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerAccount {
    /// What the customer owes (invoices not yet paid).
    Receivable,
    /// What Kontor owes the customer (overpayments, compensation credits).
    Credit,
}

impl CustomerAccount {
    pub fn open(
        self,
        conn: &mut PgConnection,
        customer: CustomerId,
        currency: Currency,
    ) -> Result<Account, LedgerError> {
        let (number, kind, name) = match self {
            CustomerAccount::Receivable => ("1400", AccountKind::Asset, "Receivable"),
            CustomerAccount::Credit => ("1750", AccountKind::Liability, "Customer credit"),
        };
        open_numbered(conn, number, kind, name, currency, Some(customer))
    }
}

/// Codes are `<number>-<currency>`, and `<number>-<currency>-C<customer id>` for a
/// customer's own accounts.
fn open_numbered(
    conn: &mut PgConnection,
    number: &str,
    kind: AccountKind,
    name: &str,
    currency: Currency,
    customer_id: Option<CustomerId>,
) -> Result<Account, LedgerError> {
    let (code, name) = match customer_id {
        Some(customer) => (
            format!("{number}-{}-C{}", currency.code(), customer.0),
            format!("{name} {} customer {}", currency.code(), customer.0),
        ),
        None => (format!("{number}-{}", currency.code()), format!("{name} {}", currency.code())),
    };
    Account::open(conn, &NewAccount { code: &code, name: &name, kind, currency, customer_id })
}

/// Account specs for what invoices book to, named by code so the batch can open them in bulk.
pub mod codes {
    use iso_currency::Currency;
    use rust_decimal::Decimal;

    use crate::ids::CustomerId;
    use crate::ledger::{AccountKind, AccountSpec};

    pub fn receivable(currency: Currency, customer: i64) -> AccountSpec {
        customer_account("1400", AccountKind::Asset, "Receivable", currency, customer)
    }

    pub fn credit(currency: Currency, customer: i64) -> AccountSpec {
        customer_account("1750", AccountKind::Liability, "Customer credit", currency, customer)
    }

    fn customer_account(
        number: &str,
        kind: AccountKind,
        name: &str,
        currency: Currency,
        customer: i64,
    ) -> AccountSpec {
        AccountSpec {
            code: format!("{number}-{}-C{customer}", currency.code()),
            name: format!("{name} {} customer {customer}", currency.code()),
            kind,
            currency,
            customer_id: Some(CustomerId(customer)),
        }
    }

    /// Donations payable per currency: outage compensation customers gave to the charity the
    /// provider named, owed to it until paid.
    pub fn donations_payable(currency: Currency) -> AccountSpec {
        AccountSpec {
            code: format!("1790-{}", currency.code()),
            name: format!("Donations payable {}", currency.code()),
            kind: AccountKind::Liability,
            currency,
            customer_id: None,
        }
    }

    /// Revenue per currency and product (`mailbox`, `online_storage`).
    pub fn revenue(currency: Currency, product: &str) -> AccountSpec {
        AccountSpec {
            code: format!("4400-{}-{product}", currency.code()),
            name: format!("Revenue {} {product}", currency.code()),
            kind: AccountKind::Revenue,
            currency,
            customer_id: None,
        }
    }

    /// VAT payable per currency, country and rate (what OSS returns are made of).
    pub fn vat(currency: Currency, country: &str, rate: Decimal) -> AccountSpec {
        AccountSpec {
            code: format!("1776-{}-{country}-{}", currency.code(), rate.normalize()),
            name: format!("VAT payable {country} {}% ({})", rate.normalize(), currency.code()),
            kind: AccountKind::Liability,
            currency,
            customer_id: None,
        }
    }
}
