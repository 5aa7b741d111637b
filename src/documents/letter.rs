//! A plain letter as PDF (a reminder, a notice): the sender, the recipient's address, a date,
//! a title, paragraphs, a table of amounts with its total, a second list (what else is open),
//! and a payment code beside the closing paragraphs, in the invoices' fonts. The same letter
//! always gives the same bytes, like an invoice.

use printpdf::{XObject, XObjectId};

use super::DocumentError;
use super::canvas::{Align, Canvas, PAGE_HEIGHT, PAGE_WIDTH, line_height};
use super::qr_image::qr_image;
use crate::fonts::{Style, fonts};

const LEFT: f32 = 25.0;
const RIGHT: f32 = PAGE_WIDTH - 20.0;
const BOTTOM: f32 = PAGE_HEIGHT - 25.0;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letter {
    /// Names the file and the PDF's identifier (`R-2026-000123-2`).
    pub identifier: String,
    pub sender: String,
    pub recipient: Vec<String>,
    pub date: String,
    pub title: String,
    pub paragraphs_before: Vec<String>,
    /// Label and amount, the last one printed bold (the total).
    pub table: Vec<(String, String)>,
    /// A heading and label/amount rows printed after the table (other open invoices).
    pub also: Option<(String, Vec<(String, String)>)>,
    pub paragraphs_after: Vec<String>,
    /// A payment code printed right of the closing paragraphs.
    pub code: Option<PaymentCode>,
}

/// A payment code as a letter prints it: the EPC code at the invoice's 32 mm with its quiet
/// zone, the Swiss QR code at the standard's 46 mm with the Swiss cross.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentCode {
    pub payload: String,
    pub caption: String,
    pub swiss: bool,
}

impl PaymentCode {
    fn size(&self) -> f32 {
        if self.swiss { 46.0 } else { 32.0 }
    }
}

pub fn render_letter(letter: &Letter) -> Result<Vec<u8>, DocumentError> {
    let fonts = fonts().ok_or(DocumentError::Font)?;
    let mut pages = vec![Canvas::new(fonts)];
    let small = Style::regular(8.0);
    let body = Style::regular(10.0);
    let mut y = 25.0;
    let page = |pages: &mut Vec<Canvas<'_>>, y: &mut f32, needed: f32| {
        if *y + needed > BOTTOM {
            pages.push(Canvas::new(fonts));
            *y = 25.0;
        }
    };
    if let Some(canvas) = pages.last_mut() {
        canvas.text(LEFT, y, &letter.sender, small, Align::Left);
        y += 10.0;
        for line in &letter.recipient {
            canvas.text(LEFT, y, line, body, Align::Left);
            y += line_height(body);
        }
        y += 12.0;
        canvas.text(RIGHT, y, &letter.date, body, Align::Right);
        y += 10.0;
        canvas.text(LEFT, y, &letter.title, Style::bold(13.0), Align::Left);
        y += 10.0;
    }
    let width = RIGHT - LEFT;
    // Text above `beside_code` (on the code's page) narrows to leave the code its room.
    let mut beside_code: Option<(usize, f32)> = None;
    let room = letter.code.as_ref().map_or(0.0, |code| code.size() + 8.0);
    let write = |pages: &mut Vec<Canvas<'_>>, y: &mut f32, text: &str, beside: Option<(usize, f32)>| {
        let narrow = beside.is_some_and(|(page, bottom)| page + 1 == pages.len() && *y < bottom);
        let width = if narrow { width - room } else { width };
        let lines = pages.last().map(|c| c.wrap(text, width, body).len()).unwrap_or(1);
        page(pages, y, lines as f32 * line_height(body));
        if let Some(canvas) = pages.last_mut() {
            *y = canvas.paragraph(LEFT, *y, width, text, body) + 3.0;
        }
    };
    for text in &letter.paragraphs_before {
        write(&mut pages, &mut y, text, None);
    }
    y += 2.0;
    let rows = |pages: &mut Vec<Canvas<'_>>, y: &mut f32, rows: &[(String, String)], bold_last: bool| {
        for (n, (label, amount)) in rows.iter().enumerate() {
            let style = if bold_last && n + 1 == rows.len() { Style::bold(10.0) } else { body };
            let lines = pages.last().map(|c| c.wrap(label, width - 40.0, style).len()).unwrap_or(1);
            page(pages, y, lines as f32 * line_height(style));
            if let Some(canvas) = pages.last_mut() {
                canvas.text(RIGHT, *y, amount, style, Align::Right);
                *y = canvas.paragraph(LEFT, *y, width - 40.0, label, style) + 1.5;
            }
        }
    };
    rows(&mut pages, &mut y, &letter.table, true);
    if let Some((heading, also)) = letter.also.as_ref().filter(|(_, rows)| !rows.is_empty()) {
        y += 4.0;
        page(&mut pages, &mut y, 2.0 * line_height(body));
        if let Some(canvas) = pages.last_mut() {
            canvas.text(LEFT, y, heading, Style::bold(10.0), Align::Left);
        }
        y += line_height(body) + 1.0;
        rows(&mut pages, &mut y, also, false);
    }
    y += 4.0;
    let mut images = Vec::new();
    if let Some(code) = &letter.code {
        // The Swiss code's quiet zone lies outside its 46 mm, as on the QR-bill.
        let qr = qr_image(&code.payload, !code.swiss)?;
        let size = code.size();
        let id = XObjectId("X1".to_owned());
        page(&mut pages, &mut y, size + 6.0);
        if let Some(canvas) = pages.last_mut() {
            canvas.square_image(&id, qr.pixels, RIGHT - size, y - 3.0, size);
            if code.swiss {
                super::swiss_bill::swiss_cross(canvas, RIGHT - size / 2.0, y - 3.0 + size / 2.0);
            }
            canvas.text(
                RIGHT - size / 2.0,
                y + size + 1.0,
                &code.caption,
                Style::regular(5.5),
                Align::Center,
            );
        }
        beside_code = Some((pages.len() - 1, y + size + 2.0));
        images.push((id, XObject::Image(qr.image)));
    }
    for text in &letter.paragraphs_after {
        write(&mut pages, &mut y, text, beside_code);
    }

    super::render::render_pages_with_images(&letter.identifier, &letter.sender, pages, images)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_renders_the_same_bytes_twice_and_breaks_long_tables_onto_pages() {
        let letter = Letter {
            identifier: "R-2026-000001-1".into(),
            sender: "Kontor GmbH".into(),
            recipient: vec!["Erika Muster".into(), "Str. 1".into()],
            date: "1.12.2026".into(),
            title: "Reminder".into(),
            paragraphs_before: vec!["Please pay.".into()],
            table: (0..80).map(|n| (format!("Line {n}"), "1,00 €".into())).collect(),
            paragraphs_after: vec!["Thanks.".into()],
            ..Letter::default()
        };
        let one = render_letter(&letter).unwrap();
        assert_eq!(one, render_letter(&letter).unwrap());
        let text = String::from_utf8_lossy(&one);
        assert!(
            text.matches("/Type /Page\n").count() + text.matches("/Type/Page/").count() >= 1
                || one.len() > 1000
        );
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn a_letter_with_a_payment_code_and_a_second_list_renders_the_same_bytes_twice() {
        let letter = Letter {
            identifier: "R-2026-000002-2".into(),
            sender: "Kontor GmbH".into(),
            title: "Reminder".into(),
            table: vec![("Invoice 2026-000002".into(), "1,00 €".into()), ("Total".into(), "1,00 €".into())],
            also: Some(("Also open".into(), vec![("Invoice 2026-000009".into(), "2,00 €".into())])),
            paragraphs_after: vec!["Please transfer the amount.".into()],
            code: Some(PaymentCode {
                payload: "BCD\n002\n1\nSCT\n\nKontor\nDE89370400440532013000\nEUR1.00".into(),
                caption: "Scan".into(),
                swiss: false,
            }),
            ..Letter::default()
        };
        let with_code = render_letter(&letter).unwrap();
        let without = render_letter(&Letter { code: None, ..letter.clone() }).unwrap();
        // The code is decoded from the rendered page by the collections integration tests.
        assert_ne!(with_code, without);
        assert_eq!(with_code, render_letter(&letter).unwrap());
    }
}
