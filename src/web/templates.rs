//! Tera templates, embedded at compile time, with `t(key=...)` for Fluent messages in the
//! reader's language (taken from the `lang` variable every page has).

use std::sync::LazyLock;

use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::i18n::{LANGUAGES, Lang, t, t_args};

const TEMPLATES: &[(&str, &str)] = &[
    ("pages/base.html", include_str!("../../templates/pages/base.html")),
    ("pages/home.html", include_str!("../../templates/pages/home.html")),
    (
        "pages/error.html",
        include_str!("../../templates/pages/error.html"),
    ),
];

static TERA: LazyLock<Result<Tera, String>> = LazyLock::new(build);

fn build() -> Result<Tera, String> {
    let mut tera = Tera::new();
    tera.register_function("t", translate);
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .map_err(|e| e.to_string())?;
    Ok(tera)
}

/// `{{ t(key="home-title") }}` or `{{ t(key="home-lead", price=price) }}`.
fn translate(kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let key: &str = kwargs.must_get("key")?;
    let lang = state
        .get::<String>("lang")?
        .and_then(|code| Lang::supported(&code))
        .unwrap_or_else(Lang::english);
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

/// Checks once at start-up that every template parses.
pub struct Templates;

impl Templates {
    pub fn load() -> Result<Templates, String> {
        TERA.as_ref().map(|_| Templates).map_err(Clone::clone)
    }
}

/// Renders `name` for a reader of `lang`; adds `lang` and the language menu to `context`.
pub fn render(name: &str, lang: &Lang, mut context: Context) -> Result<String, String> {
    let tera = TERA.as_ref().map_err(Clone::clone)?;
    context.insert("lang", lang.code());
    let menu: Vec<(&str, String)> = LANGUAGES
        .iter()
        .filter_map(|code| Lang::supported(code).map(|l| (*code, t(&l, "language-name"))))
        .collect();
    context.insert("languages", &menu);
    tera.render(name, &context).map_err(|e| e.to_string())
}
