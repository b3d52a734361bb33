//! `pactum schema`: the JSON Schemas pactum publishes, for editors and for tools that read its
//! output.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::{GlobalArgs, Outcome, emit};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[command(subcommand)]
    action: SchemaAction,
}

#[derive(Debug, Subcommand)]
enum SchemaAction {
    /// Write every published schema into DIR: the contract types, `pactum.schema.json` for
    /// `pactum.toml`, and `output/` for each `--format json` output
    #[command(
        after_help = "Examples:\n  pactum schema export .schemas\n  taplo check --schema file://$PWD/.schemas/pactum.schema.json pactum.toml"
    )]
    Export {
        /// The folder to write into (created if missing)
        dir: PathBuf,
        /// Replace files that differ from pactum's (otherwise nothing is written)
        #[arg(long)]
        force: bool,
    },
}

pub fn run(global: &GlobalArgs, args: &SchemaArgs) -> Result<Outcome> {
    match &args.action {
        SchemaAction::Export { dir, force } => export(global, dir, *force),
    }
}

fn export(global: &GlobalArgs, dir: &Path, force: bool) -> Result<Outcome> {
    let schemas: Vec<(String, String)> = pactum_core::schema::published()
        .into_iter()
        .map(|(name, text)| (name, pactum_core::schema::local_copy(text)))
        .collect();
    // Read what is there once, and decide before writing anything: a refused export leaves
    // the folder as it was.
    let mut stale = Vec::new();
    let mut differing = Vec::new();
    for (name, text) in &schemas {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => continue,
            Ok(_) => differing.push(path.display().to_string()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
        }
        stale.push((path, text.as_str()));
    }
    if !differing.is_empty() && !force {
        bail!(
            "pactum's schemas differ from {} in {}, left as found: {}\n(--force replaces them)",
            pactum_core::text::count(differing.len(), "file"),
            dir.display(),
            differing.join(", ")
        );
    }
    for (path, text) in &stale {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    emit(
        global,
        &format!(
            "{} schema(s) in {}: {} written, {} already up to date\n",
            schemas.len(),
            dir.display(),
            stale.len(),
            schemas.len() - stale.len()
        ),
    )?;
    Ok(Outcome::Clean)
}
