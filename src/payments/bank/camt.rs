//! ISO 20022 bank statements (camt.053), debit/credit notifications (camt.054) and intraday
//! account reports (camt.052), versions .02, .03, .04 and .08, read as a
//! stream: [`CamtReader`] yields each statement's header, then its entries one by one, and
//! keeps only the entry being read in memory, so a 100 MB file needs no 100 MB of memory.
//!
//! Accepted: versions .02, .04 and .08 of both messages (the namespace of the root `Document`
//! decides; namespace prefixes are otherwise ignored). Amounts are exact and must fit the
//! currency's minor unit; anything this module does not understand is an error with a line
//! number, never a guess. Hostile input (deep nesting, endless text) fails after a bounded
//! amount of memory and work.

use std::io::{self, BufRead, Read};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use iso_currency::Currency;
use quick_xml::Reader;
use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};
use rust_decimal::Decimal;

use crate::money::{Money, minor_units};

/// Deeper than any camt message (about 15 levels); stops a file of endless nested tags early.
pub const MAX_DEPTH: usize = 64;
/// Bytes one XML event (tag, text run, comment) and one element's text may take. The longest
/// camt text fields are 500 characters; tags with namespace declarations stay far below this.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Transactions one (batch) entry may carry; each is held in memory until the entry ends.
pub const MAX_TRANSACTIONS_PER_ENTRY: usize = 100_000;

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CamtError {
    #[error("line {line}: not well-formed XML: {reason}")]
    Malformed { line: u64, reason: String },
    #[error("line {line}: the file ends in the middle of the document")]
    Truncated { line: u64 },
    #[error("line {line}: not a camt.053/054 .02/.04/.08 document (namespace {found:?})")]
    Namespace { line: u64, found: String },
    #[error("line {line}: {reason}")]
    Structure { line: u64, reason: String },
    #[error("line {line}: {value:?} is not an amount")]
    InvalidAmount { line: u64, value: String },
    #[error("line {line}: negative amount {value:?}")]
    NegativeAmount { line: u64, value: String },
    #[error("line {line}: {value:?} has more decimals than {currency} allows ({allowed})")]
    TooManyDecimals { line: u64, value: String, currency: String, allowed: u32 },
    #[error("line {line}: unknown currency {code:?}")]
    UnknownCurrency { line: u64, code: String },
    #[error("line {line}: {value:?} is not a date")]
    InvalidDate { line: u64, value: String },
    #[error("line {line}: unknown {element} code {value:?}")]
    UnknownCode { line: u64, element: &'static str, value: String },
    #[error("line {line}: elements nested deeper than {MAX_DEPTH}")]
    TooDeep { line: u64 },
    #[error("line {line}: text, tag or list longer than allowed")]
    TooLong { line: u64 },
    #[error("line {line}: reading failed: {reason}")]
    Io { line: u64, reason: String },
}

impl CamtError {
    /// The Fluent message id shown to staff importing the file.
    pub fn message_id(&self) -> &'static str {
        match self {
            CamtError::Malformed { .. } => "camt-malformed",
            CamtError::Truncated { .. } => "camt-truncated",
            CamtError::Namespace { .. } => "camt-namespace",
            CamtError::Structure { .. } => "camt-structure",
            CamtError::InvalidAmount { .. } => "camt-amount",
            CamtError::NegativeAmount { .. } => "camt-amount-negative",
            CamtError::TooManyDecimals { .. } => "camt-amount-decimals",
            CamtError::UnknownCurrency { .. } => "camt-currency",
            CamtError::InvalidDate { .. } => "camt-date",
            CamtError::UnknownCode { .. } => "camt-code",
            CamtError::TooDeep { .. } => "camt-too-deep",
            CamtError::TooLong { .. } => "camt-too-long",
            CamtError::Io { .. } => "camt-io",
        }
    }

    /// 1-based line of the file where the problem was noticed.
    pub fn line(&self) -> u64 {
        match self {
            CamtError::Malformed { line, .. }
            | CamtError::Truncated { line }
            | CamtError::Namespace { line, .. }
            | CamtError::Structure { line, .. }
            | CamtError::InvalidAmount { line, .. }
            | CamtError::NegativeAmount { line, .. }
            | CamtError::TooManyDecimals { line, .. }
            | CamtError::UnknownCurrency { line, .. }
            | CamtError::InvalidDate { line, .. }
            | CamtError::UnknownCode { line, .. }
            | CamtError::TooDeep { line }
            | CamtError::TooLong { line }
            | CamtError::Io { line, .. } => *line,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// camt.053, the end-of-day account statement (`Stmt`).
    Statement,
    /// camt.054, a debit/credit notification (`Ntfctn`).
    Notification,
    /// camt.052, an intraday account report (`Rpt`); only its booked entries are money.
    Report,
}

impl MessageKind {
    /// The element of one statement, notification or report.
    fn element(self) -> &'static str {
        match self {
            MessageKind::Statement => "Stmt",
            MessageKind::Notification => "Ntfctn",
            MessageKind::Report => "Rpt",
        }
    }
}

/// One `Stmt` or `Ntfctn`: the account it reports on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub kind: MessageKind,
    /// Message version: 2, 4 or 8.
    pub version: u8,
    /// `Id`, the bank's identification of this statement or notification (required by the
    /// schema, missing in some banks' test-platform files).
    pub id: Option<String>,
    /// `Acct/Id/IBAN` as written (not checked: anonymised samples carry placeholders).
    pub iban: Option<String>,
    /// `Acct/Ccy`, when given.
    pub currency: Option<Currency>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditDebit {
    /// Money came in.
    Credit,
    /// Money went out.
    Debit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    Booked,
    Pending,
    Information,
    Future,
}

/// A bank transaction code: ISO domain/family/sub-family and/or the bank's proprietary code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankTransactionCode {
    /// `PMNT/RCDT/ESCT` style.
    pub domain: Option<String>,
    pub proprietary: Option<String>,
}

/// One `Ntry`: a movement on the account. A batch booking carries several transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Always positive and rounded to the currency's minor unit; the direction is `credit_debit`.
    pub amount: Money,
    pub credit_debit: CreditDebit,
    /// `RvslInd`: this entry undoes an earlier one (a returned payment, for instance).
    pub reversal: bool,
    pub status: EntryStatus,
    /// Calendar date as the bank wrote it (the date part of a `DtTm`).
    pub booking_date: Option<NaiveDate>,
    pub value_date: Option<NaiveDate>,
    pub account_servicer_ref: Option<String>,
    pub bank_transaction_code: Option<BankTransactionCode>,
    pub transactions: Vec<Transaction>,
}

/// One `NtryDtls/TxDtls`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transaction {
    /// `Refs/EndToEndId`; `NOTPROVIDED` counts as absent.
    pub end_to_end_id: Option<String>,
    pub amount: Option<Money>,
    /// `RmtInf/Strd/CdtrRefInf/Ref`: QR reference, RF creditor reference, ...
    pub creditor_reference: Option<String>,
    /// Every `RmtInf/Ustrd`, joined with a space.
    pub remittance: Option<String>,
    pub debtor_name: Option<String>,
    pub debtor_iban: Option<String>,
    /// `RtrInf/Rsn/Cd` of a returned payment: AM04, MD06, AC04, MS02, ...
    pub return_reason: Option<String>,
}

/// What the reader hands out, in document order: a statement, then its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Statement(Statement),
    Entry(Entry),
}

/// The element names this module looks at; every other name is `Other`, so the open-element
/// stack costs one byte per level whatever the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Document,
    BkToCstmrStmt,
    BkToCstmrDbtCdtNtfctn,
    BkToCstmrAcctRpt,
    Stmt,
    Ntfctn,
    Rpt,
    Id,
    Acct,
    Iban,
    Ccy,
    Ntry,
    Amt,
    CdtDbtInd,
    RvslInd,
    Sts,
    Cd,
    BookgDt,
    ValDt,
    Dt,
    DtTm,
    AcctSvcrRef,
    BkTxCd,
    Domn,
    Fmly,
    SubFmlyCd,
    Prtry,
    NtryDtls,
    TxDtls,
    Refs,
    EndToEndId,
    AmtDtls,
    TxAmt,
    RmtInf,
    Strd,
    CdtrRefInf,
    Ref,
    Ustrd,
    RltdPties,
    Dbtr,
    Pty,
    Nm,
    DbtrAcct,
    RtrInf,
    Rsn,
    Other,
}

impl Tag {
    fn of(local_name: &str) -> Tag {
        match local_name {
            "Document" => Tag::Document,
            "BkToCstmrStmt" => Tag::BkToCstmrStmt,
            "BkToCstmrDbtCdtNtfctn" => Tag::BkToCstmrDbtCdtNtfctn,
            "BkToCstmrAcctRpt" => Tag::BkToCstmrAcctRpt,
            "Stmt" => Tag::Stmt,
            "Ntfctn" => Tag::Ntfctn,
            "Rpt" => Tag::Rpt,
            "Id" => Tag::Id,
            "Acct" => Tag::Acct,
            "IBAN" => Tag::Iban,
            "Ccy" => Tag::Ccy,
            "Ntry" => Tag::Ntry,
            "Amt" => Tag::Amt,
            "CdtDbtInd" => Tag::CdtDbtInd,
            "RvslInd" => Tag::RvslInd,
            "Sts" => Tag::Sts,
            "Cd" => Tag::Cd,
            "BookgDt" => Tag::BookgDt,
            "ValDt" => Tag::ValDt,
            "Dt" => Tag::Dt,
            "DtTm" => Tag::DtTm,
            "AcctSvcrRef" => Tag::AcctSvcrRef,
            "BkTxCd" => Tag::BkTxCd,
            "Domn" => Tag::Domn,
            "Fmly" => Tag::Fmly,
            "SubFmlyCd" => Tag::SubFmlyCd,
            "Prtry" => Tag::Prtry,
            "NtryDtls" => Tag::NtryDtls,
            "TxDtls" => Tag::TxDtls,
            "Refs" => Tag::Refs,
            "EndToEndId" => Tag::EndToEndId,
            "AmtDtls" => Tag::AmtDtls,
            "TxAmt" => Tag::TxAmt,
            "RmtInf" => Tag::RmtInf,
            "Strd" => Tag::Strd,
            "CdtrRefInf" => Tag::CdtrRefInf,
            "Ref" => Tag::Ref,
            "Ustrd" => Tag::Ustrd,
            "RltdPties" => Tag::RltdPties,
            "Dbtr" => Tag::Dbtr,
            "Pty" => Tag::Pty,
            "Nm" => Tag::Nm,
            "DbtrAcct" => Tag::DbtrAcct,
            "RtrInf" => Tag::RtrInf,
            "Rsn" => Tag::Rsn,
            _ => Tag::Other,
        }
    }
}

/// The input as quick-xml sees it: counts lines, and hands out at most `MAX_TEXT_BYTES`
/// between two events, so one endless tag or text cannot fill memory before we see it.
struct Guarded<R> {
    inner: R,
    budget: usize,
    exhausted: bool,
    line: u64,
}

impl<R: BufRead> Read for Guarded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut available = self.fill_buf()?;
        let n = available.read(out)?;
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guarded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.budget == 0 {
            self.exhausted = true;
            return Err(io::Error::other("event longer than allowed"));
        }
        let budget = self.budget;
        let buffer = self.inner.fill_buf()?;
        Ok(buffer.get(..budget.min(buffer.len())).unwrap_or(buffer))
    }

    fn consume(&mut self, amount: usize) {
        // The bytes were just handed out by `fill_buf`, so the inner buffer still holds them.
        if let Ok(buffer) = self.inner.fill_buf() {
            let consumed = buffer.get(..amount).unwrap_or(buffer);
            self.line += consumed.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.budget = self.budget.saturating_sub(amount);
        self.inner.consume(amount);
    }
}

#[derive(Default)]
struct EntryDraft {
    amount: Option<Money>,
    credit_debit: Option<CreditDebit>,
    reversal: bool,
    status: Option<EntryStatus>,
    booking_date: Option<NaiveDate>,
    value_date: Option<NaiveDate>,
    account_servicer_ref: Option<String>,
    domain: Option<String>,
    family: Option<String>,
    sub_family: Option<String>,
    proprietary: Option<String>,
    transactions: Vec<Transaction>,
}

impl EntryDraft {
    fn finish(self, line: u64) -> Result<Entry, CamtError> {
        let missing = |what: &str| CamtError::Structure { line, reason: format!("Ntry without {what}") };
        let domain = match (self.domain, self.family, self.sub_family) {
            (Some(d), Some(f), Some(s)) => Some(format!("{d}/{f}/{s}")),
            (Some(d), _, _) => Some(d),
            _ => None,
        };
        let bank_transaction_code = (domain.is_some() || self.proprietary.is_some())
            .then_some(BankTransactionCode { domain, proprietary: self.proprietary });
        Ok(Entry {
            amount: self.amount.ok_or_else(|| missing("Amt"))?,
            credit_debit: self.credit_debit.ok_or_else(|| missing("CdtDbtInd"))?,
            reversal: self.reversal,
            status: self.status.ok_or_else(|| missing("Sts"))?,
            booking_date: self.booking_date,
            value_date: self.value_date,
            account_servicer_ref: self.account_servicer_ref,
            bank_transaction_code,
            transactions: self.transactions,
        })
    }
}

/// Reads a camt.053 or camt.054 document item by item. After the first error it yields
/// nothing more: a statement that is half understood must not be half imported.
pub struct CamtReader<R: BufRead> {
    reader: Reader<Guarded<R>>,
    buf: Vec<u8>,
    stack: Vec<Tag>,
    text: String,
    /// `Ccy` of the innermost open `Amt`.
    amount_currency: Option<String>,
    document: Option<(MessageKind, u8)>,
    statements_seen: usize,
    statement: Option<Statement>,
    statement_at: usize,
    statement_sent: bool,
    entry: Option<EntryDraft>,
    entry_at: usize,
    transaction: Option<Transaction>,
    transaction_at: usize,
    ready: Option<Item>,
    done: bool,
}

impl<R: BufRead> CamtReader<R> {
    pub fn new(input: R) -> CamtReader<R> {
        let guarded = Guarded { inner: input, budget: MAX_TEXT_BYTES, exhausted: false, line: 1 };
        let mut reader = Reader::from_reader(guarded);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        CamtReader {
            reader,
            buf: Vec::new(),
            stack: Vec::new(),
            text: String::new(),
            amount_currency: None,
            document: None,
            statements_seen: 0,
            statement: None,
            statement_at: 0,
            statement_sent: false,
            entry: None,
            entry_at: 0,
            transaction: None,
            transaction_at: 0,
            ready: None,
            done: false,
        }
    }

    /// Reads the whole document, calling `on_item` for each item; stops at the first error.
    pub fn for_each(self, mut on_item: impl FnMut(Item)) -> Result<(), CamtError> {
        for item in self {
            on_item(item?);
        }
        Ok(())
    }

    /// The line reached so far (what the reader has consumed), to name where a problem is.
    pub fn line(&self) -> u64 {
        self.reader.get_ref().line
    }

    fn next_item(&mut self) -> Result<Option<Item>, CamtError> {
        loop {
            if let Some(item) = self.ready.take() {
                return Ok(Some(item));
            }
            self.buf.clear();
            self.reader.get_mut().budget = MAX_TEXT_BYTES;
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event.into_owned(),
                Err(error) => return Err(self.xml_error(error)),
            };
            match event {
                Event::Start(start) => self.start(&start)?,
                Event::End(_) => self.end()?,
                Event::Text(text) => self.push_text(&text.xml10_content())?,
                Event::CData(data) => self.push_text(&data.xml10_content())?,
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => match &*reference.into_inner() {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => return Err(self.malformed(format!("unknown entity &{other};"))),
                        },
                        Err(error) => return Err(self.malformed(error.to_string())),
                    };
                    self.push_text(resolved.encode_utf8(&mut [0; 4]))?;
                }
                Event::DocType(_) => return Err(self.malformed("DOCTYPE is not allowed".into())),
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
                Event::Eof => {
                    if self.document.is_none() {
                        return Err(self.structure("no Document element".into()));
                    }
                    if !self.stack.is_empty() {
                        return Err(CamtError::Truncated { line: self.line() });
                    }
                    return Ok(None);
                }
            }
        }
    }

    fn xml_error(&self, error: quick_xml::Error) -> CamtError {
        let line = self.line();
        if self.reader.get_ref().exhausted {
            return CamtError::TooLong { line };
        }
        match error {
            quick_xml::Error::Io(io) => CamtError::Io { line, reason: io.to_string() },
            quick_xml::Error::Syntax(syntax) if syntax != SyntaxError::InvalidBangMarkup => {
                CamtError::Truncated { line }
            }
            quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_)) => {
                CamtError::Truncated { line }
            }
            other => CamtError::Malformed { line, reason: other.to_string() },
        }
    }

    fn malformed(&self, reason: String) -> CamtError {
        CamtError::Malformed { line: self.line(), reason }
    }

    fn structure(&self, reason: String) -> CamtError {
        CamtError::Structure { line: self.line(), reason }
    }

    fn push_text(&mut self, text: &str) -> Result<(), CamtError> {
        if self.text.len() + text.len() > MAX_TEXT_BYTES {
            return Err(CamtError::TooLong { line: self.line() });
        }
        self.text.push_str(text);
        Ok(())
    }

    fn start(&mut self, start: &BytesStart) -> Result<(), CamtError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(CamtError::TooDeep { line: self.line() });
        }
        let tag = Tag::of(start.local_name().into_inner());
        self.text.clear();
        if tag == Tag::Amt {
            self.amount_currency = self.attribute(start, "Ccy")?;
        }
        let depth = self.stack.len();
        match (depth, tag) {
            (0, Tag::Document) => self.document = Some(self.namespace(start)?),
            (0, _) => return Err(self.structure("the root element is not Document".into())),
            (1, Tag::BkToCstmrStmt) if self.kind() == Some(MessageKind::Statement) => {}
            (1, Tag::BkToCstmrDbtCdtNtfctn) if self.kind() == Some(MessageKind::Notification) => {}
            (1, Tag::BkToCstmrAcctRpt) if self.kind() == Some(MessageKind::Report) => {}
            (1, _) => return Err(self.structure("unexpected message element under Document".into())),
            (2, Tag::Stmt | Tag::Ntfctn | Tag::Rpt) => {
                let (kind, version) = self.document.unwrap_or((MessageKind::Statement, 0));
                let expected = match kind {
                    MessageKind::Statement => Tag::Stmt,
                    MessageKind::Notification => Tag::Ntfctn,
                    MessageKind::Report => Tag::Rpt,
                };
                if tag == expected {
                    self.statements_seen += 1;
                    self.statement = Some(Statement { kind, version, id: None, iban: None, currency: None });
                    self.statement_at = depth;
                    self.statement_sent = false;
                }
            }
            (_, Tag::Ntry) if self.statement.is_some() && depth == self.statement_at + 1 => {
                self.send_statement();
                self.entry = Some(EntryDraft::default());
                self.entry_at = depth;
            }
            (_, Tag::TxDtls)
                if self.entry.is_some()
                    && depth == self.entry_at + 2
                    && self.stack.get(self.entry_at + 1) == Some(&Tag::NtryDtls) =>
            {
                self.transaction = Some(Transaction::default());
                self.transaction_at = depth;
            }
            _ => {}
        }
        self.stack.push(tag);
        Ok(())
    }

    fn kind(&self) -> Option<MessageKind> {
        self.document.map(|(kind, _)| kind)
    }

    fn attribute(&self, start: &BytesStart, name: &str) -> Result<Option<String>, CamtError> {
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.malformed(e.to_string()))?;
            if attribute.key.local_name().into_inner() == name && attribute.key.prefix().is_none() {
                let value = attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| self.malformed(e.to_string()))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    /// The root's namespace (whatever its prefix) names the message and its version.
    fn namespace(&self, start: &BytesStart) -> Result<(MessageKind, u8), CamtError> {
        let declaration = match start.name().prefix() {
            Some(prefix) => format!("xmlns:{}", prefix.as_ref()),
            None => "xmlns".to_string(),
        };
        let mut found = String::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.malformed(e.to_string()))?;
            if attribute.key.0 == declaration {
                found = attribute.value.trim().to_string();
            }
        }
        let kind_version = found.strip_prefix(NAMESPACE_PREFIX).and_then(|message| match message {
            "camt.052.001.02" => Some((MessageKind::Report, 2)),
            "camt.052.001.03" => Some((MessageKind::Report, 3)),
            "camt.052.001.04" => Some((MessageKind::Report, 4)),
            "camt.052.001.08" => Some((MessageKind::Report, 8)),
            "camt.053.001.02" => Some((MessageKind::Statement, 2)),
            "camt.053.001.03" => Some((MessageKind::Statement, 3)),
            "camt.053.001.04" => Some((MessageKind::Statement, 4)),
            "camt.053.001.08" => Some((MessageKind::Statement, 8)),
            "camt.054.001.02" => Some((MessageKind::Notification, 2)),
            "camt.054.001.03" => Some((MessageKind::Notification, 3)),
            "camt.054.001.04" => Some((MessageKind::Notification, 4)),
            "camt.054.001.08" => Some((MessageKind::Notification, 8)),
            _ => None,
        });
        kind_version.ok_or(CamtError::Namespace { line: self.line(), found })
    }

    /// A statement goes out before its first entry, or at its end when it has none.
    fn send_statement(&mut self) {
        if !self.statement_sent {
            self.ready = self.statement.clone().map(Item::Statement);
            self.statement_sent = true;
        }
    }

    fn end(&mut self) -> Result<(), CamtError> {
        let text = std::mem::take(&mut self.text);
        let value = text.trim();
        let depth = self.stack.len().saturating_sub(1);
        let result = self.end_element(depth, value);
        self.stack.pop();
        result
    }

    fn end_element(&mut self, depth: usize, value: &str) -> Result<(), CamtError> {
        let line = self.line();
        if self.transaction.is_some() {
            if depth == self.transaction_at {
                let transaction = self.transaction.take().unwrap_or_default();
                let entry = self.entry.get_or_insert_with(EntryDraft::default);
                if entry.transactions.len() >= MAX_TRANSACTIONS_PER_ENTRY {
                    return Err(CamtError::TooLong { line });
                }
                entry.transactions.push(transaction);
                return Ok(());
            }
            let path = self.stack.get(self.transaction_at + 1..).unwrap_or_default();
            let currency = self.amount_currency.clone();
            let Some(tx) = self.transaction.as_mut() else { return Ok(()) };
            match path {
                [Tag::Refs, Tag::EndToEndId] if value != "NOTPROVIDED" => set(&mut tx.end_to_end_id, value),
                [Tag::Amt] => tx.amount = Some(parse_amount(value, currency.as_deref(), line)?),
                [Tag::AmtDtls, Tag::TxAmt, Tag::Amt] if tx.amount.is_none() => {
                    tx.amount = Some(parse_amount(value, currency.as_deref(), line)?);
                }
                [Tag::RmtInf, Tag::Strd, Tag::CdtrRefInf, Tag::Ref] if tx.creditor_reference.is_none() => {
                    set(&mut tx.creditor_reference, value);
                }
                [Tag::RmtInf, Tag::Ustrd] if !value.is_empty() => {
                    let remittance = tx.remittance.get_or_insert_with(String::new);
                    if remittance.len() + value.len() > MAX_TEXT_BYTES {
                        return Err(CamtError::TooLong { line });
                    }
                    if !remittance.is_empty() {
                        remittance.push(' ');
                    }
                    remittance.push_str(value);
                }
                [Tag::RltdPties, Tag::Dbtr, Tag::Nm] | [Tag::RltdPties, Tag::Dbtr, Tag::Pty, Tag::Nm] => {
                    set(&mut tx.debtor_name, value);
                }
                [Tag::RltdPties, Tag::DbtrAcct, Tag::Id, Tag::Iban] => set(&mut tx.debtor_iban, value),
                [Tag::RtrInf, Tag::Rsn, Tag::Cd] => set(&mut tx.return_reason, value),
                _ => {}
            }
            return Ok(());
        }
        if self.entry.is_some() {
            if depth == self.entry_at {
                let entry = self.entry.take().unwrap_or_default().finish(line)?;
                self.ready = Some(Item::Entry(entry));
                return Ok(());
            }
            let path = self.stack.get(self.entry_at + 1..).unwrap_or_default();
            let currency = self.amount_currency.clone();
            let Some(entry) = self.entry.as_mut() else { return Ok(()) };
            match path {
                [Tag::Amt] => entry.amount = Some(parse_amount(value, currency.as_deref(), line)?),
                [Tag::CdtDbtInd] => {
                    entry.credit_debit = Some(match value {
                        "CRDT" => CreditDebit::Credit,
                        "DBIT" => CreditDebit::Debit,
                        _ => return Err(unknown_code(line, "CdtDbtInd", value)),
                    });
                }
                [Tag::RvslInd] => {
                    entry.reversal = match value {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => return Err(unknown_code(line, "RvslInd", value)),
                    };
                }
                [Tag::Sts] | [Tag::Sts, Tag::Cd] if !value.is_empty() => {
                    entry.status = Some(match value {
                        "BOOK" => EntryStatus::Booked,
                        "PDNG" => EntryStatus::Pending,
                        "INFO" => EntryStatus::Information,
                        "FUTR" => EntryStatus::Future,
                        _ => return Err(unknown_code(line, "Sts", value)),
                    });
                }
                [Tag::BookgDt, Tag::Dt] => entry.booking_date = Some(parse_date(value, line)?),
                [Tag::BookgDt, Tag::DtTm] => entry.booking_date = Some(parse_date_time(value, line)?),
                [Tag::ValDt, Tag::Dt] => entry.value_date = Some(parse_date(value, line)?),
                [Tag::ValDt, Tag::DtTm] => entry.value_date = Some(parse_date_time(value, line)?),
                [Tag::AcctSvcrRef] => set(&mut entry.account_servicer_ref, value),
                [Tag::BkTxCd, Tag::Domn, Tag::Cd] => set(&mut entry.domain, value),
                [Tag::BkTxCd, Tag::Domn, Tag::Fmly, Tag::Cd] => set(&mut entry.family, value),
                [Tag::BkTxCd, Tag::Domn, Tag::Fmly, Tag::SubFmlyCd] => set(&mut entry.sub_family, value),
                [Tag::BkTxCd, Tag::Prtry, Tag::Cd] => set(&mut entry.proprietary, value),
                _ => {}
            }
            return Ok(());
        }
        if self.statement.is_some() {
            if depth == self.statement_at {
                self.send_statement();
                self.statement = None;
                return Ok(());
            }
            let path = self.stack.get(self.statement_at + 1..).unwrap_or_default();
            let Some(statement) = self.statement.as_mut() else { return Ok(()) };
            match path {
                [Tag::Id] => set(&mut statement.id, value),
                [Tag::Acct, Tag::Id, Tag::Iban] => set(&mut statement.iban, value),
                [Tag::Acct, Tag::Ccy] => statement.currency = Some(parse_currency(value, line)?),
                _ => {}
            }
            return Ok(());
        }
        if depth == 1 && self.statements_seen == 0 {
            let expected = self.kind().unwrap_or(MessageKind::Statement).element();
            return Err(CamtError::Structure { line, reason: format!("no {expected} in the document") });
        }
        Ok(())
    }
}

impl<R: BufRead> Iterator for CamtReader<R> {
    type Item = Result<Item, CamtError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = self.next_item();
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result.transpose()
    }
}

fn set(field: &mut Option<String>, value: &str) {
    if !value.is_empty() {
        *field = Some(value.to_string());
    }
}

fn unknown_code(line: u64, element: &'static str, value: &str) -> CamtError {
    CamtError::UnknownCode { line, element, value: value.to_string() }
}

fn parse_currency(code: &str, line: u64) -> Result<Currency, CamtError> {
    Currency::from_code(code).ok_or_else(|| CamtError::UnknownCurrency { line, code: code.to_string() })
}

/// An XML Schema decimal (`12`, `12.5`, `+0.50`, `.5`) in `currency`, positive and exactly
/// representable in its minor unit: `18.150 EUR` is 18.15, `18.155 EUR` is refused.
fn parse_amount(value: &str, currency: Option<&str>, line: u64) -> Result<Money, CamtError> {
    let currency = currency.ok_or_else(|| CamtError::Structure { line, reason: "Amt without Ccy".into() })?;
    let currency = parse_currency(currency, line)?;
    let invalid = || CamtError::InvalidAmount { line, value: value.to_string() };
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (integer.is_empty() && fraction.is_empty()) || !digits(integer) || !digits(fraction) {
        return Err(invalid());
    }
    // ISO 20022 amounts have at most 18 digits.
    let integer = integer.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if integer.len() + fraction.len() > 18 {
        return Err(invalid());
    }
    let canonical = format!("{}.{}", if integer.is_empty() { "0" } else { integer }, fraction);
    let mut amount = Decimal::from_str(canonical.trim_end_matches('.')).map_err(|_| invalid())?;
    if negative && !amount.is_zero() {
        return Err(CamtError::NegativeAmount { line, value: value.to_string() });
    }
    let allowed = minor_units(currency);
    if amount.scale() > allowed {
        return Err(CamtError::TooManyDecimals {
            line,
            value: value.to_string(),
            currency: currency.code().to_string(),
            allowed,
        });
    }
    amount.rescale(allowed);
    Ok(Money::new(amount, currency))
}

/// `2020-06-25`, also with a time zone (`2020-06-25+02:00`, `2020-06-25Z`) as ISODate allows.
fn parse_date(value: &str, line: u64) -> Result<NaiveDate, CamtError> {
    let invalid = || CamtError::InvalidDate { line, value: value.to_string() };
    let (date, zone) = (value.get(..10).ok_or_else(invalid)?, value.get(10..).ok_or_else(invalid)?);
    let zone_ok = match zone.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()),
        _ => false,
    };
    if !zone_ok {
        return Err(invalid());
    }
    NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| invalid())
}

/// The calendar date of an ISODateTime as written, with or without offset.
fn parse_date_time(value: &str, line: u64) -> Result<NaiveDate, CamtError> {
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(value) {
        return Ok(with_offset.date_naive());
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|local| local.date())
        .map_err(|_| CamtError::InvalidDate { line, value: value.to_string() })
}

#[cfg(test)]
mod tests;
