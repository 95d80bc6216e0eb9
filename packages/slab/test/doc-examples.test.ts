/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import * as buddy from "@mm/buddy";
import * as hal from "@mm/hal";
import { expect } from "vitest";
import { describeDocExamples } from "../../hal/test/doctest.js";
import * as slab from "../src/index.js";

describeDocExamples(
  "slab",
  new URL("../", import.meta.url),
  { "@mm/hal": hal, "@mm/buddy": buddy, "@mm/slab": slab },
  {
    "README.md#1": {
      check: ({ bindings, printed }) => {
        const { pages, a, b, big } = bindings as { pages: buddy.BuddyAllocator; a: number; b: number; big: number };
        expect(b).toBe(a); // same address: 120 still fits kmalloc-128
        expect(big % 32768).toBe(0); // a whole order-3 block
        expect(pages.availableBytes).toBe(256 * 1024 * 1024); // empty slabs went back to the buddy
        expect(printed).toHaveLength(1);
        expect(printed[0]).toMatch(/^slabinfo - version: 2\.1\n/); // /proc/slabinfo 2.1 format
        expect(printed[0]).toContain("kmalloc-128");
      },
    },
    "slab-cache.ts#alloc": {
      given: () => ({
        cache: new slab.SlabCache({ pages: new buddy.BuddyAllocator({ bins: buddy.BitmapBins }), objectSize: 64 }),
      }),
    },
  },
);
