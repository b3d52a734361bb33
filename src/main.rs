//! The `pactum` command: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes are an interface: 0 nothing wrong, 1 findings at error level (or warnings with
//! `--deny warnings`), 2 usage, configuration or internal error. A closed pipe is not an error.

use std::process::ExitCode;

/// mimalloc: reading a contract makes many small allocations (spans, strings, the Markdown
/// parser's tree), and checking 10,000 of them on all cores spends a fifth of its time in the
/// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    pactum::allocator::return_memory_promptly();
    pactum::cli::main()
}
