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

#[cfg(test)]
mod tests {
    use super::*;

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
