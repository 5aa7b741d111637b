//! The statement as an A4 PDF in the customer's language: the seller's letterhead, who it is
//! for and the days it covers, then per currency a table of date, what happened, charges,
//! payments and credits, and the running balance, breaking across pages under a repeated
//! header; "page x of y" on every page.

use fluent_templates::fluent_bundle::FluentValue;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{Line, Statement, StatementError};
use crate::documents::canvas::{Align, Canvas, line_height};
use crate::documents::render::render_pages;
use crate::fonts::{Style, fonts};
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t, t_args};
use crate::money::Money;
use crate::seller::SellerDetails;

const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const CONTENT_END: f32 = 270.0;
const TABLE: Style = Style::regular(8.5);
const TABLE_BOLD: Style = Style::bold(8.5);
const SMALL: Style = Style::regular(7.0);
const GAP: f32 = 4.0;

/// Who the statement is for, as their account says today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    pub number: String,
    pub address: Vec<String>,
    pub country: String,
}

/// What a line is, in the reader's words: "Invoice 2026-000001", "Payment · PayPal".
pub fn describe(lang: &Lang, line: &Line) -> String {
    let known = crate::ledger::EntryKind::parse(&line.kind).is_some();
    let kind = if known {
        format!("statement-kind-{}", line.kind.replace('_', "-"))
    } else {
        "statement-kind-other".to_owned()
    };
    let mut text = t(lang, &kind);
    if let Some(document) = &line.document {
        text = format!("{text} {document}");
    }
    if let Some(method) = &line.method {
        text = format!("{text} · {}", t(lang, &format!("statement-method-{}", method.replace('_', "-"))));
    }
    text
}

fn money(formats: &Formats, amount: Decimal, currency: &str) -> String {
    match Currency::from_code(currency) {
        Some(currency) => formats.money(Money::new(amount, currency)),
        None => format!("{} {currency}", amount.round_dp(2)),
    }
}

/// Charges, payments and credits, balance: the three amount cells of a line.
fn amounts(formats: &Formats, line: &Line, currency: &str) -> [String; 3] {
    let (charge, payment) = if line.amount.is_sign_negative() {
        (String::new(), money(formats, -line.amount, currency))
    } else {
        (money(formats, line.amount, currency), String::new())
    };
    [charge, payment, money(formats, line.balance, currency)]
}

pub fn render(
    statement: &Statement,
    holder: &Holder,
    seller: &SellerDetails,
    lang: &Lang,
) -> Result<Vec<u8>, StatementError> {
    let fonts = fonts().ok_or(crate::documents::DocumentError::Font)?;
    let formats = Formats::new(lang, &holder.country);
    let headers = [
        "statement-date",
        "statement-description",
        "statement-charges",
        "statement-payments",
        "statement-balance",
    ]
    .map(|id| t(lang, id));
    let mut pages: Vec<Canvas<'_>> = Vec::new();
    let mut canvas = Canvas::new(fonts);
    let mut y = head(&mut canvas, statement, holder, seller, lang, &formats);
    if statement.sections.is_empty() {
        canvas.paragraph(LEFT, y, RIGHT - LEFT, &t(lang, "statement-empty"), TABLE);
    }
    for section in &statement.sections {
        let cells: Vec<(String, String, [String; 3])> = section
            .lines
            .iter()
            .map(|line| {
                (formats.date(line.date), describe(lang, line), amounts(&formats, line, &section.currency))
            })
            .collect();
        let widest = |column: usize| {
            let header = headers.get(column + 2).map_or(0.0, |h| fonts.width_mm(h, TABLE_BOLD));
            cells
                .iter()
                .filter_map(|(_, _, amounts)| amounts.get(column))
                .map(|amount| fonts.width_mm(amount, TABLE))
                .fold(header, f32::max)
        };
        let balance_right = RIGHT;
        let payment_right = balance_right - widest(2) - GAP;
        let charge_right = payment_right - widest(1) - GAP;
        let description_x = LEFT + 22.0;
        let description_width = (charge_right - widest(0) - GAP - description_x).max(30.0);
        let header = |canvas: &mut Canvas<'_>, y: f32| -> f32 {
            canvas.text(LEFT, y, &headers[0], TABLE_BOLD, Align::Left);
            canvas.text(description_x, y, &headers[1], TABLE_BOLD, Align::Left);
            canvas.text(charge_right, y, &headers[2], TABLE_BOLD, Align::Right);
            canvas.text(payment_right, y, &headers[3], TABLE_BOLD, Align::Right);
            canvas.text(balance_right, y, &headers[4], TABLE_BOLD, Align::Right);
            canvas.line((LEFT, y + 1.8), (RIGHT, y + 1.8), 0.6);
            y + 6.0
        };
        y = header(&mut canvas, y + 4.0);
        if statement.from.is_some() {
            canvas.text(LEFT, y, &t(lang, "statement-opening"), TABLE, Align::Left);
            canvas.text(
                balance_right,
                y,
                &money(&formats, section.opening, &section.currency),
                TABLE,
                Align::Right,
            );
            y += line_height(TABLE) + 1.0;
        }
        for (date, description, [charge, payment, balance]) in &cells {
            let wrapped = canvas.wrap(description, description_width, TABLE);
            let height = line_height(TABLE) * wrapped.len().max(1) as f32 + 1.0;
            if y + height > CONTENT_END {
                pages.push(std::mem::replace(&mut canvas, Canvas::new(fonts)));
                letterhead(&mut canvas, seller);
                y = header(&mut canvas, 36.0);
            }
            canvas.text(LEFT, y, date, TABLE, Align::Left);
            canvas.paragraph(description_x, y, description_width, description, TABLE);
            canvas.text(charge_right, y, charge, TABLE, Align::Right);
            canvas.text(payment_right, y, payment, TABLE, Align::Right);
            canvas.text(balance_right, y, balance, TABLE, Align::Right);
            y += height;
        }
        canvas.line((LEFT, y - 2.0), (RIGHT, y - 2.0), 0.3);
        y += 2.0;
        let closing = money(&formats, section.closing, &section.currency);
        canvas.text(LEFT, y, &t(lang, "statement-closing"), TABLE_BOLD, Align::Left);
        canvas.text(balance_right, y, &closing, TABLE_BOLD, Align::Right);
        y += line_height(TABLE) + 2.0;
        let note = if section.closing.is_sign_negative() && !section.closing.is_zero() {
            "statement-in-credit"
        } else {
            "statement-owed"
        };
        y = canvas.paragraph(LEFT, y, RIGHT - LEFT, &t(lang, note), SMALL) + 6.0;
    }
    pages.push(canvas);
    let count = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        let text = t_args(
            lang,
            "pdf-page",
            &[
                ("page", FluentValue::from((index + 1).to_string())),
                ("pages", FluentValue::from(count.to_string())),
            ],
        );
        page.line((LEFT, 280.0), (RIGHT, 280.0), 0.3);
        let mut first = vec![seller.name.clone()];
        first.extend(seller.address.iter().cloned());
        page.text(LEFT, 284.0, &first.join(" · "), SMALL, Align::Left);
        page.text(RIGHT, 288.0, &text, SMALL, Align::Right);
    }
    let identifier = format!("statement-{}-{}", holder.number, statement.until);
    Ok(render_pages(&identifier, &seller.name, pages)?)
}

/// The seller's name top left and address top right.
pub(super) fn letterhead(canvas: &mut Canvas<'_>, seller: &SellerDetails) {
    canvas.text(LEFT, 19.0, &seller.name, Style::bold(14.0), Align::Left);
    let mut y = 14.0;
    for line in &seller.address {
        canvas.text(RIGHT, y, line, SMALL, Align::Right);
        y += line_height(SMALL);
    }
}

/// The holder's name and address at the top left; returns the baseline after it.
pub(super) fn address(canvas: &mut Canvas<'_>, holder: &Holder) -> f32 {
    let mut y = 45.0;
    for line in std::iter::once(&holder.name).chain(&holder.address).filter(|l| !l.is_empty()) {
        canvas.text(LEFT, y, line, Style::regular(10.0), Align::Left);
        y += 4.6;
    }
    y
}

/// The first page's head; returns where the table starts.
fn head(
    canvas: &mut Canvas<'_>,
    statement: &Statement,
    holder: &Holder,
    seller: &SellerDetails,
    lang: &Lang,
    formats: &Formats,
) -> f32 {
    letterhead(canvas, seller);
    let y = address(canvas, holder);
    let period = match statement.from {
        Some(from) => format!("{} – {}", formats.date(from), formats.date(statement.until)),
        None => {
            t_args(lang, "statement-until", &[("date", FluentValue::from(formats.date(statement.until)))])
        }
    };
    let facts =
        [(t(lang, "invoices-customer-number"), holder.number.clone()), (t(lang, "statement-period"), period)];
    let mut fy = 45.0;
    for (label, value) in facts {
        canvas.text(125.0, fy, &label, Style::regular(8.0), Align::Left);
        canvas.text(RIGHT, fy, &value, Style::regular(8.0), Align::Right);
        fy += 4.4;
    }
    canvas.text(LEFT, 80.0, &t(lang, "statement-title"), Style::bold(14.0), Align::Left);
    y.max(86.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn line(kind: &str, method: Option<&str>) -> Line {
        Line {
            entry_id: 1,
            kind: kind.to_owned(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
            document: None,
            method: method.map(str::to_owned),
            amount: Decimal::ONE,
            balance: Decimal::ONE,
        }
    }

    #[test]
    fn every_kind_and_method_has_words_in_every_language() {
        for code in crate::i18n::LANGUAGES {
            let lang = Lang::supported(code).unwrap();
            for kind in crate::ledger::EntryKind::ALL {
                let text = describe(&lang, &line(kind.as_str(), None));
                assert!(!text.starts_with("statement-"), "{code} {kind:?}: {text}");
            }
            for method in ["bank_transfer", "direct_debit", "paypal", "manual"] {
                let text = describe(&lang, &line("payment_received", Some(method)));
                assert!(!text.contains("statement-"), "{code} {method}: {text}");
            }
            assert!(!describe(&lang, &line("some_future_kind", None)).starts_with("statement-"));
        }
    }
}
