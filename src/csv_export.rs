//! Every CSV file Kontor writes goes through this writer: RFC 4180 quoting by the `csv` crate
//! (a quote inside a cell is doubled, so rows never split), and text cells that a spreadsheet
//! would run as a formula (`=HYPERLINK(...)` as a payer's name) are neutralised with a
//! leading apostrophe. Numbers are written as they are, so `-12.50` stays a number.

use std::borrow::Cow;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("writing the CSV failed: {0}")]
    Write(#[from] csv::Error),
    #[error("writing the CSV failed: {0}")]
    Io(#[from] std::io::Error),
}

/// One cell of a row. Only text is neutralised: amounts, dates and ids are ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Anything that came from a person or a bank file: names, remittance, references.
    Text(&'a str),
    /// A value Kontor formatted itself (amounts, dates, ids, codes).
    Value(&'a str),
}

/// The characters that start a formula in Excel, LibreOffice or Google Sheets (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The text as a spreadsheet shows it, never as a formula it runs.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer that starts with `header`.
    pub fn new(out: W, header: &[&str]) -> Result<CsvWriter<W>, CsvError> {
        let mut inner = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
        inner.write_record(header)?;
        Ok(CsvWriter { inner })
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), CsvError> {
        for cell in cells {
            match cell {
                Cell::Text(text) => self.inner.write_field(neutralise(text).as_bytes())?,
                Cell::Value(value) => self.inner.write_field(value.as_bytes())?,
            }
        }
        self.inner.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flushes what is buffered; call it before reporting success.
    pub fn finish(mut self) -> Result<(), CsvError> {
        self.inner.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(rows: &[&[Cell<'_>]]) -> String {
        let mut out = Vec::new();
        let mut writer = CsvWriter::new(&mut out, &["a", "b"]).unwrap();
        for row in rows {
            writer.row(row).unwrap();
        }
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quotes_are_doubled_so_rows_never_split() {
        let text = written(&[&[Cell::Text("Say \"hi\", then\nleave"), Cell::Value("1")]]);
        assert_eq!(text, "a,b\n\"Say \"\"hi\"\", then\nleave\",1\n");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 1);
        assert_eq!(&records[0][0], "Say \"hi\", then\nleave");
    }

    #[test]
    fn formulas_in_text_are_neutralised_and_numbers_stay_numbers() {
        for formula in ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(formula), format!("'{formula}"), "{formula:?}");
        }
        for plain in ["Anna", "'quoted", " =1", "1-2"] {
            assert_eq!(neutralise(plain), plain);
        }
        let text = written(&[&[Cell::Text("=1+1"), Cell::Value("-12.50")]]);
        assert_eq!(text, "a,b\n'=1+1,-12.50\n");
    }
}
