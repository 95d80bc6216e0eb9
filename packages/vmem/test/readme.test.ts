/**
 * Runs every ```ts block of the README's Examples section: the `import … from "@mm/vmem"` line is bound to this
 * package's source, and each `console.log(…); // → text` line must print exactly `text`.
 */
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as vmem from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const examples = readme.slice(readme.indexOf("## Examples"), readme.indexOf("## How it works"));
const blocks = [...examples.matchAll(/### (.+)\n\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);

describe("README examples", () => {
  it("has three examples", () => {
    expect(blocks.map(([title]) => title)).toEqual([
      "GPU sub-allocation with WebGPU's rules",
      "File extents",
      "Lowest-free IDs and PIDs",
    ]);
  });

  it.each(blocks)("%s runs and prints what its comments say", (_, code) => {
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
    expect(expected.length).toBeGreaterThan(0);
    const printed: string[] = [];
    const fakeConsole = { log: (...values: unknown[]) => printed.push(values.map(String).join(" ")) };
    const body = code.replace(/^import \{ (.+) \} from "@mm\/vmem";$/m, "const { $1 } = vmem;");
    // The examples are TypeScript (strict: `!` where an allocation may return undefined): strip the types first.
    const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    new Function("vmem", "console", js)(vmem, fakeConsole);
    expect(printed).toEqual(expected);
  });
});
