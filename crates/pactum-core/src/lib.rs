//! pactum: contracts kept as code.
//!
//! The library reads contracts (Markdown with TOML front matter), checks them against JSON
//! Schemas and drafting rules, and computes their dates. It never prints: every result is a
//! value that the `pactum` crate (the command) turns into output through one printer per
//! format. Its interface is the modules below; what they do not re-export is its own.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod contract;
pub mod diff;
pub mod drafting;
pub mod exchange;
pub mod findings;
pub mod forge;
pub mod history;
pub mod lifecycle;
pub mod lint;
pub mod remind;
pub mod repo;
pub mod report;
pub mod schema;
pub mod template;
pub mod text;
pub mod workspace;
