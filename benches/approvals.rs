//! `pactum approvals` over generated histories of 1,000 contracts, beside
//! `git log --first-parent --name-only` on the same repository, each with its own time and peak
//! memory. Run with `cargo bench --bench approvals`.
//!
//! - *sparse*: 18,000 commits that touch no contract, and 2,000 merges that each revise one
//!   (2,000 entries);
//! - *dense*: every first-parent commit changes contracts: 18,000 direct commits revise one each,
//!   and 2,000 merges six or seven each (about 31,000 entries);
//! - *dense-100000*, with `PACTUM_BENCH_LONG=1`: the dense shape five times as long (90,000
//!   direct commits, 10,000 merges).
//!
//! The targets (the README's Performance section): `approvals` within 2.5 times the time of
//! `git log` and twice its memory; `report` with cycle times, read from the same history,
//! within twice the time of `approvals`.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const CONTRACTS: usize = 1_000;
/// Direct commits between two merges.
const PER_MERGE: usize = 8;

fn contract(n: usize, revision: usize) -> String {
    let status = if revision == 0 {
        "draft"
    } else if revision.is_multiple_of(3) {
        "executed"
    } else {
        "review"
    };
    let mut text = format!(
        "+++\nid = \"contract-{n:04}\"\ntitle = \"Agreement {n}\"\ntype = \"nda\"\nstatus = \"{status}\"\nowner = \"@legal\"\neffective_date = 2025-01-01\n\n[[parties]]\nname = \"A\"\nrole = \"one\"\n\n[[parties]]\nname = \"B\"\nrole = \"two\"\n+++\n\n# Agreement {n}\n\n"
    );
    for clause in 1..=12 {
        let word = if clause == 1 + revision % 12 {
            format!("revision {revision}")
        } else {
            "the original wording".to_owned()
        };
        text.push_str(&format!("{clause}. **Clause {clause}**. The parties agree to {word} for clause {clause} of this agreement, in good faith.\n"));
    }
    text
}

fn data(stream: &mut Vec<u8>, text: &str) {
    let _ = write!(stream, "data {}\n{text}\n", text.len());
}

/// The contracts a merge revises: one in the sparse shape, six or seven in the dense one.
fn merged(pr: usize, dense: bool) -> Vec<usize> {
    let count = if dense { 6 + pr % 2 } else { 1 };
    (0..count).map(|k| (pr * 7 + k * 101) % CONTRACTS).collect()
}

fn path(n: usize) -> String {
    format!("contracts/group-{:02}/contract-{n:04}.md", n / 100)
}

/// A fast-import stream of the whole history: `merges` merges, each after `PER_MERGE` commits.
fn stream(dense: bool, merges: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut time = 1_700_000_000u64;
    let mut mark = 1;
    let _ = writeln!(out, "commit refs/heads/main\nmark :{mark}\ncommitter Admin <admin@example.com> {time} +0000");
    data(&mut out, "Add the contracts");
    for n in 0..CONTRACTS {
        let _ = writeln!(out, "M 100644 inline contracts/group-{:02}/contract-{n:04}.md", n / 100);
        data(&mut out, &contract(n, 0));
    }
    let mut main = mark;
    let per_merge = PER_MERGE;
    for pr in 1..=merges {
        for other in 0..per_merge {
            mark += 1;
            time += 60;
            let _ = writeln!(out, "commit refs/heads/main\nmark :{mark}\ncommitter Dan <dan@example.com> {time} +0000");
            if dense {
                // A direct edit of one contract, revision numbers apart from the merges'.
                let n = (pr * 13 + other * 37) % CONTRACTS;
                data(&mut out, &format!("Edit contract {n}"));
                let _ = writeln!(out, "from :{main}\nM 100644 inline {}", path(n));
                data(&mut out, &contract(n, merges + pr * per_merge + other));
            } else {
                data(&mut out, &format!("Notes {pr}.{other}"));
                let _ = writeln!(out, "from :{main}\nM 100644 inline docs/notes-{}.md", other % 10);
                data(&mut out, &format!("notes {pr} {other}\n"));
            }
            main = mark;
        }
        let revised = merged(pr, dense);
        let n = revised[0];
        mark += 1;
        time += 60;
        let topic = mark;
        let _ = writeln!(out, "commit refs/heads/topic\nmark :{topic}\ncommitter Bea <bea@example.com> {time} +0000");
        data(&mut out, &format!("Revise contract {n}"));
        let _ = writeln!(out, "from :{main}");
        for &n in &revised {
            let _ = writeln!(out, "M 100644 inline {}", path(n));
            data(&mut out, &contract(n, pr));
        }
        mark += 1;
        time += 60;
        let _ = writeln!(
            out,
            "commit refs/heads/main\nmark :{mark}\nauthor Alice <alice@example.com> {time} +0000\ncommitter GitHub <noreply@github.com> {time} +0000"
        );
        data(
            &mut out,
            &format!(
                "Merge pull request #{pr} from northwind/topic\n\nRevise contract {n}\n\nApproved-by: Carol <carol@example.com>"
            ),
        );
        // fast-import does not merge: the merge commit states the merged tree's change itself.
        let _ = writeln!(out, "from :{main}\nmerge :{topic}");
        for &n in &revised {
            let _ = writeln!(out, "M 100644 inline {}", path(n));
            data(&mut out, &contract(n, pr));
        }
        main = mark;
    }
    out
}

fn generate(root: &Path, dense: bool, merges: usize) {
    if root.join(".git").exists() {
        return;
    }
    std::fs::create_dir_all(root).expect("bench folder");
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(root).output().expect("git");
    git(&["init", "-q", "-b", "main"]);
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    import.stdin.take().expect("stdin").write_all(&stream(dense, merges)).expect("stream");
    assert!(import.wait().expect("fast-import").success());
    std::fs::write(root.join("pactum.toml"), "").expect("config");
    git(&["checkout", "-q", "-f", "main"]);
}

fn main() {
    let mut shapes = vec![("sparse", false, 2_000), ("dense", true, 2_000)];
    if std::env::var_os("PACTUM_BENCH_LONG").is_some() {
        shapes.push(("dense-100000", true, 10_000));
    }
    for (shape, dense, merges) in shapes {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-approvals/{shape}"));
        generate(&root, dense, merges);
        let count = |args: &[&str]| {
            String::from_utf8_lossy(&Command::new("git").args(args).current_dir(&root).output().expect("git").stdout)
                .trim()
                .to_owned()
        };
        println!(
            "{shape}: commits: {}, first-parent: {}, merges: {}",
            count(&["rev-list", "--count", "--all"]),
            count(&["rev-list", "--count", "--first-parent", "main"]),
            count(&["rev-list", "--count", "--merges", "main"])
        );
        let git = common::measure_best(3, || {
            let mut git = Command::new("git");
            git.args(["log", "--first-parent", "--name-only", "main"]).current_dir(&root);
            git
        });
        let pactum = common::measure_best(3, || {
            let mut pactum = Command::new(env!("CARGO_BIN_EXE_pactum"));
            pactum.args(["approvals", "--format", "json", "--repo"]).arg(&root);
            pactum
        });
        let report: serde_json::Value = serde_json::from_slice(&pactum.stdout).expect("JSON");
        let entries = report["entries"].as_array().map_or(0, Vec::len);
        println!(
            "{shape}: pactum approvals: {:.0} ms, {:.0} MB ({entries} entries); git log --first-parent --name-only: {:.0} ms, {:.0} MB; ratio {:.1}x time, {:.1}x memory",
            pactum.elapsed.as_secs_f64() * 1e3,
            pactum.peak_mb,
            git.elapsed.as_secs_f64() * 1e3,
            git.peak_mb,
            pactum.elapsed.as_secs_f64() / git.elapsed.as_secs_f64(),
            pactum.peak_mb / git.peak_mb,
        );
        // The report's cycle times walk the same history, reading each version's status.
        let report = common::measure_best(3, || {
            let mut pactum = Command::new(env!("CARGO_BIN_EXE_pactum"));
            pactum.args(["report", "--format", "json", "--repo"]).arg(&root);
            pactum
        });
        let read: serde_json::Value = serde_json::from_slice(&report.stdout).expect("JSON");
        assert!(read["history_note"].is_null(), "the report read the history");
        println!(
            "{shape}: pactum report with cycle times: {:.0} ms, {:.0} MB; ratio to approvals {:.2}x time",
            report.elapsed.as_secs_f64() * 1e3,
            report.peak_mb,
            report.elapsed.as_secs_f64() / pactum.elapsed.as_secs_f64(),
        );
        // `check` holds executed contracts to the versions signed in this history: its cost
        // over the same history, findings or not.
        let (check, ()) = common::best_of(3, || {
            let _ = Command::new(env!("CARGO_BIN_EXE_pactum"))
                .args(["check", "-q", "--format", "json"])
                .arg(&root)
                .output();
        });
        println!(
            "{shape}: pactum check over {CONTRACTS} contracts, executed ones held to this history: {:.0} ms",
            check.as_secs_f64() * 1e3
        );
    }
}
