//! What the pain.008 and pain.001 writers share: a thin quick-xml writer, exact amounts and
//! text in the SEPA character set.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::SepaError;
use crate::money::Money;

/// `12.30`: whole cents, written from the integer count so no rounding can creep in.
pub fn amount_text(amount: Money) -> Result<String, SepaError> {
    let cents = amount.to_minor()?;
    Ok(format!("{}.{:02}", cents / 100, cents % 100))
}

pub(super) fn sum(transactions: impl Iterator<Item = Money>) -> Result<Money, SepaError> {
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

pub(super) struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A document whose root `Document` element is in `namespace`, opened.
    pub(super) fn document(namespace: &str) -> Result<Xml, SepaError> {
        let mut x = Xml { writer: Writer::new_with_indent(Vec::new(), b' ', 2) };
        x.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut root = BytesStart::new("Document");
        root.push_attribute(("xmlns", namespace));
        root.push_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
        x.event(Event::Start(root))?;
        Ok(x)
    }

    /// Closes the root and returns the bytes, ending in a newline.
    pub(super) fn finish(mut self) -> Result<Vec<u8>, SepaError> {
        self.close("Document")?;
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        Ok(bytes)
    }

    pub(super) fn open(&mut self, name: &str) -> Result<(), SepaError> {
        self.event(Event::Start(BytesStart::new(name)))
    }

    pub(super) fn close(&mut self, name: &str) -> Result<(), SepaError> {
        self.event(Event::End(BytesEnd::new(name)))
    }

    pub(super) fn leaf(&mut self, name: &str, text: &str) -> Result<(), SepaError> {
        self.open(name)?;
        self.event(Event::Text(BytesText::new(text)))?;
        self.close(name)
    }

    /// Opens each element of `path` in turn, writes `text` in the last, closes them all.
    pub(super) fn path(&mut self, path: &[&str], text: &str) -> Result<(), SepaError> {
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

    /// `<name Ccy="EUR">12.30</name>`.
    pub(super) fn amount(&mut self, name: &str, amount: Money) -> Result<(), SepaError> {
        let mut start = BytesStart::new(name);
        start.push_attribute(("Ccy", amount.currency().code()));
        self.event(Event::Start(start))?;
        self.event(Event::Text(BytesText::new(&amount_text(amount)?)))?;
        self.close(name)
    }

    /// The SEPA scheme identification of a creditor identifier (`Id/PrvtId/Othr`).
    pub(super) fn creditor_scheme_id(&mut self, creditor_id: &str) -> Result<(), SepaError> {
        self.open("Id")?;
        self.open("PrvtId")?;
        self.open("Othr")?;
        self.leaf("Id", creditor_id)?;
        self.path(&["SchmeNm", "Prtry"], "SEPA")?;
        self.close("Othr")?;
        self.close("PrvtId")?;
        self.close("Id")
    }

    pub(super) fn event(&mut self, event: Event<'_>) -> Result<(), SepaError> {
        self.writer.write_event(event).map_err(|e| SepaError::Xml(e.to_string()))
    }
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
