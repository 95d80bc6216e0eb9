/** The README example, run statement by statement with its commented results asserted. */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { alignUp, Bytes, buddyOf, isAllocatorError, PAddr, parseIomem, trimRange } from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = readme.slice(readme.indexOf("```ts\n"), readme.indexOf("```\n", readme.indexOf("```ts\n") + 6));

describe("README example", () => {
  it("is the code tested below", () => {
    for (const line of [
      'import { alignUp, buddyOf, Bytes, isAllocatorError, PAddr, parseIomem, trimRange } from "@mm/hal";',
      "const base = PAddr(0x1_0000_0000);",
      "const huge = Bytes(2 * 1024 * 1024);",
      "alignUp(base + 1, huge); // 0x1_0020_0000",
      "buddyOf(base, huge); // 0x1_0020_0000 (the seed's `base ^ huge` gives 0x20_0000 in JavaScript)",
      'const ram = parseIomem("00001000-0009fbff : System RAM\\n100000000-63fffffff : System RAM\\n");',
      "ram.map((range) => trimRange(range, 4096)); // [{ start: 0x1000, end: 0x9f000 }, { start: 0x1_0000_0000, end: 0x6_4000_0000 }]",
      "  PAddr(2 ** 53);",
      '  if (isAllocatorError(e, "OUT_OF_RANGE")) console.error(e.code, e.value, e.expected); // OUT_OF_RANGE 9007199254740992 an integer in 0 … 2^53 − 1',
    ]) {
      expect(example).toContain(line);
    }
  });

  it("gives the results its comments state", () => {
    const base = PAddr(0x1_0000_0000);
    const huge = Bytes(2 * 1024 * 1024);
    expect(alignUp(base + 1, huge)).toBe(0x1_0020_0000);
    expect(buddyOf(base, huge)).toBe(0x1_0020_0000);
    expect(base ^ huge).toBe(0x20_0000);
    const ram = parseIomem("00001000-0009fbff : System RAM\n100000000-63fffffff : System RAM\n");
    expect(ram.map((range) => trimRange(range, 4096))).toEqual([
      { start: 0x1000, end: 0x9f000 },
      { start: 0x1_0000_0000, end: 0x6_4000_0000 },
    ]);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      PAddr(2 ** 53);
    } catch (e) {
      if (isAllocatorError(e, "OUT_OF_RANGE")) console.error(e.code, e.value, e.expected);
    }
    expect(log).toHaveBeenCalledWith("OUT_OF_RANGE", 2 ** 53, "an integer in 0 … 2^53 − 1");
    log.mockRestore();
  });

  it("states the bitwise pitfalls correctly", () => {
    expect(readme).toContain("`0x1_0000_0000 ^ 0x20_0000` is `0x20_0000`, and `1 << 32` is `1`");
    expect(0x1_0000_0000 ^ 0x20_0000).toBe(0x20_0000);
    expect(1 << 32).toBe(1);
  });
});
