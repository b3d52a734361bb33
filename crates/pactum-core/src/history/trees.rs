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

    /// Whether the two are the same entry: same mode, name and object.
    pub fn same(&self, other: &Self) -> bool {
        self.raw == other.raw
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
    pub fn entries(&self) -> Result<Vec<RawEntry<'_>>, HistoryError> {
        let malformed = || HistoryError::Git(git2::Error::from_str(&format!("tree {} is malformed", self.id)));
        let mut entries = Vec::new();
        let mut rest = self.bytes.as_slice();
        while !rest.is_empty() {
            let nul = memchr::memchr(0, rest).ok_or_else(malformed)?;
            let space = rest[..nul.min(MODE_LEN + 1)].iter().position(|&b| b == b' ').ok_or_else(malformed)?;
            let end = nul + 1 + ID_LEN;
            if end > rest.len() {
                return Err(malformed());
            }
            entries.push(RawEntry { raw: &rest[..end], nul, space });
            rest = &rest[end..];
        }
        Ok(entries)
    }
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
