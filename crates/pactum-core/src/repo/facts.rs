//! What `check` learned of each file and each version in history, kept between runs in the Git
//! directory (`.git/pactum/facts`), so that a check of a few named files in a large
//! repository does not read every other contract's front matter again.
//!
//! Every fact is keyed by content, the Git blob id of the bytes it was read from: a version in
//! history has it in its tree, and a working file the index holds unchanged (by its size,
//! times and inode, as Git tells) has it in the index, so that neither is read to be looked
//! up. A fact is what reading those bytes gives, whatever the path, the
//! date or the settings, so a fact never goes stale; the cache is dropped whole when pactum's
//! version or the cache's format changes, and each run keeps only the facts it used. A cache
//! that cannot be read is ignored and one that cannot be written is not written: the cache
//! makes checks faster, never different.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};

use crate::contract::seal::{Amended, BlobId};

/// The first bytes of the file.
const MAGIC: &[u8; 8] = b"pactum\0f";

/// Bumped whenever what a fact holds, or how it is read or written, changes.
const FORMAT: u32 = 2;

/// Facts are keyed by Git blob id.
pub type BlobKey = BlobId;

/// The key of the blob `id`.
#[must_use]
pub fn key_of(id: git2::Oid) -> BlobKey {
    let mut key = [0; 20];
    key.copy_from_slice(&id.as_bytes()[..20]);
    key
}

/// What the rules over the whole repository need of a contract whose own findings are not
/// reported: its id, links and what it amends. `None` where a file has no readable front
/// matter (it then takes no part in those rules).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub id: Option<String>,
    /// `amends`, `supersedes`, `parent`, and the id each names.
    pub links: Vec<(String, String)>,
    pub amends: Option<(String, Amended)>,
}

/// What a version in history says of itself: its size, and, for one no larger than the largest
/// file read when it was read, whether it reads as executed, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFacts {
    pub size: u64,
    /// `None`: not executed; `Some(id)`: executed, with its id if it has one.
    pub executed: Option<Option<String>>,
}

/// The facts of one repository.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub files: HashMap<BlobKey, Option<FileFacts>>,
    pub versions: HashMap<BlobKey, VersionFacts>,
}

/// What a run learned of one file or version: that it used a fact kept, or a new fact.
#[derive(Debug, Clone)]
pub enum Learned<T> {
    Used(BlobKey),
    New(BlobKey, T),
}

impl Facts {
    /// The facts to keep after a run that learned `files` and `versions`: those it used and
    /// those it found. `None` when they are the facts kept already.
    #[must_use]
    pub fn after(&self, files: Vec<Learned<Option<FileFacts>>>, versions: Vec<Learned<VersionFacts>>) -> Option<Self> {
        if unchanged(&files, self.files.len()) && unchanged(&versions, self.versions.len()) {
            return None;
        }
        Some(Self { files: keep(&self.files, files), versions: keep(&self.versions, versions) })
    }

    /// Where the facts of the repository whose Git directory is `git_dir` are kept.
    #[must_use]
    pub fn path_in(git_dir: &Path) -> PathBuf {
        git_dir.join("pactum").join("facts")
    }

    /// The facts kept at `path`; none when there are none, or they were written by another
    /// version of pactum, or do not read.
    #[must_use]
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| Self::decode(&bytes))
            .filter(|(version, _)| version == env!("CARGO_PKG_VERSION"))
            .map(|(_, facts)| facts)
            .unwrap_or_default()
    }

    /// Write the facts to `path`, through a temporary file renamed into place, so that a run
    /// beside this one reads either the old facts or the new. A failure is not reported: a
    /// checkout that cannot be written to is checked as fast as before, no slower.
    pub fn save(&self, path: &Path) {
        let bytes = self.encode(env!("CARGO_PKG_VERSION"));
        let Some(folder) = path.parent() else { return };
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        let temporary = folder.join(format!(".facts-{}", std::process::id()));
        if std::fs::write(&temporary, bytes).is_err() || std::fs::rename(&temporary, path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }

    /// The facts as written by pactum `version`: length-prefixed fields, read back in a
    /// fraction of the time JSON takes, since a large repository keeps a fact per contract.
    fn encode(&self, version: &str) -> Vec<u8> {
        let mut out = Writer(Vec::with_capacity(64 * (self.files.len() + self.versions.len()) + 64));
        out.0.extend_from_slice(MAGIC);
        out.u32(FORMAT);
        out.str(version);
        out.len(self.files.len());
        for (key, facts) in &self.files {
            out.0.extend_from_slice(key);
            let Some(facts) = facts else {
                out.0.push(0);
                continue;
            };
            out.0.push(1);
            out.optional(facts.id.as_deref());
            out.len(facts.links.len());
            for (link, id) in &facts.links {
                out.str(link);
                out.str(id);
            }
            match &facts.amends {
                None => out.0.push(0),
                Some((target, amended)) => {
                    out.0.push(1);
                    out.str(target);
                    out.optional(amended.body.as_deref());
                    match &amended.terms {
                        None => out.0.push(0),
                        Some(terms) => {
                            out.0.push(1);
                            out.len(terms.len());
                            for (field, digest) in terms {
                                out.str(field);
                                out.str(digest);
                            }
                        }
                    }
                }
            }
        }
        out.len(self.versions.len());
        for (key, facts) in &self.versions {
            out.0.extend_from_slice(key);
            out.0.extend_from_slice(&facts.size.to_le_bytes());
            match &facts.executed {
                None => out.0.push(0),
                Some(id) => {
                    out.0.push(1);
                    out.optional(id.as_deref());
                }
            }
        }
        out.0
    }

    /// The version of pactum that wrote `bytes`, and the facts; `None` when they do not read.
    fn decode(bytes: &[u8]) -> Option<(String, Self)> {
        let mut input = Reader(bytes);
        if input.take(MAGIC.len())? != MAGIC || input.u32()? != FORMAT {
            return None;
        }
        let version = input.str()?;
        let mut facts = Self::default();
        for _ in 0..input.u32()? {
            let key: BlobKey = input.take(20)?.try_into().ok()?;
            let found = match input.byte()? {
                0 => None,
                1 => {
                    let id = input.optional()?;
                    let links = (0..input.u32()?).map(|_| Some((input.str()?, input.str()?))).collect::<Option<_>>()?;
                    let amends = match input.byte()? {
                        0 => None,
                        1 => {
                            let target = input.str()?;
                            let body = input.optional()?;
                            let terms = match input.byte()? {
                                0 => None,
                                1 => Some(
                                    (0..input.u32()?)
                                        .map(|_| Some((input.str()?, input.str()?)))
                                        .collect::<Option<_>>()?,
                                ),
                                _ => return None,
                            };
                            Some((target, Amended { body, terms }))
                        }
                        _ => return None,
                    };
                    Some(FileFacts { id, links, amends })
                }
                _ => return None,
            };
            facts.files.insert(key, found);
        }
        for _ in 0..input.u32()? {
            let key: BlobKey = input.take(20)?.try_into().ok()?;
            let size = u64::from_le_bytes(input.take(8)?.try_into().ok()?);
            let executed = match input.byte()? {
                0 => None,
                1 => Some(input.optional()?),
                _ => return None,
            };
            facts.versions.insert(key, VersionFacts { size, executed });
        }
        input.0.is_empty().then_some((version, facts))
    }

    /// The key of a file's bytes: their Git blob id.
    #[must_use]
    pub fn key(bytes: &[u8]) -> Option<BlobKey> {
        crate::contract::seal::blob_id(bytes)
    }
}

/// The bits of an index entry's flags that hold its merge stage.
const STAGE_MASK: u16 = 0x3000;

/// What the Git index records of the files it holds: enough to tell that a file in the
/// working tree is still the blob staged, without reading it.
#[derive(Debug, Default)]
pub struct Staged {
    /// By path relative to the contracts repository's root.
    entries: HashMap<String, Stat>,
    /// When the index was written: a file changed in the same instant may not look changed.
    written: (i64, i64),
}

/// A file's blob id and the state of the file when it was staged.
#[derive(Debug, Clone, Copy)]
struct Stat {
    blob: BlobKey,
    mtime: (i64, i64),
    ctime: (i64, i64),
    size: u32,
    ino: u32,
}

impl Staged {
    /// The index of the Git repository holding `root` (the contracts repository's root);
    /// `None` outside Git, or when the index cannot be read.
    #[must_use]
    pub fn read(root: &Path) -> Option<Self> {
        let repository = git2::Repository::discover(root).ok()?;
        let workdir = repository.workdir()?.canonicalize().ok()?;
        let root = root.canonicalize().ok()?;
        let prefix = root.strip_prefix(&workdir).ok()?.to_string_lossy().replace('\\', "/");
        let written = std::fs::metadata(repository.path().join("index")).ok()?.modified().ok()?;
        let written = written.duration_since(std::time::UNIX_EPOCH).ok()?;
        let index = repository.index().ok()?;
        let entries = index
            .iter()
            // Stage 0: not a side of a merge in conflict.
            .filter(|entry| entry.flags & STAGE_MASK == 0)
            .filter_map(|entry| {
                let path = std::str::from_utf8(&entry.path).ok()?;
                let shown = if prefix.is_empty() { path } else { path.strip_prefix(&prefix)?.strip_prefix('/')? };
                let stat = Stat {
                    blob: key_of(entry.id),
                    mtime: (i64::from(entry.mtime.seconds()), i64::from(entry.mtime.nanoseconds())),
                    ctime: (i64::from(entry.ctime.seconds()), i64::from(entry.ctime.nanoseconds())),
                    size: entry.file_size,
                    ino: entry.ino,
                };
                Some((shown.to_owned(), stat))
            })
            .collect();
        let written = (i64::try_from(written.as_secs()).ok()?, i64::from(written.subsec_nanos()));
        Some(Self { entries, written })
    }

    /// The working tree's file at `shown` under `root`, when the index holds it unchanged as
    /// `blob` and it is no larger than `max_size`: that file is that version, unread.
    #[must_use]
    pub fn holds(&self, root: &Path, shown: &str, blob: BlobKey, max_size: u64) -> Option<PathBuf> {
        let file = root.join(shown);
        let metadata = std::fs::symlink_metadata(&file).ok()?;
        (metadata.len() <= max_size && self.blob(shown, &metadata) == Some(blob)).then_some(file)
    }

    /// The paths the index holds, relative to the contracts repository's root.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The blob id of the file at `shown` (relative to the contracts repository's root) whose
    /// state is `metadata` (not following a link), when the index holds it unchanged: the
    /// same size, times and inode as when it was staged, and staged after it last changed (as
    /// Git judges a file clean). `None` when it must be read to be known.
    #[must_use]
    pub fn blob(&self, shown: &str, metadata: &std::fs::Metadata) -> Option<BlobKey> {
        let stat = self.entries.get(shown)?;
        Self::unchanged(stat, metadata, self.written).then_some(stat.blob)
    }

    #[cfg(unix)]
    #[allow(clippy::cast_possible_truncation)]
    fn unchanged(stat: &Stat, metadata: &std::fs::Metadata, written: (i64, i64)) -> bool {
        use std::os::unix::fs::MetadataExt as _;
        let mtime = (metadata.mtime(), metadata.mtime_nsec());
        metadata.file_type().is_file()
            // The index keeps the low 32 bits of the size and the inode.
            && stat.size == metadata.size() as u32
            && stat.ino == metadata.ino() as u32
            && stat.mtime == mtime
            && stat.ctime == (metadata.ctime(), metadata.ctime_nsec())
            && mtime < written
    }

    #[cfg(not(unix))]
    fn unchanged(_: &Stat, _: &std::fs::Metadata, _: (i64, i64)) -> bool {
        false
    }
}

/// Of the facts `kept`, those `learned` used, and those it learned.
fn keep<T: Clone>(kept: &HashMap<BlobKey, T>, learned: Vec<Learned<T>>) -> HashMap<BlobKey, T> {
    learned
        .into_iter()
        .filter_map(|learned| match learned {
            Learned::Used(key) => Some((key, kept.get(&key)?.clone())),
            Learned::New(key, facts) => Some((key, facts)),
        })
        .collect()
}

/// Whether `learned` used `kept` facts, each of them, and learned none.
fn unchanged<T>(learned: &[Learned<T>], kept: usize) -> bool {
    if !learned.iter().all(|l| matches!(l, Learned::Used(_))) {
        return false;
    }
    let mut keys: Vec<&BlobKey> = learned.iter().map(|(Learned::Used(key) | Learned::New(key, _))| key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len() == kept
}

/// Facts being written.
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn len(&mut self, len: usize) {
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }

    fn str(&mut self, text: &str) {
        self.len(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn optional(&mut self, text: Option<&str>) {
        match text {
            None => self.0.push(0),
            Some(text) => {
                self.0.push(1);
                self.str(text);
            }
        }
    }
}

/// Facts being read: what is left of the file.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(count)?;
        self.0 = rest;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<String> {
        let len = usize::try_from(self.u32()?).ok()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    /// An optional text: `None` where the file does not read.
    #[allow(clippy::option_option)]
    fn optional(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Facts {
        let mut facts = Facts::default();
        let amended = Amended { body: Some("ab".into()), terms: Some([("value".into(), "cd".into())].into()) };
        facts.files.insert(
            Facts::key(b"one").unwrap(),
            Some(FileFacts {
                id: Some("acme".into()),
                links: vec![("amends".into(), "globex".into())],
                amends: Some(("globex".into(), amended)),
            }),
        );
        facts.files.insert(Facts::key(b"two").unwrap(), None);
        facts.files.insert(Facts::key(b"three").unwrap(), Some(FileFacts::default()));
        facts.versions.insert([7; 20], VersionFacts { size: 12, executed: Some(None) });
        facts.versions.insert([8; 20], VersionFacts { size: 9, executed: Some(Some("acme".into())) });
        facts.versions.insert([9; 20], VersionFacts { size: 3, executed: None });
        facts
    }

    #[test]
    fn facts_read_back_as_written_and_another_version_s_are_ignored() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = Facts::path_in(folder.path());
        let facts = sample();
        facts.save(&path);
        let read = Facts::load(&path);
        assert_eq!(read.files, facts.files);
        assert_eq!(read.versions, facts.versions);
        std::fs::write(&path, facts.encode("0.0.0-other")).expect("rewrite");
        assert!(Facts::load(&path).files.is_empty(), "another version's facts are not used");
    }

    #[test]
    fn a_cut_or_damaged_file_reads_as_no_facts() {
        let bytes = sample().encode(env!("CARGO_PKG_VERSION"));
        assert!(Facts::decode(&bytes).is_some());
        for cut in 0..bytes.len() {
            assert!(Facts::decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Facts::decode(&longer).is_none());
        // Every byte flipped in turn: never a panic, whatever it reads as.
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0xff;
            let _ = Facts::decode(&damaged);
        }
    }

    /// The index vouches for a file only while it is as staged; the contracts repository may
    /// be a folder of the Git work tree.
    #[test]
    fn the_index_tells_a_file_unchanged_since_staged_and_no_other() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let repository = git2::Repository::init(folder.path()).expect("git init");
        let root = folder.path().join("legal");
        std::fs::create_dir_all(root.join("contracts")).expect("folders");
        let file = root.join("contracts/acme.md");
        std::fs::write(&file, "+++\nid = \"acme\"\n+++\n").expect("write");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut index = repository.index().expect("index");
        index.add_path(Path::new("legal/contracts/acme.md")).expect("stage");
        index.write().expect("write the index");
        let staged = Staged::read(&root).expect("an index");
        let metadata = |path: &Path| std::fs::symlink_metadata(path).expect("metadata");
        let blob = Facts::key(&std::fs::read(&file).expect("read"));
        assert_eq!(staged.blob("contracts/acme.md", &metadata(&file)), blob);
        assert_eq!(staged.blob("legal/contracts/acme.md", &metadata(&file)), None, "paths are the repository's");
        // The same size, other bytes: no longer what was staged.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "+++\nid = \"acme\"\n+++\n".replace("acme", "acmf")).expect("rewrite");
        assert_eq!(staged.blob("contracts/acme.md", &metadata(&file)), None);
        // Staged as it is, but changed no earlier than the index was written: a change in that
        // instant would not show in the times, so Git reads such a file, and so does this.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(10);
        std::fs::File::options().write(true).open(&file).expect("open").set_modified(later).expect("touch");
        index.add_path(Path::new("legal/contracts/acme.md")).expect("stage again");
        index.write().expect("write the index");
        let staged = Staged::read(&root).expect("an index");
        assert_eq!(staged.blob("contracts/acme.md", &metadata(&file)), None, "racily clean");
        std::fs::File::options()
            .write(true)
            .open(&file)
            .expect("open")
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(10))
            .expect("touch");
        index.add_path(Path::new("legal/contracts/acme.md")).expect("stage again");
        index.write().expect("write the index");
        let staged = Staged::read(&root).expect("an index");
        assert_eq!(
            staged.blob("contracts/acme.md", &metadata(&file)),
            Facts::key(&std::fs::read(&file).expect("read"))
        );
    }

    #[test]
    fn a_run_keeps_what_it_used_and_learned_and_writes_only_a_change() {
        let kept = sample();
        let files: Vec<Learned<Option<FileFacts>>> = kept.files.keys().map(|key| Learned::Used(*key)).collect();
        let versions: Vec<Learned<VersionFacts>> = kept.versions.keys().map(|key| Learned::Used(*key)).collect();
        assert!(kept.after(files.clone(), versions.clone()).is_none(), "every fact used, none new");
        // One file gone from the repository: its facts are dropped.
        let fewer = kept.after(files[1..].to_vec(), versions.clone()).expect("a change");
        assert_eq!(fewer.files.len(), kept.files.len() - 1);
        assert_eq!(fewer.versions, kept.versions);
        // One file new: kept beside the others.
        let mut more = files;
        more.push(Learned::New([1; 20], None));
        let grown = kept.after(more, versions).expect("a change");
        assert_eq!(grown.files.len(), kept.files.len() + 1);
        assert_eq!(grown.files.get(&[1; 20]), Some(&None));
    }
}
