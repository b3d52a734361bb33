//! Test helpers shared by the integration tests.

pub mod git;
pub mod openapi;
pub mod tracker;
