//! The VAT returns, computed from the issued invoices and credit notes (which never change):
//!
//! - **OSS** per quarter: per member state of consumption (never the seller's own) and rate,
//!   the taxable amount and the VAT in EUR. Amounts in other currencies are converted at the
//!   ECB reference rate of the quarter's last day (Art. 366 of the VAT Directive), per
//!   (country, rate, currency) and rounded to the cent. A credit note for an invoice of an
//!   earlier quarter is a correction of that quarter (Art. 61 of Implementing Regulation 282/2011): listed
//!   separately, per quarter and country, converted at that quarter's rate so it undoes
//!   exactly what was declared. Nothing sold: a nil return.
//! - **Domestic** VAT (the seller's country) per month, and the **non-EU registrations**
//!   (Norway VOEC, Swiss VAT, UK VAT) per quarter, each in its own currency; a credit note
//!   simply lowers the period it is issued in, as those returns want.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Date, Numeric, Text};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{AccountingError, Quarter, fx};

/// One figure of a return: a country and rate's taxable amount and VAT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatLine {
    pub country: String,
    pub rate: Decimal,
    pub currency: String,
    pub taxable: Decimal,
    pub vat: Decimal,
}

/// A correction of an earlier quarter's OSS return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub quarter: Quarter,
    pub country: String,
    pub taxable: Decimal,
    pub vat: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OssReturn {
    pub quarter: Quarter,
    /// Per member state of consumption and rate, in EUR, sorted.
    pub supplies: Vec<VatLine>,
    pub corrections: Vec<Correction>,
    /// The ECB rates used: (currency, the quarter whose last day they belong to, rate).
    pub rates: Vec<(String, Quarter, Decimal)>,
}

impl OssReturn {
    pub fn is_nil(&self) -> bool {
        self.supplies.is_empty() && self.corrections.is_empty()
    }

    /// What is owed: the VAT of the supplies plus the corrections (negative when credited).
    pub fn total_vat(&self) -> Decimal {
        self.supplies.iter().map(|l| l.vat).sum::<Decimal>()
            + self.corrections.iter().map(|c| c.vat).sum::<Decimal>()
    }
}

#[derive(QueryableByName, Debug)]
struct Sum {
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = Numeric)]
    rate: Decimal,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Date)]
    origin: NaiveDate,
    #[diesel(sql_type = Numeric)]
    taxable: Decimal,
    #[diesel(sql_type = Numeric)]
    vat: Decimal,
}

/// The sums of the documents of `treatment` issued in [from, until), per country, rate,
/// currency and the day the quarter of the (credited) invoice began. Credit notes count
/// negative. One set-based query over `invoices` and `invoice_vat`.
fn sums(
    conn: &mut PgConnection,
    treatment: &str,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<Sum>, AccountingError> {
    Ok(diesel::sql_query(
        "SELECT i.customer_snapshot->>'country' AS country, v.rate, i.currency::text AS currency,
                date_trunc('quarter', coalesce(o.issue_date, i.issue_date))::date AS origin,
                sum(CASE WHEN i.kind = 'credit_note' THEN -v.net ELSE v.net END) AS taxable,
                sum(CASE WHEN i.kind = 'credit_note' THEN -v.vat ELSE v.vat END) AS vat
           FROM invoices i
           JOIN invoice_vat v ON v.invoice_id = i.id
           LEFT JOIN invoices o ON o.id = i.credited_invoice_id
          WHERE i.vat_treatment = $1 AND i.issue_date >= $2 AND i.issue_date < $3
          GROUP BY 1, 2, 3, 4
          ORDER BY 1, 2, 3, 4",
    )
    .bind::<Text, _>(treatment)
    .bind::<Date, _>(from)
    .bind::<Date, _>(until)
    .load(conn)?)
}

/// Cents, halves away from zero (as tax authorities round).
pub fn to_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `amount` in `currency` as EUR at `rate` (units per EUR), to the cent.
pub fn in_eur(amount: Decimal, rate: Decimal) -> Decimal {
    to_cents(amount / rate)
}

/// The OSS return of `quarter` for a seller established in `seller_country`.
pub fn oss(
    conn: &mut PgConnection,
    quarter: Quarter,
    seller_country: &str,
) -> Result<OssReturn, AccountingError> {
    let rows = sums(conn, "oss", quarter.first_day(), quarter.end())?;
    let mut rates: BTreeMap<(String, Quarter), Decimal> = BTreeMap::new();
    let mut supplies: BTreeMap<(String, Decimal), (Decimal, Decimal)> = BTreeMap::new();
    let mut corrections: BTreeMap<(Quarter, String), (Decimal, Decimal)> = BTreeMap::new();
    for row in rows.into_iter().filter(|r| r.country != seller_country) {
        let origin = Quarter::containing(row.origin);
        let (taxable, vat) = if row.currency == "EUR" {
            (row.taxable, row.vat)
        } else {
            let key = (row.currency.clone(), origin);
            let rate = match rates.get(&key) {
                Some(rate) => *rate,
                None => {
                    let rate = fx::rate_for(conn, &row.currency, origin.last_day())?;
                    rates.insert(key, rate);
                    rate
                }
            };
            (in_eur(row.taxable, rate), in_eur(row.vat, rate))
        };
        let sum = if origin == quarter {
            supplies.entry((row.country, row.rate.normalize())).or_default()
        } else {
            corrections.entry((origin, row.country)).or_default()
        };
        sum.0 += taxable;
        sum.1 += vat;
    }
    Ok(OssReturn {
        quarter,
        supplies: supplies
            .into_iter()
            .map(|((country, rate), (taxable, vat))| VatLine {
                country,
                rate,
                currency: "EUR".into(),
                taxable,
                vat,
            })
            .collect(),
        corrections: corrections
            .into_iter()
            .map(|((quarter, country), (taxable, vat))| Correction { quarter, country, taxable, vat })
            .collect(),
        rates: rates.into_iter().map(|((currency, quarter), rate)| (currency, quarter, rate)).collect(),
    })
}

/// The domestic VAT of the days [from, until) (a month), or of a non-EU registration's
/// quarter: per country, rate and currency, in the invoices' own currency.
pub fn in_own_currency(
    conn: &mut PgConnection,
    treatment: Treatment,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<VatLine>, AccountingError> {
    let mut lines: BTreeMap<(String, Decimal, String), (Decimal, Decimal)> = BTreeMap::new();
    for row in sums(conn, treatment.code(), from, until)? {
        let sum = lines.entry((row.country, row.rate.normalize(), row.currency)).or_default();
        sum.0 += row.taxable;
        sum.1 += row.vat;
    }
    Ok(lines
        .into_iter()
        .map(|((country, rate, currency), (taxable, vat))| VatLine { country, rate, currency, taxable, vat })
        .collect())
}

/// The returns kept in the invoices' own currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// The seller's own country, per month.
    Domestic,
    /// Registrations outside the EU (`KONTOR_VAT_REGISTRATIONS`), per quarter.
    Local,
}

impl Treatment {
    fn code(self) -> &'static str {
        match self {
            Treatment::Domestic => "domestic",
            Treatment::Local => "local",
        }
    }
}

/// The OSS return as CSV: `section,period,country,rate,taxable_eur,vat_eur`, supplies first,
/// then corrections (period = the corrected quarter), then the total. A nil return has only
/// the total line (0.00).
pub fn oss_csv(oss: &OssReturn, out: impl std::io::Write) -> Result<(), AccountingError> {
    use crate::csv_export::{Cell, CsvWriter};
    let write = |e: crate::csv_export::CsvError| AccountingError::Write(e.to_string());
    let mut csv = CsvWriter::new(out, &["section", "period", "country", "rate", "taxable_eur", "vat_eur"])
        .map_err(write)?;
    let period = oss.quarter.to_string();
    for line in &oss.supplies {
        let (rate, taxable, vat) = (line.rate.to_string(), money(line.taxable), money(line.vat));
        csv.row(&[
            Cell::Value("supply"),
            Cell::Value(&period),
            Cell::Value(&line.country),
            Cell::Value(&rate),
            Cell::Value(&taxable),
            Cell::Value(&vat),
        ])
        .map_err(write)?;
    }
    for correction in &oss.corrections {
        let (corrected, taxable, vat) =
            (correction.quarter.to_string(), money(correction.taxable), money(correction.vat));
        csv.row(&[
            Cell::Value("correction"),
            Cell::Value(&corrected),
            Cell::Value(&correction.country),
            Cell::Value(""),
            Cell::Value(&taxable),
            Cell::Value(&vat),
        ])
        .map_err(write)?;
    }
    let total = money(oss.total_vat());
    csv.row(&[
        Cell::Value("total"),
        Cell::Value(&period),
        Cell::Value(""),
        Cell::Value(""),
        Cell::Value(""),
        Cell::Value(&total),
    ])
    .map_err(write)?;
    csv.finish().map_err(write)
}

fn money(amount: Decimal) -> String {
    format!("{:.2}", to_cents(amount))
}
