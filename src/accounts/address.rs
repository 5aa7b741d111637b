//! Who and where a customer is, as typed into the sign-up and settings forms.

use super::FieldErrors;
use crate::country::{Country, VatId};

/// The form fields, as submitted.
#[derive(Debug, Clone, Copy)]
pub struct PostalInput<'a> {
    pub name: &'a str,
    pub company_name: &'a str,
    pub street: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
}

/// Name and postal address that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalDetails {
    pub name: String,
    pub company_name: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

/// A required text field: trimmed, not empty, at most `max` characters, no control characters,
/// and nothing the invoice's font cannot print (an invoice without the recipient's name is
/// defective).
pub fn text_field(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, "field-required");
        None
    } else if value.chars().count() > max || value.chars().any(char::is_control) {
        errors.add(field, "field-invalid");
        None
    } else if !crate::fonts::printable(value) {
        errors.add(field, "field-unprintable");
        None
    } else {
        Some(value.to_owned())
    }
}

impl PostalDetails {
    /// Checks every field, adding an error per bad field; `None` when any was bad.
    pub fn parse(input: PostalInput<'_>, errors: &mut FieldErrors) -> Option<PostalDetails> {
        let name = text_field(errors, "name", input.name, 200);
        let street = text_field(errors, "street", input.street, 200);
        let postal_code = text_field(errors, "postal_code", input.postal_code, 20);
        let city = text_field(errors, "city", input.city, 100);
        let company_name = match input.company_name.trim() {
            "" => Some(None),
            _ => text_field(errors, "company_name", input.company_name, 200).map(Some),
        };
        Some(PostalDetails {
            name: name?,
            company_name: company_name?,
            street: street?,
            postal_code: postal_code?,
            city: city?,
        })
    }
}

/// An optional VAT ID, format-checked for `country`.
pub fn optional_vat_id(errors: &mut FieldErrors, input: &str, country: Country) -> Option<VatId> {
    match input.trim() {
        "" => None,
        input => VatId::parse(input, country).map_err(|error| errors.add("vat_id", error.message_id())).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported() {
        let mut errors = FieldErrors::default();
        let input = PostalInput {
            name: " ",
            company_name: "",
            street: "Ring 1",
            postal_code: "x".repeat(30).leak(),
            city: "Wien\u{7}",
        };
        assert!(PostalDetails::parse(input, &mut errors).is_none());
        assert_eq!(errors.get("name"), Some("field-required"));
        assert_eq!(errors.get("postal_code"), Some("field-invalid"));
        assert_eq!(errors.get("city"), Some("field-invalid"));
        assert_eq!(errors.get("street"), None);
        let mut errors = FieldErrors::default();
        let chinese = PostalInput { name: "王秀英", ..input };
        assert!(PostalDetails::parse(chinese, &mut errors).is_none());
        assert_eq!(errors.get("name"), Some("field-unprintable"));
        let mut errors = FieldErrors::default();
        let good = PostalInput {
            name: " Anna ",
            company_name: "",
            street: "Ring 1",
            postal_code: "1010",
            city: "Wien",
        };
        let details = PostalDetails::parse(good, &mut errors).unwrap();
        assert_eq!((details.name.as_str(), details.company_name), ("Anna", None));
        assert!(optional_vat_id(&mut errors, "", Country::Austria).is_none() && errors.is_empty());
        assert!(optional_vat_id(&mut errors, "ATU13585626", Country::Austria).is_none());
        assert_eq!(errors.get("vat_id"), Some("vat-id-bad-check-digit"));
    }
}
