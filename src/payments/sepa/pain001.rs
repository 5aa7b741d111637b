//! Writes a SEPA credit transfer initiation, pain.001.001.09, with quick-xml: the seller's
//! payouts to customers (refunds), one payment information block per execution date, one
//! transaction per payout whose end-to-end id comes back in the bank statement's debit.

use chrono::{DateTime, NaiveDate, Utc};

use super::SepaError;
use super::address::PostalAddress;
use super::xml::{Xml, amount_text, sepa_text, sum};
use crate::money::Money;

pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

/// Who pays: the seller's EUR account.
#[derive(Debug, Clone)]
pub struct Debtor {
    pub name: String,
    pub iban: String,
    pub bic: String,
    pub address: PostalAddress,
}

#[derive(Debug, Clone)]
pub struct Payout {
    pub end_to_end_id: String,
    pub amount: Money,
    pub creditor_name: String,
    pub creditor_iban: String,
    pub creditor_bic: Option<String>,
    /// What the customer's statement shows, e.g. "Refund K000042".
    pub remittance: String,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub execution_date: NaiveDate,
    pub debtor: Debtor,
    pub payouts: Vec<Payout>,
}

/// The file's bytes (UTF-8). Refuses a message without payouts: the schema requires one.
pub fn write(message: &Message) -> Result<Vec<u8>, SepaError> {
    if message.payouts.is_empty() {
        return Err(SepaError::Xml("a pain.001 message needs at least one transaction".into()));
    }
    let debtor = &message.debtor;
    let count = message.payouts.len().to_string();
    let control_sum = amount_text(sum(message.payouts.iter().map(|p| p.amount))?)?;
    let mut x = Xml::document(NAMESPACE)?;
    x.open("CstmrCdtTrfInitn")?;
    x.open("GrpHdr")?;
    x.leaf("MsgId", &message.message_id)?;
    x.leaf("CreDtTm", &message.created_at.format("%Y-%m-%dT%H:%M:%S").to_string())?;
    x.leaf("NbOfTxs", &count)?;
    x.leaf("CtrlSum", &control_sum)?;
    x.path(&["InitgPty", "Nm"], &sepa_text(&debtor.name, 70))?;
    x.close("GrpHdr")?;
    x.open("PmtInf")?;
    x.leaf("PmtInfId", &message.message_id)?;
    x.leaf("PmtMtd", "TRF")?;
    x.leaf("NbOfTxs", &count)?;
    x.leaf("CtrlSum", &control_sum)?;
    x.path(&["PmtTpInf", "SvcLvl", "Cd"], "SEPA")?;
    x.path(&["ReqdExctnDt", "Dt"], &message.execution_date.format("%Y-%m-%d").to_string())?;
    x.open("Dbtr")?;
    x.leaf("Nm", &sepa_text(&debtor.name, 70))?;
    debtor.address.write(&mut x)?;
    x.close("Dbtr")?;
    x.path(&["DbtrAcct", "Id", "IBAN"], &debtor.iban)?;
    x.path(&["DbtrAgt", "FinInstnId", "BICFI"], &debtor.bic)?;
    x.leaf("ChrgBr", "SLEV")?;
    for payout in &message.payouts {
        x.open("CdtTrfTxInf")?;
        x.path(&["PmtId", "EndToEndId"], &payout.end_to_end_id)?;
        x.open("Amt")?;
        x.amount("InstdAmt", payout.amount)?;
        x.close("Amt")?;
        if let Some(bic) = &payout.creditor_bic {
            x.path(&["CdtrAgt", "FinInstnId", "BICFI"], bic)?;
        }
        x.path(&["Cdtr", "Nm"], &sepa_text(&payout.creditor_name, 70))?;
        x.path(&["CdtrAcct", "Id", "IBAN"], &payout.creditor_iban)?;
        x.path(&["RmtInf", "Ustrd"], &sepa_text(&payout.remittance, 140))?;
        x.close("CdtTrfTxInf")?;
    }
    x.close("PmtInf")?;
    x.close("CstmrCdtTrfInitn")?;
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn eur(text: &str) -> Money {
        Money::new(text.parse::<Decimal>().unwrap(), iso_currency::Currency::EUR)
    }

    fn message(payouts: Vec<Payout>) -> Message {
        Message {
            message_id: "KONTOR-CT-1-20261215".into(),
            created_at: "2026-12-05T09:00:00Z".parse().unwrap(),
            execution_date: "2026-12-07".parse().unwrap(),
            debtor: Debtor {
                name: "Kontor Hosting GmbH".into(),
                iban: "DE89370400440532013000".into(),
                bic: "COBADEFFXXX".into(),
                address: PostalAddress { town: "Berlin".into(), country: "DE".into(), ..Default::default() },
            },
            payouts,
        }
    }

    #[test]
    fn sums_and_counts_cover_every_payout_and_nothing_is_refused_silently() {
        let payout = |id: &str, amount: &str| Payout {
            end_to_end_id: id.into(),
            amount: eur(amount),
            creditor_name: "Søren Ærø".into(),
            creditor_iban: "DK5000400440116243".into(),
            creditor_bic: None,
            remittance: "Refund K000042".into(),
        };
        let xml =
            String::from_utf8(write(&message(vec![payout("A", "10.10"), payout("B", "0.05")])).unwrap())
                .unwrap();
        assert_eq!(xml.matches("<CtrlSum>10.15</CtrlSum>").count(), 2, "{xml}");
        assert_eq!(xml.matches("<NbOfTxs>2</NbOfTxs>").count(), 2);
        assert!(xml.contains("<Nm>Soeren Aeroe</Nm>"), "{xml}");
        assert!(xml.contains("<ReqdExctnDt>") && xml.contains("<Dt>2026-12-07</Dt>"));
        assert!(write(&message(Vec::new())).is_err());
    }
}
