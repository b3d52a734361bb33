//! pactum's integration tests, as one test binary: a module per subject. Each runs the real
//! `pactum` binary or the library on real Git repositories, real Markdown and TOML, real Word
//! files and real published agreements (`tests/corpus/`); `support/` holds what they share.
//!
//! Run one subject with `cargo test --test suite <module>::`, for example
//! `cargo test --test suite workflows::`.

#[path = "../support/mod.rs"]
mod support;

#[path = "../support/reading.rs"]
mod reading;

mod bad_input;
mod cli;
mod commands;
mod corpus;
mod diff;
mod draft;
mod exchange;
mod formats;
mod graded;
mod history;
mod hostile_files;
mod hostile_outputs;
mod hostile_servers;
mod install;
mod layers;
mod lifecycle;
mod lsp;
mod performance;
mod record;
mod record_settings;
mod remind;
mod report;
mod requests;
mod roles;
mod styles;
mod word_processors;
mod workflows;
