//! Debian's Chromium, headless, for tests that look at pages as a reader would.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Chromium, if installed; in CI its absence is a failure (`.ci/run` installs it).
pub fn chromium() -> Option<&'static str> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists());
    if found.is_none() {
        assert!(std::env::var("CI").is_err(), "CI must install Chromium (see .ci/run)");
        eprintln!("skipped: no Chromium");
    }
    found
}

/// Run Chromium headless on a local page with a fresh profile under `scratch`; `extra` adds
/// what to do with it (`--dump-dom`, `--print-to-pdf=…`). Returns standard output.
pub fn run(chromium: &str, scratch: &Path, page: &Path, extra: &[&str]) -> String {
    // Without the background-networking flags Chromium tries to reach its services at start.
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(extra)
        .arg(format!("--user-data-dir={}", scratch.join("chromium-profile").display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The DOM after the page's scripts ran.
pub fn dom(chromium: &str, scratch: &Path, page: &Path) -> String {
    run(chromium, scratch, page, &["--dump-dom"])
}
