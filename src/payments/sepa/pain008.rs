//! Writes a customer direct debit initiation (SEPA Core) with quick-xml: pain.008.001.08 by
//! default, pain.008.001.02 for banks that still want it. One group header, one payment
//! information block per sequence type (FRST, RCUR) and collection date, one transaction per
//! invoice. Amounts are exact, two decimals with a dot.

use chrono::{DateTime, NaiveDate, Utc};

use super::SepaError;
use super::address::PostalAddress;
use super::xml::{Xml, amount_text, sepa_text, sum};
use crate::money::Money;

/// The message version a bank takes (`KONTOR_SEPA_PAIN008_VERSION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// pain.008.001.02, which German banks accept until November 2026 at the latest.
    V02,
    #[default]
    V08,
}

impl Version {
    /// `02` or `08` (also the full name, `pain.008.001.08`).
    pub fn parse(text: &str) -> Option<Version> {
        match text.trim().trim_start_matches("pain.008.001.") {
            "02" => Some(Version::V02),
            "08" => Some(Version::V08),
            _ => None,
        }
    }

    pub fn namespace(self) -> &'static str {
        match self {
            Version::V02 => "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02",
            Version::V08 => "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08",
        }
    }

    /// Version 08 names a bank's BIC `BICFI`.
    fn bic_element(self) -> &'static str {
        match self {
            Version::V02 => "BIC",
            Version::V08 => "BICFI",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Creditor {
    pub name: String,
    pub iban: String,
    pub bic: String,
    pub creditor_id: String,
    /// Written in version 08 (version 02's rules allow only unstructured lines).
    pub address: PostalAddress,
}

/// What changed since the mandate the debtor signed before this one (EPC rulebook, "mandate
/// amendment"): sent with the first collection under the new mandate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    /// The reference of the replaced mandate, when it differs.
    pub original_mandate_id: Option<String>,
    pub account: AccountChange,
}

/// A mandate's reference, IBAN and BIC: what an amendment compares.
#[derive(Debug, Clone, Copy)]
pub struct MandateAccount<'a> {
    pub reference: &'a str,
    pub iban: &'a str,
    pub bic: Option<&'a str>,
}

impl Amendment {
    /// What changed from `before` (the replaced mandate) to `now`; none when nothing did.
    /// Another IBAN counts as the same bank only when both BICs are known and name one
    /// institution: otherwise SMNDA, which every bank takes (it only asks for a FRST).
    pub fn between(before: MandateAccount<'_>, now: MandateAccount<'_>) -> Option<Amendment> {
        let institution = |bic: Option<&str>| bic.and_then(|b| b.get(..8)).map(str::to_owned);
        let account = if before.iban == now.iban {
            AccountChange::Unchanged
        } else if institution(before.bic).is_some() && institution(before.bic) == institution(now.bic) {
            AccountChange::SameBank(before.iban.to_owned())
        } else {
            AccountChange::OtherBank
        };
        let original_mandate_id = (before.reference != now.reference).then(|| before.reference.to_owned());
        (original_mandate_id.is_some() || account != AccountChange::Unchanged)
            .then_some(Amendment { original_mandate_id, account })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    Unchanged,
    /// Another account at the same bank: the old IBAN.
    SameBank(String),
    /// Another bank: `SMNDA` ("same mandate, new debtor agent"); the collection is a FRST.
    OtherBank,
}

#[derive(Debug, Clone)]
pub struct Transaction {
    pub end_to_end_id: String,
    pub amount: Money,
    pub mandate_reference: String,
    pub signed_on: NaiveDate,
    pub amendment: Option<Amendment>,
    pub debtor_name: String,
    pub debtor_iban: String,
    pub debtor_bic: Option<String>,
    /// The invoice's ISO 11649 RF creditor reference.
    pub rf_reference: String,
}

#[derive(Debug, Clone)]
pub struct Block {
    /// `FRST` or `RCUR`.
    pub sequence_type: &'static str,
    pub collection_date: NaiveDate,
    pub transactions: Vec<Transaction>,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub version: Version,
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub creditor: Creditor,
    pub blocks: Vec<Block>,
}

fn mandate(x: &mut Xml, tx: &Transaction) -> Result<(), SepaError> {
    x.open("MndtRltdInf")?;
    x.leaf("MndtId", &tx.mandate_reference)?;
    x.leaf("DtOfSgntr", &tx.signed_on.format("%Y-%m-%d").to_string())?;
    let Some(amendment) = &tx.amendment else {
        x.leaf("AmdmntInd", "false")?;
        return x.close("MndtRltdInf");
    };
    x.leaf("AmdmntInd", "true")?;
    x.open("AmdmntInfDtls")?;
    if let Some(original) = &amendment.original_mandate_id {
        x.leaf("OrgnlMndtId", original)?;
    }
    match &amendment.account {
        AccountChange::Unchanged => {}
        AccountChange::SameBank(iban) => x.path(&["OrgnlDbtrAcct", "Id", "IBAN"], iban)?,
        AccountChange::OtherBank => x.path(&["OrgnlDbtrAgt", "FinInstnId", "Othr", "Id"], "SMNDA")?,
    }
    x.close("AmdmntInfDtls")?;
    x.close("MndtRltdInf")
}

/// The file's bytes (UTF-8). Refuses a message without transactions: the schema requires
/// at least one.
pub fn write(message: &Message) -> Result<Vec<u8>, SepaError> {
    let blocks: Vec<&Block> = message.blocks.iter().filter(|b| !b.transactions.is_empty()).collect();
    if blocks.is_empty() {
        return Err(SepaError::Xml("a pain.008 message needs at least one transaction".into()));
    }
    let version = message.version;
    let bic = version.bic_element();
    let all = || blocks.iter().flat_map(|b| b.transactions.iter());
    let creditor = &message.creditor;
    let mut x = Xml::document(version.namespace())?;
    x.open("CstmrDrctDbtInitn")?;
    x.open("GrpHdr")?;
    x.leaf("MsgId", &message.message_id)?;
    x.leaf("CreDtTm", &message.created_at.format("%Y-%m-%dT%H:%M:%S").to_string())?;
    x.leaf("NbOfTxs", &all().count().to_string())?;
    x.leaf("CtrlSum", &amount_text(sum(all().map(|t| t.amount))?)?)?;
    x.path(&["InitgPty", "Nm"], &sepa_text(&creditor.name, 70))?;
    x.close("GrpHdr")?;
    for block in blocks {
        x.open("PmtInf")?;
        x.leaf("PmtInfId", &format!("{}-{}", message.message_id, block.sequence_type))?;
        x.leaf("PmtMtd", "DD")?;
        x.leaf("NbOfTxs", &block.transactions.len().to_string())?;
        x.leaf("CtrlSum", &amount_text(sum(block.transactions.iter().map(|t| t.amount))?)?)?;
        x.open("PmtTpInf")?;
        x.path(&["SvcLvl", "Cd"], "SEPA")?;
        x.path(&["LclInstrm", "Cd"], "CORE")?;
        x.leaf("SeqTp", block.sequence_type)?;
        x.close("PmtTpInf")?;
        x.leaf("ReqdColltnDt", &block.collection_date.format("%Y-%m-%d").to_string())?;
        x.open("Cdtr")?;
        x.leaf("Nm", &sepa_text(&creditor.name, 70))?;
        if version == Version::V08 {
            creditor.address.write(&mut x)?;
        }
        x.close("Cdtr")?;
        x.path(&["CdtrAcct", "Id", "IBAN"], &creditor.iban)?;
        x.path(&["CdtrAgt", "FinInstnId", bic], &creditor.bic)?;
        x.leaf("ChrgBr", "SLEV")?;
        x.open("CdtrSchmeId")?;
        x.creditor_scheme_id(&creditor.creditor_id)?;
        x.close("CdtrSchmeId")?;
        for tx in &block.transactions {
            x.open("DrctDbtTxInf")?;
            x.path(&["PmtId", "EndToEndId"], &tx.end_to_end_id)?;
            x.amount("InstdAmt", tx.amount)?;
            x.open("DrctDbtTx")?;
            mandate(&mut x, tx)?;
            x.close("DrctDbtTx")?;
            match &tx.debtor_bic {
                Some(debtor_bic) => x.path(&["DbtrAgt", "FinInstnId", bic], debtor_bic)?,
                // EPC rules: no BIC is written as Othr/Id NOTPROVIDED.
                None => x.path(&["DbtrAgt", "FinInstnId", "Othr", "Id"], "NOTPROVIDED")?,
            }
            x.path(&["Dbtr", "Nm"], &sepa_text(&tx.debtor_name, 70))?;
            x.path(&["DbtrAcct", "Id", "IBAN"], &tx.debtor_iban)?;
            x.open("RmtInf")?;
            x.open("Strd")?;
            x.open("CdtrRefInf")?;
            x.open("Tp")?;
            x.path(&["CdOrPrtry", "Cd"], "SCOR")?;
            x.leaf("Issr", "ISO")?;
            x.close("Tp")?;
            x.leaf("Ref", &tx.rf_reference)?;
            x.close("CdtrRefInf")?;
            x.close("Strd")?;
            x.close("RmtInf")?;
            x.close("DrctDbtTxInf")?;
        }
        x.close("PmtInf")?;
    }
    x.close("CstmrDrctDbtInitn")?;
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_setting_takes_the_short_and_the_full_name() {
        assert_eq!(Version::parse("02"), Some(Version::V02));
        assert_eq!(Version::parse("pain.008.001.08"), Some(Version::V08));
        assert_eq!(Version::parse("09"), None);
        assert_eq!(Version::default(), Version::V08);
    }

    #[test]
    fn an_amendment_names_the_old_mandate_and_the_old_account_or_smnda() {
        let old = MandateAccount { reference: "KONTOR-K000001-1", iban: "DE89370400440532013000", bic: None };
        let new = MandateAccount { reference: "KONTOR-K000001-2", ..old };
        assert_eq!(
            Amendment::between(old, new),
            Some(Amendment {
                original_mandate_id: Some(old.reference.into()),
                account: AccountChange::Unchanged
            })
        );
        assert_eq!(Amendment::between(old, old), None);
        let other_iban = MandateAccount { iban: "AT611904300234573201", ..new };
        assert_eq!(Amendment::between(old, other_iban).unwrap().account, AccountChange::OtherBank);
        let same_bank = |iban| MandateAccount { reference: "R", iban, bic: Some("COBADEFFXXX") };
        assert_eq!(
            Amendment::between(same_bank("DE89370400440532013000"), same_bank("DE02370400440532013001"))
                .unwrap()
                .account,
            AccountChange::SameBank("DE89370400440532013000".into())
        );
    }
}
