//! Trees as Git stores them, compared without building an object per entry.
//!
//! A history walk compares each commit's contracts folder with its parent's: two trees that
//! differ in one entry of hundreds. libgit2 parses a tree into an object per entry, and keeps it
//! in its cache only when the tree is under 4 KB, so a folder of a hundred contracts was read and
//! parsed again for every commit that touched it, twice (as the commit's and as its child's
//! parent's). Here a tree is its bytes (`mode name\0id`, entries in Git's order), kept for a
//! while once read, and two trees are compared entry by entry, equal entries by their bytes.

use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};

use super::HistoryError;

/// A tree's bytes, as read from the object database.
#[derive(Debug)]
pub(crate) struct RawTree {
    pub id: Oid,
    bytes: Vec<u8>,
}

/// One entry of a [`RawTree`]: `mode name\0id`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawEntry<'a> {
    /// The entry's bytes whole: two entries with the same bytes are the same entry.
    raw: &'a [u8],
    /// Where the name ends.
    nul: usize,
    /// Where the mode ends.
    space: usize,
}

/// The length of an object id in a tree (SHA-1).
const ID_LEN: usize = 20;

/// The longest mode Git writes (`100644`, `40000`, `120000`, `160000`).
const MODE_LEN: usize = 6;

impl<'a> RawEntry<'a> {
    pub fn is_tree(&self) -> bool {
        &self.raw[..self.space] == b"40000"
    }

    /// A file: a regular or executable blob, not a symbolic link (`120000`) or a submodule.
    pub fn is_file(&self) -> bool {
        self.raw[..self.space].starts_with(b"100")
    }

    pub fn name(&self) -> &'a [u8] {
        &self.raw[self.space + 1..self.nul]
    }

    pub fn id(&self) -> Oid {
        Oid::from_bytes(&self.raw[self.nul + 1..]).unwrap_or(Oid::ZERO_SHA1)
    }

    /// Git's order of entries: by name, a subtree's name read as if it ended in `/`.
    pub fn order(&self, other: &Self) -> std::cmp::Ordering {
        let tail = |e: &Self| -> &'static [u8] { if e.is_tree() { b"/" } else { b"" } };
        self.name().iter().chain(tail(self)).cmp(other.name().iter().chain(tail(other)))
    }
}

impl RawTree {
    /// The entries, in the order Git stores them.
    ///
    /// # Errors
    /// When the bytes are not a tree.
    #[cfg(test)]
    pub fn entries(&self) -> Result<Vec<RawEntry<'_>>, HistoryError> {
        let mut entries = Vec::new();
        let mut rest = self.bytes.as_slice();
        while let Some(entry) = self.first(rest)? {
            rest = &rest[entry.raw.len()..];
            entries.push(entry);
        }
        Ok(entries)
    }

    /// The first entry of `rest` (the tree's bytes from an entry on), none when it is empty.
    ///
    /// # Errors
    /// When the bytes are not a tree.
    fn first<'a>(&self, rest: &'a [u8]) -> Result<Option<RawEntry<'a>>, HistoryError> {
        if rest.is_empty() {
            return Ok(None);
        }
        let malformed = || HistoryError::Git(git2::Error::from_str(&format!("tree {} is malformed", self.id)));
        let nul = memchr::memchr(0, rest).ok_or_else(malformed)?;
        let space = rest[..nul.min(MODE_LEN + 1)].iter().position(|&b| b == b' ').ok_or_else(malformed)?;
        let end = nul + 1 + ID_LEN;
        if end > rest.len() {
            return Err(malformed());
        }
        Ok(Some(RawEntry { raw: &rest[..end], nul, space }))
    }
}

/// An entry that differs between two trees: before and after, either missing.
pub(crate) type Differing<'a> = (Option<RawEntry<'a>>, Option<RawEntry<'a>>);

/// The entries of two trees that differ, in Git's order, as (old, new): both when one name is
/// on both sides with other contents, one when a name is on one side only. Entries with the same
/// bytes are passed over without being compared one by one: the common start of what is left
/// is skipped a whole entry at a time, and once what is left is the same on both sides, nothing
/// more differs. A commit changes a few entries of a folder of hundreds.
///
/// # Errors
/// When either tree's bytes are not a tree.
pub(crate) fn differing<'a>(
    old: Option<&'a RawTree>,
    new: Option<&'a RawTree>,
) -> Result<Vec<Differing<'a>>, HistoryError> {
    use std::cmp::Ordering;
    let mut old_rest: &[u8] = old.map_or(&[], |tree| tree.bytes.as_slice());
    let mut new_rest: &[u8] = new.map_or(&[], |tree| tree.bytes.as_slice());
    let mut out = Vec::new();
    while old_rest != new_rest {
        // Whole entries of the common start are the same on both sides: step over them, their
        // ends read from one side.
        let common = common_start(old_rest, new_rest);
        let mut skip = 0;
        while let Some(tree) = old.filter(|_| skip < common)
            && let Some(entry) = tree.first(&old_rest[skip..])?
            && skip + entry.raw.len() <= common
        {
            skip += entry.raw.len();
        }
        (old_rest, new_rest) = (&old_rest[skip..], &new_rest[skip..]);
        let o = match old {
            Some(tree) => tree.first(old_rest)?,
            None => None,
        };
        let n = match new {
            Some(tree) => tree.first(new_rest)?,
            None => None,
        };
        let side = match (&o, &n) {
            (Some(o), Some(n)) => o.order(n),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        let (before, after) = match side {
            Ordering::Less => (o, None),
            Ordering::Greater => (None, n),
            Ordering::Equal => (o, n),
        };
        if let Some(entry) = &before {
            old_rest = &old_rest[entry.raw.len()..];
        }
        if let Some(entry) = &after {
            new_rest = &new_rest[entry.raw.len()..];
        }
        out.push((before, after));
    }
    Ok(out)
}

/// How many bytes two slices start with in common: compared a block at a time first.
fn common_start(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len].iter().zip(&b[at..len]).position(|(x, y)| x != y).unwrap_or(len - at)
}

/// The trees a handle read last, kept up to a count and a size: a walk reads each folder's tree
/// as a commit's and again as its child's parent's.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    trees: rustc_hash::FxHashMap<Oid, Arc<RawTree>>,
    /// The trees kept, oldest first.
    order: std::collections::VecDeque<Oid>,
    bytes: usize,
}

/// At most this many trees, and this many bytes of them, are kept.
const KEPT_TREES: usize = 256;
const KEPT_BYTES: usize = 16 << 20;

impl Kept {
    /// The tree `id`: kept, or read and kept.
    ///
    /// # Errors
    /// When it cannot be read or is no tree.
    pub fn tree(&mut self, repo: &Repository, id: Oid) -> Result<Arc<RawTree>, HistoryError> {
        if let Some(tree) = self.trees.get(&id) {
            return Ok(Arc::clone(tree));
        }
        let odb = repo.odb()?;
        let object = odb.read(id)?;
        if object.kind() != ObjectType::Tree {
            return Err(HistoryError::Git(git2::Error::from_str(&format!("{id} is not a tree"))));
        }
        let tree = Arc::new(RawTree { id, bytes: object.data().to_vec() });
        self.bytes += tree.bytes.len();
        self.trees.insert(id, Arc::clone(&tree));
        self.order.push_back(id);
        while self.order.len() > 1 && (self.order.len() > KEPT_TREES || self.bytes > KEPT_BYTES) {
            if let Some(old) = self.order.pop_front().and_then(|old| self.trees.remove(&old)) {
                self.bytes -= old.bytes.len();
            }
        }
        Ok(tree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the plain comparison (every entry of both sides, side by side): trees of up to
    /// 40 entries, files and folders, with entries added, removed and changed at random.
    #[test]
    fn differing_entries_are_those_the_plain_comparison_finds() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let repo = Repository::init(dir.path()).expect("repository");
        let blobs: Vec<Oid> = (0..4).map(|n| repo.blob(format!("text {n}\n").as_bytes()).expect("blob")).collect();
        let folder = {
            let mut builder = repo.treebuilder(None).expect("builder");
            builder.insert("inner.md", blobs[0], 0o100_644).expect("insert");
            builder.write().expect("folder")
        };
        let mut seed = 11u64;
        let mut next = |bound: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        let write = |entries: &std::collections::BTreeMap<String, (Oid, i32)>| {
            let mut builder = repo.treebuilder(None).expect("builder");
            for (name, (id, mode)) in entries {
                builder.insert(name, *id, *mode).expect("insert");
            }
            builder.write().expect("tree")
        };
        for _ in 0..200 {
            let mut old = std::collections::BTreeMap::new();
            for _ in 0..next(40) {
                let (id, mode) = if next(5) == 0 { (folder, 0o040_000) } else { (blobs[next(4) as usize], 0o100_644) };
                old.insert(format!("c{:02}{}", next(60), if mode == 0o040_000 { "" } else { ".md" }), (id, mode));
            }
            let mut new = old.clone();
            for _ in 0..next(4) {
                let names: Vec<String> = new.keys().cloned().collect();
                match next(3) {
                    0 if !names.is_empty() => {
                        new.remove(&names[next(names.len() as u64) as usize]);
                    }
                    1 if !names.is_empty() => {
                        let name = &names[next(names.len() as u64) as usize];
                        if new[name].1 != 0o040_000 {
                            new.insert(name.clone(), (blobs[next(4) as usize], 0o100_644));
                        }
                    }
                    _ => {
                        new.insert(format!("c{:02}.md", next(60)), (blobs[next(4) as usize], 0o100_644));
                    }
                }
            }
            let mut kept = Kept::default();
            let (old_tree, new_tree) = (kept.tree(&repo, write(&old)).unwrap(), kept.tree(&repo, write(&new)).unwrap());
            let name = |e: &RawEntry<'_>| String::from_utf8(e.name().to_vec()).unwrap();
            let found: Vec<(Option<String>, Option<String>)> = differing(Some(&old_tree), Some(&new_tree))
                .unwrap()
                .iter()
                .map(|(o, n)| (o.as_ref().map(name), n.as_ref().map(name)))
                .collect();
            let mut plain = Vec::new();
            let (olds, news) = (old_tree.entries().unwrap(), new_tree.entries().unwrap());
            let (mut i, mut j) = (0, 0);
            while i < olds.len() || j < news.len() {
                match (olds.get(i), news.get(j)) {
                    (Some(o), Some(n)) if o.raw == n.raw => (i, j) = (i + 1, j + 1),
                    (Some(o), Some(n)) if o.order(n) == std::cmp::Ordering::Equal => {
                        plain.push((Some(name(o)), Some(name(n))));
                        (i, j) = (i + 1, j + 1);
                    }
                    (Some(o), Some(n)) if o.order(n) == std::cmp::Ordering::Less => {
                        plain.push((Some(name(o)), None));
                        i += 1;
                    }
                    (Some(o), None) => {
                        plain.push((Some(name(o)), None));
                        i += 1;
                    }
                    (_, Some(n)) => {
                        plain.push((None, Some(name(n))));
                        j += 1;
                    }
                    (None, None) => unreachable!(),
                }
            }
            assert_eq!(found, plain, "{old:?} -> {new:?}");
            // A tree against none: every entry, on its side.
            let all = differing(Some(&old_tree), None).unwrap();
            assert_eq!(all.len(), olds.len());
        }
    }

    #[test]
    fn entries_read_as_git_lists_them_and_a_cut_tree_is_an_error() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let repo = Repository::init(dir.path()).expect("repository");
        let blob = repo.blob(b"text\n").expect("blob");
        let mut inner = repo.treebuilder(None).expect("builder");
        inner.insert("a.md", blob, 0o100_644).expect("insert");
        let inner = inner.write().expect("inner tree");
        let mut outer = repo.treebuilder(None).expect("builder");
        outer.insert("a.md", blob, 0o100_644).expect("insert");
        outer.insert("a", inner, 0o040_000).expect("insert");
        outer.insert("a-b.md", blob, 0o100_755).expect("insert");
        outer.insert("link.md", blob, 0o120_000).expect("insert");
        let outer = outer.write().expect("outer tree");
        let mut kept = Kept::default();
        let tree = kept.tree(&repo, outer).expect("read");
        let entries = tree.entries().expect("entries");
        let listed: Vec<_> =
            repo.find_tree(outer).expect("tree").iter().map(|e| e.name().unwrap().to_owned()).collect();
        let read: Vec<_> = entries.iter().map(|e| String::from_utf8(e.name().to_vec()).unwrap()).collect();
        assert_eq!(read, listed);
        assert!(entries.windows(2).all(|w| w[0].order(&w[1]) == std::cmp::Ordering::Less));
        let kinds: Vec<_> = entries.iter().map(|e| (e.is_tree(), e.is_file())).collect();
        assert_eq!(kinds, [(false, true), (false, true), (true, false), (false, false)]);
        assert!(entries.iter().all(|e| e.id() == blob || e.id() == inner));
        assert!(kept.tree(&repo, blob).is_err(), "a blob is no tree");
        let ends: Vec<usize> = entries
            .iter()
            .scan(0, |sum, entry| {
                *sum += entry.raw.len();
                Some(*sum)
            })
            .collect();
        for cut in 1..tree.bytes.len() {
            let partial = RawTree { id: outer, bytes: tree.bytes[..cut].to_vec() };
            assert_eq!(partial.entries().is_ok(), ends.contains(&cut), "cut at {cut}");
        }
    }
}
