//! The typeface of every document (a shared leaf: sign-up checks a name prints before it is
//! accepted, documents print it): DejaVu Sans and Sans Bold as Debian ships them (Bitstream
//! Vera licence, `assets/fonts/`), covering Latin, Greek and Cyrillic, so every customer the
//! sign-up accepts prints with their name and street. Parsed once per process; each PDF embeds
//! only the glyphs it shows.

use std::sync::LazyLock;

use printpdf::ParsedFont;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// Characters measured from a table; anything above falls back to the font's cmap.
const TABLE_SIZE: usize = 0x2200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// A text style: weight and size in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub weight: Weight,
    pub size: f32,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style { weight: Weight::Regular, size }
    }

    pub const fn bold(size: f32) -> Style {
        Style { weight: Weight::Bold, size }
    }
}

pub struct Face {
    pub parsed: ParsedFont,
    /// The font file, which documents embed a subset of.
    pub program: &'static [u8],
    /// The PostScript name, as a PDF names the face.
    pub name: String,
    units_per_em: f32,
    /// Advance per character in font units; 0 where the font has no glyph.
    advances: Vec<u16>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Option<Face> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        let advances = (0..TABLE_SIZE as u32)
            .map(|c| parsed.lookup_glyph_index(c).map(|g| parsed.get_horizontal_advance(g)).unwrap_or(0))
            .collect();
        let name = parsed.font_name.clone()?;
        Some(Face { parsed, program: bytes, name, units_per_em, advances })
    }

    /// Whether every character of `text` has a glyph (else it would print as a box).
    pub fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| self.advance(c) > 0 || c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}')
    }

    fn advance(&self, c: char) -> u16 {
        match self.advances.get(c as usize) {
            Some(advance) => *advance,
            None => self
                .parsed
                .lookup_glyph_index(c as u32)
                .map(|g| self.parsed.get_horizontal_advance(g))
                .unwrap_or(0),
        }
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 * size / self.units_per_em
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Width of `text` in `style`, in millimetres.
    pub fn width_mm(&self, text: &str, style: Style) -> f32 {
        self.face(style.weight).width(text, style.size) * 25.4 / 72.0
    }
}

static FONTS: LazyLock<Option<Fonts>> =
    LazyLock::new(|| Some(Fonts { regular: Face::load(REGULAR)?, bold: Face::load(BOLD)? }));

/// The parsed faces; `None` only if the bundled font files do not parse (a broken build).
pub fn fonts() -> Option<&'static Fonts> {
    FONTS.as_ref()
}

/// Whether documents can print every character of `text` in both weights: what a form accepts
/// for a name or an address must appear on the invoice.
pub fn printable(text: &str) -> bool {
    fonts().is_some_and(|f| f.regular.covers(text) && f.bold.covers(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_our_customers_letters() {
        let fonts = fonts().expect("fonts parse");
        for text in ["å ä ö ø æ ß é ç Å Ø Æ É Ç", "Łódź Šťastný Œuvre € ’ – „“ « »", "1\u{202f}234,56\u{a0}€"]
        {
            assert!(fonts.regular.covers(text), "regular lacks a glyph in {text}");
            assert!(fonts.bold.covers(text), "bold lacks a glyph in {text}");
        }
        for text in ["Παπαδόπουλος Ευάγγελος", "Иван Петров, ул. Шипка 6", "Þórunn Sigurðardóttir"]
        {
            assert!(fonts.regular.covers(text) && fonts.bold.covers(text), "{text}");
        }
        assert!(!printable("漢字"), "DejaVu Sans has no CJK");
        let narrow = fonts.regular.width("iiii", 10.0);
        let wide = fonts.regular.width("MMMM", 10.0);
        assert!(wide > narrow * 2.0, "advances come from the font: {narrow} vs {wide}");
    }
}
