//! Emails about incidents, in each customer's language, queued through the outbox in the
//! transaction of the change: a notice of every timeline update to each customer the incident
//! touches, with their own window in their time zone.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{IncidentError, Texts};
use crate::db::schema::{incident_notice_subscribers, incident_updates, incidents};
use crate::i18n::{Lang, t};
use crate::mail;
use crate::mail::templates::EmailContent;
use crate::site::Site;

/// Opts a customer in to (or out of) incident emails.
pub fn set_opt_in(
    conn: &mut PgConnection,
    customer: i64,
    on: bool,
    now: DateTime<Utc>,
) -> Result<(), IncidentError> {
    if on {
        diesel::insert_into(incident_notice_subscribers::table)
            .values((
                incident_notice_subscribers::customer_id.eq(customer),
                incident_notice_subscribers::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    } else {
        diesel::delete(incident_notice_subscribers::table.find(customer)).execute(conn)?;
    }
    Ok(())
}

pub fn is_opted_in(conn: &mut PgConnection, customer: i64) -> Result<bool, IncidentError> {
    Ok(diesel::select(diesel::dsl::exists(incident_notice_subscribers::table.find(customer)))
        .get_result(conn)?)
}

/// A customer to write to, with what their email needs: language, country (formats) and time
/// zone.
#[derive(QueryableByName)]
pub(super) struct Recipient {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub language: String,
    #[diesel(sql_type = diesel::sql_types::Bpchar)]
    pub country: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub time_zone: Option<String>,
}

/// The email for `recipient`, rendered in `lang`, sent once per `key`.
pub(super) fn mail_to(
    recipient: &Recipient,
    lang: &Lang,
    key: String,
    content: &EmailContent<'_>,
) -> Result<mail::OutgoingMail, IncidentError> {
    let rendered = mail::render_email(lang, content)?;
    Ok(mail::OutgoingMail {
        idempotency_key: key,
        recipient: recipient.email.clone(),
        language: lang.code().to_owned(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        attachment_document_id: None,
        secret: None,
        list_unsubscribe: None,
    })
}

/// The open accounts among `ids`, in id order.
pub(super) fn recipients(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<Recipient>, IncidentError> {
    Ok(diesel::sql_query(
        "SELECT id, email, language, country, time_zone FROM customers
          WHERE id = ANY ($1) AND closed_at IS NULL ORDER BY id",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
    .load(conn)?)
}

/// Tells every customer placed on the incident's resources while it lasted about `update`:
/// a service message, not something to opt in to. One email per customer and update (the
/// outbox's unique key), in their language, naming their resources and their own window in
/// their time zone; a text staff did not write in their language comes in English, saying so.
pub fn tell_affected(
    conn: &mut PgConnection,
    site: &Site,
    incident: i64,
    update: i64,
    _now: DateTime<Utc>,
) -> Result<usize, IncidentError> {
    let windows = super::windows::of_incident(conn, incident, None)?;
    if windows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = windows.keys().copied().collect();
    let recipients = recipients(conn, &ids)?;
    let title: serde_json::Value = incidents::table.find(incident).select(incidents::title).first(conn)?;
    let (status, body): (String, serde_json::Value) = incident_updates::table
        .find(update)
        .select((incident_updates::status, incident_updates::body))
        .first(conn)?;
    let (title, body) = (Texts::from_json(&title), Texts::from_json(&body));
    // Rendered and queued a chunk at a time: 100,000 rendered emails held at once took over
    // a gigabyte.
    for chunk in recipients.chunks(MAILS_PER_INSERT) {
        queue_notices(conn, site, chunk, &windows, (&title, &body, &status), update)?;
    }
    Ok(recipients.len())
}

/// Emails per rendering and outbox INSERT.
const MAILS_PER_INSERT: usize = 2_000;

/// Renders and queues the notice of `update` to `recipients`.
fn queue_notices(
    conn: &mut PgConnection,
    site: &Site,
    recipients: &[Recipient],
    windows: &std::collections::BTreeMap<i64, Vec<super::windows::Window>>,
    (title, body, status): (&Texts, &Texts, &str),
    update: i64,
) -> Result<(), IncidentError> {
    let mut mails = Vec::with_capacity(recipients.len());
    for r in recipients {
        let lang = Lang::supported(&r.language).unwrap_or_else(Lang::english);
        let formats = crate::i18n::format::Formats::new(&lang, r.country.trim());
        let zone = super::reader_time::zone(r.time_zone.as_deref(), &r.country);
        let own = windows
            .get(&r.id)
            .map(|list| {
                list.iter()
                    .map(|w| {
                        format!(
                            "{}: {}",
                            w.resource,
                            super::reader_time::window_text(&formats, zone, w.from, w.until)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let paragraphs: &[&str] = if body.has(&lang) {
            &["incident-email-text", "incident-email-window", "incident-email-body"]
        } else {
            &[
                "incident-email-text",
                "incident-email-window",
                "incident-email-body",
                "incident-email-english-only",
            ]
        };
        let content = EmailContent {
            subject: "incident-email-subject",
            paragraphs,
            action: Some(("incident-email-action", site.link("/status"))),
            args: vec![
                ("title", title.get(&lang).to_owned().into()),
                ("status", t(&lang, &format!("incident-status-{}", status.replace('_', "-"))).into()),
                ("body", body.get(&lang).to_owned().into()),
                ("windows", own.into()),
            ],
        };
        mails.push(mail_to(r, &lang, format!("incident-notice:{update}:{}", r.id), &content)?);
    }
    mail::outbox::enqueue_many(conn, &mails, &site.mail_domain)?;
    Ok(())
}
