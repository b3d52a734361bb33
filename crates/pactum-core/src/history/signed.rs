//! The versions of contracts as they were first executed, read from the history of `HEAD`: what
//! `check` holds an executed contract to. A seal is a value in the file, so anyone who can edit
//! the text can edit or compute it again, remove it, or set the status back and execute anew;
//! the version in history that first read as executed cannot be changed by the same edit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::Oid;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::ledger::Start;
use super::{Git, HistoryError};
use crate::contract::seal::{SignedRecord, SignedText, SignedVersion};
use crate::contract::{Contract, Status, decode};
use crate::repo::facts::{Facts, Learned, Staged, VersionFacts, key_of};

/// What a check of named files holds to the versions signed: the paths and ids of the files
/// named. The text of a version neither names is left unread.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wanted {
    pub paths: std::collections::HashSet<String>,
    pub ids: std::collections::HashSet<String>,
}

/// The signed record, and the facts of every version it looked at (see `repo::facts`).
pub(crate) type Signed = (SignedRecord, Vec<Learned<VersionFacts>>);

/// The first executed version of every contract in the first-parent history of `tip` on the
/// record, under every folder that was the contracts folder (`current` now), oldest first;
/// `root` is the working tree, to say which are still there. Where the record starts later than the history (`[audit] since`), a contract is held
/// to its version at the start. A version larger than `max_size`, or not text, is passed over:
/// `audit` names those.
///
/// `facts` are what earlier runs learned of versions, `staged` what the index says of the
/// working tree; with `wanted`, only the texts of the versions it names are read.
///
/// # Errors
/// When Git cannot be read, or the start is a commit not in the history.
pub(crate) fn signed_versions(
    git: &Git,
    tip: Oid,
    current: &str,
    start: Option<&Start>,
    (root, max_size): (&Path, u64),
    (facts, staged, wanted): (Option<&Facts>, Option<&Staged>, Option<&Wanted>),
) -> Result<Signed, HistoryError> {
    let history = git.first_parent_history(tip)?;
    let folders: &[PathBuf] = &super::ledger::folders_in(git, &history, current);
    let recorded = Start::recorded(start, git, &history)?;
    // The versions to consider, in the order considered: before the record starts, the latest
    // version at each path, held to once it starts; then each version committed.
    let mut order: Vec<(String, Oid, Oid)> = Vec::new();
    let mut before: BTreeMap<String, (Oid, Oid)> = BTreeMap::new();
    let mut started = false;
    let changed = super::ledger::changed_files(git, &history, folders)?;
    // Oldest first.
    for (commit, changes) in history.iter().zip(changed).rev() {
        if !recorded(commit) {
            for change in changes {
                if let Some((path, _)) = change.old {
                    before.remove(&path);
                }
                if let Some((path, blob)) = change.new {
                    before.insert(path, (blob, commit.id));
                }
            }
            continue;
        }
        if !started {
            started = true;
            order.extend(std::mem::take(&mut before).into_iter().map(|(path, (blob, at))| (path, blob, at)));
        }
        order.extend(changes.into_iter().filter_map(|change| change.new).map(|(path, blob)| (path, blob, commit.id)));
    }
    // A start after every commit: the record starts at the tip.
    order.extend(before.into_iter().map(|(path, (blob, at))| (path, blob, at)));
    let mut found = Found {
        versions: Vec::new(),
        paths: HashSet::default(),
        ids: HashSet::default(),
        seen: HashSet::default(),
        short: HashMap::default(),
    };
    let mut learned = Vec::new();
    // Versions are read ahead, a wave at a time and in parallel, then considered in order: a
    // wave reads no version at a path already on the record before it.
    for wave in order.chunks(WAVE) {
        // In the order committed: versions written together are stored together, and read
        // from one delta base after another.
        let mut once = HashSet::default();
        let blobs: Vec<(Oid, &str)> = wave
            .iter()
            .filter(|(path, blob, _)| !found.paths.contains(path) && !found.seen.contains(blob))
            .filter(|(_, blob, _)| once.insert(*blob))
            .map(|(path, blob, _)| (*blob, path.as_str()))
            .collect();
        // A version whose text some file named may be held to: by its path here, or its id.
        let by_path: HashSet<Oid> = match wanted {
            Some(named) => wave.iter().filter(|(path, _, _)| named.paths.contains(path)).map(|(_, b, _)| *b).collect(),
            None => HashSet::default(),
        };
        let ahead = Ahead { root, staged, max_size, facts, wanted, by_path: &by_path };
        let (mut read, facts_now) = ahead.read(git, &blobs)?;
        learned.extend(facts_now);
        for (path, blob, commit) in wave {
            found.consider(git, path, *blob, *commit, &mut read);
        }
    }
    Ok((SignedRecord::new(found.versions, git.is_shallow(), root.to_path_buf()), learned))
}

/// How many versions are read ahead at a time.
const WAVE: usize = 4096;

/// A version that reads as executed: its id, and where its text is.
type Executed = (Option<String>, SignedText);

/// What reading a wave of versions ahead needs.
struct Ahead<'a> {
    /// The working tree, whose files are read in place of the versions they hold, and what
    /// the index says of them.
    root: &'a Path,
    staged: Option<&'a Staged>,
    max_size: u64,
    facts: Option<&'a Facts>,
    wanted: Option<&'a Wanted>,
    /// The versions of the wave at a path named.
    by_path: &'a HashSet<Oid>,
}

impl Ahead<'_> {
    /// The versions among `blobs` that read as executed, read in parallel (the others are left
    /// out), and the facts of each version looked at.
    #[allow(clippy::type_complexity)]
    fn read(
        &self,
        git: &Git,
        blobs: &[(Oid, &str)],
    ) -> Result<(HashMap<Oid, Executed>, Vec<Learned<VersionFacts>>), HistoryError> {
        let read = git.map_parallel(blobs, |git, &(blob, path)| Ok((blob, self.version(git, blob, path)?)))?;
        let mut executed = HashMap::default();
        let mut facts = Vec::new();
        for (blob, (version, fact)) in read {
            executed.extend(version.map(|version| (blob, version)));
            facts.extend(fact);
        }
        Ok((executed, facts))
    }

    /// Whether the text of the executed version `blob` (its id `id`) is to be read.
    fn wants(&self, blob: Oid, id: Option<&String>) -> bool {
        self.wanted.is_none_or(|named| self.by_path.contains(&blob) || id.is_some_and(|id| named.ids.contains(id)))
    }

    /// The version `blob`, if it reads as executed: its status says so, or it carries a seal
    /// (as `seal::reads_executed`). One larger than the largest file read, or not text, is
    /// passed over. With the facts of the version, when it was read or they were known.
    fn version(
        &self,
        git: &Git,
        blob: Oid,
        path: &str,
    ) -> Result<(Option<Executed>, Option<Learned<VersionFacts>>), HistoryError> {
        if let Some(known) = self.facts.and_then(|facts| facts.versions.get(&key_of(blob))) {
            if known.size > self.max_size {
                return Ok((None, Some(Learned::Used(key_of(blob)))));
            }
            let Some(id) = &known.executed else { return Ok((None, Some(Learned::Used(key_of(blob))))) };
            let text = if !self.wants(blob, id.as_ref()) {
                SignedText::Unread
            } else if let Some((file, _)) = self.in_place(blob, path) {
                SignedText::InPlace { file, blob: key_of(blob) }
            } else {
                match decode("", git.blob(blob)?) {
                    Ok((text, _)) => SignedText::Text(text),
                    Err(_) => return Ok((None, None)),
                }
            };
            return Ok((Some((id.clone(), text)), Some(Learned::Used(key_of(blob)))));
        }
        let read = self.in_place(blob, path).and_then(|(file, bytes)| {
            let bytes = match bytes {
                Some(bytes) => bytes,
                None => std::fs::read(&file).ok()?,
            };
            Some((file, bytes))
        });
        let (file, bytes) = if let Some((file, bytes)) = read {
            (Some(file), bytes)
        } else {
            match git.blob_within(blob, self.max_size)? {
                Ok(bytes) => (None, bytes),
                Err(_) => return Ok((None, None)),
            }
        };
        let size = bytes.len() as u64;
        let facts = |executed| Some(Learned::New(key_of(blob), VersionFacts { size, executed }));
        // Only a version that names its status, or carries a seal, can read as executed.
        if !contains(&bytes, b"executed") && !contains(&bytes, b"body_sha256") {
            return Ok((None, facts(None)));
        }
        let Ok((text, _)) = decode("", bytes) else { return Ok((None, facts(None))) };
        let Some(meta) = Contract::read_metadata(&text) else { return Ok((None, facts(None))) };
        if meta.status != Some(Status::Executed) && meta.body_sha256.is_none() {
            return Ok((None, facts(None)));
        }
        let text = match file {
            _ if !self.wants(blob, meta.id.as_ref()) => SignedText::Unread,
            Some(file) => SignedText::InPlace { file, blob: key_of(blob) },
            None => SignedText::Text(text),
        };
        Ok((Some((meta.id.clone(), text)), facts(Some(meta.id))))
    }

    /// Whether the working tree's file at `path` is the version `blob`: the index holds it
    /// unchanged as that blob, or its bytes are that blob (then they come too). Reading a
    /// file costs a fraction of undoing a chain of deltas in a pack, and most versions on the
    /// record are still in the working tree.
    fn in_place(&self, blob: Oid, path: &str) -> Option<(PathBuf, Option<Vec<u8>>)> {
        if let Some(file) = self.staged.and_then(|staged| staged.holds(self.root, path, key_of(blob), self.max_size)) {
            return Some((file, None));
        }
        let file = self.root.join(path);
        let metadata = std::fs::symlink_metadata(&file).ok()?;
        if !metadata.is_file() || metadata.len() > self.max_size {
            return None;
        }
        let bytes = std::fs::read(&file).ok()?;
        (Facts::key(&bytes) == Some(key_of(blob))).then_some((file, Some(bytes)))
    }
}

/// The executed versions found so far, and the paths and ids they hold.
struct Found {
    versions: Vec<SignedVersion>,
    paths: HashSet<String>,
    ids: HashSet<String>,
    seen: HashSet<Oid>,
    /// Commits' short forms, each worked out once.
    short: HashMap<Oid, String>,
}

impl Found {
    /// Keep the version `blob` of `path` (committed in `commit`) if it is the first executed
    /// version of its contract; `read` holds the versions read ahead that read as executed.
    fn consider(&mut self, git: &Git, path: &str, blob: Oid, commit: Oid, read: &mut HashMap<Oid, Executed>) {
        if self.paths.contains(path) || !self.seen.insert(blob) {
            return;
        }
        let Some((id, text)) = read.remove(&blob) else { return };
        if id.as_ref().is_some_and(|id| self.ids.contains(id)) {
            return;
        }
        self.paths.insert(path.to_owned());
        if let Some(id) = &id {
            self.ids.insert(id.clone());
        }
        let short = self.short.entry(commit).or_insert_with(|| git.short(commit)).clone();
        self.versions.push(SignedVersion::new(short, path.to_owned(), id, text));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}
