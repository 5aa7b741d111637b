//! A payment QR code as a grey image with one pixel per module: tiny in the PDF and sharp at
//! any zoom (PDF viewers scale it without smoothing).

use printpdf::{RawImage, RawImageData, RawImageFormat};
use qrcode::{Color, EcLevel, QrCode};

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

/// Encodes `payload` as UTF-8 at error correction level M, as both the EPC guideline and the
/// Swiss QR-bill standard require.
pub fn qr_image(payload: &str, quiet_zone: bool) -> Result<QrImage, DocumentError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| DocumentError::Qr(e.to_string()))?;
    let modules = code.width();
    let border = if quiet_zone { QUIET_ZONE } else { 0 };
    let pixels = modules + 2 * border;
    let mut grey = vec![255u8; pixels * pixels];
    for (index, color) in code.to_colors().into_iter().enumerate() {
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
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| DocumentError::Qr(e.to_string()))?;
    let modules = code.width();
    let size = modules + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (index, color) in code.to_colors().into_iter().enumerate() {
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
}
