//! Drives `hsl lsp` through the language server protocol over stdio, the
//! way an editor does.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// A minimal LSP client over the child's stdio.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    backlog: Vec<Value>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("hsl lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            if stdout.read_exact(&mut body).is_err() {
                return;
            }
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 1,
            backlog: Vec::new(),
        }
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send_raw(&json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send_raw(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        );
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message matching `pred` (others are kept for later waits).
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        loop {
            let msg = self
                .incoming
                .recv_timeout(Duration::from_secs(20))
                .expect("the server answers within 20 s");
            if pred(&msg) {
                return msg;
            }
            self.backlog.push(msg);
        }
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "hsl", "version": 1, "text": text}}),
        );
    }

    fn shutdown(mut self) {
        let reply = self.request("shutdown", Value::Null);
        assert!(reply.get("error").is_none(), "{reply}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(
            status.success(),
            "hsl lsp exits cleanly after shutdown/exit"
        );
    }
}

const URI: &str = "file:///work/hooks/helo/inbound.hsl";

#[test]
fn initialize_announces_incremental_sync() {
    let mut c = Client::start();
    let init = c.initialize();
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        2
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "hsl");
    c.shutdown();
}

/// The server's memory is not backed by transparent huge pages, whose page
/// faults may wait milliseconds for the kernel to compact memory.
#[cfg(target_os = "linux")]
#[test]
fn the_server_turns_huge_pages_off() {
    let mut c = Client::start();
    c.initialize();
    let status = std::fs::read_to_string(format!("/proc/{}/status", c.child.id())).unwrap();
    // Kernels before 5.0 do not show the setting.
    if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
    }
    c.shutdown();
}

#[test]
fn diagnostics_follow_edits() {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, "$a = 1\n$b = 2;\n");
    let diags = c.diagnostics(URI, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "HSL001");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 0, "character": 6})
    );
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("missing `;`"));

    // Insert the missing `;` at the end of line 0 (incremental change).
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 6}}, "text": ";"}]
        }),
    );
    assert!(c.diagnostics(URI, 2).is_empty());

    // Break it again with a UTF-16-sensitive edit: after "𝄞" the column counts 2 units.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 3},
            "contentChanges": [{"text": "$s = \"𝄞\" 5;\n"}]
        }),
    );
    let diags = c.diagnostics(URI, 3);
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 0, "character": 10})
    );
    c.shutdown();
}

#[test]
fn document_symbols_outline_functions_and_classes() {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, "function check($host) { return true; }\nclass Counter { private $n = 0; function inc() { $this->n++; } }\n");
    let reply = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let symbols = reply["result"].as_array().unwrap();
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["check", "Counter"]);
    assert_eq!(symbols[0]["detail"], "($host)");
    let members: Vec<&str> = symbols[1]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["$n", "inc"]);
    c.shutdown();
}

#[test]
fn malformed_messages_get_an_error_and_the_server_keeps_running() {
    let mut c = Client::start();
    c.initialize();
    c.send_raw("{\n  \"jsonrpc\": ]}");
    let error = c.wait(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700, "{error}");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("invalid JSON at line 2, column 14"),
        "{message}"
    );
    // Still serving.
    c.open(URI, "echo \"ok\";\n");
    assert!(c.diagnostics(URI, 1).is_empty());
    c.shutdown();
}

fn hover_request(id: i64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1}}})
    .to_string()
}

/// After one bad frame the server answers an error, then every following
/// valid request (sent at once: a length longer than its body is only
/// noticed when the next message arrives).
fn recovers_after(bad: &str) {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, "echo 1;\n");
    c.send_bytes(bad.as_bytes());
    for id in 100..103 {
        c.send_raw(&hover_request(id));
    }
    let error = c.wait(|m| m.get("error").is_some() && m["id"].is_null());
    assert_eq!(error["error"]["code"], -32700, "{bad:?}: {error}");
    for id in 100..103 {
        let reply = c.wait(|m| m["id"] == json!(id));
        assert!(reply.get("result").is_some(), "{bad:?}: {reply}");
    }
    c.shutdown();
}

#[test]
fn malformed_headers_are_answered_and_later_requests_served() {
    let body = hover_request(7);
    for header in ["Content-Length: abc", "Content-Length: -5", "abc"] {
        recovers_after(&format!("{header}\r\n\r\n{body}"));
    }
}

#[test]
fn wrong_content_lengths_resynchronise_on_the_next_header() {
    let body = hover_request(7);
    recovers_after(&format!("Content-Length: 12\r\n\r\n{body}"));
    // Longer than the body: the next message completes it.
    recovers_after(&format!(
        "Content-Length: {}\r\n\r\n{body}",
        body.len() + 40
    ));
}

#[test]
fn oversized_frames_are_refused_at_once() {
    for length in ["18446744073709551615", "1000000000"] {
        recovers_after(&format!("Content-Length: {length}\r\n\r\n{{}}"));
    }
}

#[test]
fn a_closed_output_ends_the_server_with_a_failure_status() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {}}})
    .to_string();
    let _ = write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = stdin.flush();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success(), "{:?}", output.status);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("writing stdout"), "{stderr}");
}

/// The labels of a completion answer's items.
fn labels(reply: &Value) -> Vec<String> {
    let result = &reply["result"];
    result
        .get("items")
        .unwrap_or(result)
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_scope_variables_after_dollar() {
    let mut c = Client::start();
    c.initialize();
    let text = "$top = 1;\nfunction check($host) {\n  $seen = true;\n  echo $\n}\n";
    c.open(URI, text);
    let reply = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 8}}),
    );
    assert_eq!(
        labels(&reply),
        ["$host", "$seen"],
        "only the function's own variables"
    );
    assert_eq!(reply["result"]["isIncomplete"], false, "all of them");
    let reply = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    let names = labels(&reply);
    assert!(
        names.contains(&"foreach".to_string()) && names.contains(&"check".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"$seen".to_string()));
    c.shutdown();
}

/// Completion answers the items matching the word before the cursor, best
/// first, at most 300, and says when it left any out so that the editor
/// asks again as the word grows.
#[test]
fn completion_narrows_to_the_word_typed() {
    let mut c = Client::start();
    c.initialize();
    let mut text = String::from("ec\ncheck_1\n");
    for i in 0..300 {
        text.push_str(&format!("function check_{i}() {{ return {i}; }}\n"));
    }
    c.open(URI, &text);
    let typed = c.request("textDocument/completion", at(URI, 0, 2));
    let names = labels(&typed);
    assert_eq!(names[0], "echo", "{names:?}");
    assert!(names.contains(&"check_0".to_string()), "`e` then `c` in it");
    assert!(
        !names.contains(&"Accept".to_string()),
        "no `c` after the `e`"
    );
    assert_eq!(typed["result"]["isIncomplete"], true, "filtered");
    let one = c.request("textDocument/completion", at(URI, 1, 7));
    assert_eq!(labels(&one)[0], "check_1", "the same word first");
    let all = c.request("textDocument/completion", at(URI, 2, 0));
    let names = labels(&all);
    assert_eq!(names.len(), 300, "capped");
    assert!(names.contains(&"str_find".to_string()), "built-ins first");
    assert_eq!(all["result"]["isIncomplete"], true, "capped");
    c.shutdown();
}

fn example_uri(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/example/src/hooks")
        .join(rel);
    let path = std::fs::canonicalize(path.parent().unwrap())
        .unwrap()
        .join(path.file_name().unwrap());
    format!("file://{}", path.display())
}

#[test]
fn helo_completion_knows_the_hook() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("helo/editing.hsl");
    c.open(&uri, "$h = 1;\n$h2 = $arguments[\"\n");
    let keys = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 18}}),
    );
    assert_eq!(labels(&keys), ["verb", "host", "extensions"]);
    assert_eq!(keys["result"]["isIncomplete"], false, "a short full list");
    let names = labels(&c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 0}}),
    ));
    assert!(names.contains(&"Accept".to_string()) && names.contains(&"Reject".to_string()));
    assert!(
        !names.contains(&"Try".to_string()),
        "Try belongs to predelivery"
    );
    let vars = labels(&c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
    ));
    assert!(
        vars.contains(&"$arguments".to_string()) && vars.contains(&"$h".to_string()),
        "{vars:?}"
    );
    c.shutdown();
}

#[test]
fn predelivery_completion_has_no_accept() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("queue/predelivery.hsl");
    c.open(&uri, "\n");
    let names = labels(&c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    ));
    assert!(names.contains(&"Try".to_string()));
    assert!(!names.contains(&"Accept".to_string()));
    c.shutdown();
}

#[test]
fn semantic_diagnostics_hover_signature_and_definition() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("helo/editing.hsl");
    let text =
        "$h = $arguments[\"hots\"];\nReject($h, \nfunction mine() { return 1; }\necho mine();\n";
    c.open(&uri, text);
    let diags = c.diagnostics(&uri, 1);
    assert!(
        diags.iter().any(|d| d["code"] == "HSL001"),
        "syntax error first: {diags:?}"
    );

    let fixed =
        "$h = $arguments[\"hots\"];\nReject($h);\nfunction mine() { return 1; }\necho mine();\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    let key = diags
        .iter()
        .find(|d| d["code"] == "HSL105")
        .expect("unknown key reported");
    assert_eq!(key["range"]["start"], json!({"line": 0, "character": 16}));
    assert!(key["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `host`?"));

    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Reject([string or array $reason, array $options])"),
        "{value}"
    );
    assert!(value.contains("Default reply: `554`"), "{value}");

    let help = c.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 9}}),
    );
    assert_eq!(help["result"]["activeParameter"], 0);
    assert_eq!(
        help["result"]["signatures"][0]["label"],
        "Reject([string or array $reason, array $options])"
    );

    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 6}}),
    );
    assert_eq!(def["result"]["uri"], uri);
    assert_eq!(
        def["result"]["range"]["start"],
        json!({"line": 2, "character": 9})
    );
    let var = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 8}}),
    );
    assert_eq!(
        var["result"]["range"]["start"],
        json!({"line": 0, "character": 0}),
        "{var}"
    );
    c.shutdown();
}

#[test]
fn editing_a_shared_file_rechecks_the_hooks_that_include_it() {
    let mut c = Client::start();
    c.initialize();
    let lib = example_uri("../files/limits.hsl");
    let hook = example_uri("mailfrom/inbound.hsl");
    let hook_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/example/src/hooks/mailfrom/inbound.hsl"),
    )
    .unwrap();
    c.open(&hook, &hook_text);
    assert!(c.diagnostics(&hook, 1).is_empty());
    c.open(&lib, "$max_recipients = 50;\n$max_message_size = 1;\n");
    // Remove $max_message_size from the (unsaved) shared file.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": lib, "version": 2}, "contentChanges": [{"text": "$max_recipients = 50;\n"}]}),
    );
    let diags = c.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == hook
            && !m["params"]["diagnostics"].as_array().unwrap().is_empty()
    });
    let d = &diags["params"]["diagnostics"][0];
    assert_eq!(d["code"], "HSL107", "{d}");
    assert!(d["message"].as_str().unwrap().contains("$max_message_size"));
    c.shutdown();
}

#[test]
fn method_completion_after_arrow() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("eod/editing.hsl");
    c.open(&uri, "$mail = $arguments[\"mail\"];\n$mail->\n");
    let methods = labels(&c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 7}}),
    ));
    assert!(
        methods.contains(&"queue".to_string()),
        "EODMailMessage's own method: {methods:?}"
    );
    assert!(
        methods.contains(&"getHeader".to_string()),
        "inherited from MIMEPart: {methods:?}"
    );
    c.shutdown();
}

fn example_text(rel: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/example/src/hooks")
            .join(rel),
    )
    .unwrap()
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]
fn references_definition_and_rename_reach_files_that_are_not_open() {
    let mut c = Client::start();
    c.initialize();
    let hook = example_uri("rcptto/inbound.hsl");
    let policy = example_uri("../files/policy.hsl");
    let connect = example_uri("connect/inbound.hsl");
    c.open(&hook, &example_text("rcptto/inbound.hsl"));

    let def = c.request("textDocument/definition", at(&hook, 6, 7));
    assert_eq!(def["result"]["uri"], policy, "{def}");
    assert_eq!(
        def["result"]["range"]["start"],
        json!({"line": 14, "character": 9})
    );

    let mut params = at(&hook, 6, 7);
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", params);
    let mut found: Vec<(String, u64)> = refs["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap().to_string(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    let mut expected = vec![(hook.clone(), 0), (hook.clone(), 6), (policy.clone(), 14)];
    expected.sort();
    assert_eq!(found, expected);

    let refused = c.request(
        "textDocument/prepareRename",
        at(&hook, 9, 2), // Accept
    );
    assert!(refused.get("error").is_some(), "{refused}");
    let refused = c.request("textDocument/prepareRename", at(&hook, 6, 25)); // $arguments
    assert!(refused.get("error").is_some(), "{refused}");

    let mut params = at(&hook, 0, 12);
    params["newName"] = json!("is_our_domain");
    let edit = c.request("textDocument/rename", params);
    let changes = edit["result"]["changes"].as_object().unwrap();
    assert_eq!(changes[&hook].as_array().unwrap().len(), 2, "{edit}");
    assert_eq!(changes[&policy].as_array().unwrap().len(), 1, "{edit}");
    assert!(
        !changes.contains_key(&connect),
        "connect imports another name"
    );
    assert_eq!(changes[&policy][0]["newText"], "is_our_domain");
    c.shutdown();
}

#[test]
fn variables_are_highlighted_and_renamed_in_their_scope() {
    let mut c = Client::start();
    c.initialize();
    let text = "$n = 1;\nfunction f($n) {\n  return $n + 1;\n}\necho $n;\n";
    c.open(URI, text);
    let highlights = c.request("textDocument/documentHighlight", at(URI, 2, 10));
    let lines: Vec<u64> = highlights["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        [1, 2],
        "the parameter and its use, not the top level"
    );
    let mut params = at(URI, 4, 6);
    params["newName"] = json!("count");
    let edit = c.request("textDocument/rename", params);
    let edits = edit["result"]["changes"][URI].as_array().unwrap().clone();
    let ranges: Vec<Value> = edits.iter().map(|e| e["range"].clone()).collect();
    assert_eq!(
        ranges,
        [
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 2}}),
            json!({"start": {"line": 4, "character": 5}, "end": {"line": 4, "character": 7}}),
        ]
    );
    assert!(edits.iter().all(|e| e["newText"] == "$count"));
    c.shutdown();
}

#[test]
fn a_closure_sees_and_renames_the_variables_it_captures() {
    let mut c = Client::start();
    c.initialize();
    let typing = "$limit = 5;\n$other = 1;\n$check = function ($n) closure ($limit) {\n  return $n < $\n};\n";
    c.open(URI, typing);
    let reply = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 15}}),
    );
    assert_eq!(
        labels(&reply),
        ["$limit", "$n"],
        "the parameter and the captured variable, not the top level's others"
    );
    let text = "$limit = 5;\n$check = function ($n) closure ($limit) {\n  return $n < $limit;\n};\necho $limit;\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let mut params = at(URI, 2, 16);
    params["newName"] = json!("max");
    let edit = c.request("textDocument/rename", params);
    let edits = edit["result"]["changes"][URI].as_array().unwrap().clone();
    let lines: Vec<u64> = edits
        .iter()
        .map(|e| e["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [0, 1, 2, 4], "inside the closure and around it");
    c.shutdown();
}

#[test]
fn older_diagnostics_never_overwrite_newer_ones() {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, "echo 1;\n");
    c.diagnostics(URI, 1);
    // A burst of edits alternating between broken and fixed text.
    for v in 2..=30 {
        let text = if v % 2 == 0 { "echo 1\n" } else { "echo 1;\n" };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [{"text": text}]}),
        );
    }
    let last = c.diagnostics(URI, 30);
    assert_eq!(last.len(), 1, "version 30 is broken: {last:?}");
    let earlier: Vec<i64> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(
        earlier.windows(2).all(|w| w[0] < w[1]),
        "published in order: {earlier:?}"
    );
    // A request answered after the burst: every publish is out by then.
    let seen = c.backlog.len();
    c.request("textDocument/hover", at(URI, 0, 1));
    let late: Vec<&Value> = c.backlog[seen..]
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(late.is_empty(), "nothing after the newest: {late:?}");
    c.shutdown();
}

#[test]
fn a_shared_file_completes_and_hovers_for_all_its_includers() {
    let mut c = Client::start();
    c.initialize();
    let lib = example_uri("../files/limits.hsl");
    c.open(&lib, "echo number(\"1\");\n\n");
    let hover = c.request("textDocument/hover", at(&lib, 0, 7));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("included by the hooks: mailfrom, rcptto"),
        "{value}"
    );
    let names = labels(&c.request("textDocument/completion", at(&lib, 1, 0)));
    assert!(
        names.contains(&"Defer".to_string()) && names.contains(&"Accept".to_string()),
        "{names:?}"
    );
    c.shutdown();
}

#[test]
fn links_folding_and_workspace_symbols() {
    let mut c = Client::start();
    let init = c.initialize();
    let triggers = &init["result"]["capabilities"]["completionProvider"]["triggerCharacters"];
    assert!(
        triggers.as_array().unwrap().contains(&json!(">")),
        "{triggers}"
    );
    let hook = example_uri("rcptto/inbound.hsl");
    c.open(&hook, &example_text("rcptto/inbound.hsl"));
    let links = c.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": hook}}),
    );
    let targets: Vec<&str> = links["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            example_uri("../files/policy.hsl"),
            example_uri("../files/limits.hsl")
        ]
    );
    let folds = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": hook}}),
    );
    let folds: Vec<(u64, u64)> = folds["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, [(3, 4), (6, 7)]);
    let symbols = c.request("workspace/symbol", json!({"query": "domain"}));
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["is_local_domain"], "from policy.hsl, not open");
    c.shutdown();
}

#[test]
fn a_quick_fix_silences_a_rule_on_its_line() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("helo/editing.hsl");
    c.open(&uri, "$h = $arguments[\"hots\"]; // why\necho $h;\n");
    let diags = c.diagnostics(&uri, 1);
    let key = diags
        .iter()
        .find(|d| d["code"] == "HSL105")
        .unwrap()
        .clone();
    let reply = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": key["range"], "context": {"diagnostics": [key]}}),
    );
    let action = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore HSL105 on this line")
        .unwrap();
    let edit = &action["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], " // hsl-ignore HSL105");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    assert!(diags.iter().all(|d| d["code"] != "HSL105"), "{diags:?}");
    c.shutdown();
}

#[test]
fn quick_fixes_apply_the_fixes_of_the_diagnostics() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("helo/fixing.hsl");
    c.open(&uri, "$h = $arguments[\"hots\"];\necho strlen($h);\n");
    let mut version = 1;
    for (code, title) in [
        ("HSL114", "Replace with `length`"),
        ("HSL105", "Replace with `\"host\"`"),
    ] {
        let diags = c.diagnostics(&uri, version);
        let d = diags.iter().find(|d| d["code"] == code).unwrap().clone();
        let reply = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        // The diagnostic's own fix comes first and is preferred; the
        // `hsl-ignore` comment follows.
        let actions = reply["result"].as_array().unwrap();
        assert_eq!(actions[0]["title"], title);
        assert_eq!(actions[0]["kind"], "quickfix");
        assert_eq!(actions[0]["isPreferred"], true);
        assert_eq!(actions[1]["title"], format!("Ignore {code} on this line"));
        let edits = actions[0]["edit"]["changes"][&uri].as_array().unwrap();
        assert_eq!(edits.len(), 1);
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": edits[0]["range"], "text": edits[0]["newText"]}]}),
        );
    }
    let diags = c.diagnostics(&uri, version);
    assert!(
        diags
            .iter()
            .all(|d| d["code"] != "HSL114" && d["code"] != "HSL105"),
        "{diags:?}"
    );
    // A fix published for an older version is not offered.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": "echo strlen(1);\n"}]}),
    );
    let stale = c
        .diagnostics(&uri, 4)
        .into_iter()
        .find(|d| d["code"] == "HSL114")
        .unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": "\necho strlen(1);\n"}]}),
    );
    let reply = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": stale["range"], "context": {"diagnostics": [stale]}}),
    );
    let titles: Vec<&str> = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Ignore HSL114 on this line"]);
    c.shutdown();
}

#[test]
fn semantic_tokens_and_inlay_hints() {
    let mut c = Client::start();
    let init = c.initialize();
    let legend = &init["result"]["capabilities"]["semanticTokensProvider"]["legend"];
    let types: Vec<&str> = legend["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let modifiers: Vec<&str> = legend["tokenModifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let text = "// hsl: hook=helo\nfunction greet($who) {\n  echo str_find($who, \"x\");\n}\ngreet($arguments[\"host\"]);\nAccept();\n";
    c.open(URI, text);
    let reply = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    let data: Vec<u64> = reply["result"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut column) = (0, 0);
    let mut tokens = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            column = 0;
        }
        line += t[0] as usize;
        column += t[1] as usize;
        let word = &lines[line][column..column + t[2] as usize];
        let mods: Vec<&str> = (0..modifiers.len())
            .filter(|i| t[4] & (1 << i) != 0)
            .map(|i| modifiers[i])
            .collect();
        tokens.push(format!(
            "{word} {} {}",
            types[t[3] as usize],
            mods.join(",")
        ));
    }
    assert_eq!(
        tokens,
        [
            "greet function declaration",
            "$who parameter declaration",
            "str_find function defaultLibrary",
            "$who parameter ",
            "greet function ",
            "$arguments variable readonly,defaultLibrary",
            "Accept function defaultLibrary,hook",
        ]
    );
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 6, "character": 0}}}),
    );
    let hints = hints["result"].as_array().unwrap();
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert_eq!(hints[0]["position"], json!({"line": 2, "character": 22}));
    assert!(hints[0]["label"].as_str().unwrap().ends_with(':'));
    c.shutdown();
}

/// The byte offset of a line and (ASCII) column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    text.split_inclusive('\n')
        .take(line)
        .map(str::len)
        .sum::<usize>()
        + column
}

#[test]
fn edits_give_the_diagnostics_of_the_whole_text() {
    let mut c = Client::start();
    c.initialize();
    let mut text = String::from("// hsl: hook=helo\n");
    for i in 0..50 {
        text.push_str(&format!(
            "function f{i}($a) {{ return $a + {i}; }}\necho f{i}(1);\n"
        ));
    }
    c.open(URI, &text);
    c.diagnostics(URI, 1);
    // A statement added, an edit inside a function body, a string left
    // open over the following lines and closed again, a line deleted.
    let edits = [
        ((5, 0), (5, 0), "echo $undefined;\n"),
        ((12, 27), (12, 27), " + $b"),
        ((21, 0), (21, 0), "echo \""),
        ((21, 6), (21, 6), "\";"),
        ((32, 0), (33, 0), ""),
    ];
    let other = "file:///work/hooks/helo/whole.hsl";
    for (i, (from, to, insert)) in edits.into_iter().enumerate() {
        let version = i as i64 + 2;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{
                "range": {"start": {"line": from.0, "character": from.1}, "end": {"line": to.0, "character": to.1}},
                "text": insert
            }]}),
        );
        let edited = c.diagnostics(URI, version);
        let range = offset(&text, from.0, from.1)..offset(&text, to.0, to.1);
        text.replace_range(range, insert);
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": other, "languageId": "hsl", "version": version, "text": text}}),
        );
        let whole = c.diagnostics(other, version);
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": other}}),
        );
        let summary = |list: &[Value]| -> Vec<String> {
            list.iter()
                .map(|d| format!("{} {} {}", d["range"], d["code"], d["message"]))
                .collect()
        };
        assert_eq!(summary(&edited), summary(&whole), "after edit {i}");
        let codes: Vec<&str> = edited.iter().map(|d| d["code"].as_str().unwrap()).collect();
        match i {
            0 => assert_eq!(codes, ["HSL107"]),
            1 => assert_eq!(codes, ["HSL107", "HSL107"]),
            2 => assert!(codes.contains(&"HSL003"), "{codes:?}"),
            3 => assert_eq!(codes, ["HSL107", "HSL107"]),
            _ => assert!(codes.contains(&"HSL101"), "f15 is gone: {codes:?}"),
        }
    }
    c.shutdown();
}

#[test]
fn a_document_over_the_size_limit_gets_one_diagnostic_and_no_analysis() {
    let dir = std::env::temp_dir().join(format!("hsl-lsp-large-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/hooks/helo")).unwrap();
    std::fs::write(dir.join("hsl.toml"), "max-file-size = \"1K\"\n").unwrap();
    let path = dir.join("src/hooks/helo/big.hsl");
    let uri = format!("file://{}", path.display());
    let mut c = Client::start();
    c.initialize();
    // 2 KB with an unknown function the checker would report.
    c.open(&uri, &"no_such_function();\n".repeat(100));
    let diags = c.diagnostics(&uri, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "HSL022");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("larger than the limit of 1024 bytes"));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    assert_eq!(hover["result"], Value::Null);
    // Under the limit again, the document is analysed.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "no_such_function();\n"}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "HSL101");
    c.shutdown();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A stream of edits typed fast (some waited for, completions in between)
/// into a script of functions and top-level code ends with the diagnostics
/// `hsl check` finds in the final text: re-parsing in place and reusing the
/// checks of unchanged functions change nothing a user sees. Most edits keep
/// the script well formed (so it is re-parsed a statement at a time and
/// judged); some break it for one version.
#[test]
fn random_edits_end_with_what_a_whole_check_finds() {
    const EDIT_URI: &str = "file:///work/src/hooks/rcptto/typed.hsl";
    let mut text = String::from("$limit = 3;\n");
    for i in 0..40 {
        text.push_str(&format!(
            "function check_{i}($a) {{\n\tif (str_find($a, \"x\") != -1) return true;\n\treturn length($a) > {i};\n}}\necho check_{i}($arguments[\"recipient\"]);\n"
        ));
    }
    let snippets = [
        " ",
        "\n",
        "$x = 1; ",
        "echo lenght(1); ",
        "echo $nope; ",
        "echo $arguments[\"recipent\"]; ",
        "function extra($q) { return $q . \"a function long enough to keep\"; }\n",
    ];
    // A small linear congruential generator: the same edits on every run.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let position = |text: &str, offset: usize| {
        let lc = hsl_syntax::LineIndex::new(text).line_col_utf16(text, offset);
        json!({"line": lc.line, "character": lc.column})
    };
    let mut c = Client::start();
    c.initialize();
    c.open(EDIT_URI, &text);
    c.diagnostics(EDIT_URI, 1);
    let last = 161;
    let mut broken: Option<usize> = None;
    for v in 2..=last {
        let (start, end, inserted) = match broken.take() {
            // Repair: remove the stray brace.
            Some(at) => (at, at + 1, ""),
            None => {
                // After a `;` or a line break: a statement may start there.
                let from = next(text.len());
                let at = text[from..]
                    .find([';', '\n'])
                    .map_or(text.len(), |i| from + i + 1);
                if next(10) == 0 && v < last - 1 {
                    broken = Some(at);
                    (at, at, "{")
                } else {
                    (at, at, snippets[next(snippets.len())])
                }
            }
        };
        let range = json!({"start": position(&text, start), "end": position(&text, end)});
        text.replace_range(start..end, inserted);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": EDIT_URI, "version": v}, "contentChanges": [{"range": range, "text": inserted}]}),
        );
        if next(10) < 3 {
            let at = position(&text, next(text.len() + 1));
            c.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": EDIT_URI}, "position": at}),
            );
        }
        if next(10) < 2 && v < last {
            c.diagnostics(EDIT_URI, v);
        }
    }
    let mut published: Vec<(String, Value)> = c
        .diagnostics(EDIT_URI, last)
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"].clone()))
        .collect();
    let path = std::path::Path::new("/work/src/hooks/rcptto/typed.hsl");
    let checker = hsl_check::Checker::new(hsl_check::Options::default());
    let mut whole: Vec<(String, Value)> = checker
        .check(path, &text)
        .unwrap()
        .iter()
        .map(|d| {
            let (s, e) = (d.span.start as usize, d.span.end as usize);
            let range = json!({"start": position(&text, s), "end": position(&text, e)});
            (d.code.to_string(), range)
        })
        .collect();
    published.sort_by_key(|(code, range)| (code.clone(), range.to_string()));
    whole.sort_by_key(|(code, range)| (code.clone(), range.to_string()));
    let semantic = whole
        .iter()
        .filter(|(code, _)| code.starts_with("HSL1"))
        .count();
    assert!(semantic > 10, "{whole:?}");
    assert_eq!(published, whole, "in:\n{text}");
    c.shutdown();
}

/// The parser accepts up to 20,000 operators in one expression, which the
/// checks walk and the freeing of a replaced version drops recursively: the
/// server's threads have the stack for it.
#[test]
fn the_longest_expression_the_parser_accepts_is_checked_without_a_crash() {
    let mut c = Client::start();
    c.initialize();
    let uri = example_uri("../files/long.hsl");
    let sum = vec!["1"; 19_000].join(" + ");
    let text = format!("$x = \"include\" . {sum};\necho $x;\n");
    c.open(&uri, &text);
    let found = c.diagnostics(&uri, 1);
    assert!(found.iter().all(|d| d["severity"] != 1), "{found:?}");
    // The replaced version's tree is freed in the background.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{text}echo 2;\n")}]}),
    );
    let found = c.diagnostics(&uri, 2);
    assert!(found.iter().all(|d| d["severity"] != 1), "{found:?}");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 6}}),
    );
    assert!(hover["error"].is_null(), "{hover}");
    c.shutdown();
}
