//! Outages: where customers live (placements on resources), incidents and scheduled
//! maintenance with multilingual timelines, the public status page and its feeds, SLA
//! policies, downtime per subscription, and compensation credits issued once per incident
//! and subscription.

pub mod alternatives;
pub mod assessment;
pub mod compensation;
pub mod compensation_notice;
pub mod components;
pub mod credits;
pub mod downtime;
pub mod feeds;
pub mod grants;
pub mod incident;
pub mod notices;
pub mod placements;
pub mod platform_moves;
pub mod reader_time;
pub mod sla;
pub mod status;
pub mod subscribers;
pub mod windows;

use std::collections::BTreeMap;

use crate::i18n::Lang;

#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    #[error("unknown incident {0}")]
    UnknownIncident(i64),
    #[error("unknown resource {0:?}")]
    UnknownResource(String),
    #[error("unknown subscription {0}")]
    UnknownSubscription(i64),
    #[error("unknown customer or mailbox {0:?}")]
    UnknownCustomer(String),
    #[error("customer {0} has no subscription to place")]
    NoSubscription(i64),
    #[error("a move must come after the current placement began")]
    PlacementOrder,
    #[error("a text needs English and may add any of the supported languages: {0}")]
    BadText(String),
    #[error("a title and a text in {0}, or neither")]
    HalfTranslated(String),
    #[error("invalid value: {0}")]
    Invalid(String),
    #[error("{0}")]
    Text(#[from] crate::text::TextProblem),
    #[error("dates must lie between 2000 and a year from now")]
    DateOutOfRange,
    #[error("a storage offer is 1 to 10,000 GB for 1 to 24 months, chosen within a year")]
    OfferOutOfRange,
    #[error("the incident is already resolved")]
    AlreadyResolved,
    #[error("the incident is not resolved yet")]
    NotResolved,
    #[error("the deadline for choosing has passed")]
    ChoiceClosed,
    #[error("this incident offers no choice")]
    NoChoice,
    #[error("this incident does not offer that alternative to this customer")]
    NotOffered,
    #[error("the customer's compensation for this incident is nothing, so there is nothing to choose")]
    NothingToChoose,
    #[error("only support and admin staff may do this")]
    Forbidden,
    #[error("not an email address")]
    BadAddress,
    #[error("the link is unknown, used or expired")]
    InvalidLink,
    #[error("too many requests; retry in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: i64 },
    #[error("no SLA policy for plan {0}")]
    NoPolicy(String),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error(transparent)]
    Account(#[from] crate::accounts::AccountError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Subscription(#[from] crate::subscriptions::SubscriptionError),
    #[error("stored data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl IncidentError {
    /// The Fluent message id a person sees for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            IncidentError::UnknownIncident(_) => "incident-error-unknown",
            IncidentError::UnknownResource(_) => "incident-error-unknown-resource",
            IncidentError::UnknownSubscription(_) => "incident-error-unknown-subscription",
            IncidentError::UnknownCustomer(_) => "placement-error-unknown-customer",
            IncidentError::NoSubscription(_) => "placement-error-no-subscription",
            IncidentError::PlacementOrder => "placement-error-order",
            IncidentError::BadText(_) => "incident-error-text",
            IncidentError::HalfTranslated(_) => "incident-error-half-translated",
            IncidentError::Invalid(_) => "incident-error-invalid",
            IncidentError::Text(problem) => problem.message_id(),
            IncidentError::DateOutOfRange => "incident-error-date-range",
            IncidentError::OfferOutOfRange => "incident-error-offer-range",
            IncidentError::AlreadyResolved => "incident-error-resolved",
            IncidentError::NotResolved => "incident-error-not-resolved",
            IncidentError::ChoiceClosed => "compensation-error-choice-closed",
            IncidentError::NoChoice => "compensation-error-no-choice",
            IncidentError::NotOffered => "compensation-error-not-offered",
            IncidentError::NothingToChoose => "compensation-error-nothing-due",
            IncidentError::Forbidden => "incident-error-forbidden",
            IncidentError::BadAddress => "email-invalid",
            IncidentError::InvalidLink => "status-subscription-invalid-link",
            IncidentError::RateLimited { .. } => "rate-limited",
            IncidentError::NoPolicy(_) => "compensation-error-no-policy",
            IncidentError::Ledger(e) => e.message_id(),
            IncidentError::Money(e) => e.message_id(),
            IncidentError::Subscription(e) => e.message_id(),
            IncidentError::Account(_)
            | IncidentError::Audit(_)
            | IncidentError::Mail(_)
            | IncidentError::Corrupt(_)
            | IncidentError::Database(_) => "error-internal",
        }
    }
}

/// A text in one or more languages; English is required and is the fallback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Texts(pub BTreeMap<String, String>);

const MAX_TEXT: usize = 4_000;
const MAX_TITLE: usize = 200;

impl Texts {
    /// Parses `lang -> text` pairs: English present, only supported languages, no empty or
    /// overlong text.
    pub fn parse(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Texts, IncidentError> {
        let mut map = BTreeMap::new();
        for (lang, text) in pairs {
            let lang = lang.trim().to_ascii_lowercase();
            if !crate::i18n::LANGUAGES.contains(&lang.as_str()) {
                return Err(IncidentError::BadText(format!("unsupported language {lang:?}")));
            }
            let text = text.trim().to_owned();
            if text.is_empty() {
                return Err(IncidentError::BadText(format!("empty text in {lang}")));
            }
            // Updates run over several lines; they reach the Atom feed, emails and the page.
            crate::text::check(&text, true, MAX_TEXT)?;
            map.insert(lang, text);
        }
        if !map.contains_key("en") {
            return Err(IncidentError::BadText("English is missing".to_owned()));
        }
        Ok(Texts(map))
    }

    /// For titles: one line each, at most `MAX_TITLE` characters.
    pub fn check_title(&self) -> Result<(), IncidentError> {
        for text in self.0.values() {
            crate::text::check(text, false, MAX_TITLE)?;
        }
        Ok(())
    }

    pub fn from_json(value: &serde_json::Value) -> Texts {
        let map = value
            .as_object()
            .map(|o| o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned()))).collect())
            .unwrap_or_default();
        Texts(map)
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.0).unwrap_or(serde_json::Value::Null)
    }

    /// The text in the reader's language, else English.
    pub fn get(&self, lang: &Lang) -> &str {
        self.0.get(lang.code()).or_else(|| self.0.get("en")).map_or("", String::as_str)
    }

    /// Whether the reader's language has its own text (else English is shown).
    pub fn has(&self, lang: &Lang) -> bool {
        self.0.contains_key(lang.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_need_english_and_supported_languages() {
        let ok = Texts::parse([("en".into(), "Down".into()), ("de".into(), "Gestört".into())]).unwrap();
        assert_eq!(ok.get(&Lang::supported("de").unwrap()), "Gestört");
        assert_eq!(ok.get(&Lang::supported("fr").unwrap()), "Down");
        assert!(matches!(Texts::parse([("de".into(), "x".into())]), Err(IncidentError::BadText(_))));
        assert!(matches!(
            Texts::parse([("en".into(), "x".into()), ("xx".into(), "y".into())]),
            Err(IncidentError::BadText(_))
        ));
        assert!(matches!(Texts::parse([("en".into(), "  ".into())]), Err(IncidentError::BadText(_))));
    }
}
