//! The compensation letter: to one customer about one resolved incident, in their language,
//! naming their resource(s) and their own affected window(s) in their time zone, the downtime
//! counted, the policy tier, and what they get (the amounts of their grants, as the ledger
//! booked them) or may still choose; a customer who gets nothing is told why and offered no
//! choice. Once granted, the letter is rendered once and kept; before that it is rendered
//! for reading and not kept.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::LetterError;
use crate::db::schema::{compensation_grants, compensation_letters, customers};
use crate::documents::canvas::{Align, Canvas};
use crate::documents::store::{StoredDocument, store_pdf, stored};
use crate::fonts::{Style, fonts};
use crate::i18n::format::Formats;
use crate::i18n::{Lang, t, t_args};
use crate::incidents::alternatives;
use crate::incidents::compensation::{self, Entitlement};
use crate::incidents::sla::{Reason, reason_text};
use crate::incidents::{IncidentError, reader_time, windows};
use crate::money::Money;
use crate::tax::Seller;

/// What the letter says, in the customer's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub file_name: String,
    pub identifier: String,
    pub seller: String,
    pub address: Vec<String>,
    pub date: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// `fs19: 03.11.2026 11:00–16:00 (Europe/Oslo)`, one per window.
    pub windows: Vec<String>,
    pub windows_heading: String,
    pub reference: String,
    /// Granted: the letter is final and kept.
    pub is_final: bool,
}

/// One of the customer's grants for the incident (one per subscription).
#[derive(Queryable)]
struct Grant {
    currency: String,
    amount: Decimal,
    downtime_seconds: i64,
    percent: Decimal,
    reason: String,
    option: String,
    created_at: DateTime<Utc>,
}

type CustomerRow = (String, Option<String>, String, String, String, String, String, Option<String>);

/// The letter for `customer` about `incident` (not found when the incident did not touch them;
/// not yet when it is not resolved).
pub fn compose(
    conn: &mut PgConnection,
    customer: i64,
    incident: i64,
    seller: &str,
    tax: &Seller,
    now: DateTime<Utc>,
) -> Result<Letter, LetterError> {
    let (name, company, street, postal_code, city, country, language, time_zone): CustomerRow =
        customers::table
            .find(customer)
            .select((
                customers::name,
                customers::company_name,
                customers::street,
                customers::postal_code,
                customers::city,
                customers::country,
                customers::language,
                customers::time_zone,
            ))
            .first(conn)
            .optional()?
            .ok_or(IncidentError::UnknownIncident(incident))?;
    let country = country.trim().to_owned();
    let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
    let formats = Formats::new(&lang, &country);
    let zone = reader_time::zone(time_zone.as_deref(), &country);
    let own = windows::of_incident(conn, incident, Some(&[customer]))?.remove(&customer).unwrap_or_default();
    if own.is_empty() {
        return Err(IncidentError::UnknownIncident(incident).into());
    }
    let subject = compensation::subject(conn, incident, now)?;
    let title = subject.title.get(&lang).to_owned();
    let grants: Vec<Grant> = compensation_grants::table
        .filter(compensation_grants::incident_id.eq(incident))
        .filter(compensation_grants::customer_id.eq(customer))
        .order(compensation_grants::id)
        .select((
            compensation_grants::currency,
            compensation_grants::amount,
            compensation_grants::downtime_seconds,
            compensation_grants::percent,
            compensation_grants::reason,
            compensation_grants::option,
            compensation_grants::created_at,
        ))
        .load(conn)?;
    let offer = subject.alternatives.storage().map(|(gb, months)| {
        t_args(
            &lang,
            "my-incidents-option-storage",
            &[("gb", i64::from(gb).into()), ("months", i64::from(months).into())],
        )
    });
    let charity = subject.alternatives.charity().unwrap_or_default().to_owned();
    let mut paragraphs = vec![
        t_args(&lang, "letter-greeting", &[("name", name.clone().into())]),
        t_args(&lang, "letter-intro", &[("title", title.clone().into())]),
    ];
    let hours = |seconds: i64| formats.number(Decimal::from(seconds) / Decimal::from(3600), 1);
    let dated;
    let largest = grants.iter().max_by_key(|g| g.amount);
    if let Some(largest) = largest {
        dated = grants.iter().map(|g| g.created_at).max().unwrap_or(now);
        let downtime = grants.iter().map(|g| g.downtime_seconds).max().unwrap_or(0);
        let reason = Reason::parse(&largest.reason).unwrap_or(Reason::WithinTarget);
        paragraphs.push(t_args(&lang, "letter-downtime", &[("hours", hours(downtime).into())]));
        let credit: Decimal = grants.iter().filter(|g| g.option == "credit").map(|g| g.amount).sum();
        let total_of = |option: &str| -> Decimal {
            grants.iter().filter(|g| g.option == option).map(|g| g.amount).sum()
        };
        let in_money = |amount: Decimal| -> Result<String, LetterError> {
            let currency =
                crate::ledger::currency_from_code(largest.currency.trim()).map_err(IncidentError::from)?;
            Ok(formats.money(Money::new(amount, currency)))
        };
        if subject.alternatives.is_choice() {
            let kinds: Vec<String> = subject
                .alternatives
                .offered
                .iter()
                .map(|a| t(&lang, &format!("compensation-kind-{}", a.kind().as_str().replace('_', "-"))))
                .collect();
            paragraphs.push(t_args(&lang, "letter-offered", &[("alternatives", kinds.join(", ").into())]));
        }
        if total_of("free_month") > Decimal::ZERO {
            paragraphs.push(reason_text(&lang, reason, downtime, largest.percent));
            paragraphs.push(t_args(
                &lang,
                "letter-free-month",
                &[("amount", in_money(total_of("free_month"))?.into())],
            ));
        } else if total_of("donation") > Decimal::ZERO {
            paragraphs.push(reason_text(&lang, reason, downtime, largest.percent));
            paragraphs.push(t_args(
                &lang,
                "letter-donation",
                &[("amount", in_money(total_of("donation"))?.into()), ("charity", charity.clone().into())],
            ));
        } else if grants.iter().any(|g| g.option == "storage") {
            paragraphs.push(reason_text(&lang, reason, downtime, largest.percent));
            paragraphs.push(t_args(
                &lang,
                "letter-storage",
                &[("offer", offer.clone().unwrap_or_default().into())],
            ));
        } else if credit > Decimal::ZERO {
            paragraphs.push(reason_text(&lang, reason, downtime, largest.percent));
            let currency =
                crate::ledger::currency_from_code(largest.currency.trim()).map_err(IncidentError::from)?;
            paragraphs.push(t_args(
                &lang,
                "letter-credit",
                &[("amount", formats.money(Money::new(credit, currency)).into())],
            ));
        } else {
            paragraphs.push(t_args(
                &lang,
                "letter-nothing",
                &[("reason", reason_text(&lang, reason, downtime, largest.percent).into())],
            ));
        }
    } else {
        // Not issued yet: what it will be, or the choice still open.
        dated = now;
        match compensation::entitlement(conn, customer, incident, tax, now)? {
            Entitlement::Unresolved => return Err(IncidentError::NotResolved.into()),
            Entitlement::Nothing { reason, downtime_seconds, percent } => {
                paragraphs.push(t_args(
                    &lang,
                    "letter-downtime",
                    &[("hours", hours(downtime_seconds).into())],
                ));
                paragraphs.push(t_args(
                    &lang,
                    "letter-nothing",
                    &[("reason", reason_text(&lang, reason, downtime_seconds, percent).into())],
                ));
            }
            Entitlement::Credit { amount, free_month, option, reason, downtime_seconds, percent } => {
                paragraphs.push(t_args(
                    &lang,
                    "letter-downtime",
                    &[("hours", hours(downtime_seconds).into())],
                ));
                paragraphs.push(reason_text(&lang, reason, downtime_seconds, percent));
                let described =
                    alternatives::described(&lang, &formats, &subject.alternatives, amount, free_month);
                let open = subject.choice_deadline.filter(|d| now <= *d && subject.alternatives.is_choice());
                let default = described
                    .iter()
                    .find(|(kind, _)| *kind == subject.alternatives.default)
                    .or_else(|| described.first())
                    .map_or_else(String::new, |(_, text)| text.clone());
                let amount = formats.money(amount);
                paragraphs.push(match open {
                    Some(deadline) => t_args(
                        &lang,
                        "letter-choose",
                        &[
                            (
                                "alternatives",
                                described
                                    .iter()
                                    .map(|(_, text)| text.as_str())
                                    .collect::<Vec<_>>()
                                    .join("; ")
                                    .into(),
                            ),
                            ("default", default.into()),
                            ("deadline", formats.date(deadline.with_timezone(&zone).date_naive()).into()),
                        ],
                    ),
                    // Choosing is over: name what will be granted, which is not always the credit.
                    None => match option
                        .filter(|kind| *kind != alternatives::Kind::Credit)
                        .and_then(|kind| described.iter().find(|(k, _)| *k == kind))
                    {
                        Some((_, what)) => {
                            t_args(&lang, "letter-alternative-coming", &[("what", what.clone().into())])
                        }
                        None => t_args(&lang, "letter-credit-coming", &[("amount", amount.into())]),
                    },
                });
            }
        }
    }
    paragraphs.push(t(&lang, "letter-closing"));
    let number = crate::invoicing::customer_number(customer);
    let mut address = vec![name];
    address.extend(company.filter(|c| !c.trim().is_empty()));
    address.push(street);
    address.push(format!("{postal_code} {city}"));
    address.push(t(&lang, &format!("country-{}", country.to_ascii_lowercase())));
    Ok(Letter {
        file_name: format!("compensation-{incident}-{number}.pdf"),
        identifier: format!("compensation-{incident}-{number}"),
        seller: seller.to_owned(),
        address,
        date: formats.date(dated.with_timezone(&zone).date_naive()),
        heading: t_args(&lang, "letter-heading", &[("title", title.into())]),
        paragraphs,
        windows_heading: t(&lang, "letter-windows"),
        windows: own
            .iter()
            .map(|w| format!("{}: {}", w.resource, reader_time::window_text(&formats, zone, w.from, w.until)))
            .collect(),
        reference: t_args(
            &lang,
            "letter-reference",
            &[("incident", incident.into()), ("customer", number.into())],
        ),
        is_final: !grants.is_empty(),
    })
}

const LEFT: f32 = 25.0;
const WIDTH: f32 = 160.0;

/// The letter as an A4 PDF, one page (a long list of windows goes on to more).
pub fn render(letter: &Letter) -> Result<Vec<u8>, LetterError> {
    let fonts = fonts().ok_or(crate::documents::DocumentError::Font)?;
    let mut first = Canvas::new(fonts);
    let body = Style::regular(10.0);
    let mut y = 20.0;
    {
        let canvas = &mut first;
        canvas.text(LEFT, y, &letter.seller, Style::bold(12.0), Align::Left);
        canvas.text(LEFT + WIDTH, y, &letter.date, body, Align::Right);
        y = 45.0;
        for line in &letter.address {
            canvas.text(LEFT, y, line, body, Align::Left);
            y += 5.0;
        }
        y = 85.0;
        y = canvas.paragraph(LEFT, y, WIDTH, &letter.heading, Style::bold(13.0)) + 4.0;
        for (i, text) in letter.paragraphs.iter().enumerate() {
            y = canvas.paragraph(LEFT, y, WIDTH, text, body) + 3.0;
            if i == 1 {
                // After the introduction: where and when, in the reader's time.
                y = canvas.paragraph(LEFT, y, WIDTH, &letter.windows_heading, Style::bold(10.0)) + 1.0;
                for window in &letter.windows {
                    y = canvas.paragraph(LEFT + 5.0, y, WIDTH - 5.0, window, body);
                }
                y += 3.0;
            }
        }
        canvas.text(LEFT, 285.0, &letter.reference, Style::regular(8.0), Align::Left);
    }
    let mut pages = vec![first];
    if y > 280.0 {
        // Very many windows: printed in full on further pages rather than cut off.
        let mut canvas = Canvas::new(fonts);
        let mut y = 20.0;
        for window in &letter.windows {
            y = canvas.paragraph(LEFT, y, WIDTH, window, body);
        }
        pages.push(canvas);
    }
    Ok(crate::documents::render::render_pages(&letter.identifier, &letter.seller, pages)?)
}

/// The customer's letter: the stored one once granted (rendered and kept the first time it is
/// asked for, exactly once per incident and customer), else a fresh render that is not kept.
pub fn letter_pdf(
    conn: &mut PgConnection,
    customer: i64,
    incident: i64,
    seller: &str,
    tax: &Seller,
    now: DateTime<Utc>,
) -> Result<StoredDocument, LetterError> {
    let kept = |conn: &mut PgConnection| -> Result<Option<i64>, LetterError> {
        Ok(compensation_letters::table
            .find((incident, customer))
            .select(compensation_letters::document_id)
            .first(conn)
            .optional()?)
    };
    if let Some(document) = kept(conn)? {
        return Ok(stored(conn, document)?);
    }
    let letter = compose(conn, customer, incident, seller, tax, now)?;
    let bytes = render(&letter)?;
    if !letter.is_final {
        return Ok(StoredDocument {
            id: 0,
            file_name: letter.file_name,
            media_type: crate::documents::store::PDF.to_owned(),
            sha256: sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes)).to_vec(),
            content: bytes,
        });
    }
    // Two first requests at once: the customer's row serialises them, so one document is kept.
    customers::table.find(customer).select(customers::id).for_update().first::<i64>(conn)?;
    if let Some(document) = kept(conn)? {
        return Ok(stored(conn, document)?);
    }
    let document = store_pdf(conn, &letter.file_name, &bytes)?;
    diesel::insert_into(compensation_letters::table)
        .values((
            compensation_letters::incident_id.eq(incident),
            compensation_letters::customer_id.eq(customer),
            compensation_letters::document_id.eq(document),
            compensation_letters::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(stored(conn, document)?)
}
