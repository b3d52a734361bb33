//! Git repositories built by a script, with pinned author and committer dates.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub struct Person(pub &'static str, pub &'static str);

pub const ADMIN: Person = Person("Admin", "admin@example.com");
pub const ALICE: Person = Person("Alice", "alice@example.com");
pub const BEA: Person = Person("Bea", "bea@example.com");
pub const CAROL: Person = Person("Carol", "carol@example.com");
pub const DAN: Person = Person("Dan", "dan@example.com");
pub const GITHUB: Person = Person("GitHub", "noreply@github.com");

pub struct Script {
    dir: tempfile::TempDir,
    pub day: u32,
}

impl Script {
    pub fn new() -> Self {
        let script = Self { dir: tempfile::tempdir().unwrap(), day: 0 };
        script.git(&ADMIN, &ADMIN, &["init", "-q", "-b", "main"]);
        script
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Run git with pinned author and committer, one day later than the previous call.
    pub fn git(&self, author: &Person, committer: &Person, args: &[&str]) -> Output {
        let date = format!("2025-{:02}-{:02}T10:00:00Z", 1 + self.day / 28, 1 + self.day % 28);
        let output = Command::new("git")
            .args(["-c", "commit.gpgsign=false", "-c", "merge.ff=false"])
            .args(args)
            .current_dir(self.root())
            .env("GIT_AUTHOR_NAME", author.0)
            .env("GIT_AUTHOR_EMAIL", author.1)
            .env("GIT_COMMITTER_NAME", committer.0)
            .env("GIT_COMMITTER_EMAIL", committer.1)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    pub fn tick(&mut self) {
        self.day += 1;
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn commit(&mut self, author: &Person, committer: &Person, message: &str) {
        self.tick();
        self.git(author, committer, &["add", "-A"]);
        self.git(author, committer, &["commit", "-q", "-m", message]);
    }

    pub fn merge(&mut self, author: &Person, committer: &Person, branches: &[&str], message: &str) {
        self.tick();
        let mut args = vec!["merge", "-q", "--no-ff", "-m", message];
        args.extend_from_slice(branches);
        self.git(author, committer, &args);
    }

    pub fn checkout(&self, args: &[&str]) {
        let mut all = vec!["checkout", "-q"];
        all.extend_from_slice(args);
        self.git(&ADMIN, &ADMIN, &all);
    }
}
