//! The invoice and credit note as pages: letterhead, a DIN 5008 (form B) window address,
//! the facts block, the lines table (breaking across pages under a repeated header), VAT
//! breakdown and totals, legal notes, how to pay, and on every page the company footer and
//! "page x of y". The last page of a CHF invoice ends in the Swiss QR-bill payment part.

use fluent_templates::fluent_bundle::FluentValue;

use super::canvas::{Align, Canvas, line_height};
use super::model::{InvoiceDocument, Kind};
use super::payment::Payment;
use super::printed::grouped;
use super::swiss_bill;
use crate::documents::how_to_pay::Medium;
use crate::fonts::{Fonts, Style};
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t, t_args};

const LEFT: f32 = 25.0;
const RIGHT: f32 = 190.0;
const INFO_X: f32 = 125.0;
const INFO_VALUE_X: f32 = 157.0;
/// Where content stops, above the footer.
const CONTENT_END: f32 = 266.0;
const FOOTER_TOP: f32 = 272.0;

const BODY: Style = Style::regular(9.0);
const BODY_BOLD: Style = Style::bold(9.0);
const SMALL: Style = Style::regular(7.0);
const TABLE: Style = Style::regular(8.5);
const TABLE_BOLD: Style = Style::bold(8.5);

const COL_POS: f32 = LEFT;
const COL_DESCRIPTION: f32 = 33.0;
/// Space between columns.
const GAP: f32 = 4.0;

/// The lines table's columns, sized to their widest header or cell in this language and
/// currency: right edges (mm) of the numeric ones, the description takes what is left.
struct Columns {
    description_width: f32,
    quantity_right: f32,
    unit_right: f32,
    rate_right: f32,
    amount_right: f32,
}

/// Rows of the lines table as printed: quantity, unit price, VAT rate, amount.
type Cells = [String; 4];

/// One page being filled: its canvas and where the next line goes.
struct Page<'f> {
    canvas: Canvas<'f>,
    y: f32,
    /// Where this page's footer starts (higher on a page carrying the QR-bill).
    footer_top: f32,
}

pub struct Layout<'a> {
    doc: &'a InvoiceDocument,
    fonts: &'a Fonts,
    formats: Formats,
    payment: Option<&'a Payment>,
}

fn arg(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

impl<'a> Layout<'a> {
    pub fn new(doc: &'a InvoiceDocument, fonts: &'a Fonts, payment: Option<&'a Payment>) -> Layout<'a> {
        let formats = Formats::new(&doc.language, &doc.customer.country);
        Layout { doc, fonts, formats, payment }
    }

    fn lang(&self) -> &Lang {
        &self.doc.language
    }

    fn title(&self) -> String {
        title_of(self.doc)
    }

    fn new_page(&self, first: bool) -> Page<'a> {
        let mut page = Page { canvas: Canvas::new(self.fonts), y: 0.0, footer_top: FOOTER_TOP };
        self.letterhead(&mut page.canvas, first);
        page.y = if first { self.first_page_head(&mut page.canvas) } else { 38.0 };
        if !first {
            let continued = t_args(self.lang(), "pdf-continued", &[("title", arg(self.title()))]);
            page.canvas.text(LEFT, 32.0, &continued, BODY_BOLD, Align::Left);
        }
        page
    }

    /// The seller's mark and name top left, its address top right; fold and punch marks.
    fn letterhead(&self, canvas: &mut Canvas<'_>, first: bool) {
        let seller = &self.doc.seller;
        canvas.fill_rect(LEFT, 12.0, 9.0, 9.0, 0.15);
        let initial: String = seller.name.chars().take(1).collect();
        canvas.text_white(LEFT + 4.5, 19.0, &initial, Style::bold(14.0));
        canvas.text(LEFT + 12.0, 19.0, &seller.name, Style::bold(14.0), Align::Left);
        if first {
            let mut y = 14.0;
            for line in &seller.address {
                canvas.text(RIGHT, y, line, SMALL, Align::Right);
                y += line_height(SMALL);
            }
            // Fold mark for a window envelope and the punch mark.
            canvas.line((4.0, 105.0), (8.0, 105.0), 0.3);
            canvas.line((4.0, 148.5), (10.0, 148.5), 0.3);
        }
    }

    /// Return line, window address and the facts block; returns where the body starts.
    fn first_page_head(&self, canvas: &mut Canvas<'_>) -> f32 {
        let doc = self.doc;
        let lang = self.lang();
        let seller = &doc.seller;
        let mut return_line = vec![seller.name.clone()];
        return_line.extend(seller.address.iter().cloned());
        let return_line = return_line.join(" · ");
        canvas.text(LEFT, 59.0, &return_line, Style::regular(6.5), Align::Left);
        canvas.line((LEFT, 60.2), (LEFT + 85.0, 60.2), 0.25);

        let customer = &doc.customer;
        let mut address: Vec<String> = Vec::new();
        if let Some(company) = &customer.company_name {
            address.push(company.clone());
        }
        address.push(customer.name.clone());
        address.push(customer.street.clone());
        address.push(format!("{} {}", customer.postal_code, customer.city).trim().to_owned());
        let country = t(lang, &format!("country-{}", customer.country.to_lowercase()));
        address.push(country.to_uppercase());
        let mut y = 66.0;
        for line in address.iter().filter(|l| !l.is_empty()) {
            canvas.text(LEFT, y, line, Style::regular(10.0), Align::Left);
            y += 4.6;
        }

        let mut facts: Vec<(String, String)> = vec![
            (t(lang, "invoices-number"), doc.number.clone()),
            (t(lang, "pdf-date"), self.formats.date(doc.issue_date)),
            (t(lang, "invoices-customer-number"), doc.customer_number.clone()),
        ];
        if let (Some(from), Some(until)) = (doc.service_from, doc.service_until) {
            // Stored ends are exclusive (the next period's first day); people read the last
            // day served, as the lines, the invoice page and the email say.
            let last_day = until.pred_opt().unwrap_or(until);
            facts.push((
                t(lang, "invoices-service-period"),
                format!("{} – {}", self.formats.date(from), self.formats.date(last_day)),
            ));
        }
        if doc.kind == Kind::Invoice {
            facts.push((t(lang, "pdf-due-date"), self.formats.date(doc.due_date)));
        }
        if let Some(vat_id) = &customer.vat_id {
            facts.push((t(lang, "pdf-your-vat-id"), vat_id.clone()));
        }
        facts.push((t(lang, "pdf-our-vat-id"), seller.vat_id.clone()));
        let widest =
            facts.iter().map(|(l, _)| self.fonts.width_mm(l, Style::regular(8.0))).fold(0.0, f32::max);
        let value_x = INFO_VALUE_X.max(INFO_X + widest + 3.0);
        let mut y = 55.0;
        for (label, value) in facts {
            canvas.text(INFO_X, y, &label, Style::regular(8.0), Align::Left);
            canvas.text(value_x, y, &value, Style::regular(8.0), Align::Left);
            y += 4.4;
        }

        canvas.text(LEFT, 104.0, &self.title(), Style::bold(14.0), Align::Left);
        let mut y = 112.0;
        if doc.kind == Kind::CreditNote {
            if let Some(number) = &doc.credited_number {
                let text = t_args(lang, "pdf-corrects", &[("number", arg(number))]);
                y = canvas.paragraph(LEFT, y, RIGHT - LEFT, &text, BODY);
            }
            if let Some(reason) = &doc.reason {
                let text = format!("{}: {reason}", t(lang, "invoices-reason"));
                y = canvas.paragraph(LEFT, y, RIGHT - LEFT, &text, BODY);
            }
            y += 2.0;
        }
        y
    }

    fn headers(&self) -> Cells {
        let lang = self.lang();
        ["invoices-quantity", "invoices-unit-price", "invoices-vat-rate", "pdf-amount"].map(|id| t(lang, id))
    }

    fn cells(&self) -> Vec<Cells> {
        self.doc
            .lines
            .iter()
            .map(|line| {
                let quantity = line.quantity.normalize();
                [
                    self.formats.number(quantity, quantity.scale()),
                    self.formats.money(line.unit_price),
                    format!("{} %", self.formats.percent(line.vat_rate)),
                    self.formats.money(line.net),
                ]
            })
            .collect()
    }

    fn columns(&self, cells: &[Cells]) -> Columns {
        let headers = self.headers();
        let widest = |column: usize| {
            let header = headers.get(column).map(|h| self.fonts.width_mm(h, TABLE_BOLD)).unwrap_or(0.0);
            cells
                .iter()
                .filter_map(|row| row.get(column))
                .map(|cell| self.fonts.width_mm(cell, TABLE))
                .fold(header, f32::max)
        };
        let amount_right = RIGHT;
        let rate_right = amount_right - widest(3) - GAP;
        let unit_right = rate_right - widest(2) - GAP;
        let quantity_right = unit_right - widest(1) - GAP;
        let description_width = (quantity_right - widest(0) - GAP - COL_DESCRIPTION).max(30.0);
        Columns { description_width, quantity_right, unit_right, rate_right, amount_right }
    }

    fn table_header(&self, page: &mut Page<'_>, columns: &Columns) {
        let lang = self.lang();
        let y = page.y + 4.0;
        let [quantity, unit, rate, amount] = self.headers();
        let c = &mut page.canvas;
        c.text(COL_POS, y, &t(lang, "pdf-position"), TABLE_BOLD, Align::Left);
        c.text(COL_DESCRIPTION, y, &t(lang, "invoices-description"), TABLE_BOLD, Align::Left);
        c.text(columns.quantity_right, y, &quantity, TABLE_BOLD, Align::Right);
        c.text(columns.unit_right, y, &unit, TABLE_BOLD, Align::Right);
        c.text(columns.rate_right, y, &rate, TABLE_BOLD, Align::Right);
        c.text(columns.amount_right, y, &amount, TABLE_BOLD, Align::Right);
        c.line((LEFT, y + 1.8), (RIGHT, y + 1.8), 0.6);
        page.y = y + 6.0;
    }

    /// Lays the document out; returns each page's drawing operations, footers included.
    pub fn pages(&self) -> Vec<Canvas<'a>> {
        let doc = self.doc;
        let mut pages: Vec<Page<'a>> = Vec::new();
        let mut page = self.new_page(true);
        let cells = self.cells();
        let columns = self.columns(&cells);
        self.table_header(&mut page, &columns);
        let row_height = line_height(TABLE);
        for (index, (line, [quantity, unit, rate, amount])) in doc.lines.iter().zip(&cells).enumerate() {
            let description = page.canvas.wrap(&line.description, columns.description_width, TABLE);
            let height = row_height * description.len().max(1) as f32 + 1.2;
            if page.y + height > CONTENT_END {
                pages.push(std::mem::replace(&mut page, self.new_page(false)));
                self.table_header(&mut page, &columns);
            }
            let y = page.y;
            let c = &mut page.canvas;
            c.text(COL_POS, y, &(index + 1).to_string(), TABLE, Align::Left);
            for (n, text) in description.iter().enumerate() {
                c.text(COL_DESCRIPTION, y + row_height * n as f32, text, TABLE, Align::Left);
            }
            c.text(columns.quantity_right, y, quantity, TABLE, Align::Right);
            c.text(columns.unit_right, y, unit, TABLE, Align::Right);
            c.text(columns.rate_right, y, rate, TABLE, Align::Right);
            c.text(columns.amount_right, y, amount, TABLE, Align::Right);
            page.y = y + height;
        }
        page.canvas.line((LEFT, page.y - 2.5), (RIGHT, page.y - 2.5), 0.3);

        let totals = self.totals();
        let needed = totals.len() as f32 * 5.0 + 4.0;
        if page.y + needed > CONTENT_END {
            pages.push(std::mem::replace(&mut page, self.new_page(false)));
        }
        page.y += 2.0;
        // Labels in one column left of the widest amount, starting no further right than
        // the unit price column.
        let amount_width =
            totals.iter().map(|(_, a, _)| self.fonts.width_mm(a, BODY_BOLD)).fold(0.0, f32::max);
        let label_width =
            totals.iter().map(|(l, _, _)| self.fonts.width_mm(l, BODY_BOLD)).fold(0.0, f32::max);
        let label_x = (RIGHT - amount_width - GAP - label_width).min(columns.unit_right - 30.0).max(LEFT);
        for (label, amount, bold) in totals {
            let style = if bold { BODY_BOLD } else { BODY };
            page.canvas.text(label_x, page.y, &label, style, Align::Left);
            page.canvas.text(RIGHT, page.y, &amount, style, Align::Right);
            page.y += 5.0;
        }
        page.y += 4.0;
        self.closing(&mut pages, &mut page);
        pages.push(page);

        let count = pages.len();
        pages
            .into_iter()
            .enumerate()
            .map(|(index, mut page)| {
                self.footer(&mut page, index + 1, count);
                page.canvas
            })
            .collect()
    }

    /// (label, amount, bold) rows under the table.
    fn totals(&self) -> Vec<(String, String, bool)> {
        let doc = self.doc;
        let lang = self.lang();
        let money = |m| self.formats.money(m);
        let mut rows = vec![(t(lang, "invoices-net"), money(doc.net), false)];
        for row in &doc.vat_rows {
            let label = t_args(
                lang,
                "pdf-vat-on",
                &[("rate", arg(self.formats.percent(row.rate))), ("net", arg(money(row.net)))],
            );
            rows.push((label, money(row.vat), false));
        }
        rows.push((t(lang, "pdf-total"), money(doc.gross), true));
        if doc.kind == Kind::Invoice && doc.credit_applied.is_positive() {
            // The outage compensation the credit consumed, as on the invoice page.
            for (title, amount) in &doc.compensation {
                let title: String = if title.chars().count() > 60 {
                    title.chars().take(59).chain(std::iter::once('…')).collect()
                } else {
                    title.clone()
                };
                let label = t_args(lang, "compensation-invoice-line", &[("title", arg(title))]);
                rows.push((label, money(-*amount), false));
            }
            rows.push((t(lang, "invoices-credit-applied"), money(-doc.credit_applied), false));
            rows.push((t(lang, "invoices-amount-due"), money(doc.amount_due), true));
        }
        rows
    }

    /// Legal notes, payment instructions with the EPC code, thanks; the QR-bill on CHF.
    fn closing(&self, pages: &mut Vec<Page<'a>>, page: &mut Page<'a>) {
        let doc = self.doc;
        let lang = self.lang();
        let width = RIGHT - LEFT;
        let mut paragraphs: Vec<String> = Vec::new();
        if let Some(note) = &doc.vat_note {
            paragraphs.push(note.clone());
        }
        // One decision for the PDF, the page and the emails (`documents::how_to_pay`).
        match (doc.kind, doc.how_to_pay.sentence(&self.formats, Medium::Pdf)) {
            (Kind::CreditNote, _) => paragraphs.push(t(lang, "pdf-credit-kept")),
            (Kind::Invoice, Some(instructions)) => {
                paragraphs.push(instructions);
                // Said on the invoice, so that a consumer is in default without a reminder.
                paragraphs.push(t_args(
                    lang,
                    "invoice-default-notice",
                    &[("due", arg(self.formats.date(doc.due_date)))],
                ));
            }
            (Kind::Invoice, None) => paragraphs.push(t(lang, "pdf-nothing-due")),
        }
        let epc = self.payment.and_then(|p| p.epc_image.as_ref());
        // The EPC code sits right of the text; the text narrows to leave it room.
        let text_width = if epc.is_some() { width - 40.0 } else { width };
        let lines: usize =
            paragraphs.iter().map(|p| page.canvas.wrap(p, text_width, BODY).len()).sum::<usize>() + 2;
        let block = (lines as f32 * line_height(BODY) + 6.0).max(if epc.is_some() { 38.0 } else { 0.0 });
        if page.y + block > CONTENT_END {
            pages.push(std::mem::replace(page, self.new_page(false)));
        }
        let top = page.y;
        if let Some(image) = epc {
            page.canvas.square_image(&image.id, image.qr.pixels, RIGHT - 32.0, top - 3.0, 32.0);
            page.canvas.text(
                RIGHT - 16.0,
                top + 31.0,
                &t(lang, "pdf-scan-to-pay"),
                Style::regular(5.5),
                Align::Center,
            );
        }
        page.canvas.text(LEFT, page.y, &t(lang, "pdf-payment"), BODY_BOLD, Align::Left);
        page.y += line_height(BODY) + 1.0;
        for paragraph in &paragraphs {
            page.y = page.canvas.paragraph(LEFT, page.y, text_width, paragraph, BODY) + 1.5;
        }
        page.y = page.canvas.paragraph(LEFT, page.y + 1.0, text_width, &t(lang, "pdf-thanks"), BODY);
        page.y = page.y.max(top + block);

        if let Some(bill) = self.payment.and_then(|p| p.swiss.as_ref()) {
            let bill_top = swiss_bill::TOP;
            if page.y > bill_top - 12.0 {
                pages.push(std::mem::replace(page, self.new_page(false)));
            }
            page.footer_top = bill_top - BILL_HEIGHT_MARGIN;
            swiss_bill::draw(&mut page.canvas, bill, self.lang(), doc);
        }
    }

    fn footer(&self, page: &mut Page<'_>, number: usize, count: usize) {
        let seller = &self.doc.seller;
        let lang = self.lang();
        let top = page.footer_top;
        let c = &mut page.canvas;
        c.line((LEFT, top), (RIGHT, top), 0.3);
        let mut first = vec![seller.name.clone()];
        first.extend(seller.address.iter().cloned());
        let second = [
            format!("{}: {}", t(lang, "pdf-register"), seller.register),
            format!("{}: {}", t(lang, "pdf-our-vat-id"), seller.vat_id),
        ];
        // The bank of the document's currency: a CHF or SEK invoice names no other account.
        let (iban, bic) = seller.account_for(self.doc.currency.code());
        let third = if bic.is_empty() {
            format!("{}: IBAN {}", t(lang, "pdf-bank"), grouped(&iban, 4))
        } else {
            format!("{}: IBAN {} · BIC {}", t(lang, "pdf-bank"), grouped(&iban, 4), bic)
        };
        c.text(LEFT, top + 3.5, &first.join(" · "), SMALL, Align::Left);
        c.text(LEFT, top + 6.6, &second.join(" · "), SMALL, Align::Left);
        c.text(LEFT, top + 9.7, &third, SMALL, Align::Left);
        let pages = t_args(
            lang,
            "pdf-page",
            &[
                ("page", FluentValue::from(number.to_string())),
                ("pages", FluentValue::from(count.to_string())),
            ],
        );
        c.text(RIGHT, top + 9.7, &pages, SMALL, Align::Right);
    }
}

/// Space between the footer of a QR-bill page and the perforation.
const BILL_HEIGHT_MARGIN: f32 = 16.0;

/// "Invoice 2026-000001" in the document's language: its heading and its PDF title.
pub fn title_of(doc: &InvoiceDocument) -> String {
    let id = match doc.kind {
        Kind::Invoice => "pdf-invoice-title",
        Kind::CreditNote => "pdf-credit-note-title",
    };
    t_args(&doc.language, id, &[("number", arg(&doc.number))])
}
