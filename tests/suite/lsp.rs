//! `pactum lsp` driven as an editor drives it: the real binary over its standard input and
//! output, on the example repository and on every published agreement of the corpus. What the
//! server answers is held to what `pactum check` and `pactum inspect` say of the same files,
//! so a position converted wrongly (a curly quote is one UTF-16 unit and three bytes) or a
//! finding the editor would not see fails here.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::support::git::{ADMIN, Script};
use crate::support::lsp::{Client, offset, position, uri};
use crate::support::{command, copy_dir, manifest, text};

/// A copy of the example repository, committed.
fn example() -> Script {
    let mut script = Script::new();
    copy_dir(&manifest().join("example-repo"), script.root());
    script.commit(&ADMIN, &ADMIN, "the example repository");
    script
}

/// A server started on a copy of the example repository, and one of its contracts: the copy
/// (kept alive), the contract's text on disk and its URI.
fn example_with(file: &str) -> (Script, String, String, Client) {
    let repo = example();
    let path = repo.root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = uri(&path);
    let (client, _) = Client::initialized(repo.root());
    (repo, text, uri, client)
}

/// An edit that changes nothing, as a version of its own: the document is checked again.
fn touch(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    client.edit(
        uri,
        version,
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }),
        "",
    );
    client.diagnostics(uri, version)
}

/// `pactum check --format json` of a repository: each file's findings as (code, line, message).
fn checked(root: &Path, args: &[&str]) -> BTreeMap<String, Vec<(String, u64, String)>> {
    let mut all = vec!["check", "--format", "json", "--no-cache"];
    all.extend(args);
    let output = command(root, &all).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)));
    let mut out: BTreeMap<String, Vec<(String, u64, String)>> = BTreeMap::new();
    for finding in report["diagnostics"].as_array().unwrap() {
        let path = finding["path"].as_str().unwrap().to_owned();
        let message = format!(
            "{}{}",
            finding["message"].as_str().unwrap(),
            finding["help"].as_str().map(|h| format!("\nhelp: {h}")).unwrap_or_default()
        );
        out.entry(path).or_default().push((
            finding["code"].as_str().unwrap().to_owned(),
            finding["line"].as_u64().unwrap(),
            message,
        ));
    }
    out
}

/// The server's findings as (code, 1-based line, message), sorted as `check` sorts them.
fn published(diagnostics: &[Value]) -> Vec<(String, u64, String)> {
    diagnostics
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_owned();
            (code, d["range"]["start"]["line"].as_u64().unwrap() + 1, d["message"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// Apply a workspace edit's changes to `text`, last first.
fn applied(text: &str, edit: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort();
    let mut out = text.to_owned();
    for (start, end, new) in edits.into_iter().rev() {
        out.replace_range(start..end, &new);
    }
    out
}

/// Replace the whole text, as an editor may, and wait for its findings.
fn replace_all(client: &mut Client, uri: &str, version: i64, old: &str, new: &str) -> Vec<Value> {
    let end = position(old, old.len());
    client.edit(uri, version, json!({ "start": { "line": 0, "character": 0 }, "end": end }), new);
    client.diagnostics(uri, version)
}

#[test]
fn an_editor_sees_what_check_says_and_finds_its_way_through_a_contract() {
    let repo = example();
    let root = repo.root();
    let path = root.join("contracts/acme/msa.md");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let uri = uri(&path);
    let (mut client, answer) = Client::initialized(root);
    let capabilities = &answer["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);

    // Opened: the findings `check` gives the file (none: it is as signed).
    client.open(&uri, &on_disk);
    let found = published(&client.diagnostics(&uri, 1));
    let expected = checked(root, &["contracts/acme/msa.md"]).remove("contracts/acme/msa.md").unwrap_or_default();
    assert_eq!(found, expected);

    // An unsaved edit of the signed text is held to the seal, as `check` would hold the file.
    let edited = on_disk.replacen("within thirty days", "within sixty days", 1);
    let at = on_disk.find("thirty days").unwrap();
    client.edit(&uri, 2, json!({ "start": position(&on_disk, at), "end": position(&on_disk, at + 6) }), "sixty");
    let found = published(&client.diagnostics(&uri, 2));
    assert!(found.iter().any(|(code, _, _)| code == "executed/body-changed"), "{found:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), on_disk, "the server never writes the file");
    // The same text, saved and checked by the command: the same findings.
    std::fs::write(&path, &edited).unwrap();
    let expected = checked(root, &["contracts/acme/msa.md"]).remove("contracts/acme/msa.md").unwrap_or_default();
    assert_eq!(found, expected);
    std::fs::write(&path, &on_disk).unwrap();
    let text = edited;

    // Hover on a use of a defined term: its definition.
    let use_at = text.find("perform the Services").unwrap() + "perform the ".len();
    let doc = json!({ "uri": uri });
    let hover =
        client.result("textDocument/hover", json!({ "textDocument": doc, "position": position(&text, use_at + 2) }));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**\"Services\"**, defined on line 95"), "{shown}");
    assert_eq!(offset(&text, &hover["range"]["start"]), use_at);

    // Definition of the term, and of a reference: the clause it names.
    let definition =
        client.result("textDocument/definition", json!({ "textDocument": doc, "position": position(&text, use_at) }));
    assert_eq!(definition["range"]["start"]["line"], 94);
    let reference = text.find("Section 3.2 (Late Payment)").unwrap();
    let definition = client
        .result("textDocument/definition", json!({ "textDocument": doc, "position": position(&text, reference + 9) }));
    assert_eq!(definition["range"]["start"], json!({ "line": 115, "character": 0 }));
    let hover =
        client.result("textDocument/hover", json!({ "textDocument": doc, "position": position(&text, reference + 9) }));
    assert!(
        hover["contents"]["value"].as_str().unwrap().starts_with("**Clause 3.2** — Late Payment (line 116)"),
        "{hover}"
    );

    // References of clause 3.2, asked at its heading: the one reference to it.
    let heading = text.find("3.2 **Late Payment.**").unwrap();
    let found = client.result(
        "textDocument/references",
        json!({ "textDocument": doc, "position": position(&text, heading), "context": { "includeDeclaration": false } }),
    );
    let lines: Vec<u64> =
        found.as_array().unwrap().iter().map(|l| l["range"]["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [119]);

    // A hover on a date field: its description and the deadlines it yields.
    let effective = text.find("2025-01-01").unwrap();
    let hover =
        client.result("textDocument/hover", json!({ "textDocument": doc, "position": position(&text, effective) }));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("**`effective_date`** (date)") && shown.contains("the initial term ends 2025-12-31"),
        "{shown}"
    );

    // The outline: the clause tree.
    let symbols = client.result("textDocument/documentSymbol", json!({ "textDocument": doc }));
    let fees = symbols
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| std::iter::once(s).chain(s["children"].as_array().unwrap()))
        .find(|s| s["name"] == "3 Fees and Payment")
        .unwrap_or_else(|| panic!("{symbols}"));
    let children: Vec<&str> =
        fees["children"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(children, ["3.1 Fees", "3.2 Late Payment", "3.3 Disputed Invoices"]);

    // Rename a term: its definition and every use, nothing else.
    let prepared = client
        .result("textDocument/prepareRename", json!({ "textDocument": doc, "position": position(&text, use_at) }));
    assert_eq!(prepared["placeholder"], "Services");
    let edit = client.result(
        "textDocument/rename",
        json!({ "textDocument": doc, "position": position(&text, use_at), "newName": "Work" }),
    );
    let renamed = applied(&text, &edit, &uri);
    // Every "Services" of the text but the front matter's title, which is no prose.
    let added = renamed.matches("Work").count() - text.matches("Work").count();
    assert_eq!(added, text.matches("Services").count() - 1);
    let front = text.find("\n+++\n").unwrap();
    assert_eq!(renamed[..front], text[..front]);
    assert!(renamed.contains("\"**Work**\" means"));
    // A name taken already is refused, with the reason.
    let refused = client.request(
        "textDocument/rename",
        json!({ "textDocument": doc, "position": position(&text, use_at), "newName": "Customer Data" }),
    );
    assert!(refused["error"]["message"].as_str().unwrap().contains("defined already"), "{refused}");

    assert_eq!(client.finish(), Some(0));
}

#[test]
fn completion_offers_clauses_terms_fields_values_and_template_variables() {
    let (repo, original, uri, mut client) = example_with("contracts/acme/sow-002-analytics.md");
    let root = repo.root();
    client.open(&uri, &original);
    client.diagnostics(&uri, 1);
    let doc = json!({ "uri": uri });
    let labels = |answer: &Value| -> Vec<String> {
        answer["items"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_owned()).collect()
    };

    // After "Section ": the clause numbers of this contract, with their headings.
    let body = original.rfind("+++").unwrap() + 4;
    let typed = format!("{}See Section \n{}", &original[..body], &original[body..]);
    replace_all(&mut client, &uri, 2, &original, &typed);
    let at = typed.find("See Section ").unwrap() + "See Section ".len();
    let offered =
        client.result("textDocument/completion", json!({ "textDocument": doc, "position": position(&typed, at) }));
    let inspect =
        command(root, &["inspect", "contracts/acme/sow-002-analytics.md", "--format", "json"]).output().unwrap();
    let inspect: Value = serde_json::from_slice(&inspect.stdout).unwrap();
    let mut numbers = Vec::new();
    let mut stack: Vec<&Value> = inspect["clauses"].as_array().unwrap().iter().collect();
    while let Some(clause) = stack.pop() {
        numbers.push(clause["number"].as_str().unwrap_or_default().to_owned());
        stack.extend(clause["children"].as_array().unwrap());
    }
    let mut offered_numbers = labels(&offered);
    offered_numbers.sort();
    numbers.retain(|n| !n.is_empty());
    numbers.sort();
    assert_eq!(offered_numbers, numbers);

    // A key in the front matter: the schema's, not those written already.
    // At the top of the front matter, where keys are the contract's own.
    let key_line = "+++\n".len();
    let typed_key = format!("{}gov\n{}", &typed[..key_line], &typed[key_line..]);
    replace_all(&mut client, &uri, 3, &typed, &typed_key);
    let at = key_line + 3;
    let offered =
        client.result("textDocument/completion", json!({ "textDocument": doc, "position": position(&typed_key, at) }));
    let keys = labels(&offered);
    // A key the contract has is not offered again; one it lacks is.
    let has_law = typed.contains("\ngoverning_law");
    assert_eq!(keys.contains(&"governing_law".to_owned()), !has_law, "{keys:?}");

    // A status value.
    let status = typed_key.find("status = \"").unwrap() + "status = \"".len();
    let offered = client
        .result("textDocument/completion", json!({ "textDocument": doc, "position": position(&typed_key, status) }));
    assert_eq!(labels(&offered), ["draft", "review", "approved", "executed", "terminated", "superseded"]);

    // A template's variables inside `{{ }}`.
    let template = root.join("templates/nda.md");
    let source = std::fs::read_to_string(&template).unwrap();
    let template_uri = crate::support::lsp::uri(&template);
    client.open(&template_uri, &source);
    let tag = source.find("{{ owner").unwrap() + "{{ ow".len();
    let offered = client.result(
        "textDocument/completion",
        json!({ "textDocument": { "uri": template_uri }, "position": position(&source, tag) }),
    );
    assert_eq!(labels(&offered), ["owner"]);
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn findings_with_one_fix_are_fixed_from_the_editor() {
    let (_repo, original, uri, mut client) = example_with("contracts/acme/sow-002-analytics.md");
    let doc = json!({ "uri": uri });
    // A contract of our own beside it, in the example's style: a reference left behind by a
    // renumbering, a title written another way, a misspelt field.
    let text = original.replacen("\ntitle = ", "\ntagz = [\"x\"]\ntitle = ", 1);
    let body = text.rfind("+++").unwrap() + 4;
    let text = format!(
        "{}\n## 90. Fees\n\n90.1 **Invoices.** Invoices are due in 30 days.\n\n90.2 **Late Payment.** Interest runs as the law says.\n\n90.3 **Disputes.** A disputed invoice is not late under Section 90.1 (Late Payment) or Section 90.1 (Invoice).\n",
        &text[..body].trim_end_matches('\n'),
    ) + &text[body..];
    client.open(&uri, &text);
    let found = client.diagnostics(&uri, 1);
    let codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in ["ref/title-mismatch", "ref/title-loose", "frontmatter/undeclared-key"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let mut fixed = text.clone();
    for code in ["ref/title-mismatch", "ref/title-loose", "frontmatter/undeclared-key"] {
        let diagnostic = found.iter().find(|d| d["code"] == code).unwrap().clone();
        let actions = client.result(
            "textDocument/codeAction",
            json!({ "textDocument": doc, "range": diagnostic["range"], "context": { "diagnostics": [diagnostic] } }),
        );
        let action = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["diagnostics"].as_array().is_some_and(|d| d[0]["code"] == code))
            .unwrap_or_else(|| panic!("a fix of {code}: {actions}"));
        assert_eq!(action["isPreferred"], true);
        // The fixes do not overlap: each applies to the text as it stands.
        let before = fixed.clone();
        fixed = applied(&fixed, &action["edit"], &uri);
        assert_ne!(before, fixed, "{code}");
    }
    // Applied by hand from the first text, the three fixes leave none of the findings.
    assert!(fixed.contains("Section 90.2 (Late Payment)") && fixed.contains("Section 90.1 (Invoices)"), "{fixed}");
    assert!(fixed.contains("\ntags = [\"x\"]"), "the field renamed: {}", &fixed[..300]);
    let fixed = fixed + "\nA dispute under Section 90.3 is settled in good faith.\n";
    let after = replace_all(&mut client, &uri, 2, &text, &fixed);
    let codes: Vec<&str> = after.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.iter().any(|c| c.starts_with("ref/")), "{codes:?}");

    // Renumbering: a clause put before 90.2 moves it and 90.3 on; the references that cited
    // 90.2 and 90.3 are offered their new numbers, from the moved heading.
    client.notify("textDocument/didSave", json!({ "textDocument": doc }));
    let renumbered = fixed
        .replace("90.3 **Disputes.**", "90.4 **Disputes.**")
        .replace("90.2 **Late Payment.**", "90.2 **Taxes.** Prices exclude taxes.\n\n90.3 **Late Payment.**");
    let found = replace_all(&mut client, &uri, 3, &fixed, &renumbered);
    assert!(found.iter().any(|d| d["code"] == "ref/title-mismatch"), "{found:?}");
    let heading = renumbered.find("90.3 **Late Payment.**").unwrap();
    let actions = client.result(
        "textDocument/codeAction",
        json!({ "textDocument": doc, "range": { "start": position(&renumbered, heading), "end": position(&renumbered, heading) }, "context": { "diagnostics": [] } }),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("renumbered"))
        .unwrap_or_else(|| panic!("{actions}"));
    assert_eq!(action["title"], "Update 2 references to renumbered clauses");
    let updated = applied(&renumbered, &action["edit"], &uri);
    assert!(
        updated.contains("Section 90.3 (Late Payment)") && updated.contains("under Section 90.4 is settled"),
        "{updated}"
    );
    let after = replace_all(&mut client, &uri, 4, &renumbered, &updated);
    assert!(!after.iter().any(|d| d["code"].as_str().unwrap().starts_with("ref/")), "{after:?}");
    assert_eq!(client.finish(), Some(0));
}

/// Whether text after a clause number goes on with it (`.3` after `7`, a digit, a letter).
fn continues_number(after: &str) -> bool {
    after.starts_with(char::is_alphanumeric)
        || after.strip_prefix('.').is_some_and(|rest| rest.starts_with(char::is_alphanumeric))
}

/// Every published agreement of the corpus, as a contract of one repository, each with front
/// matter of its own so that the whole file is checked.
fn corpus_repository() -> (Script, Vec<String>) {
    let mut script = Script::new();
    script.write("pactum.toml", "[repository]\ncontracts = \"contracts\"\n");
    let mut shown = Vec::new();
    for (index, path) in crate::support::corpus().iter().enumerate() {
        let body = std::fs::read_to_string(path).unwrap();
        let body = match body.strip_prefix("+++") {
            // Written with front matter already (the example's contracts): as it is.
            Some(_) => body,
            None => format!(
                "+++\nid = \"corpus-{index}\"\ntitle = \"Corpus {index}\"\ntype = \"nda\"\nstatus = \"draft\"\nowner = \"@legal\"\neffective_date = 2026-01-01\ngoverning_law = \"NO\"\n\n[[parties]]\nname = \"A\"\nrole = \"discloser\"\n\n[[parties]]\nname = \"B\"\nrole = \"recipient\"\n+++\n{body}"
            ),
        };
        let name = format!("contracts/c{index:02}-{}", path.file_name().unwrap().to_string_lossy());
        script.write(&name, &body);
        shown.push(name);
    }
    script.commit(&ADMIN, &ADMIN, "the corpus");
    (script, shown)
}

#[test]
fn on_every_published_agreement_the_server_agrees_with_check_and_inspect() {
    let (repo, files) = corpus_repository();
    let root = repo.root();
    let mut expected = checked(root, &[]);
    let (mut client, _) = Client::initialized(root);
    // How much was held to inspect's reading: enough that a wrong conversion cannot pass unseen.
    let (mut uses_followed, mut references_followed) = (0, 0);
    for shown in &files {
        let path = root.join(shown);
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = uri(&path);
        client.open(&uri, &text);
        let found = published(&client.diagnostics(&uri, 1));
        assert_eq!(found, expected.remove(shown).unwrap_or_default(), "{shown}");

        let inspect = command(root, &["inspect", shown, "--format", "json"]).output().unwrap();
        let inspect: Value = serde_json::from_slice(&inspect.stdout).unwrap();
        let doc = json!({ "uri": uri });
        // The outline holds every clause inspect reads, at its line.
        let symbols = client.result("textDocument/documentSymbol", json!({ "textDocument": doc }));
        let mut outline = Vec::new();
        let mut stack: Vec<&Value> = symbols.as_array().unwrap().iter().collect();
        while let Some(symbol) = stack.pop() {
            if symbol["kind"] == 2 {
                outline.push(symbol["selectionRange"]["start"]["line"].as_u64().unwrap() + 1);
            }
            stack.extend(symbol["children"].as_array().unwrap());
        }
        let mut lines = Vec::new();
        let mut stack: Vec<&Value> = inspect["clauses"].as_array().unwrap().iter().collect();
        while let Some(clause) = stack.pop() {
            lines.push(clause["line"].as_u64().unwrap());
            stack.extend(clause["children"].as_array().unwrap());
        }
        outline.sort_unstable();
        lines.sort_unstable();
        assert_eq!(outline, lines, "{shown}: the outline's clauses");

        // Each defined term: its uses are found from its definition, and each leads back.
        for term in inspect["terms"].as_array().unwrap() {
            let name = term["term"].as_str().unwrap();
            let line = term["line"].as_u64().unwrap() as usize;
            let line_start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
            // The term where it is defined: after a quotation mark or emphasis.
            let defined = text[line_start..].match_indices(name).map(|(at, _)| line_start + at).find(|&at| {
                text[..at].chars().next_back().is_some_and(|c| matches!(c, '"' | '“' | '‘' | '*' | '_'))
                    && text[at + name.len()..].starts_with(['"', '”', '’', '*', '_'])
            });
            let Some(at) = defined else { continue };
            let uses = client.result(
                "textDocument/references",
                json!({ "textDocument": doc, "position": position(&text, at), "context": { "includeDeclaration": false } }),
            );
            let uses = uses.as_array().unwrap();
            assert_eq!(uses.len() as u64, term["uses"].as_u64().unwrap(), "{shown}: uses of {name}");
            for found in uses.iter().take(3) {
                let start = offset(&text, &found["range"]["start"]);
                let end = offset(&text, &found["range"]["end"]);
                assert!(
                    text[start..end].eq_ignore_ascii_case(name) || text[start..end].starts_with(name),
                    "{shown}: {name} at {found}"
                );
                // A use inside a reference's title leads to the clause the reference names.
                let use_line = found["range"]["start"]["line"].as_u64().unwrap() + 1;
                let in_reference = inspect["references"].as_array().unwrap().iter().any(|r| {
                    r["line"].as_u64() == Some(use_line) && r["text"].as_str().is_some_and(|t| t.contains(name))
                });
                if in_reference {
                    continue;
                }
                let back = client.result(
                    "textDocument/definition",
                    json!({ "textDocument": doc, "position": found["range"]["start"] }),
                );
                uses_followed += 1;
                assert_eq!(back["range"]["start"]["line"].as_u64().unwrap() + 1, line as u64, "{shown}: {name}");
            }
        }

        // Each reference inspect resolves leads to its clause's line.
        // (Numbers that restart in another part of the document are left out: which clause
        // such a reference names depends on where it stands.)
        let clause_lines: BTreeMap<String, u64> = {
            let mut out: BTreeMap<String, Vec<u64>> = BTreeMap::new();
            let mut stack: Vec<&Value> = inspect["clauses"].as_array().unwrap().iter().collect();
            while let Some(clause) = stack.pop() {
                let number = clause["number"].as_str().unwrap_or_default().to_owned();
                out.entry(number).or_default().push(clause["line"].as_u64().unwrap());
                stack.extend(clause["children"].as_array().unwrap());
            }
            out.into_iter().filter(|(_, lines)| lines.len() == 1).map(|(number, lines)| (number, lines[0])).collect()
        };
        for reference in inspect["references"].as_array().unwrap().iter().filter(|r| r["resolved"] == true) {
            let line = reference["line"].as_u64().unwrap() as usize;
            let written = reference["text"].as_str().unwrap();
            let line_start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
            // Where it stands whole: not `Section 7` inside `Section 7.3`.
            let whole = |at: &usize| {
                let after = &text[at + written.len()..];
                !after.starts_with('(') && !continues_number(after)
            };
            let found = text[line_start..].match_indices(written).map(|(at, _)| line_start + at).find(whole);
            // A reference inside another (`[Section B(5): Additional Terms](#…)`): the cursor in
            // it is on the inner one, which inspect lists too.
            let inner = inspect["references"].as_array().unwrap().iter().any(|other| {
                other["line"] == reference["line"]
                    && other["text"] != reference["text"]
                    && other["text"].as_str().is_some_and(|t| t.contains(written))
            });
            if inner {
                continue;
            }
            let Some(at) = found else { continue };
            let Some(&clause_line) = clause_lines.get(reference["clause"].as_str().unwrap()) else { continue };
            // On its number: one text may cite several clauses (`Sections 16.2 or 16.3`).
            let target = reference["target"].as_str().unwrap();
            let standalone = |at: &usize| {
                let before = written[..*at].chars().next_back();
                let after = &written[at + target.len()..];
                !before.is_some_and(|c| c.is_alphanumeric() || c == '.') && !continues_number(after)
            };
            let on = written.match_indices(target).map(|(at, _)| at).find(standalone).unwrap_or(written.len() / 2);
            let definition = client.result(
                "textDocument/definition",
                json!({ "textDocument": doc, "position": position(&text, at + on) }),
            );
            assert_eq!(definition["range"]["start"]["line"].as_u64().unwrap() + 1, clause_line, "{shown}: {written}");
            references_followed += 1;
        }
        client.notify("textDocument/didClose", json!({ "textDocument": doc }));
    }
    assert!(
        uses_followed > 2000 && references_followed > 1000,
        "{uses_followed} uses, {references_followed} references"
    );
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn nothing_a_client_sends_stops_the_server_but_exit() {
    let repo = example();
    let root = repo.root();
    let mut client = Client::start(root);
    // Before `initialize`: refused, not fatal.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.result("initialize", json!({ "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } } }));
    // Not JSON; JSON that is no message; a header with no length and then a good message;
    // a body that is not UTF-8; an unknown method; parameters of the wrong shape; a
    // notification of the wrong shape; a document never opened.
    client.send_body(b"{ this is not json");
    client.send_body(b"[1, 2, 3]");
    client.send_raw(b"X-Nonsense: yes\r\n\r\n");
    client.send_body(&[0xff, 0xfe, 0x00]);
    let unknown = client.request("workspace/doesNotExist", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let wrong = client.request("textDocument/hover", json!({ "textDocument": 7 }));
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    client.notify("textDocument/didChange", json!({ "nonsense": true }));
    let never = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere/x.md" }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(never["error"]["message"].as_str().unwrap().contains("not open"), "{never}");
    // Still answering: UTF-8 positions as agreed, on a document with multi-byte text.
    let path = root.join("contracts/globex/mutual-nda.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = uri(&path);
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    let term = text.find("“**MNDA**”").unwrap() + "“**".len();
    let line_start = text[..term].rfind('\n').unwrap() + 1;
    let line = text[..term].matches('\n').count();
    let hover = client.result(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": term - line_start } }),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**\"MNDA\"**"), "{hover}");
    // The broken messages were said in the editor's log.
    let logged = client.notifications.iter().filter(|n| n["method"] == "window/logMessage").count();
    assert!(logged >= 4, "{:?}", client.notifications);
    // Input ending without `shutdown` ends the server with status 1, as the protocol asks.
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status(), Some(1));
}

/// The command line an editor's settings start: the words after the program name, for each
/// editor whose settings `init` writes.
fn started_by(root: &Path) -> Vec<(&'static str, Vec<String>)> {
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let strings = |value: &toml::Value| -> Vec<String> {
        value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    };
    let helix: toml::Table = toml::from_str(&read(".helix/languages.toml")).unwrap();
    let server = &helix["language-server"]["pactum"];
    let mut helix_command = vec![server["command"].as_str().unwrap().to_owned()];
    helix_command.extend(strings(&server["args"]));
    let markdown =
        helix["language"].as_array().unwrap().iter().find(|l| l["name"].as_str() == Some("markdown")).unwrap();
    assert!(strings(&markdown["language-servers"]).contains(&"pactum".to_owned()));

    let vscode: Value = serde_json::from_str(&read(".vscode/settings.json")).unwrap();
    let mut vscode_command = vec![vscode["glspc.server.command"].as_str().unwrap().to_owned()];
    vscode_command.extend(
        vscode["glspc.server.commandArguments"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()),
    );
    assert_eq!(vscode["glspc.server.languageId"], json!(["markdown"]));
    let recommended: Value = serde_json::from_str(&read(".vscode/extensions.json")).unwrap();
    assert_eq!(recommended["recommendations"], json!(["zsol.vscode-glspc"]));

    let lua = read(".nvim.lua");
    let cmd = lua.split("cmd = {").nth(1).and_then(|rest| rest.split('}').next()).unwrap();
    let nvim_command: Vec<String> =
        cmd.split(',').map(|w| w.trim().trim_matches('\'').to_owned()).filter(|w| !w.is_empty()).collect();
    assert!(lua.contains("vim.lsp.enable('pactum')"));
    vec![("helix", helix_command), ("vscode", vscode_command), ("neovim", nvim_command)]
}

#[test]
fn init_writes_editor_settings_that_start_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("contracts-repo");
    std::fs::create_dir_all(&root).unwrap();
    let output = crate::support::today::pactum(&root, &["init"]);
    assert!(output.status.success(), "{}", text(&output));
    for (editor, words) in started_by(&root) {
        // Each names pactum and its arguments: run them as the editor would, with the binary
        // under test standing for `pactum` on PATH.
        assert_eq!(words[0], "pactum", "{editor}");
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pactum"));
        command.args(&words[1..]).current_dir(&root);
        let mut client = Client::spawn(command);
        let answer = client.result("initialize", json!({ "capabilities": {} }));
        assert_eq!(answer["serverInfo"]["name"], "pactum", "{editor}");
        assert_eq!(client.finish(), Some(0), "{editor}");
    }
    // Settings a user has already are kept.
    std::fs::write(root.join(".vscode/settings.json"), "{ \"editor.tabSize\": 2 }\n").unwrap();
    let again = crate::support::today::pactum(&root, &["init"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(std::fs::read_to_string(root.join(".vscode/settings.json")).unwrap(), "{ \"editor.tabSize\": 2 }\n");
}

#[test]
fn settings_changed_on_disk_are_read_again() {
    let (repo, text, uri, mut client) = example_with("contracts/acme/sow-002-analytics.md");
    let root = repo.root();
    let text = text.replacen("\ntitle = ", "\nnotes_x = \"kept\"\ntitle = ", 1);
    client.open(&uri, &text);
    let codes =
        |found: &[Value]| -> Vec<String> { found.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect() };
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"frontmatter/undeclared-key".to_owned()));
    // A branch checked out, or pactum.toml edited in another program: no save in this editor.
    let config = root.join("pactum.toml");
    let settings = std::fs::read_to_string(&config).unwrap().replacen(
        "[lint]\n",
        "[lint]\n\"frontmatter/undeclared-key\" = \"off\"\n",
        1,
    );
    std::fs::write(&config, settings).unwrap();
    // (A file's modification time may keep its second on some file systems.)
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&config).unwrap().set_modified(later).unwrap();
    assert!(!codes(&touch(&mut client, &uri, 2)).contains(&"frontmatter/undeclared-key".to_owned()));
    // Set back: the finding is back.
    std::fs::write(
        &config,
        std::fs::read_to_string(&config).unwrap().replace("\"frontmatter/undeclared-key\" = \"off\"\n", ""),
    )
    .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&config)
        .unwrap()
        .set_modified(later + std::time::Duration::from_secs(5))
        .unwrap();
    assert!(codes(&touch(&mut client, &uri, 3)).contains(&"frontmatter/undeclared-key".to_owned()));
    // A pactum.toml that does not read: said once in the log, and read again once mended.
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, "[lint\n").unwrap();
    for version in [4, 5] {
        touch(&mut client, &uri, version);
    }
    let said = client.notifications.iter().filter(|n| n["method"] == "window/logMessage").count();
    assert_eq!(said, 1, "{:?}", client.notifications);
    std::fs::write(&config, good.replacen("[lint]\n", "[lint]\n\"frontmatter/undeclared-key\" = \"off\"\n", 1))
        .unwrap();
    assert!(!codes(&touch(&mut client, &uri, 6)).contains(&"frontmatter/undeclared-key".to_owned()));
    assert_eq!(client.finish(), Some(0));
}

/// The same conversation from a client pactum did not write: pygls's, whose lsprotocol types
/// read each answer into the protocol's classes, so an answer of a shape the protocol does not
/// allow fails there.
#[test]
fn an_independent_client_reads_every_answer_into_the_protocols_types() {
    let Some(python) = crate::support::tool("PACTUM_PYGLS_PYTHON", "python-with-pygls") else { return };
    let repo = example();
    let output = std::process::Command::new(python)
        .arg(manifest().join("tests/support/lsp_client.py"))
        .arg(env!("CARGO_BIN_EXE_pactum"))
        .arg(repo.root())
        .arg(repo.root().join("contracts/acme/msa.md"))
        .current_dir(repo.root())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let got: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)));
    assert_eq!(got["server"], "pactum");
    assert_eq!(got["encoding"], "utf-16");
    assert_eq!(got["diagnostics"], json!([]));
    assert!(got["hover"].as_str().unwrap().starts_with("**\"Services\"**, defined on line 95"), "{got}");
    assert_eq!(got["definition"], json!([115, 0]), "Section 3.2 leads to clause 3.2");
    assert_eq!(got["prepared"], "Services");
    // The definition and every use, found and renamed alike.
    assert_eq!(got["references"], got["renamed"]);
    assert!(got["completion"].as_array().unwrap().contains(&json!("3.2")), "{got}");
    assert_eq!(got["symbols"][0], "Front matter");
}

#[test]
fn what_check_learns_is_kept_once_not_at_every_keystroke() {
    let (repo, text, uri, mut client) = example_with("contracts/acme/sow-002-analytics.md");
    let facts = repo.root().join(".git/pactum/facts");
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    // The first check keeps what it learned of the repository's files, for the next to read.
    let kept = std::fs::read(&facts).expect("the first check keeps its facts");
    for version in 2..6 {
        let at = text.rfind('\n').unwrap();
        let range = json!({ "start": position(&text, at), "end": position(&text, at) });
        client.edit(&uri, version, range, "x");
        client.diagnostics(&uri, version);
    }
    // The buffer's versions are not the file: nothing learned of them is written.
    assert_eq!(std::fs::read(&facts).unwrap(), kept);
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn repo_names_the_repository_every_document_is_read_in() {
    let repo = example();
    // A counterparty's draft saved outside any repository, of a type only the example's own
    // schemas know (`reseller`).
    let elsewhere = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo.root().join("contracts/partners/reseller-nordics.md")).unwrap().replacen(
        "id = \"fjord-reseller-2024\"",
        "id = \"draft-from-counterparty\"",
        1,
    );
    let path = elsewhere.path().join("draft.md");
    std::fs::write(&path, &text).unwrap();
    let codes = |args: &[&str]| -> Vec<String> {
        let mut client = Client::spawn(crate::support::command(elsewhere.path(), args));
        client.result("initialize", json!({ "capabilities": {} }));
        let uri = uri(&path);
        client.open(&uri, &text);
        let found = client.diagnostics(&uri, 1).iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
        assert_eq!(client.finish(), Some(0));
        found
    };
    // Found from its folder: no repository, the built-in schemas, no such type.
    assert!(codes(&["lsp"]).contains(&"schema/unknown-type".to_owned()));
    // Named: read with that repository's schemas.
    let named = codes(&["lsp", "--repo", repo.root().to_str().unwrap()]);
    assert!(!named.contains(&"schema/unknown-type".to_owned()), "{named:?}");
}
