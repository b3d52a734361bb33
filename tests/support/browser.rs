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

/// axe-core (`PACTUM_AXE`: its `axe.min.js`), the accessibility engine browsers' audits use;
/// in CI its absence is a failure (`.ci/run` installs it).
pub fn axe() -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PACTUM_AXE").map(std::path::PathBuf::from);
    if found.is_none() {
        assert!(std::env::var("CI").is_err(), "CI must install axe-core (see .ci/run)");
        eprintln!("skipped: axe-core is not installed (set PACTUM_AXE to its axe.min.js)");
    }
    found
}

/// The ids of the rules axe-core finds broken on `page` (a copy with axe and a runner added
/// is what Chromium opens), with the nodes of each.
pub fn axe_violations(chromium: &str, axe: &Path, scratch: &Path, page: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(page).unwrap();
    let runner = format!(
        "<script>{}</script><script>axe.run(document).then(r => {{ const out = document.createElement('pre'); out.id = 'axe-result'; out.textContent = JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))); document.documentElement.appendChild(out); }}, e => {{ const out = document.createElement('pre'); out.id = 'axe-result'; out.textContent = JSON.stringify(['axe failed: ' + e]); document.documentElement.appendChild(out); }});</script>",
        std::fs::read_to_string(axe).unwrap()
    );
    let at = html.rfind("</html>").unwrap_or(html.len());
    let probe = scratch.join("axe-probe.html");
    std::fs::write(&probe, format!("{}{runner}{}", &html[..at], &html[at..])).unwrap();
    let dom = run(chromium, scratch, &probe, &["--dump-dom", "--virtual-time-budget=10000"]);
    let start = dom.find("<pre id=\"axe-result\">").expect("axe ran") + "<pre id=\"axe-result\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end].replace("&quot;", "\"").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}
