//! `pactum diff --files` on a contract of 1,000 clauses (about 1 MB) with 10% of its clauses
//! changed: 50 reworded, 25 inserted, 25 removed, and every clause after an insertion
//! renumbered. Target: under 100 ms. For scale, `git diff --no-index --word-diff` on the same
//! pair, and a contract of 4,000 clauses to show the cost stays near-linear.
//!
//! The Word exchange on the same pair: `diff --format docx` (the redline as tracked changes),
//! `export` of the old version and `import` of that export back into it (the identity).
//! And `export` of a contract holding one table of 1,000 and of 10,000 rows: the cost grows
//! with the rows, not with their square.
//! Run with `cargo bench --bench diff`; `PACTUM_BENCH_CLAUSES=25000` picks other sizes (25,000
//! clauses is a pair of about 25 MB). The `docx/json` column is the Word redline's time over the
//! JSON redline's on the same pair (the target: at most 3×).

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn clause_text(n: usize, variant: &str) -> String {
    let mut text = format!("**Clause {n} Heading {variant}.** ");
    while text.len() < 1000 {
        let _ = write!(
            text,
            "The parties agree that obligation {n}.{} applies {variant} to the services and the fees, subject to the limits of this agreement. ",
            text.len()
        );
    }
    text
}

/// Clause n as numbered paragraphs ten to a section: 1.1 … 1.10, 2.1 …
fn number(n: usize) -> String {
    format!("{}.{}", (n - 1) / 10 + 1, (n - 1) % 10 + 1)
}

fn pair(clauses: usize) -> (String, String) {
    let mut old = String::from("+++\nid = \"big\"\ntitle = \"Big\"\n+++\n\n# Big Agreement\n\n");
    let mut new = old.clone();
    let mut new_number = 0;
    for n in 1..=clauses {
        let _ = writeln!(old, "{} {}\n", number(n), clause_text(n, "always"));
        if n % 40 == 0 {
            continue; // removed
        }
        if n % 40 == 20 {
            new_number += 1;
            let _ = writeln!(new, "{} {}\n", number(new_number), clause_text(100_000 + n, "newly"));
        }
        new_number += 1;
        let variant = if n % 20 == 10 { "sometimes" } else { "always" };
        let _ = writeln!(new, "{} {}\n", number(new_number), clause_text(n, variant));
    }
    (old, new)
}

fn main() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-diff");
    std::fs::create_dir_all(&dir).expect("bench folder");
    println!(
        "{:>8} {:>9} {:>12} {:>14} {:>10} {:>12} {:>10} {:>10} {:>10}",
        "clauses", "MB", "pactum diff", "git word-diff", "changes", "docx redline", "export", "import", "docx/json"
    );
    let sizes: Vec<usize> = std::env::var("PACTUM_BENCH_CLAUSES")
        .ok()
        .map_or_else(|| vec![1_000, 4_000], |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    for clauses in sizes {
        let (old, new) = pair(clauses);
        let (old_path, new_path) = (dir.join(format!("old-{clauses}.md")), dir.join(format!("new-{clauses}.md")));
        std::fs::write(&old_path, &old).expect("write");
        std::fs::write(&new_path, &new).expect("write");
        let (pactum, changes) = common::best_of(5, || {
            let output = Command::new(env!("CARGO_BIN_EXE_pactum"))
                .args(["diff", "--format", "json", "--files"])
                .arg(&old_path)
                .arg(&new_path)
                .output()
                .expect("run pactum");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            report["contracts"][0]["clauses"].as_array().map_or(0, Vec::len)
        });
        let (git, ()) = common::best_of(5, || {
            let _ =
                Command::new("git").args(["diff", "--no-index", "--word-diff"]).arg(&old_path).arg(&new_path).output();
        });
        let run = |args: &[&str]| {
            let output =
                Command::new(env!("CARGO_BIN_EXE_pactum")).args(args).current_dir(&dir).output().expect("run pactum");
            assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        };
        let (old_name, new_name) = (format!("old-{clauses}.md"), format!("new-{clauses}.md"));
        let docx = format!("old-{clauses}.docx");
        let (redline, ()) = common::best_of(5, || {
            run(&["diff", "--files", &old_name, &new_name, "--format", "docx", "-o", "redline.docx", "-q"]);
        });
        let (export, ()) = common::best_of(5, || run(&["export", &old_name, "-o", &docx, "-q"]));
        let (import, ()) = common::best_of(5, || run(&["import", &docx, "--into", &old_name, "-q"]));
        assert_eq!(std::fs::read_to_string(&old_path).expect("read"), old, "an import of the export changes nothing");
        println!(
            "{clauses:>8} {:>9.2} {:>10.1}ms {:>12.1}ms {changes:>10} {:>10.1}ms {:>8.1}ms {:>8.1}ms {:>9.1}×",
            old.len() as f64 / 1e6,
            pactum.as_secs_f64() * 1e3,
            git.as_secs_f64() * 1e3,
            redline.as_secs_f64() * 1e3,
            export.as_secs_f64() * 1e3,
            import.as_secs_f64() * 1e3,
            redline.as_secs_f64() / pactum.as_secs_f64()
        );
    }
    println!("\n{:>8} {:>10} {:>10}", "rows", "export", "import");
    for rows in [1_000, 10_000] {
        let mut text = String::from(
            "+++\nid = \"prices\"\ntitle = \"Prices\"\n+++\n\n# Prices\n\n1. The prices are:\n\n| Item | Price | Note |\n|---|---|---|\n",
        );
        for row in 0..rows {
            let _ = writeln!(text, "| Item {row} | USD {} | note {row} |", row * 10);
        }
        text.push_str("\n2. The prices exclude VAT.\n");
        let name = format!("table-{rows}.md");
        std::fs::write(dir.join(&name), &text).expect("write");
        let run = |args: &[&str]| {
            let output =
                Command::new(env!("CARGO_BIN_EXE_pactum")).args(args).current_dir(&dir).output().expect("run pactum");
            assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        };
        let docx = format!("table-{rows}.docx");
        let (export, ()) = common::best_of(5, || run(&["export", &name, "-o", &docx, "-q"]));
        let (import, ()) = common::best_of(5, || run(&["import", &docx, "--into", &name, "-q"]));
        println!("{rows:>8} {:>8.1}ms {:>8.1}ms", export.as_secs_f64() * 1e3, import.as_secs_f64() * 1e3);
    }
}
