//! A batch chunk's PDFs and emails made before its numbers are reserved (see `forecast`), so
//! that the counter is held only while rows are written. Each draft becomes the very document
//! `documents::model::load` reads back once the invoice is written, with the number the
//! forecast promises; after reserving, whatever got another number is rendered again.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use diesel::prelude::*;

use super::InvoicingError;
use super::forecast::{NumberForecast, Turn};
use super::issue::{Draft, Issued};
use super::numbering::{self, Series};
use crate::documents::DocumentError;
use crate::documents::how_to_pay::{MandateFacts, active_mandates};
use crate::documents::model::{Head, InvoiceDocument, Kind, assemble};
use crate::documents::publish::{Published, Publishing, Ready, render_ready, render_written, store_ready};
use crate::i18n::Lang;
use crate::references::rf_reference;

/// What a chunk prepared before locking the counter.
pub struct Ahead<'a> {
    /// The invoices' ids, one per draft, for `issue_numbered`.
    pub invoice_ids: Vec<i64>,
    document_ids: Vec<i64>,
    turn: Option<Turn<'a>>,
    /// Per draft: its document, rendered with the forecast number, if it could be.
    ready: Vec<Option<Ready>>,
}

/// Reserves the chunk's ids, takes its turn and renders what the forecast allows. Drafts whose
/// document depends on rows written at issue (applied credit shows the compensation it used)
/// are left for after.
pub fn prepare<'a>(
    conn: &mut PgConnection,
    forecast: &'a NumberForecast,
    drafts: &[Draft],
    publishing: &Publishing,
) -> Result<Ahead<'a>, InvoicingError> {
    let invoice_ids = crate::db::sequence::reserve_ids(conn, "invoices", drafts.len())?;
    let document_ids = crate::db::sequence::reserve_ids(conn, "documents", drafts.len())?;
    let mut ready: Vec<Option<Ready>> = drafts.iter().map(|_| None).collect();
    let years: BTreeSet<i32> = drafts.iter().map(|d| d.issue_date.year()).collect();
    let (Some(&year), 1) = (years.first(), years.len()) else {
        return Ok(Ahead { invoice_ids, document_ids, turn: None, ready });
    };
    let count = drafts.len() as i64;
    let counter = numbering::peek(conn, Series::Invoice, year)?.unwrap_or(1);
    let turn = forecast.turn(Series::Invoice, year, count, counter);
    let Some(first) = turn.first else {
        return Ok(Ahead { invoice_ids, document_ids, turn: Some(turn), ready });
    };
    let customers: Vec<i64> = drafts.iter().map(|d| d.customer_id).collect();
    let mandates = active_mandates(conn, &customers).map_err(|e| InvoicingError::Corrupt(e.to_string()))?;
    let requested = crate::documents::publish::e_invoice_customers(conn, &customers)?;
    let mut documents = Vec::new();
    let mut slots = Vec::new();
    for (index, (draft, id)) in drafts.iter().zip(&invoice_ids).enumerate() {
        if draft.totals.credit_applied.is_positive() || draft.credited_invoice_id.is_some() {
            continue;
        }
        let number = Series::Invoice.number(year, first + index as i64);
        // `how_to_pay::decide` uses a mandate only for what it collects (EUR invoices).
        let document = unwritten(draft, *id, number, mandates.get(&draft.customer_id).cloned())?;
        let facturx = crate::documents::facturx::wanted(
            &document,
            requested.contains(&draft.customer_id),
            publishing.facturx_threshold_eur,
        );
        documents.push((document, facturx));
        slots.push(index);
    }
    let ids: Vec<i64> = slots.iter().filter_map(|i| document_ids.get(*i).copied()).collect();
    for (slot, rendered) in slots.into_iter().zip(render_ready(&documents, &ids, publishing)?) {
        if let Some(place) = ready.get_mut(slot) {
            *place = Some(rendered);
        }
    }
    Ok(Ahead { invoice_ids, document_ids, turn: Some(turn), ready })
}

impl Ahead<'_> {
    /// Waits for the chunks ahead to reserve their numbers; then the caller reserves its own
    /// and tells [`Ahead::numbered`].
    pub fn wait_for_turn(&self) {
        if let Some(turn) = &self.turn {
            turn.wait();
        }
    }

    /// The chunk reserved `count` numbers from `first`.
    pub fn numbered(&mut self, first: i64, count: i64) {
        if let Some(turn) = self.turn.take() {
            turn.reserved(first, count);
        }
    }

    /// Stores the documents of `issued` (the drafts' invoices, in order) and queues their
    /// emails: as rendered ahead where the number came true, rendered now otherwise.
    pub fn publish(
        mut self,
        conn: &mut PgConnection,
        issued: &[Issued],
        publishing: &Publishing,
    ) -> Result<Published, InvoicingError> {
        let mut again: BTreeMap<i64, (usize, i64)> = BTreeMap::new();
        for (index, (issued, document_id)) in issued.iter().zip(&self.document_ids).enumerate() {
            let came_true = self.ready.get(index).and_then(|r| r.as_ref()).is_some_and(|ready| {
                ready.pdf.invoice_id == issued.id && ready.pdf.file_name == format!("{}.pdf", issued.number)
            });
            if !came_true {
                again.insert(issued.id, (index, *document_id));
            }
        }
        crate::phases::lap("forecast checked");
        if !again.is_empty() {
            let invoices: Vec<i64> = again.keys().copied().collect();
            let documents: Vec<i64> = again.values().map(|(_, document)| *document).collect();
            for (ready, (index, _)) in
                render_written(conn, &invoices, &documents, publishing)?.into_iter().zip(again.values())
            {
                if let Some(place) = self.ready.get_mut(*index) {
                    *place = Some(ready);
                }
            }
        }
        let ready: Vec<Ready> = self.ready.into_iter().flatten().collect();
        if ready.len() != issued.len() {
            return Err(InvoicingError::Corrupt("a document without its PDF".to_owned()));
        }
        Ok(store_ready(conn, ready, &publishing.site.mail_domain)?)
    }
}

/// The document `draft` shows once issued as invoice `id` with `number`, as `load` would read
/// it back.
fn unwritten(
    draft: &Draft,
    id: i64,
    number: String,
    mandate: Option<MandateFacts>,
) -> Result<InvoiceDocument, DocumentError> {
    let t = &draft.totals;
    let mut vat_rows: Vec<_> = t.vat_rows.iter().map(|r| (r.rate, r.net.amount(), r.vat.amount())).collect();
    vat_rows.sort_by_key(|(rate, _, _)| *rate);
    assemble(
        Head {
            id,
            kind: Kind::Invoice,
            payment_reference: rf_reference(&number),
            number,
            issue_date: draft.issue_date,
            due_date: draft.due_date,
            service_from: draft.service_from,
            service_until: draft.service_until,
            currency: draft.currency,
            lines: t
                .lines
                .iter()
                .map(|l| {
                    let input = &l.input;
                    (
                        input.description.clone(),
                        input.quantity,
                        input.unit_price.amount(),
                        input.net.amount(),
                        input.vat_rate,
                    )
                })
                .collect(),
            vat_rows,
            net: t.net.amount(),
            vat: t.vat.amount(),
            gross: t.gross.amount(),
            credit_applied: t.credit_applied.amount(),
            amount_due: t.amount_due.amount(),
            vat_note: draft.vat_note.clone(),
            vat_treatment: draft.vat_treatment.clone(),
            language: Lang::supported(&draft.language).unwrap_or_else(Lang::english),
            customer: &draft.customer_snapshot,
            seller: &draft.seller_snapshot,
            credited_number: None,
            reason: draft.reason.clone(),
        },
        Vec::new(),
        mandate,
    )
}
