//! What crosses the wire to and from PayPal's REST API: serde types for the parts Kontor
//! reads, and amounts as decimal strings made from `Money` (never via floating point).

use iso_currency::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PayPalError;
use crate::money::{Money, minor_units};

/// PayPal's `Money` object: `{"currency_code": "EUR", "value": "12.50"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub currency_code: String,
    pub value: String,
}

impl Amount {
    /// The amount with exactly the currency's minor digits (EUR, CHF, SEK, NOK, DKK, GBP: 2;
    /// JPY, HUF, TWD would be 0), rounded half-up first by `Money`.
    pub fn from_money(money: Money) -> Amount {
        let rounded = money.round();
        let digits = minor_units(money.currency()) as usize;
        Amount {
            currency_code: money.currency().code().to_owned(),
            value: format!("{:.*}", digits, rounded.amount()),
        }
    }

    pub fn to_money(&self) -> Result<Money, PayPalError> {
        let currency = Currency::from_code(self.currency_code.trim())
            .ok_or_else(|| PayPalError::BadResponse(format!("currency {:?}", self.currency_code)))?;
        let value: Decimal = self
            .value
            .trim()
            .parse()
            .map_err(|_| PayPalError::BadResponse(format!("amount {:?}", self.value)))?;
        Ok(Money::new(value, currency))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    pub href: String,
    pub rel: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Breakdown {
    pub gross_amount: Option<Amount>,
    pub paypal_fee: Option<Amount>,
    pub net_amount: Option<Amount>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RelatedIds {
    pub order_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SupplementaryData {
    pub related_ids: Option<RelatedIds>,
}

/// A capture, as in an order's `purchase_units[].payments.captures[]` and as the resource of
/// `PAYMENT.CAPTURE.*` webhooks.
#[derive(Debug, Clone, Deserialize)]
pub struct Capture {
    pub id: String,
    pub status: String,
    pub amount: Option<Amount>,
    pub invoice_id: Option<String>,
    pub custom_id: Option<String>,
    pub seller_receivable_breakdown: Option<Breakdown>,
    pub supplementary_data: Option<SupplementaryData>,
    #[serde(default)]
    pub links: Vec<Link>,
}

impl Capture {
    pub fn fee(&self) -> Result<Option<Money>, PayPalError> {
        self.seller_receivable_breakdown
            .as_ref()
            .and_then(|b| b.paypal_fee.as_ref())
            .map(Amount::to_money)
            .transpose()
    }

    pub fn order_id(&self) -> Option<&str> {
        self.supplementary_data.as_ref()?.related_ids.as_ref()?.order_id.as_deref()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Payments {
    #[serde(default)]
    pub captures: Vec<Capture>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PurchaseUnit {
    pub reference_id: Option<String>,
    pub invoice_id: Option<String>,
    pub amount: Option<Amount>,
    pub payments: Option<Payments>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Payer {
    pub payer_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Order {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub purchase_units: Vec<PurchaseUnit>,
    pub payer: Option<Payer>,
}

impl Order {
    /// Where the payer approves: `payer-action` (with `payment_source`) or `approve`.
    pub fn approve_link(&self) -> Option<&str> {
        self.links.iter().find(|l| l.rel == "payer-action" || l.rel == "approve").map(|l| l.href.as_str())
    }

    /// Still waiting for the payer to approve it on PayPal's page.
    pub fn awaits_payer(&self) -> bool {
        matches!(self.status.as_str(), "CREATED" | "PAYER_ACTION_REQUIRED")
    }

    pub fn captures(&self) -> impl Iterator<Item = &Capture> {
        self.purchase_units.iter().filter_map(|u| u.payments.as_ref()).flat_map(|p| p.captures.iter())
    }

    pub fn payer_id(&self) -> Option<&str> {
        self.payer.as_ref()?.payer_id.as_deref()
    }
}

/// A refund, as answered by `captures/{id}/refund` and as the resource of
/// `PAYMENT.CAPTURE.REFUNDED` / `REVERSED` webhooks.
#[derive(Debug, Clone, Deserialize)]
pub struct Refund {
    pub id: String,
    pub status: String,
    pub amount: Option<Amount>,
    #[serde(default)]
    pub links: Vec<Link>,
}

impl Refund {
    /// The refunded capture: the `up` link ends in `/captures/<id>`.
    pub fn capture_id(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|l| l.rel == "up" && l.href.contains("/captures/"))
            .and_then(|l| l.href.rsplit('/').next())
            .filter(|id| !id.is_empty())
    }
}

/// A webhook event (`resource` kept raw: its shape depends on the type).
#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub id: String,
    pub event_type: String,
    #[serde(default)]
    pub resource: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Verification {
    pub verification_status: String,
}

/// The headers PayPal signs a webhook with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransmissionHeaders {
    pub transmission_id: String,
    pub transmission_time: String,
    pub transmission_sig: String,
    pub cert_url: String,
    pub auth_algo: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_exactly_the_minor_digits() {
        for (code, minor, text) in [
            ("EUR", 1250, "12.50"),
            ("CHF", 100, "1.00"),
            ("SEK", 11875, "118.75"),
            ("NOK", 5, "0.05"),
            ("DKK", 123456, "1234.56"),
            ("GBP", 99, "0.99"),
            ("JPY", 1500, "1500"),
        ] {
            let currency = Currency::from_code(code).unwrap();
            let amount = Amount::from_money(Money::from_minor(minor, currency));
            assert_eq!((amount.currency_code.as_str(), amount.value.as_str()), (code, text));
            assert_eq!(amount.to_money().unwrap(), Money::from_minor(minor, currency));
        }
        // Rounded half-up before it goes out.
        let third = Money::new(Decimal::new(10005, 3), Currency::EUR);
        assert_eq!(Amount::from_money(third).value, "10.01");
    }

    #[test]
    fn the_documented_webhook_bodies_parse() {
        let completed: Event = serde_json::from_str(include_str!(
            "../../../tests/fixtures/paypal/PAYMENT.CAPTURE.COMPLETED.body.json"
        ))
        .unwrap();
        let capture: Capture = serde_json::from_value(completed.resource).unwrap();
        assert_eq!(capture.id, "12A34567BC123456S");
        assert_eq!(capture.order_id(), Some("1AB234567A1234567"));
        assert_eq!(capture.fee().unwrap(), Some(Money::from_minor(154, Currency::USD)));
        let refunded: Event = serde_json::from_str(include_str!(
            "../../../tests/fixtures/paypal/PAYMENT.CAPTURE.REFUNDED.body.json"
        ))
        .unwrap();
        let refund: Refund = serde_json::from_value(refunded.resource).unwrap();
        assert_eq!(refund.capture_id(), Some("0JF852973C016714D"));
    }
}
