//! Prices as customers pay them: a consumer sees the gross price in their currency with their
//! country's VAT (a Swede sees kronor with Swedish VAT), a business the net price plus VAT.
//! The catalog holds net prices per currency and the tax rules decide the rate; this is the
//! one place that puts the two together for a page, so the home page, the dashboard, the
//! storage and cancel pages and the confirmations all say the same.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::changes::vat_for;
use super::{Billing, SubscriptionError};
use crate::catalog;
use crate::country::Country;
use crate::db::schema::customers;
use crate::i18n::format::{money, percent};
use crate::i18n::{Lang, t_args};
use crate::ids::CustomerId;
use crate::money::Money;
use crate::tax::{self, Buyer};

/// How a customer is shown prices: the VAT rate that applies to them and whether they are a
/// business (a VAT ID on file, which is what the tax rules treat as a business too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Terms {
    pub rate: Decimal,
    pub business: bool,
}

/// A net price with its VAT, as one of `Terms` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shown {
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
    pub rate: Decimal,
    pub business: bool,
}

impl Terms {
    pub fn show(self, net: Money) -> Result<Shown, SubscriptionError> {
        let vat = tax::vat_amount(net, self.rate)?;
        Ok(Shown { net, vat, gross: net.checked_add(vat)?, rate: self.rate, business: self.business })
    }
}

/// A price in the reader's words: gross with the VAT rate for consumers, net plus VAT for
/// businesses, the amount alone where no VAT of ours applies.
pub fn describe(lang: &Lang, shown: &Shown) -> String {
    let rate = percent(lang, shown.rate);
    if shown.rate.is_zero() {
        t_args(lang, "price-no-vat", &[("amount", money(lang, shown.net).into())])
    } else if shown.business {
        t_args(lang, "price-business", &[("net", money(lang, shown.net).into()), ("rate", rate.into())])
    } else {
        t_args(lang, "price-consumer", &[("gross", money(lang, shown.gross).into()), ("rate", rate.into())])
    }
}

/// The terms of a signed-in customer on `date`.
pub fn terms_of(
    conn: &mut PgConnection,
    billing: &Billing,
    customer: CustomerId,
    date: NaiveDate,
) -> Result<Terms, SubscriptionError> {
    let (rate, _) = vat_for(conn, billing, customer, date)?;
    let vat_id: Option<String> = customers::table.find(customer.0).select(customers::vat_id).first(conn)?;
    Ok(Terms { rate, business: vat_id.is_some_and(|v| !v.trim().is_empty()) })
}

/// The monthly price of the mailbox for a visitor living in `country` (a consumer, until they
/// say otherwise at sign-up), in that country's currency.
pub fn list_price(
    conn: &mut PgConnection,
    billing: &Billing,
    country: Country,
    date: NaiveDate,
) -> Result<Shown, SubscriptionError> {
    let treatment =
        tax::treatment(&billing.seller, &Buyer { country, vat_id: None, vies_valid: false }, date)?;
    let net = catalog::price_on(conn, super::trial::BASE_PLAN, country.currency(), date)?;
    Terms { rate: treatment.rate(), business: false }.show(net)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    #[test]
    fn consumers_and_businesses_see_the_same_net_and_vat() {
        let net = Money::new(Decimal::new(1200, 2), Currency::SEK);
        let consumer = Terms { rate: Decimal::from(25), business: false }.show(net).unwrap();
        assert_eq!(consumer.gross, Money::new(Decimal::new(1500, 2), Currency::SEK));
        assert_eq!(consumer.vat, Money::new(Decimal::new(300, 2), Currency::SEK));
        let business = Terms { rate: Decimal::from(25), business: true }.show(net).unwrap();
        assert_eq!(
            (business.net, business.vat, business.gross),
            (consumer.net, consumer.vat, consumer.gross)
        );
        let reverse = Terms { rate: Decimal::ZERO, business: true }.show(net).unwrap();
        assert_eq!(reverse.gross, net, "no VAT of ours under reverse charge");
    }
}
