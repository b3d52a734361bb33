//! Test helpers shared by the integration tests.

pub mod openapi;
pub mod tracker;
