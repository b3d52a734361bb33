//! `pactum check` over generated repositories of 2,500, 5,000 and 10,000 contracts of ~8 KB.
//!
//! Run with `cargo bench --bench check`. For each size it runs the real `pactum check` binary
//! (best of three) and reports its wall time, the time to merely read the same files (the
//! floor, what `cat` would do), and the peak memory of the checking process. The target
//! (the README's Performance section): 10,000 contracts in under 1 s on 2 cores and under 300 MB.
//! `PACTUM_BENCH_SIZES=20000` picks other sizes.
//!
//! A second table checks the same repositories once they are committed to Git: `check` then
//! reads the history for the version of each executed contract as signed (about four in ten
//! of the generated contracts are executed), as it does in every real repository. There ten
//! named files are checked twice: with `--no-cache`, reading every other file's front matter
//! (a first check in a fresh clone), and with the facts an earlier check kept in `.git/pactum/`
//! (the target: at most a tenth of the whole check).
//!
//! Wall time on a shared machine varies by a quarter from run to run. With
//! `PACTUM_BENCH_INSTRUCTIONS=1` (and valgrind installed) each size is also checked once under
//! `valgrind --tool=callgrind`, which counts the instructions executed: the same for the same
//! binary and input, so a change to the reader can be weighed exactly
//! (`PACTUM_BENCH_SIZES=1000 PACTUM_BENCH_INSTRUCTIONS=1 cargo bench --bench check`).

mod common;

use std::path::Path;

use std::process::Command;

use pactum_core::repo::Repo;

fn main() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-check");
    let sizes: Vec<usize> = std::env::var("PACTUM_BENCH_SIZES")
        .ok()
        .map_or_else(|| vec![2_500, 5_000, 10_000], |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    println!("cores: {}", std::thread::available_parallelism().map_or(1, usize::from));
    println!(
        "{:>8} {:>9} {:>12} {:>12} {:>12} {:>10} {:>12} {:>7}",
        "files", "MB", "check", "read only", "per file", "peak MB", "10 named", "ratio"
    );
    for &size in &sizes {
        let root = base.join(format!("repo-{size}"));
        let bytes = common::repository(&root, size).expect("generate the repository");
        let files = Repo::open(&root).expect("open").contract_files().expect("walk");
        let (read_time, _) =
            common::best_of(3, || files.iter().map(|f| std::fs::read(&f.path).map_or(0, |b| b.len())).sum::<usize>());
        let (check_time, status) = common::best_of(3, || {
            Command::new(env!("CARGO_BIN_EXE_pactum"))
                .args(["check", "-q"])
                .arg(&root)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("run pactum")
        });
        assert!(status.success(), "the generated repository must check clean");
        let peak = common::children_peak_mb();
        // A pull request's check: ten files named, the rest read for the repository's rules.
        let named: Vec<&std::path::PathBuf> =
            files.iter().step_by((files.len() / 10).max(1)).take(10).map(|f| &f.path).collect();
        let (named_time, status) = common::best_of(3, || {
            Command::new(env!("CARGO_BIN_EXE_pactum"))
                .args(["check", "-q", "--repo"])
                .arg(&root)
                .args(&named)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("run pactum")
        });
        assert!(status.success(), "the named files must check clean");
        println!(
            "{size:>8} {:>9.1} {:>10.0}ms {:>10.0}ms {:>10.1}µs {:>10.0} {:>10.0}ms {:>6.2}×",
            bytes as f64 / 1e6,
            check_time.as_secs_f64() * 1e3,
            read_time.as_secs_f64() * 1e3,
            check_time.as_secs_f64() * 1e6 / size as f64,
            peak,
            named_time.as_secs_f64() * 1e3,
            named_time.as_secs_f64() / check_time.as_secs_f64(),
        );
    }
    println!("in Git, one commit:");
    println!("{:>8} {:>12} {:>16} {:>7} {:>12} {:>7}", "files", "check", "named, no cache", "ratio", "named", "ratio");
    for &size in &sizes {
        let root = base.join(format!("repo-{size}"));
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .args(["-c", "user.name=Bench", "-c", "user.email=bench@example.com"])
                .args(args)
                .current_dir(&root)
                .status()
                .expect("run git");
            assert!(status.success(), "git {args:?}");
        };
        if !root.join(".git").exists() {
            git(&["init", "-q", "-b", "main"]);
            git(&["add", "-A"]);
            git(&["commit", "-q", "-m", "Contracts"]);
        }
        let files = Repo::open(&root).expect("open").contract_files().expect("walk");
        let run = |options: &[&str], named: &[&std::path::PathBuf]| {
            common::best_of(3, || {
                Command::new(env!("CARGO_BIN_EXE_pactum"))
                    .args(["check", "-q"])
                    .args(options)
                    .arg("--repo")
                    .arg(&root)
                    .args(named)
                    .stdout(std::process::Stdio::null())
                    .status()
                    .expect("run pactum")
            })
            .0
        };
        let _ = std::fs::remove_dir_all(root.join(".git/pactum"));
        let whole = run(&[], &[]);
        let named: Vec<&std::path::PathBuf> =
            files.iter().step_by((files.len() / 10).max(1)).take(10).map(|f| &f.path).collect();
        let cold = run(&["--no-cache"], &named);
        let warm = run(&[], &named);
        println!(
            "{size:>8} {:>10.0}ms {:>14.0}ms {:>6.2}× {:>10.0}ms {:>6.2}×",
            whole.as_secs_f64() * 1e3,
            cold.as_secs_f64() * 1e3,
            cold.as_secs_f64() / whole.as_secs_f64(),
            warm.as_secs_f64() * 1e3,
            warm.as_secs_f64() / whole.as_secs_f64()
        );
    }
    // Last, so that valgrind's own memory counts in no peak above.
    if std::env::var_os("PACTUM_BENCH_INSTRUCTIONS").is_some() {
        for &size in &sizes {
            match instructions(&base.join(format!("repo-{size}"))) {
                Some(count) => println!(
                    "{size:>8} contracts: {:.2} billion instructions, {:.2} million a contract",
                    count as f64 / 1e9,
                    count as f64 / 1e6 / size as f64
                ),
                None => println!("{size:>8} contracts: valgrind did not count (is it installed?)"),
            }
        }
    }
}

/// The instructions one `pactum check` of `root` executes, as callgrind counts them.
fn instructions(root: &Path) -> Option<u64> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_pactum"))
        .args(["check", "-q"])
        .arg(root)
        .output()
        .ok()?;
    let log = String::from_utf8_lossy(&output.stderr);
    let line = log.lines().find(|line| line.contains("Collected :"))?;
    line.rsplit(':').next()?.trim().parse().ok()
}
