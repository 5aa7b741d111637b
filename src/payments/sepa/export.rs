//! `kontor sepa export`: every open EUR invoice due by the collection date of a customer with
//! an active mandate becomes a pending collection and a transaction in one pain.008 file.
//! The collections are written in the caller's transaction; the partial unique index on
//! `direct_debit_collections (invoice_id)` makes a concurrent or second export skip what is
//! already collected (ON CONFLICT DO NOTHING), so no invoice is ever in two files.
//!
//! The pain.008 document is stored in the export's row in the same transaction, so pending
//! collections never exist without it. The file on disk is written from it after the commit
//! (a temporary file of this export's own, synced, then linked into place without replacing
//! anything), and [`write_file`] (`kontor sepa file ID`) writes it again at any time.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::SepaError;
use super::pain008::{self, Amendment, Block, Creditor, MandateAccount, Message, Transaction, Version};
use crate::money::Money;

/// Who collects: the seller's EUR account, address and SEPA creditor identifier; and the
/// pain.008 version the bank takes.
#[derive(Debug, Clone)]
pub struct ExportSettings {
    pub creditor: Creditor,
    pub version: Version,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// None when nothing was due: no file, no export row.
    pub export_id: Option<i64>,
    pub message_id: Option<String>,
    pub count: usize,
    pub first: usize,
    pub recurring: usize,
    pub control_sum: Decimal,
    pub file_sha256: Option<String>,
    /// The pain.008 file, empty when nothing was due.
    pub xml: Vec<u8>,
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = BigInt)]
    mandate_id: i64,
    #[diesel(sql_type = Text)]
    end_to_end_id: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Text)]
    sequence_type: String,
    #[diesel(sql_type = Text)]
    payment_reference: String,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Date)]
    signed_on: NaiveDate,
    #[diesel(sql_type = Text)]
    debtor_name: String,
    #[diesel(sql_type = Text)]
    iban: String,
    #[diesel(sql_type = Nullable<Text>)]
    bic: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    replaced_reference: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    replaced_iban: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    replaced_bic: Option<String>,
}

impl Claimed {
    /// Only the first collection under a mandate that replaced another tells the bank what
    /// changed; later ones refer to the new mandate alone.
    fn amendment(&self) -> Option<Amendment> {
        let (Some(reference), Some(iban)) = (&self.replaced_reference, &self.replaced_iban) else {
            return None;
        };
        if self.sequence_type != "FRST" {
            return None;
        }
        Amendment::between(
            MandateAccount { reference, iban, bic: self.replaced_bic.as_deref() },
            MandateAccount { reference: &self.reference, iban: &self.iban, bic: self.bic.as_deref() },
        )
    }
}

/// The invoices an export with collection date `$1` collects, with their mandate; `nth` counts
/// a mandate's invoices (its first is FRST if the mandate has had no collection).
pub(super) fn due_sql() -> String {
    format!(
        "SELECT i.id AS invoice_id, i.customer_id, i.number, i.payment_reference, i.due_date,
                b.open_amount, m.id AS mandate_id, m.sequence,
                row_number() OVER (PARTITION BY m.id ORDER BY i.id) AS nth
           FROM invoices i
           JOIN invoice_balances b ON b.invoice_id = i.id
           JOIN sepa_mandates m ON m.customer_id = i.customer_id AND m.status = 'active'
          WHERE i.kind = 'invoice' AND i.currency = 'EUR' AND i.due_date <= $1
            AND ({may})",
        may = crate::collections::direct_debit::MAY_BE_COLLECTED
    )
}

/// Claims the due invoices as pending collections and builds the file, in a transaction (a
/// savepoint in the caller's): write the file before the caller commits (see
/// [`export_to_file`]).
pub fn export_collections(
    conn: &mut PgConnection,
    settings: &ExportSettings,
    collection_date: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ExportSummary, SepaError> {
    conn.transaction(|conn| export_in_transaction(conn, settings, collection_date, today, now))
}

fn export_in_transaction(
    conn: &mut PgConnection,
    settings: &ExportSettings,
    collection_date: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ExportSummary, SepaError> {
    if collection_date < today {
        return Err(SepaError::CollectionDateInPast(collection_date));
    }
    let export_id = crate::db::sequence::reserve_ids(conn, "direct_debit_exports", 1)?
        .first()
        .copied()
        .ok_or(diesel::result::Error::NotFound)?;
    // A mandate's first collection in this file is FRST (if the mandate has had none), every
    // other RCUR; row_number orders a mandate's invoices by id.
    let claimed: Vec<Claimed> = diesel::sql_query(format!(
        "WITH due AS ({due}), inserted AS (
           INSERT INTO direct_debit_collections
                  (invoice_id, customer_id, mandate_id, end_to_end_id, amount, currency,
                   collection_date, sequence_type, export_id)
           SELECT invoice_id, customer_id, mandate_id, 'KONTOR-' || number || '-' || $2::text, open_amount,
                  'EUR', $1, CASE WHEN sequence = 'first' AND nth = 1 THEN 'FRST' ELSE 'RCUR' END, $3
             FROM due WHERE open_amount > 0
           ON CONFLICT (invoice_id) WHERE status <> 'returned' DO NOTHING
           RETURNING invoice_id, mandate_id, end_to_end_id, amount, sequence_type
         )
         SELECT ins.mandate_id, ins.end_to_end_id, ins.amount, ins.sequence_type, i.payment_reference,
                m.reference, m.signed_on, m.debtor_name, m.iban, m.bic,
                p.reference AS replaced_reference, p.iban AS replaced_iban, p.bic AS replaced_bic
           FROM inserted ins
           JOIN invoices i ON i.id = ins.invoice_id
           JOIN sepa_mandates m ON m.id = ins.mandate_id
           LEFT JOIN sepa_mandates p ON p.id = m.replaces_id
          ORDER BY ins.sequence_type, ins.end_to_end_id",
        due = due_sql()
    ))
    .bind::<Date, _>(collection_date)
    .bind::<Text, _>(export_id.to_string())
    .bind::<BigInt, _>(export_id)
    .load(conn)?;
    if claimed.is_empty() {
        return Ok(ExportSummary {
            export_id: None,
            message_id: None,
            count: 0,
            first: 0,
            recurring: 0,
            control_sum: Decimal::ZERO,
            file_sha256: None,
            xml: Vec::new(),
        });
    }
    let message_id = format!("KONTOR-DD-{export_id}-{}", collection_date.format("%Y%m%d"));
    let mut first = Vec::new();
    let mut recurring = Vec::new();
    let mut control_sum = Decimal::ZERO;
    let mut mandates_first: Vec<i64> = Vec::new();
    for row in claimed {
        control_sum += row.amount;
        let amendment = row.amendment();
        let tx = Transaction {
            end_to_end_id: row.end_to_end_id,
            amount: Money::new(row.amount, iso_currency::Currency::EUR),
            mandate_reference: row.reference,
            signed_on: row.signed_on,
            amendment,
            debtor_name: row.debtor_name,
            debtor_iban: row.iban,
            debtor_bic: row.bic,
            rf_reference: row.payment_reference,
        };
        if row.sequence_type == "FRST" {
            mandates_first.push(row.mandate_id);
            first.push(tx);
        } else {
            recurring.push(tx);
        }
    }
    let (first_count, recurring_count) = (first.len(), recurring.len());
    let message = Message {
        version: settings.version,
        message_id: message_id.clone(),
        created_at: now,
        creditor: settings.creditor.clone(),
        blocks: vec![
            Block { sequence_type: "FRST", collection_date, transactions: first },
            Block { sequence_type: "RCUR", collection_date, transactions: recurring },
        ],
    };
    let xml = pain008::write(&message)?;
    let sha = hex::encode(Sha256::digest(&xml));
    let count = first_count + recurring_count;
    diesel::sql_query(
        "INSERT INTO direct_debit_exports (id, message_id, collection_date, file_sha256, count, control_sum, document)
         OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind::<BigInt, _>(export_id)
    .bind::<Text, _>(&message_id)
    .bind::<Date, _>(collection_date)
    .bind::<Text, _>(&sha)
    .bind::<diesel::sql_types::Integer, _>(i32::try_from(count).unwrap_or(i32::MAX))
    .bind::<Numeric, _>(control_sum)
    .bind::<diesel::sql_types::Binary, _>(&xml)
    .execute(conn)?;
    {
        use crate::db::schema::sepa_mandates as m;
        // A FRST collection has gone out: the mandate's next ones are RCUR.
        diesel::update(m::table.filter(m::id.eq_any(&mandates_first)))
            .set(m::sequence.eq("recurring"))
            .execute(conn)?;
    }
    Ok(ExportSummary {
        export_id: Some(export_id),
        message_id: Some(message_id),
        count,
        first: first_count,
        recurring: recurring_count,
        control_sum,
        file_sha256: Some(sha),
        xml,
    })
}

/// Exports and writes the file. The collections and their document are committed first; the
/// file is then written from the document (see the module documentation). `out` must not
/// exist: an export never replaces a file, so two exports to one name cannot lose one. If the
/// file cannot be written after the commit, the error names the export, whose file
/// [`write_file`] writes from the database.
pub fn export_to_file(
    conn: &mut PgConnection,
    settings: &ExportSettings,
    collection_date: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    out: &std::path::Path,
) -> Result<ExportSummary, SepaError> {
    if out.exists() {
        return Err(SepaError::FileExists(out.to_owned()));
    }
    let summary = export_collections(conn, settings, collection_date, today, now)?;
    crate::failpoint::hit("sepa-export-after-commit");
    if let Some(export_id) = summary.export_id {
        place(out, export_id, &summary.xml).map_err(|e| SepaError::FileNotWritten {
            export_id,
            path: out.to_owned(),
            reason: e.to_string(),
        })?;
    }
    Ok(summary)
}

/// The stored pain.008 document of an export: (message id, bytes).
pub fn document(conn: &mut PgConnection, export_id: i64) -> Result<(String, Vec<u8>), SepaError> {
    use crate::db::schema::direct_debit_exports as e;
    let (message_id, sha, document): (String, String, Option<Vec<u8>>) = e::table
        .find(export_id)
        .select((e::message_id, e::file_sha256, e::document))
        .first(conn)
        .optional()?
        .ok_or(SepaError::UnknownExport(export_id))?;
    let document = document.ok_or(SepaError::UnknownExport(export_id))?;
    if hex::encode(Sha256::digest(&document)) != sha {
        return Err(SepaError::Corrupt(format!(
            "export {export_id}: the document does not match its SHA-256"
        )));
    }
    Ok((message_id, document))
}

/// Writes the stored document of an export to `out` (which must not exist), byte for byte as
/// exported. Returns the message id.
pub fn write_file(
    conn: &mut PgConnection,
    export_id: i64,
    out: &std::path::Path,
) -> Result<String, SepaError> {
    if out.exists() {
        return Err(SepaError::FileExists(out.to_owned()));
    }
    let (message_id, document) = document(conn, export_id)?;
    place(out, export_id, &document).map_err(|e| SepaError::Xml(format!("{}: {e}", out.display())))?;
    Ok(message_id)
}

/// Writes `bytes` to a temporary file of this export and process beside `out`, syncs it, and
/// links it into place: the link fails rather than replace a file that appeared meanwhile.
fn place(out: &std::path::Path, export_id: i64, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.export-{export_id}.{}.partial", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        crate::failpoint::hit("sepa-file-before-link");
        std::fs::hard_link(&temporary, out)?;
        std::fs::File::open(&dir)?.sync_all()
    })();
    let _ = std::fs::remove_file(&temporary);
    written
}
