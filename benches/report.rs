//! `pactum report` over 10,000 contracts of ~8 KB with their Git history (target: under 2 s
//! including the history). Run with `cargo bench --bench report`.

mod common;

use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// The generated repository, committed, then 200 landings that each move five contracts from
/// draft to review or from review to executed.
fn generate(root: &Path) {
    if root.join(".git").exists() {
        return;
    }
    common::repository(root, 10_000).expect("generate the repository");
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "The portfolio"]);
    for round in 0..200 {
        for k in 0..5 {
            let n = (round * 5 + k) * 7 % 10_000;
            let path = root.join(format!("contracts/group-{:03}/contract-{n:05}.md", n / 100));
            let text = std::fs::read_to_string(&path).expect("contract");
            let next = if text.contains("status = \"draft\"") {
                text.replace("status = \"draft\"", "status = \"review\"")
            } else {
                text.replace("status = \"review\"", "status = \"approved\"")
            };
            std::fs::write(&path, next).expect("write");
        }
        git(root, &["commit", "-q", "-am", &format!("Landing {round}")]);
    }
}

fn main() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-report/repo");
    generate(&root);
    let (best, contracts) = common::best_of(3, || {
        let output = Command::new(env!("CARGO_BIN_EXE_pactum"))
            .args(["report", "--format", "json", "--as-of", "2026-11-27", "--repo"])
            .arg(&root)
            .output()
            .expect("pactum");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert!(report["history_note"].is_null(), "the history was read");
        report["contracts"].as_u64().unwrap_or(0)
    });
    println!("pactum report: {:.0} ms for {contracts} contracts and 201 commits of history", best.as_secs_f64() * 1e3);
}
