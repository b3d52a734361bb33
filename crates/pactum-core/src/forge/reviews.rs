//! Reviews and approvals, as each forge records them: which commit a pull request's merge
//! made, and who approved it on which commit.

use serde_json::Value;

use super::TrackerError;
use super::http::{Auth, Client, Limits, encode, next_link};
use super::{text, unexpected};

/// A pull request as GitHub records it: whether it merged, which commit its merge made, and
/// its reviews' latest state per reviewer, with the commit each was given on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GithubPull {
    pub merged: bool,
    pub merge_commit_sha: Option<String>,
    /// (login, commit the approval was given on), for reviewers whose latest review approves.
    pub approvals: Vec<(String, Option<String>)>,
}

/// A pull request and its approvals from GitHub.
///
/// # Errors
/// When a request fails.
pub(crate) fn github_pull(
    api_url: &str,
    repository: &str,
    token: String,
    number: u64,
    limits: Limits,
) -> Result<GithubPull, TrackerError> {
    let mut client = Client::new(api_url, token, Auth::Bearer, limits);
    let pull = match client.send("GET", &format!("/repos/{repository}/pulls/{number}"), None) {
        Ok(pull) => pull,
        // No such pull request: it merged nothing.
        Err(TrackerError::Status { status: 404, .. }) => return Ok(GithubPull::default()),
        Err(error) => return Err(error),
    };
    let merged = pull
        .body
        .get("merged")
        .and_then(Value::as_bool)
        .ok_or_else(|| unexpected(&format!("reading pull request #{number}"), "no `merged` in the answer"))?;
    let merge_commit_sha = pull.body.get("merge_commit_sha").and_then(Value::as_str).map(str::to_owned);
    let mut latest: Vec<(String, String, Option<String>)> = Vec::new();
    let reviews = format!("/repos/{repository}/pulls/{number}/reviews?per_page=100");
    for review in &every_page(&mut client, reviews, "list reviews")? {
        // A deleted account's review has no user (`null`): it approves nothing.
        let login = match review.get("user") {
            Some(Value::Null) => String::new(),
            user => user
                .and_then(|u| u.get("login"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| unexpected("list reviews", "a review without its `user.login`"))?,
        };
        let state = text(review, "state", "list reviews")?;
        if login.is_empty() || state == "COMMENTED" || state == "PENDING" {
            continue;
        }
        let commit = review.get("commit_id").and_then(Value::as_str).map(str::to_owned);
        // Reviews come oldest first: a later one replaces an earlier one.
        match latest.iter_mut().find(|(l, _, _)| *l == login) {
            Some(entry) => (entry.1, entry.2) = (state, commit),
            None => latest.push((login, state, commit)),
        }
    }
    let approvals = latest
        .into_iter()
        .filter(|(_, state, _)| state == "APPROVED")
        .map(|(login, _, commit)| (login, commit))
        .collect();
    Ok(GithubPull { merged, merge_commit_sha, approvals })
}

/// A merge request as GitLab records it: the commit at its head, and whose approval stands
/// with the commit each was given on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GitlabMergeRequest {
    /// The head of the source branch (`sha`).
    pub head: String,
    /// (username, the head of the merge request when they approved), for each approval that
    /// stands.
    pub approvals: Vec<(String, String)>,
}

/// An instant GitLab stamped (`created_at`), for ordering its events.
fn stamped(value: &Value, request: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, TrackerError> {
    let text = value.get("created_at").and_then(Value::as_str).unwrap_or_default();
    chrono::DateTime::parse_from_rfc3339(text)
        .map_err(|_| unexpected(request, &format!("`created_at` {text:?} is not a time")))
}

/// Every page of a list the forge answers with `Link` headers (GitHub's reviews, GitLab's
/// notes and versions).
fn every_page(client: &mut Client, first: String, request: &str) -> Result<Vec<Value>, TrackerError> {
    let mut all = Vec::new();
    let mut next = Some(first);
    while let Some(path) = next.take() {
        let reply = client.send("GET", &path, None)?;
        all.extend(reply.body.as_array().ok_or_else(|| unexpected(request, "expected a list"))?.iter().cloned());
        next = next_link(reply.link.as_deref());
    }
    Ok(all)
}

/// A merge request and its approvals from GitLab (`iid` is the number GitLab shows: `!12`).
///
/// GitLab's approvals API says who approves, not on which commit. GitLab's own records say
/// when: the system note "approved this merge request" is stamped by the server, and each
/// push makes a new version of the merge request, stamped too. An approval was given on the
/// head of the version current at its note; a push after it leaves it on the older commit,
/// whatever the project's setting for resetting approvals.
///
/// # Errors
/// When a request fails, or GitLab answers without the fields pactum needs.
pub(crate) fn gitlab_merge_request(
    api_url: &str,
    project: &str,
    token: String,
    iid: u64,
    limits: Limits,
) -> Result<GitlabMergeRequest, TrackerError> {
    let mut client = Client::new(api_url, token, Auth::PrivateToken, limits);
    let base = format!("/projects/{}/merge_requests/{iid}", encode(project));
    let request = format!("reading merge request !{iid}");
    let is_commit = |sha: &&str| sha.len() >= 40 && sha.bytes().all(|b| b.is_ascii_hexdigit());
    let merge_request = client.send("GET", &base, None)?;
    let head = merge_request
        .body
        .get("sha")
        .and_then(Value::as_str)
        .filter(is_commit)
        .ok_or_else(|| unexpected(&request, "no head commit (`sha`) in the answer"))?
        .to_owned();
    let reply = client.send("GET", &format!("{base}/approvals"), None)?;
    let approved_by = reply
        .body
        .get("approved_by")
        .and_then(Value::as_array)
        .ok_or_else(|| unexpected(&request, "no `approved_by` list in the approvals"))?;
    let mut approvers = Vec::new();
    for approval in approved_by {
        let username = approval
            .get("user")
            .and_then(|user| user.get("username"))
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
            .ok_or_else(|| unexpected(&request, "an approval without a `user.username`"))?;
        approvers.push(username.to_owned());
    }
    if approvers.is_empty() {
        return Ok(GitlabMergeRequest { head, approvals: Vec::new() });
    }
    // Each push is a version: (when, its head).
    let mut versions = Vec::new();
    for version in every_page(&mut client, format!("{base}/versions?per_page=100"), &request)? {
        let commit = version
            .get("head_commit_sha")
            .and_then(Value::as_str)
            .filter(is_commit)
            .ok_or_else(|| unexpected(&request, "a version without its `head_commit_sha`"))?;
        versions.push((stamped(&version, &request)?, commit.to_owned()));
    }
    versions.sort();
    // When each approver last approved.
    let mut approved_at = std::collections::HashMap::new();
    let notes = format!("{base}/notes?sort=asc&order_by=created_at&per_page=100");
    for note in every_page(&mut client, notes, &request)? {
        let system = note.get("system").and_then(Value::as_bool).unwrap_or(false);
        if !system || note.get("body").and_then(Value::as_str) != Some("approved this merge request") {
            continue;
        }
        let Some(author) = note.get("author").and_then(|a| a.get("username")).and_then(Value::as_str) else {
            continue;
        };
        let at = stamped(&note, &request)?;
        approved_at.entry(author.to_owned()).and_modify(|t| *t = at.max(*t)).or_insert(at);
    }
    let mut approvals = Vec::new();
    for username in approvers {
        // No note or no version before it: nothing says which commit was approved, so the
        // approval is taken for none (it cannot count).
        let commit = approved_at
            .get(&username)
            .and_then(|at| versions.iter().rev().find(|(pushed, _)| pushed <= at))
            .map_or_else(String::new, |(_, commit)| commit.clone());
        approvals.push((username, commit));
    }
    Ok(GitlabMergeRequest { head, approvals })
}
