//! A local issue tracker that keeps state like the real services: GitHub, GitLab or Gitea.
//!
//! It speaks each API's dialect for what pactum uses (list by label with pagination and the
//! service's page sizes, create, update, comment, close, labels, user lookup), checks the
//! token, records every request, and fails on command: a 500, a rate limit with `retry-after`,
//! a connection reset before or after the change is made.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    GitHub,
    GitLab,
    Gitea,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeIssue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    pub comments: Vec<String>,
    /// The due date as the tracker keeps it (GitLab: `YYYY-MM-DD`; Gitea: a time stamp).
    pub due_date: Option<String>,
    /// When it was closed (a time stamp), why (GitHub's `state_reason`) and by whom.
    pub closed_at: Option<String>,
    pub state_reason: Option<String>,
    pub closed_by: Option<String>,
    /// When it was opened (a time stamp).
    pub created_at: String,
}

/// When issues are opened on this tracker, as its answers say.
const OPENED: &str = "2024-12-20T09:00:00Z";

/// A failure to inject into the n-th request (1-based, counting every request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Answer 500 and change nothing.
    ServerError,
    /// Answer 429 with `retry-after` seconds and change nothing.
    RateLimited(u64),
    /// GitHub's primary rate limit: 403 with `x-ratelimit-remaining: 0` and a reset time.
    RateLimitReset,
    /// Close the connection without an answer, before changing anything.
    ResetBefore,
    /// Make the change, then close the connection without an answer (the answer is lost).
    ResetAfter,
    /// Make the change, then answer 502 as a gateway whose upstream timed out does.
    BadGatewayAfter,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Value,
    pub authorized: bool,
    /// The headers sent, names in lower case.
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct State {
    issues: Vec<FakeIssue>,
    labels: Vec<(u64, String)>,
    requests: Vec<Request>,
    failures: VecDeque<(usize, Failure)>,
    count: usize,
    /// Pull request reviews: (number, login, state, commit), oldest first.
    reviews: Vec<(u64, String, String, Option<String>)>,
    /// Merged pull requests: (number, the commit their merge made).
    pulls: Vec<(u64, String)>,
    /// GitLab merge requests.
    merge_requests: Vec<FakeMergeRequest>,
    /// GitLab's clock, in seconds: each event of a merge request is one second later.
    clock: u32,
}

/// A merge request as GitLab keeps it: its head, who approves it now, its notes and its
/// versions (one per push), each stamped by the server.
#[derive(Debug, Default)]
struct FakeMergeRequest {
    iid: u64,
    head: String,
    approved: Vec<String>,
    notes: Vec<Value>,
    versions: Vec<Value>,
}

impl State {
    fn tick(&mut self) -> String {
        self.clock += 1;
        format!("2026-11-27T10:{:02}:{:02}.000Z", self.clock / 60 % 60, self.clock % 60)
    }

    fn merge_request(&mut self, iid: u64) -> &mut FakeMergeRequest {
        self.merge_requests.iter_mut().find(|m| m.iid == iid).unwrap()
    }
}

#[derive(Clone)]
pub struct FakeTracker {
    pub dialect: Dialect,
    pub token: String,
    pub port: u16,
    state: Arc<Mutex<State>>,
}

const USERS: &[(&str, u64)] = &[("alice", 11), ("bob", 12), ("erik", 13)];

impl FakeTracker {
    pub fn start(dialect: Dialect) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let tracker = Self { dialect, token: "s3cr3t-token-value".to_owned(), port, state: Arc::default() };
        let server = tracker.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let server = server.clone();
                thread::spawn(move || server.serve(stream));
            }
        });
        tracker
    }

    /// The API base URL pactum is given.
    pub fn api_url(&self) -> String {
        match self.dialect {
            Dialect::GitHub => format!("http://127.0.0.1:{}", self.port),
            Dialect::GitLab => format!("http://127.0.0.1:{}/api/v4", self.port),
            Dialect::Gitea => format!("http://127.0.0.1:{}/api/v1", self.port),
        }
    }

    #[allow(clippy::unused_self)] // one repository per tracker, named like the others
    pub fn repository(&self) -> &'static str {
        "northwind/contracts"
    }

    pub fn fail(&self, request: usize, failure: Failure) {
        self.state.lock().unwrap().failures.push_back((request, failure));
    }

    /// Fail the n-th request from now on.
    pub fn fail_next(&self, offset: usize, failure: Failure) {
        let mut state = self.state.lock().unwrap();
        let at = state.count + offset;
        state.failures.push_back((at, failure));
    }

    pub fn issues(&self) -> Vec<FakeIssue> {
        self.state.lock().unwrap().issues.clone()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn request_count(&self) -> usize {
        self.state.lock().unwrap().count
    }

    /// Add an issue as a person would (for "closed by a person" and "unrelated issue" cases).
    pub fn insert(&self, title: &str, body: &str, open: bool, labels: &[&str]) -> u64 {
        let mut state = self.state.lock().unwrap();
        let number = state.issues.len() as u64 + 1;
        state.issues.push(FakeIssue {
            number,
            title: title.into(),
            body: body.into(),
            open,
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            assignees: vec![],
            comments: vec![],
            due_date: None,
            closed_at: (!open).then(|| "2026-01-01T00:00:00Z".to_owned()),
            state_reason: (!open).then(|| "completed".to_owned()),
            closed_by: None,
            created_at: OPENED.to_owned(),
        });
        number
    }

    /// Record a pull request review (GitHub dialect).
    pub fn add_review(&self, number: u64, login: &str, state: &str) {
        self.state.lock().unwrap().reviews.push((number, login.to_owned(), state.to_owned(), None));
    }

    /// Record a pull request review given on `commit`.
    pub fn add_review_on(&self, number: u64, login: &str, state: &str, commit: &str) {
        self.state.lock().unwrap().reviews.push((number, login.to_owned(), state.to_owned(), Some(commit.to_owned())));
    }

    /// Record that pull request `number` merged, making `commit`.
    pub fn add_merged_pull(&self, number: u64, commit: &str) {
        self.state.lock().unwrap().pulls.push((number, commit.to_owned()));
    }

    /// Open merge request `iid` (GitLab dialect) with its source branch at `head`.
    pub fn add_merge_request(&self, iid: u64, head: &str) {
        let mut state = self.state.lock().unwrap();
        let at = state.tick();
        let version = json!({ "id": 1, "head_commit_sha": head, "created_at": at });
        state.merge_requests.push(FakeMergeRequest {
            iid,
            head: head.to_owned(),
            versions: vec![version],
            ..FakeMergeRequest::default()
        });
    }

    /// `username` approves merge request `iid`: GitLab lists the approval and writes a system
    /// note.
    pub fn approve_merge_request(&self, iid: u64, username: &str) {
        self.note(iid, username, "approved this merge request", true);
        let mut state = self.state.lock().unwrap();
        state.merge_request(iid).approved.push(username.to_owned());
    }

    /// A note on merge request `iid`: a comment, or a system note.
    pub fn note(&self, iid: u64, username: &str, body: &str, system: bool) {
        let mut state = self.state.lock().unwrap();
        let at = state.tick();
        let notes = &mut state.merge_request(iid).notes;
        let id = notes.len() + 1;
        notes.push(
            json!({ "id": id, "body": body, "system": system, "author": { "username": username }, "created_at": at }),
        );
    }

    /// The notes of merge request `iid`, oldest first, as GitLab keeps them.
    pub fn merge_request_notes(&self, iid: u64) -> Vec<Value> {
        self.state.lock().unwrap().merge_request(iid).notes.clone()
    }

    /// A push to merge request `iid`: its head moves and a version is made; approvals stay,
    /// as on a project that does not reset them.
    pub fn push_merge_request(&self, iid: u64, head: &str) {
        let mut state = self.state.lock().unwrap();
        let at = state.tick();
        let merge_request = state.merge_request(iid);
        head.clone_into(&mut merge_request.head);
        let id = merge_request.versions.len() + 1;
        merge_request.versions.push(json!({ "id": id, "head_commit_sha": head, "created_at": at }));
    }

    /// A person closes an issue in the tracker's own page: as done (`completed`) or not
    /// (`not_planned`, which only GitHub tells apart), at `at` (`2026-12-01T09:30:00Z`).
    pub fn close_by_person(&self, number: u64, login: &str, at: &str, reason: &str) {
        let mut state = self.state.lock().unwrap();
        let issue = state.issues.iter_mut().find(|i| i.number == number).unwrap();
        issue.open = false;
        issue.closed_at = Some(at.to_owned());
        issue.state_reason = Some(reason.to_owned());
        issue.closed_by = Some(login.to_owned());
    }

    pub fn set_open(&self, number: u64, open: bool) {
        let mut state = self.state.lock().unwrap();
        state.issues.iter_mut().find(|i| i.number == number).unwrap().open = open;
    }

    fn serve(&self, stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        let mut length = 0;
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
                if name == "content-length" {
                    length = value.parse().unwrap_or(0);
                }
                headers.push((name, value));
            }
        }
        let mut raw = vec![0; length];
        reader.read_exact(&mut raw).unwrap();
        // JSON, or a form (`curl --data-urlencode`), read as an object of strings.
        let form =
            headers.iter().any(|(n, v)| n == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
        let body: Value = if form {
            Value::Object(
                parse_query(&String::from_utf8_lossy(&raw)).into_iter().map(|(k, v)| (k, Value::String(v))).collect(),
            )
        } else {
            serde_json::from_slice(&raw).unwrap_or(Value::Null)
        };
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path.to_owned(), parse_query(query)),
            None => (target.clone(), Vec::new()),
        };
        let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let authorized = match self.dialect {
            Dialect::GitHub => header("authorization") == Some(&format!("Bearer {}", self.token)),
            Dialect::GitLab => header("private-token") == Some(self.token.as_str()),
            Dialect::Gitea => header("authorization") == Some(&format!("token {}", self.token)),
        };
        let request = Request { method, path, query, body, authorized, headers: headers.clone() };
        let failure = {
            let mut state = self.state.lock().unwrap();
            state.count += 1;
            let count = state.count;
            state.requests.push(request.clone());
            let position = state.failures.iter().position(|(at, _)| *at == count);
            position.and_then(|p| state.failures.remove(p)).map(|(_, f)| f)
        };
        let mut stream = stream;
        let (status, extra, response) = match failure {
            Some(Failure::ResetBefore) => return reset(stream),
            Some(Failure::ServerError) => (500, vec![], json!({ "message": "Internal Server Error" })),
            Some(Failure::RateLimited(seconds)) => {
                (429, vec![("retry-after".to_owned(), seconds.to_string())], json!({ "message": "rate limited" }))
            }
            Some(Failure::RateLimitReset) => {
                let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
                (
                    403,
                    vec![
                        ("x-ratelimit-remaining".to_owned(), "0".to_owned()),
                        ("x-ratelimit-reset".to_owned(), reset.to_string()),
                    ],
                    json!({ "message": "API rate limit exceeded" }),
                )
            }
            Some(Failure::ResetAfter) => {
                let _ = self.handle(&request);
                return reset(stream);
            }
            Some(Failure::BadGatewayAfter) => {
                let _ = self.handle(&request);
                (502, vec![], json!({ "message": "Bad Gateway" }))
            }
            None if !request.authorized => (401, vec![], json!({ "message": "Bad credentials" })),
            None => self.handle(&request),
        };
        let text = response.to_string();
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            text.len()
        );
        for (name, value) in extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(text.as_bytes());
    }

    fn issue_json(&self, issue: &FakeIssue, labels: &[(u64, String)]) -> Value {
        match self.dialect {
            // As the list answers have them: GitHub's `closed_by` only on a single issue.
            Dialect::GitHub => json!({
                "number": issue.number, "title": issue.title, "body": issue.body,
                "html_url": format!("https://github.com/{}/issues/{}", self.repository(), issue.number),
                "closed_at": issue.closed_at, "state_reason": issue.state_reason, "created_at": issue.created_at,
                "state": if issue.open { "open" } else { "closed" },
                "labels": issue.labels.iter().map(|l| json!({ "name": l })).collect::<Vec<_>>(),
                "assignees": issue.assignees.iter().map(|a| json!({ "login": a })).collect::<Vec<_>>(),
            }),
            Dialect::GitLab => json!({
                "iid": issue.number, "id": 1000 + issue.number, "title": issue.title, "description": issue.body,
                "web_url": format!("https://gitlab.com/{}/-/issues/{}", self.repository(), issue.number),
                "closed_at": issue.closed_at, "created_at": issue.created_at,
                "closed_by": issue.closed_by.as_ref().map(|login| json!({ "username": login })),
                "state": if issue.open { "opened" } else { "closed" },
                "labels": issue.labels,
                "assignees": issue.assignees.iter().map(|a| json!({ "username": a })).collect::<Vec<_>>(),
            }),
            Dialect::Gitea => json!({
                "number": issue.number, "title": issue.title, "body": issue.body,
                "html_url": format!("https://gitea.example/{}/issues/{}", self.repository(), issue.number),
                "closed_at": issue.closed_at, "created_at": issue.created_at,
                "state": if issue.open { "open" } else { "closed" },
                "labels": issue.labels.iter().map(|l| json!({ "name": l, "id": labels.iter().find(|(_, n)| n == l).map_or(0, |(id, _)| *id) })).collect::<Vec<_>>(),
                "assignees": issue.assignees.iter().map(|a| json!({ "login": a })).collect::<Vec<_>>(),
            }),
        }
    }

    fn handle(&self, request: &Request) -> (u16, Vec<(String, String)>, Value) {
        let mut state = self.state.lock().unwrap();
        let prefix = match self.dialect {
            Dialect::GitHub => "/repos/northwind/contracts".to_owned(),
            Dialect::GitLab => format!("/api/v4/projects/{}", "northwind%2Fcontracts"),
            Dialect::Gitea => "/api/v1/repos/northwind/contracts".to_owned(),
        };
        let param = |name: &str| request.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        if self.dialect == Dialect::GitLab && request.method == "GET" && request.path == "/api/v4/users" {
            let wanted = param("username").unwrap_or_default();
            let users: Vec<Value> = USERS
                .iter()
                .filter(|(name, _)| *name == wanted)
                .map(|(name, id)| json!({ "id": id, "username": name }))
                .collect();
            return (200, vec![], json!(users));
        }
        let Some(rest) = request.path.strip_prefix(&prefix) else {
            return (404, vec![], json!({ "message": "Not Found" }));
        };
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("GET", ["merge_requests", iid, rest @ ..]) if self.dialect == Dialect::GitLab => {
                let iid: u64 = iid.parse().unwrap_or(0);
                let Some(merge_request) = state.merge_requests.iter().find(|m| m.iid == iid) else {
                    return (404, vec![], json!({ "message": "404 Not found" }));
                };
                // Lists come in pages of `per_page` (at most 100), with a `Link` to the next.
                let page = |items: &[Value], newest_first: bool| {
                    let size = param("per_page").and_then(|s| s.parse::<usize>().ok()).unwrap_or(20).clamp(1, 100);
                    let number = param("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1);
                    let mut items = items.to_vec();
                    if newest_first {
                        items.reverse();
                    }
                    let chunk: Vec<Value> = items.iter().skip((number - 1) * size).take(size).cloned().collect();
                    let mut headers = Vec::new();
                    if number * size < items.len() {
                        let mut query: Vec<(String, String)> =
                            request.query.iter().filter(|(k, _)| k != "page").cloned().collect();
                        query.push(("page".into(), (number + 1).to_string()));
                        let query =
                            query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
                        headers.push((
                            "Link".to_owned(),
                            format!("<http://127.0.0.1:{}{}?{query}>; rel=\"next\"", self.port, request.path),
                        ));
                        headers.push(("x-next-page".to_owned(), (number + 1).to_string()));
                    } else {
                        headers.push(("x-next-page".to_owned(), String::new()));
                    }
                    (200, headers, json!(chunk))
                };
                match rest {
                    [] => (200, vec![], json!({ "iid": iid, "state": "opened", "sha": merge_request.head })),
                    ["approvals"] => (
                        200,
                        vec![],
                        json!({
                            "iid": iid,
                            "approved": !merge_request.approved.is_empty(),
                            "approved_by": merge_request.approved.iter().enumerate().map(|(i, name)| json!({ "user": { "id": i + 10, "username": name, "name": name } })).collect::<Vec<_>>(),
                        }),
                    ),
                    // Notes oldest first when asked (`sort=asc`), else newest first.
                    ["notes"] => page(&merge_request.notes, param("sort").as_deref() != Some("asc")),
                    // Versions newest first, as GitLab lists them.
                    ["versions"] => page(&merge_request.versions, true),
                    _ => (404, vec![], json!({ "message": "404 Not found" })),
                }
            }
            ("GET", ["pulls", number, "reviews"]) if self.dialect == Dialect::GitHub => {
                let number: u64 = number.parse().unwrap_or(0);
                let reviews: Vec<Value> = state
                    .reviews
                    .iter()
                    .filter(|(n, _, _, _)| *n == number)
                    .enumerate()
                    .map(|(i, (_, login, review, commit))| {
                        let mut review = json!({ "id": i + 1, "user": { "login": login }, "state": review });
                        if let Some(commit) = commit {
                            review["commit_id"] = json!(commit);
                        }
                        review
                    })
                    .collect();
                (200, vec![], json!(reviews))
            }
            ("GET", ["pulls", number]) if self.dialect == Dialect::GitHub => {
                let number: u64 = number.parse().unwrap_or(0);
                // An open pull request has a test merge commit but has not merged.
                let merged = state.pulls.iter().find(|(n, _)| *n == number);
                let open = state.reviews.iter().any(|(n, ..)| *n == number);
                match (merged, open) {
                    (Some((_, commit)), _) => (
                        200,
                        vec![],
                        json!({ "number": number, "state": "closed", "merged": true, "merge_commit_sha": commit }),
                    ),
                    (None, true) => (
                        200,
                        vec![],
                        json!({ "number": number, "state": "open", "merged": false, "merge_commit_sha": "0000000000000000000000000000000000000000" }),
                    ),
                    (None, false) => (404, vec![], json!({ "message": "Not Found" })),
                }
            }
            ("GET", ["issues", number]) => {
                let number: u64 = number.parse().unwrap_or(0);
                match state.issues.iter().find(|i| i.number == number) {
                    Some(issue) => {
                        let mut json = self.issue_json(issue, &state.labels);
                        // GitHub names who closed an issue on the issue itself, not in lists.
                        if self.dialect == Dialect::GitHub {
                            json["closed_by"] = json!(issue.closed_by.as_ref().map(|login| json!({ "login": login })));
                        }
                        (200, vec![], json)
                    }
                    None => (404, vec![], json!({ "message": "Not Found" })),
                }
            }
            ("GET", ["issues"]) => {
                let label = param("labels").unwrap_or_default();
                let (default_size, max_size, size_key) = match self.dialect {
                    Dialect::GitHub => (30, 100, "per_page"),
                    Dialect::GitLab => (20, 100, "per_page"),
                    Dialect::Gitea => (30, 50, "limit"),
                };
                let size =
                    param(size_key).and_then(|s| s.parse::<usize>().ok()).unwrap_or(default_size).clamp(1, max_size);
                let page = param("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1);
                let mut matching: Vec<&FakeIssue> =
                    state.issues.iter().filter(|i| label.is_empty() || i.labels.contains(&label)).collect();
                // Newest first, as the services list them.
                matching.sort_by_key(|i| std::cmp::Reverse(i.number));
                let total = matching.len();
                let items: Vec<Value> = matching
                    .iter()
                    .skip((page - 1) * size)
                    .take(size)
                    .map(|i| self.issue_json(i, &state.labels))
                    .collect();
                let mut headers = Vec::new();
                if page * size < total {
                    let mut query: Vec<(String, String)> =
                        request.query.iter().filter(|(k, _)| k != "page").cloned().collect();
                    query.push(("page".into(), (page + 1).to_string()));
                    let query = query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
                    headers.push((
                        "link".to_owned(),
                        format!("<http://127.0.0.1:{}{}?{query}>; rel=\"next\"", self.port, request.path),
                    ));
                    if self.dialect == Dialect::GitLab {
                        headers.push(("x-next-page".to_owned(), (page + 1).to_string()));
                    }
                } else if self.dialect == Dialect::GitLab {
                    headers.push(("x-next-page".to_owned(), String::new()));
                }
                headers.push(("x-total-count".to_owned(), total.to_string()));
                (200, headers, json!(items))
            }
            ("POST", ["issues"]) => {
                let labels: Vec<String> = match self.dialect {
                    Dialect::GitHub => strings(&request.body["labels"]),
                    Dialect::GitLab => request.body["labels"]
                        .as_str()
                        .unwrap_or("")
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    Dialect::Gitea => {
                        let ids: Vec<u64> =
                            request.body["labels"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
                        if ids.iter().any(|id| !state.labels.iter().any(|(known, _)| known == id)) {
                            return (422, vec![], json!({ "message": "label does not exist" }));
                        }
                        ids.iter()
                            .filter_map(|id| state.labels.iter().find(|(known, _)| known == id).map(|(_, n)| n.clone()))
                            .collect()
                    }
                };
                let assignees = match self.dialect {
                    Dialect::GitLab => request.body["assignee_ids"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_u64)
                        .filter_map(|id| USERS.iter().find(|(_, u)| *u == id).map(|(n, _)| (*n).to_owned()))
                        .collect(),
                    _ => strings(&request.body["assignees"]),
                };
                let number = state.issues.len() as u64 + 1;
                let text_key = if self.dialect == Dialect::GitLab { "description" } else { "body" };
                let issue = FakeIssue {
                    number,
                    title: request.body["title"].as_str().unwrap_or("").to_owned(),
                    body: request.body[text_key].as_str().unwrap_or("").to_owned(),
                    open: true,
                    labels,
                    assignees,
                    comments: vec![],
                    due_date: request.body["due_date"].as_str().map(str::to_owned),
                    closed_at: None,
                    state_reason: None,
                    closed_by: None,
                    created_at: OPENED.to_owned(),
                };
                let json = self.issue_json(&issue, &state.labels);
                state.issues.push(issue);
                (201, vec![], json)
            }
            ("PATCH" | "PUT", ["issues", number]) => {
                let number: u64 = number.parse().unwrap_or(0);
                let dialect = self.dialect;
                let labels = state.labels.clone();
                let Some(issue) = state.issues.iter_mut().find(|i| i.number == number) else {
                    return (404, vec![], json!({ "message": "Not Found" }));
                };
                let body = &request.body;
                if let Some(title) = body["title"].as_str() {
                    title.clone_into(&mut issue.title);
                }
                let text_key = if dialect == Dialect::GitLab { "description" } else { "body" };
                if let Some(text) = body[text_key].as_str() {
                    text.clone_into(&mut issue.body);
                }
                if let Some(due) = body["due_date"].as_str() {
                    issue.due_date = Some(due.to_owned());
                }
                if dialect == Dialect::GitLab {
                    if let Some(remove) = body["remove_labels"].as_str() {
                        issue.labels.retain(|label| !remove.split(',').any(|r| r.trim() == label));
                    }
                    if let Some(ids) = body["assignee_ids"].as_array() {
                        issue.assignees = ids
                            .iter()
                            .filter_map(Value::as_u64)
                            .filter_map(|id| USERS.iter().find(|(_, u)| *u == id).map(|(n, _)| (*n).to_owned()))
                            .collect();
                    }
                    match body["state_event"].as_str() {
                        Some("close") => {
                            issue.open = false;
                            issue.closed_at = Some("2026-12-07T08:00:00Z".to_owned());
                            issue.closed_by = Some("project_bot".to_owned());
                        }
                        Some("reopen") => {
                            issue.open = true;
                            issue.closed_at = None;
                            issue.closed_by = None;
                        }
                        _ => {}
                    }
                } else {
                    if body["assignees"].is_array() {
                        issue.assignees = strings(&body["assignees"]);
                    }
                    if let Some(state) = body["state"].as_str() {
                        issue.open = state == "open";
                        // Closed through the API: GitHub takes `completed` unless told.
                        issue.closed_at = (!issue.open).then(|| "2026-12-07T08:00:00Z".to_owned());
                        issue.state_reason =
                            (!issue.open).then(|| body["state_reason"].as_str().unwrap_or("completed").to_owned());
                        issue.closed_by = None;
                    }
                }
                let json = self.issue_json(issue, &labels);
                (200, vec![], json)
            }
            ("POST", ["merge_requests", iid, "notes"]) if self.dialect == Dialect::GitLab => {
                let iid: u64 = iid.parse().unwrap_or(0);
                let at = state.tick();
                let Some(merge_request) = state.merge_requests.iter_mut().find(|m| m.iid == iid) else {
                    return (404, vec![], json!({ "message": "404 Not found" }));
                };
                let id = merge_request.notes.len() + 1;
                let note = json!({ "id": id, "body": request.body["body"], "system": false, "author": { "username": "project_bot" }, "created_at": at });
                merge_request.notes.push(note.clone());
                (201, vec![], note)
            }
            ("PUT", ["merge_requests", iid, "notes", id]) if self.dialect == Dialect::GitLab => {
                let (iid, id): (u64, u64) = (iid.parse().unwrap_or(0), id.parse().unwrap_or(0));
                let Some(note) = state
                    .merge_requests
                    .iter_mut()
                    .find(|m| m.iid == iid)
                    .and_then(|m| m.notes.iter_mut().find(|n| n["id"] == id))
                else {
                    return (404, vec![], json!({ "message": "404 Not found" }));
                };
                note["body"] = request.body["body"].clone();
                (200, vec![], note.clone())
            }
            ("GET", ["issues", number, "comments" | "notes"]) => {
                let number: u64 = number.parse().unwrap_or(0);
                let Some(issue) = state.issues.iter().find(|i| i.number == number) else {
                    return (404, vec![], json!({ "message": "Not Found" }));
                };
                let comments: Vec<Value> =
                    issue.comments.iter().enumerate().map(|(i, body)| json!({ "id": i + 1, "body": body })).collect();
                (200, vec![], json!(comments))
            }
            ("POST", ["issues", number, "comments" | "notes"]) => {
                let number: u64 = number.parse().unwrap_or(0);
                let Some(issue) = state.issues.iter_mut().find(|i| i.number == number) else {
                    return (404, vec![], json!({ "message": "Not Found" }));
                };
                issue.comments.push(request.body["body"].as_str().unwrap_or("").to_owned());
                (201, vec![], json!({ "id": issue.comments.len() }))
            }
            ("GET", ["labels"]) if self.dialect == Dialect::Gitea => {
                let labels: Vec<Value> =
                    state.labels.iter().map(|(id, name)| json!({ "id": id, "name": name })).collect();
                (200, vec![], json!(labels))
            }
            ("POST", ["labels"]) if self.dialect == Dialect::Gitea => {
                let name = request.body["name"].as_str().unwrap_or("").to_owned();
                let id = 100 + state.labels.len() as u64;
                state.labels.push((id, name.clone()));
                (201, vec![], json!({ "id": id, "name": name }))
            }
            _ => (404, vec![], json!({ "message": "Not Found" })),
        }
    }
}

fn reset(stream: TcpStream) {
    // An RST rather than an orderly close: what a proxy or load balancer dropping a request does.
    let _ = socket_linger_zero(&stream);
    drop(stream);
}

fn socket_linger_zero(stream: &TcpStream) -> std::io::Result<()> {
    socket2::SockRef::from(stream).set_linger(Some(std::time::Duration::ZERO))
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
