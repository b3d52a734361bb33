//! `pactum lsp`: a language server for contracts over standard input and output.
//!
//! The editor sends the text it holds; the server answers from the library as `check` would,
//! with the unsaved text standing for the file on disk: findings as the text is edited, hover,
//! definition, references, completion, rename, the outline and the one fix of a finding.
//!
//! Messages are framed and parsed by `lsp-server` (the scaffold rust-analyzer runs on) and typed
//! by `lsp-types`. A reader thread hands each message over as it arrives; the main thread
//! answers in order and, once no message is waiting, checks each document that changed, so a
//! burst of keystrokes is checked once. A message that cannot be read is said in the editor's
//! log and passed over: nothing the client sends stops the server but `exit`.

mod text;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};

use anyhow::Result;
use clap::Args;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use pactum_core::contract::{Contract, FrontMatterRule};
use pactum_core::editor;
use pactum_core::findings::{Diagnostic, Severity};
use pactum_core::repo::{FileRef, Repo};
use pactum_core::schema::SchemaSet;
use pactum_core::workspace::Workspace;
use serde_json::{Value, json};

use self::text::{Encoding, Lines, path_of};
use super::{GlobalArgs, Outcome};

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Speak over standard input and output (the only transport, and the default; accepted
    /// because editors pass it)
    #[arg(long)]
    stdio: bool,
}

/// An answer to a request, or the error to answer with.
type Answer<R> = std::result::Result<R, (ErrorCode, String)>;

/// What the reader thread hands over: a message, or why one could not be read.
type Incoming = std::result::Result<Message, String>;

/// Read messages from `input` until it ends or `exit` arrives. A message that is no JSON-RPC
/// (bad JSON, a bad header, a body that is not UTF-8) was read whole by the framing, so the
/// next one starts cleanly: it is reported and reading goes on.
fn read_messages(mut input: impl BufRead, to: &Sender<Incoming>) {
    loop {
        match Message::read(&mut input) {
            Ok(Some(message)) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if to.send(Ok(message)).is_err() || exit {
                    return;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
                if to.send(Err(error.to_string())).is_err() {
                    return;
                }
            }
            // The end of input, or input that cannot be read at all.
            Ok(None) | Err(_) => return,
        }
    }
}

/// A document the editor has open.
struct Document {
    uri: lsp::Uri,
    /// The file it stands for; none for an unsaved buffer.
    path: Option<PathBuf>,
    text: String,
    version: i32,
    /// The contract as read from `text`, read on first use after each change.
    parsed: Option<Arc<Contract>>,
    /// The contract as opened or last saved: what a renumbering is measured from.
    baseline: Option<Arc<Contract>>,
    /// Whether its findings are due.
    dirty: bool,
}

/// A repository documents are in: opened once, with its schemas compiled once, until the files
/// they were read from change.
struct Project {
    repo: Repo,
    schemas: Arc<SchemaSet>,
    read_from: Settings,
    /// Whether a check kept what it learned of the repository's files (`.git/pactum/facts`),
    /// so that the next read them from there. Done once: later checks differ only by the
    /// buffer, whose facts are worth nothing once it changes.
    warmed: std::sync::atomic::AtomicBool,
}

/// The files a project's settings come from (`pactum.toml`, the schemas) and when each was
/// last modified: a branch checked out or a file edited outside the editor changes it.
type Settings = Vec<(PathBuf, Option<std::time::SystemTime>)>;

fn settings_of(repo: &Repo) -> Settings {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut files = vec![repo.root.join("pactum.toml")];
    if let Ok(entries) = std::fs::read_dir(repo.schemas_dir()) {
        let mut schemas: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        schemas.sort();
        files.extend(schemas);
    }
    files
        .into_iter()
        .map(|path| {
            let when = modified(&path);
            (path, when)
        })
        .collect()
}

struct Server<'g> {
    global: &'g GlobalArgs,
    out: std::io::StdoutLock<'static>,
    encoding: Encoding,
    documents: HashMap<String, Document>,
    /// Repositories by root; `None` for a folder that is in none.
    projects: HashMap<PathBuf, Option<Arc<Project>>>,
    builtin: Option<Arc<SchemaSet>>,
    /// Where unsaved text is kept for a check, which reads files.
    scratch: tempfile::TempDir,
    initialized: bool,
    shut_down: bool,
    /// The last repository error said in the log, not said again.
    said: Option<String>,
}

pub fn run(global: &GlobalArgs, _args: &LspArgs) -> Result<Outcome> {
    let (to, from) = std::sync::mpsc::channel::<Incoming>();
    std::thread::Builder::new()
        .name("lsp-reader".to_owned())
        .spawn(move || read_messages(std::io::stdin().lock(), &to))?;
    let mut server = Server {
        global,
        out: std::io::stdout().lock(),
        encoding: Encoding::Utf16,
        documents: HashMap::new(),
        projects: HashMap::new(),
        builtin: None,
        scratch: tempfile::Builder::new().prefix("pactum-lsp").tempdir()?,
        initialized: false,
        shut_down: false,
        said: None,
    };
    let clean = server.serve(&from);
    // The exit status the protocol asks for: 0 after `shutdown`, 1 otherwise.
    if clean { Ok(Outcome::Clean) } else { Ok(Outcome::Findings) }
}

impl Server<'_> {
    /// Answer messages until `exit` or the end of input; whether `shutdown` came first.
    fn serve(&mut self, from: &Receiver<Incoming>) -> bool {
        loop {
            // Wait for a message; once none is waiting, check what changed.
            let next = match from.recv_timeout(std::time::Duration::from_millis(0)) {
                Ok(next) => next,
                Err(RecvTimeoutError::Timeout) => {
                    self.publish_due();
                    match from.recv() {
                        Ok(next) => next,
                        Err(_) => return self.shut_down,
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return self.shut_down,
            };
            match next {
                Ok(Message::Request(request)) => self.request(request),
                Ok(Message::Notification(notification)) => {
                    if notification.method == "exit" {
                        return self.shut_down;
                    }
                    self.notification(notification);
                }
                // Answers to requests the server never sends.
                Ok(Message::Response(_)) => {}
                Err(why) => self.log(lsp::MessageType::ERROR, &format!("a message could not be read: {why}")),
            }
        }
    }

    fn send(&mut self, message: &Message) {
        // An editor that went away reads nothing more; the server ends when its input does.
        let _ = message.write(&mut self.out);
        let _ = self.out.flush();
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        let params = serde_json::to_value(params).unwrap_or(Value::Null);
        self.send(&Message::Notification(Notification { method: method.to_owned(), params }));
    }

    fn log(&mut self, kind: lsp::MessageType, message: &str) {
        self.notify("window/logMessage", lsp::LogMessageParams { typ: kind, message: format!("pactum: {message}") });
    }

    fn reply(&mut self, id: RequestId, result: Answer<Value>) {
        let response = match result {
            Ok(value) => Response { id, response_result: Ok(value) },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(&Message::Response(response));
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if method == "initialize" {
            let answer = self.initialize(&params);
            return self.reply(id, Ok(answer));
        }
        if !self.initialized {
            return self.reply(id, Err((ErrorCode::ServerNotInitialized, "initialize first".to_owned())));
        }
        if self.shut_down {
            return self.reply(id, Err((ErrorCode::InvalidRequest, "the server is shut down: send exit".to_owned())));
        }
        let answer = match method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => self.typed(params, Self::hover),
            "textDocument/definition" => self.typed(params, Self::definition),
            "textDocument/references" => self.typed(params, Self::references),
            "textDocument/completion" => self.typed(params, Self::completion),
            "textDocument/prepareRename" => self.typed(params, Self::prepare_rename),
            "textDocument/rename" => self.typed(params, Self::rename),
            "textDocument/documentSymbol" => self.typed(params, Self::symbols),
            "textDocument/codeAction" => self.typed(params, Self::code_actions),
            _ => Err((ErrorCode::MethodNotFound, format!("pactum does not answer {method}"))),
        };
        self.reply(id, answer);
    }

    /// Run a handler on its parameters as typed; parameters of the wrong shape are an error
    /// answer, never a stop.
    fn typed<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &mut self,
        params: Value,
        handler: fn(&mut Self, P) -> Answer<R>,
    ) -> Answer<Value> {
        let params: P = serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let result = handler(self, params)?;
        serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn initialize(&mut self, params: &Value) -> Value {
        self.initialized = true;
        let offered: Vec<String> = params
            .pointer("/capabilities/general/positionEncodings")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        self.encoding = if offered.iter().any(|e| e == "utf-8") { Encoding::Utf8 } else { Encoding::Utf16 };
        json!({
            "capabilities": {
                "positionEncoding": if self.encoding == Encoding::Utf8 { "utf-8" } else { "utf-16" },
                "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
                "hoverProvider": true,
                "definitionProvider": true,
                "referencesProvider": true,
                "completionProvider": { "triggerCharacters": [" ", "\"", "{", "§", "="] },
                "renameProvider": { "prepareProvider": true },
                "documentSymbolProvider": true,
                "codeActionProvider": { "codeActionKinds": ["quickfix"] },
            },
            "serverInfo": { "name": "pactum", "version": env!("CARGO_PKG_VERSION") },
        })
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        let result = match method.as_str() {
            "textDocument/didOpen" => serde_json::from_value(params).map(|p| self.opened(p)),
            "textDocument/didChange" => serde_json::from_value(params).map(|p| self.changed(p)),
            "textDocument/didSave" => serde_json::from_value(params).map(|p| self.saved(&p)),
            "textDocument/didClose" => serde_json::from_value(params).map(|p| self.closed(&p)),
            // Everything else (`initialized`, `$/cancelRequest`, settings) needs nothing.
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.log(lsp::MessageType::ERROR, &format!("{method}: {error}"));
        }
    }

    fn opened(&mut self, params: lsp::DidOpenTextDocumentParams) {
        let document = params.text_document;
        let path = path_of(&document.uri);
        let mut opened = Document {
            uri: document.uri.clone(),
            path,
            text: document.text,
            version: document.version,
            parsed: None,
            baseline: None,
            dirty: true,
        };
        opened.baseline = Some(parse(&mut opened));
        self.documents.insert(document.uri.as_str().to_owned(), opened);
    }

    fn changed(&mut self, params: lsp::DidChangeTextDocumentParams) {
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(params.text_document.uri.as_str()) else { return };
        for change in params.content_changes {
            text::apply(&mut document.text, change.range, &change.text, encoding);
        }
        document.version = params.text_document.version;
        document.parsed = None;
        document.dirty = true;
    }

    fn saved(&mut self, params: &lsp::DidSaveTextDocumentParams) {
        let Some(document) = self.documents.get_mut(params.text_document.uri.as_str()) else { return };
        document.baseline = Some(parse(document));
        // A saved contract may change what the others' repository rules find. (A saved
        // `pactum.toml` or schema is read again by `project`, which sees it changed on disk.)
        if document.path.is_some() {
            for other in self.documents.values_mut() {
                other.dirty = true;
            }
        }
    }

    fn closed(&mut self, params: &lsp::DidCloseTextDocumentParams) {
        if let Some(document) = self.documents.remove(params.text_document.uri.as_str()) {
            // Its findings go with it.
            self.notify(
                "textDocument/publishDiagnostics",
                lsp::PublishDiagnosticsParams { uri: document.uri, diagnostics: Vec::new(), version: None },
            );
        }
    }

    /// The repository a file is in (`--repo`, else found from the file's folder), opened once.
    fn project(&mut self, path: Option<&Path>) -> Option<Arc<Project>> {
        let folder = match &self.global.repo {
            Some(dir) => dir.clone(),
            None => path?.parent()?.to_path_buf(),
        };
        match self.projects.get(&folder) {
            Some(Some(known)) if settings_of(&known.repo) == known.read_from => return Some(known.clone()),
            Some(None) => return None,
            // Read again: its settings changed on disk.
            Some(Some(_)) | None => {}
        }
        // A repository whose settings cannot be read is tried again on the next check, so that
        // the mended file is read; what is wrong is said once.
        let found = match &self.global.repo {
            Some(dir) => Repo::open(dir).map(Some),
            None => Repo::discover(&folder),
        };
        let project = match found {
            Ok(Some(repo)) => match SchemaSet::load(Some(&repo.schemas_dir())) {
                Ok(schemas) => {
                    let read_from = settings_of(&repo);
                    Arc::new(Project { repo, schemas: Arc::new(schemas), read_from, warmed: false.into() })
                }
                Err(error) => return self.unreadable(format!("the schemas of {}: {error}", folder.display())),
            },
            Ok(None) => {
                self.projects.insert(folder, None);
                return None;
            }
            Err(error) => return self.unreadable(format!("{}: {error}", folder.display())),
        };
        self.said = None;
        self.projects.insert(folder, Some(project.clone()));
        Some(project)
    }

    /// Say once why a repository cannot be read; the document is then read as outside one.
    fn unreadable(&mut self, why: String) -> Option<Arc<Project>> {
        if self.said.as_ref() != Some(&why) {
            self.log(
                lsp::MessageType::ERROR,
                &format!("{why}; checked with the built-in schemas and rules until it reads"),
            );
            self.said = Some(why);
        }
        None
    }

    /// The schemas a document is read against: its repository's, else the built-in ones.
    fn schemas(&mut self, project: Option<&Project>) -> Option<Arc<SchemaSet>> {
        if let Some(project) = project {
            return Some(project.schemas.clone());
        }
        if self.builtin.is_none() {
            self.builtin = SchemaSet::load(None).ok().map(Arc::new);
        }
        self.builtin.clone()
    }

    /// Check every document that changed since its findings were published.
    fn publish_due(&mut self) {
        let due: Vec<String> = self.documents.iter().filter(|(_, d)| d.dirty).map(|(uri, _)| uri.clone()).collect();
        for uri in due {
            let diagnostics = self.diagnose(&uri);
            let Some(document) = self.documents.get_mut(&uri) else { continue };
            document.dirty = false;
            let lines = Lines::new(&document.text, self.encoding);
            let diagnostics = diagnostics.iter().map(|d| to_lsp(d, &lines)).collect();
            let params = lsp::PublishDiagnosticsParams {
                uri: document.uri.clone(),
                diagnostics,
                version: Some(document.version),
            };
            self.notify("textDocument/publishDiagnostics", params);
        }
    }

    /// The findings of `check` on a document, with its unsaved text standing for the file.
    fn diagnose(&mut self, uri: &str) -> Vec<Diagnostic> {
        let Some(document) = self.documents.get(uri) else { return Vec::new() };
        let path = document.path.clone();
        let text = document.text.clone();
        let project = self.project(path.as_deref());
        let scratch = self.scratch.path().join(format!("{}.md", std::process::id()));
        if let Err(error) = std::fs::write(&scratch, &text) {
            self.log(lsp::MessageType::ERROR, &format!("keeping the text to check: {error}"));
            return Vec::new();
        }
        let today = self.global.today();
        let found = match &project {
            Some(project) => check_in(project, path.as_deref(), &text, &scratch, today),
            None => check_alone(path.as_deref(), &text, &scratch),
        };
        match found {
            Ok(found) => found,
            Err(error) => {
                self.log(lsp::MessageType::ERROR, &format!("{error:#}"));
                Vec::new()
            }
        }
    }

    /// A document's contract as read, and what the editor needs to answer about it.
    fn context(&mut self, uri: &lsp::Uri) -> Answer<Open> {
        let document = self.documents.get_mut(uri.as_str()).ok_or_else(|| {
            (ErrorCode::InvalidParams, format!("{} is not open: send textDocument/didOpen first", uri.as_str()))
        })?;
        let contract = parse(document);
        let path = document.path.clone();
        let baseline = document.baseline.clone();
        let project = self.project(path.as_deref());
        let schemas = self.schemas(project.as_deref()).ok_or((ErrorCode::InternalError, "no schemas".to_owned()))?;
        let shown = match (&project, &path) {
            (Some(project), Some(path)) => pactum_core::repo::shown_relative(&project.repo.root, path),
            _ => String::new(),
        };
        Ok(Open { contract, baseline, project, schemas, shown, encoding: self.encoding })
    }

    fn hover(&mut self, params: lsp::HoverParams) -> Answer<Option<lsp::Hover>> {
        let at = params.text_document_position_params;
        let open = self.context(&at.text_document.uri)?;
        let lines = open.lines();
        let offset = lines.offset(at.position);
        let default = pactum_core::repo::Config::default();
        let settings = open.project.as_ref().map_or(&default.settings, |p| &p.repo.config.settings);
        let context = editor::Context { schemas: &open.schemas, settings, today: self.global.today() };
        Ok(editor::hover(&open.contract, offset, &context).map(|hover| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: hover.markdown,
            }),
            range: Some(lines.range(&hover.span)),
        }))
    }

    fn definition(&mut self, params: lsp::GotoDefinitionParams) -> Answer<Option<lsp::GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let open = self.context(&at.text_document.uri)?;
        let lines = open.lines();
        Ok(editor::definition(&open.contract, lines.offset(at.position)).map(|span| {
            lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(at.text_document.uri.clone(), lines.range(&span)))
        }))
    }

    fn references(&mut self, params: lsp::ReferenceParams) -> Answer<Vec<lsp::Location>> {
        let at = params.text_document_position;
        let open = self.context(&at.text_document.uri)?;
        let lines = open.lines();
        let found = editor::references(&open.contract, lines.offset(at.position), params.context.include_declaration);
        Ok(found.iter().map(|span| lsp::Location::new(at.text_document.uri.clone(), lines.range(span))).collect())
    }

    fn completion(&mut self, params: lsp::CompletionParams) -> Answer<Option<lsp::CompletionResponse>> {
        let at = params.text_document_position;
        let open = self.context(&at.text_document.uri)?;
        let lines = open.lines();
        let offset = lines.offset(at.position);
        let offered = if pactum_core::lint::drafting::is_material(&open.shown) && open.shown.starts_with("templates/") {
            editor::template_completions(&open.contract.text, offset)
        } else {
            editor::completions(&open.contract, offset, &open.schemas)
        };
        let items = offered
            .into_iter()
            .map(|completion| lsp::CompletionItem {
                label: completion.label.clone(),
                kind: Some(match completion.kind {
                    editor::CompletionKind::Clause => lsp::CompletionItemKind::REFERENCE,
                    editor::CompletionKind::Term => lsp::CompletionItemKind::CONSTANT,
                    editor::CompletionKind::Field => lsp::CompletionItemKind::PROPERTY,
                    editor::CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
                    editor::CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
                }),
                detail: completion.detail,
                documentation: completion.documentation.map(|value| {
                    lsp::Documentation::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value })
                }),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                    lines.range(&completion.replace),
                    completion.insert,
                ))),
                ..lsp::CompletionItem::default()
            })
            .collect();
        Ok(Some(lsp::CompletionResponse::List(lsp::CompletionList { is_incomplete: false, items })))
    }

    fn prepare_rename(
        &mut self,
        lsp::TextDocumentPositionParams { text_document, position }: lsp::TextDocumentPositionParams,
    ) -> Answer<Option<lsp::PrepareRenameResponse>> {
        let open = self.context(&text_document.uri)?;
        let lines = open.lines();
        Ok(editor::rename_span(&open.contract, lines.offset(position)).map(|span| {
            lsp::PrepareRenameResponse::RangeWithPlaceholder {
                range: lines.range(&span),
                placeholder: open.contract.text[span].to_owned(),
            }
        }))
    }

    fn rename(&mut self, params: lsp::RenameParams) -> Answer<Option<lsp::WorkspaceEdit>> {
        let at = params.text_document_position;
        let open = self.context(&at.text_document.uri)?;
        let lines = open.lines();
        let edits = editor::rename(&open.contract, lines.offset(at.position), &params.new_name)
            .map_err(|why| (ErrorCode::RequestFailed, why.to_string()))?;
        Ok(Some(workspace_edit(&at.text_document.uri, &lines, &edits)))
    }

    fn symbols(
        &mut self,
        lsp::DocumentSymbolParams { text_document, .. }: lsp::DocumentSymbolParams,
    ) -> Answer<Option<lsp::DocumentSymbolResponse>> {
        let open = self.context(&text_document.uri)?;
        let lines = open.lines();
        let symbols = editor::symbols(&open.contract).iter().map(|symbol| to_symbol(symbol, &lines)).collect();
        Ok(Some(lsp::DocumentSymbolResponse::Nested(symbols)))
    }

    fn code_actions(
        &mut self,
        lsp::CodeActionParams { text_document, range, context, .. }: lsp::CodeActionParams,
    ) -> Answer<Option<lsp::CodeActionResponse>> {
        let open = self.context(&text_document.uri)?;
        let lines = open.lines();
        let wanted = lines.span(range);
        let touches = |span: &std::ops::Range<usize>| span.start <= wanted.end && wanted.start <= span.end;
        let mut fixes = editor::fixes(&open.contract, &open.schemas);
        if let Some(baseline) = &open.baseline {
            fixes.extend(editor::renumbered(baseline, &open.contract));
        }
        let uri = &text_document.uri;
        let actions = fixes
            .into_iter()
            .filter(|fix| fix.at.iter().any(touches))
            .map(|fix| {
                // The findings of the editor's list this fixes: same rule, same place.
                let fixed: Vec<lsp::Diagnostic> = context
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        let code = d.code.as_ref().map(|c| match c {
                            lsp::NumberOrString::String(s) => s.clone(),
                            lsp::NumberOrString::Number(n) => n.to_string(),
                        });
                        code.as_deref() == fix.code && fix.at.iter().any(|at| lines.span(d.range).start == at.start)
                    })
                    .cloned()
                    .collect();
                lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: fix.title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: (!fixed.is_empty()).then_some(fixed),
                    edit: Some(workspace_edit(uri, &lines, &fix.edits)),
                    is_preferred: Some(fix.code.is_some()),
                    ..lsp::CodeAction::default()
                })
            })
            .collect();
        Ok(Some(actions))
    }
}

/// An open document as a request sees it.
struct Open {
    contract: Arc<Contract>,
    baseline: Option<Arc<Contract>>,
    project: Option<Arc<Project>>,
    schemas: Arc<SchemaSet>,
    /// Its path relative to its repository; empty outside one.
    shown: String,
    encoding: Encoding,
}

impl Open {
    /// The document's lines: its text is the contract's, read from it as the editor sent it.
    fn lines(&self) -> Lines<'_> {
        Lines::new(&self.contract.text, self.encoding)
    }
}

/// The document's contract, read once per version.
fn parse(document: &mut Document) -> Arc<Contract> {
    if let Some(parsed) = &document.parsed {
        return parsed.clone();
    }
    let shown = document.path.as_deref().map_or_else(|| document.uri.as_str().to_owned(), |p| p.display().to_string());
    let contract = Arc::new(Contract::read(&shown, document.text.clone(), FrontMatterRule::Optional, &mut Vec::new()));
    document.parsed = Some(contract.clone());
    contract
}

/// What the editor checks: a contract of the repository (under its contracts folder), a
/// template or library clause (as saved: they are drafted from the files), and outside the
/// contracts folder a Markdown file that starts with front matter; not a README.
fn check_in(
    project: &Project,
    path: Option<&Path>,
    text: &str,
    scratch: &Path,
    today: chrono::NaiveDate,
) -> Result<Vec<Diagnostic>> {
    let repo = &project.repo;
    let shown = match path {
        Some(path) => pactum_core::repo::shown_relative(&repo.root, path),
        None => return check_alone(None, text, scratch),
    };
    let material = pactum_core::lint::drafting::is_material(&shown);
    let mut files = if material { Vec::new() } else { repo.contract_files_if_any()? };
    let listed = files.iter().position(|f| f.shown == shown);
    if !material && listed.is_none() && !text.starts_with("+++") {
        return Ok(Vec::new());
    }
    let unsaved = FileRef { path: scratch.to_path_buf(), shown: shown.clone(), not_read: None };
    match listed {
        Some(at) => files[at] = unsaved,
        None if !material => files.push(unsaved),
        None => {}
    }
    let only = std::collections::HashSet::from([shown.clone()]);
    let mut workspace = Workspace::of(repo).with_schemas(project.schemas.clone());
    if project.warmed.swap(true, std::sync::atomic::Ordering::Relaxed) {
        workspace = workspace.reading_facts_only();
    }
    let checked = workspace.check(&files, Some(&only), today)?;
    Ok(checked.report.diagnostics.into_iter().filter(|d| d.path == shown).collect())
}

/// A file in no repository: the built-in schemas and rules, as `pactum check FILE` outside one.
fn check_alone(path: Option<&Path>, text: &str, scratch: &Path) -> Result<Vec<Diagnostic>> {
    if !text.starts_with("+++") {
        return Ok(Vec::new());
    }
    let shown = path.map_or_else(|| "untitled.md".to_owned(), |p| p.display().to_string());
    let file = FileRef { path: scratch.to_path_buf(), shown, not_read: None };
    Ok(pactum_core::lint::run::check_loose(&[file])?.diagnostics)
}

fn to_lsp(diagnostic: &Diagnostic, lines: &Lines<'_>) -> lsp::Diagnostic {
    let location = diagnostic.location;
    let start = lines.at_location(location.line, location.column);
    let end = lines.at_location(location.end_line, location.end_column);
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp::Diagnostic {
        range: lsp::Range::new(start, end),
        severity: Some(match diagnostic.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(diagnostic.code.to_owned())),
        source: Some("pactum".to_owned()),
        message,
        ..lsp::Diagnostic::default()
    }
}

fn workspace_edit(uri: &lsp::Uri, lines: &Lines<'_>, edits: &[editor::Edit]) -> lsp::WorkspaceEdit {
    let edits = edits.iter().map(|edit| lsp::TextEdit::new(lines.range(&edit.span), edit.text.clone())).collect();
    lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..lsp::WorkspaceEdit::default() }
}

#[allow(deprecated)] // `deprecated` is a field every DocumentSymbol must still be given.
fn to_symbol(symbol: &editor::Symbol, lines: &Lines<'_>) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind: match symbol.kind {
            editor::SymbolKind::FrontMatter => lsp::SymbolKind::OBJECT,
            editor::SymbolKind::Part => lsp::SymbolKind::NAMESPACE,
            editor::SymbolKind::Clause => lsp::SymbolKind::MODULE,
        },
        tags: None,
        deprecated: None,
        range: lines.range(&symbol.span),
        selection_range: lines.range(&symbol.selection),
        children: Some(symbol.children.iter().map(|child| to_symbol(child, lines)).collect()),
    }
}
