/** The README's and the TSDoc's examples, run with every result their comments claim checked (doctest.ts). */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as hal from "../src/index.js";
import { describeDocExamples } from "./doctest.js";
import { thrownBy } from "./expect-error.js";

const IOMEM = readFileSync(new URL("fixtures/iomem.txt", import.meta.url), "utf8");
const added: [number, number][] = [];

describeDocExamples(
  "hal",
  new URL("../", import.meta.url),
  { "@mm/hal": hal },
  {
    "README.md#1": {
      check: ({ bindings, printed }) => {
        expect(bindings.base).toBe(2 ** 32);
        expect((bindings.base as number) ^ (bindings.huge as number)).toBe(0x20_0000); // the seed's `^`, as it says
        expect(printed).toEqual(["OUT_OF_RANGE 9007199254740992 an integer in 0 … 2^53 − 1"]);
      },
    },
    "errors.ts#isAllocatorError": {
      given: () => ({ e: thrownBy(() => hal.PAddr(2 ** 53)) }),
      check: ({ printed }) => expect(printed).toEqual(["9007199254740992 an integer in 0 … 2^53 − 1"]),
    },
    "iomem.ts#parseIomem": {
      given: () => ({
        readFileSync: (path: string) => (path === "/proc/iomem" ? IOMEM : readFileSync(path, "utf8")),
        buddy: { addRange: (start: number, end: number) => added.push([start, end]) },
      }),
      check: () => {
        expect(added.length).toBeGreaterThan(0);
        expect(added).toEqual(hal.parseIomem(IOMEM).map(({ start, end }) => [start, end]));
      },
    },
  },
);

it("the README states the bitwise pitfalls correctly", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  expect(readme).toContain("`0x1_0000_0000 ^ 0x20_0000` is `0x20_0000`, and `1 << 32` is `1`");
  expect(0x1_0000_0000 ^ 0x20_0000).toBe(0x20_0000);
  expect(1 << 32).toBe(1);
});
