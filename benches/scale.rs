//! One very long contract: 10,000 and 100,000 numbered clauses (about 0.9 and 9 MB), each
//! defining a term, using the one before and citing the clause before, through `inspect`,
//! `check`, `render` and `diff --files` with every clause reworded. Every command must grow
//! with the contract, not with its square: the last column is the 100k time over the 10k time
//! (10 for linear growth, 100 for quadratic).
//! Run with `cargo bench --bench scale`.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn contract(clauses: usize, variant: &str) -> String {
    let mut text = String::from(
        "+++\nid = \"big\"\ntitle = \"Big\"\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@a\"\n\n[[parties]]\nname = \"A\"\nrole = \"a\"\n+++\n\n",
    );
    let number = |n: usize| format!("{}.{}", (n - 1) / 100 + 1, (n - 1) % 100 + 1);
    for n in 1..=clauses {
        let before = n.saturating_sub(1).max(1);
        let _ = write!(
            text,
            "{} The \"Term{n}\" means a {variant} thing, as Term{before} does; see Section {}.\n\n",
            number(n),
            number(before)
        );
    }
    text
}

fn main() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-scale");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let sizes = [10_000, 100_000];
    for &clauses in &sizes {
        std::fs::write(dir.join(format!("old-{clauses}.md")), contract(clauses, "plain")).expect("write");
        std::fs::write(dir.join(format!("new-{clauses}.md")), contract(clauses, "reworded")).expect("write");
    }
    println!("{:>10} {:>12} {:>12} {:>8}", "command", "10k clauses", "100k clauses", "ratio");
    let commands: [(&str, &[&str]); 4] = [
        ("inspect", &["inspect", "--format", "json", "old-N.md"]),
        ("check", &["check", "--format", "json", "old-N.md"]),
        ("render", &["render", "old-N.md"]),
        ("diff", &["diff", "--format", "json", "--files", "old-N.md", "new-N.md"]),
    ];
    for (name, args) in commands {
        let times: Vec<f64> = sizes
            .iter()
            .map(|clauses| {
                let args: Vec<String> = args.iter().map(|a| a.replace('N', &clauses.to_string())).collect();
                let (time, ()) = common::best_of(3, || {
                    let output = Command::new(env!("CARGO_BIN_EXE_pactum"))
                        .args(&args)
                        .current_dir(&dir)
                        .output()
                        .expect("run pactum");
                    assert!(
                        output.status.code().is_some_and(|c| c <= 1),
                        "{}",
                        String::from_utf8_lossy(&output.stderr)
                    );
                });
                time.as_secs_f64()
            })
            .collect();
        println!("{name:>10} {:>10.2} s {:>10.2} s {:>8.1}", times[0], times[1], times[1] / times[0]);
    }
}
