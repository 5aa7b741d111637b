//! The compensation email: one per granted subscription, in the customer's language, naming
//! their resources and their own affected windows in their time zone, what they got and why,
//! and where their letter (PDF) is.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::assessment::{Assessment, Subject};
use super::sla::Reason;
use super::{IncidentError, reader_time, windows};
use crate::i18n::Lang;
use crate::i18n::format::Formats;
use crate::mail::OutgoingMail;
use crate::mail::templates::EmailContent;
use crate::money::Money;
use crate::site::Site;

/// Where a customer reads their letter for an incident.
pub fn letter_path(incident: i64) -> String {
    format!("/account/incidents/{incident}/letter.pdf")
}

/// Who the granted customers are and their own affected windows: all the emails need from the
/// database, read first so that the emails can be written on another thread.
pub(super) struct Readers {
    who: HashMap<i64, super::notices::Recipient>,
    windows: BTreeMap<i64, Vec<windows::Window>>,
}

pub(super) fn readers(
    conn: &mut PgConnection,
    subject: &Subject,
    granted: &[&Assessment],
) -> Result<Readers, IncidentError> {
    let ids: Vec<i64> = granted.iter().map(|a| a.customer_id).collect();
    let who = super::notices::recipients(conn, &ids)?;
    let who = who.into_iter().map(|w| (w.id, w)).collect();
    let windows = windows::of_incident(conn, subject.id, Some(&ids))?;
    Ok(Readers { who, windows })
}

/// One email per granted subscription, in the customer's language: what they got and why.
/// Queue them with [`crate::mail::outbox::enqueue_many`] in the transaction granting them.
pub(super) fn compose(
    site: &Site,
    subject: &Subject,
    granted: &[&Assessment],
    readers: &Readers,
) -> Result<Vec<OutgoingMail>, IncidentError> {
    let Readers { who, windows } = readers;
    let storage = subject.alternatives.storage().unwrap_or((0, 0));
    let mut mails = Vec::with_capacity(granted.len());
    for a in granted {
        let Some(w) = who.get(&a.customer_id) else { continue };
        let lang = Lang::supported(&w.language).unwrap_or_else(Lang::english);
        let formats = Formats::new(&lang, w.country.trim());
        let zone = reader_time::zone(w.time_zone.as_deref(), &w.country);
        let own = windows
            .get(&w.id)
            .map_or_else(String::new, |list| reader_time::windows_text(&formats, zone, list));
        let currency = crate::ledger::currency_from_code(&a.currency)?;
        let what = match a.option {
            Some("storage") => "compensation-email-storage",
            _ if a.amount.is_zero() => "compensation-email-nothing",
            Some("free_month") => "compensation-email-free-month",
            Some("donation") => "compensation-email-donation",
            _ if a.amount > Decimal::ZERO => "compensation-email-credit",
            _ => "compensation-email-nothing",
        };
        let reason = Reason::parse(a.reason).unwrap_or(Reason::WithinTarget).message_id();
        let hours = Decimal::from(a.downtime_seconds) / Decimal::from(3600);
        let content = EmailContent {
            subject: "compensation-email-subject",
            paragraphs: &[what, "compensation-email-window", reason, "compensation-email-letter"],
            action: Some(("compensation-email-action", site.link(&letter_path(subject.id)))),
            args: vec![
                ("title", subject.title.get(&lang).to_owned().into()),
                ("amount", formats.money(Money::new(a.granted(), currency)).into()),
                ("hours", formats.number(hours, 1).into()),
                ("percent", formats.number(a.percent, 0).into()),
                ("gb", i64::from(storage.0).into()),
                ("months", i64::from(storage.1).into()),
                ("charity", subject.alternatives.charity().unwrap_or_default().to_owned().into()),
                ("windows", own.into()),
                ("link", site.link(&letter_path(subject.id)).into()),
            ],
        };
        let key = format!("compensation:{}:{}", subject.id, a.subscription_id);
        mails.push(super::notices::mail_to(w, &lang, key, &content)?);
    }
    Ok(mails)
}
