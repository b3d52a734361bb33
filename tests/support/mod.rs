//! Test helpers shared by the integration tests.

pub mod browser;
pub mod git;
pub mod openapi;
pub mod tracker;
