//! Following the status page by email. Anyone, with or without an account, asks for updates
//! about some components (mail, webmail, online storage, the portal) or all of them; a link
//! sent to the address confirms (double opt-in), and only then does an email arrive for each
//! opening, update and resolution of an incident or maintenance touching those components, in
//! the language the person asked in, queued in the transaction of the change. Every such email
//! has an unsubscribe link of its own, also as `List-Unsubscribe` for a mail client's one-click
//! button; only hashes of tokens are stored, and the outbox forgets a token once its email is out.
//!
//! Asking reveals nothing: the answer is the same whether the address follows already, has
//! asked before or is new, and one address gets at most one confirmation email per window.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::{IncidentError, Texts};
use crate::accounts::AccountError;
use crate::accounts::email::EmailAddress;
use crate::db::schema::{
    incident_resources, incident_updates, incidents, resources, status_subscribers,
    status_subscription_requests, status_unsubscribe_links,
};
use crate::i18n::{Lang, t};
use crate::mail::templates::EmailContent;
use crate::mail::{self, MailSecret, OutgoingMail};
use crate::rate_limit::{self, STATUS_CONFIRM_PER_ADDRESS, STATUS_SUBSCRIBE_PER_IP, Verdict};
use crate::site::Site;
use crate::token::Token;

/// How long a confirmation link stays good.
pub const CONFIRM_HOURS: i64 = 24;
/// How long an update email waiting in the outbox keeps its unsubscribe token in its text: one
/// still undelivered after this is stale news anyway. The link itself lives as long as the
/// subscription.
const UNDELIVERED_DAYS: i64 = 30;

/// What someone follows: some components, or every one (none named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components(Vec<&'static str>);

impl Components {
    /// Known component codes only; each once, in the status page's order. None: all.
    pub fn parse<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Components, IncidentError> {
        let codes: Vec<&str> = codes.into_iter().map(str::trim).collect();
        if let Some(unknown) = codes.iter().find(|c| !super::components::codes().any(|k| k == **c)) {
            return Err(IncidentError::Invalid(format!("component {unknown:?}")));
        }
        Ok(Components(super::components::codes().filter(|k| codes.contains(k)).collect()))
    }

    /// As stored (checked by the database): unknown codes cannot be there, and are skipped.
    fn stored(codes: &[String]) -> Components {
        Components(super::components::codes().filter(|k| codes.iter().any(|c| c == k)).collect())
    }

    pub fn is_all(&self) -> bool {
        self.0.is_empty()
    }

    pub fn codes(&self) -> &[&'static str] {
        &self.0
    }

    /// "Mail, Online storage", or "all services".
    pub fn describe(&self, lang: &Lang) -> String {
        if self.is_all() {
            return t(lang, "status-subscribe-all");
        }
        self.0.iter().map(|c| t(lang, &format!("component-{c}"))).collect::<Vec<_>>().join(", ")
    }
}

/// A request to follow, or a confirmed follower: the address, what they follow and the
/// language their emails come in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follower {
    pub email: String,
    pub components: Components,
    pub language: String,
}

type FollowerRow = (String, Vec<String>, String);

fn follower((email, components, language): FollowerRow) -> Follower {
    Follower { email, components: Components::stored(&components), language }
}

fn token_hash(token: &str) -> Option<Vec<u8>> {
    Token::parse(token).map(|t| t.hash().as_bytes().to_vec())
}

/// Asks to follow: sends the confirmation link to `email` in `lang`, unless this address was
/// sent one within the window (then nothing happens, and the caller answers the same). Over
/// the limit for `ip`: `RateLimited`.
pub fn request(
    conn: &mut PgConnection,
    site: &Site,
    email: &EmailAddress,
    components: &Components,
    lang: &Lang,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), IncidentError> {
    if let Verdict::Limited { retry_after } = rate_limit::hit(conn, &STATUS_SUBSCRIBE_PER_IP, ip, now)? {
        return Err(IncidentError::RateLimited { retry_after_seconds: retry_after.num_seconds() });
    }
    if rate_limit::hit(conn, &STATUS_CONFIRM_PER_ADDRESS, email.as_str(), now)?.is_limited() {
        return Ok(());
    }
    let token = Token::generate().map_err(AccountError::from)?;
    let expires_at = now + Duration::hours(CONFIRM_HOURS);
    diesel::insert_into(status_subscription_requests::table)
        .values((
            status_subscription_requests::token_hash.eq(token.hash().as_bytes().to_vec()),
            status_subscription_requests::email.eq(email.as_str()),
            status_subscription_requests::components.eq(components.codes()),
            status_subscription_requests::language.eq(lang.code()),
            status_subscription_requests::created_at.eq(now),
            status_subscription_requests::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    let content = EmailContent {
        subject: "status-subscribe-email-subject",
        paragraphs: &[
            "status-subscribe-email-text",
            "status-subscribe-email-expiry",
            "status-subscribe-email-ignore",
        ],
        action: Some((
            "status-subscribe-email-action",
            site.link(&format!("/status/subscribe/confirm?token={}", token.as_str())),
        )),
        args: vec![("components", components.describe(lang).into()), ("hours", CONFIRM_HOURS.into())],
    };
    let key = format!("status-confirm:{}", token.hash().to_hex());
    let secret = MailSecret { value: token.as_str().to_owned(), expires_at };
    mail::send_with_secret(conn, site, email.as_str(), lang, key, &content, Some(secret))?;
    Ok(())
}

/// What a still-good confirmation link asks for, without using it (the page with the button).
pub fn pending(
    conn: &mut PgConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Follower>, IncidentError> {
    let Some(hash) = token_hash(token) else { return Ok(None) };
    let found: Option<FollowerRow> = status_subscription_requests::table
        .find(hash)
        .filter(status_subscription_requests::used_at.is_null())
        .filter(status_subscription_requests::expires_at.gt(now))
        .select((
            status_subscription_requests::email,
            status_subscription_requests::components,
            status_subscription_requests::language,
        ))
        .first(conn)
        .optional()?;
    Ok(found.map(follower))
}

/// Uses a confirmation link: the address follows what the request asked for, in its language,
/// replacing what it followed before. Unknown, used or expired: `InvalidLink`.
pub fn confirm(conn: &mut PgConnection, token: &str, now: DateTime<Utc>) -> Result<Follower, IncidentError> {
    let hash = token_hash(token).ok_or(IncidentError::InvalidLink)?;
    // Marked used in the statement that checks it: two clicks racing cannot both confirm.
    let used: Option<FollowerRow> = diesel::update(
        status_subscription_requests::table
            .find(hash)
            .filter(status_subscription_requests::used_at.is_null())
            .filter(status_subscription_requests::expires_at.gt(now)),
    )
    .set(status_subscription_requests::used_at.eq(now))
    .returning((
        status_subscription_requests::email,
        status_subscription_requests::components,
        status_subscription_requests::language,
    ))
    .get_result(conn)
    .optional()?;
    let (email, components, language) = used.ok_or(IncidentError::InvalidLink)?;
    diesel::sql_query(
        "INSERT INTO status_subscribers (email, components, language, confirmed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(email))) DO UPDATE
            SET email = EXCLUDED.email, components = EXCLUDED.components,
                language = EXCLUDED.language, confirmed_at = EXCLUDED.confirmed_at",
    )
    .bind::<diesel::sql_types::Text, _>(&email)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(&components)
    .bind::<diesel::sql_types::Text, _>(&language)
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .execute(conn)?;
    Ok(follower((email, components, language)))
}

/// The follower an update email's unsubscribe link names, if they still follow.
pub fn of_link(conn: &mut PgConnection, token: &str) -> Result<Option<Follower>, IncidentError> {
    let Some(hash) = token_hash(token) else { return Ok(None) };
    let found: Option<FollowerRow> = status_unsubscribe_links::table
        .inner_join(status_subscribers::table)
        .filter(status_unsubscribe_links::token_hash.eq(hash))
        .select((status_subscribers::email, status_subscribers::components, status_subscribers::language))
        .first(conn)
        .optional()?;
    Ok(found.map(follower))
}

/// Stops the emails of the follower an unsubscribe link names, and forgets them (their links
/// go with them). False when the link names no one (any more): unsubscribing twice is harmless.
pub fn unsubscribe(conn: &mut PgConnection, token: &str) -> Result<bool, IncidentError> {
    let Some(hash) = token_hash(token) else { return Ok(false) };
    let subscriber: Option<i64> = status_unsubscribe_links::table
        .find(hash)
        .select(status_unsubscribe_links::subscriber_id)
        .first(conn)
        .optional()?;
    let Some(subscriber) = subscriber else { return Ok(false) };
    Ok(diesel::delete(status_subscribers::table.find(subscriber)).execute(conn)? == 1)
}

/// The components an incident touches: through the services it names and those of its
/// resources.
fn touched(conn: &mut PgConnection, incident: i64) -> Result<Vec<&'static str>, IncidentError> {
    let services: Vec<String> = incidents::table.find(incident).select(incidents::services).first(conn)?;
    let of_resources: Vec<String> = incident_resources::table
        .inner_join(resources::table)
        .filter(incident_resources::incident_id.eq(incident))
        .select(resources::service)
        .load(conn)?;
    Ok(super::components::touched_by(services.iter().chain(&of_resources).map(String::as_str)))
}

/// Emails `update` of `incident` to every confirmed follower of a component it touches (and
/// of all): one per follower and update (outbox key `status-update:<update>:<follower>`), in
/// their language, English with a note where staff wrote none in it, each with its own
/// unsubscribe link. In the caller's transaction; returns how many were queued.
pub fn tell(
    conn: &mut PgConnection,
    site: &Site,
    incident: i64,
    update: i64,
    now: DateTime<Utc>,
) -> Result<usize, IncidentError> {
    let touched = touched(conn, incident)?;
    let followers: Vec<(i64, String, Vec<String>, String)> = status_subscribers::table
        .filter(
            status_subscribers::components
                .eq(Vec::<String>::new())
                .or(status_subscribers::components.overlaps_with(&touched)),
        )
        .order(status_subscribers::id)
        .select((
            status_subscribers::id,
            status_subscribers::email,
            status_subscribers::components,
            status_subscribers::language,
        ))
        .load(conn)?;
    if followers.is_empty() {
        return Ok(0);
    }
    let title: serde_json::Value = incidents::table.find(incident).select(incidents::title).first(conn)?;
    let (status, body): (String, serde_json::Value) = incident_updates::table
        .find(update)
        .select((incident_updates::status, incident_updates::body))
        .first(conn)?;
    let (title, body) = (Texts::from_json(&title), Texts::from_json(&body));
    let affected = Components(touched);
    let mut queued = 0;
    for (id, email, components, language) in followers {
        let lang = Lang::supported(&language).unwrap_or_else(Lang::english);
        let token = Token::generate().map_err(AccountError::from)?;
        let unsubscribe = site.link(&format!("/status/unsubscribe?token={}", token.as_str()));
        let mut paragraphs = vec!["status-update-email-text"];
        if !affected.is_all() {
            paragraphs.push("status-update-email-affected");
        }
        paragraphs.push("incident-email-body");
        if !body.has(&lang) {
            paragraphs.push("incident-email-english-only");
        }
        paragraphs.extend(["status-update-email-why", "status-update-email-unsubscribe"]);
        let content = EmailContent {
            subject: "status-update-email-subject",
            paragraphs: &paragraphs,
            action: Some((
                "incident-email-action",
                site.link(&format!("/status?lang={}#incident-{incident}", lang.code())),
            )),
            args: vec![
                ("title", title.get(&lang).to_owned().into()),
                ("status", t(&lang, &format!("incident-status-{}", status.replace('_', "-"))).into()),
                ("body", body.get(&lang).to_owned().into()),
                ("affected", affected.describe(&lang).into()),
                ("subscribed", Components::stored(&components).describe(&lang).into()),
                ("unsubscribe", unsubscribe.clone().into()),
            ],
        };
        let rendered = mail::render_email(&lang, &content)?;
        let outgoing = OutgoingMail {
            idempotency_key: format!("status-update:{update}:{id}"),
            recipient: email,
            language: lang.code().to_owned(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
            attachment_document_id: None,
            secret: Some(MailSecret {
                value: token.as_str().to_owned(),
                expires_at: now + Duration::days(UNDELIVERED_DAYS),
            }),
            list_unsubscribe: Some(unsubscribe),
        };
        if mail::enqueue(conn, &outgoing, &site.mail_domain)? {
            diesel::insert_into(status_unsubscribe_links::table)
                .values((
                    status_unsubscribe_links::token_hash.eq(token.hash().as_bytes().to_vec()),
                    status_unsubscribe_links::subscriber_id.eq(id),
                    status_unsubscribe_links::update_id.eq(update),
                    status_unsubscribe_links::created_at.eq(now),
                ))
                .execute(conn)?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Forgets requests whose link died more than a day ago; the worker calls it now and then.
pub fn purge(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        status_subscription_requests::table
            .filter(status_subscription_requests::expires_at.lt(now - Duration::days(1))),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_known_codes_once_in_page_order_and_none_means_all() {
        let some = Components::parse(["storage", "mail", "storage"]).unwrap();
        assert_eq!(some.codes(), ["mail", "storage"]);
        assert!(Components::parse(Vec::<&str>::new()).unwrap().is_all());
        assert!(matches!(Components::parse(["disk"]), Err(IncidentError::Invalid(_))));
        let en = Lang::english();
        assert_eq!(some.describe(&en), "Mail, Online storage");
        assert_eq!(Components::stored(&["portal".to_owned(), "nonsense".to_owned()]).codes(), ["portal"]);
    }
}
