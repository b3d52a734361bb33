//! `pactum export` and `pactum import`: the Word round trip with a counterparty.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pactum_core::contract::KeyTerm;
use pactum_core::exchange::import::receive;
use pactum_core::exchange::{docx, model};

use super::{GlobalArgs, Outcome};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The contract
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Docx)]
    format: ExportFormat,
    /// Write the document here (default: the contract's name with .docx, beside it)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// a Word document (Office Open XML)
    Docx,
}

/// The key terms a counterparty's cover page shows: `[word] cover` of the repository the file
/// is in, else the default.
pub(super) fn cover_terms(file: &Path) -> Result<Vec<KeyTerm>> {
    Ok(super::repo_of(file)?.map_or_else(|| KeyTerm::COUNTERPARTY.to_vec(), |repo| repo.config.word.cover.clone()))
}

pub fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<Outcome> {
    let ExportFormat::Docx = args.format;
    let contract = super::files::read_file(&args.file)?;
    let document = model::document(&contract, &cover_terms(&args.file)?);
    let bytes = docx::write(&document, None)?;
    let output = args.output.clone().unwrap_or_else(|| args.file.with_extension("docx"));
    super::files::write_binary(&output, &bytes)?;
    if !global.quiet && output != Path::new("-") {
        global.say(crate::print::exchange::exported(&output, &document));
    }
    Ok(Outcome::Clean)
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["into", "new"])))]
pub struct ImportArgs {
    /// The Word document: a counterparty's copy of an export, or an agreement to adopt
    #[arg(value_name = "DOCX")]
    file: PathBuf,
    /// Write the counterparty's proposal into this contract's body (its front matter is kept)
    #[arg(long, value_name = "CONTRACT")]
    into: Option<PathBuf>,
    /// Adopt a Word agreement pactum never exported as a new contract here
    #[arg(long, value_name = "CONTRACT")]
    new: Option<PathBuf>,
    /// Write the counterparty's comments here, clause by clause, as Markdown for a review
    #[arg(long, value_name = "FILE")]
    comments: Option<PathBuf>,
    /// Import although the document was exported from another contract or from a version
    /// the repository does not have
    #[arg(long)]
    force: bool,
    /// Show what would change instead of writing the contract
    #[arg(long)]
    dry_run: bool,
}

pub fn import(global: &GlobalArgs, args: &ImportArgs) -> Result<Outcome> {
    let bytes = super::files::read_input(&args.file)?;
    let word = pactum_core::exchange::read::read(&bytes).with_context(|| format!("reading {}", args.file.display()))?;
    if let Some(new) = &args.new {
        return adopt(global, args, &word, new);
    }
    let into = args.into.as_deref().expect("clap requires --into or --new");
    let contract = super::files::read_file(into)?;
    let repo = super::repository(global, "").ok();
    let history = repo.as_ref().map(|repo| (repo, repo.shown(into)));
    let proposal = receive(
        &word,
        &contract,
        history.as_ref().map(|(repo, path)| (*repo, path.as_str())),
        &cover_terms(into)?,
        args.force,
    )
    .map_err(|why| anyhow::anyhow!("{}", why.message(&into.display().to_string())))?;
    let report = crate::print::exchange::edits(&proposal);
    let changed = proposal.text != contract.text;
    if let Some(path) = &args.comments {
        let title = contract.meta.title.clone().unwrap_or_else(|| contract.path.clone());
        super::deliver(
            global,
            Some(path),
            &crate::print::exchange::comments_markdown(&title, &args.file, &proposal),
            false,
        )?;
    }
    if args.dry_run {
        super::emit_raw(&proposal.text)?;
    } else if changed {
        // The text as signed changes only through an amendment, whatever the return says.
        if pactum_core::contract::seal::reads_executed(&contract) {
            bail!(
                "{} is executed: its text stays as signed, so the return's {} edit(s) were not written:\n{report}See them with --dry-run, and make them in an amendment (a new contract with `amends = \"{}\"`, executed in its turn)",
                into.display(),
                proposal.edits.len(),
                contract.meta.id.as_deref().unwrap_or("<id>")
            );
        }
        super::files::replace_file(into, &proposal.text)?;
    }
    if !global.quiet {
        global.say(crate::print::exchange::imported(into, &proposal, changed, args.dry_run));
    }
    Ok(if proposal.unmapped.is_empty() { Outcome::Clean } else { Outcome::Findings })
}

fn adopt(
    global: &GlobalArgs,
    args: &ImportArgs,
    word: &pactum_core::exchange::read::WordDocument,
    new: &Path,
) -> Result<Outcome> {
    if new.exists() && !args.force {
        bail!("{} exists: adopt into a new file, or pass --force to replace it", new.display());
    }
    if word.properties.contains_key(docx::PROPERTY_SOURCE) && !args.force {
        bail!(
            "{} was exported by pactum from {}: import it into that contract with --into, or pass --force to adopt it as a new one",
            args.file.display(),
            word.properties.get(docx::PROPERTY_PATH).map_or("a contract", String::as_str)
        );
    }
    let id = new.file_stem().map_or_else(|| "contract".to_owned(), |s| pactum_core::text::slug(&s.to_string_lossy()));
    let adopted = pactum_core::exchange::adopt::adopt(word, &id);
    if args.dry_run {
        super::emit_raw(&adopted.text)?;
    } else {
        if let Some(folder) = new.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        }
        super::files::write_binary(new, adopted.text.as_bytes())?;
    }
    if !global.quiet {
        global.say(crate::print::exchange::adopted(new, &adopted, args.dry_run));
    }
    Ok(Outcome::Clean)
}
