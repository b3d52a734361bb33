//! The install script of the GitHub Action (`install.sh`) against a local release server: a
//! release archive of the pactum just built, with its SHA-256 file, served over HTTP as GitHub
//! serves release assets. The script must install a working binary, and must install nothing
//! when the checksum does not match or the archive is missing.

use crate::support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const TARGET: &str = "x86_64-unknown-linux-musl";

/// A release server: files by URL path, and every path asked for, in order.
struct Releases {
    url: String,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Releases {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/releases/download", listener.local_addr().unwrap());
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let (served, log) = (Arc::clone(&files), Arc::clone(&asked));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                // The rest of the request's head.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(path.clone());
                let body = served.lock().unwrap().get(&path).cloned();
                let _ = match body {
                    Some(body) => stream
                        .write_all(
                            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                                .as_bytes(),
                        )
                        .and_then(|()| stream.write_all(&body)),
                    None => stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot Found",
                    ),
                };
            }
        });
        Self { url, files, asked }
    }

    fn publish(&self, version: &str, name: &str, body: Vec<u8>) {
        self.files.lock().unwrap().insert(format!("/releases/download/v{version}/{name}"), body);
    }
}

/// A release archive as the release workflow makes it: `pactum-<target>/pactum` in a `.tar.xz`,
/// made once for all tests (stripped of debug symbols and lightly compressed, to be quick).
fn archive() -> Vec<u8> {
    static ARCHIVE: std::sync::OnceLock<(tempfile::TempDir, Vec<u8>)> = std::sync::OnceLock::new();
    let (_, bytes) = ARCHIVE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(format!("pactum-{TARGET}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_pactum"), folder.join("pactum")).unwrap();
        // Where `strip` is missing the archive is only larger.
        let _ = Command::new("strip").arg(folder.join("pactum")).status();
        std::fs::write(folder.join("README.md"), "pactum\n").unwrap();
        let file = dir.path().join(format!("pactum-{TARGET}.tar.xz"));
        let status = Command::new("tar")
            .env("XZ_OPT", "-0")
            .arg("-cJf")
            .arg(&file)
            .arg("-C")
            .arg(dir.path())
            .arg(format!("pactum-{TARGET}"))
            .status()
            .unwrap();
        assert!(status.success());
        let bytes = std::fs::read(file).unwrap();
        (dir, bytes)
    });
    bytes.clone()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    pactum_core::text::hex(&sha2::Sha256::digest(bytes))
}

fn install(releases: &Releases, version: &str, into: &Path) -> Output {
    Command::new("sh")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("install.sh"))
        .arg(version)
        .env("PACTUM_DOWNLOAD_URL", &releases.url)
        .env("PACTUM_INSTALL_DIR", into)
        .env("PACTUM_TARGET", TARGET)
        .output()
        .unwrap()
}

fn installed(dir: &Path) -> PathBuf {
    dir.join("bin/pactum")
}

#[test]
fn installs_a_release_whose_checksum_matches() {
    let dir = tempfile::tempdir().unwrap();
    let releases = Releases::start();
    let tarball = archive();
    let name = format!("pactum-{TARGET}.tar.xz");
    releases.publish("0.1.0", &format!("{name}.sha256"), format!("{}  {name}\n", sha256(&tarball)).into_bytes());
    releases.publish("0.1.0", &name, tarball);
    let output = install(&releases, "v0.1.0", &dir.path().join("bin"));
    assert!(output.status.success(), "{}", support::text(&output));
    let version = Command::new(installed(dir.path())).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("pactum "), "{}", support::text(&version));
    assert_eq!(
        *releases.asked.lock().unwrap(),
        [format!("/releases/download/v0.1.0/{name}"), format!("/releases/download/v0.1.0/{name}.sha256")]
    );
}

#[test]
fn a_wrong_checksum_installs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let releases = Releases::start();
    let tarball = archive();
    let name = format!("pactum-{TARGET}.tar.xz");
    let mut tampered = tarball.clone();
    tampered.extend_from_slice(b"appended by someone else");
    releases.publish("0.1.0", &format!("{name}.sha256"), format!("{}  {name}\n", sha256(&tarball)).into_bytes());
    releases.publish("0.1.0", &name, tampered);
    let output = install(&releases, "0.1.0", &dir.path().join("bin"));
    assert_eq!(output.status.code(), Some(1), "{}", support::text(&output));
    assert!(support::text(&output).contains("checksum mismatch"), "{}", support::text(&output));
    assert!(!installed(dir.path()).exists());
    // A checksum file that holds no checksum is refused too.
    releases.publish("0.1.0", &format!("{name}.sha256"), b"<html>not found</html>".to_vec());
    let output = install(&releases, "0.1.0", &dir.path().join("bin"));
    assert_eq!(output.status.code(), Some(1), "{}", support::text(&output));
    assert!(!installed(dir.path()).exists());
}

#[test]
fn a_missing_release_is_told_and_installs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let releases = Releases::start();
    let output = install(&releases, "9.9.9", &dir.path().join("bin"));
    assert_eq!(output.status.code(), Some(1), "{}", support::text(&output));
    assert!(support::text(&output).contains("could not download"), "{}", support::text(&output));
    assert!(!installed(dir.path()).exists());
    let output = install(&releases, "1.0; rm -rf /", &dir.path().join("bin"));
    assert!(support::text(&output).contains("is not a version"), "{}", support::text(&output));
}

/// The hook definition runs through pre-commit itself: a broken contract fails the commit, a
/// README beside it is not read as a contract.
#[test]
fn the_pre_commit_hook_checks_changed_contracts_only() {
    let Some(pre_commit) = support::tool("PACTUM_PRE_COMMIT", "pre-commit") else { return };
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init"]);
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    std::fs::write(s.root().join("README.md"), "# Our contracts\n\nNo front matter here.\n").unwrap();
    s.commit(&support::git::ALICE, &support::git::ALICE, "Drafted");
    let path = support::path_with_pactum();
    let home = tempfile::tempdir().unwrap();
    let run = |files: &[&str]| {
        Command::new(&pre_commit)
            .arg("try-repo")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .arg("pactum-check-installed")
            .arg("--files")
            .args(files)
            .current_dir(s.root())
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let clean = run(&["README.md", "contracts/acme-nda.md"]);
    assert!(clean.status.success(), "{}", support::text(&clean));
    let contract = s.root().join("contracts/acme-nda.md");
    let text = std::fs::read_to_string(&contract).unwrap();
    std::fs::write(&contract, text.replace("id = \"acme-nda\"", "id = \"Acme NDA!\"")).unwrap();
    let broken = run(&["README.md", "contracts/acme-nda.md"]);
    let said = support::text(&broken);
    assert!(!broken.status.success(), "{said}");
    assert!(said.contains("contracts/acme-nda.md") && !said.contains("README.md:"), "{said}");
}

/// The building hook runs through pre-commit too: it builds pactum with `cargo install
/// --locked` once (here a stand-in cargo that records how it was called and installs the
/// pactum under test), then reuses the build.
#[test]
fn the_building_pre_commit_hook_builds_once_with_the_locked_versions() {
    let Some(pre_commit) = support::tool("PACTUM_PRE_COMMIT", "pre-commit") else { return };
    let mut s = support::git::Script::new();
    support::today::ok(s.root(), &["init"]);
    support::today::ok(s.root(), &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]);
    s.commit(&support::git::ALICE, &support::git::ALICE, "Drafted");
    let tools = tempfile::tempdir().unwrap();
    let log = tools.path().join("cargo.log");
    std::fs::write(
        tools.path().join("cargo"),
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\"\nln -s '{}' \"$2/bin/pactum\"\n",
            log.display(),
            env!("CARGO_BIN_EXE_pactum")
        ),
    )
    .unwrap();
    std::fs::set_permissions(tools.path().join("cargo"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = support::path_with(tools.path());
    // The hook repository as pre-commit clones it: the hook definitions and the hook's script,
    // committed (a working copy with changes would be a new shadow revision on every run).
    let hooks = support::git::Script::new();
    for file in [".pre-commit-hooks.yaml", ".pre-commit/pactum-check"] {
        let to = hooks.root().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(file), &to).unwrap();
    }
    let mut hooks = hooks;
    hooks.commit(&support::git::ADMIN, &support::git::ADMIN, "Hooks");
    let rev = String::from_utf8(hooks.git(&support::git::ADMIN, &support::git::ADMIN, &["rev-parse", "HEAD"]).stdout)
        .unwrap();
    // The contracts repository's configuration, as its README shows it.
    std::fs::write(
        s.root().join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: pactum-check\n",
            hooks.root().display(),
            rev.trim()
        ),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(&pre_commit)
            .args(["run", "pactum-check", "--files", "contracts/acme-nda.md"])
            .current_dir(s.root())
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", support::text(&first));
    let second = run();
    assert!(second.status.success(), "{}", support::text(&second));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 1, "built once: {calls}");
    assert!(calls.starts_with("install --locked "), "{calls}");
}
