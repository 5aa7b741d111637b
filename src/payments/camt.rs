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
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn fixtures(folder: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iso20022").join(folder)
    }

    fn read(bytes: &[u8]) -> Result<Vec<Item>, CamtError> {
        CamtReader::new(bytes).collect()
    }

    fn parse_file(relative: &str) -> Result<Vec<Item>, CamtError> {
        let path = fixtures(relative);
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        CamtReader::new(io::BufReader::new(file)).collect()
    }

    fn entries(items: &[Item]) -> Vec<&Entry> {
        items.iter().filter_map(|item| if let Item::Entry(e) = item { Some(e) } else { None }).collect()
    }

    fn statements(items: &[Item]) -> Vec<&Statement> {
        items.iter().filter_map(|item| if let Item::Statement(s) = item { Some(s) } else { None }).collect()
    }

    fn money(amount: &str, currency: Currency) -> Money {
        Money::new(Decimal::from_str(amount).unwrap(), currency)
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A camt.053.001.02 document with one entry whose body is `ntry`.
    fn with_entry(ntry: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <Stmt>
      <Id>S1</Id>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
      <Ntry>
{ntry}
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#
        )
    }

    const ENTRY: &str = "<Amt Ccy=\"EUR\">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>";

    #[test]
    fn every_camt053_and_camt054_sample_parses() {
        // (file, statements, entries)
        let samples = [
            ("camt053/ch-camt.053.001.04-anon.xml", 1, 16),
            ("camt053/ch-postfinance-camt.053.001.02-anon.xml", 1, 5),
            ("camt053/ch-postfinance-platform-camt.053.001.08.xml", 1, 2),
            ("camt053/ch-postfinance-sps1.7-camt.053.001.04.xml", 1, 5),
            ("camt053/ch-postfinance-sps2.0-camt.053.001.08.xml", 1, 5),
            ("camt053/ch-sps2.0-camt.053.001.08-anon.xml", 1, 1),
            ("camt053/ch-style-camt.053.001.04-txdtls-oca.xml", 1, 1),
            ("camt053/de-gls-camt.053.001.02.xml", 1, 4),
            ("camt053/lt-camt.053.001.02-anon.xml", 1, 4),
            ("camt053/nl-abnamro-camt.053.001.02-oca.xml", 1, 3),
            ("camt053/nl-abnamro-camt.053.001.04-no-ntry-oca.xml", 1, 0),
            ("camt053/genkgo/camt053.v2.all-balance-types.xml", 1, 1),
            ("camt053/genkgo/camt053.v2.five.decimals.xml", 1, 1),
            ("camt053/genkgo/camt053.v2.minimal.ultimate.xml", 1, 1),
            ("camt053/genkgo/camt053.v2.minimal.xml", 1, 1),
            ("camt053/genkgo/camt053.v2.multi.statement.xml", 2, 2),
            ("camt053/genkgo/camt053.v2.with-account-name.xml", 1, 1),
            ("camt053/genkgo/camt053.v2.with-party-ids.xml", 1, 1),
            ("camt053/genkgo/camt053.v3.xml", 1, 1),
            ("camt053/genkgo/camt053.v4.xml", 1, 1),
            ("camt053/genkgo/camt053.v8.xml", 1, 1),
            ("camt053/genkgo/camt53.only-Dt-with-DtTm.xml", 1, 0),
            ("camt054/ch-postfinance-esr-camt.054.001.04.xml", 1, 1),
            ("camt054/ch-postfinance-return-batch-camt.054.001.08.xml", 1, 1),
            ("camt054/ch-postfinance-sps1.7-camt.054.001.04.xml", 1, 1),
            ("camt054/ch-postfinance-sps2.0-camt.054.001.08.xml", 1, 1),
            ("camt054/ch-qriban-qrr-camt.054.001.04.xml", 1, 1),
            ("camt054/ch-qriban-qrr-sps2.0-camt.054.001.08.xml", 1, 1),
            ("camt054/ch-sps1.7-camt.054.001.04-oca.xml", 1, 1),
            ("camt054/de-gls-camt.054.001.08.xml", 1, 1),
            ("camt054/genkgo/camt054.v2.xml", 1, 1),
            ("camt052/de-gls-camt.052.001.02.xml", 1, 4),
            ("camt052/de-hbci4java-camt.052.001.08.xml", 1, 1),
            ("camt052/de-hbci4java-ruecklastschrift-camt.052.xml", 1, 1),
            ("camt054/genkgo/camt054.v8.xml", 1, 1),
        ];
        for (file, statement_count, entry_count) in samples {
            let items = parse_file(file).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(statements(&items).len(), statement_count, "{file}");
            assert_eq!(entries(&items).len(), entry_count, "{file}");
            // A statement comes before its entries.
            assert!(matches!(items.first(), Some(Item::Statement(_))), "{file}");
        }
        // Every XML file in the folders is in the list above, except the invalid one refused
        // below (a statement message without a statement).
        let mut on_disk = 0;
        for folder in ["camt052", "camt053", "camt053/genkgo", "camt054", "camt054/genkgo"] {
            for file in std::fs::read_dir(fixtures(folder)).unwrap() {
                on_disk += usize::from(file.unwrap().path().extension().is_some_and(|e| e == "xml"));
            }
        }
        assert_eq!(on_disk, samples.len() + 1);
    }

    #[test]
    fn genkgo_wrong_sample_has_no_statement() {
        // BkToCstmrStmt holds only the group header; the schema requires at least one Stmt.
        let error = parse_file("camt053/genkgo/camt053.v2.wrong.xml").unwrap_err();
        assert!(
            matches!(&error, CamtError::Structure { line: 8, reason } if reason.contains("no Stmt")),
            "{error:?}"
        );
        assert_eq!(error.message_id(), "camt-structure");
    }

    #[test]
    fn intraday_reports_read_like_statements_and_carry_returns() {
        let items = parse_file("camt052/de-hbci4java-ruecklastschrift-camt.052.xml").unwrap();
        assert_eq!(statements(&items)[0].kind, MessageKind::Report);
        let entry = entries(&items)[0];
        assert_eq!(entry.credit_debit, CreditDebit::Debit);
        assert_eq!(entry.transactions[0].return_reason.as_deref(), Some("MS03"));
    }

    #[test]
    fn swiss_statement_values() {
        let items = parse_file("camt053/ch-postfinance-sps2.0-camt.053.001.08.xml").unwrap();
        let statement = statements(&items)[0];
        assert_eq!(statement.kind, MessageKind::Statement);
        assert_eq!(statement.version, 8);
        assert_eq!(statement.id.as_deref(), Some("20201124375204229003973"));
        assert_eq!(statement.iban.as_deref(), Some("CH2909000000250094239"));
        assert_eq!(statement.currency, Some(Currency::CHF));

        let items = parse_file("camt053/ch-camt.053.001.04-anon.xml").unwrap();
        assert_eq!(statements(&items)[0].iban.as_deref(), Some("CHxxxxxxxxxxxxxxxxxxx"));
        let first = entries(&items)[0];
        assert_eq!(first.amount, money("905.30", Currency::CHF));
        assert_eq!(first.credit_debit, CreditDebit::Debit);
        assert!(!first.reversal);
        assert_eq!(first.status, EntryStatus::Booked);
        assert_eq!(first.booking_date, Some(date("2017-04-01")));
        assert_eq!(first.value_date, Some(date("2017-04-03")));
        assert_eq!(first.account_servicer_ref.as_deref(), Some("210564431020000000024556150000"));
        let code = first.bank_transaction_code.as_ref().unwrap();
        assert_eq!(code.domain.as_deref(), Some("PMNT/RDDT/PMDD"));
    }

    #[test]
    fn batch_booking_carries_every_transaction() {
        let items = parse_file("camt053/ch-style-camt.053.001.04-txdtls-oca.xml").unwrap();
        assert_eq!(statements(&items)[0].iban.as_deref(), Some("CH1111000000123456789"));
        let entry = entries(&items)[0];
        assert_eq!(entry.amount, money("3483.00", Currency::CHF));
        assert_eq!(entry.credit_debit, CreditDebit::Credit);
        assert_eq!(entry.transactions.len(), 2);
        let [first, second] = entry.transactions.as_slice() else { panic!() };
        assert_eq!(first.amount, Some(money("2187", Currency::CHF)));
        assert_eq!(second.amount, Some(money("1296", Currency::CHF)));
        assert_eq!(first.creditor_reference.as_deref(), Some("302388292000011111111111111"));
        assert_eq!(first.debtor_name.as_deref(), Some("Banque Cantonale Vaudoise"));
        assert_eq!(second.debtor_iban.as_deref(), Some("CH3333000000123456789"));
    }

    #[test]
    fn qr_iban_notification_yields_qr_references() {
        for file in
            ["camt054/ch-qriban-qrr-sps2.0-camt.054.001.08.xml", "camt054/ch-qriban-qrr-camt.054.001.04.xml"]
        {
            let items = parse_file(file).unwrap();
            let statement = statements(&items)[0];
            assert_eq!(statement.kind, MessageKind::Notification);
            assert_eq!(statement.iban.as_deref(), Some("CH5104835831854071000"));
            let entry = entries(&items)[0];
            assert_eq!(entry.amount, money("997.25", Currency::CHF), "{file}");
            assert_eq!(entry.booking_date, Some(date("2022-12-22")), "{file}");
            let first = &entry.transactions[0];
            assert_eq!(first.creditor_reference.as_deref(), Some("999999123456789012345678028"), "{file}");
            assert_eq!(first.amount, Some(money("477.25", Currency::CHF)), "{file}");
            assert_eq!(first.end_to_end_id.as_deref(), Some("EndToEndId-0000000010"), "{file}");
            let sum = entry.transactions.iter().map(|t| t.amount.unwrap().amount()).sum::<Decimal>();
            assert_eq!(sum, entry.amount.amount(), "{file}");
        }
    }

    #[test]
    fn returned_payment_yields_its_reason() {
        let items = parse_file("camt054/ch-postfinance-return-batch-camt.054.001.08.xml").unwrap();
        let entry = entries(&items)[0];
        assert_eq!(entry.amount, money("400.00", Currency::CHF));
        assert_eq!(entry.bank_transaction_code.as_ref().unwrap().domain.as_deref(), Some("PMNT/ICDT/RRTN"));
        let tx = &entry.transactions[0];
        assert_eq!(tx.return_reason.as_deref(), Some("AC01"));
        assert_eq!(tx.end_to_end_id.as_deref(), Some("EndToEndId-004-01-01"));
        assert_eq!(tx.debtor_name.as_deref(), Some("Robert Schneider SA"));
        assert_eq!(tx.debtor_iban.as_deref(), Some("CH8709000000929471495"));
        assert_eq!(tx.remittance.as_deref(), Some("Kontouebertrag"));
    }

    #[test]
    fn genkgo_expected_amounts_match() {
        // genkgo's dump lists the last statement's entries, in minor units, negative for DBIT.
        for name in [
            "camt053/genkgo/camt053.v2.minimal",
            "camt053/genkgo/camt053.v2.five.decimals",
            "camt053/genkgo/camt053.v2.multi.statement",
            "camt053/genkgo/camt053.v4",
            "camt053/genkgo/camt053.v8",
            "camt053/genkgo/camt53.only-Dt-with-DtTm",
            "camt054/genkgo/camt054.v2",
            "camt054/genkgo/camt054.v8",
        ] {
            let json = std::fs::read_to_string(fixtures(&format!("{name}.expected.json"))).unwrap();
            let expected: serde_json::Value = serde_json::from_str(&json).unwrap();
            let expected: Vec<(i64, String, String)> = expected["getEntries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["getAmount"]["getAmount"].as_str().unwrap().parse().unwrap(),
                        e["getAmount"]["getCurrency"]["getCode"].as_str().unwrap().to_string(),
                        e["getCreditDebitIndicator"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let items = parse_file(&format!("{name}.xml")).unwrap();
            let last_statement = items.iter().rposition(|i| matches!(i, Item::Statement(_))).unwrap();
            let actual: Vec<(i64, String, String)> = entries(&items[last_statement..])
                .iter()
                .map(|e| {
                    let minor = e.amount.to_minor().unwrap();
                    let (signed, indicator) = match e.credit_debit {
                        CreditDebit::Credit => (minor, "CRDT"),
                        CreditDebit::Debit => (-minor, "DBIT"),
                    };
                    (signed, e.amount.currency().code().to_string(), indicator.to_string())
                })
                .collect();
            assert_eq!(actual, expected, "{name}");
        }
    }

    #[test]
    fn camt054_v2_details() {
        let items = parse_file("camt054/genkgo/camt054.v2.xml").unwrap();
        let entry = entries(&items)[0];
        assert_eq!(entry.amount, money("200000.00", Currency::SEK));
        assert_eq!(entry.credit_debit, CreditDebit::Debit);
    }

    #[test]
    fn builds_entries_from_inline_documents() {
        let ntry = r#"<Amt Ccy="JPY">1500</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>
            <Sts><Cd>PDNG</Cd></Sts><BookgDt><DtTm>2024-03-01T23:30:00+01:00</DtTm></BookgDt>
            <ValDt><Dt>2024-03-04+01:00</Dt></ValDt>
            <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
              <RmtInf><Ustrd>Invoice 2024-17</Ustrd><Ustrd>thanks &amp; regards</Ustrd></RmtInf>
              <RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf></TxDtls></NtryDtls>"#;
        let items = read(with_entry(ntry).as_bytes()).unwrap();
        let entry = entries(&items)[0];
        assert_eq!(entry.amount, money("1500", Currency::JPY));
        assert_eq!(entry.credit_debit, CreditDebit::Debit);
        assert!(entry.reversal);
        assert_eq!(entry.status, EntryStatus::Pending);
        assert_eq!(entry.booking_date, Some(date("2024-03-01")));
        assert_eq!(entry.value_date, Some(date("2024-03-04")));
        let tx = &entry.transactions[0];
        assert_eq!(tx.end_to_end_id, None);
        assert_eq!(tx.remittance.as_deref(), Some("Invoice 2024-17 thanks & regards"));
        assert_eq!(tx.return_reason.as_deref(), Some("MD06"));
    }

    #[test]
    fn namespace_prefixes_are_ignored() {
        let xml = format!(
            r#"<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><c:BkToCstmrDbtCdtNtfctn>
               <c:Ntfctn><c:Id>N1</c:Id><c:Ntry>{}</c:Ntry></c:Ntfctn></c:BkToCstmrDbtCdtNtfctn></c:Document>"#,
            ENTRY.replace('<', "<c:").replace("<c:/", "</c:")
        );
        let items = read(xml.as_bytes()).unwrap();
        assert_eq!(statements(&items)[0].id.as_deref(), Some("N1"));
        assert_eq!(entries(&items)[0].amount, money("12.50", Currency::EUR));
    }

    #[test]
    fn trailing_zeros_beyond_the_minor_unit_are_accepted() {
        let items = read(with_entry(&ENTRY.replace("12.50", "18.150")).as_bytes()).unwrap();
        assert_eq!(entries(&items)[0].amount, money("18.15", Currency::EUR));
        assert_eq!(entries(&items)[0].amount.amount().scale(), 2);
    }

    fn entry_error(amount: &str) -> CamtError {
        read(with_entry(&ENTRY.replace(r#"Ccy="EUR">12.50"#, amount)).as_bytes()).unwrap_err()
    }

    #[test]
    fn bad_amounts_are_refused_with_their_line() {
        let error = entry_error(r#"Ccy="EUR">12.505"#);
        assert_eq!(
            error,
            CamtError::TooManyDecimals {
                line: 8,
                value: "12.505".into(),
                currency: "EUR".into(),
                allowed: 2
            }
        );
        assert_eq!(error.message_id(), "camt-amount-decimals");
        assert!(matches!(entry_error(r#"Ccy="JPY">10.5"#), CamtError::TooManyDecimals { allowed: 0, .. }));
        let error = entry_error(r#"Ccy="EUR">-12.50"#);
        assert_eq!(error, CamtError::NegativeAmount { line: 8, value: "-12.50".into() });
        assert_eq!(error.message_id(), "camt-amount-negative");
        let error = entry_error(r#"Ccy="XYZ">12.50"#);
        assert_eq!(error, CamtError::UnknownCurrency { line: 8, code: "XYZ".into() });
        assert_eq!(error.message_id(), "camt-currency");
        for bad in ["1e3", "12,50", "", ".", "1.2.3", "0x10", "1_000", "1234567890123456789"] {
            let error = entry_error(&format!(r#"Ccy="EUR">{bad}"#));
            assert!(matches!(error, CamtError::InvalidAmount { .. }), "{bad}: {error:?}");
        }
        assert!(matches!(entry_error(r#"Cy="EUR">12.50"#), CamtError::Structure { .. }));
    }

    #[test]
    fn bad_codes_and_dates_are_refused() {
        let error = read(with_entry(&ENTRY.replace("CRDT", "CRED")).as_bytes()).unwrap_err();
        assert!(matches!(error, CamtError::UnknownCode { element: "CdtDbtInd", .. }), "{error:?}");
        let error = read(with_entry(&ENTRY.replace("BOOK", "DONE")).as_bytes()).unwrap_err();
        assert!(matches!(error, CamtError::UnknownCode { element: "Sts", .. }), "{error:?}");
        let bad_date = format!("{ENTRY}<BookgDt><Dt>2024-02-30</Dt></BookgDt>");
        let error = read(with_entry(&bad_date).as_bytes()).unwrap_err();
        assert!(matches!(error, CamtError::InvalidDate { .. }), "{error:?}");
        let missing = read(with_entry("<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>").as_bytes()).unwrap_err();
        assert!(
            matches!(&missing, CamtError::Structure { reason, .. } if reason.contains("Amt")),
            "{missing:?}"
        );
    }

    #[test]
    fn wrong_namespace_is_refused() {
        let pain = with_entry(ENTRY).replace("camt.053.001.02", "pain.001.001.03");
        let error = read(pain.as_bytes()).unwrap_err();
        assert_eq!(
            error,
            CamtError::Namespace { line: 2, found: "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03".into() }
        );
        assert_eq!(error.message_id(), "camt-namespace");
        let none =
            with_entry(ENTRY).replace(r#" xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02""#, "");
        assert!(matches!(read(none.as_bytes()), Err(CamtError::Namespace { .. })));
        // A camt.053 namespace around a camt.054 body is not a statement either.
        let mixed = with_entry(ENTRY).replace("camt.053", "camt.054");
        assert!(matches!(read(mixed.as_bytes()), Err(CamtError::Structure { .. })));
    }

    #[test]
    fn malformed_xml_is_refused() {
        for bad in [
            "",
            "not xml at all",
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt></Stmt></Document>",
        ] {
            let error = read(bad.as_bytes()).unwrap_err();
            assert!(
                matches!(error, CamtError::Malformed { .. } | CamtError::Structure { .. }),
                "{bad}: {error:?}"
            );
        }
        let entity = with_entry(&ENTRY.replace("BOOK", "&ent;"));
        assert!(matches!(read(entity.as_bytes()), Err(CamtError::Malformed { .. })));
        let doctype = format!(
            "<!DOCTYPE x [<!ENTITY a \"b\">]>{}",
            with_entry(ENTRY).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "")
        );
        assert!(matches!(read(doctype.as_bytes()), Err(CamtError::Malformed { .. })));
        // ISO 20022 files are UTF-8; a Latin-1 byte is refused, not guessed at.
        let mut latin1 = with_entry(ENTRY).into_bytes();
        let at = latin1.windows(7).position(|w| w == b"S1</Id>").unwrap();
        latin1[at + 1] = 0xe9;
        assert!(matches!(read(&latin1), Err(CamtError::Malformed { .. })), "{:?}", read(&latin1));
        let invalid_utf8 = [with_entry(ENTRY).as_bytes(), &[0xff, 0xfe]].concat();
        assert!(read(&invalid_utf8).is_err());
    }

    #[test]
    fn truncated_files_are_refused() {
        let xml = std::fs::read(fixtures("camt054/ch-qriban-qrr-sps2.0-camt.054.001.08.xml")).unwrap();
        let end = xml.windows(11).rposition(|w| w == b"</Document>").unwrap();
        let root = xml.windows(9).position(|w| w == b"<Document").unwrap();
        for cut in (root + 10..end).step_by(97) {
            let error = read(&xml[..cut]).unwrap_err();
            assert!(matches!(error, CamtError::Truncated { .. }), "cut at {cut}: {error:?}");
            assert_eq!(error.message_id(), "camt-truncated");
        }
    }

    /// Yields `head`, then `unit` over and over until `limit` bytes, counting what was read.
    struct Endless {
        head: Vec<u8>,
        unit: &'static [u8],
        position: usize,
        limit: usize,
    }

    impl Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let mut written = 0;
            while written < out.len() && self.position < self.limit {
                let byte = match self.head.get(self.position) {
                    Some(b) => *b,
                    None => self.unit[(self.position - self.head.len()) % self.unit.len()],
                };
                out[written] = byte;
                written += 1;
                self.position += 1;
            }
            Ok(written)
        }
    }

    fn endless(head: &str, unit: &'static [u8]) -> io::BufReader<Endless> {
        let head = format!(r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">{head}"#)
            .into_bytes();
        io::BufReader::new(Endless { head, unit, position: 0, limit: 1 << 30 })
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_limit() {
        let mut reader = CamtReader::new(endless("<BkToCstmrStmt><Stmt>", b"<a>"));
        let error = reader.next().unwrap().unwrap_err();
        assert!(matches!(error, CamtError::TooDeep { line: 1 }), "{error:?}");
        assert_eq!(error.message_id(), "camt-too-deep");
        assert!(reader.next().is_none());
        // Only a BufReader's worth of the gigabyte was read.
        assert!(reader.reader.get_ref().inner.get_ref().position <= 16 * 1024);
    }

    #[test]
    fn endless_text_and_tags_stop_at_the_length_limit() {
        for (head, unit) in [
            ("<BkToCstmrStmt><Stmt><Id>", b"x".as_slice()),
            ("<BkToCstmrStmt><Stmt><Id>", b"&amp;".as_slice()),
            ("<BkToCstmrStmt><Stmt><Id>", b"<!-- c -->y".as_slice()),
            ("<BkToCstmrStmt><Stmt ", b"a".as_slice()),
            ("<!--", b"-".as_slice()),
            ("", b"\n".as_slice()),
        ] {
            let mut reader = CamtReader::new(endless(head, unit));
            let error = reader.by_ref().find_map(Result::err).unwrap();
            assert!(matches!(error, CamtError::TooLong { .. }), "{head}{:?}: {error:?}", unit);
            let read = reader.reader.get_ref().inner.get_ref().position;
            // Up to 11 bytes of input (`<!-- c -->y`) per byte of kept text: memory stays bounded.
            assert!(read <= 12 * MAX_TEXT_BYTES, "{head}: read {read} bytes");
            assert!(
                reader.text.capacity() <= 2 * MAX_TEXT_BYTES && reader.buf.capacity() <= 4 * MAX_TEXT_BYTES
            );
        }
    }

    #[test]
    fn error_ids_are_distinct_fluent_keys() {
        let errors = [
            CamtError::Malformed { line: 1, reason: String::new() },
            CamtError::Truncated { line: 1 },
            CamtError::Namespace { line: 1, found: String::new() },
            CamtError::Structure { line: 1, reason: String::new() },
            CamtError::InvalidAmount { line: 1, value: String::new() },
            CamtError::NegativeAmount { line: 1, value: String::new() },
            CamtError::TooManyDecimals { line: 1, value: String::new(), currency: String::new(), allowed: 2 },
            CamtError::UnknownCurrency { line: 1, code: String::new() },
            CamtError::InvalidDate { line: 1, value: String::new() },
            CamtError::UnknownCode { line: 1, element: "Sts", value: String::new() },
            CamtError::TooDeep { line: 1 },
            CamtError::TooLong { line: 1 },
            CamtError::Io { line: 1, reason: String::new() },
        ];
        let ids: std::collections::HashSet<_> = errors.iter().map(CamtError::message_id).collect();
        assert_eq!(ids.len(), errors.len());
        assert!(ids.iter().all(|id| id.starts_with("camt-")));
        assert!(errors.iter().all(|e| e.line() == 1));
    }

    #[test]
    fn for_each_hands_out_every_item() {
        let file = std::fs::File::open(fixtures("camt053/genkgo/camt053.v2.multi.statement.xml")).unwrap();
        let mut seen = Vec::new();
        CamtReader::new(io::BufReader::new(file)).for_each(|item| seen.push(item)).unwrap();
        assert_eq!(seen.len(), 4);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = read(&bytes);
            let with_header = [with_entry("").as_bytes().get(..120).unwrap(), &bytes].concat();
            let _ = read(&with_header);
        }

        #[test]
        fn mutated_samples_never_panic(
            sample in proptest::sample::select(vec![
                "camt053/ch-style-camt.053.001.04-txdtls-oca.xml",
                "camt053/genkgo/camt053.v2.minimal.xml",
                "camt054/ch-qriban-qrr-sps2.0-camt.054.001.08.xml",
                "camt054/ch-postfinance-return-batch-camt.054.001.08.xml",
            ]),
            edits in proptest::collection::vec((proptest::num::usize::ANY, 0u8..3, proptest::num::u8::ANY), 1..8),
        ) {
            let mut xml = std::fs::read(fixtures(sample)).unwrap();
            for (position, kind, byte) in edits {
                let at = position % (xml.len() + 1);
                match kind {
                    0 if at < xml.len() => xml[at] = byte,
                    1 if at < xml.len() => { xml.remove(at); }
                    _ => xml.insert(at, byte),
                }
            }
            let _ = read(&xml);
        }
    }
}
