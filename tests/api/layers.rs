//! Layers point one way (STYLE.md): no import circle among the library's source files.
//!
//! Reads every `src/**/*.rs` (but `main.rs`, a crate of its own), resolves each `use` and each
//! path in code that starts with `crate::`, `super::`, `self::` or a child module's name to the
//! file that defines it, and fails naming every circle in that file graph. Declaring
//! `mod child;` is not an import: only paths count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModPath = Vec<String>;

/// Why a file depends on another: the first path seen, and its line.
type Edges = BTreeMap<PathBuf, BTreeMap<PathBuf, (usize, String)>>;

#[test]
fn no_import_circle_among_source_files() {
    // `MASTHEAD_LAYERS_SRC=/some/checkout/src` checks another tree (an older layout, say).
    let src = std::env::var_os("MASTHEAD_LAYERS_SRC").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        PathBuf::from,
    );
    let edges = file_graph(&src);
    let circles = circles(&edges);
    assert!(
        circles.is_empty(),
        "import circles among source files (layers must point one way):\n{}",
        circles.join("\n")
    );
}

/// The checker itself: a circle through a `use super::`, a `crate::` path in code and a
/// grandchild, while `mod` declarations and a child's own tests are no edge.
#[test]
fn the_checker_finds_a_circle_and_ignores_mod_declarations() {
    let dir = std::env::temp_dir().join(format!("masthead-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(dir.join(path), text).unwrap();
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\n// use crate::b::X; (a comment)\n",
    );
    write(
        "a/mod.rs",
        "pub mod c;\npub struct Top;\nconst S: &str = r#\"crate::b::g\"#;\nconst C: char = '{';\n",
    );
    write(
        "a/c.rs",
        "use super::Top;\npub fn f() { let _ = \"crate::b::g\"; crate::b::g(); }\n\
         #[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    );
    write("b.rs", "use crate::a::{c::{self}, Top};\npub fn g() {}\n");
    let edges = file_graph(&dir);
    let found = circles(&edges);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("a/c.rs") && found[0].contains("b.rs"),
        "{found:?}"
    );
    assert!(!found[0].contains("a/mod.rs"), "{found:?}");
}

#[test]
fn the_checker_follows_modules_imported_by_name() {
    let dir = std::env::temp_dir().join(format!("masthead-layers-alias-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("p")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(dir.join(path), text).unwrap();
    write("lib.rs", "pub mod p;\npub mod q;\n");
    write("p/mod.rs", "pub mod inner;\n");
    write("p/inner.rs", "use crate::{q};\npub fn g() { q::h(); }\n");
    write(
        "q.rs",
        "use crate::{p, q as _};\npub fn h() { p::inner::g(); }\n",
    );
    let edges = file_graph(&dir);
    let found = circles(&edges);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("p/inner.rs") && found[0].contains("q.rs"),
        "{found:?}"
    );
}

fn file_graph(src: &Path) -> Edges {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.retain(|f| f != &src.join("main.rs"));
    let modules: BTreeMap<ModPath, PathBuf> = files
        .iter()
        .map(|f| (module_path(f.strip_prefix(src).unwrap()), f.clone()))
        .collect();
    let mut edges = Edges::new();
    for file in &files {
        let here = module_path(file.strip_prefix(src).unwrap());
        let text = std::fs::read_to_string(file).unwrap();
        let tokens = tokens(&strip(&text));
        let inline = inline_modules(&tokens, &here);
        let is_module = |m: &ModPath| modules.contains_key(m) || inline.contains(m);
        for (line, path) in paths(&tokens, &here, &is_module) {
            let Some(target) = defining_file(&modules, &path) else {
                continue;
            };
            if target != file {
                let rel = |p: &Path| p.strip_prefix(src).unwrap().to_path_buf();
                edges
                    .entry(rel(file))
                    .or_default()
                    .entry(rel(target))
                    .or_insert((line, path.join("::")));
            }
        }
        edges
            .entry(file.strip_prefix(src).unwrap().to_path_buf())
            .or_default();
    }
    edges
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `lib.rs` → [], `a/mod.rs` → [a], `a/b.rs` → [a, b].
fn module_path(rel: &Path) -> ModPath {
    let mut parts: ModPath = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The file that defines `path`: the longest prefix that is a file's module.
fn defining_file<'a>(
    modules: &'a BTreeMap<ModPath, PathBuf>,
    path: &[String],
) -> Option<&'a PathBuf> {
    (0..=path.len()).rev().find_map(|n| modules.get(&path[..n]))
}

/// The source with comments, string and character literals blanked (lines kept).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && raw_string_start(&chars, i)
        {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            i += 2 + hashes;
            while i < chars.len() {
                if chars[i] == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&c| c == '#')
                        .count()
                        == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&c) = chars.get(i) {
                    blank(&mut out, c);
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `r"`, `r#"`, `br"`, … not inside an identifier.
fn raw_string_start(chars: &[char], i: usize) -> bool {
    let ident_char = |at: usize| chars[at].is_alphanumeric() || chars[at] == '_';
    let before_ok =
        i == 0 || !ident_char(i - 1) || (chars[i - 1] == 'b' && (i == 1 || !ident_char(i - 2)));
    let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
    before_ok && chars.get(i + 1 + hashes) == Some(&'"')
}

/// Identifiers, `::` and single punctuation characters, each with its line.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_alphanumeric() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((n + 1, chars[start..i].iter().collect()));
            } else if c == ':' && chars.get(i + 1) == Some(&':') {
                out.push((n + 1, "::".to_owned()));
                i += 2;
            } else {
                if !c.is_whitespace() {
                    out.push((n + 1, c.to_string()));
                }
                i += 1;
            }
        }
    }
    out
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The module each token is in: the file's, plus any `mod name { … }` around it.
fn scopes(tokens: &[(usize, String)], here: &ModPath) -> Vec<ModPath> {
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut out = Vec::with_capacity(tokens.len());
    let mut pending: Option<String> = None;
    for (i, (_, t)) in tokens.iter().enumerate() {
        let mut scope = here.clone();
        scope.extend(stack.iter().map(|(name, _)| name.clone()));
        out.push(scope);
        match t.as_str() {
            "mod" if tokens.get(i + 2).is_some_and(|(_, t)| t == "{") => {
                pending = Some(tokens[i + 1].1.clone());
            }
            "{" => {
                depth += 1;
                if let Some(name) = pending.take() {
                    stack.push((name, depth));
                }
            }
            "}" => {
                if stack.last().is_some_and(|&(_, d)| d == depth) {
                    stack.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    out
}

fn inline_modules(tokens: &[(usize, String)], here: &ModPath) -> BTreeSet<ModPath> {
    let scopes = scopes(tokens, here);
    (0..tokens.len())
        .filter(|&i| tokens[i].1 == "mod" && tokens.get(i + 2).is_some_and(|(_, t)| t == "{"))
        .map(|i| {
            let mut m = scopes[i].clone();
            m.push(tokens[i + 1].1.clone());
            m
        })
        .collect()
}

/// Every crate-internal path the file names, made absolute, with its line.
fn paths(
    tokens: &[(usize, String)],
    here: &ModPath,
    is_module: &dyn Fn(&ModPath) -> bool,
) -> Vec<(usize, ModPath)> {
    let scopes = scopes(tokens, here);
    // (token index, line, segments, from a `use`)
    let mut raw: Vec<(usize, usize, Vec<String>, bool)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].1.as_str();
        let after_colons = i > 0 && tokens[i - 1].1 == "::";
        if t == "use" {
            let start = i;
            let mut found = Vec::new();
            i = use_tree(tokens, i + 1, &[], &mut found);
            raw.extend(found.into_iter().map(|p| (start, tokens[start].0, p, true)));
        } else if is_ident(t) && !after_colons && tokens.get(i + 1).is_some_and(|(_, t)| t == "::")
        {
            let start = i;
            let mut segs = vec![t.to_owned()];
            i += 1;
            while tokens.get(i).is_some_and(|(_, t)| t == "::")
                && tokens.get(i + 1).is_some_and(|(_, t)| is_ident(t))
            {
                segs.push(tokens[i + 1].1.clone());
                i += 2;
            }
            raw.push((start, tokens[start].0, segs, false));
        } else {
            i += 1;
        }
    }
    // Modules brought in by name (`use crate::resources::{categories, tags};`): a later
    // `categories::queries::all` goes through them.
    let no_aliases = BTreeMap::new();
    let aliases: BTreeMap<String, ModPath> = raw
        .iter()
        .filter(|(_, _, _, from_use)| *from_use)
        .filter_map(|(at, _, segs, _)| absolute(&scopes[*at], segs, is_module, &no_aliases))
        .filter(|path| is_module(path))
        .filter_map(|path| Some((path.last()?.clone(), path)))
        .collect();
    raw.into_iter()
        .filter_map(|(at, line, segs, _)| {
            absolute(&scopes[at], &segs, is_module, &aliases).map(|p| (line, p))
        })
        .collect()
}

/// Parses a use tree from `i`; returns the index after it. Paths go to `out`.
fn use_tree(
    tokens: &[(usize, String)],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    loop {
        let Some((_, t)) = tokens.get(i) else {
            return i;
        };
        match t.as_str() {
            "{" => {
                i += 1;
                loop {
                    match tokens.get(i).map(|(_, t)| t.as_str()) {
                        None => return i,
                        Some("}") => return skip_to_end(tokens, i + 1),
                        Some(",") => i += 1,
                        _ => i = use_tree(tokens, i, &path, out),
                    }
                }
            }
            "::" => i += 1,
            "*" => {
                out.push(path);
                return skip_to_end(tokens, i + 1);
            }
            "self" if !path.is_empty() => {
                out.push(path);
                return skip_to_end(tokens, i + 1);
            }
            "as" => {
                out.push(path);
                return skip_to_end(tokens, i + 2);
            }
            ";" | "," | "}" => {
                out.push(path);
                return if t == ";" { i + 1 } else { i };
            }
            t if is_ident(t) => {
                path.push(t.to_owned());
                i += 1;
            }
            _ => return i + 1,
        }
    }
}

/// After a finished tree: stops before `,` or `}`, or after `;`.
fn skip_to_end(tokens: &[(usize, String)], i: usize) -> usize {
    match tokens.get(i).map(|(_, t)| t.as_str()) {
        Some(";") => i + 1,
        _ => i,
    }
}

/// The absolute module path a path names, or None when it is outside the crate.
fn absolute(
    scope: &ModPath,
    segs: &[String],
    is_module: &dyn Fn(&ModPath) -> bool,
    aliases: &BTreeMap<String, ModPath>,
) -> Option<ModPath> {
    let mut at = scope.clone();
    let mut rest = segs;
    match segs.first()?.as_str() {
        "crate" => {
            at.clear();
            rest = &segs[1..];
        }
        "self" => rest = &segs[1..],
        "super" => {
            while rest.first().is_some_and(|s| s == "super") {
                at.pop()?;
                rest = &rest[1..];
            }
        }
        first => {
            let mut child = scope.clone();
            child.push(first.to_owned());
            if !is_module(&child) {
                let mut through = aliases.get(first)?.clone();
                through.extend(segs[1..].iter().cloned());
                return Some(through);
            }
        }
    }
    at.extend(rest.iter().cloned());
    Some(at)
}

/// Each strongly connected group of files, as one circle through it.
fn circles(edges: &Edges) -> Vec<String> {
    let nodes: Vec<&PathBuf> = edges.keys().collect();
    let reach = |from: &PathBuf| -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for next in edges.get(&n).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&PathBuf, BTreeSet<PathBuf>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for &n in &nodes {
        if done.contains(n) || !reachable[n].contains(n) {
            continue;
        }
        let group: BTreeSet<PathBuf> = reachable[n]
            .iter()
            .filter(|m| reachable.get(m).is_some_and(|r| r.contains(n)))
            .cloned()
            .collect();
        done.extend(group.iter().cloned());
        out.push(describe(edges, n, &group));
    }
    out
}

/// The shortest circle from `start` back to itself inside `group`, each step with its reason.
fn describe(edges: &Edges, start: &PathBuf, group: &BTreeSet<PathBuf>) -> String {
    let mut prev: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    'search: while let Some(n) = queue.pop_front() {
        for next in edges[&n].keys().filter(|m| group.contains(*m)) {
            if next == start {
                prev.insert(start.clone(), n.clone());
                break 'search;
            }
            if !prev.contains_key(next) {
                prev.insert(next.clone(), n.clone());
                queue.push_back(next.clone());
            }
        }
    }
    let mut cycle = vec![start.clone()];
    let mut at = prev[start].clone();
    while &at != start {
        cycle.push(at.clone());
        at = prev[&at].clone();
    }
    cycle.push(start.clone());
    cycle.reverse();
    let steps: Vec<String> = cycle
        .windows(2)
        .map(|w| {
            let (line, path) = &edges[&w[0]][&w[1]];
            format!(
                "  src/{} → src/{}  (line {line}: crate::{path})",
                w[0].display(),
                w[1].display()
            )
        })
        .collect();
    let members: Vec<String> = group
        .iter()
        .map(|f| format!("src/{}", f.display()))
        .collect();
    format!(
        "circle of {} files:\n{}\n  (files on some circle with these: {})",
        cycle.len() - 1,
        steps.join("\n"),
        members.join(", ")
    )
}
