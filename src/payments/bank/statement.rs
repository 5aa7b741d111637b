//! Writing camt.053.001.02 statements of our own: what a bank would send for given transfers.
//! The demo leaves one for finance to import, the benchmark generates 100,000 entries, and the
//! tests describe their cases with it. Streams to any writer, so size costs no memory.

use std::io::Write;

use chrono::NaiveDate;
use quick_xml::escape::escape;

use crate::money::Money;

/// One movement of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub amount: Money,
    pub credit: bool,
    pub reversal: bool,
    pub booking_date: NaiveDate,
    pub account_servicer_ref: Option<String>,
    pub end_to_end_id: Option<String>,
    /// Structured creditor reference (RF or QR reference).
    pub creditor_reference: Option<String>,
    /// Free-text remittance.
    pub remittance: Option<String>,
    pub debtor_name: Option<String>,
    pub debtor_iban: Option<String>,
    /// `RtrInf/Rsn/Cd` of a return (AM04, MD06, ...).
    pub return_reason: Option<String>,
}

impl Movement {
    /// A booked incoming transfer with the given texts.
    pub fn transfer(amount: Money, booking_date: NaiveDate, reference: &str) -> Movement {
        Movement {
            amount,
            credit: true,
            reversal: false,
            booking_date,
            account_servicer_ref: Some(reference.to_owned()),
            end_to_end_id: None,
            creditor_reference: None,
            remittance: None,
            debtor_name: None,
            debtor_iban: None,
            return_reason: None,
        }
    }
}

pub struct StatementHeader<'a> {
    pub id: &'a str,
    pub iban: &'a str,
    pub created: NaiveDate,
}

fn text(value: &str) -> std::borrow::Cow<'_, str> {
    escape(value)
}

pub fn write_camt053(
    out: &mut impl Write,
    header: &StatementHeader<'_>,
    movements: impl IntoIterator<Item = Movement>,
) -> std::io::Result<()> {
    // The account's currency is its entries' (EUR for an empty statement).
    write_camt053_statements(out, header, [movements])
}

/// A camt.053 document with one statement per group of movements, all for `header.iban`: a
/// statement is in one currency, so an account kept in several currencies gets one per currency.
pub fn write_camt053_statements<M: IntoIterator<Item = Movement>>(
    out: &mut impl Write,
    header: &StatementHeader<'_>,
    statements: impl IntoIterator<Item = M>,
) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">"#)?;
    writeln!(
        out,
        "<BkToCstmrStmt><GrpHdr><MsgId>{}</MsgId><CreDtTm>{}T06:00:00</CreDtTm></GrpHdr>",
        text(header.id),
        header.created
    )?;
    for movements in statements {
        write_statement(out, header, movements)?;
    }
    writeln!(out, "</BkToCstmrStmt></Document>")?;
    Ok(())
}

fn write_statement(
    out: &mut impl Write,
    header: &StatementHeader<'_>,
    movements: impl IntoIterator<Item = Movement>,
) -> std::io::Result<()> {
    let mut movements = movements.into_iter().peekable();
    let currency = movements.peek().map_or("EUR", |m| m.amount.currency().code());
    writeln!(
        out,
        "<Stmt><Id>{}</Id><CreDtTm>{}T06:00:00</CreDtTm><Acct><Id><IBAN>{}</IBAN></Id><Ccy>{currency}</Ccy></Acct>",
        text(header.id),
        header.created,
        text(header.iban)
    )?;
    for m in movements {
        let ccy = m.amount.currency().code();
        writeln!(out, "<Ntry><Amt Ccy=\"{ccy}\">{}</Amt>", m.amount.amount())?;
        writeln!(
            out,
            "<CdtDbtInd>{}</CdtDbtInd><RvslInd>{}</RvslInd><Sts>BOOK</Sts><BookgDt><Dt>{}</Dt></BookgDt><ValDt><Dt>{}</Dt></ValDt>",
            if m.credit { "CRDT" } else { "DBIT" },
            m.reversal,
            m.booking_date,
            m.booking_date
        )?;
        if let Some(reference) = &m.account_servicer_ref {
            writeln!(out, "<AcctSvcrRef>{}</AcctSvcrRef>", text(reference))?;
        }
        let family = match (m.credit, m.return_reason.is_some()) {
            (true, _) => "<Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>",
            (false, true) => "<Cd>RCDT</Cd><SubFmlyCd>ARET</SubFmlyCd>",
            (false, false) => "<Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>",
        };
        writeln!(out, "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly>{family}</Fmly></Domn></BkTxCd>")?;
        writeln!(out, "<NtryDtls><TxDtls>")?;
        if let Some(e2e) = &m.end_to_end_id {
            writeln!(out, "<Refs><EndToEndId>{}</EndToEndId></Refs>", text(e2e))?;
        }
        writeln!(out, "<AmtDtls><TxAmt><Amt Ccy=\"{ccy}\">{}</Amt></TxAmt></AmtDtls>", m.amount.amount())?;
        if m.debtor_name.is_some() || m.debtor_iban.is_some() {
            write!(out, "<RltdPties>")?;
            if let Some(name) = &m.debtor_name {
                write!(out, "<Dbtr><Nm>{}</Nm></Dbtr>", text(name))?;
            }
            if let Some(iban) = &m.debtor_iban {
                write!(out, "<DbtrAcct><Id><IBAN>{}</IBAN></Id></DbtrAcct>", text(iban))?;
            }
            writeln!(out, "</RltdPties>")?;
        }
        if m.remittance.is_some() || m.creditor_reference.is_some() {
            write!(out, "<RmtInf>")?;
            if let Some(remittance) = &m.remittance {
                write!(out, "<Ustrd>{}</Ustrd>", text(remittance))?;
            }
            if let Some(reference) = &m.creditor_reference {
                write!(
                    out,
                    "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{}</Ref></CdtrRefInf></Strd>",
                    text(reference)
                )?;
            }
            writeln!(out, "</RmtInf>")?;
        }
        if let Some(reason) = &m.return_reason {
            writeln!(out, "<RtrInf><Rsn><Cd>{}</Cd></Rsn></RtrInf>", text(reason))?;
        }
        writeln!(out, "</TxDtls></NtryDtls></Ntry>")?;
    }
    writeln!(out, "</Stmt>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use iso_currency::Currency;

    use super::*;
    use crate::payments::bank::camt::{CamtReader, Item};

    #[test]
    fn what_we_write_our_reader_reads_back() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut m = Movement::transfer(Money::from_minor(119, Currency::EUR), day, "R1");
        m.remittance = Some("Rechnung 2026-000001 <&>".into());
        m.creditor_reference = Some("RF18539007547034".into());
        m.debtor_name = Some("Anna Müller".into());
        m.debtor_iban = Some("DE89370400440532013000".into());
        let mut back = Movement::transfer(Money::from_minor(119, Currency::EUR), day, "R2");
        back.credit = false;
        back.return_reason = Some("AC04".into());
        back.end_to_end_id = Some("E2E-1".into());
        let mut xml = Vec::new();
        let header = StatementHeader { id: "S-1", iban: "DE02120300000000202051", created: day };
        write_camt053(&mut xml, &header, [m, back]).unwrap();
        let items: Vec<Item> = CamtReader::new(&xml[..]).collect::<Result<_, _>>().unwrap();
        let entries: Vec<_> = items
            .into_iter()
            .filter_map(|i| match i {
                Item::Entry(e) => Some(e),
                Item::Statement(_) => None,
            })
            .collect();
        assert_eq!(entries.len(), 2);
        let first = &entries[0].transactions[0];
        assert_eq!(first.remittance.as_deref(), Some("Rechnung 2026-000001 <&>"));
        assert_eq!(first.creditor_reference.as_deref(), Some("RF18539007547034"));
        assert_eq!(first.debtor_name.as_deref(), Some("Anna Müller"));
        assert_eq!(entries[1].transactions[0].return_reason.as_deref(), Some("AC04"));
        assert_eq!(entries[1].transactions[0].end_to_end_id.as_deref(), Some("E2E-1"));
    }

    #[test]
    fn an_account_kept_in_two_currencies_gets_a_statement_per_currency() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let eur = Movement::transfer(Money::from_minor(119, Currency::EUR), day, "E1");
        let chf = Movement::transfer(Money::from_minor(250, Currency::CHF), day, "C1");
        let mut xml = Vec::new();
        let header = StatementHeader { id: "S-2", iban: "CH9300762011623852957", created: day };
        write_camt053_statements(&mut xml, &header, [vec![eur], vec![chf]]).unwrap();
        let items: Vec<Item> = CamtReader::new(&xml[..]).collect::<Result<_, _>>().unwrap();
        let read: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Statement(s) => format!("statement {}", s.currency.map(|c| c.code()).unwrap_or("-")),
                Item::Entry(e) => format!("entry {}", e.amount),
            })
            .collect();
        assert_eq!(read.len(), 4, "{read:?}");
        assert!(read[0] == "statement EUR" && read[1].contains("1.19"), "{read:?}");
        assert!(read[2] == "statement CHF" && read[3].contains("2.50"), "{read:?}");
    }
}
