//! Issue trackers that reminders are synced to: GitHub, GitLab and Gitea (also Forgejo).
//!
//! Each tracker lists the issues carrying pactum's label (open and closed, every page, never
//! through the search API, which lags behind writes), creates, updates and closes them. The
//! differences between the three APIs stay in this module; [`super::sync`] sees one
//! [`Tracker`] trait.

pub mod http;

use serde_json::{Value, json};

use http::{Auth, Client, Limits, encode, next_link};

/// Why a tracker request failed. Messages name the request, never the token.
#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    /// The request could not be sent or kept failing.
    #[error("{request} failed: {message}")]
    Http { request: String, message: String },
    /// The tracker answered with an error status.
    #[error("{request} answered {status}{message}")]
    Status { request: String, status: u16, message: String },
    /// The tracker's rate limit resets later than pactum waits.
    #[error("{request} is rate-limited for another {seconds} s; run again later")]
    RateLimited { request: String, seconds: u64 },
    /// The tracker answered something pactum cannot read.
    #[error("unexpected answer to {request}: {message}")]
    Unexpected { request: String, message: String },
}

/// An issue as pactum sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
}

/// What an issue should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
}

/// One issue tracker.
pub trait Tracker {
    /// Every issue, open or closed, that carries `label`.
    ///
    /// # Errors
    /// When a request fails.
    fn list(&mut self, label: &str) -> Result<Vec<Issue>, TrackerError>;
    /// Create an issue.
    ///
    /// # Errors
    /// When the request fails.
    fn create(&mut self, draft: &Draft) -> Result<u64, TrackerError>;
    /// Replace an issue's title, body and assignees.
    ///
    /// # Errors
    /// When the request fails.
    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError>;
    /// Comment on an issue and close it, replacing its body when one is given.
    ///
    /// # Errors
    /// When a request fails.
    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError>;
    /// Reopen an issue pactum closed, with the title, body and assignees of `draft`.
    ///
    /// # Errors
    /// When the request fails.
    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError>;
    /// How many HTTP requests were sent so far.
    fn requests(&self) -> usize;
}

/// Which tracker, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub kind: Kind,
    /// The API base: `https://api.github.com`, `https://gitlab.com/api/v4`, `https://gitea.example/api/v1`.
    pub api_url: String,
    /// `owner/repo` (GitHub, Gitea) or a project id or path (GitLab).
    pub repository: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Github,
    Gitlab,
    Gitea,
}

impl Kind {
    /// The environment variable that holds the token.
    #[must_use]
    pub fn token_variables(self) -> &'static [&'static str] {
        match self {
            Self::Github => &["GITHUB_TOKEN"],
            Self::Gitlab => &["GITLAB_TOKEN", "CI_JOB_TOKEN"],
            Self::Gitea => &["GITEA_TOKEN", "GITHUB_TOKEN"],
        }
    }
}

/// Open the tracker at `endpoint`.
#[must_use]
pub fn open(endpoint: &Endpoint, token: String, limits: Limits) -> Box<dyn Tracker> {
    match endpoint.kind {
        Kind::Github => Box::new(GitHub {
            client: Client::new(&endpoint.api_url, token, Auth::Bearer, limits),
            repo: endpoint.repository.clone(),
        }),
        Kind::Gitlab => Box::new(GitLab {
            client: Client::new(&endpoint.api_url, token, Auth::PrivateToken, limits),
            project: encode(&endpoint.repository),
            users: Vec::new(),
        }),
        Kind::Gitea => Box::new(Gitea {
            client: Client::new(&endpoint.api_url, token, Auth::Token, limits),
            repo: endpoint.repository.clone(),
            labels: None,
        }),
    }
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn names(value: &Value, key: &str, field: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get(field).and_then(Value::as_str).or_else(|| v.as_str()).map(str::to_owned))
        .collect()
}

fn unexpected(request: &str, message: &str) -> TrackerError {
    TrackerError::Unexpected { request: request.to_owned(), message: message.to_owned() }
}

fn array<'a>(body: &'a Value, request: &str) -> Result<&'a Vec<Value>, TrackerError> {
    body.as_array().ok_or_else(|| unexpected(request, "expected a list of issues"))
}

fn number(body: &Value, key: &str, request: &str) -> Result<u64, TrackerError> {
    body.get(key).and_then(Value::as_u64).ok_or_else(|| unexpected(request, &format!("no `{key}` in the answer")))
}

/// Comment on an issue, then close it: the same two requests on every tracker, with each
/// tracker's own paths, method and closing body.
fn comment_then_close(
    client: &mut Client,
    comment_path: &str,
    comment: &str,
    close: (&str, &str, Value),
) -> Result<(), TrackerError> {
    client.send("POST", comment_path, Some(&json!({ "body": comment })))?;
    let (method, path, body) = close;
    client.send(method, path, Some(&body)).map(drop)
}

/// The GitHub REST API.
struct GitHub {
    client: Client,
    repo: String,
}

impl Tracker for GitHub {
    fn list(&mut self, label: &str) -> Result<Vec<Issue>, TrackerError> {
        let mut issues = Vec::new();
        let mut next = Some(format!("/repos/{}/issues?labels={}&state=all&per_page=100", self.repo, encode(label)));
        while let Some(path) = next.take() {
            let reply = self.client.send("GET", &path, None)?;
            for item in array(&reply.body, "list issues")? {
                // The issues endpoint also lists pull requests.
                if item.get("pull_request").is_some() {
                    continue;
                }
                issues.push(Issue {
                    number: number(item, "number", "list issues")?,
                    title: text(item, "title"),
                    body: text(item, "body"),
                    open: text(item, "state") == "open",
                    labels: names(item, "labels", "name"),
                    assignees: names(item, "assignees", "login"),
                });
            }
            next = next_link(reply.link.as_deref());
        }
        Ok(issues)
    }

    fn create(&mut self, draft: &Draft) -> Result<u64, TrackerError> {
        let body =
            json!({ "title": draft.title, "body": draft.body, "labels": draft.labels, "assignees": draft.assignees });
        let reply = self.client.send("POST", &format!("/repos/{}/issues", self.repo), Some(&body))?;
        number(&reply.body, "number", "create issue")
    }

    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        let body = json!({ "title": draft.title, "body": draft.body, "assignees": draft.assignees });
        self.client.send("PATCH", &format!("/repos/{}/issues/{number}", self.repo), Some(&body)).map(drop)
    }

    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        let body = json!({ "title": draft.title, "body": draft.body, "assignees": draft.assignees, "state": "open" });
        self.client.send("PATCH", &format!("/repos/{}/issues/{number}", self.repo), Some(&body)).map(drop)
    }

    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError> {
        let mut patch = json!({ "state": "closed", "state_reason": "not_planned" });
        if let Some(body) = body {
            patch["body"] = json!(body);
        }
        let issue = format!("/repos/{}/issues/{number}", self.repo);
        comment_then_close(&mut self.client, &format!("{issue}/comments"), comment, ("PATCH", &issue, patch))
    }

    fn requests(&self) -> usize {
        self.client.requests()
    }
}

/// The GitLab REST API (v4).
struct GitLab {
    client: Client,
    project: String,
    /// Usernames already looked up, with their ids.
    users: Vec<(String, Option<u64>)>,
}

impl GitLab {
    fn user_ids(&mut self, usernames: &[String]) -> Result<Vec<u64>, TrackerError> {
        let mut ids = Vec::new();
        for username in usernames {
            let known = self.users.iter().find(|(name, _)| name == username).map(|(_, id)| *id);
            let id = if let Some(id) = known {
                id
            } else {
                let reply = self.client.send("GET", &format!("/users?username={}", encode(username)), None)?;
                let id = reply
                    .body
                    .as_array()
                    .and_then(|users| users.first())
                    .and_then(|user| user.get("id"))
                    .and_then(Value::as_u64);
                self.users.push((username.clone(), id));
                id
            };
            ids.extend(id);
        }
        Ok(ids)
    }
}

impl Tracker for GitLab {
    fn list(&mut self, label: &str) -> Result<Vec<Issue>, TrackerError> {
        let mut issues = Vec::new();
        let base = format!("/projects/{}/issues?labels={}&scope=all&per_page=100", self.project, encode(label));
        let mut next = Some(base.clone());
        while let Some(path) = next.take() {
            let reply = self.client.send("GET", &path, None)?;
            for item in array(&reply.body, "list issues")? {
                issues.push(Issue {
                    number: number(item, "iid", "list issues")?,
                    title: text(item, "title"),
                    body: text(item, "description"),
                    open: text(item, "state") == "opened",
                    labels: names(item, "labels", "name"),
                    assignees: names(item, "assignees", "username"),
                });
            }
            next =
                reply.next_page.map(|page| format!("{base}&page={page}")).or_else(|| next_link(reply.link.as_deref()));
        }
        Ok(issues)
    }

    fn create(&mut self, draft: &Draft) -> Result<u64, TrackerError> {
        let assignees = self.user_ids(&draft.assignees)?;
        let body = json!({ "title": draft.title, "description": draft.body, "labels": draft.labels.join(","), "assignee_ids": assignees });
        let reply = self.client.send("POST", &format!("/projects/{}/issues", self.project), Some(&body))?;
        number(&reply.body, "iid", "create issue")
    }

    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        let assignees = self.user_ids(&draft.assignees)?;
        let body = json!({ "title": draft.title, "description": draft.body, "assignee_ids": assignees });
        self.client.send("PUT", &format!("/projects/{}/issues/{number}", self.project), Some(&body)).map(drop)
    }

    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        let assignees = self.user_ids(&draft.assignees)?;
        let body = json!({ "title": draft.title, "description": draft.body, "assignee_ids": assignees, "state_event": "reopen" });
        self.client.send("PUT", &format!("/projects/{}/issues/{number}", self.project), Some(&body)).map(drop)
    }

    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError> {
        let mut put = json!({ "state_event": "close" });
        if let Some(body) = body {
            put["description"] = json!(body);
        }
        let issue = format!("/projects/{}/issues/{number}", self.project);
        comment_then_close(&mut self.client, &format!("{issue}/notes"), comment, ("PUT", &issue, put))
    }

    fn requests(&self) -> usize {
        self.client.requests()
    }
}

/// The Gitea and Forgejo API (v1).
struct Gitea {
    client: Client,
    repo: String,
    /// The repository's labels by name, once read.
    labels: Option<Vec<(String, u64)>>,
}

impl Gitea {
    /// Label ids for names, creating labels the repository does not have: Gitea's issue API
    /// takes ids, not names.
    fn label_ids(&mut self, wanted: &[String]) -> Result<Vec<u64>, TrackerError> {
        if self.labels.is_none() {
            let mut labels = Vec::new();
            let mut page = 1;
            loop {
                let reply =
                    self.client.send("GET", &format!("/repos/{}/labels?limit=50&page={page}", self.repo), None)?;
                let items = array(&reply.body, "list labels")?;
                for item in items {
                    labels.push((text(item, "name"), number(item, "id", "list labels")?));
                }
                if items.len() < 50 {
                    break;
                }
                page += 1;
            }
            self.labels = Some(labels);
        }
        let mut ids = Vec::new();
        for name in wanted {
            let known =
                self.labels.as_ref().and_then(|labels| labels.iter().find(|(n, _)| n == name).map(|(_, id)| *id));
            let id = if let Some(id) = known {
                id
            } else {
                let reply = self.client.send(
                    "POST",
                    &format!("/repos/{}/labels", self.repo),
                    Some(&json!({ "name": name, "color": "#d93f0b" })),
                )?;
                let id = number(&reply.body, "id", "create label")?;
                self.labels.get_or_insert_with(Vec::new).push((name.clone(), id));
                id
            };
            ids.push(id);
        }
        Ok(ids)
    }
}

impl Tracker for Gitea {
    fn list(&mut self, label: &str) -> Result<Vec<Issue>, TrackerError> {
        let mut issues = Vec::new();
        let mut page = 1;
        loop {
            let path = format!(
                "/repos/{}/issues?labels={}&state=all&type=issues&limit=50&page={page}",
                self.repo,
                encode(label)
            );
            let reply = self.client.send("GET", &path, None)?;
            let items = array(&reply.body, "list issues")?;
            for item in items {
                issues.push(Issue {
                    number: number(item, "number", "list issues")?,
                    title: text(item, "title"),
                    body: text(item, "body"),
                    open: text(item, "state") == "open",
                    labels: names(item, "labels", "name"),
                    assignees: names(item, "assignees", "login"),
                });
            }
            if next_link(reply.link.as_deref()).is_none() && items.len() < 50 {
                break;
            }
            if items.is_empty() {
                break;
            }
            page += 1;
        }
        Ok(issues)
    }

    fn create(&mut self, draft: &Draft) -> Result<u64, TrackerError> {
        let labels = self.label_ids(&draft.labels)?;
        let body = json!({ "title": draft.title, "body": draft.body, "labels": labels, "assignees": draft.assignees });
        let reply = self.client.send("POST", &format!("/repos/{}/issues", self.repo), Some(&body))?;
        number(&reply.body, "number", "create issue")
    }

    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        let body = json!({ "title": draft.title, "body": draft.body, "assignees": draft.assignees });
        self.client.send("PATCH", &format!("/repos/{}/issues/{number}", self.repo), Some(&body)).map(drop)
    }

    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        let body = json!({ "title": draft.title, "body": draft.body, "assignees": draft.assignees, "state": "open" });
        self.client.send("PATCH", &format!("/repos/{}/issues/{number}", self.repo), Some(&body)).map(drop)
    }

    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError> {
        let mut patch = json!({ "state": "closed" });
        if let Some(body) = body {
            patch["body"] = json!(body);
        }
        let issue = format!("/repos/{}/issues/{number}", self.repo);
        comment_then_close(&mut self.client, &format!("{issue}/comments"), comment, ("PATCH", &issue, patch))
    }

    fn requests(&self) -> usize {
        self.client.requests()
    }
}

/// A pull request as GitHub records it: whether it merged, which commit its merge made, and
/// its reviews' latest state per reviewer, with the commit each was given on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GithubPull {
    pub merged: bool,
    pub merge_commit_sha: Option<String>,
    /// (login, commit the approval was given on), for reviewers whose latest review approves.
    pub approvals: Vec<(String, Option<String>)>,
}

/// A pull request and its approvals from GitHub.
///
/// # Errors
/// When a request fails.
pub fn github_pull(
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
    let merged = pull.body.get("merged").and_then(Value::as_bool).unwrap_or(false);
    let merge_commit_sha = pull.body.get("merge_commit_sha").and_then(Value::as_str).map(str::to_owned);
    let mut latest: Vec<(String, String, Option<String>)> = Vec::new();
    let mut next = Some(format!("/repos/{repository}/pulls/{number}/reviews?per_page=100"));
    while let Some(path) = next.take() {
        let reply = client.send("GET", &path, None)?;
        for review in array(&reply.body, "list reviews")? {
            let login =
                review.get("user").and_then(|u| u.get("login")).and_then(Value::as_str).unwrap_or_default().to_owned();
            let state = text(review, "state");
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
        next = next_link(reply.link.as_deref());
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
pub struct GitlabMergeRequest {
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

/// Every page of a list GitLab answers with `Link` headers.
fn gitlab_list(client: &mut Client, first: String, request: &str) -> Result<Vec<Value>, TrackerError> {
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
pub fn gitlab_merge_request(
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
    for version in gitlab_list(&mut client, format!("{base}/versions?per_page=100"), &request)? {
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
    for note in gitlab_list(&mut client, notes, &request)? {
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
