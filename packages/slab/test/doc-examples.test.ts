/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import * as buddy from "@mm/buddy";
import * as hal from "@mm/hal";
import { describe, expect, it } from "vitest";
import { type DocExample, docExamples, type ExampleRun, ownExports, runExample } from "../../hal/test/doctest.js";
import * as slab from "../src/index.js";

/** What the fragments assume. */
const given: Record<string, () => Record<string, unknown>> = {
  "slab-cache.ts#alloc": () => ({
    cache: new slab.SlabCache({ pages: new buddy.BuddyAllocator({ bins: buddy.BitmapBins }), objectSize: 64 }),
  }),
};

/** What the examples' prose claims beyond their commented results. */
const checks: Record<string, (run: ExampleRun) => void> = {
  "README.md#1": ({ bindings, printed }) => {
    const { pages, a, b, big } = bindings as {
      pages: buddy.BuddyAllocator;
      a: number;
      b: number;
      big: number;
    };
    expect(b).toBe(a); // same address: 120 still fits kmalloc-128
    expect(big % 32768).toBe(0); // a whole order-3 block
    expect(pages.availableBytes).toBe(256 * 1024 * 1024); // empty slabs went back to the buddy
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^slabinfo - version: 2\.1\n/); // /proc/slabinfo 2.1 format
    expect(printed[0]).toContain("kmalloc-128");
  },
};

const examples = docExamples(new URL("../", import.meta.url));

describe("slab's doc examples", () => {
  it("finds the README's and the documented classes' examples", () => {
    const ids = examples.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(["README.md#1", "slab-allocator.ts#SlabAllocator"]));
    for (const id of [...Object.keys(given), ...Object.keys(checks)]) expect(ids).toContain(id);
  });

  it.each(examples.map((e): [string, DocExample] => [e.id, e]))("%s", async (id, example) => {
    const scope = { ...buddy, ...slab, ...(await ownExports(example)), ...given[id]?.() };
    const run = runExample(example, { modules: { "@mm/buddy": buddy, "@mm/hal": hal, "@mm/slab": slab }, scope });
    checks[id]?.(run);
  });
});
