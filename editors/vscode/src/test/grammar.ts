// Loads syntaxes/hsl.tmLanguage.json with the TextMate engine VS Code uses
// (vscode-textmate on the Oniguruma regex library) and tokenizes text with it.
import * as fs from "fs";
import * as path from "path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

export const extensionRoot = path.join(__dirname, "..", "..");
export const repoRoot = path.join(extensionRoot, "..", "..");

/** The time one line may take before tokenizing it counts as stalled. */
const LINE_TIME_LIMIT_MS = 1000;

export interface Token {
  text: string;
  scopes: string[];
}

export interface Line {
  tokens: Token[];
  /** The rule stack after this line; `depth` 1 is the grammar's root. */
  state: textmate.StateStack;
}

let grammar: Promise<textmate.IGrammar> | undefined;

export function loadGrammar(): Promise<textmate.IGrammar> {
  grammar ??= load();
  return grammar;
}

async function load(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      textmate.parseRawGrammar(
        fs.readFileSync(path.join(extensionRoot, "syntaxes", "hsl.tmLanguage.json"), "utf8"),
        "hsl.tmLanguage.json",
      ),
  });
  const loaded = await registry.loadGrammar("source.hsl");
  if (!loaded) throw new Error("the grammar source.hsl did not load");
  return loaded;
}

/** Tokenizes `text` line by line as the editor does; throws if a line stalls. */
export async function tokenize(text: string): Promise<Line[]> {
  const g = await loadGrammar();
  let state = textmate.INITIAL;
  return text.split(/\r\n|\r|\n/).map((line, index) => {
    const result = g.tokenizeLine(line, state, LINE_TIME_LIMIT_MS);
    if (result.stoppedEarly) {
      throw new Error(`line ${index + 1} took longer than ${LINE_TIME_LIMIT_MS} ms to tokenize`);
    }
    state = result.ruleStack;
    const tokens = result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    return { tokens, state };
  });
}
