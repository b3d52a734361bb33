//! `pactum export` and `pactum import`: the Word round trip with a counterparty.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pactum::exchange::{docx, model};

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

/// Write bytes to `path` whole or not at all: a failed write leaves no half document.
pub(super) fn write_binary(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    if path == Path::new("-") {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            bail!("a Word document is binary; name a file with -o, or pipe standard output");
        }
        let mut stdout = std::io::stdout().lock();
        return stdout.write_all(bytes).and_then(|()| stdout.flush()).context("writing to standard output");
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut scratch = tempfile::Builder::new()
        .prefix(".pactum-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .with_context(|| format!("creating a scratch file in {}", folder.display()))?;
    scratch.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
    scratch.persist(path).map_err(|e| e.error).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

pub fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<Outcome> {
    let ExportFormat::Docx = args.format;
    let contract = super::draft::read_file(&args.file)?;
    let document = model::document(&contract);
    let bytes = docx::write(&document, None)?;
    let output = args.output.clone().unwrap_or_else(|| args.file.with_extension("docx"));
    write_binary(&output, &bytes)?;
    if !global.quiet && output != Path::new("-") {
        let numbered = document.paras.iter().filter(|p| p.numbered.is_some()).count();
        let clauses = document.paras.iter().filter(|p| p.clause.is_some()).count();
        eprintln!(
            "wrote {} ({} paragraphs; {numbered} of {clauses} clauses numbered by Word)",
            output.display(),
            document.paras.len()
        );
    }
    Ok(Outcome::Clean)
}
