//! Emails about incidents, in each customer's language, queued through the outbox in the
//! transaction of the change: timeline notices for customers who opted in, and the
//! compensation notice for everyone who was granted something.

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

#[derive(QueryableByName)]
struct Recipient {
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    language: String,
}

/// Queues one email per opted-in customer placed on the incident's resources about `update`.
pub fn tell_subscribers(
    conn: &mut PgConnection,
    site: &Site,
    incident: i64,
    update: i64,
    _now: DateTime<Utc>,
) -> Result<usize, IncidentError> {
    let recipients: Vec<Recipient> = diesel::sql_query(
        "SELECT DISTINCT c.id AS customer_id, c.email, c.language
           FROM incident_notice_subscribers n
           JOIN customers c ON c.id = n.customer_id AND c.closed_at IS NULL
           JOIN placements p ON p.customer_id = c.id
           JOIN incident_resources ir ON ir.resource_id = p.resource_id AND ir.incident_id = $1
           JOIN incidents i ON i.id = ir.incident_id
          WHERE p.placed_from < coalesce(i.ended_at, 'infinity')
            AND coalesce(p.placed_until, 'infinity') > i.started_at
          ORDER BY c.id",
    )
    .bind::<BigInt, _>(incident)
    .load(conn)?;
    if recipients.is_empty() {
        return Ok(0);
    }
    let title: serde_json::Value = incidents::table.find(incident).select(incidents::title).first(conn)?;
    let (status, body): (String, serde_json::Value) = incident_updates::table
        .find(update)
        .select((incident_updates::status, incident_updates::body))
        .first(conn)?;
    let (title, body) = (Texts::from_json(&title), Texts::from_json(&body));
    for r in &recipients {
        let lang = Lang::supported(&r.language).unwrap_or_else(Lang::english);
        let content = EmailContent {
            subject: "incident-email-subject",
            paragraphs: &["incident-email-text", "incident-email-body"],
            action: Some(("incident-email-action", site.link("/status"))),
            args: vec![
                ("title", title.get(&lang).to_owned().into()),
                ("status", t(&lang, &format!("incident-status-{}", status.replace('_', "-"))).into()),
                ("body", body.get(&lang).to_owned().into()),
            ],
        };
        mail::send(
            conn,
            site,
            &r.email,
            &lang,
            format!("incident-notice:{update}:{}", r.customer_id),
            &content,
        )?;
    }
    Ok(recipients.len())
}
