//! Files the commands read and write, the one way they all do: input of bounded size from a
//! file or standard input, a contract read for a command, and writes that are whole or not at
//! all (a failure half-way leaves the file as it was).

use std::io::{self, Write as _};
use std::path::Path;

use anyhow::{Context, Result, bail};
use pactum_core::contract::{Contract, FrontMatterRule, decode};

/// The most a file named on the command line may hold: far beyond any contract, short of
/// what `/dev/zero` would pour in.
const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// Read a file named on the command line: a regular file (not a device, FIFO or folder), of at
/// most [`MAX_INPUT`] bytes; `-` is standard input.
pub(super) fn read_input(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        io::stdin().lock().take(MAX_INPUT + 1).read_to_end(&mut bytes).context("reading standard input")?;
        if bytes.len() as u64 > MAX_INPUT {
            bail!("standard input holds more than {} MB; pactum reads no input that large", MAX_INPUT / 1024 / 1024);
        }
        return Ok(bytes);
    }
    let metadata = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !metadata.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT + 1).read_to_end(&mut bytes).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_INPUT {
        bail!("{} is larger than {} MB; pactum reads no input that large", path.display(), MAX_INPUT / 1024 / 1024);
    }
    Ok(bytes)
}

/// A contract named on the command line, read whole; a front matter that is not TOML is an
/// error (a command would otherwise act on a contract without its parties and signatures).
pub(super) fn read_file(path: &Path) -> Result<Contract> {
    let bytes = read_input(path)?;
    let shown = path.to_string_lossy().into_owned();
    let (text, _) = decode(&shown, bytes).map_err(|d| anyhow::anyhow!("{shown}: {}", d.message))?;
    let mut findings = Vec::new();
    let contract = Contract::read(&shown, text, FrontMatterRule::Optional, &mut findings);
    // A front matter that is not TOML would print a page without its parties and signatures.
    if let Some(broken) = findings.iter().find(|d| d.code.starts_with("frontmatter/")) {
        bail!("{shown}:{}: {}", broken.location.line, broken.message);
    }
    Ok(contract)
}

/// Replace `path`'s contents with `text` so that a failure half-way leaves it as it was,
/// keeping its permissions. A symbolic link is never written through.
pub(super) fn replace_file(path: &Path, text: &str) -> Result<()> {
    let metadata = std::fs::symlink_metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if metadata.file_type().is_symlink() {
        bail!("{} is a symbolic link; pactum writes contracts only as regular files", path.display());
    }
    write_whole(path, text.as_bytes(), Some(metadata.permissions()))
}

/// Write `bytes` to `path` whole or not at all: into a fresh, unpredictably named file beside
/// it (created exclusively, so nothing planted there is followed), with `permissions` if given,
/// else those of the file it replaces, else those any new file gets (`0666` less the umask, as
/// a shell redirection makes it; not the owner-only mode of a scratch file), synced, then
/// renamed over `path`. A failure half-way leaves `path` as it was.
pub(super) fn write_whole(path: &Path, bytes: &[u8], permissions: Option<std::fs::Permissions>) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let permissions = permissions
        .or_else(|| std::fs::symlink_metadata(path).ok().filter(std::fs::Metadata::is_file).map(|m| m.permissions()));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pactum-").suffix(".tmp");
    #[cfg(unix)]
    if permissions.is_none() {
        // The mode given at creation is reduced by the umask, as for any new file.
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    }
    let mut scratch =
        builder.tempfile_in(folder).with_context(|| format!("creating a scratch file in {}", folder.display()))?;
    scratch.write_all(bytes).with_context(|| format!("writing beside {}", path.display()))?;
    if let Some(permissions) = permissions {
        scratch
            .as_file()
            .set_permissions(permissions)
            .with_context(|| format!("keeping the permissions of {}", path.display()))?;
    }
    scratch.as_file().sync_all().with_context(|| format!("writing beside {}", path.display()))?;
    scratch.persist(path).map_err(|e| e.error).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
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
    write_whole(path, bytes, None)
}

/// A file's text, or none when there is no file (any other failure to read it is an error).
pub(super) fn read_if_present(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}
