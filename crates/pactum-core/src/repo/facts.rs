//! What `check` learned of each file and each version in history, kept between runs in the Git
//! directory (`.git/pactum/facts.json`), so that a check of a few named files in a large
//! repository does not read every other contract's front matter again.
//!
//! Every fact is keyed by content: a working file by the SHA-256 of its bytes, a version in
//! history by its Git blob id. A fact is what reading those bytes gives, whatever the path, the
//! date or the settings, so a fact never goes stale; the cache is dropped whole when pactum's
//! version or the cache's format changes, and each run keeps only the facts it used. A cache
//! that cannot be read is ignored and one that cannot be written is not written: the cache
//! makes checks faster, never different.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::contract::seal::Amended;

/// Bumped whenever what a fact holds, or how it is read, changes.
const FORMAT: u32 = 1;

/// The SHA-256 of a working file's bytes.
pub type ContentKey = [u8; 32];

/// A Git blob id.
pub type BlobKey = [u8; 20];

/// What the rules over the whole repository need of a contract whose own findings are not
/// reported: its id, links and what it amends. `None` where a file has no readable front
/// matter (it then takes no part in those rules).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub id: Option<String>,
    /// `amends`, `supersedes`, `parent`, and the id each names.
    pub links: Vec<(String, String)>,
    pub amends: Option<(String, Amended)>,
}

/// What a version in history says of itself: its size, and, for one no larger than the largest
/// file read when it was read, whether it reads as executed, with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionFacts {
    pub size: u64,
    /// `None`: not executed; `Some(id)`: executed, with its id if it has one.
    pub executed: Option<Option<String>>,
}

/// The facts of one repository.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub files: HashMap<ContentKey, Option<FileFacts>>,
    pub versions: HashMap<BlobKey, VersionFacts>,
}

/// The file as written: hex keys, so that it reads in any JSON tool.
#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    pactum: String,
    files: Vec<(String, Option<FileFacts>)>,
    versions: Vec<(String, VersionFacts)>,
}

impl Facts {
    /// Where the facts of the repository whose Git directory is `git_dir` are kept.
    #[must_use]
    pub fn path_in(git_dir: &Path) -> PathBuf {
        git_dir.join("pactum").join("facts.json")
    }

    /// The facts kept at `path`; none when there are none, or they were written by another
    /// version of pactum, or do not read.
    #[must_use]
    pub fn load(path: &Path) -> Self {
        let Ok(bytes) = std::fs::read(path) else { return Self::default() };
        let Ok(stored) = serde_json::from_slice::<Stored>(&bytes) else { return Self::default() };
        if stored.format != FORMAT || stored.pactum != env!("CARGO_PKG_VERSION") {
            return Self::default();
        }
        Self {
            files: stored.files.into_iter().filter_map(|(key, facts)| Some((unhex(&key)?, facts))).collect(),
            versions: stored.versions.into_iter().filter_map(|(key, facts)| Some((unhex(&key)?, facts))).collect(),
        }
    }

    /// Write the facts to `path`, through a temporary file renamed into place, so that a run
    /// beside this one reads either the old facts or the new. A failure is not reported: a
    /// checkout that cannot be written to is checked as fast as before, no slower.
    pub fn save(&self, path: &Path) {
        let mut files: Vec<(String, Option<FileFacts>)> =
            self.files.iter().map(|(key, facts)| (hex(key), facts.clone())).collect();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut versions: Vec<(String, VersionFacts)> =
            self.versions.iter().map(|(key, facts)| (hex(key), facts.clone())).collect();
        versions.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored { format: FORMAT, pactum: env!("CARGO_PKG_VERSION").to_owned(), files, versions };
        let Ok(bytes) = serde_json::to_vec(&stored) else { return };
        let Some(folder) = path.parent() else { return };
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        let temporary = folder.join(format!(".facts-{}.json", std::process::id()));
        if std::fs::write(&temporary, bytes).is_err() || std::fs::rename(&temporary, path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }

    /// The key of a working file's bytes.
    #[must_use]
    pub fn content_key(bytes: &[u8]) -> ContentKey {
        use sha2::Digest as _;
        sha2::Sha256::digest(bytes).into()
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0; N];
    for (at, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[at * 2..at * 2 + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_read_back_as_written_and_another_version_s_are_ignored() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = Facts::path_in(folder.path());
        let mut facts = Facts::default();
        let amended = Amended { body: Some("ab".into()), terms: None };
        facts.files.insert(
            Facts::content_key(b"one"),
            Some(FileFacts {
                id: Some("acme".into()),
                links: vec![("amends".into(), "globex".into())],
                amends: Some(("globex".into(), amended)),
            }),
        );
        facts.files.insert(Facts::content_key(b"two"), None);
        facts.versions.insert([7; 20], VersionFacts { size: 12, executed: Some(None) });
        facts.save(&path);
        let read = Facts::load(&path);
        assert_eq!(read.files, facts.files);
        assert_eq!(read.versions, facts.versions);
        let text = std::fs::read_to_string(&path).expect("written");
        std::fs::write(&path, text.replace(env!("CARGO_PKG_VERSION"), "0.0.0-other")).expect("rewrite");
        assert!(Facts::load(&path).files.is_empty(), "another version's facts are not used");
        std::fs::write(&path, "{ not json").expect("rewrite");
        assert!(Facts::load(&path).versions.is_empty(), "a damaged cache is ignored");
    }

    #[test]
    fn keys_are_hex_both_ways() {
        let key = Facts::content_key(b"contract");
        assert_eq!(unhex::<32>(&hex(&key)), Some(key));
        assert_eq!(unhex::<20>("zz"), None);
        assert_eq!(unhex::<1>("é1"), None);
    }
}
