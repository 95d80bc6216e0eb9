/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import * as hal from "@mm/hal";
import { expect } from "vitest";
import { type DocFixture, describeDocExamples } from "../../hal/test/doctest.js";
import * as buddy from "../src/index.js";

type Tree = { insert(key: number): boolean; has(key: number): boolean };

/** The tree methods' examples write against a `tree` of 4096 and 8192, made by the class they document. */
const withTree = (keys: number[], check?: DocFixture["check"]): DocFixture => ({
  given: (own) => {
    const tree = new (own.RedBlackTree as new () => Tree)();
    for (const key of keys) tree.insert(key);
    return { tree };
  },
  check,
});
const printsAscending: DocFixture["check"] = ({ printed }) => expect(printed).toEqual(["4096", "8192"]);

describeDocExamples(
  "buddy",
  new URL("../", import.meta.url),
  { "@mm/hal": hal, "@mm/buddy": buddy },
  {
    "README.md#1": {
      check: ({ bindings, printed }) => {
        const { buddy: b, huge, dma } = bindings as { buddy: buddy.BuddyAllocator; huge: number; dma: number };
        expect([b.maxOrder, b.baseSize]).toEqual([12, 4096]); // 4 KiB frames, orders 0..=12
        expect(huge % (2 * 1024 * 1024)).toBe(0); // 2 MiB-aligned
        expect(huge >= 0x400000).toBe(true); // not in the reserved kernel image
        expect(dma % (8 * 4096)).toBe(0);
        expect(b.allocationSize(dma)).toBe(5 * 4096); // 5 frames
        expect(b.isFree(dma + 5 * 4096, 0)).toBe(true); // the rest of the 8-frame block went back
        expect(b.isFree(dma + 6 * 4096, 1)).toBe(true);
        expect(printed).toHaveLength(2);
        expect(printed[0]).toMatch(/order/); // the WRONG_ORDER message
        expect(printed[1]).toBe(`${b.stats().nrFree.join(",")} ${huge} ${dma}`); // free blocks per order
        expect(b.stats().nrFree).toHaveLength(13);
      },
    },
    "red-black-tree.ts#insert": withTree([]),
    "red-black-tree.ts#delete": withTree([8192, 4096], (_, { tree }) => expect((tree as Tree).has(4096)).toBe(false)),
    "red-black-tree.ts#has": withTree([8192, 4096]),
    "red-black-tree.ts#floor": withTree([8192, 4096]),
    "red-black-tree.ts#ceiling": withTree([8192, 4096]),
    "red-black-tree.ts#deleteMin": withTree([8192, 4096], printsAscending),
    "red-black-tree.ts#forEach": withTree([8192, 4096], printsAscending),
    "red-black-tree.ts#clear": withTree([8192, 4096]),
    "red-black-tree.ts#inspect": withTree([8192, 4096]),
  },
);
