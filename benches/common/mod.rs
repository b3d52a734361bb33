//! Generated contracts repositories for the benchmarks: realistic files of about 8 KB, with
//! front matter of every kind, headings, numbered paragraphs, lists, definitions and
//! cross-references, so that the benchmark exercises every part of the reader.

#![allow(dead_code)] // each benchmark uses part of it

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// The shortest of `runs` timings of `f`, and its last result: the least disturbed run.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let value = f();
        best = best.min(started.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

/// The peak resident memory of the largest child process so far, in MB.
pub fn children_peak_mb() -> f64 {
    // SAFETY: getrusage writes into the struct we own and reads nothing else.
    #[allow(unsafe_code)]
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage);
        usage
    };
    usage.ru_maxrss as f64 / 1024.0
}

/// What one run of a command took: its time, its own peak resident memory in MB, and its
/// standard output.
pub struct Measured {
    pub elapsed: Duration,
    pub peak_mb: f64,
    pub stdout: Vec<u8>,
}

/// Run `command` to its end, with its peak memory measured alone (`wait4`), not the largest of
/// every child so far. Panics when it fails: a benchmark of a failing command measures nothing.
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also gives its usage
pub fn measure(command: &mut std::process::Command) -> Measured {
    use std::io::Read as _;
    use std::process::Stdio;
    let started = Instant::now();
    let mut child =
        command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the benchmarked command starts");
    let mut stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = Vec::new();
    let _ = child.stdout.take().expect("stdout").read_to_end(&mut stdout);
    let pid = libc::pid_t::try_from(child.id()).expect("a process id");
    // SAFETY: wait4 reaps the child this function started and writes its status and usage into
    // values owned here; `child` is not waited for again.
    #[allow(unsafe_code)]
    let (status, usage) = unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::wait4(pid, &raw mut status, 0, &raw mut usage);
        (status, usage)
    };
    let elapsed = started.elapsed();
    let errors = errors.join().unwrap_or_default();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{command:?} failed: {errors}");
    Measured { elapsed, peak_mb: usage.ru_maxrss as f64 / 1024.0, stdout }
}

/// The least disturbed of `runs` runs of `command`: the shortest time, and the lowest peak.
pub fn measure_best(runs: usize, mut command: impl FnMut() -> std::process::Command) -> Measured {
    let mut best: Option<Measured> = None;
    for _ in 0..runs {
        let run = measure(&mut command());
        best = Some(match best {
            None => run,
            Some(best) => Measured {
                elapsed: best.elapsed.min(run.elapsed),
                peak_mb: best.peak_mb.min(run.peak_mb),
                stdout: run.stdout,
            },
        });
    }
    best.expect("at least one run")
}

const TYPES: &[&str] = &["msa", "nda", "saas", "services", "dpa"];
const STATUSES: &[&str] = &["draft", "review", "approved", "executed", "executed", "executed", "terminated"];
const RENEWALS: &[&str] = &[
    "kind = \"auto\"\nperiod = \"12 months\"\nnotice = \"60 days\"",
    "kind = \"fixed\"",
    "kind = \"evergreen\"\nnotice = \"3 months\"",
    "kind = \"auto\"\nperiod = \"1 year\"\nnotice = \"30 business days\"",
];

/// One contract of about 8 KB; `index` makes it unique.
pub fn contract(index: usize) -> String {
    let kind = TYPES[index % TYPES.len()];
    let status = STATUSES[index % STATUSES.len()];
    let renewal = RENEWALS[index % RENEWALS.len()];
    let mut text = String::with_capacity(9000);
    let _ = write!(
        text,
        "+++\nid = \"contract-{index:05}\"\ntitle = \"Agreement {index}\"\ntype = \"{kind}\"\nstatus = \"{status}\"\n\
         owner = \"@legal/team-{team}\"\neffective_date = 20{year:02}-{month:02}-{day:02}\nterm = \"{term} months\"\n\
         governing_law = \"NO\"\n\n[[parties]]\nname = \"Northwind Analytics AS\"\nrole = \"provider\"\n\n\
         [[parties]]\nname = \"Customer {index} Ltd\"\nrole = \"customer\"\n\n[renewal]\n{renewal}\n\n\
         [value]\namount = {amount}\ncurrency = \"EUR\"\nper = \"year\"\n\n[[obligations]]\nid = \"report\"\n\
         summary = \"Send the monthly report\"\nclause = \"reporting\"\nowner = \"@ops/bob\"\nevery = \"1 month\"\n\
         starting = 2025-01-31\n",
        team = index % 7,
        year = 20 + index % 6,
        month = 1 + index % 12,
        day = 1 + index % 28,
        term = 12 * (1 + index % 3),
        amount = 1000 * (1 + index % 97),
    );
    if matches!(status, "executed" | "terminated") {
        for party in ["Northwind Analytics AS".to_owned(), format!("Customer {index} Ltd")] {
            let _ = write!(
                text,
                "\n[[signatures]]\nparty = \"{party}\"\nname = \"Signer\"\ntitle = \"Director\"\ndate = 2024-12-20\n"
            );
        }
    }
    let _ = write!(
        text,
        "+++\n\n# Agreement {index}\n\nThis agreement (the \"**Agreement**\") is made between Northwind Analytics AS \
         (\"**Provider**\") and Customer {index} Ltd (\"**Customer**\").\n\n## 1. Definitions\n\n\
         1.1 \"**Services**\" means the services described in the order.\n\n\
         1.2 \"**Customer Data**\" means data the Customer provides.\n\n\
         1.3 \"**Deliverables**\" means what the Provider delivers under the Agreement.\n\n"
    );
    let headings = ["Services", "Fees", "Reporting", "Confidentiality", "Warranties", "Liability", "Term", "General"];
    for (n, heading) in headings.iter().enumerate() {
        let number = n + 2;
        let id = if *heading == "Reporting" { " {#reporting}" } else { "" };
        let _ = write!(text, "## {number}. {heading}{id}\n\n");
        for sub in 1..=3 {
            let _ = write!(
                text,
                "{number}.{sub} **{heading} Rule {sub}.** The Provider will perform the Services with reasonable care and \
                 skill, and the Customer will cooperate in good faith, provide Customer Data when needed and pay the \
                 fees when due, subject to Section {number}.{other} ({heading} Rule {other}).\n\n",
                other = if sub == 1 { 2 } else { 1 },
            );
        }
        let _ = write!(
            text,
            "{number}.4 **{heading} Details.** The Provider will:\n\n(a) keep records of the Deliverables;\n\n\
             (b) report to the Customer each month; and\n\n(c) remedy defects within thirty days.\n\n"
        );
    }
    text
}

/// Write a repository of `count` contracts under `root` (replacing what is there).
pub fn repository(root: &Path, count: usize) -> std::io::Result<u64> {
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    std::fs::create_dir_all(root.join("contracts"))?;
    std::fs::write(root.join("pactum.toml"), "[repository]\nmain_branch = \"main\"\n")?;
    let mut bytes = 0;
    for index in 0..count {
        let dir = root.join("contracts").join(format!("group-{:03}", index / 100));
        if index % 100 == 0 {
            std::fs::create_dir_all(&dir)?;
        }
        let text = contract(index);
        bytes += text.len() as u64;
        std::fs::write(dir.join(format!("contract-{index:05}.md")), text)?;
    }
    Ok(bytes)
}
