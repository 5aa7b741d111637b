//! Writes a pain.008.001.02 customer direct debit initiation (SEPA Core) with quick-xml:
//! one group header, one payment information block per sequence type (FRST, RCUR) and
//! collection date, one transaction per invoice. Amounts are exact, two decimals with a dot.

use chrono::{DateTime, NaiveDate, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::SepaError;
use crate::money::Money;

pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02";

#[derive(Debug, Clone)]
pub struct Creditor {
    pub name: String,
    pub iban: String,
    pub bic: String,
    pub creditor_id: String,
}

#[derive(Debug, Clone)]
pub struct Transaction {
    pub end_to_end_id: String,
    pub amount: Money,
    pub mandate_reference: String,
    pub signed_on: NaiveDate,
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
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub creditor: Creditor,
    pub blocks: Vec<Block>,
}

/// `12.30`: whole cents, written from the integer count so no rounding can creep in.
pub fn amount_text(amount: Money) -> Result<String, SepaError> {
    let cents = amount.to_minor()?;
    Ok(format!("{}.{:02}", cents / 100, cents % 100))
}

fn sum(transactions: impl Iterator<Item = Money>) -> Result<Money, SepaError> {
    Ok(Money::sum(iso_currency::Currency::EUR, transactions)?)
}

/// Text in the SEPA character set (EPC217: Latin letters, digits, `/-?:().,'+` and space):
/// common accented letters are spelt out, anything else becomes a space; cut to `max`.
pub fn sepa_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        let mapped: &str = match c {
            'ä' | 'æ' => "ae",
            'Ä' | 'Æ' => "Ae",
            'ö' | 'ø' => "oe",
            'Ö' | 'Ø' => "Oe",
            'ü' => "ue",
            'Ü' => "Ue",
            'ß' => "ss",
            'å' => "aa",
            'Å' => "Aa",
            'à' | 'á' | 'â' | 'ã' => "a",
            'À' | 'Á' | 'Â' | 'Ã' => "A",
            'ç' => "c",
            'Ç' => "C",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'È' | 'É' | 'Ê' | 'Ë' => "E",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'Ì' | 'Í' | 'Î' | 'Ï' => "I",
            'ñ' => "n",
            'Ñ' => "N",
            'ò' | 'ó' | 'ô' | 'õ' => "o",
            'Ò' | 'Ó' | 'Ô' | 'Õ' => "O",
            'ù' | 'ú' | 'û' => "u",
            'Ù' | 'Ú' | 'Û' => "U",
            'ý' | 'ÿ' => "y",
            'Ý' => "Y",
            '&' => "+",
            c if c.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(c) => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(mapped);
    }
    let cut: String = out.chars().take(max).collect();
    let trimmed = cut.trim();
    if trimmed.is_empty() { "NOTPROVIDED".to_owned() } else { trimmed.to_owned() }
}

struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    fn open(&mut self, name: &str) -> Result<(), SepaError> {
        self.event(Event::Start(BytesStart::new(name)))
    }

    fn close(&mut self, name: &str) -> Result<(), SepaError> {
        self.event(Event::End(BytesEnd::new(name)))
    }

    fn leaf(&mut self, name: &str, text: &str) -> Result<(), SepaError> {
        self.open(name)?;
        self.event(Event::Text(BytesText::new(text)))?;
        self.close(name)
    }

    /// Opens each element of `path` in turn, writes `text` in the last, closes them all.
    fn path(&mut self, path: &[&str], text: &str) -> Result<(), SepaError> {
        let Some((last, outer)) = path.split_last() else {
            return Ok(());
        };
        for name in outer {
            self.open(name)?;
        }
        self.leaf(last, text)?;
        for name in outer.iter().rev() {
            self.close(name)?;
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>) -> Result<(), SepaError> {
        self.writer.write_event(event).map_err(|e| SepaError::Xml(e.to_string()))
    }
}

/// The file's bytes (UTF-8). Refuses a message without transactions: the schema requires
/// at least one.
pub fn write(message: &Message) -> Result<Vec<u8>, SepaError> {
    let blocks: Vec<&Block> = message.blocks.iter().filter(|b| !b.transactions.is_empty()).collect();
    if blocks.is_empty() {
        return Err(SepaError::Xml("a pain.008 message needs at least one transaction".into()));
    }
    let all = || blocks.iter().flat_map(|b| b.transactions.iter());
    let creditor = &message.creditor;
    let mut x = Xml { writer: Writer::new_with_indent(Vec::new(), b' ', 2) };
    x.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("Document");
    root.push_attribute(("xmlns", NAMESPACE));
    root.push_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    x.event(Event::Start(root))?;
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
        x.path(&["Cdtr", "Nm"], &sepa_text(&creditor.name, 70))?;
        x.path(&["CdtrAcct", "Id", "IBAN"], &creditor.iban)?;
        x.path(&["CdtrAgt", "FinInstnId", "BIC"], &creditor.bic)?;
        x.leaf("ChrgBr", "SLEV")?;
        x.open("CdtrSchmeId")?;
        x.open("Id")?;
        x.open("PrvtId")?;
        x.open("Othr")?;
        x.leaf("Id", &creditor.creditor_id)?;
        x.path(&["SchmeNm", "Prtry"], "SEPA")?;
        x.close("Othr")?;
        x.close("PrvtId")?;
        x.close("Id")?;
        x.close("CdtrSchmeId")?;
        for tx in &block.transactions {
            x.open("DrctDbtTxInf")?;
            x.path(&["PmtId", "EndToEndId"], &tx.end_to_end_id)?;
            let mut amount = BytesStart::new("InstdAmt");
            amount.push_attribute(("Ccy", tx.amount.currency().code()));
            x.event(Event::Start(amount))?;
            x.event(Event::Text(BytesText::new(&amount_text(tx.amount)?)))?;
            x.close("InstdAmt")?;
            x.open("DrctDbtTx")?;
            x.open("MndtRltdInf")?;
            x.leaf("MndtId", &tx.mandate_reference)?;
            x.leaf("DtOfSgntr", &tx.signed_on.format("%Y-%m-%d").to_string())?;
            x.close("MndtRltdInf")?;
            x.close("DrctDbtTx")?;
            match &tx.debtor_bic {
                Some(bic) => x.path(&["DbtrAgt", "FinInstnId", "BIC"], bic)?,
                // EPC rules for version 02: no BIC is written as Othr/Id NOTPROVIDED.
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
    x.close("Document")?;
    let mut bytes = x.writer.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn amounts_are_exact_with_two_decimals() {
        let eur = |s: &str| Money::new(s.parse::<Decimal>().unwrap(), iso_currency::Currency::EUR);
        assert_eq!(amount_text(eur("1.2")).unwrap(), "1.20");
        assert_eq!(amount_text(eur("1234567.89")).unwrap(), "1234567.89");
        assert_eq!(amount_text(eur("0.05")).unwrap(), "0.05");
    }

    #[test]
    fn names_keep_to_the_sepa_character_set() {
        assert_eq!(sepa_text("Jürgen Weiß & Søn", 70), "Juergen Weiss + Soen");
        assert_eq!(sepa_text("Łukasz 😀", 70), "ukasz");
        assert_eq!(sepa_text("😀", 70), "NOTPROVIDED");
        assert_eq!(sepa_text("abcdef", 3), "abc");
    }
}
