//! A plain letter as PDF (a reminder, a notice): the sender, the recipient's address, a date,
//! a title, paragraphs and a table of amounts, in the invoices' fonts. The same letter always
//! gives the same bytes, like an invoice.

use super::DocumentError;
use super::canvas::{Align, Canvas, PAGE_HEIGHT, PAGE_WIDTH, line_height};
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
    pub paragraphs_after: Vec<String>,
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
    let write = |pages: &mut Vec<Canvas<'_>>, y: &mut f32, text: &str| {
        let lines = pages.last().map(|c| c.wrap(text, width, body).len()).unwrap_or(1);
        page(pages, y, lines as f32 * line_height(body));
        if let Some(canvas) = pages.last_mut() {
            *y = canvas.paragraph(LEFT, *y, width, text, body) + 3.0;
        }
    };
    for text in &letter.paragraphs_before {
        write(&mut pages, &mut y, text);
    }
    y += 2.0;
    let rows = letter.table.len();
    for (n, (label, amount)) in letter.table.iter().enumerate() {
        let style = if n + 1 == rows { Style::bold(10.0) } else { body };
        let lines = pages.last().map(|c| c.wrap(label, width - 40.0, style).len()).unwrap_or(1);
        page(&mut pages, &mut y, lines as f32 * line_height(style));
        if let Some(canvas) = pages.last_mut() {
            canvas.text(RIGHT, y, amount, style, Align::Right);
            y = canvas.paragraph(LEFT, y, width - 40.0, label, style) + 1.5;
        }
    }
    y += 4.0;
    for text in &letter.paragraphs_after {
        write(&mut pages, &mut y, text);
    }

    super::render::render_pages(&letter.identifier, &letter.sender, pages)
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
