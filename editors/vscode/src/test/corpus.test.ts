// Tokenizes every .hsl file under testdata/ with the grammar. Every file
// tokenizes without an error or a stalled line; the files that lex cleanly
// end in the grammar's root state (no string, comment or raw string left
// open), and those that also parse cleanly contain nothing marked invalid.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { test } from "node:test";
import { Line, repoRoot, tokenize } from "./grammar";

const testdata = path.join(repoRoot, "testdata");
/** Files written to fail lexing or parsing, each for its own reason. */
const invalidDir = path.join(testdata, "syntax", "invalid");
/** Workspaces for `hsl check`, with deliberate mistakes such as `elseif` or `null`. */
const checkDir = path.join(testdata, "check");

function hslFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return hslFiles(full);
    return entry.name.endsWith(".hsl") ? [full] : [];
  });
}

/** The scopes of the construct left open at the end, with the line it starts on. */
function openAtEnd(lines: Line[]): { line: number; scopes: string[] } | undefined {
  if (lines[lines.length - 1].state.depth === 1) return undefined;
  let opened = lines.length - 1;
  while (opened > 0 && lines[opened - 1].state.depth > 1) opened--;
  const tokens = lines[opened].tokens;
  return { line: opened + 1, scopes: tokens[tokens.length - 1].scopes };
}

function invalidTokens(lines: Line[]): { line: number; text: string; scopes: string }[] {
  return lines.flatMap((line, i) =>
    line.tokens
      .filter((t) => t.scopes.some((s) => s.startsWith("invalid")))
      .map((t) => ({ line: i + 1, text: t.text, scopes: t.scopes.join(" ") })),
  );
}

const files = hslFiles(testdata).sort();
const relative = (file: string) => path.relative(repoRoot, file);

test("the corpus is there", () => {
  assert.ok(files.length >= 150, `only ${files.length} .hsl files under testdata/`);
  assert.ok(files.filter((f) => f.startsWith(invalidDir)).length >= 25);
});

for (const file of files.filter((f) => !f.startsWith(invalidDir))) {
  const clean = !file.startsWith(checkDir);
  test(`${relative(file)} ends in the root state${clean ? " with nothing invalid" : ""}`, async () => {
    const lines = await tokenize(fs.readFileSync(file, "utf8"));
    assert.deepStrictEqual(openAtEnd(lines), undefined);
    if (clean) assert.deepStrictEqual(invalidTokens(lines), []);
  });
}

/** What the grammar shows of the invalid files whose errors are lexical:
 * the construct left open at the end, if any, and the invalid tokens. */
const lexicalErrors: Record<string, { open?: string; invalid: string[] }> = {
  "unterminated_string.hsl": { open: "string.quoted.double.hsl", invalid: [] },
  "unterminated_comment.hsl": { open: "comment.block.hsl", invalid: [] },
  "single_quoted_string.hsl": { open: "string.quoted.raw.hsl", invalid: [] },
  "unterminated_regex.hsl": { invalid: ["#/^abc"] },
  "regex_with_slash.hsl": { invalid: ["b"] },
  "stray_characters.hsl": { invalid: ["#", "@"] },
  "c_operators.hsl": { invalid: ["&&", "||", "|="] },
  "bad_escape.hsl": { invalid: ["\\d"] },
  "bad_hex_escape.hsl": { invalid: ["\\x"] },
  "bad_interpolation.hsl": { invalid: ["${"] },
  "bad_numbers.hsl": { invalid: ["10_", "1e6", "12abc", "1.2.3"] },
  "reserved_words.hsl": { invalid: ["object", "yield"] },
  "elseif.hsl": { invalid: ["elseif"] },
  "nbsp.hsl": { invalid: ["\u00a0"] },
  "smart_quotes.hsl": { invalid: ["\u201c", "\u201d"] },
};

for (const file of files.filter((f) => f.startsWith(invalidDir))) {
  const expected = lexicalErrors[path.basename(file)];
  test(`${relative(file)} tokenizes${expected ? " and shows its lexical errors" : ""}`, async () => {
    const lines = await tokenize(fs.readFileSync(file, "utf8"));
    if (!expected) return;
    const open = openAtEnd(lines);
    assert.ok(
      expected.open ? open?.scopes.includes(expected.open) : open === undefined,
      `expected ${expected.open ?? "nothing"} open at the end, got ${JSON.stringify(open)}`,
    );
    assert.deepStrictEqual(invalidTokens(lines).map((t) => t.text), expected.invalid);
  });
}
