/**
 * Doctests: the ```ts examples of a package's README and of the TSDoc in its src/ (and hal's one-line
 * `@example code // → value`), extracted and run, so the docs are the one copy and cannot drift from the code.
 *
 * What an example claims, and how it is checked:
 * - `expr; // value` or `const x = expr; // value`: the value (`expr`, or `x`) deep-equals `value`, a literal
 *   (number, string, boolean, null, undefined, NaN, arrays and objects of those) that may be followed by prose after
 *   `: `, `; `, `, `, ` (` or ` —`. A comment that starts with anything else is prose, and not checked.
 * - `// → value`: the same, but `value` must parse: an arrow always claims something.
 * - `console.log(…); // → text` (or `// "text"`, also for `warn`, `error`, `info`): the call prints exactly `text`.
 * - the claim may stand alone on the line after a statement, as `// value`.
 *
 * An `import … from "pkg"` binds the given module; the package's own exports and `given` names are in scope,
 * for the fragments a TSDoc writes against an object it assumes (`tree.floor(5000)`). A name the example uses and
 * nobody gives is a ReferenceError, so every example really runs. This file is test code, shared by path like
 * expect-error.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * One example: its code and where it stands. `id` is `README.md#2` (the second block), or the source file's name and
 * the declaration documented (`pow2.ts#pow2`, `red-black-tree.ts#floor`), which stays put when a file moves.
 */
export interface DocExample {
  readonly id: string;
  /** The file relative to the package (`src/pow2.ts`), and its absolute path, to import its exports. */
  readonly file: string;
  readonly path: string;
  /** The line of the example's first line of code. */
  readonly line: number;
  readonly code: string;
}

/** Every example of the package at `root`: the README's ```ts blocks, then the TSDoc examples of src/, by file. */
export function docExamples(root: URL): DocExample[] {
  const dir = fileURLToPath(root);
  const examples = markdownExamples(join(dir, "README.md"));
  for (const file of sourceFiles(join(dir, "src"))) examples.push(...tsdocExamples(file, relative(dir, file)));
  return examples;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function markdownExamples(path: string): DocExample[] {
  const name = basename(path);
  const lines = readFileSync(path, "utf8").split("\n");
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```ts") continue;
    const end = lines.indexOf("```", i + 1);
    const code = lines.slice(i + 1, end).join("\n");
    out.push({ id: `${name}#${out.length + 1}`, file: name, path, line: i + 2, code });
    i = end;
  }
  return out;
}

/** The examples in the `/** … *\/` comments of one source file, each named after the declaration it documents. */
function tsdocExamples(path: string, name: string): DocExample[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const out: DocExample[] = [];
  const named = new Map<string, number>();
  const add = (line: number, code: string) => {
    const symbol = documentedName(lines, line);
    const n = (named.get(symbol) ?? 0) + 1;
    named.set(symbol, n);
    out.push({ id: `${basename(path)}#${symbol}${n > 1 ? `#${n}` : ""}`, file: name, path, line: line + 1, code });
  };
  const text = (line: string) => line.replace(/^\s*\* ?/, "");
  for (let i = 0; i < lines.length; i++) {
    const inline = /^\s*\* @example (.+)$/.exec(lines[i]!);
    if (inline) add(i, inline[1]!);
    if (text(lines[i]!).trim() !== "```ts" || !/^\s*\*/.test(lines[i]!)) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; text(lines[j]!).trim() !== "```"; j++) body.push(text(lines[j]!));
    add(i + 1, body.join("\n"));
    i = j;
  }
  return out;
}

/** The name declared after the doc comment that holds line `from`: `class X`, `function f`, a method or a field. */
function documentedName(lines: readonly string[], from: number): string {
  let i = from;
  while (!lines[i]!.includes("*/")) i++;
  const declaration = lines[i + 1]!.trim();
  const m =
    /^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|function|interface|const|let|type|enum)\s+([A-Za-z_$][\w$]*)/.exec(
      declaration,
    ) ?? /^(?:static\s+|readonly\s+|get\s+|set\s+|async\s+)*([A-Za-z_$#][\w$]*)/.exec(declaration);
  return m ? m[1]! : `line${i + 2}`;
}

/** What one example needs beyond its own code. */
export interface DocFixture {
  /**
   * What a fragment assumes (`tree` for `tree.floor(5000)`), made fresh for each run from the exports of the
   * example's own file.
   */
  readonly given?: (own: Record<string, unknown>) => Record<string, unknown>;
  /** What its prose claims beyond its commented results, checked after the run. */
  readonly check?: (run: ExampleRun, scope: Record<string, unknown>) => void;
}

/**
 * One test per example of the package at `root`, each run with its claims checked. `modules` are what imports bind;
 * their exports, merged in order, are also in scope without an import, beside those of the example's own file.
 * Every id in `fixtures` must name an example (a renamed declaration must not drop its checks).
 */
export function describeDocExamples(
  name: string,
  root: URL,
  modules: Readonly<Record<string, object>>,
  fixtures: Readonly<Record<string, DocFixture>>,
): void {
  const examples = docExamples(root);
  const shared = Object.assign({}, ...Object.values(modules)) as Record<string, unknown>;
  describe(`${name}'s doc examples`, () => {
    it("include every example a fixture names", () => {
      expect(examples.map((e) => e.id)).toEqual(expect.arrayContaining(Object.keys(fixtures)));
    });
    it.each(examples.map((e): [string, DocExample] => [e.id, e]))("%s", async (id, example) => {
      const own = await ownExports(example);
      const scope = { ...shared, ...own, ...fixtures[id]?.given?.(own) };
      fixtures[id]?.check?.(runExample(example, { modules, scope }), scope);
    });
  });
}

/** The exports of the file an example stands in: a TSDoc example may use them without an import. */
export async function ownExports(example: DocExample): Promise<Record<string, unknown>> {
  return example.path.endsWith(".ts") ? { ...(await import(example.path)) } : {};
}

/** What a run of an example gives back: its top-level bindings, and every line it printed. */
export interface ExampleRun {
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly printed: readonly string[];
}

export interface RunOptions {
  /** What `import … from "name"` binds. */
  readonly modules: Readonly<Record<string, object>>;
  /** Names in scope without an import: the package's own exports and what a fragment assumes. */
  readonly scope?: Readonly<Record<string, unknown>>;
}

/** Runs `example`, checking each claim its comments make (see the file header); fails the test on the first wrong one. */
export function runExample(example: DocExample, options: RunOptions): ExampleRun {
  const source = claimsChecked(example);
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const body = js.replace(
    /^import\s*\{([^}]*)\}\s*from\s*"([^"]+)";?$/gm,
    (_, names: string, from: string) =>
      `const {${names.replace(/\s+as\s+/g, ": ")}} = __module(${JSON.stringify(from)});`,
  );
  const printed: string[] = [];
  const print = (...values: unknown[]) => {
    printed.push(values.map(String).join(" "));
  };
  const fakeConsole = { log: print, warn: print, error: print, info: print };
  const module = (name: string) => {
    const found = options.modules[name];
    if (found === undefined) throw new Error(`${example.id}: no module given for import "${name}"`);
    return found;
  };
  const claim = (actual: unknown, expected: unknown, where: string) => expect(actual, where).toEqual(expected);
  const prints = (call: () => void, expected: string, where: string) => {
    const start = printed.length;
    call();
    expect(printed.slice(start).join("\n"), where).toBe(expected);
  };
  const scope = { ...options.scope, __claim: claim, __prints: prints, __module: module, console: fakeConsole };
  const names = topLevelNames(source);
  // A block of its own, so the example's declarations may shadow names in scope (its imports do).
  const run = new Function(...Object.keys(scope), `{\n${body}\nreturn { ${names.join(", ")} };\n}`);
  return { bindings: run(...Object.values(scope)) as Record<string, unknown>, printed };
}

/** The example's TypeScript with each claim turned into a `__claim` or `__prints` call. */
function claimsChecked(example: DocExample): string {
  const code = example.code;
  const file = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) {
      const comment = claimComment(code, node.end);
      if (comment !== undefined) {
        const line = file.getLineAndCharacterOfPosition(node.getStart()).line;
        const where = JSON.stringify(`${example.file}:${example.line + line}: ${comment.trim()}`);
        const edit = claimEdit(node, comment, where);
        if (edit) edits.push(edit);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = code;
  for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, start) + text + out.slice(end);
  }
  return out;
}

/** The text of the `//` comment after position `end` on the same line, or alone on the next line. */
function claimComment(code: string, end: number): string | undefined {
  const same = /^[ \t]*\/\/(.*)/.exec(code.slice(end));
  if (same) return same[1]!;
  const next = /^[ \t]*\r?\n[ \t]*\/\/(.*)/.exec(code.slice(end));
  return next && parseLiteral(next[1]!.trim()) !== undefined ? next[1]! : undefined;
}

function claimEdit(
  node: ts.ExpressionStatement | ts.VariableStatement,
  comment: string,
  where: string,
): { start: number; end: number; text: string } | undefined {
  const text = comment.trim();
  const arrow = text.startsWith("→");
  const claimed = arrow ? text.slice(1).trim() : text;
  const start = node.getStart();
  const statement = node.getText();
  if (ts.isExpressionStatement(node) && isConsoleCall(node.expression)) {
    const literal = parseLiteral(claimed);
    const output = arrow ? claimed : typeof literal?.value === "string" ? literal.value : undefined;
    if (output === undefined) return undefined;
    return { start, end: node.end, text: `__prints(() => { ${statement} }, ${JSON.stringify(output)}, ${where});` };
  }
  const literal = parseLiteral(claimed);
  if (literal === undefined) {
    if (arrow) throw new Error(`${where}: the value after → is not a literal`);
    return undefined;
  }
  if (ts.isExpressionStatement(node)) {
    const expression = node.expression.getText();
    return { start, end: node.end, text: `__claim((${expression}), (${literal.text}), ${where});` };
  }
  const last = node.declarationList.declarations.at(-1)!;
  if (!ts.isIdentifier(last.name)) throw new Error(`${where}: a claim on a destructuring declaration`);
  return { start: node.end, end: node.end, text: ` __claim(${last.name.text}, (${literal.text}), ${where});` };
}

function isConsoleCall(expression: ts.Expression): boolean {
  return (
    ts.isCallExpression(expression) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    expression.expression.expression.getText() === "console"
  );
}

const SEPARATORS = [": ", "; ", ", ", " (", " —"];

/** The longest prefix of `text` that is a literal, ending at the end or before a separator; undefined if none. */
function parseLiteral(text: string): { text: string; value: unknown } | undefined {
  const cuts = [text.length];
  for (const separator of SEPARATORS) {
    for (let i = text.indexOf(separator); i > 0; i = text.indexOf(separator, i + 1)) cuts.push(i);
  }
  for (const cut of cuts.sort((a, b) => b - a)) {
    const prefix = text.slice(0, cut);
    if (isLiteralText(prefix)) return { text: prefix, value: new Function(`return (${prefix});`)() };
  }
  return undefined;
}

function isLiteralText(text: string): boolean {
  const file = ts.createSourceFile("claim.ts", `(${text})`, ts.ScriptTarget.ES2022, true);
  const diagnostics = (file as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics;
  const [statement] = file.statements;
  return (
    diagnostics.length === 0 &&
    file.statements.length === 1 &&
    statement !== undefined &&
    ts.isExpressionStatement(statement) &&
    isLiteral(statement.expression)
  );
}

function isLiteral(node: ts.Node): boolean {
  if (ts.isParenthesizedExpression(node)) return isLiteral(node.expression);
  if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isStringLiteral(node)) return true;
  if (ts.isNoSubstitutionTemplateLiteral(node)) return true;
  const kind = node.kind;
  if (kind === ts.SyntaxKind.TrueKeyword || kind === ts.SyntaxKind.FalseKeyword || kind === ts.SyntaxKind.NullKeyword) {
    return true;
  }
  if (ts.isIdentifier(node)) return ["NaN", "undefined", "Infinity"].includes(node.text);
  if (ts.isPrefixUnaryExpression(node)) return node.operator === ts.SyntaxKind.MinusToken && isLiteral(node.operand);
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(isLiteral);
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every((p) => ts.isPropertyAssignment(p) && isLiteral(p.initializer));
  }
  return false;
}

/** The names the example declares at its top level, returned as {@link ExampleRun.bindings}. */
function topLevelNames(code: string): string[] {
  const file = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}
