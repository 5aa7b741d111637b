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

/// The penalty of a masked symbol (ISO/IEC 18004:2015, 7.8.3.1): runs of five or more, 2x2
/// blocks, finder-like 1:1:3:1:1 patterns beside four light modules, and the distance of the
/// dark share from half. Rows and columns are scanned alike, the columns as rows of the
/// transposed symbol, with the last eleven modules kept as bits for the finder patterns.
fn penalty(dark: &[bool], width: usize) -> u32 {
    let transposed: Vec<bool> =
        (0..width).flat_map(|column| dark.iter().skip(column).step_by(width.max(1)).copied()).collect();
    let mut score = 0;
    for line in dark.chunks_exact(width).chain(transposed.chunks_exact(width)) {
        let (mut run, mut window, mut previous) = (0u32, 0u16, None);
        for (i, &module) in line.iter().enumerate() {
            run = if previous == Some(module) { run + 1 } else { 1 };
            previous = Some(module);
            if run == 5 {
                score += 3;
            } else if run > 5 {
                score += 1;
            }
            window = ((window << 1) | u16::from(module)) & 0x7ff;
            if i >= 10 && (window == FINDER_THEN_LIGHT || window == LIGHT_THEN_FINDER) {
                score += 40;
            }
        }
    }
    for (upper, lower) in dark.chunks_exact(width).zip(dark.chunks_exact(width).skip(1)) {
        for (top, bottom) in upper.windows(2).zip(lower.windows(2)) {
            if let ([a, b], [c, d]) = (top, bottom)
                && a == b
                && a == c
                && a == d
            {
                score += 3;
            }
        }
    }
    let total = (width * width) as u32;
    let darks = dark.iter().filter(|d| **d).count() as u32;
    let deviation = (darks * 20).abs_diff(total * 10);
    score + 10 * (deviation.div_ceil(total).saturating_sub(1))
}

/// Dark, light, three dark, light, dark, then four light (and the mirror), as bits.
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
        for width in [11, 21, 25, 45] {
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
