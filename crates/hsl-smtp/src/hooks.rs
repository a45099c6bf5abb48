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
        let bytes = std::fs::read(path).map_err(|e| format!("{display}: {e}"))?;
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
        let failure = |message: String, span: Span| {
            let e = script
                .modules
                .error(&error_file, span.start as usize, message);
            Some(script.located(e))
        };
        let (verdict, args, cause, error) = match result {
            Ok(()) => (data.implicit.clone(), Vec::new(), Cause::Implicit, None),
            Err(Signal::Terminate(v)) => (v.name, v.args, Cause::Called, None),
            Err(Signal::Throw(v, span)) => {
                let message = match &v {
                    Value::Object(o) => o.exception_message().unwrap_or_else(|| v.to_bytes()),
                    other => other.to_bytes(),
                };
                let message = format!("uncaught exception: {}", String::from_utf8_lossy(&message));
                (
                    data.on_error.clone(),
                    Vec::new(),
                    Cause::Error,
                    failure(message, span),
                )
            }
            Err(Signal::Limit(message, span)) => (
                data.on_error.clone(),
                Vec::new(),
                Cause::Error,
                failure(message, span),
            ),
        };
        // An on-error verdict may name its code: `Reply 421`.
        let (verdict, forced_code) = match verdict.split_once(' ') {
            Some((name, code)) => (name.to_string(), code.parse::<u16>().ok()),
            None => (verdict, None),
        };
        let function = catalog.function(&verdict, Some(hook));
        let param = |name: &str| {
            let params = &function?.params;
            let i = if name == "options" {
                params.iter().position(|p| p.name == "options")?
            } else {
                params.iter().position(|p| p.ty.contains("string"))?
            };
            args.get(i)
        };
        let options = param("options").cloned().unwrap_or_default();
        let reason = param("reason")
            .filter(|v| !matches!(v, Value::None))
            .map(values::lines);
        let code = reply_code(function, forced_code, &options);
        let echo = String::from_utf8_lossy(&echo);
        Some(Decision {
            run: HookRun {
                hook: hook.as_str().to_string(),
                file: script.display.clone(),
                verdict,
                arguments,
                cause,
                error,
                echo: echo.lines().map(str::to_string).collect(),
                queued: queued.into_inner(),
            },
            code,
            reason,
            options,
            sender_ip: sender_ip.into_inner(),
        })
    }
}

/// The reply code and enhanced code of a verdict: the catalog's default (or
/// the on-error verdict's own code), overridden by `reply_codes`.
fn reply_code(
    function: Option<&hsl_catalog::Function>,
    forced: Option<u16>,
    options: &Value,
) -> Option<(u16, Option<[u8; 3]>)> {
    let (mut code, mut enhanced) = match forced {
        Some(c) => (c, None),
        None => function?.reply.as_ref().map(|r| (r.code, r.enhanced))?,
    };
    let Some(rc) = values::get(options, "reply_codes") else {
        return Some((code, enhanced));
    };
    if let Some(n) = values::get(rc, "code").map(Value::to_number) {
        if (200.0..600.0).contains(&n) {
            code = n as u16;
        }
    }
    if let Some(Value::Array(parts)) = values::get(rc, "enhanced") {
        let n: Vec<f64> = parts.map.values().map(Value::to_number).collect();
        if let [a, b, d] = n[..] {
            // Malformed codes (negative, fractional, class 9…) are ignored.
            if let Some(e) = crate::reply::parse_enhanced(&format!("{a}.{b}.{d}")) {
                enhanced = Some(e);
            }
        }
    }
    // Keep the enhanced code's class in step with the code; 3xx replies have none.
    let enhanced = match code / 100 {
        3 => None,
        class => enhanced.map(|[_, subject, detail]| [class as u8, subject, detail]),
    };
    Some((code, enhanced))
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
