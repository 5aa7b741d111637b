//! Accounts receivable ageing per currency: what is still open today on issued invoices, by
//! days past the due date (current, 1-30, 31-60, 61-90, over 90), and the invoices behind each
//! figure. Open is what `invoice_balances` calls open (amount due less credit notes and
//! payments), computed here with grouped joins so a million invoices is one pass.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Int4, Numeric, Text};
use rust_decimal::Decimal;

use super::{Filter, ReportError};

/// The buckets in order; `bucket` in rows and drill-downs is an index into this.
pub const BUCKETS: [Bucket; 5] =
    [Bucket::Current, Bucket::Days1To30, Bucket::Days31To60, Bucket::Days61To90, Bucket::Over90];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl Bucket {
    pub fn code(self) -> &'static str {
        match self {
            Bucket::Current => "current",
            Bucket::Days1To30 => "1-30",
            Bucket::Days31To60 => "31-60",
            Bucket::Days61To90 => "61-90",
            Bucket::Over90 => "over-90",
        }
    }

    pub fn parse(code: &str) -> Option<Bucket> {
        BUCKETS.into_iter().find(|b| b.code() == code)
    }

    fn index(self) -> i32 {
        BUCKETS.iter().position(|b| *b == self).unwrap_or(0) as i32
    }

    /// The bucket of an invoice `days` past its due date (zero or less is current).
    pub fn of(days: i64) -> Bucket {
        match days {
            ..=0 => Bucket::Current,
            1..=30 => Bucket::Days1To30,
            31..=60 => Bucket::Days31To60,
            61..=90 => Bucket::Days61To90,
            _ => Bucket::Over90,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Row {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Int4)]
    pub bucket: i32,
    #[diesel(sql_type = BigInt)]
    pub invoices: i64,
    #[diesel(sql_type = Numeric)]
    pub open: Decimal,
}

impl Row {
    pub fn bucket(&self) -> Bucket {
        BUCKETS.get(self.bucket as usize).copied().unwrap_or(Bucket::Current)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct OpenInvoice {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = Text)]
    pub customer_number: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Date)]
    pub due_date: chrono::NaiveDate,
    #[diesel(sql_type = Int4)]
    pub days_overdue: i32,
    #[diesel(sql_type = Numeric)]
    pub open: Decimal,
}

/// Invoices issued in the period that are open today, with their days past due (`$5` = today).
const OPEN: &str = "SELECT i.id, i.number, i.due_date, trim(i.currency) AS currency,
                           COALESCE(i.customer_snapshot->>'number', '') AS customer_number,
                           COALESCE(i.customer_snapshot->>'country', '') AS country,
                           ($5::date - i.due_date) AS days_overdue,
                           i.amount_due - COALESCE(c.credited, 0) - COALESCE(p.paid, 0) AS open
                      FROM invoices i
                      LEFT JOIN (SELECT credited_invoice_id AS id, sum(gross) AS credited FROM invoices
                                  WHERE credited_invoice_id IS NOT NULL GROUP BY 1) c ON c.id = i.id
                      LEFT JOIN (SELECT invoice_id AS id, sum(amount) AS paid FROM payment_allocations GROUP BY 1) p
                             ON p.id = i.id
                     WHERE i.kind = 'invoice' AND i.issue_date BETWEEN $1 AND $2
                       AND ($3::text IS NULL OR i.customer_snapshot->>'country' = $3)
                       AND ($4::text IS NULL OR i.currency = $4)
                       AND i.amount_due - COALESCE(c.credited, 0) - COALESCE(p.paid, 0) > 0";

const BUCKET_SQL: &str = "CASE WHEN days_overdue <= 0 THEN 0 WHEN days_overdue <= 30 THEN 1
                               WHEN days_overdue <= 60 THEN 2 WHEN days_overdue <= 90 THEN 3 ELSE 4 END";

/// Count and open amount per currency and bucket (buckets with nothing open are left out).
pub fn rows(
    conn: &mut PgConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
) -> Result<Vec<Row>, ReportError> {
    Ok(filter
        .query(format!(
            "SELECT currency, {BUCKET_SQL} AS bucket, count(*)::int8 AS invoices, sum(open) AS open
           FROM ({OPEN}) o GROUP BY 1, 2 ORDER BY 1, 2"
        ))
        .bind::<Date, _>(today)
        .load(conn)?)
}

/// The open invoices of one currency and bucket, longest overdue first, at most `limit`.
pub fn invoices(
    conn: &mut PgConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
    currency: &str,
    bucket: Bucket,
    limit: i64,
) -> Result<Vec<OpenInvoice>, ReportError> {
    Ok(filter
        .query(format!(
            "SELECT id, number, customer_number, country, due_date, days_overdue, open
           FROM ({OPEN}) o WHERE currency = $6 AND {BUCKET_SQL} = $7
          ORDER BY days_overdue DESC, number LIMIT $8"
        ))
        .bind::<Date, _>(today)
        .bind::<Text, _>(currency)
        .bind::<Int4, _>(bucket.index())
        .bind::<BigInt, _>(limit)
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fall_in_the_buckets_their_names_say() {
        let cases =
            [(-5, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60")];
        for (days, code) in cases.into_iter().chain([(61, "61-90"), (90, "61-90"), (91, "over-90")]) {
            assert_eq!(Bucket::of(days).code(), code, "{days}");
            assert_eq!(Bucket::parse(code), Some(Bucket::of(days)));
        }
    }
}
