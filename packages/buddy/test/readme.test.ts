/** The README example, statement by statement, with what its comments claim asserted. */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { BitmapBins, BuddyAllocator, isAllocatorError } from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README example", () => {
  it("is the code tested below", () => {
    for (const line of [
      'import { BitmapBins, BuddyAllocator, isAllocatorError } from "@mm/buddy";',
      "const buddy = new BuddyAllocator({ bins: BitmapBins });",
      "buddy.addRange(0x1000, 0x9f000);",
      "buddy.addRange(0x100000, 0x40000000);",
      "buddy.reserveRange(0x100000, 0x400000);",
      "const frame = buddy.allocate(0);                        // lowest free 4 KiB frame: 0x1000",
      "const huge = buddy.allocateBytes(2 * 1024 * 1024);",
      "const dma = buddy.allocateExact(5 * 4096);",
      'try { buddy.free(frame!, 1) } catch (e) { if (isAllocatorError(e, "WRONG_ORDER")) console.warn(e.message) }',
      "console.log(buddy.stats().nrFree, huge, dma);",
    ]) {
      expect(readme).toContain(line);
    }
  });

  it("does what its comments say", () => {
    const buddy = new BuddyAllocator({ bins: BitmapBins });
    expect(buddy.maxOrder).toBe(12); // orders 0..=12
    expect(buddy.baseSize).toBe(4096);
    buddy.addRange(0x1000, 0x9f000);
    buddy.addRange(0x100000, 0x40000000);
    buddy.reserveRange(0x100000, 0x400000);
    const frame = buddy.allocate(0);
    expect(frame).toBe(0x1000); // lowest free 4 KiB frame
    const huge = buddy.allocateBytes(2 * 1024 * 1024);
    expect(huge! % (2 * 1024 * 1024)).toBe(0); // 2 MiB-aligned
    expect(huge! >= 0x400000).toBe(true); // not in the reserved kernel image
    const dma = buddy.allocateExact(5 * 4096);
    expect(dma! % (8 * 4096)).toBe(0);
    expect(buddy.allocationSize(dma!)).toBe(5 * 4096); // one run of 5 frames
    expect(buddy.isFree(dma! + 5 * 4096, 0)).toBe(true); // frames 6-8 of the 8-frame block went back
    expect(buddy.isFree(dma! + 6 * 4096, 1)).toBe(true);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      buddy.free(frame!, 1);
    } catch (e) {
      if (isAllocatorError(e, "WRONG_ORDER")) console.warn(e.message);
    }
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/order/);
    warn.mockRestore();
    expect(buddy.stats().nrFree).toHaveLength(13); // orders 0..=12, as /proc/buddyinfo
  });
});
