//! An editor's side of the Language Server Protocol, as the tests drive `pactum lsp`: the
//! server is the real binary, spoken to over its standard input and output with the protocol's
//! framing (`Content-Length` headers, JSON-RPC bodies).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long an answer may take before the test fails: the server answers in milliseconds, a
/// busy machine running the suite in parallel in rather more.
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Client {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else, in order.
    pub notifications: Vec<Value>,
    next_id: i64,
}

/// Read framed messages from the server until its output ends.
fn read_framed(output: impl Read, to: &std::sync::mpsc::Sender<Value>) {
    let mut output = BufReader::new(output);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if output.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("every message has a Content-Length")];
        if output.read_exact(&mut body).is_err() {
            return;
        }
        let message: Value = serde_json::from_slice(&body).expect("the server writes JSON");
        if to.send(message).is_err() {
            return;
        }
    }
}

impl Client {
    /// Start `pactum lsp` in `dir`.
    pub fn start(dir: &Path) -> Self {
        Self::spawn(super::command(dir, &["lsp"]))
    }

    /// Start the server `command` runs.
    pub fn spawn(mut command: std::process::Command) -> Self {
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let input = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        let (to, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || read_framed(output, &to));
        Self { child, input, messages, notifications: Vec::new(), next_id: 0 }
    }

    /// Start the server and go through `initialize` and `initialized`; the server's answer.
    pub fn initialized(dir: &Path) -> (Self, Value) {
        let mut client = Self::start(dir);
        let answer = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        client.notify("initialized", json!({}));
        (client, answer)
    }

    /// Send bytes as they are: for messages that are not what the protocol allows.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).unwrap();
        self.input.flush().unwrap();
    }

    /// Send one message body with its header.
    pub fn send_body(&mut self, body: &[u8]) {
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        self.send_raw(&framed);
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        self.send_body(&body);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// Send a request; its whole answer (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        self.wait(|message| message.get("id") == Some(&json!(id)) && message.get("method").is_none())
    }

    /// The result of a request that must succeed.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params);
        assert!(answer.get("error").is_none(), "{method} failed: {answer}");
        answer["result"].clone()
    }

    /// The next message `wanted` accepts; notifications passed on the way are kept.
    pub fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => {
                    if message.get("id").is_none() {
                        self.notifications.push(message);
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!("no answer from the server in {PATIENCE:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server stopped"),
            }
        }
    }

    /// The findings published for `uri` at `version` (or later).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let kept = self.notifications.iter().rposition(|m| is_diagnostics_of(m, uri, version));
        if let Some(at) = kept {
            return self.notifications.remove(at)["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let message = self.wait(|m| is_diagnostics_of(m, uri, version));
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        let params = json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } });
        self.notify("textDocument/didOpen", params);
    }

    /// Replace the text between two positions, as an editor sends a keystroke.
    pub fn edit(&mut self, uri: &str, version: i64, range: Value, text: &str) {
        let mut change = json!({ "text": text });
        change["range"] = range;
        let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] });
        self.notify("textDocument/didChange", params);
    }

    /// `shutdown` then `exit`; the server's exit status.
    pub fn finish(mut self) -> Option<i32> {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        self.exit_status()
    }

    /// Wait for the server to end by itself.
    pub fn exit_status(mut self) -> Option<i32> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

fn is_diagnostics_of(message: &Value, uri: &str, version: i64) -> bool {
    message["method"] == "textDocument/publishDiagnostics"
        && message["params"]["uri"] == uri
        && message["params"]["version"].as_i64().is_some_and(|v| v >= version)
}

/// A document position: 0-based line and UTF-16 column, of byte `offset` of `text`.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |nl| nl + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

/// The byte offset of an LSP position in `text`.
pub fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start = text.split_inclusive('\n').take(line).map(str::len).sum::<usize>();
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The `file:` URI of a path.
pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
