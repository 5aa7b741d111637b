//! The payment part of a Swiss QR-bill (Swiss Payment Standards, Implementation Guidelines
//! QR-bill v2.3, chapter 3): a 210 x 105 mm section at the foot of an A4 page behind a
//! perforation line, a 62 mm receipt on the left and the payment part with the 46 mm QR code
//! and its Swiss cross on the right. Fonts are sans serif, headings 6/8 pt bold, values
//! 8/10 pt, as the guidelines prescribe.

use super::canvas::{Align, Canvas, PAGE_HEIGHT, PAGE_WIDTH};
use super::model::InvoiceDocument;
use super::payment::SwissBill;
use super::printed::{grouped, reference_text};
use super::qr_payload::{SwissAddress, SwissReference};
use crate::fonts::Style;
use crate::i18n::{Lang, t};

pub const BILL_HEIGHT: f32 = 105.0;
/// Where the perforation runs.
pub const TOP: f32 = PAGE_HEIGHT - BILL_HEIGHT;
const RECEIPT_WIDTH: f32 = 62.0;
const QR_SIZE: f32 = 46.0;
const CROSS_SIZE: f32 = 7.0;

/// "1234.5" as the bill prints amounts: two decimals, space as thousands separator.
pub fn bill_amount(amount: rust_decimal::Decimal) -> String {
    let text = format!("{amount:.2}");
    let (whole, cents) = text.split_once('.').unwrap_or((text.as_str(), "00"));
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (index, digit) in digits.iter().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(*digit);
    }
    format!("{grouped}.{cents}")
}

fn address_lines(address: &SwissAddress) -> Vec<String> {
    vec![
        address.name.clone(),
        format!("{} {}", address.street, address.building).trim().to_owned(),
        format!("{}-{} {}", address.country, address.postal_code, address.town),
    ]
}

/// Writes a heading and its value lines; returns the y after them.
fn section(
    canvas: &mut Canvas<'_>,
    x: f32,
    y: f32,
    heading: &str,
    lines: &[String],
    sizes: (f32, f32),
) -> f32 {
    let (heading_size, value_size) = sizes;
    canvas.text(x, y, heading, Style::bold(heading_size), Align::Left);
    let mut y = y + value_size * 0.3528 * 1.1;
    for line in lines.iter().filter(|l| !l.is_empty()) {
        canvas.text(x, y, line, Style::regular(value_size), Align::Left);
        y += value_size * 0.3528 * 1.2;
    }
    y + value_size * 0.3528 * 0.9
}

pub fn draw(canvas: &mut Canvas<'_>, bill: &SwissBill, lang: &Lang, doc: &InvoiceDocument) {
    let label = |id: &str| t(lang, id);
    canvas.text(PAGE_WIDTH / 2.0, TOP - 1.5, &label("qrbill-separate"), Style::regular(6.0), Align::Center);
    canvas.dashed_line((0.0, TOP), (PAGE_WIDTH, TOP), 0.4);
    canvas.dashed_line((RECEIPT_WIDTH, TOP), (RECEIPT_WIDTH, PAGE_HEIGHT), 0.4);

    let mut account = vec![grouped(&bill.creditor.iban, 4)];
    account.extend(address_lines(&bill.creditor.address));
    let reference = match &bill.reference {
        SwissReference::None => Vec::new(),
        other => vec![reference_text(other)],
    };
    let debtor = bill.debtor.as_ref().map(address_lines).unwrap_or_default();
    let amount = bill_amount(doc.amount_due.round().amount());
    let currency = doc.currency.code().to_owned();

    // Receipt.
    let x = 5.0;
    canvas.text(x, TOP + 9.0, &label("qrbill-receipt"), Style::bold(11.0), Align::Left);
    let mut y = TOP + 14.0;
    y = section(canvas, x, y, &label("qrbill-account"), &account, (6.0, 8.0));
    if !reference.is_empty() {
        y = section(canvas, x, y, &label("qrbill-reference"), &reference, (6.0, 8.0));
    }
    section(canvas, x, y, &label("qrbill-payable-by"), &debtor, (6.0, 8.0));
    let amount_y = TOP + 73.0;
    canvas.text(x, amount_y, &label("qrbill-currency"), Style::bold(6.0), Align::Left);
    canvas.text(x + 13.0, amount_y, &label("qrbill-amount"), Style::bold(6.0), Align::Left);
    canvas.text(x, amount_y + 4.0, &currency, Style::regular(8.0), Align::Left);
    canvas.text(x + 13.0, amount_y + 4.0, &amount, Style::regular(8.0), Align::Left);
    canvas.text(
        RECEIPT_WIDTH - 5.0,
        TOP + 87.0,
        &label("qrbill-acceptance-point"),
        Style::bold(6.0),
        Align::Right,
    );

    // Payment part.
    let x = RECEIPT_WIDTH + 5.0;
    canvas.text(x, TOP + 9.0, &label("qrbill-payment-part"), Style::bold(11.0), Align::Left);
    let qr_top = TOP + 17.0;
    canvas.square_image(&bill.image.id, bill.image.qr.pixels, x, qr_top, QR_SIZE);
    swiss_cross(canvas, x + QR_SIZE / 2.0, qr_top + QR_SIZE / 2.0);
    canvas.text(x, amount_y, &label("qrbill-currency"), Style::bold(8.0), Align::Left);
    canvas.text(x + 15.0, amount_y, &label("qrbill-amount"), Style::bold(8.0), Align::Left);
    canvas.text(x, amount_y + 5.0, &currency, Style::regular(10.0), Align::Left);
    canvas.text(x + 15.0, amount_y + 5.0, &amount, Style::regular(10.0), Align::Left);

    let x = RECEIPT_WIDTH + 5.0 + QR_SIZE + 5.0;
    let mut y = TOP + 9.0;
    y = section(canvas, x, y, &label("qrbill-account"), &account, (8.0, 10.0));
    if !reference.is_empty() {
        y = section(canvas, x, y, &label("qrbill-reference"), &reference, (8.0, 10.0));
    }
    y = section(
        canvas,
        x,
        y,
        &label("qrbill-additional-information"),
        std::slice::from_ref(&doc.number),
        (8.0, 10.0),
    );
    section(canvas, x, y, &label("qrbill-payable-by"), &debtor, (8.0, 10.0));
}

/// The Swiss cross in the middle of the code: a 7 mm black square with a white border and a
/// white cross, as the style guide draws it.
pub(crate) fn swiss_cross(canvas: &mut Canvas<'_>, center_x: f32, center_y: f32) {
    let half = CROSS_SIZE / 2.0;
    canvas.fill_rect(center_x - half, center_y - half, CROSS_SIZE, CROSS_SIZE, 1.0);
    let inner = CROSS_SIZE - 1.0;
    canvas.fill_rect(center_x - inner / 2.0, center_y - inner / 2.0, inner, inner, 0.0);
    let (long, thick) = (inner * 0.62, inner * 0.19);
    canvas.fill_rect(center_x - thick / 2.0, center_y - long / 2.0, thick, long, 1.0);
    canvas.fill_rect(center_x - long / 2.0, center_y - thick / 2.0, long, thick, 1.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn amounts_print_with_spaces_and_a_point() {
        assert_eq!(bill_amount(Decimal::new(123_456_789, 2)), "1 234 567.89");
        assert_eq!(bill_amount(Decimal::new(1_50, 2)), "1.50");
        assert_eq!(bill_amount(Decimal::new(100_000, 2)), "1 000.00");
    }
}
