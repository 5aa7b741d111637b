//! Drawing on an A4 page in millimetres from the top-left corner, as a designer measures;
//! PDF's own origin is bottom-left in points. Text is real text in the embedded font, so it
//! can be selected, searched and read aloud.

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt,
    Rect, TextItem, WindingOrder, XObjectId, XObjectTransform,
};

use crate::fonts::{Fonts, Style, Weight};

pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;

/// Resource names of the two faces in every document: fixed, so renders are reproducible.
pub fn font_id(weight: Weight) -> FontId {
    FontId(match weight {
        Weight::Regular => "F1".to_owned(),
        Weight::Bold => "F2".to_owned(),
    })
}

fn pt(mm: f32) -> Pt {
    Mm(mm).into_pt()
}

fn point(x: f32, y: f32) -> Point {
    Point { x: pt(x), y: pt(PAGE_HEIGHT - y) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

pub struct Canvas<'f> {
    fonts: &'f Fonts,
    pub ops: Vec<Op>,
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts) -> Canvas<'f> {
        Canvas { fonts, ops: Vec::with_capacity(256) }
    }

    /// Width of `text` in millimetres.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.fonts.width_mm(text, style)
    }

    /// Writes `text` with its baseline at `y`, anchored at `x` as `align` says.
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: Style, align: Align) {
        if text.is_empty() {
            return;
        }
        let left = match align {
            Align::Left => x,
            Align::Right => x - self.width(text, style),
            Align::Center => x - self.width(text, style) / 2.0,
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font_id(style.weight)), size: Pt(style.size) },
            Op::SetTextCursor { pos: point(left, y) },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]);
    }

    /// White text centred on `x`, for the letterhead's mark.
    pub fn text_white(&mut self, x: f32, y: f32, text: &str, style: Style) {
        self.set_grey(1.0);
        self.text(x, y, text, style, Align::Center);
        self.set_grey(0.0);
    }

    /// Breaks `text` into lines no wider than `width` at spaces (a word longer than a line
    /// stays whole) and writes them from baseline `y`; returns the baseline after the last.
    pub fn paragraph(&mut self, x: f32, y: f32, width: f32, text: &str, style: Style) -> f32 {
        let mut y = y;
        for line in self.wrap(text, width, style) {
            self.text(x, y, &line, style, Align::Left);
            y += line_height(style);
        }
        y
    }

    pub fn wrap(&self, text: &str, width: f32, style: Style) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split(' ').flat_map(|word| self.break_word(word, width, style)) {
            let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
            if !current.is_empty() && self.width(&candidate, style) > width {
                lines.push(std::mem::replace(&mut current, word.to_owned()));
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// A word wider than a line (a long reference, a URL) is broken between characters, so
    /// nothing runs off the page.
    fn break_word(&self, word: &str, width: f32, style: Style) -> Vec<String> {
        if self.width(word, style) <= width {
            return vec![word.to_owned()];
        }
        let mut pieces = vec![String::new()];
        for c in word.chars() {
            let last = pieces.last_mut().map(|p| {
                p.push(c);
                p.clone()
            });
            if let Some(piece) = last
                && self.width(&piece, style) > width
                && piece.chars().count() > 1
            {
                if let Some(p) = pieces.last_mut() {
                    p.pop();
                }
                pieces.push(c.to_string());
            }
        }
        pieces
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness_pt: f32) {
        self.ops.extend([
            Op::SetOutlineThickness { pt: Pt(thickness_pt) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: point(from.0, from.1), bezier: false },
                        LinePoint { p: point(to.0, to.1), bezier: false },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    pub fn dashed_line(&mut self, from: (f32, f32), to: (f32, f32), thickness_pt: f32) {
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[3.0, 2.0]) });
        self.line(from, to, thickness_pt);
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[]) });
    }

    /// A filled rectangle with its top-left corner at (`x`, `y`); `grey` 0 is black.
    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, grey: f32) {
        self.set_grey(grey);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: pt(x),
                y: pt(PAGE_HEIGHT - y - height),
                width: pt(width),
                height: pt(height),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
        self.set_grey(0.0);
    }

    fn set_grey(&mut self, grey: f32) {
        self.ops
            .push(Op::SetFillColor { col: Color::Greyscale(Greyscale { percent: grey, icc_profile: None }) });
    }

    /// Places an image of `pixels` square pixels as a `size` mm square at top-left (`x`, `y`).
    pub fn square_image(&mut self, id: &XObjectId, pixels: usize, x: f32, y: f32, size: f32) {
        let dpi = pixels as f32 / (size / 25.4);
        self.ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(pt(x)),
                translate_y: Some(pt(PAGE_HEIGHT - y - size)),
                dpi: Some(dpi),
                ..Default::default()
            },
        });
    }
}

/// Baseline distance for `style`.
pub fn line_height(style: Style) -> f32 {
    style.size * 0.3528 * 1.3
}
