//! pactum: contracts kept as code.
//!
//! The library reads contracts (Markdown with TOML front matter), checks them against JSON
//! Schemas and drafting rules, and computes their dates. It never prints: every result is a
//! value that the `pactum` crate (the command) turns into output through one printer per
//! format, and every failure a typed error.
//!
//! Where each command's work starts:
//!
//! - a repository: [`repo::Repo::discover`], then [`workspace::Workspace::of`], which reads
//!   the settings, schemas and clause library once;
//! - `check`: [`workspace::Workspace::check`] (files outside a repository:
//!   [`lint::run::check_loose`]); one contract: [`contract::Contract::read`];
//! - `diff`: [`history::compare::sides`] and [`history::compare::compare`];
//! - `approvals`, `audit`, `log`: [`history::ledger`]; `policy`: [`history::review::Review`];
//! - `remind`: [`remind::read`] and [`remind::events`], `--sync` through [`remind::sync`];
//! - `report`: [`report::portfolio::portfolio`];
//! - `new` and `execute`: [`drafting::draft`] and [`drafting::execute`];
//! - Word: [`exchange::model::document`] and [`exchange::docx::write`] (export),
//!   [`exchange::redline::redline`], [`exchange::import::receive`],
//!   [`exchange::adopt::adopt`];
//! - the language server (`pactum lsp`): [`editor`], over one contract as the editor holds it.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod contract;
pub mod diff;
pub mod drafting;
pub mod editor;
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
