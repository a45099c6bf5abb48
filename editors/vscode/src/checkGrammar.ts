// Tokenizes sample HSL with the TextMate grammar and checks the scopes the
// highlighting relies on. Run by `npm run build`; exits non-zero on mismatch.
import * as fs from "fs";
import * as path from "path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const root = path.join(__dirname, "..");

async function main(): Promise<void> {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      textmate.parseRawGrammar(
        fs.readFileSync(path.join(root, "syntaxes", "hsl.tmLanguage.json"), "utf8"),
        "hsl.tmLanguage.json",
      ),
  });
  const grammar = await registry.loadGrammar("source.hsl");
  if (!grammar) throw new Error("grammar did not load");

  // [source line, text of a token, a scope that token must have]
  const cases: [string, string, string][] = [
    ['echo "hi $name";', "$name", "variable.other.interpolated.hsl"],
    ['echo "tab\\t";', "\\t", "constant.character.escape.hsl"],
    ["$s = 'END'it's'END';", "it's", "string.quoted.raw.hsl"],
    ["$n = 0x1F + 1_000;", "0x1F", "constant.numeric.hex.hsl"],
    ["if ($a and $b) Reject();", "and", "keyword.operator.word.hsl"],
    ["if ($a and $b) Reject();", "Reject", "entity.name.function.hsl"],
    ["$h = $arguments[\"host\"];", "$arguments", "variable.language.context.hsl"],
    ["function check($x) {}", "check", "entity.name.function.hsl"],
    ["$ok = $s =~ #/^a\\/b$/i;", "#/^a\\/b$/i", "string.regexp.hsl"],
    ["// note", "// note", "comment.line.double-slash.hsl"],
    ["if ($a && $b) {}", "&&", "invalid.illegal.operator.hsl"],
    ["$a <<= 1;", "<<=", "invalid.illegal.operator.hsl"],
    ["$a >>>= 1;", ">>>=", "invalid.illegal.operator.hsl"],
    ["$a &= 1;", "&=", "invalid.illegal.operator.hsl"],
    ["$a |= 1;", "|=", "invalid.illegal.operator.hsl"],
    ["$a ^= 1;", "^=", "invalid.illegal.operator.hsl"],
  ];
  let failures = 0;
  for (const [line, text, scope] of cases) {
    const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
    const token = tokens.find((t) => line.slice(t.startIndex, t.endIndex) === text);
    if (!token || !token.scopes.includes(scope)) {
      failures++;
      console.error(`FAIL ${JSON.stringify(line)}: ${JSON.stringify(text)} has ${token ? token.scopes.join(" ") : "no token"}, expected ${scope}`);
    }
  }
  console.log(`${cases.length - failures} passed, ${failures} failed`);
  if (failures > 0) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
