/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import * as hal from "@mm/hal";
import { describe, expect, it } from "vitest";
import { type DocExample, docExamples, type ExampleRun, ownExports, runExample } from "../../hal/test/doctest.js";
import * as buddy from "../src/index.js";

type Tree = { insert(key: number): boolean; has(key: number): boolean };

/** A red-black tree holding `keys`, made by the class the example documents. */
const treeOf = (own: Record<string, unknown>, keys: number[]) => {
  const tree = new (own.RedBlackTree as new () => Tree)();
  for (const key of keys) tree.insert(key);
  return tree;
};

/** What the fragments assume: the tree methods' examples write against a `tree` of 4096 and 8192. */
const given: Record<string, (own: Record<string, unknown>) => Record<string, unknown>> = {
  "red-black-tree.ts#insert": (own) => ({ tree: treeOf(own, []) }),
  ...Object.fromEntries(
    ["delete", "has", "floor", "ceiling", "deleteMin", "forEach", "clear", "inspect"].map((method) => [
      `red-black-tree.ts#${method}`,
      (own: Record<string, unknown>) => ({ tree: treeOf(own, [8192, 4096]) }),
    ]),
  ),
};

/** What the examples' prose claims beyond their commented results. */
const checks: Record<string, (run: ExampleRun, scope: Record<string, unknown>) => void> = {
  "README.md#1": ({ bindings, printed }) => {
    const { buddy: b, huge, dma } = bindings as { buddy: buddy.BuddyAllocator; huge: number; dma: number };
    expect(b.maxOrder).toBe(12); // orders 0..=12
    expect(b.baseSize).toBe(4096);
    expect(huge % (2 * 1024 * 1024)).toBe(0); // 2 MiB-aligned
    expect(huge >= 0x400000).toBe(true); // not in the reserved kernel image
    expect(dma % (8 * 4096)).toBe(0);
    expect(b.allocationSize(dma)).toBe(5 * 4096); // 5 frames
    expect(b.isFree(dma + 5 * 4096, 0)).toBe(true); // the rest of the 8-frame block went back
    expect(b.isFree(dma + 6 * 4096, 1)).toBe(true);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/order/); // the WRONG_ORDER message
    expect(printed[1]).toBe(`${b.stats().nrFree.join(",")} ${huge} ${dma}`); // free blocks per order, 13 of them
    expect(b.stats().nrFree).toHaveLength(13);
  },
  "red-black-tree.ts#delete": (_, { tree }) => expect((tree as Tree).has(4096)).toBe(false),
  "red-black-tree.ts#deleteMin": ({ printed }) => expect(printed).toEqual(["4096", "8192"]), // ascending
  "red-black-tree.ts#forEach": ({ printed }) => expect(printed).toEqual(["4096", "8192"]),
};

const examples = docExamples(new URL("../", import.meta.url));

describe("buddy's doc examples", () => {
  it("finds the README's and the documented classes' examples", () => {
    const ids = examples.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(["README.md#1", "buddy-allocator.ts#BuddyAllocator"]));
    for (const id of [...Object.keys(given), ...Object.keys(checks)]) expect(ids).toContain(id);
  });

  it.each(examples.map((e): [string, DocExample] => [e.id, e]))("%s", async (id, example) => {
    const own = await ownExports(example);
    const scope = { ...buddy, ...own, ...given[id]?.(own) };
    const run = runExample(example, { modules: { "@mm/buddy": buddy, "@mm/hal": hal }, scope });
    checks[id]?.(run, scope);
  });
});
