//! The forges pactum talks to: GitHub, GitLab and Gitea (also Forgejo), over their REST APIs.
//!
//! Two uses, one client ([`http`]): reminders are synced to their issue trackers, and the
//! approval record reads their reviews ([`reviews`]).
//!
//! Each tracker lists the issues carrying pactum's label (open and closed, every page, never
//! through the search API, which lags behind writes), creates, updates and closes them. The
//! differences between the three APIs stay in this module; `remind::sync` sees one
//! [`Tracker`] trait.

pub mod http;
pub mod reviews;

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
    /// A request that is not safe to send twice (creating an issue) was sent, and its answer
    /// was lost (the connection dropped, a gateway answered 5xx): the tracker may or may not
    /// have made the change. The caller looks before trying again.
    #[error("{request}: the answer was lost ({message}); the tracker may have made the change")]
    Lost { request: String, message: String },
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
    /// How it was closed, when it is.
    pub closed: Option<Closed>,
}

/// How an issue was closed, as far as the tracker says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closed {
    /// The day it was closed (UTC).
    pub on: Option<chrono::NaiveDate>,
    /// Whether it was closed as done: GitHub's `state_reason` is `completed` (or, on issues from
    /// before GitHub had reasons, none); GitLab and Gitea have no reasons, so every close is.
    pub completed: bool,
    /// Who closed it, as `@login`, where the tracker's list says (GitLab).
    pub by: Option<String>,
    /// The issue's page.
    pub url: Option<String>,
}

/// How an issue of a list answer was closed: none while open.
fn closed(item: &Value, open: bool, reason_key: Option<&str>, by_key: Option<&str>, url_key: &str) -> Option<Closed> {
    if open {
        return None;
    }
    let on = item
        .get("closed_at")
        .and_then(Value::as_str)
        .and_then(|at| at.get(..10))
        .and_then(|day| day.parse::<chrono::NaiveDate>().ok());
    let completed = reason_key.is_none_or(|key| match item.get(key) {
        None | Some(Value::Null) => true,
        Some(reason) => reason.as_str() == Some("completed"),
    });
    let by = by_key
        .and_then(|key| item.get(key))
        .and_then(|person| person.get("username").or_else(|| person.get("login")))
        .and_then(Value::as_str)
        .map(|login| format!("@{login}"));
    let url = item.get(url_key).and_then(Value::as_str).map(str::to_owned);
    Some(Closed { on, completed, by, url })
}

/// What an issue should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    /// The event's date, as the issue's due date where the tracker has one (GitLab, Gitea).
    pub due: Option<chrono::NaiveDate>,
}

/// A Gitea due date: a time stamp, the day's start in UTC.
fn gitea_due(draft: &Draft) -> Value {
    draft.due.map_or(Value::Null, |day| json!(format!("{day}T00:00:00Z")))
}

/// A GitLab due date: the day.
fn gitlab_due(draft: &Draft) -> Value {
    draft.due.map_or(Value::Null, |day| json!(day.to_string()))
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
    /// The text of every comment on an issue, oldest first.
    ///
    /// # Errors
    /// When a request fails.
    fn comments(&mut self, number: u64) -> Result<Vec<String>, TrackerError>;
    /// Comment on an issue.
    ///
    /// # Errors
    /// When the request fails.
    fn comment(&mut self, number: u64, body: &str) -> Result<(), TrackerError>;
    /// How many HTTP requests were sent so far.
    fn requests(&self) -> usize;
}

/// The comments at `first` (a path with a query), every page: by the `link` header (GitHub,
/// Gitea) or `x-next-page` (GitLab).
fn read_comments(client: &mut Client, first: &str) -> Result<Vec<String>, TrackerError> {
    let mut out = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(path) = next.take() {
        let reply = client.send("GET", &path, None)?;
        for item in array(&reply.body, "list comments")? {
            out.push(optional_text(item, "body", "list comments")?);
        }
        next = next_link(reply.link.as_deref()).or_else(|| reply.next_page.map(|page| format!("{first}&page={page}")));
    }
    Ok(out)
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A text field the answer must have: missing or not text, the answer is unexpected, never
/// an empty string that would pass for a title or a state.
fn text(value: &Value, key: &str, request: &str) -> Result<String, TrackerError> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| unexpected(request, &format!("no `{key}` in the answer")))
}

/// A text field that may be empty: an issue's body is `null` when nobody wrote one.
fn optional_text(value: &Value, key: &str, request: &str) -> Result<String, TrackerError> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(unexpected(request, &format!("`{key}` is not text"))),
    }
}

/// The names in a list field (labels, assignees): objects with `field`, or plain strings
/// (GitLab's labels). An absent or `null` list is empty (Gitea's assignees); an entry
/// without its name is unexpected.
fn names(value: &Value, key: &str, field: &str, request: &str) -> Result<Vec<String>, TrackerError> {
    let items = match value.get(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(unexpected(request, &format!("`{key}` is not a list"))),
    };
    items
        .iter()
        .map(|v| {
            v.get(field)
                .and_then(Value::as_str)
                .or_else(|| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| unexpected(request, &format!("an entry of `{key}` has no `{field}`")))
        })
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

impl GitHub {
    /// Write a draft over issue `number`, with `also` (a state change) beside.
    fn edit(&mut self, number: u64, draft: &Draft, also: Option<(&str, &str)>) -> Result<(), TrackerError> {
        let mut body = json!({ "title": draft.title, "body": draft.body, "assignees": draft.assignees });
        if let Some((key, value)) = also {
            body[key] = json!(value);
        }
        self.client.send("PATCH", &format!("/repos/{}/issues/{number}", self.repo), Some(&body)).map(drop)
    }
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
                let open = text(item, "state", "list issues")? == "open";
                issues.push(Issue {
                    number: number(item, "number", "list issues")?,
                    title: text(item, "title", "list issues")?,
                    body: optional_text(item, "body", "list issues")?,
                    open,
                    labels: names(item, "labels", "name", "list issues")?,
                    assignees: names(item, "assignees", "login", "list issues")?,
                    closed: closed(item, open, Some("state_reason"), Some("closed_by"), "html_url"),
                });
            }
            next = next_link(reply.link.as_deref());
        }
        Ok(issues)
    }

    fn create(&mut self, draft: &Draft) -> Result<u64, TrackerError> {
        let body =
            json!({ "title": draft.title, "body": draft.body, "labels": draft.labels, "assignees": draft.assignees });
        let reply = self.client.send_once("POST", &format!("/repos/{}/issues", self.repo), Some(&body))?;
        number(&reply.body, "number", "create issue")
    }

    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        self.edit(number, draft, None)
    }

    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        self.edit(number, draft, Some(("state", "open")))
    }

    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError> {
        let mut patch = json!({ "state": "closed", "state_reason": "not_planned" });
        if let Some(body) = body {
            patch["body"] = json!(body);
        }
        let issue = format!("/repos/{}/issues/{number}", self.repo);
        comment_then_close(&mut self.client, &format!("{issue}/comments"), comment, ("PATCH", &issue, patch))
    }

    fn comments(&mut self, number: u64) -> Result<Vec<String>, TrackerError> {
        let path = format!("/repos/{}/issues/{number}/comments", self.repo);
        read_comments(&mut self.client, &format!("{path}?per_page=100"))
    }

    fn comment(&mut self, number: u64, body: &str) -> Result<(), TrackerError> {
        let path = format!("/repos/{}/issues/{number}/comments", self.repo);
        self.client.send("POST", &path, Some(&json!({ "body": body }))).map(drop)
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
    /// Write a draft over issue `number`, with `also` (a state change) beside.
    fn edit(&mut self, number: u64, draft: &Draft, also: Option<(&str, &str)>) -> Result<(), TrackerError> {
        let assignees = self.user_ids(&draft.assignees)?;
        let mut body = json!({ "title": draft.title, "description": draft.body, "assignee_ids": assignees, "due_date": gitlab_due(draft) });
        if let Some((key, value)) = also {
            body[key] = json!(value);
        }
        self.client.send("PUT", &format!("/projects/{}/issues/{number}", self.project), Some(&body)).map(drop)
    }

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
                let open = text(item, "state", "list issues")? == "opened";
                issues.push(Issue {
                    number: number(item, "iid", "list issues")?,
                    title: text(item, "title", "list issues")?,
                    body: optional_text(item, "description", "list issues")?,
                    open,
                    labels: names(item, "labels", "name", "list issues")?,
                    assignees: names(item, "assignees", "username", "list issues")?,
                    closed: closed(item, open, None, Some("closed_by"), "web_url"),
                });
            }
            next =
                reply.next_page.map(|page| format!("{base}&page={page}")).or_else(|| next_link(reply.link.as_deref()));
        }
        Ok(issues)
    }

    fn create(&mut self, draft: &Draft) -> Result<u64, TrackerError> {
        let assignees = self.user_ids(&draft.assignees)?;
        let body = json!({ "title": draft.title, "description": draft.body, "labels": draft.labels.join(","), "assignee_ids": assignees, "due_date": gitlab_due(draft) });
        let reply = self.client.send_once("POST", &format!("/projects/{}/issues", self.project), Some(&body))?;
        number(&reply.body, "iid", "create issue")
    }

    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        self.edit(number, draft, None)
    }

    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        self.edit(number, draft, Some(("state_event", "reopen")))
    }

    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError> {
        let mut put = json!({ "state_event": "close" });
        if let Some(body) = body {
            put["description"] = json!(body);
        }
        let issue = format!("/projects/{}/issues/{number}", self.project);
        comment_then_close(&mut self.client, &format!("{issue}/notes"), comment, ("PUT", &issue, put))
    }

    fn comments(&mut self, number: u64) -> Result<Vec<String>, TrackerError> {
        let path = format!("/projects/{}/issues/{number}/notes", self.project);
        read_comments(&mut self.client, &format!("{path}?per_page=100"))
    }

    fn comment(&mut self, number: u64, body: &str) -> Result<(), TrackerError> {
        let path = format!("/projects/{}/issues/{number}/notes", self.project);
        self.client.send("POST", &path, Some(&json!({ "body": body }))).map(drop)
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
    /// Write a draft over issue `number`, with `also` (a state change) beside.
    fn edit(&mut self, number: u64, draft: &Draft, also: Option<(&str, &str)>) -> Result<(), TrackerError> {
        let mut body = json!({ "title": draft.title, "body": draft.body, "assignees": draft.assignees, "due_date": gitea_due(draft) });
        if let Some((key, value)) = also {
            body[key] = json!(value);
        }
        self.client.send("PATCH", &format!("/repos/{}/issues/{number}", self.repo), Some(&body)).map(drop)
    }

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
                    labels.push((text(item, "name", "list labels")?, number(item, "id", "list labels")?));
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
                let open = text(item, "state", "list issues")? == "open";
                issues.push(Issue {
                    number: number(item, "number", "list issues")?,
                    title: text(item, "title", "list issues")?,
                    body: optional_text(item, "body", "list issues")?,
                    open,
                    labels: names(item, "labels", "name", "list issues")?,
                    assignees: names(item, "assignees", "login", "list issues")?,
                    closed: closed(item, open, None, None, "html_url"),
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
        let body = json!({ "title": draft.title, "body": draft.body, "labels": labels, "assignees": draft.assignees, "due_date": gitea_due(draft) });
        let reply = self.client.send_once("POST", &format!("/repos/{}/issues", self.repo), Some(&body))?;
        number(&reply.body, "number", "create issue")
    }

    fn update(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        self.edit(number, draft, None)
    }

    fn reopen(&mut self, number: u64, draft: &Draft) -> Result<(), TrackerError> {
        self.edit(number, draft, Some(("state", "open")))
    }

    fn close(&mut self, number: u64, comment: &str, body: Option<&str>) -> Result<(), TrackerError> {
        let mut patch = json!({ "state": "closed" });
        if let Some(body) = body {
            patch["body"] = json!(body);
        }
        let issue = format!("/repos/{}/issues/{number}", self.repo);
        comment_then_close(&mut self.client, &format!("{issue}/comments"), comment, ("PATCH", &issue, patch))
    }

    fn comments(&mut self, number: u64) -> Result<Vec<String>, TrackerError> {
        let path = format!("/repos/{}/issues/{number}/comments", self.repo);
        read_comments(&mut self.client, &format!("{path}?per_page=100"))
    }

    fn comment(&mut self, number: u64, body: &str) -> Result<(), TrackerError> {
        let path = format!("/repos/{}/issues/{number}/comments", self.repo);
        self.client.send("POST", &path, Some(&json!({ "body": body }))).map(drop)
    }

    fn requests(&self) -> usize {
        self.client.requests()
    }
}
