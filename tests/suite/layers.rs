//! The library's modules stand in layers, and a module uses only modules of lower layers:
//! the findings model and the date arithmetic at the bottom, the contract reader on them, the
//! features above, the presentation layer (`output`) at the top, and the command line (the
//! binary) over it all. This test reads every `crate::…` path in `src/` and fails on a use
//! that runs sideways or upward, and on a module the table does not place, so that the layers
//! stay as they are unless someone changes them here, on purpose.

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
    ("remind", 3),
    ("diff", 4),
    ("template", 4),
    ("exchange", 5),
    ("history", 5),
    ("lint", 5),
    ("report", 6),
    ("workspace", 6),
    ("output", 7),
];

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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned();
        // The binary's command line uses the library as `pactum::`, from above every layer.
        if matches!(top.as_str(), "cli" | "main" | "lib") {
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
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        assert!(src.join(name).is_dir() || src.join(format!("{name}.rs")).is_file(), "{name} is no module");
    }
}
