//! `pactum lsp`: how long after an edit the editor has the findings of a contract of 1,000
//! clauses (about 600 KB) in a repository of 1,000 other contracts, under Git. The server is the
//! release binary spoken to over its standard input and output, as an editor does; each edit is
//! one keystroke's change (a word typed into a clause), and the time is from sending the change
//! to receiving its `publishDiagnostics`. Target: 100 ms.
//!
//! Also: a hover and a completion on the same contract, and the first findings after opening it.
//! Run with `cargo bench --bench lsp`; `PACTUM_BENCH_CLAUSES=4000` picks another size.

mod common;

#[path = "../tests/support/lsp.rs"]
mod lsp;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

/// How the test client starts pactum; here, the binary as built for the benchmark.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pactum"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    command
}

/// A contract of `clauses` numbered paragraphs, ten to a section, with defined terms and a
/// cross-reference in each clause.
fn long_contract(clauses: usize) -> String {
    let mut text = String::from(
        "+++\nid = \"long-msa\"\ntitle = \"Long Master Services Agreement\"\ntype = \"msa\"\nstatus = \"draft\"\n\
         owner = \"@legal/alice\"\neffective_date = 2026-01-01\nterm = \"2 years\"\ngoverning_law = \"NO\"\n\n\
         [renewal]\nkind = \"auto\"\nperiod = \"1 year\"\nnotice = \"90 days\"\n\n[[parties]]\nname = \"Northwind Analytics AS\"\n\
         role = \"provider\"\n\n[[parties]]\nname = \"Acme Inc\"\nrole = \"customer\"\n+++\n\n# Long Master Services Agreement\n\n\
         This agreement (the \"**Agreement**\") is made between Northwind Analytics AS (\"**Provider**\") and Acme Inc \
         (\"**Customer**\"). \"**Services**\" means the services in each order.\n\n",
    );
    for n in 1..=clauses {
        let (section, sub) = ((n - 1) / 10 + 1, (n - 1) % 10 + 1);
        if sub == 1 {
            let _ = write!(text, "## {section}. Section {section}\n\n");
        }
        let other = if sub == 1 { format!("{section}.2") } else { format!("{section}.1") };
        let _ = write!(
            text,
            "{section}.{sub} **Rule {section}-{sub}.** The Provider will perform the Services with reasonable care, and the \
             Customer will cooperate in good faith and pay the fees when due under this Agreement, subject to Section \
             {other}, and to the limits the parties agreed for obligation {n} in writing before the order.\n\n"
        );
    }
    text
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(root)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PACTUM_BENCH_CLAUSES")
        .ok()
        .map_or_else(|| vec![1_000], |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    println!(
        "{:>8} {:>8} {:>14} {:>16} {:>14} {:>10} {:>12}",
        "clauses", "KB", "first findings", "edit (median)", "edit (slowest)", "hover", "completion"
    );
    for clauses in sizes {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-lsp-{clauses}"));
        common::repository(&root, 1_000).expect("generate the repository");
        let text = long_contract(clauses);
        let path = root.join("contracts/long-msa.md");
        std::fs::write(&path, &text).expect("write the contract");
        git(&root, &["init", "-q", "-b", "main"]);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "contracts"]);

        let mut client = lsp::Client::spawn(command(&root, &["lsp"]));
        client.result("initialize", json!({ "capabilities": {} }));
        client.notify("initialized", json!({}));
        let uri = lsp::uri(&path);
        let started = Instant::now();
        client.open(&uri, &text);
        let found = client.diagnostics(&uri, 1);
        let first = started.elapsed();
        assert!(found.is_empty(), "the generated contract checks clean: {found:?}");

        // Keystrokes: a word typed into clauses spread through the contract, each change
        // waited for before the next (the slowest case: no burst coalesced).
        let mut current = text.clone();
        let mut times = Vec::new();
        for (version, clause) in (2..).zip((1..=clauses).step_by((clauses / 30).max(1))) {
            let (section, sub) = ((clause - 1) / 10 + 1, (clause - 1) % 10 + 1);
            let at = current.find(&format!("**Rule {section}-{sub}.** ")).expect("the clause") + 2;
            let position = lsp::position(&current, at);
            current.insert(at, 'x');
            let started = Instant::now();
            client.edit(&uri, version, json!({ "start": position, "end": position }), "x");
            client.diagnostics(&uri, version);
            times.push(started.elapsed());
        }
        // The last edit breaks a reference: the finding arrives with the change.
        let version = 2 + i64::try_from(times.len()).expect("a few edits");
        let at = current.find("subject to Section 1.2").expect("a reference") + "subject to Section 1.".len();
        let range = json!({ "start": lsp::position(&current, at), "end": lsp::position(&current, at + 1) });
        client.edit(&uri, version, range, "99");
        let found = client.diagnostics(&uri, version);
        assert!(found.iter().any(|d| d["code"] == "ref/unresolved"), "{found:?}");

        let doc = json!({ "uri": uri });
        let reference = current.rfind("subject to Section").expect("a reference") + "subject to Section ".len();
        let (hover, _) = common::best_of(5, || {
            client.result(
                "textDocument/hover",
                json!({ "textDocument": doc, "position": lsp::position(&current, reference) }),
            )
        });
        let (completion, offered) = common::best_of(5, || {
            client.result(
                "textDocument/completion",
                json!({ "textDocument": doc, "position": lsp::position(&current, reference) }),
            )
        });
        assert!(offered["items"].as_array().is_some_and(|items| items.len() >= clauses.min(500)), "{offered}");
        println!(
            "{clauses:>8} {:>8} {:>14} {:>16} {:>14} {:>10} {:>12}",
            text.len() / 1024,
            ms(first),
            ms(median(times.clone())),
            ms(*times.iter().max().expect("edits")),
            ms(hover),
            ms(completion)
        );
        assert_eq!(client.finish(), Some(0));
    }
}
