//! The camt reader against the sample files of banks and libraries and hand-built entries.

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
        CamtError::TooManyDecimals { line: 8, value: "12.505".into(), currency: "EUR".into(), allowed: 2 }
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
    assert!(matches!(&missing, CamtError::Structure { reason, .. } if reason.contains("Amt")), "{missing:?}");
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
    let none = with_entry(ENTRY).replace(r#" xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02""#, "");
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
    let head =
        format!(r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">{head}"#).into_bytes();
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
        assert!(reader.text.capacity() <= 2 * MAX_TEXT_BYTES && reader.buf.capacity() <= 4 * MAX_TEXT_BYTES);
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
