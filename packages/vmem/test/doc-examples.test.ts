/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import * as hal from "@mm/hal";
import { expect } from "vitest";
import { type DocFixture, describeDocExamples } from "../../hal/test/doctest.js";
import * as vmem from "../src/index.js";

/** The arena a method's example writes against: one span of 1 MiB at `base`. */
const arenaAt = (base: number) => ({ arena: new vmem.Arena({ name: "doc", base, size: 2 ** 20 }) });

/** The README's examples show their results by printing them, each print checked against its `// →`. */
const prints = (lines: number): DocFixture => ({ check: ({ printed }) => expect(printed).toHaveLength(lines) });

describeDocExamples(
  "vmem",
  new URL("../", import.meta.url),
  { "@mm/hal": hal, "@mm/vmem": vmem },
  {
    "README.md#1": prints(3),
    "README.md#2": prints(3),
    "README.md#3": prints(2),
    "arena.ts#alloc": { given: () => arenaAt(0x1000) },
    "arena.ts#xalloc": { given: () => arenaAt(0) },
    "arena.ts#addSpan": { given: () => arenaAt(0) },
  },
);
