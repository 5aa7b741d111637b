//! Fluent bundles for every language Kontor speaks, and the choice of language for a reader.

#[cfg(test)]
mod completeness;
pub mod format;
pub mod negotiate;

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::Loader;
use fluent_templates::fluent_bundle::FluentValue;
use unic_langid::LanguageIdentifier;

pub use negotiate::negotiate;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around placeables would end up inside HTML and PDFs.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages Kontor speaks, English first (the fallback).
pub const LANGUAGES: [&str; 7] = ["en", "de", "fr", "nl", "sv", "da", "nb"];

/// A language Kontor has messages for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lang(LanguageIdentifier);

impl Lang {
    pub fn english() -> Lang {
        Lang(unic_langid::langid!("en"))
    }

    /// Accepts only the languages in [`LANGUAGES`].
    pub fn supported(code: &str) -> Option<Lang> {
        let id: LanguageIdentifier = code.parse().ok()?;
        let language = id.language.as_str();
        LANGUAGES
            .contains(&language)
            .then(|| Lang(LanguageIdentifier::from_parts(id.language, None, None, &[])))
    }

    pub fn code(&self) -> &str {
        self.0.language.as_str()
    }

    pub fn id(&self) -> &LanguageIdentifier {
        &self.0
    }
}

/// The message `id` in `lang`, falling back to English; the id itself if even that lacks it.
pub fn t(lang: &Lang, id: &str) -> String {
    LOCALES.try_lookup(&lang.0, id).unwrap_or_else(|| id.to_owned())
}

/// The message `id` with arguments, e.g. `t_args(lang, "greeting", &[("name", "Anna".into())])`.
pub fn t_args(lang: &Lang, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
        args.iter().map(|(k, v)| (Cow::Owned((*k).to_owned()), v.clone())).collect();
    LOCALES.try_lookup_with_args(&lang.0, id, &args).unwrap_or_else(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_found_in_each_language_and_fall_back_to_english() {
        let de = Lang::supported("de").unwrap();
        assert_eq!(t(&de, "language-name"), "Deutsch");
        assert_eq!(t(&Lang::english(), "language-name"), "English");
        assert_eq!(t(&de, "no-such-message"), "no-such-message");
    }

    #[test]
    fn only_supported_languages_are_accepted() {
        assert_eq!(Lang::supported("de-CH").unwrap().code(), "de");
        assert!(Lang::supported("xx").is_none());
        assert!(Lang::supported("<script>").is_none());
    }
}
