//! "Your SEPA direct debit mandate": the mandate as signed, mailed to the customer in the
//! transaction that creates it, with the exact text they accepted and the creditor's full name
//! and address (the SEPA rulebook asks the creditor to give the debtor both). Once per mandate.

use diesel::PgConnection;
use fluent_templates::fluent_bundle::FluentValue;

use super::SepaError;
use super::mandate::{Mandate, mandate_text};
use crate::i18n::Lang;
use crate::i18n::format::Formats;
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::site::Site;

/// The creditor as the mandate email names it.
pub struct Creditor<'a> {
    pub name: &'a str,
    pub id: &'a str,
    pub address: &'a [String],
}

pub fn mandate_signed(
    conn: &mut PgConnection,
    site: &Site,
    mandate: &Mandate,
    creditor: &Creditor<'_>,
    email: &str,
    country: &str,
) -> Result<(), SepaError> {
    let lang = Lang::supported(&mandate.language).unwrap_or_else(Lang::english);
    let text = mandate_text(&lang, creditor.name, creditor.id, &mandate.reference);
    let mut address = vec![creditor.name.to_owned()];
    address.extend(creditor.address.iter().cloned());
    let args: Vec<(&str, FluentValue<'static>)> = vec![
        ("reference", mandate.reference.clone().into()),
        ("date", Formats::new(&lang, country).date(mandate.signed_on).into()),
        ("iban", mandate.iban_ending().into()),
        ("text", text.into()),
        ("creditor", address.join(", ").into()),
        ("creditor_id", creditor.id.to_owned().into()),
    ];
    let content = EmailContent {
        subject: "email-mandate-subject",
        paragraphs: &["email-mandate-intro", "email-mandate-text", "email-mandate-creditor"],
        action: Some((
            "email-mandate-action",
            format!("{}/account/direct-debit", site.public_url.trim_end_matches('/')),
        )),
        args,
    };
    mail::send(conn, site, email, &lang, format!("mandate-signed:{}", mandate.id), &content)?;
    Ok(())
}
