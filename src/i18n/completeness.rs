//! Every language has every message English has, with the same variables: a missing or
//! misspelled translation fails the build's tests instead of showing a message id to a
//! customer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::LANGUAGES;

type Catalog = BTreeMap<String, BTreeSet<String>>;

fn variables_in_pattern(pattern: &Pattern<String>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            variables_in_expression(expression, found);
        }
    }
}

fn variables_in_expression(expression: &Expression<String>, found: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => variables_in_inline(inline, found),
        Expression::Select { selector, variants } => {
            variables_in_inline(selector, found);
            for variant in variants {
                variables_in_pattern(&variant.value, found);
            }
        }
    }
}

fn variables_in_inline(inline: &InlineExpression<String>, found: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            found.insert(id.name.clone());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                variables_in_inline(argument, found);
            }
            for named in &arguments.named {
                variables_in_inline(&named.value, found);
            }
        }
        InlineExpression::Placeable { expression } => variables_in_expression(expression, found),
        _ => {}
    }
}

/// Message ids (and `id.attribute`s) of one language with the variables each uses.
fn catalog(dir: &Path) -> Result<Catalog, String> {
    let mut catalog = Catalog::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    for file in files {
        let source = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let resource = fluent_syntax::parser::parse(source)
            .map_err(|(_, errors)| format!("{}: {errors:?}", file.display()))?;
        for entry in resource.body {
            if let Entry::Message(message) = entry {
                let mut variables = BTreeSet::new();
                if let Some(value) = &message.value {
                    variables_in_pattern(value, &mut variables);
                }
                for attribute in &message.attributes {
                    let mut attribute_variables = BTreeSet::new();
                    variables_in_pattern(&attribute.value, &mut attribute_variables);
                    catalog.insert(format!("{}.{}", message.id.name, attribute.id.name), attribute_variables);
                }
                if catalog.insert(message.id.name.clone(), variables).is_some() {
                    return Err(format!("{}: message {} is defined twice", file.display(), message.id.name));
                }
            }
        }
    }
    Ok(catalog)
}

/// Every difference between English and the other languages, as readable lines.
pub fn problems(locales: &Path) -> Vec<String> {
    let english = match catalog(&locales.join("en")) {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    for lang in LANGUAGES.iter().filter(|l| **l != "en") {
        let other = match catalog(&locales.join(lang)) {
            Ok(c) => c,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for (id, variables) in &english {
            match other.get(id) {
                None => problems.push(format!("{lang}: missing {id}")),
                Some(theirs) if theirs != variables => {
                    problems.push(format!("{lang}: {id} uses {theirs:?}, English uses {variables:?}"))
                }
                Some(_) => {}
            }
        }
        for id in other.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{lang}: {id} does not exist in English"));
        }
    }
    problems
}

/// The message ids Rust code hands to people: every literal in a `message_id` function and
/// in a form's `errors.add(field, id)`. Read from the source, so a new error variant is
/// covered the day it is written.
pub fn error_ids_in_source(src: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let Ok(source) = std::fs::read_to_string(&path) else { continue };
            let name = path.display().to_string();
            let mut rest = source.as_str();
            while let Some(at) = rest.find("fn message_id(") {
                let body = rest.get(at..).unwrap_or_default();
                // The function ends at the first line that closes it at its indentation.
                let end = body.find("\n    }\n").or_else(|| body.find("\n}\n")).unwrap_or(body.len());
                found.extend(ids_in(body.get(..end).unwrap_or_default()).map(|id| (name.clone(), id)));
                rest = body.get(end..).unwrap_or_default();
            }
            for call in source.split("errors.add(").skip(1) {
                let args = call.split(')').next().unwrap_or_default();
                found.extend(ids_in(args).map(|id| (name.clone(), id)));
            }
        }
    }
    found
}

/// String literals that look like message ids (`word-word`).
fn ids_in(code: &str) -> impl Iterator<Item = String> + '_ {
    code.split('"').skip(1).step_by(2).filter_map(|literal| {
        let id_like = literal.contains('-')
            && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !literal.starts_with('-');
        id_like.then(|| literal.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_id_shown_to_people_has_a_message_in_every_language() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let ids = error_ids_in_source(&root.join("src"));
        assert!(ids.iter().any(|(_, id)| id == "money-parse-too-many-decimals"), "the scan finds ids");
        assert!(ids.iter().any(|(_, id)| id == "field-unprintable"), "and form errors");
        for lang in LANGUAGES {
            let catalog = catalog(&root.join("locales").join(lang)).unwrap();
            let missing: BTreeSet<String> = ids
                .iter()
                .filter(|(_, id)| !catalog.contains_key(id))
                .map(|(file, id)| format!("{id} ({file})"))
                .collect();
            assert!(
                missing.is_empty(),
                "{lang} has no message for:\n{}",
                missing.into_iter().collect::<Vec<_>>().join("\n")
            );
        }
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let problems = problems(&locales);
        assert!(problems.is_empty(), "translation problems:\n{}", problems.join("\n"));
    }

    #[test]
    fn the_check_notices_a_missing_message_and_a_changed_variable() {
        let dir = std::env::temp_dir().join(format!("kontor-ftl-{}", std::process::id()));
        for lang in LANGUAGES {
            std::fs::create_dir_all(dir.join(lang)).unwrap();
            std::fs::write(dir.join(lang).join("main.ftl"), "a = A { $x }\nb = B\n").unwrap();
        }
        std::fs::write(dir.join("de/main.ftl"), "a = A { $y }\n").unwrap();
        let problems = problems(&dir);
        assert!(problems.iter().any(|p| p == "de: missing b"), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("de: a uses")), "{problems:?}");
        assert_eq!(problems.len(), 2, "{problems:?}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
