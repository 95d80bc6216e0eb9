/** The README example, statement by statement, with what its comments claim asserted. */
import { readFileSync } from "node:fs";
import { parseIomem } from "@mm/hal";
import { describe, expect, it } from "vitest";
import { BuddyAllocator, isAllocatorError } from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const iomemText = readFileSync(new URL("./fixtures/iomem.txt", import.meta.url), "utf8");

describe("README example", () => {
  it("is the code tested below", () => {
    for (const line of [
      'const buddy = new BuddyAllocator({ bins: "bitmap" });',
      "for (const { start, end } of parseIomem(iomemText)) buddy.addRange(start, end);",
      "buddy.reserveRange(0x100000, 0x400000);",
      "const frame = buddy.allocate(0);",
      "const huge = buddy.allocateBytes(2 * 1024 * 1024);",
      "const dma = buddy.allocateExact(5 * 4096);",
      'try { buddy.free(frame!, 1) } catch (e) { if (isAllocatorError(e, "WRONG_ORDER")) console.warn(e.message) }',
      "console.log(buddy.stats().nrFree);",
    ]) {
      expect(readme).toContain(line);
    }
  });

  it("does what its comments say", () => {
    const buddy = new BuddyAllocator({ bins: "bitmap" });
    for (const { start, end } of parseIomem(iomemText)) buddy.addRange(start, end);
    buddy.reserveRange(0x100000, 0x400000);
    const frame = buddy.allocate(0);
    expect(frame).toBe(0x1000); // lowest free 4 KiB frame
    const huge = buddy.allocateBytes(2 * 1024 * 1024);
    expect(huge! % (2 * 1024 * 1024)).toBe(0); // 2 MiB-aligned
    const dma = buddy.allocateExact(5 * 4096);
    expect(dma! % (8 * 4096)).toBe(0);
    expect(buddy.allocationSize(dma!)).toBe(5 * 4096); // one run of 5 frames
    expect(buddy.isFree(dma! + 5 * 4096, 0)).toBe(true); // frames 6-8 of the 8-frame block went back
    expect(buddy.isFree(dma! + 6 * 4096, 1)).toBe(true);
    let code: string | undefined;
    try {
      buddy.free(frame!, 1);
    } catch (e) {
      if (isAllocatorError(e, "WRONG_ORDER")) code = e.code;
    }
    expect(code).toBe("WRONG_ORDER");
    expect(buddy.stats().nrFree).toHaveLength(13); // orders 0..=12, as /proc/buddyinfo
  });
});
