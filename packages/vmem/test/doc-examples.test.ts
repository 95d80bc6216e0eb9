/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import * as hal from "@mm/hal";
import { describe, expect, it } from "vitest";
import { type DocExample, docExamples, ownExports, runExample } from "../../hal/test/doctest.js";
import * as vmem from "../src/index.js";

/** The arena a method's example writes against: one span of 1 MiB at `base`. */
const arenaAt = (base: number) => ({ arena: new vmem.Arena({ name: "doc", base, size: 2 ** 20 }) });

/** What the fragments assume. */
const given: Record<string, () => Record<string, unknown>> = {
  "arena.ts#alloc": () => arenaAt(0x1000),
  "arena.ts#xalloc": () => arenaAt(0),
  "arena.ts#addSpan": () => arenaAt(0),
};

const examples = docExamples(new URL("../", import.meta.url));

describe("vmem's doc examples", () => {
  it("finds the README's three examples and the Arena's", () => {
    const ids = examples.map((e) => e.id);
    expect(ids.filter((id) => id.startsWith("README.md#"))).toEqual(["README.md#1", "README.md#2", "README.md#3"]);
    expect(ids).toContain("arena.ts#Arena");
    for (const id of Object.keys(given)) expect(ids).toContain(id);
  });

  it.each(examples.map((e): [string, DocExample] => [e.id, e]))("%s", async (id, example) => {
    const scope = { ...vmem, ...(await ownExports(example)), ...given[id]?.() };
    const run = runExample(example, { modules: { "@mm/hal": hal, "@mm/vmem": vmem }, scope });
    // The README's examples show their results by printing them: each print is checked against its `// →`.
    if (example.file === "README.md") expect(run.printed.length).toBeGreaterThan(1);
  });
});
