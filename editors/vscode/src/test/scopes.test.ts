// The scopes the grammar gives to small samples of each lexical construct,
// checked against what the lexer (crates/hsl-syntax/src) makes of them.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { test } from "node:test";
import { extensionRoot, repoRoot, tokenize } from "./grammar";

interface Placed {
  start: number;
  end: number;
  scopes: string[];
}

/** The tokens of `source` with their offsets in it. */
async function placedTokens(source: string): Promise<Placed[]> {
  const lines = await tokenize(source);
  const placed: Placed[] = [];
  let offset = 0;
  for (const line of lines) {
    let at = offset;
    for (const token of line.tokens) {
      placed.push({ start: at, end: at + token.text.length, scopes: token.scopes });
      at += token.text.length;
    }
    offset = source.indexOf("\n", at) + 1 || source.length;
  }
  return placed;
}

/** The tokens covering the `nth` occurrence of `text` in `source`. */
async function tokensOf(source: string, text: string, nth = 0): Promise<Placed[]> {
  let start = -1;
  for (let i = 0; i <= nth; i++) {
    start = source.indexOf(text, start + 1);
    assert.notStrictEqual(start, -1, `${JSON.stringify(text)} (#${nth}) is not in ${JSON.stringify(source)}`);
  }
  const end = start + text.length;
  return (await placedTokens(source)).filter((t) => t.end > start && t.start < end && t.end > t.start).map((t) => ({
    ...t,
    start: t.start - start,
    end: t.end - start,
  }));
}

function show(tokens: Placed[]): string {
  return tokens.map((t) => `[${t.start},${t.end}) ${t.scopes.join(" ")}`).join("; ");
}

/** `text` in `source` is exactly a run of tokens that all have `scope`. */
async function hasScope(source: string, text: string, scope: string, nth = 0): Promise<void> {
  const tokens = await tokensOf(source, text, nth);
  const whole = tokens[0].start === 0 && tokens[tokens.length - 1].end === text.length;
  assert.ok(
    whole && tokens.every((t) => t.scopes.includes(scope)),
    `in ${JSON.stringify(source)}, ${JSON.stringify(text)} should be ${scope} as a whole, got ${show(tokens)}`,
  );
}

/** No part of `text` in `source` has a scope that starts with `prefix`. */
async function lacksScope(source: string, text: string, prefix: string, nth = 0): Promise<void> {
  const tokens = await tokensOf(source, text, nth);
  assert.ok(
    tokens.every((t) => !t.scopes.some((s) => s.startsWith(prefix))),
    `in ${JSON.stringify(source)}, ${JSON.stringify(text)} should not be ${prefix}*, got ${show(tokens)}`,
  );
}

test("regex literals are #/…/flags with \\/ for a slash inside", async () => {
  await hasScope("$ok = $s =~ #/a\\/b/i;", "#/a\\/b/i", "string.regexp.hsl");
  await lacksScope("$ok = $s =~ #/a\\/b/i;", ";", "string.regexp");
  await hasScope("$m = [#/x/, #/y\\d+$/msuxUX];", "#/x/", "string.regexp.hsl");
  await hasScope("$m = [#/x/, #/y\\d+$/msuxUX];", "#/y\\d+$/msuxUX", "string.regexp.hsl");
  await lacksScope("$m = [#/x/, #/y\\d+$/msuxUX];", ", ", "string.regexp");
  await hasScope("$r = #/abc/q;", "q", "invalid.illegal.flag.hsl");
  await hasScope("$r = #/abc/ib;", "#/abc/ib", "string.regexp.hsl");
  await hasScope("$r = #/abc/ib;", "ib", "invalid.illegal.flag.hsl");
  // An unescaped slash inside the pattern: like the lexer, the literal runs
  // to the later slash and the text between is flagged.
  await hasScope("$r = #/^a/b$/;", "#/^a/b$/", "string.regexp.hsl");
  await hasScope("$r = #/^a/b$/;", "b", "invalid.illegal.flag.hsl");
  await hasScope("$r = #/^abc\n$x = 1;", "#/^abc", "invalid.illegal.unterminated.regexp.hsl");
  await hasScope("$r = #/^abc\n$x = 1;", "$x", "variable.other.hsl");
});

// Only with LF line breaks: before CRLF the backslash escapes the \r, and the
// lexer reports the literal unterminated, which the grammar cannot see since
// the editor hands it lines without their breaks.
test("a backslash before a line break continues a regex literal on the next line, as the lexer reads it", async () => {
  const source = "$r = #/ab\\\ncd\\/e\\\nf/iU; $x = 1;";
  await hasScope(source, "#/ab\\\ncd\\/e\\\nf/iU", "string.regexp.hsl");
  await lacksScope(source, source, "invalid");
  await lacksScope(source, "; $x", "string.regexp");
  await hasScope(source, "$x", "variable.other.hsl");
  await hasScope("$r = #/ab\\\ncd/q; $x = 1;", "q", "invalid.illegal.flag.hsl");
  await hasScope("$r = #/ab\\\ncd/q; $x = 1;", "$x", "variable.other.hsl");
  // An escaped backslash at the end of the line does not continue it: the
  // literal is unterminated there and the next line is code again.
  await hasScope("$r = #/ab\\\\\n$x = 1;", "#/ab\\\\", "invalid.illegal.unterminated.regexp.hsl");
  await hasScope("$r = #/ab\\\\\n$x = 1;", "$x", "variable.other.hsl");
  const open = "$r = #/ab\\\ncd\\\\\n$x = 1;";
  await hasScope(open, "#/ab\\", "string.regexp.hsl");
  await hasScope(open, "cd\\\\", "invalid.illegal.unterminated.regexp.hsl");
  await hasScope(open, "$x", "variable.other.hsl");
  await hasScope("$r = #/ab\\\n\n$x = 1;", "$x", "variable.other.hsl");
});

test("a slash without # is division, never a regex", async () => {
  const source = "$q = $a / $b / 2; $r = $c /2/ 3;";
  await lacksScope(source, source, "string.regexp");
  for (let i = 0; i < 4; i++) await hasScope(source, "/", "keyword.operator.hsl", i);
  await hasScope("$a /= 2;", "/=", "keyword.operator.assignment.hsl");
});

test("raw strings end at their own delimiter and have no escapes or interpolation", async () => {
  await hasScope("$s = ''a\\b $c''; $t = 1;", "''a\\b $c''", "string.quoted.raw.hsl");
  await lacksScope("$s = ''a\\b $c''; $t = 1;", "$c", "variable");
  await lacksScope("$s = ''a\\b $c''; $t = 1;", "\\b", "constant.character.escape");
  await hasScope("$s = ''a\\b $c''; $t = 1;", "$t", "variable.other.hsl");
  await hasScope("$s = 'END'it's ''x'''END'; $t = 1;", "'END'it's ''x'''END'", "string.quoted.raw.hsl");
  await hasScope("$s = 'END'it's ''x'''END'; $t = 1;", "$t", "variable.other.hsl");
  // Delimiters with regex metacharacters match literally.
  await hasScope("$s = '.*'a'b'.*'; $t = 1;", "'.*'a'b'.*'", "string.quoted.raw.hsl");
  await hasScope("$s = '.*'a'b'.*'; $t = 1;", "$t", "variable.other.hsl");
  await hasScope("$s = ''''; $t = 1;", "''''", "string.quoted.raw.hsl");
  await hasScope("$pem = ''\n-----BEGIN $x-----\n''; $t = 1;", "-----BEGIN $x-----", "string.quoted.raw.hsl");
  await hasScope("$pem = ''\n-----BEGIN $x-----\n''; $t = 1;", "$t", "variable.other.hsl");
});

test("double-quoted strings interpolate $name and ${name} only", async () => {
  const source = 'echo "a $user/${dir}x $ 5 \\$no $a[0] $o->x";';
  await hasScope(source, source.slice(5, -1), "string.quoted.double.hsl");
  await hasScope(source, "$user", "variable.other.interpolated.hsl");
  await hasScope(source, "${dir}", "variable.other.interpolated.hsl");
  await hasScope(source, "$a", "variable.other.interpolated.hsl");
  await hasScope(source, "$o", "variable.other.interpolated.hsl");
  await lacksScope(source, "x $ 5", "variable");
  await lacksScope(source, "[0]", "variable");
  await lacksScope(source, "->x", "variable");
  await hasScope(source, "\\$", "constant.character.escape.hsl");
  await lacksScope(source, "no", "variable");
  await hasScope('echo "${ name }";', "${", "invalid.illegal.interpolation.hsl");
  await hasScope('echo "${}";', "${", "invalid.illegal.interpolation.hsl");
});

test("double-quoted strings know the escapes \\\\ \\\" \\$ \\n \\r \\t \\xHH", async () => {
  const source = 'echo "\\\\ \\" \\$ \\n \\r \\t \\x4F \\q \\x4"; $t = 1;';
  for (const escape of ["\\\\", '\\"', "\\$", "\\n", "\\r", "\\t", "\\x4F"]) {
    await hasScope(source, escape, "constant.character.escape.hsl");
  }
  await hasScope(source, "\\q", "invalid.illegal.escape.hsl");
  await hasScope(source, "\\x", "invalid.illegal.escape.hsl", 1);
  await hasScope(source, "$t", "variable.other.hsl");
  await hasScope('echo "one\ntwo $x"; $t = 1;', "two ", "string.quoted.double.hsl");
  await hasScope('echo "one\ntwo $x"; $t = 1;', "$t", "variable.other.hsl");
});

test("a backslash before a line break in a double-quoted string is an unknown escape, as the lexer reports it", async () => {
  for (const lineBreak of ["\n", "\r\n"]) {
    const source = `echo "one \\${lineBreak} two"; $t = 1;`;
    await hasScope(source, "\\", "invalid.illegal.escape.hsl");
    await hasScope(source, "\\", "string.quoted.double.hsl");
    await hasScope(source, " two", "string.quoted.double.hsl");
    await lacksScope(source, " two", "invalid");
    await hasScope(source, "$t", "variable.other.hsl");
  }
  const escaped = 'echo "one \\\\\n two"; $t = 1;';
  await hasScope(escaped, "\\\\", "constant.character.escape.hsl");
  await lacksScope(escaped, escaped, "invalid");
  await hasScope(escaped, "$t", "variable.other.hsl");
});

test("comments are // to the end of the line and /* … */ without nesting; # is not one", async () => {
  await hasScope('$a = 1; // say "hi\n$b = 2;', '// say "hi', "comment.line.double-slash.hsl");
  await hasScope('$a = 1; // say "hi\n$b = 2;', "$b", "variable.other.hsl");
  await hasScope('/* a "b\n c /* d */ $x = 1;', " c /* d */", "comment.block.hsl");
  await hasScope('/* a "b\n c /* d */ $x = 1;', "$x", "variable.other.hsl");
  await hasScope("$a = 1 /**/ / /* c */ 2;", "/**/", "comment.block.hsl");
  await hasScope("$a = 1 /**/ / /* c */ 2;", "/", "keyword.operator.hsl", 2);
  await lacksScope('echo "// no /* no";', '"// no /* no"', "comment");
  await lacksScope("''/* no''", "''/* no''", "comment");
  await lacksScope("# not a comment", "# not a comment", "comment");
});

test("numbers in every base, with _ between digits; malformed ones are invalid", async () => {
  const source = "$n = [0x1F, 0xff_ff, 0o17, 0b0001_1111, 1_000, 2.5, 7];";
  await hasScope(source, "0x1F", "constant.numeric.hex.hsl");
  await hasScope(source, "0xff_ff", "constant.numeric.hex.hsl");
  await hasScope(source, "0o17", "constant.numeric.octal.hsl");
  await hasScope(source, "0b0001_1111", "constant.numeric.binary.hsl");
  await hasScope(source, "1_000", "constant.numeric.decimal.hsl");
  await hasScope(source, "2.5", "constant.numeric.decimal.hsl");
  await hasScope(source, "7", "constant.numeric.decimal.hsl", 1);
  await hasScope('$s = "x".5;', "5", "constant.numeric.decimal.hsl");
  for (const bad of ["10_", "1__0", "1e6", "12abc", "1.2.3", "0x", "0b12", "0o8"]) {
    await hasScope(`$n = ${bad};`, bad, "invalid.illegal.numeric.hsl");
  }
  await lacksScope("$v2 = x2;", "2", "constant.numeric");
});

/** The reserved words of the lexer, read from its token list. */
function lexerKeywords(): string[] {
  const source = fs.readFileSync(path.join(repoRoot, "crates", "hsl-syntax", "src", "token.rs"), "utf8");
  const list = /pub const KEYWORDS: &'static \[&'static str\] = &\[([^\]]*)\]/.exec(source);
  assert.ok(list, "Token::KEYWORDS not found in token.rs");
  return [...list[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
}

test("every reserved word of the lexer is highlighted as one", async () => {
  const keywords = lexerKeywords();
  assert.ok(keywords.length >= 40, `only ${keywords.length} keywords read from token.rs`);
  const scopes = /^(keyword|storage|constant\.language|invalid\.illegal\.reserved)\./;
  for (const word of keywords) {
    const tokens = await tokensOf(`${word} `, word);
    assert.ok(
      tokens.length === 1 && tokens[0].scopes.some((s) => scopes.test(s)),
      `keyword ${word} got ${show(tokens)}`,
    );
  }
  for (const word of ["object", "yield"]) await hasScope(`${word};`, word, "invalid.illegal.reserved.hsl");
  for (const word of ["android", "iffy", "notice", "$if"]) {
    await lacksScope("$android = iffy(notice, $if);", word, "keyword");
  }
  await hasScope("$o->default();", "default", "entity.name.function.method.hsl");
  await hasScope("$o->match;", "match", "variable.other.property.hsl");
});

test("the predefined variables are language variables", async () => {
  for (const name of ["$arguments", "$connection", "$transaction", "$message", "$context"]) {
    await hasScope(`$x = ${name}["id"];`, name, "variable.language.context.hsl");
  }
  await hasScope("return $this->x;", "$this", "variable.language.this.hsl");
  await hasScope("$contexts = $thisone;", "$contexts", "variable.other.hsl");
  await hasScope("$contexts = $thisone;", "$thisone", "variable.other.hsl");
});

const catalogData = path.join(repoRoot, "crates", "hsl-catalog", "data");

/** The top-level variable names of a catalog data file: the `- name:` items
 * right under each `variables:` key, not the `keys` nested in them. */
function catalogVariables(file: string): string[] {
  const names: string[] = [];
  let items: number | undefined;
  for (const line of fs.readFileSync(path.join(catalogData, file), "utf8").split("\n")) {
    const indent = line.search(/\S/);
    if (indent < 0) continue;
    const key = /^( *)variables:$/.exec(line);
    if (key) {
      items = key[1].length;
      continue;
    }
    if (items === undefined) continue;
    const item = /^( *)- name: (\S+)$/.exec(line);
    if (item && item[1].length === items) names.push(item[2]);
    else if (indent < items || (indent === items && !line.startsWith("- ", indent))) items = undefined;
  }
  return names;
}

/** The predefined variables of Halon 6.x: those of the hooks' catalog files. */
function currentVariables(): string[] {
  const files = fs.readdirSync(path.join(catalogData, "hooks")).filter((f) => f.endsWith(".yaml"));
  return [...new Set(files.flatMap((f) => catalogVariables(path.join("hooks", f))))].sort();
}

/** The predefined variables of Halon 4.x and 5.x that 6.x no longer has. */
function legacyVariables(): string[] {
  const current = currentVariables();
  const old = [...catalogVariables("v4.yaml"), ...catalogVariables("v5.yaml")];
  return [...new Set(old.filter((name) => !current.includes(name)))].sort();
}

/** The names the grammar's variable pattern `scope` matches, read from its alternation. */
function grammarVariables(scope: string): string[] {
  const grammar = JSON.parse(fs.readFileSync(path.join(extensionRoot, "syntaxes", "hsl.tmLanguage.json"), "utf8"));
  const rule = grammar.repository.variables.patterns.find((p: { name?: string }) => p.name === scope);
  assert.ok(rule, `the grammar has no variable pattern ${scope}`);
  const list = /^\\\$\(\?:([A-Za-z0-9_|]+)\)\\b$/.exec(rule.match);
  assert.ok(list, `${scope} is not one alternation of names: ${rule.match}`);
  return list[1].split("|").map((name) => `$${name}`);
}

const legacyScope = "variable.language.predefined.legacy.hsl";

test("the grammar's predefined variables are the catalog's, for 6.x and for 4.x and 5.x", () => {
  const current = currentVariables();
  const legacy = legacyVariables();
  assert.deepStrictEqual(current, ["$arguments", "$connection", "$context", "$message", "$transaction"]);
  assert.ok(legacy.length >= 30, `only ${legacy.length} 4.x and 5.x variables read from the catalog`);
  for (const name of ["$senderip", "$recipient", "$saslusername", "$senderlocalpart"]) {
    assert.ok(legacy.includes(name), `${name} is not among the catalog's 4.x and 5.x variables`);
  }
  assert.deepStrictEqual(grammarVariables("variable.language.context.hsl").sort(), current);
  assert.deepStrictEqual(grammarVariables(legacyScope).sort(), legacy);
});

test("the predefined variables of Halon 4.x and 5.x are language variables too", async () => {
  for (const name of legacyVariables()) {
    await hasScope(`if (${name} != "") echo ${name};`, name, legacyScope);
    await hasScope(`if (${name} != "") echo ${name};`, name, legacyScope, 1);
  }
  for (const name of ["$foo", "$senderipv6", "$recipient_list", "$retry2"]) {
    await hasScope(`$x = ${name};`, name, "variable.other.hsl");
    await lacksScope(`$x = ${name};`, name, "variable.language");
  }
  await hasScope('echo "from $senderip";', "$senderip", "variable.other.interpolated.hsl");
});

test("compound operators HSL does not have are invalid as a whole", async () => {
  for (const op of ["<<=", ">>>=", ">>=", "&=", "|=", "^=", "&&", "||"]) {
    await hasScope(`$a ${op} $b;`, op, "invalid.illegal.operator.hsl");
  }
});

test("operators HSL has are one token each and valid", async () => {
  const ops = ["<<", ">>", ">>>", "**=", "??=", ".=", "%=", "===", "!==", "==", "!=", "<=", ">=", "=~", "!~", "=>", "??", "**", "...", "::", "++", "--", "<", ">", "&", "|", "^", "~"];
  for (const op of ops) {
    const tokens = await tokensOf(`$a ${op} $b;`, op);
    assert.ok(
      tokens.length === 1 && tokens[0].start === 0 && tokens[0].end === op.length &&
        tokens[0].scopes.some((s) => s.startsWith("keyword.operator")) &&
        !tokens[0].scopes.some((s) => s.startsWith("invalid")),
      `operator ${op} got ${show(tokens)}`,
    );
  }
});

test("characters that start no token are invalid, except in strings and comments", async () => {
  for (const c of ["\u00a0", "\u201c", "\u201d", "\u201e", "é", "@", "`", "\\", "#", "$", "'", "\u0001"]) {
    await hasScope(`f(${c} 1);`, c, "invalid.illegal.character.hsl");
  }
  await hasScope("echo 'hello world';", "'", "invalid.illegal.character.hsl", 1);
  const elsewhere = 'echo "“é” $ # @"; // “é” \' @\n/* “é” */ $r = #/é @ # $/;';
  await lacksScope(elsewhere, elsewhere, "invalid");
});

test("declarations and calls", async () => {
  await hasScope("function check($x) {}", "function", "storage.type.function.hsl");
  await hasScope("function check($x) {}", "check", "entity.name.function.hsl");
  await hasScope("class Greeter {}", "Greeter", "entity.name.type.class.hsl");
  await hasScope("if ($a and $b) Reject();", "Reject", "entity.name.function.hsl");
  await hasScope("if ($a and $b) Reject();", "and", "keyword.operator.word.hsl");
  await hasScope("$x = File::read($p);", "File", "entity.name.type.class.hsl");
  await hasScope("$x = Box::default();", "default", "entity.name.function.method.hsl");
});
