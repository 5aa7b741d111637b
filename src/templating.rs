//! Tera set up the way every Kontor template expects: `t(key=...)` looks up a Fluent message
//! in the language of the `lang` variable, with any other arguments as Fluent variables.

use tera::{Kwargs, State, Tera, TeraResult};

use crate::i18n::{Lang, t, t_args};

pub fn engine(templates: &[(&str, &str)]) -> Result<Tera, String> {
    let mut tera = Tera::new();
    tera.register_function("t", translate);
    tera.register_function("submission_key", submission_key);
    tera.add_raw_templates(templates.iter().copied()).map_err(|e| e.to_string())?;
    Ok(tera)
}

/// `{{ t(key="home-title") }}` or `{{ t(key="home-lead", price=price) }}`.
fn translate(kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let key: &str = kwargs.must_get("key")?;
    let lang =
        state.get::<String>("lang")?.and_then(|code| Lang::supported(&code)).unwrap_or_else(Lang::english);
    let args: Vec<(String, fluent_templates::fluent_bundle::FluentValue<'static>)> = kwargs
        .iter()
        .filter_map(|(name, value)| {
            let name = name.as_str()?;
            (name != "key").then(|| {
                let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                (name.to_owned(), text.into())
            })
        })
        .collect();
    if args.is_empty() {
        return Ok(t(&lang, key));
    }
    let borrowed: Vec<(&str, _)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    Ok(t_args(&lang, key, &borrowed))
}

/// `{{ submission_key() }}`: a fresh one-time key for the form being rendered (see
/// `web::submission`). Each call is a new key, so every form on a page has its own.
fn submission_key(_: Kwargs, _: &State) -> TeraResult<String> {
    crate::token::Token::generate()
        .map(|t| t.as_str().to_owned())
        .map_err(|e| tera::Error::message(e.to_string()))
}
