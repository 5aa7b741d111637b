//! Which language a reader gets: their stored preference, else the browser's
//! Accept-Language, else English.

use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
use unic_langid::LanguageIdentifier;

use super::{LANGUAGES, Lang};

/// Browsers say `no` or `nn` for Norwegian; our Norwegian is Bokmål (`nb`).
fn alias(requested: &str) -> &str {
    match requested {
        "no" | "nn" => "nb",
        other => other,
    }
}

pub fn negotiate(preference: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = preference.and_then(Lang::supported) {
        return lang;
    }
    let Some(header) = accept_language else {
        return Lang::english();
    };
    let requested: Vec<LanguageIdentifier> = accepted_languages::parse(header)
        .into_iter()
        .filter_map(|id| {
            let language = alias(id.language.as_str()).to_owned();
            language.parse().ok()
        })
        .collect();
    let available: Vec<LanguageIdentifier> = LANGUAGES.iter().filter_map(|l| l.parse().ok()).collect();
    let english = Lang::english();
    let chosen = negotiate_languages(&requested, &available, Some(english.id()), NegotiationStrategy::Lookup);
    chosen.first().and_then(|id| Lang::supported(&id.to_string())).unwrap_or(english)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_beats_the_browser() {
        assert_eq!(negotiate(Some("fr"), Some("de")).code(), "fr");
        assert_eq!(negotiate(Some("xx"), Some("de")).code(), "de");
    }

    #[test]
    fn accept_language_is_honoured_with_quality_values() {
        assert_eq!(negotiate(None, Some("de-CH,de;q=0.9,en;q=0.8")).code(), "de");
        assert_eq!(negotiate(None, Some("ja, sv;q=0.5")).code(), "sv");
        assert_eq!(negotiate(None, Some("nl-BE")).code(), "nl");
        assert_eq!(negotiate(None, Some("no")).code(), "nb");
        assert_eq!(negotiate(None, Some("da-DK, en;q=0.1")).code(), "da");
    }

    #[test]
    fn english_is_the_last_resort() {
        assert_eq!(negotiate(None, None).code(), "en");
        assert_eq!(negotiate(None, Some("ja, zh")).code(), "en");
        assert_eq!(negotiate(None, Some(";;;garbage")).code(), "en");
    }
}
