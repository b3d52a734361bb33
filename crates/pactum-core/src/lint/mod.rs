//! The lint rules, and the check that runs them over a repository.
//!
//! Rules over one contract live in [`contract`]; rules that need the whole repository (unique
//! ids, links between contracts) live in [`repository`]; the clause-library check in
//! [`library`]; [`run`] reads the files and runs them all. The findings model they produce
//! (diagnostics, severities, the rule table) is [`crate::findings`].

pub mod contract;
pub mod drafting;
pub mod library;
pub mod repository;
pub mod run;
