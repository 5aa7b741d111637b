//! The DATEV export: "Buchungsstapel" in the EXTF format (header version 700, format category
//! 21, format version 13), one file per month, for the tax adviser's DATEV.
//!
//! Rules the file follows (and `tests/integration/accounting.rs` checks): line 1 is the
//! 31-field header, line 2 the column names, then one booking per line; fields separated by
//! `;`, text in double quotes (a quote inside doubled), lines ended by CRLF, Windows-1252
//! (what it cannot hold becomes `?`), amounts positive with a decimal comma and no thousands
//! separator, the document date as TTMM (the year is the header's). We write the first 41
//! columns of the column set, through "EU-Land u. UStID (Bestimmung)" and "EU-Steuersatz
//! (Bestimmung)", where OSS bookings carry the member state of consumption and its rate.
//!
//! A journal entry of several postings becomes several bookings: debits are paired with
//! credits of the same currency (Konto = debit, Gegenkonto = credit, always "S"), so the sum
//! of a month's bookings per currency is the month's debit movement in the trial balance.
//!
//! Every journal entry goes out in exactly one month's file: closing a month claims its
//! entries in `datev_exported_entries`, whose primary key is the entry (see `period::close`).
//! Only a closed month is exported, so no entry can join it afterwards, and exporting it again
//! writes the same file; the export itself only reads.

use std::io::Write;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use super::{AccountingError, period};
use crate::invoicing::BillingMonth;

/// The chart of accounts the adviser's DATEV uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Skr03,
    Skr04,
}

impl Chart {
    pub fn parse(text: &str) -> Option<Chart> {
        match text.trim().to_ascii_lowercase().as_str() {
            "skr03" | "03" => Some(Chart::Skr03),
            "skr04" | "04" => Some(Chart::Skr04),
            _ => None,
        }
    }

    fn header_code(self) -> &'static str {
        match self {
            Chart::Skr03 => "03",
            Chart::Skr04 => "04",
        }
    }

    /// The DATEV account for one of Kontor's account numbers (`1400` of `1400-EUR-C12`).
    /// Revenue goes to the account of the invoice's VAT treatment. Numbers not in the table
    /// pass through, so nothing is lost; the adviser sees them.
    pub fn account(self, number: &str, treatment: Option<&str>) -> String {
        let skr04 = self == Chart::Skr04;
        let mapped = match number {
            "1000" => {
                if skr04 {
                    "1600"
                } else {
                    "1000"
                }
            }
            "1200" => {
                if skr04 {
                    "1800"
                } else {
                    "1200"
                }
            }
            "1360" => {
                if skr04 {
                    "1460"
                } else {
                    "1360"
                }
            }
            "1400" => {
                if skr04 {
                    "1200"
                } else {
                    "1400"
                }
            }
            "1590" => {
                if skr04 {
                    "1370"
                } else {
                    "1590"
                }
            }
            "1750" => {
                if skr04 {
                    "3500"
                } else {
                    "1700"
                }
            }
            "1776" => {
                if skr04 {
                    "3806"
                } else {
                    "1776"
                }
            }
            "6855" => {
                if skr04 {
                    "6855"
                } else {
                    "4970"
                }
            }
            "4400" => match (treatment, skr04) {
                (Some("oss"), false) => "8320",
                (Some("oss"), true) => "4320",
                (Some("reverse_charge"), false) => "8336",
                (Some("reverse_charge"), true) => "4336",
                (Some("outside_eu" | "local"), false) => "8338",
                (Some("outside_eu" | "local"), true) => "4338",
                (_, false) => "8400",
                (_, true) => "4400",
            },
            other => other,
        };
        mapped.to_owned()
    }
}

/// What goes in the header besides the month.
#[derive(Debug, Clone)]
pub struct Options {
    pub chart: Chart,
    /// Beraternummer and Mandantennummer as the adviser's DATEV knows them.
    pub consultant: u32,
    pub client: u32,
    pub zone: chrono_tz::Tz,
    pub now: DateTime<Utc>,
}

/// The column names of the set we write (the first 41 of the Buchungsstapel).
pub const COLUMNS: [&str; 41] = [
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
    "Postensperre",
    "Diverse Adressnummer",
    "Geschäftspartnerbank",
    "Sachverhalt",
    "Zinssperre",
    "Beleglink",
    "Beleginfo - Art 1",
    "Beleginfo - Inhalt 1",
    "Beleginfo - Art 2",
    "Beleginfo - Inhalt 2",
    "Beleginfo - Art 3",
    "Beleginfo - Inhalt 3",
    "Beleginfo - Art 4",
    "Beleginfo - Inhalt 4",
    "Beleginfo - Art 5",
    "Beleginfo - Inhalt 5",
    "Beleginfo - Art 6",
    "Beleginfo - Inhalt 6",
    "Beleginfo - Art 7",
    "Beleginfo - Inhalt 7",
    "Beleginfo - Art 8",
    "Beleginfo - Inhalt 8",
    "KOST1 - Kostenstelle",
    "KOST2 - Kostenstelle",
    "Kost-Menge",
    "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)",
];

/// Entries read per query.
const PAGE: i64 = 5_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    pub entries: u64,
    pub rows: u64,
}

/// The file name DATEV users expect to see: `EXTF_Buchungsstapel_2026-11.csv`.
pub fn file_name(month: BillingMonth) -> String {
    format!("EXTF_Buchungsstapel_{month}.csv")
}

#[derive(QueryableByName)]
struct Posting {
    #[diesel(sql_type = BigInt)]
    entry_id: i64,
    #[diesel(sql_type = Text)]
    day: String,
    #[diesel(sql_type = Text)]
    document: String,
    #[diesel(sql_type = Text)]
    memo: String,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Nullable<Text>)]
    treatment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    country: Option<String>,
    #[diesel(sql_type = Nullable<Numeric>)]
    rate: Option<Decimal>,
}

/// Writes the closed month's file. Run it in a (repeatable read) transaction for one picture.
pub fn export(
    conn: &mut PgConnection,
    month: BillingMonth,
    options: &Options,
    out: impl Write,
) -> Result<Exported, AccountingError> {
    if period::closed_at(conn, month)?.is_none() {
        return Err(AccountingError::MonthOpen(month.to_string()));
    }
    let mut out = std::io::BufWriter::new(out);
    let io = |e: std::io::Error| AccountingError::Write(e.to_string());
    out.write_all(&windows_1252(&header(month, options))).map_err(io)?;
    out.write_all(b"\r\n").map_err(io)?;
    out.write_all(&windows_1252(&COLUMNS.join(";"))).map_err(io)?;
    out.write_all(b"\r\n").map_err(io)?;
    let mut exported = Exported::default();
    let mut after = 0i64;
    let zone = options.zone.name();
    loop {
        let postings: Vec<Posting> = diesel::sql_query(
            "WITH page AS (SELECT entry_id FROM datev_exported_entries
                            WHERE month = $1 AND entry_id > $2 ORDER BY entry_id LIMIT $3)
             SELECT e.id AS entry_id, to_char(e.occurred_at AT TIME ZONE $4, 'DDMM') AS day,
                    coalesce(inv.number, e.reference_id, '') AS document, e.memo,
                    split_part(a.code, '-', 1) AS number, p.currency::text AS currency, p.amount,
                    inv.vat_treatment AS treatment, inv.customer_snapshot->>'country' AS country,
                    r.rate
               FROM page
               JOIN journal_entries e ON e.id = page.entry_id
               JOIN postings p ON p.entry_id = e.id
               JOIN ledger_accounts a ON a.id = p.account_id
               LEFT JOIN invoices inv ON inv.ledger_entry_id = e.id
               LEFT JOIN LATERAL (SELECT max(v.rate) AS rate FROM invoice_vat v
                                   WHERE v.invoice_id = inv.id) r ON true
              ORDER BY e.id, p.id",
        )
        .bind::<Date, _>(month.first_day())
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(PAGE)
        .bind::<Text, _>(zone)
        .load(conn)?;
        let Some(last) = postings.last() else { break };
        after = last.entry_id;
        for entry in postings.chunk_by(|a, b| a.entry_id == b.entry_id) {
            exported.entries += 1;
            for line in bookings(entry, options.chart) {
                out.write_all(&windows_1252(&line)).map_err(io)?;
                out.write_all(b"\r\n").map_err(io)?;
                exported.rows += 1;
            }
        }
    }
    out.flush().map_err(io)?;
    Ok(exported)
}

/// The header line: 31 fields.
fn header(month: BillingMonth, options: &Options) -> String {
    let created = options.now.with_timezone(&options.zone).format("%Y%m%d%H%M%S%3f").to_string();
    let first = month.first_day();
    let last = month.end().pred_opt().unwrap_or(first);
    let year_start = first.format("%Y0101").to_string();
    let label = text(&format!("Kontor {month}"), 30);
    [
        "\"EXTF\"".to_owned(),
        "700".into(),
        "21".into(),
        "\"Buchungsstapel\"".into(),
        "13".into(),
        created,
        String::new(),
        "\"RE\"".into(),
        "\"Kontor\"".into(),
        "\"\"".into(),
        options.consultant.to_string(),
        options.client.to_string(),
        year_start,
        "4".into(),
        first.format("%Y%m%d").to_string(),
        last.format("%Y%m%d").to_string(),
        label,
        "\"\"".into(),
        "1".into(),
        String::new(),
        "0".into(),
        "\"EUR\"".into(),
        String::new(),
        "\"\"".into(),
        String::new(),
        String::new(),
        format!("\"{}\"", options.chart.header_code()),
        String::new(),
        String::new(),
        "\"\"".into(),
        "\"\"".into(),
    ]
    .join(";")
}

/// The bookings of one entry: its debits paired with its credits, per currency.
fn bookings(entry: &[Posting], chart: Chart) -> Vec<String> {
    let mut lines = Vec::new();
    let mut currencies: Vec<&str> = entry.iter().map(|p| p.currency.as_str()).collect();
    currencies.dedup();
    for currency in currencies {
        let side = |debit: bool| -> Vec<(&Posting, Decimal)> {
            entry
                .iter()
                .filter(|p| p.currency == currency && (p.amount > Decimal::ZERO) == debit)
                .map(|p| (p, p.amount.abs()))
                .collect()
        };
        let mut debits = side(true).into_iter();
        let mut credits = side(false).into_iter();
        let (mut debit, mut credit) = (debits.next(), credits.next());
        while let (Some((d, left_d)), Some((c, left_c))) = (debit.as_mut(), credit.as_mut()) {
            let amount = (*left_d).min(*left_c);
            lines.push(booking(d, c, amount, chart));
            *left_d -= amount;
            *left_c -= amount;
            if left_d.is_zero() {
                debit = debits.next();
            }
            if credit.as_ref().is_some_and(|(_, left)| left.is_zero()) {
                credit = credits.next();
            }
        }
    }
    lines
}

fn booking(debit: &Posting, credit: &Posting, amount: Decimal, chart: Chart) -> String {
    let treatment = debit.treatment.as_deref();
    let (country, rate) = match (treatment, &debit.country, debit.rate) {
        (Some("oss"), Some(country), Some(rate)) => (text(country, 2), decimal_comma(rate)),
        _ => (String::new(), String::new()),
    };
    let mut fields: Vec<String> = Vec::with_capacity(COLUMNS.len());
    fields.push(decimal_comma(amount));
    fields.push("\"S\"".into());
    fields.push(format!("\"{}\"", debit.currency));
    fields.extend([String::new(), String::new(), String::new()]);
    fields.push(chart.account(&debit.number, treatment));
    fields.push(chart.account(&credit.number, treatment));
    fields.push(String::new());
    fields.push(debit.day.clone());
    fields.push(text(&debit.document, 36));
    fields.push(String::new());
    fields.push(String::new());
    fields.push(text(&debit.memo, 60));
    fields.resize(COLUMNS.len() - 2, String::new());
    fields.push(country);
    fields.push(rate);
    fields.join(";")
}

/// An amount as DATEV reads it: two decimals, a comma, no thousands separator.
pub fn decimal_comma(amount: Decimal) -> String {
    format!("{:.2}", super::vat_return::to_cents(amount)).replace('.', ",")
}

/// A quoted text field cut to `max` characters; quotes doubled, line breaks and `;` kept out.
fn text(value: &str, max: usize) -> String {
    let clean: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect::<String>()
        .replace('"', "\"\"");
    format!("\"{clean}\"")
}

/// The line in Windows-1252; a character it lacks becomes `?` (never an HTML entity).
pub fn windows_1252(line: &str) -> Vec<u8> {
    if line.is_ascii() {
        return line.as_bytes().to_vec();
    }
    let mut bytes = Vec::with_capacity(line.len());
    let mut buffer = [0u8; 4];
    for c in line.chars() {
        let (encoded, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
        if unmappable { bytes.push(b'?') } else { bytes.extend_from_slice(&encoded) }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_holds_german_and_the_euro_sign_and_nothing_else() {
        assert_eq!(windows_1252("Schlüssel €"), b"Schl\xfcssel \x80".to_vec());
        assert_eq!(windows_1252("Łódź"), b"?\xf3d?".to_vec());
    }

    #[test]
    fn amounts_have_a_decimal_comma_and_texts_are_quoted() {
        assert_eq!(decimal_comma(Decimal::new(123456, 2)), "1234,56");
        assert_eq!(decimal_comma(Decimal::new(5, 1)), "0,50");
        assert_eq!(text("a \"b\"\r\n", 60), "\"a \"\"b\"\"  \"");
    }

    #[test]
    fn the_header_has_31_fields() {
        let options = Options {
            chart: Chart::Skr04,
            consultant: 1001,
            client: 1,
            zone: chrono_tz::Europe::Berlin,
            now: DateTime::from_timestamp(1_796_000_000, 0).unwrap(),
        };
        let header = header("2026-11".parse().unwrap(), &options);
        assert_eq!(header.split(';').count(), 31, "{header}");
        assert!(header.starts_with("\"EXTF\";700;21;\"Buchungsstapel\";13;"));
        assert!(header.contains(";20261101;20261130;"));
        assert_eq!(COLUMNS.len(), 41);
    }
}
