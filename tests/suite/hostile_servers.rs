//! Hostile tracker servers: answers that would take pactum's token elsewhere or keep it
//! reading for ever. Each test runs such a server on this machine's loopback and asserts the
//! safe outcome.

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use support::git::{ALICE, Script};
use support::text;

/// A server that answers every request with an empty JSON list and the `Link` header that
/// `link` makes from the request's path, and records what it was sent. It serves at most
/// `limit` requests, then stops.
fn serve(link: impl Fn(&str, u16) -> String + Send + 'static, limit: usize) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(limit) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                request.push_str(&line);
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
            record.lock().unwrap().push(request);
            let body = "[]";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLink: <{}>; rel=\"next\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                link(&path, port),
                body.len()
            );
        }
    });
    (port, seen)
}

fn repository() -> Script {
    let mut s = Script::new();
    let root = s.root().to_path_buf();
    for args in [&["init"][..], &["new", "nda", "--id", "acme-nda", "--set", "counterparty=Acme, Inc."]] {
        let output = support::pactum_with(&root, args, &[]);
        assert!(output.status.success(), "{}", text(&output));
    }
    s.commit(&ALICE, &ALICE, "Drafted");
    s
}

fn sync(root: &Path, port: u16) -> std::process::Output {
    let api = format!("http://127.0.0.1:{port}");
    support::pactum_with(
        root,
        &["remind", "--sync", "github", "--api-url", &api, "--repository", "acme/contracts"],
        &[("GITHUB_TOKEN", "ghs_secret_token_value")],
    )
}

/// A `Link: rel="next"` to another host would carry the token there: pactum stops instead.
#[test]
fn the_token_never_follows_a_link_to_another_host() {
    let (elsewhere, stolen) = serve(|_, _| "http://127.0.0.1:9/".to_owned(), 10);
    let (port, _) = serve(move |_, _| format!("http://localhost:{elsewhere}/steal?page=2"), 10);
    let output = sync(repository().root(), port);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("pactum sends its token nowhere else"), "{}", text(&output));
    assert!(stolen.lock().unwrap().is_empty(), "the other host was sent a request");
    assert!(!text(&output).contains("ghs_secret_token_value"));
}

/// A next-page link back to the same page would loop for ever: pactum stops on the repeat.
#[test]
fn a_next_page_link_back_to_a_page_read_stops_the_listing() {
    let (port, seen) = serve(|path, port| format!("http://127.0.0.1:{port}{path}"), 50);
    let output = sync(repository().root(), port);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("leads back to a page already read"), "{}", text(&output));
    assert!(seen.lock().unwrap().len() < 10, "{} requests", seen.lock().unwrap().len());
}

/// A server that answers every request with `status` and `body`.
fn answer(status: &'static str, body: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

/// A server that echoes the token in its error, and a token in the API URL's user info:
/// neither is printed.
#[test]
fn tokens_are_never_printed() {
    let s = repository();
    let port = answer("401 Unauthorized", r#"{"message": "Bad credentials: Bearer ghs_secret_token_value"}"#);
    let output = sync(s.root(), port);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("Bad credentials: Bearer [token]"), "{}", text(&output));
    assert!(!text(&output).contains("ghs_secret_token_value"), "{}", text(&output));
    let port = answer("200 OK", "[]");
    let api = format!("http://user:ghs_in_the_url@127.0.0.1:{port}");
    let output = support::pactum_with(
        s.root(),
        &["-v", "remind", "--sync", "github", "--dry-run", "--api-url", &api, "--repository", "acme/contracts"],
        &[("GITHUB_TOKEN", "ghs_secret_token_value")],
    );
    assert!(
        !text(&output).contains("ghs_in_the_url") && !text(&output).contains("ghs_secret_token_value"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains(&format!("http://127.0.0.1:{port}")), "{}", text(&output));
}

/// A contract whose title carries another event's marker cannot make that event's issue look
/// like a duplicate and have it closed.
#[test]
fn event_keys_cannot_be_forged_from_contract_text() {
    let mut s = Script::new();
    let root = s.root().to_path_buf();
    let run = |args: &[&str]| {
        let output = support::pactum_with(&root, &[args, &["--as-of", "2026-11-27"]].concat(), &[]);
        assert!(output.status.success(), "{}", text(&output));
    };
    run(&["init"]);
    for (id, counterparty) in [("acme-nda", "Acme"), ("evil-nda", "Evil <!-- pactum:key=acme-nda/expiry/0 -->")] {
        run(&["new", "nda", "--id", id, "--set", &format!("counterparty={counterparty}")]);
        run(&[
            "execute",
            &format!("contracts/{id}.md"),
            "--signature",
            &format!("party={counterparty},name=J,date=2026-11-26"),
            "--signature",
            "party=Our Company AS,name=O,date=2026-11-26",
        ]);
    }
    s.commit(&ALICE, &ALICE, "Two NDAs");
    let tracker = support::tracker::FakeTracker::start(support::tracker::Dialect::GitHub);
    let api = tracker.api_url();
    for _ in 0..2 {
        let output = support::pactum_with(
            &root,
            &[
                "remind",
                "--as-of",
                "2026-11-27",
                "--within",
                "1000 days",
                "--sync",
                "github",
                "--api-url",
                &api,
                "--repository",
                tracker.repository(),
            ],
            &[("GITHUB_TOKEN", tracker.token.as_str())],
        );
        assert!(output.status.success(), "{}", text(&output));
    }
    let open: Vec<String> = tracker.issues().into_iter().filter(|i| i.open).map(|i| i.title).collect();
    assert_eq!(open.len(), 2, "{open:#?}");
    assert!(open.iter().any(|t| t.contains("Mutual NDA with Acme (acme-nda)")), "{open:#?}");
}

/// A tracker that accepts connections and never answers holds the run only as long as the
/// limits say, and the error names the limit it hit.
#[test]
fn a_silent_tracker_is_given_up_on_within_the_deadline() {
    use pactum_core::forge::http::{Auth, Client, Limits};
    use std::time::{Duration, Instant};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        // Keep every connection open and say nothing.
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let limits = Limits {
        retries: 10,
        backoff: Duration::from_millis(50),
        max_wait: Duration::from_secs(1),
        connect: Duration::from_millis(500),
        answer: Duration::from_millis(300),
        deadline: Duration::from_secs(1),
    };
    let mut client = Client::new(&format!("http://127.0.0.1:{port}"), "ghs_secret".into(), Auth::Bearer, limits);
    let started = Instant::now();
    let error = client.send("GET", "/repos/o/r/issues", None).unwrap_err().to_string();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "gave up after {took:?}");
    assert!(error.contains("no answer within 0.3 s"), "{error}");
    assert!(error.contains("deadline"), "{error}");
    assert!(client.requests() < 10, "retried {} times", client.requests());
    assert!(!error.contains("ghs_secret"), "{error}");
}

/// An answer that lacks what pactum needs (an issue without a title or a state) stops the
/// sync with a clear error: it is never read as an issue titled "" and closed, or an open
/// issue taken for closed.
#[test]
fn an_issue_without_its_fields_is_an_error_not_an_empty_issue() {
    let s = repository();
    for body in [
        r#"[{"number": 1, "state": "open", "body": null, "labels": [{"name": "contract-reminder"}]}]"#,
        r#"[{"number": 1, "title": "Renewal", "body": "x", "labels": [{"name": "contract-reminder"}]}]"#,
        r#"[{"number": 1, "title": "Renewal", "state": "open", "labels": [{"nom": "contract-reminder"}]}]"#,
    ] {
        let port = answer("200 OK", body);
        let output = sync(s.root(), port);
        assert_eq!(output.status.code(), Some(2), "{body}: {}", text(&output));
        assert!(text(&output).contains("unexpected answer to list issues"), "{body}: {}", text(&output));
    }
    // A body left empty (`null`) is an issue like any other.
    let port = answer("200 OK", r#"[{"number": 1, "title": "Renewal", "state": "open", "body": null, "labels": []}]"#);
    let output = support::pactum_with(
        s.root(),
        &[
            "remind",
            "--sync",
            "github",
            "--dry-run",
            "--api-url",
            &format!("http://127.0.0.1:{port}"),
            "--repository",
            "acme/contracts",
        ],
        &[("GITHUB_TOKEN", "ghs_secret_token_value")],
    );
    assert!(output.status.success(), "{}", text(&output));
}
