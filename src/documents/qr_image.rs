//! A payment QR code as a grey image with one pixel per module: tiny in the PDF and sharp at
//! any zoom (PDF viewers scale it without smoothing).

use printpdf::{RawImage, RawImageData, RawImageFormat};
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};

use super::DocumentError;

/// Modules of white border the scanners need around the code.
const QUIET_ZONE: usize = 4;

pub struct QrImage {
    pub image: RawImage,
    /// Width and height in pixels, the quiet zone included.
    pub pixels: usize,
    /// Width of the code itself in modules.
    pub modules: usize,
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A QR code's modules, row by row.
struct Code {
    width: usize,
    colors: Vec<Color>,
}

impl Code {
    /// Encodes `payload` as UTF-8 at error correction level M, as both the EPC guideline and
    /// the Swiss QR-bill standard require, with the mask of the lowest penalty (ISO/IEC 18004,
    /// 7.8.3). The qrcode crate picks the same way but scores each mask several times slower
    /// than drawing the rest of an invoice, so the scoring is done here on plain booleans.
    fn encode(payload: &str) -> Result<Code, DocumentError> {
        let failed = |e: qrcode::types::QrError| DocumentError::Qr(e.to_string());
        let bits = qrcode::bits::encode_auto(payload.as_bytes(), EcLevel::M).map_err(failed)?;
        let version = bits.version();
        let Version::Normal(_) = version else { return Err(DocumentError::Qr("a micro QR code".into())) };
        let data = bits.into_bytes();
        let (data, ec) = qrcode::ec::construct_codewords(&data, version, EcLevel::M).map_err(failed)?;
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        let width = usize::try_from(version.width()).map_err(|_| DocumentError::Qr("width".into()))?;
        if width > WIDEST {
            return Err(DocumentError::Qr(format!("a code {width} modules wide is too large to pay with")));
        }
        let (colors, _) = MASKS
            .iter()
            .map(|mask| {
                let mut masked = canvas.clone();
                masked.apply_mask(*mask);
                let colors = masked.into_colors();
                let dark: Vec<bool> = colors.iter().map(|c| *c == Color::Dark).collect();
                (colors, penalty(&dark, width))
            })
            .min_by_key(|(_, score)| *score)
            .ok_or_else(|| DocumentError::Qr("no mask".into()))?;
        Ok(Code { width, colors })
    }
}

/// The widest symbol scored: version 30. The EPC guideline allows up to version 13 and the
/// Swiss QR-bill up to 25, so a payment code never comes near it.
const WIDEST: usize = 128;

/// The penalty of a masked symbol (ISO/IEC 18004:2015, 7.8.3.1): runs of five or more, 2x2
/// blocks, finder-like 1:1:3:1:1 patterns beside four light modules, and the distance of the
/// dark share from half. Each row and column is one 128-bit word (column or row 0 in the lowest
/// bit), so a rule is a few shifts and a population count per line instead of a step per module.
fn penalty(dark: &[bool], width: usize) -> u32 {
    let full: u128 = if width >= WIDEST { u128::MAX } else { (1u128 << width) - 1 };
    let rows: Vec<u128> = dark
        .chunks_exact(width.max(1))
        .map(|row| row.iter().rev().fold(0u128, |bits, &module| (bits << 1) | u128::from(module)))
        .collect();
    let mut columns = vec![0u128; width];
    for (index, row) in dark.chunks_exact(width.max(1)).enumerate() {
        for (column, &module) in columns.iter_mut().zip(row) {
            *column |= u128::from(module) << index;
        }
    }
    let mut score = 0;
    for &line in rows.iter().chain(&columns) {
        score += runs(line, full) + runs(!line & full, full);
        for first in 0..(width + 1).saturating_sub(11) {
            let window = ((line >> first) & 0x7ff) as u16;
            if window == FINDER_THEN_LIGHT || window == LIGHT_THEN_FINDER {
                score += 40;
            }
        }
    }
    for (upper, lower) in rows.iter().zip(rows.iter().skip(1)) {
        let same_below = !(upper ^ lower);
        let same_beside = !(upper ^ (upper >> 1));
        score += 3 * (same_below & (same_below >> 1) & same_beside & (full >> 1)).count_ones();
    }
    let total = (width * width) as u32;
    let darks: u32 = rows.iter().map(|row| row.count_ones()).sum();
    let deviation = (darks * 20).abs_diff(total * 10);
    score + 10 * (deviation.div_ceil(total.max(1)).saturating_sub(1))
}

/// Rule 1 for the modules set in `line`: a run of L >= 5 scores 3 + (L - 5), which is its
/// L - 4 windows of five plus 2 for the run.
fn runs(line: u128, full: u128) -> u32 {
    let windows = line & (line >> 1) & (line >> 2) & (line >> 3) & (line >> 4) & (full >> 4);
    let starts = windows & !(windows << 1);
    windows.count_ones() + 2 * starts.count_ones()
}

/// Dark, light, three dark, light, dark, then four light (and the mirror), as the bits of
/// eleven modules read from the lowest bit.
const FINDER_THEN_LIGHT: u16 = 0b101_1101_0000;
const LIGHT_THEN_FINDER: u16 = 0b000_0101_1101;

/// Encodes `payload` as a grey image, one pixel per module.
pub fn qr_image(payload: &str, quiet_zone: bool) -> Result<QrImage, DocumentError> {
    let code = Code::encode(payload)?;
    let modules = code.width;
    let border = if quiet_zone { QUIET_ZONE } else { 0 };
    let pixels = modules + 2 * border;
    let mut grey = vec![255u8; pixels * pixels];
    for (index, color) in code.colors.into_iter().enumerate() {
        if color == Color::Dark {
            let (row, column) = (index / modules + border, index % modules + border);
            if let Some(pixel) = grey.get_mut(row * pixels + column) {
                *pixel = 0;
            }
        }
    }
    let image = RawImage {
        pixels: RawImageData::U8(grey),
        width: pixels,
        height: pixels,
        data_format: RawImageFormat::R8,
        tag: Vec::new(),
    };
    Ok(QrImage { image, pixels, modules })
}

/// The same code as an SVG document (one path of unit squares, quiet zone included), for web
/// pages: crisp at any size and a few kilobytes.
pub fn qr_svg(payload: &str) -> Result<String, DocumentError> {
    let code = Code::encode(payload)?;
    let modules = code.width;
    let size = modules + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (index, color) in code.colors.into_iter().enumerate() {
        if color == Color::Dark {
            let (row, column) = (index / modules + QUIET_ZONE, index % modules + QUIET_ZONE);
            path.push_str(&format!("M{column} {row}h1v1h-1z"));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_become_pixels_inside_a_quiet_zone() {
        let qr = qr_image("BCD\n002\n1\nSCT\n", true).expect("encodes");
        assert_eq!(qr.pixels, qr.modules + 8);
        let RawImageData::U8(grey) = &qr.image.pixels else { panic!("grey bytes") };
        assert_eq!(grey.len(), qr.pixels * qr.pixels);
        // The quiet zone is white, the finder pattern's corner is black.
        assert!(grey.iter().take(qr.pixels * 4).all(|p| *p == 255));
        assert_eq!(grey.get(4 * qr.pixels + 4), Some(&0));
    }

    #[test]
    fn the_chosen_code_decodes_to_its_payload() {
        for payload in [
            "BCD\n002\n1\nSCT\nCOBADEFFXXX\nKontor Hosting GmbH\nDE89370400440532013000\nEUR2.38\n\n\nRF39 2026 0047 11",
            "SPC\n0200\n1\nCH4431999123000889012",
        ] {
            let qr = qr_image(payload, true).expect("encodes");
            let RawImageData::U8(grey) = &qr.image.pixels else { panic!("grey bytes") };
            // Four pixels per module, as a scanner at a modest resolution sees it.
            let size = qr.pixels * 4;
            let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
                grey[(y / 4) * qr.pixels + x / 4]
            });
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1);
            let (_, content) = grids[0].decode().expect("decodes");
            assert_eq!(content, payload);
        }
    }

    /// ISO/IEC 18004 7.8.3.1 read word for word, to check the fast scoring against.
    fn plain_penalty(dark: &[bool], width: usize) -> u32 {
        let at = |row: usize, column: usize| dark[row * width + column];
        let finder = [true, false, true, true, true, false, true, false, false, false, false];
        let mut score = 0;
        for line in 0..width {
            for horizontal in [true, false] {
                let module = |i: usize| if horizontal { at(line, i) } else { at(i, line) };
                let mut start = 0;
                for i in 1..=width {
                    if i == width || module(i) != module(start) {
                        let run = (i - start) as u32;
                        if run >= 5 {
                            score += 3 + run - 5;
                        }
                        start = i;
                    }
                }
                for first in 0..=width.saturating_sub(11) {
                    let window: Vec<bool> = (first..first + 11).map(module).collect();
                    let mirrored: Vec<bool> = finder.iter().rev().copied().collect();
                    if window == finder || window == mirrored {
                        score += 40;
                    }
                }
            }
        }
        for row in 0..width - 1 {
            for column in 0..width - 1 {
                let c = at(row, column);
                if at(row, column + 1) == c && at(row + 1, column) == c && at(row + 1, column + 1) == c {
                    score += 3;
                }
            }
        }
        let percent = dark.iter().filter(|d| **d).count() as f64 * 100.0 / (width * width) as f64;
        let steps = ((percent - 50.0).abs() / 5.0).ceil() as u32;
        score + 10 * steps.saturating_sub(1)
    }

    #[test]
    fn the_penalty_counts_runs_blocks_finders_and_balance() {
        // All light 5x5: five runs of five per row and column (3 each), 16 blocks (3 each),
        // 100 % light (balance 10 * 9).
        assert_eq!(penalty(&[false; 25], 5), 10 * 3 + 16 * 3 + 90);
        // A checkerboard has no runs, no blocks and is half dark: (13 of 25 dark) 4 % off.
        let board: Vec<bool> = (0..25).map(|i| (i / 5 + i % 5) % 2 == 0).collect();
        assert_eq!(penalty(&board, 5), 0);
        // Random symbols score as a plain reading of the standard scores them.
        let mut seed = 7u64;
        for width in [11, 21, 25, 45, 69, 117, 128] {
            let dark: Vec<bool> = (0..width * width)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    seed >> 61 < 3
                })
                .collect();
            assert_eq!(penalty(&dark, width), plain_penalty(&dark, width), "width {width}");
        }
    }
}
