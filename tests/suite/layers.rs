//! The library's modules stand in layers, and a module uses only modules of lower layers:
//! the findings model and the date arithmetic at the bottom, the contract reader on them, the
//! features above. The `pactum` crate stands over the library: its printers (`print`) use the
//! library, and its command line (`cli`) uses both. These tests read every `crate::…` path in
//! `crates/pactum-core/src/` and fail on a use that runs sideways or upward, and on a module
//! the table does not place, so that the layers stay as they are unless someone changes them
//! here, on purpose.

use std::collections::BTreeSet;
use std::path::Path;

/// Each top-level module of `src/` and its layer, bottom first.
const LAYERS: &[(&str, usize)] = &[
    ("text", 0),
    ("findings", 1),
    ("forge", 1),
    ("lifecycle", 1),
    ("contract", 2),
    ("repo", 3),
    ("schema", 3),
    ("remind", 4),
    ("diff", 4),
    ("template", 4),
    ("exchange", 6),
    ("history", 5),
    ("lint", 5),
    ("report", 7),
    ("drafting", 7),
    ("workspace", 6),
    ("editor", 8),
];

/// The library crate's sources.
fn library() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/pactum-core/src")
}

/// The `pactum` crate's sources: the command line and the printers.
fn binary() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, layer)| *layer)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names with `crate::name`.
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // `pactum_crate::` or `my_crate::` are not this crate.
        if text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String =
            text[at + "crate::".len()..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
        assert!(
            !name.is_empty() || !text[at..].starts_with("crate::{"),
            "write `use crate::a; use crate::b;`, not a group"
        );
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

#[test]
fn modules_use_only_lower_layers() {
    let src = library();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned();
        if top == "lib" {
            continue;
        }
        let own = layer(&top).unwrap_or_else(|| panic!("src/{top} is not placed in a layer: add it to LAYERS"));
        for used in uses(&std::fs::read_to_string(&file).unwrap()) {
            if used == top {
                continue;
            }
            let theirs = layer(&used)
                .unwrap_or_else(|| panic!("{}: crate::{used} is not placed in a layer", relative.display()));
            if theirs >= own {
                wrong.push(format!("{} (layer {own}) uses crate::{used} (layer {theirs})", relative.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "uses that run sideways or upward:\n  {}", wrong.join("\n  "));
}

#[test]
fn the_table_places_every_module_once() {
    let names: BTreeSet<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.len(), LAYERS.len());
    for name in names {
        let src = library();
        assert!(src.join(name).is_dir() || src.join(format!("{name}.rs")).is_file(), "{name} is no module");
    }
}

/// The module path a file of `src/` is: `contract/clauses/heading.rs` → contract, clauses,
/// heading; `contract/clauses/mod.rs` → contract, clauses.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> =
        relative.components().map(|c| c.as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The file that holds the module named by the longest prefix of `segments`, if any.
fn file_of(src: &Path, segments: &[String]) -> Option<std::path::PathBuf> {
    (1..=segments.len()).rev().find_map(|n| {
        let dir = segments[..n].iter().fold(src.to_path_buf(), |path, s| path.join(s));
        let file = dir.with_extension("rs");
        if file.is_file() {
            return Some(file);
        }
        let module = dir.join("mod.rs");
        module.is_file().then_some(module)
    })
}

/// The module paths a file names through `crate::`, `super::` and `self::` (groups in braces
/// read one level deep), as absolute module paths.
fn named_paths(text: &str, own: &[String]) -> Vec<Vec<String>> {
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect() };
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            if text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            // Where the path starts: the crate root, the parent module or this one (a `mod.rs`
            // is its folder's module, so its `super` is the folder's parent).
            let mut base: Vec<String> = match start {
                "crate::" => Vec::new(),
                "super::" => own[..own.len().saturating_sub(1)].to_vec(),
                _ => own.to_vec(),
            };
            let mut rest = &text[at + start.len()..];
            while let Some(more) = rest.strip_prefix("super::") {
                base.pop();
                rest = more;
            }
            let mut heads = Vec::new();
            if let Some(group) = rest.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                heads.extend(inner.split(',').map(|part| ident(part.trim())).filter(|name| !name.is_empty()));
            } else {
                let mut path = Vec::new();
                let mut cursor = rest;
                loop {
                    let name = ident(cursor);
                    if name.is_empty() {
                        break;
                    }
                    cursor = &cursor[name.len()..];
                    path.push(name);
                    match cursor.strip_prefix("::") {
                        Some(next) => cursor = next,
                        None => break,
                    }
                }
                if !path.is_empty() {
                    out.push(base.iter().cloned().chain(path).collect());
                }
                continue;
            }
            for head in heads {
                out.push(base.iter().cloned().chain([head]).collect());
            }
        }
    }
    out
}

/// Depth-first, three colours: a grey file met again closes a loop, which goes to `loops`.
fn visit(
    file: &std::path::PathBuf,
    edges: &std::collections::BTreeMap<std::path::PathBuf, BTreeSet<std::path::PathBuf>>,
    colour: &mut std::collections::HashMap<std::path::PathBuf, u8>,
    stack: &mut Vec<std::path::PathBuf>,
    loops: &mut Vec<String>,
) {
    colour.insert(file.clone(), 1);
    stack.push(file.clone());
    for next in edges.get(file).into_iter().flatten() {
        match colour.get(next).copied().unwrap_or(0) {
            0 => visit(next, edges, colour, stack, loops),
            1 => {
                let at = stack.iter().position(|f| f == next).unwrap();
                let names: Vec<String> = stack[at..].iter().chain([next]).map(|f| f.display().to_string()).collect();
                loops.push(names.join(" → "));
            }
            _ => {}
        }
    }
    stack.pop();
    colour.insert(file.clone(), 2);
}

/// No two files of the library import each other, directly or round a loop: each file reads
/// as building on the ones it uses. A file's use of its own parent module (`super::Item`
/// defined in the `mod.rs` that declares it) is the module's shared model, not a loop.
#[test]
fn no_two_files_import_each_other_in_a_loop() {
    for src in [library(), binary()] {
        let loops = loops_in(&src);
        assert!(loops.is_empty(), "files that import each other round a loop:\n  {}", loops.join("\n  "));
    }
}

/// The loops among the files of one crate's sources.
fn loops_in(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut edges: std::collections::BTreeMap<std::path::PathBuf, BTreeSet<std::path::PathBuf>> =
        std::collections::BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(src).unwrap();
        if relative == Path::new("main.rs") || relative == Path::new("lib.rs") {
            continue;
        }
        let own = module_of(relative);
        // Comments name modules without using them (`[`super::number`]` in a doc).
        let text: String = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for path in named_paths(&text, &own) {
            let Some(target) = file_of(src, &path) else { continue };
            // Its own file, or an ancestor module's mod.rs (the shared model it builds on).
            let target_module = module_of(target.strip_prefix(src).unwrap());
            if target == *file || own.starts_with(&target_module) {
                continue;
            }
            edges.entry(file.clone()).or_default().insert(target);
        }
    }
    let mut colour = std::collections::HashMap::new();
    let mut loops = Vec::new();
    for file in edges.keys() {
        if colour.get(file).copied().unwrap_or(0) == 0 {
            visit(file, &edges, &mut colour, &mut Vec::new(), &mut loops);
        }
    }
    loops
}

/// The library knows nothing of the command line or the terminal: its crate depends on no
/// argument parser, terminal or diagnostic-rendering crate, directly or through another, and
/// its sources name none; and the printers of the `pactum` crate never reach into the command
/// line above them.
#[test]
fn the_library_depends_on_no_command_line_or_terminal_crate() {
    let tree = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--locked", "--package", "pactum-core", "--edges", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(tree.status.success(), "{}", String::from_utf8_lossy(&tree.stderr));
    let crates = String::from_utf8(tree.stdout).unwrap();
    assert!(crates.lines().any(|line| line.starts_with("git2 ")), "cargo tree listed no dependencies:\n{crates}");
    let terminal: Vec<&str> = crates
        .lines()
        .filter(|line| {
            let name = line.split(' ').next().unwrap_or("");
            name.starts_with("clap")
                || name.starts_with("anstream")
                || name.starts_with("anstyle")
                || name == "annotate-snippets"
        })
        .collect();
    assert!(terminal.is_empty(), "pactum-core depends on {terminal:?}");

    let mut named = Vec::new();
    let mut files = Vec::new();
    rust_files(&library(), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for name in [
                "clap::",
                "clap_",
                "anstream::",
                "anstyle::",
                "println!",
                "eprintln!",
                "std::io::stdout",
                "std::io::stderr",
            ] {
                if line.contains(name) && !line.contains("#[cfg(test)]") {
                    named.push(format!("{}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(named.is_empty(), "{named:#?}");

    let mut files = Vec::new();
    rust_files(&binary().join("print"), &mut files);
    let reaching: Vec<String> = files
        .iter()
        .filter(|file| std::fs::read_to_string(file).unwrap().contains("crate::cli"))
        .map(|file| file.display().to_string())
        .collect();
    assert!(reaching.is_empty(), "printers that use the command line: {reaching:?}");
}
