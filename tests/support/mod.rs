//! Test helpers shared by the integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod git;
pub mod openapi;
pub mod today;
pub mod tracker;

use std::path::Path;
use std::process::{Command, Output};

/// Settings a CI runner may carry that would point pactum at a real tracker or pull request.
const OUTSIDE_SETTINGS: [&str; 10] = [
    "GITHUB_TOKEN",
    "GITHUB_REF",
    "GITLAB_TOKEN",
    "CI_JOB_TOKEN",
    "GITEA_TOKEN",
    "GITHUB_API_URL",
    "GITHUB_REPOSITORY",
    "CI_API_V4_URL",
    "CI_PROJECT_ID",
    "GITEA_API_URL",
];

/// Run the pactum binary in `dir` as a user would: no colour, nothing from the surrounding
/// CI's tracker settings, then `envs`.
pub fn pactum_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pactum"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for var in OUTSIDE_SETTINGS {
        command.env_remove(var);
    }
    command.envs(envs.iter().copied());
    command.output().unwrap()
}

/// Standard output and standard error together, for messages and assertion failures.
pub fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}
