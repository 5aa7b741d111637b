//! Fees and default interest booked as their own invoice ("dunning charges"), never edited
//! into the overdue invoice: its own number, its own ledger entry and PDF, payable like any
//! invoice. No VAT: default interest and damages pay for no supply, so they are outside the
//! scope of VAT (lines at 0 %, with a note saying why).

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::CollectionsError;
use super::interest::Stretch;
use crate::documents::Publishing;
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t, t_args};
use crate::invoicing::compose::{LineInput, totals};
use crate::invoicing::issue::{Accounts, Draft, issue};
use crate::invoicing::numbering::Series;
use crate::ledger::chart::codes;
use crate::ledger::{Account, AccountId, AccountSpec};
use crate::money::Money;

/// The products the charges book to (revenue accounts `4400-<currency>-<product>`).
pub const FEE_PRODUCT: &str = "dunning_fee";
pub const INTEREST_PRODUCT: &str = "dunning_interest";

/// What the treatment column says for these invoices.
pub const OUTSIDE_SCOPE: &str = "outside_scope";

/// The overdue invoice the charges are for, as issued.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub invoice_id: i64,
    pub number: String,
    pub customer_id: i64,
    pub currency: Currency,
    pub due_date: NaiveDate,
    pub language: String,
    pub country: String,
    pub customer_snapshot: serde_json::Value,
    pub seller_snapshot: serde_json::Value,
}

impl Overdue {
    pub fn lang(&self) -> Lang {
        Lang::supported(&self.language).unwrap_or_else(Lang::english)
    }

    pub fn formats(&self) -> Formats {
        Formats::new(&self.lang(), &self.country)
    }
}

/// "Default interest on 2026-000123: 31 days at 6.27 % p.a. on 1.19 € (1.12.2026 – 31.12.2026)".
pub fn interest_line(formats: &Formats, number: &str, principal: Money, stretch: &Stretch) -> String {
    t_args(
        &formats.lang,
        "dunning-interest-line",
        &[
            ("number", number.to_owned().into()),
            ("days", stretch.days.into()),
            ("rate", formats.number(stretch.rate, 2).into()),
            ("principal", formats.money(principal).into()),
            ("from", formats.date(stretch.from).into()),
            ("until", formats.date(stretch.until).into()),
        ],
    )
}

pub fn fee_line(formats: &Formats, number: &str, level: i32) -> String {
    t_args(
        &formats.lang,
        "dunning-fee-line",
        &[("number", number.to_owned().into()), ("level", level.into())],
    )
}

/// Issues, renders and mails the charges invoice for `overdue` (in the caller's transaction):
/// its id and number, `None` when there is nothing to charge.
#[allow(clippy::too_many_arguments)]
pub fn issue_charges(
    conn: &mut PgConnection,
    publishing: &Publishing,
    overdue: &Overdue,
    level: i32,
    fee: Money,
    principal: Money,
    interest: &[Stretch],
    today: NaiveDate,
    payment_days: u32,
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>, CollectionsError> {
    let currency = overdue.currency;
    let formats = overdue.formats();
    let line = |description: String, product: &str, amount: Money| LineInput {
        description,
        plan_code: None,
        product: product.to_owned(),
        service_from: None,
        service_until: None,
        quantity: Decimal::ONE,
        unit_price: amount,
        net: amount,
        vat_rate: Decimal::ZERO,
    };
    let mut lines = Vec::new();
    if fee.is_positive() {
        lines.push(line(fee_line(&formats, &overdue.number, level), FEE_PRODUCT, fee));
    }
    for stretch in interest.iter().filter(|s| s.amount.is_positive()) {
        lines.push(line(
            interest_line(&formats, &overdue.number, principal, stretch),
            INTEREST_PRODUCT,
            stretch.amount,
        ));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let totals = totals(currency, lines, Money::zero(currency))?;
    let customer = overdue.customer_id;
    let mut specs: Vec<AccountSpec> =
        vec![codes::receivable(currency, customer), codes::credit(currency, customer)];
    let mut products: Vec<&str> = totals.lines.iter().map(|l| l.input.product.as_str()).collect();
    products.sort_unstable();
    products.dedup();
    specs.extend(products.iter().map(|p| codes::revenue(currency, p)));
    let ids = Account::open_many(conn, &specs)?;
    let mut draft = Draft {
        customer_id: customer,
        subscription_id: None,
        billing_period: None,
        credited_invoice_id: None,
        reason: None,
        service_from: None,
        service_until: None,
        issue_date: today,
        due_date: today + Days::new(u64::from(payment_days)),
        currency,
        totals,
        vat_treatment: OUTSIDE_SCOPE.to_owned(),
        vat_note: Some(t(&formats.lang, "dunning-vat-note")),
        language: overdue.language.clone(),
        customer_snapshot: overdue.customer_snapshot.clone(),
        seller_snapshot: overdue.seller_snapshot.clone(),
        pending_charge_ids: Vec::new(),
        accounts: Accounts {
            receivable: AccountId(0),
            credit: AccountId(0),
            revenue: BTreeMap::new(),
            vat: BTreeMap::new(),
        },
        receivable_share: None,
    };
    crate::invoicing::due::attach_accounts(&mut draft, &specs, &ids)?;
    let issued = issue(conn, Series::Invoice, std::slice::from_ref(&draft), now)?;
    let charges = issued
        .into_iter()
        .next()
        .ok_or_else(|| CollectionsError::Corrupt("charges not issued".to_owned()))?;
    crate::documents::publish(conn, &[charges.id], publishing)?;
    Ok(Some((charges.id, charges.number)))
}
