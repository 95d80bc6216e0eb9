/** The README's and the TSDoc's examples, run with every result their comments claim checked (doctest.ts). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as hal from "../src/index.js";
import { type DocExample, docExamples, type ExampleRun, runExample } from "./doctest.js";
import { thrownBy } from "./expect-error.js";

const IOMEM = readFileSync(new URL("fixtures/iomem.txt", import.meta.url), "utf8");

/** What the fragments assume, and what the examples' prose claims beyond their commented results. */
const added: [number, number][] = [];
const given: Record<string, Record<string, unknown>> = {
  "errors.ts#isAllocatorError": { e: thrownBy(() => hal.PAddr(2 ** 53)) },
  "iomem.ts#parseIomem": {
    readFileSync: (path: string) => (path === "/proc/iomem" ? IOMEM : readFileSync(path, "utf8")),
    buddy: { addRange: (start: number, end: number) => added.push([start, end]) },
  },
};
const checks: Record<string, (run: ExampleRun) => void> = {
  "README.md#1": ({ bindings, printed }) => {
    expect(bindings.base).toBe(2 ** 32);
    expect((bindings.base as number) ^ (bindings.huge as number)).toBe(0x20_0000); // the seed's `^`, as the comment says
    expect(printed).toEqual(["OUT_OF_RANGE 9007199254740992 an integer in 0 … 2^53 − 1"]);
  },
  "errors.ts#isAllocatorError": ({ printed }) => {
    expect(printed).toEqual(["9007199254740992 an integer in 0 … 2^53 − 1"]);
  },
  "iomem.ts#parseIomem": () => {
    expect(added).toEqual(hal.parseIomem(IOMEM).map(({ start, end }) => [start, end]));
    expect(added.length).toBeGreaterThan(0);
  },
};

const examples = docExamples(new URL("../", import.meta.url));

describe("hal's doc examples", () => {
  it("finds the README's and every documented function's examples", () => {
    expect(examples.map((e) => e.id)).toEqual(expect.arrayContaining(["README.md#1", "pow2.ts#pow2"]));
    expect(examples.length).toBeGreaterThan(30);
    for (const id of [...Object.keys(given), ...Object.keys(checks)]) expect(examples.map((e) => e.id)).toContain(id);
  });

  it.each(examples.map((e): [string, DocExample] => [e.id, e]))("%s", (id, example) => {
    const run = runExample(example, { modules: { "@mm/hal": hal }, scope: { ...hal, ...given[id] } });
    checks[id]?.(run);
  });

  it("the README states the bitwise pitfalls correctly", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain("`0x1_0000_0000 ^ 0x20_0000` is `0x20_0000`, and `1 << 32` is `1`");
    expect(0x1_0000_0000 ^ 0x20_0000).toBe(0x20_0000);
    expect(1 << 32).toBe(1);
  });
});
