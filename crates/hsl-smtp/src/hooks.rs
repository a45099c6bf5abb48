//! Running hook scripts: the predefined variables, verdict functions built
//! from the catalog (they end the script), the hook's implicit verdict when
//! the script ends without one and its on-error verdict when it fails, and
//! the reply a verdict stands for (catalog default, `reason`, `reply_codes`).

use crate::legacy;
use crate::message;
use crate::transcript::{Cause, HookRun};
use crate::values;
use hsl_catalog::{Catalog, HalonVersion, Hook};
use hsl_eval::modules::Modules;
use hsl_eval::value::{Function, Value};
use hsl_eval::{Interpreter, Limits, RuntimeError, Signal, Verdict};
use hsl_syntax::ast::Program;
use hsl_syntax::{LineIndex, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A hook script, parsed once with everything it includes or imports.
#[derive(Debug)]
pub struct Script {
    /// The path as shown in transcripts.
    pub display: String,
    path: PathBuf,
    program: Program,
    modules: Modules,
}

impl Script {
    /// Reads and parses a script; syntax errors are `file:line:column: message`.
    pub fn load(path: &Path, display: String) -> Result<Script, String> {
        let bytes = hsl_syntax::read_file(path, hsl_syntax::DEFAULT_MAX_FILE_SIZE)
            .map_err(|e| format!("{display}: {e}"))?;
        let (text, _) = hsl_syntax::decode(&bytes);
        let parse = hsl_syntax::parse(&text);
        if let Some(d) = parse
            .diagnostics
            .iter()
            .find(|d| d.severity == hsl_syntax::Severity::Error)
        {
            let at = LineIndex::new(&text).line_col(&text, d.span.start as usize);
            return Err(format!(
                "{display}:{}:{}: {} [{}]",
                at.line + 1,
                at.column + 1,
                d.message,
                d.code
            ));
        }
        let loaded = Modules::load(&parse.program, &text, path);
        let mut script = Script {
            display,
            path: path.to_path_buf(),
            program: parse.program,
            modules: Modules::default(),
        };
        match loaded {
            Ok(modules) => {
                script.modules = modules;
                Ok(script)
            }
            Err(e) => Err(script.located(e)),
        }
    }

    /// `file:line:column: message`, with this script's own path as shown in transcripts.
    fn located(&self, e: RuntimeError) -> String {
        let file = if Path::new(&e.file) == self.path {
            self.display.clone()
        } else {
            e.file
        };
        format!("{file}:{}:{}: {}", e.line, e.column, e.message)
    }
}

/// The scripts of a session, per hook.
pub type Scripts = BTreeMap<Hook, Script>;

/// The predefined variables of one hook run (`$context` is kept by the runner).
pub struct HookInput {
    /// `$arguments`
    pub arguments: Value,
    /// `$connection`
    pub connection: Value,
    /// `$transaction`
    pub transaction: Value,
}

/// The outcome of a hook run.
#[derive(Debug)]
pub struct Decision {
    /// What the transcript shows.
    pub run: HookRun,
    /// The reply code and enhanced code the verdict stands for (none for `Pass`).
    pub code: Option<(u16, Option<[u8; 3]>)>,
    /// The reply text the script gave.
    pub reason: Option<Vec<String>>,
    /// The verdict's options array.
    pub options: Value,
    /// The address `SetSenderIP()` set (4.x connect).
    pub sender_ip: Option<String>,
}

impl Decision {
    /// The verdict's name, e.g. `Accept`.
    pub fn verdict(&self) -> &str {
        &self.run.verdict
    }

    /// An entry of the options array.
    pub fn option(&self, key: &str) -> Option<&Value> {
        values::get(&self.options, key)
    }

    /// The verdict asked to close the connection (`disconnect: true`).
    pub fn disconnect(&self) -> bool {
        self.option("disconnect").is_some_and(Value::truthy)
    }

    /// The reply, with `default_text` when the script gave no reason.
    pub fn reply(&self, default_text: &str) -> Option<crate::reply::Reply> {
        let (code, enhanced) = self.code?;
        let lines = match &self.reason {
            Some(lines) if !lines.is_empty() => lines.clone(),
            _ => vec![default_text.to_string()],
        };
        Some(crate::reply::Reply {
            code,
            enhanced,
            lines,
        })
    }
}

/// Runs the hook scripts of one connection, keeping `$context` between them.
pub struct Runner<'s> {
    scripts: &'s Scripts,
    version: HalonVersion,
    context: Value,
    clock: f64,
    seed: u64,
    stubs: hsl_eval::stubs::Stubs,
    limits: Limits,
}

impl<'s> Runner<'s> {
    /// A runner for `scripts` with a fixed clock, a random seed and stubs.
    pub fn new(
        scripts: &'s Scripts,
        version: HalonVersion,
        clock: f64,
        seed: u64,
        stubs: hsl_eval::stubs::Stubs,
        steps: u64,
    ) -> Self {
        Runner {
            scripts,
            version,
            context: Value::None,
            clock,
            seed,
            stubs,
            limits: Limits {
                steps,
                ..Limits::default()
            },
        }
    }

    /// `$context` as it is now.
    pub fn context(&self) -> &Value {
        &self.context
    }
}

impl crate::server::Policy for Runner<'_> {
    fn has(&self, hook: Hook) -> bool {
        self.scripts.contains_key(&hook)
    }

    fn run(&mut self, hook: Hook, input: HookInput) -> Option<Decision> {
        let script = self.scripts.get(&hook)?;
        let catalog = Catalog::get(self.version);
        let data = catalog.hook(hook);
        self.seed = self
            .seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let mut echo = Vec::new();
        let sender_ip = std::cell::RefCell::new(None);
        let queued = std::cell::RefCell::new(Vec::new());
        let mail;
        let (result, arguments, error_file, context) = {
            let mut sink = |b: &[u8]| echo.extend_from_slice(b);
            let mut it = Interpreter::new(self.limits, &mut sink);
            it.set_modules(&script.modules, script.path.clone());
            it.set_stubs(self.stubs.clone());
            let clock = self.clock;
            it.set_clock(Box::new(move || clock));
            it.set_seed(self.seed);
            for f in data.functions.iter().filter(|f| f.terminates) {
                let name = f.name.clone();
                it.define_function(
                    &f.name,
                    Box::new(move |args, span| {
                        Err(Signal::Terminate(Verdict {
                            name: name.clone(),
                            args,
                            span,
                        }))
                    }),
                );
            }
            if hook == Hook::Eod {
                let id = values::get(&input.transaction, "id")
                    .map(values::string)
                    .unwrap_or_default();
                it.define_function("EODMailMessage->queue", message::queue(&queued, id));
            }
            if self.version < HalonVersion::V6 {
                legacy::define(&mut it, hook, catalog, &input, &sender_ip);
            }
            mail = values::get(&input.arguments, "mail").cloned();
            it.define_variable("arguments", input.arguments, true);
            it.define_variable("connection", input.connection, true);
            it.define_variable("transaction", input.transaction, true);
            it.define_variable("context", std::mem::take(&mut self.context), false);
            let result = it.run(&script.program);
            let arguments = match &result {
                Err(Signal::Terminate(v)) => v.args.iter().map(|a| to_json(&mut it, a)).collect(),
                _ => Vec::new(),
            };
            let error_file = it.error_file().unwrap_or(&script.path).to_path_buf();
            (
                result,
                arguments,
                error_file,
                it.global("context").unwrap_or_default(),
            )
        };
        self.context = context;
        // A verdict the script called, or the error (with its position)
        // that makes the hook take its on-error verdict.
        let called = match result {
            Ok(()) => Ok(Taken::new(
                catalog,
                hook,
                &data.implicit,
                Vec::new(),
                Cause::Implicit,
            )),
            Err(Signal::Terminate(v)) => {
                Taken::try_new(catalog, hook, &v.name, v.args, Cause::Called)
                    .map_err(|message| (format!("{}(): {message}", v.name), v.span))
            }
            Err(Signal::Throw(v, span)) => {
                let message = format!("uncaught exception: {}", v.thrown_text());
                Err((in_simulate(message), span))
            }
            Err(Signal::Limit(message, span)) => Err((message, span)),
        };
        let (taken, error, arguments) = match called {
            Ok(taken) => (taken, None, arguments),
            Err((message, span)) => {
                let e = script
                    .modules
                    .error(&error_file, span.start as usize, message);
                let taken = Taken::new(catalog, hook, &data.on_error, Vec::new(), Cause::Error);
                (taken, Some(script.located(e)), Vec::new())
            }
        };
        let notes =
            crate::server::options::notes(hook, &taken.verdict, taken.function, &taken.options);
        let echo = String::from_utf8_lossy(&echo);
        Some(Decision {
            run: HookRun {
                hook: hook.as_str().to_string(),
                file: script.display.clone(),
                verdict: taken.verdict,
                arguments,
                cause: taken.cause,
                error,
                notes,
                echo: echo.lines().map(str::to_string).collect(),
                queued: queued.into_inner(),
                message: mail.as_ref().and_then(hsl_eval::mail::message_bytes),
            },
            code: taken.code,
            reason: taken.reason,
            options: taken.options,
            sender_ip: sender_ip.into_inner(),
        })
    }
}

/// The interpreter's advice for a function without a stub, worded for
/// `hsl simulate`, whose stubs are the session's `stubs`.
fn in_simulate(message: String) -> String {
    message
        .replace("`hsl run`", "`hsl simulate`")
        .replace("in a stub file", "in the session's `stubs`")
}

/// A reply code and its enhanced code.
type Code = (u16, Option<[u8; 3]>);

/// A verdict with what it stands for.
struct Taken<'c> {
    verdict: String,
    function: Option<&'c hsl_catalog::Function>,
    cause: Cause,
    code: Option<Code>,
    reason: Option<Vec<String>>,
    options: Value,
}

impl<'c> Taken<'c> {
    /// A verdict the script called: its `reply_codes` must fit it.
    fn try_new(
        catalog: &'c Catalog,
        hook: Hook,
        verdict: &str,
        args: Vec<Value>,
        cause: Cause,
    ) -> Result<Taken<'c>, String> {
        // An implicit or on-error verdict may name its code: `Reply 421`.
        let (name, forced) = match verdict.split_once(' ') {
            Some((name, code)) => (name, code.parse::<u16>().ok()),
            None => (verdict, None),
        };
        let function = catalog.function(name, Some(hook));
        let param = |options: bool| {
            let params = &function?.params;
            let i = if options {
                params.iter().position(|p| p.name == "options")?
            } else {
                params.iter().position(|p| p.ty.contains("string"))?
            };
            args.get(i)
        };
        let options = param(true).cloned().unwrap_or_default();
        // The reason argument, or (for verdicts without one) the `reason` option.
        let reason = param(false)
            .or_else(|| values::get(&options, "reason"))
            .filter(|v| !matches!(v, Value::None))
            .map(values::lines);
        let code = reply_code(hook, name, catalog.reply(hook, name), forced, &options)?;
        Ok(Taken {
            verdict: name.to_string(),
            function,
            cause,
            code,
            reason,
            options,
        })
    }

    /// The hook's implicit or on-error verdict (no options, so its reply is
    /// the default one).
    fn new(
        catalog: &'c Catalog,
        hook: Hook,
        verdict: &str,
        args: Vec<Value>,
        cause: Cause,
    ) -> Taken<'c> {
        Taken::try_new(catalog, hook, verdict, args, cause).unwrap_or_else(|_| Taken {
            verdict: verdict.to_string(),
            function: None,
            cause,
            code: None,
            reason: None,
            options: Value::None,
        })
    }
}

/// The reply class a verdict's code must have (`None`: any, for the proxy
/// hook's `Reply()`, which answers a command with a code of the script's choosing).
fn verdict_class(hook: Hook, verdict: &str, default: Option<u16>) -> Option<u16> {
    match (hook, verdict) {
        (Hook::Proxy, "Reply") => None,
        (_, "Reject") => Some(5),
        (_, "Defer") => Some(4),
        _ => Some(default.map_or(2, |c| c / 100)),
    }
}

/// The reply code and enhanced code of a verdict: the documented default
/// from the catalog (or
/// the on-error verdict's own code), overridden by `reply_codes`, which must
/// fit the verdict (a `Reject()` cannot answer 354).
fn reply_code(
    hook: Hook,
    verdict: &str,
    reply: Option<&hsl_catalog::Reply>,
    forced: Option<u16>,
    options: &Value,
) -> Result<Option<Code>, String> {
    let default = match forced {
        Some(c) => Some((c, None)),
        None => reply.map(|r| (r.code, r.enhanced)),
    };
    let Some(rc) = values::get(options, "reply_codes") else {
        return Ok(default);
    };
    let class = verdict_class(hook, verdict, default.map(|d| d.0));
    let (mut code, mut enhanced) = default.unwrap_or((class.unwrap_or(2) * 100 + 50, None));
    if let Some(v) = values::get(rc, "code") {
        let n = v.to_number();
        if n.fract() != 0.0 || !(200.0..600.0).contains(&n) {
            return Err(format!(
                "`reply_codes` code {} is not a reply code (a whole number from 200 to 599)",
                values::string(v)
            ));
        }
        code = n as u16;
        if class.is_some_and(|c| c != code / 100) {
            return Err(format!(
                "`reply_codes` code {code} does not fit {verdict}(), whose replies are {}xx",
                class.unwrap_or_default()
            ));
        }
        if enhanced.is_some_and(|[c, _, _]| u16::from(c) != code / 100) {
            enhanced = None;
        }
    }
    if let Some(v) = values::get(rc, "enhanced") {
        let parts: Vec<f64> = match v {
            Value::Array(a) => a.map.values().map(Value::to_number).collect(),
            _ => Vec::new(),
        };
        let text = parts
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        let parsed = match parts[..] {
            [_, _, _] if parts.iter().all(|p| p.fract() == 0.0) => {
                crate::reply::parse_enhanced(&text)
            }
            _ => None,
        };
        let Some(e) = parsed else {
            return Err(format!(
                "`reply_codes` enhanced code {} is not three whole numbers (class 2, 4 or 5)",
                hook_json(v)
            ));
        };
        if u16::from(e[0]) != code / 100 {
            return Err(format!(
                "`reply_codes` enhanced code {text} does not fit reply code {code}"
            ));
        }
        enhanced = Some(e);
    }
    Ok(Some((code, enhanced)))
}

/// A value as compact JSON text, for messages.
fn hook_json(v: &Value) -> String {
    value_json(v).to_string()
}

/// A value as JSON, converted by the interpreter's own `json_encode`.
pub fn to_json(it: &mut Interpreter, v: &Value) -> serde_json::Value {
    let encoded = it.invoke(
        &Function::Named("json_encode".into()),
        vec![v.clone()],
        true,
        Span::new(0, 0),
    );
    match encoded {
        Ok(Value::Str(s)) => serde_json::from_slice(&s).unwrap_or_default(),
        _ => serde_json::Value::Null,
    }
}

/// [`to_json`] outside a hook run.
pub fn value_json(v: &Value) -> serde_json::Value {
    let mut sink = |_: &[u8]| {};
    let mut it = Interpreter::new(Limits::default(), &mut sink);
    to_json(&mut it, v)
}
