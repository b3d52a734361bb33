//! `pactum approvals` over two generated histories of about 20,000 commits with 2,000
//! pull-request merges and 1,000 contracts, beside `git log --first-parent --name-only` on the
//! same repository. Run with `cargo bench --bench approvals`.
//!
//! - *sparse*: 18,000 commits that touch no contract, and 2,000 merges that each revise one
//!   (2,000 entries);
//! - *dense*: every first-parent commit changes contracts: 18,000 direct commits revise one each,
//!   and 2,000 merges six or seven each (about 31,000 entries).
//!
//! The target (the README's Performance section): under 2 s and 200 MB on 2 cores for either.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const CONTRACTS: usize = 1_000;
const MERGES: usize = 2_000;
const OTHER_COMMITS: usize = 16_000;

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

/// A fast-import stream of the whole history.
fn stream(dense: bool) -> Vec<u8> {
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
    let per_merge = OTHER_COMMITS / MERGES;
    for pr in 1..=MERGES {
        for other in 0..per_merge {
            mark += 1;
            time += 60;
            let _ = writeln!(out, "commit refs/heads/main\nmark :{mark}\ncommitter Dan <dan@example.com> {time} +0000");
            if dense {
                // A direct edit of one contract, revision numbers apart from the merges'.
                let n = (pr * 13 + other * 37) % CONTRACTS;
                data(&mut out, &format!("Edit contract {n}"));
                let _ = writeln!(out, "from :{main}\nM 100644 inline {}", path(n));
                data(&mut out, &contract(n, MERGES + pr * per_merge + other));
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

fn generate(root: &Path, dense: bool) {
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
    import.stdin.take().expect("stdin").write_all(&stream(dense)).expect("stream");
    assert!(import.wait().expect("fast-import").success());
    std::fs::write(root.join("pactum.toml"), "").expect("config");
    git(&["checkout", "-q", "-f", "main"]);
}

fn main() {
    for (shape, dense) in [("sparse", false), ("dense", true)] {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-approvals/{shape}"));
        generate(&root, dense);
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
        let (git, ()) = common::best_of(3, || {
            let _ =
                Command::new("git").args(["log", "--first-parent", "--name-only", "main"]).current_dir(&root).output();
        });
        let (pactum, entries) = common::best_of(3, || {
            let output = Command::new(env!("CARGO_BIN_EXE_pactum"))
                .args(["approvals", "--format", "json", "--repo"])
                .arg(&root)
                .output()
                .expect("pactum");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            report["entries"].as_array().map_or(0, Vec::len)
        });
        // The shapes run in order of size: the peak so far is this shape's.
        println!(
            "{shape}: pactum approvals: {:.0} ms ({entries} entries, peak {:.0} MB); git log --first-parent --name-only: {:.0} ms",
            pactum.as_secs_f64() * 1e3,
            common::children_peak_mb(),
            git.as_secs_f64() * 1e3
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
