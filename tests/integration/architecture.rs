//! The shape of the crate, read from its source: no module imports one that imports it back
//! (directly or around a circle), and no domain module reaches up to an edge (`config`, `web`,
//! `cli`, `jobs`, `bench`, `demo`). Edges read the settings and pass down what a domain function
//! needs; a circle means two modules that cannot be understood, tested or moved apart.
//!
//! Every `crate::` and `super::` path in a file (test modules left out) counts as an arrow to
//! the deepest module it names; a module's arrows to its own children do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that may read settings and drive the domain.
const EDGES: [&str; 6] = ["config", "web", "cli", "jobs", "bench", "demo"];

/// Arrows known to be wrong, each with the reason it is still here. Empty is the goal.
const KNOWN: [(&str, &str, &str); 0] = [];

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/payments/bank/mod.rs` -> `payments::bank`; `None` for the crate root and test files.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    match parts.last().map(String::as_str) {
        Some("mod") => {
            parts.pop();
        }
        Some("lib" | "main") if parts.len() == 1 => return None,
        Some("tests") => return None,
        _ => {}
    }
    Some(parts.join("::"))
}

/// The text without comments and without an inline `#[cfg(test)] mod tests { ... }` at the end.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path starting at `crate::` or `super::` in `code`, with `{a, b::c}` groups expanded
/// (one level is enough for how Kontor writes imports), relative to the crate root.
fn paths_in(code: &str, module: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':';
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        let base = if starts_word && rest.starts_with("crate::") {
            Some((Vec::new(), 7))
        } else if starts_word && rest.starts_with("super::") {
            // `super::` in `a/b.rs` and in `a/b/mod.rs` alike is `a`.
            let mut parent: Vec<&str> = module.split("::").collect();
            parent.pop();
            Some((parent.into_iter().map(str::to_owned).collect(), 7))
        } else {
            None
        };
        let Some((mut segments, skip)) = base else {
            i += 1;
            continue;
        };
        i += skip;
        loop {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            if i > start {
                segments.push(chars[start..i].iter().collect());
            }
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
                if chars.get(i) == Some(&'{') {
                    let close = chars[i..].iter().position(|c| *c == '}').map_or(chars.len(), |p| i + p);
                    let group: String = chars[i + 1..close].iter().collect();
                    for item in group.split(',') {
                        let item = item.split(" as ").next().unwrap_or_default().trim();
                        if !item.is_empty() && item != "self" && !item.contains('{') {
                            found.push([segments.join("::"), item.to_owned()].join("::"));
                        }
                    }
                    i = close;
                    segments.clear();
                    break;
                }
                continue;
            }
            break;
        }
        if !segments.is_empty() {
            found.push(segments.join("::"));
        }
    }
    found
}

/// The deepest known module `path` names.
fn resolve<'a>(modules: &'a BTreeSet<String>, path: &str) -> Option<&'a String> {
    let segments: Vec<&str> = path.split("::").collect();
    (1..=segments.len()).rev().find_map(|n| modules.get(&segments[..n].join("::")))
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else { continue };
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for path in paths_in(&code, &module) {
            if let Some(target) = resolve(&modules, &path)
                && *target != module
                && !target.starts_with(&format!("{module}::"))
                && !module.starts_with(&format!("{target}::"))
            {
                edges.entry(module.clone()).or_default().insert(target.clone());
            }
        }
    }
    for (from, to, _) in KNOWN {
        if let Some(targets) = edges.get_mut(from) {
            targets.remove(to);
        }
    }
    edges
}

/// The circles of `edges` (strongly connected components of more than one module).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(walk: &mut Walk<'a>, node: &'a str) {
        let at = walk.index.len();
        walk.index.insert(node, at);
        walk.low.insert(node, at);
        walk.stack.push(node);
        for next in walk.edges.get(node).into_iter().flatten() {
            if !walk.index.contains_key(next.as_str()) {
                visit(walk, next);
                let low = walk.low[node].min(walk.low[next.as_str()]);
                walk.low.insert(node, low);
            } else if walk.stack.contains(&next.as_str()) {
                let low = walk.low[node].min(walk.index[next.as_str()]);
                walk.low.insert(node, low);
            }
        }
        if walk.low[node] == walk.index[node] {
            let mut component = Vec::new();
            while let Some(top) = walk.stack.pop() {
                component.push(top.to_owned());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                walk.found.push(component);
            }
        }
    }
    let mut walk =
        Walk { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for node in edges.keys() {
        if !walk.index.contains_key(node.as_str()) {
            visit(&mut walk, node);
        }
    }
    walk.found
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let edges = graph();
    assert!(edges.len() > 100, "the source was read: {} modules with imports", edges.len());
    let found = circles(&edges);
    let described: Vec<String> = found
        .iter()
        .map(|circle| {
            let arrows: Vec<String> = circle
                .iter()
                .flat_map(|from| {
                    edges[from]
                        .iter()
                        .filter(|to| circle.contains(to))
                        .map(move |to| format!("{from} -> {to}"))
                })
                .collect();
            arrows.join(", ")
        })
        .collect();
    assert!(described.is_empty(), "import circles:\n{}", described.join("\n"));
}

/// Arrows between top-level folders that still close a circle, each with the reason it is
/// still here. Empty: the folders are layered (edges, then payments over invoicing over
/// documents, then accounts, mail and the shared leaves). The test fails on any new arrow that
/// closes a circle, and on a listed arrow that no longer does, so the list can only shrink.
const KNOWN_FOLDER_ARROWS: &[(&str, &str)] = &[];

#[test]
fn no_new_arrow_closes_a_circle_between_top_level_folders() {
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in graph() {
        for to in targets {
            if top(&from) != top(&to) {
                folders.entry(top(&from).to_owned()).or_default().insert(top(&to).to_owned());
            }
        }
    }
    let mut closing = Vec::new();
    for circle in circles(&folders) {
        for from in &circle {
            for to in folders[from].iter().filter(|to| circle.contains(to)) {
                if !KNOWN_FOLDER_ARROWS.contains(&(from.as_str(), to.as_str())) {
                    closing.push(format!("(\"{from}\", \"{to}\"),"));
                }
            }
        }
    }
    assert!(closing.is_empty(), "arrows closing a circle between folders:\n{}", closing.join("\n"));
    // The list only shrinks: an arrow cut (or no longer closing a circle) leaves it.
    let in_circles: Vec<(String, String)> = circles(&folders)
        .iter()
        .flat_map(|circle| {
            circle.iter().flat_map(|from| {
                folders[from].iter().filter(|to| circle.contains(to)).map(|to| (from.clone(), to.clone()))
            })
        })
        .collect();
    for (from, to) in KNOWN_FOLDER_ARROWS {
        assert!(
            in_circles.iter().any(|(f, t)| f == from && t == to),
            "{from} -> {to} no longer closes a circle: take it off the list"
        );
    }
}

#[test]
fn domain_modules_never_reach_up_to_an_edge() {
    let edges = graph();
    let wrong: Vec<String> = edges
        .iter()
        .filter(|(from, _)| !EDGES.contains(&top(from)))
        .flat_map(|(from, targets)| {
            targets.iter().filter(|to| EDGES.contains(&top(to))).map(move |to| format!("{from} -> {to}"))
        })
        .collect();
    assert!(wrong.is_empty(), "domain modules importing an edge:\n{}", wrong.join("\n"));
}

#[test]
fn the_reader_finds_arrows_in_groups_and_through_super() {
    let code = "use crate::a::{b, c::d};\nuse super::e;\nlet x = crate::f::g(1);";
    let paths = paths_in(code, "m::n");
    assert_eq!(paths, ["a::b", "a::c::d", "m::e", "f::g"]);
    let mut edges = BTreeMap::new();
    edges.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    edges.insert("b".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(circles(&edges), [vec!["a".to_owned(), "b".to_owned()]]);
}

/// Diesel knows a migration by the digits of its folder's date prefix alone: two branches that
/// each add `2026-12-23-000001_...` would leave one of them never applied, and every table it
/// creates missing.
#[test]
fn every_migration_has_a_version_of_its_own() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some((prefix, _)) = name.split_once('_') else { continue };
        let version: String = prefix.chars().filter(char::is_ascii_digit).collect();
        if let Some(other) = seen.insert(version.clone(), name.clone()) {
            panic!("{name} and {other} share the version {version}");
        }
    }
    assert!(seen.len() > 10, "the migrations were found: {seen:?}");
}
