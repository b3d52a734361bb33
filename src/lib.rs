//! The `pactum` command over the library `pactum-core`: `cli` reads the arguments into one
//! invocation, calls the library once and hands the result to a printer; `print` holds every
//! printed form of every command (terminal text, JSON, Markdown, CSV, HTML pages, SARIF, …).
//!
//! The library computes and never prints; this crate prints and computes nothing of its own.

pub mod allocator;
pub mod cli;
pub mod print;
