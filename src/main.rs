//! The `pactum` command: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes are an interface: 0 nothing wrong, 1 findings at error level (or warnings with
//! `--deny warnings`), 2 usage, configuration or internal error. A closed pipe is not an error.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
