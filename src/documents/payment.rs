//! The payment codes a document carries, drawn from how it asks to be paid
//! (`documents::how_to_pay`): EUR transfers an EPC ("GiroCode") code for SEPA transfers; CHF
//! transfers a Swiss QR-bill to the seller's Swiss account, with a QR reference on a QR-IBAN or
//! the RF reference on a plain IBAN. Other currencies are paid from the printed details.

use printpdf::XObjectId;

use super::DocumentError;
use super::model::InvoiceDocument;
use super::qr_image::{QrImage, qr_image};
use super::qr_payload::{self, SwissAddress, SwissCreditor, SwissReference};
use super::snapshot::Seller;
use crate::documents::how_to_pay::{Code, HowToPay, Transfer};

/// A QR image and the resource name it is placed under.
pub struct PlacedQr {
    pub id: XObjectId,
    pub qr: QrImage,
}

pub struct SwissBill {
    pub image: PlacedQr,
    pub creditor: SwissCreditor,
    pub debtor: Option<SwissAddress>,
    pub reference: SwissReference,
}

/// The payment codes a document carries.
pub struct Payment {
    pub epc_image: Option<PlacedQr>,
    pub swiss: Option<SwissBill>,
}

/// The creditor's structured address from the seller's printed lines: "street number",
/// "postcode town".
pub(super) fn seller_address(seller: &Seller, country: &str) -> SwissAddress {
    let street_line = seller.address.first().cloned().unwrap_or_default();
    let (street, building) = split_building(&street_line);
    let town_line = seller.address.get(1).cloned().unwrap_or_default();
    let (postal_code, town) = town_line.split_once(' ').unwrap_or(("", town_line.as_str()));
    SwissAddress {
        name: seller.name.clone(),
        street,
        building,
        postal_code: postal_code.to_owned(),
        town: town.to_owned(),
        country: country.to_owned(),
    }
}

/// "Bahnhofstrasse 12a" -> ("Bahnhofstrasse", "12a"); a street without number stays whole.
fn split_building(line: &str) -> (String, String) {
    match line.rsplit_once(' ') {
        Some((street, number)) if number.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            (street.to_owned(), number.to_owned())
        }
        _ => (line.to_owned(), String::new()),
    }
}

/// The payer's address, when it is complete enough for the standard; otherwise the payment
/// part leaves "Payable by" empty, as it allows.
fn debtor(doc: &InvoiceDocument) -> Option<SwissAddress> {
    let customer = &doc.customer;
    if customer.postal_code.trim().is_empty()
        || customer.city.trim().is_empty()
        || customer.country.len() != 2
    {
        return None;
    }
    let (street, building) = split_building(&doc.customer.street);
    Some(SwissAddress {
        name: doc.customer.company_name.clone().unwrap_or_else(|| doc.customer.name.clone()),
        street,
        building,
        postal_code: doc.customer.postal_code.clone(),
        town: doc.customer.city.clone(),
        country: doc.customer.country.clone(),
    })
}

/// The payment codes of `doc`, drawn from how it asks to be paid (`doc.how_to_pay`, decided by
/// `documents::how_to_pay`); none for debits, credit notes and documents with nothing due.
pub fn payment(doc: &InvoiceDocument, seller_country: &str) -> Result<Option<Payment>, DocumentError> {
    let HowToPay::Transfer(transfer) = &doc.how_to_pay else {
        return Ok(None);
    };
    match transfer.code {
        Code::Epc => {
            let payload = transfer.epc_payload()?.unwrap_or_default();
            let qr = qr_image(&payload, true)?;
            Ok(Some(Payment {
                epc_image: Some(PlacedQr { id: XObjectId("X1".to_owned()), qr }),
                swiss: None,
            }))
        }
        Code::SwissQrBill => {
            let creditor = swiss_creditor(transfer, &doc.seller, seller_country);
            let debtor = debtor(doc);
            let reference = transfer.reference.swiss();
            let payload = qr_payload::swiss_with_message(
                &creditor,
                debtor.as_ref(),
                transfer.amount,
                reference.clone(),
                &doc.number,
            )?;
            // The standard puts the quiet zone outside the 46 mm code.
            let qr = qr_image(&payload, false)?;
            Ok(Some(Payment {
                epc_image: None,
                swiss: Some(SwissBill {
                    image: PlacedQr { id: XObjectId("X2".to_owned()), qr },
                    creditor,
                    debtor,
                    reference,
                }),
            }))
        }
        Code::None => Ok(None),
    }
}

/// The Swiss QR-bill's creditor: the account of the transfer, in Liechtenstein for LI IBANs.
fn swiss_creditor(transfer: &Transfer, seller: &Seller, seller_country: &str) -> SwissCreditor {
    let iban = transfer.iban.clone();
    let country = if iban.starts_with("LI") { "LI" } else { seller_country };
    SwissCreditor { iban, address: seller_address(seller, country) }
}

/// The payload of the code a transfer is paid by (EPC for EUR, the Swiss QR-bill's for CHF),
/// for documents that print the code alone (reminder letters): the same code an invoice
/// carries, without the payer's address, which the standard leaves optional.
pub fn code_payload(
    transfer: &Transfer,
    seller: &Seller,
    seller_country: &str,
    message: &str,
) -> Result<Option<String>, DocumentError> {
    match transfer.code {
        Code::Epc => Ok(transfer.epc_payload()?),
        Code::SwissQrBill => Ok(Some(qr_payload::swiss_with_message(
            &swiss_creditor(transfer, seller, seller_country),
            None,
            transfer.amount,
            transfer.reference.swiss(),
            message,
        )?)),
        Code::None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::printed::{grouped, reference_text};
    use crate::iban::is_qr_iban;

    #[test]
    fn references_and_accounts_print_in_groups() {
        assert_eq!(grouped("DE89370400440532013000", 4), "DE89 3704 0044 0532 0130 00");
        assert_eq!(
            reference_text(&SwissReference::Qrr("210000000003139471430009017".into())),
            "21 00000 00003 13947 14300 09017"
        );
        assert_eq!(reference_text(&SwissReference::Scor("RF18539007547034".into())), "RF18 5390 0754 7034");
        assert!(is_qr_iban("CH4431999123000889012"));
        assert!(!is_qr_iban("CH5800791123000889012"));
        assert_eq!(split_building("Bahnhofstrasse 12a"), ("Bahnhofstrasse".into(), "12a".into()));
        assert_eq!(split_building("Rue du Lac"), ("Rue du Lac".into(), String::new()));
    }
}
