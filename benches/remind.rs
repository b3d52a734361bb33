//! `pactum remind` over a generated repository of 10,000 contracts of ~8 KB: reading every
//! contract's front matter, computing its events in the default 90-day window and writing them
//! as JSON (target: under 0.5 s). Run with `cargo bench --bench remind`.

mod common;

use std::path::Path;
use std::process::Command;

fn main() {
    let sizes: Vec<usize> = std::env::var("PACTUM_BENCH_SIZES")
        .ok()
        .map_or_else(|| vec![10_000], |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    println!("{:>8} {:>12} {:>10}", "files", "remind", "events");
    for size in sizes {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-remind/repo-{size}"));
        common::repository(&root, size).expect("generate the repository");
        let (best, events) = common::best_of(3, || {
            let output = Command::new(env!("CARGO_BIN_EXE_pactum"))
                .args(["remind", "--format", "json", "--as-of", "2026-11-27", "--repo"])
                .arg(&root)
                .output()
                .expect("run pactum");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            report["events"].as_array().map_or(0, Vec::len)
        });
        println!("{size:>8} {:>10.0}ms {events:>10}", best.as_secs_f64() * 1e3);
    }
}
