/**
 * A heap used again and again, as a program's heap is: filled with a mix of small and large objects, emptied,
 * filled again in another order. Slabs scattered among the holes that freed large spans leave would keep every
 * large aligned block of the buddy from coalescing, so large requests would fail with most of the memory free;
 * slabs in pageblocks of their own cannot do that.
 */
import { BitmapBins, BuddyAllocator } from "@mm/buddy";
import { describe, expect, test } from "vitest";
import { mulberry32 } from "../../hal/test-support/seeded-random.js";
import { SlabAllocator } from "../src/index.js";

const MiB = 2 ** 20;

interface Round {
  /** Large requests (above the largest class) made, and how many came back `undefined`. */
  large: number;
  failed: number;
  /** The most bytes live at once, and the most asked for while a request failed (live + request). */
  peakLive: number;
}

/**
 * One round of a program's life on `heap`: `events` mallocs, reallocs and frees, most objects small, a few of
 * pages, one in 200 of 64 KiB to 4 MiB, up to `maxLive` live at once; then everything is freed.
 */
function round(heap: SlabAllocator, seed: number, events: number, maxLive: number): Round {
  const random = mulberry32(seed); // seeded: every run replays the same rounds
  const size = (): number => {
    const r = random();
    if (r < 0.9) return 1 + Math.floor(random() * 512);
    if (r < 0.995) return 4096 + Math.floor(random() * 60_000);
    return 65_536 + Math.floor(random() * 4_000_000);
  };
  const addrs: number[] = [];
  const sizes: number[] = [];
  let liveBytes = 0;
  const result: Round = { large: 0, failed: 0, peakLive: 0 };
  const served = (s: number, addr: number | undefined): boolean => {
    if (s > heap.largestClass) result.large++;
    if (addr === undefined) result.failed++;
    return addr !== undefined;
  };
  for (let i = 0; i < events; i++) {
    const r = random();
    if (addrs.length === 0 || (addrs.length < maxLive && r < 0.5)) {
      const s = size();
      const a = heap.alloc(s);
      if (!served(s, a)) continue;
      addrs.push(a as number);
      sizes.push(s);
      liveBytes += s;
    } else {
      const j = Math.floor(random() * addrs.length);
      if (r < 0.6) {
        const s = size();
        const b = heap.realloc(addrs[j], s);
        if (!served(s, b)) continue;
        liveBytes += s - sizes[j];
        addrs[j] = b as number;
        sizes[j] = s;
      } else {
        heap.free(addrs[j]);
        liveBytes -= sizes[j];
        addrs[j] = addrs[addrs.length - 1];
        sizes[j] = sizes[sizes.length - 1];
        addrs.pop();
        sizes.pop();
      }
    }
    result.peakLive = Math.max(result.peakLive, liveBytes);
  }
  for (const a of addrs) heap.free(a);
  return result;
}

describe("a reused heap", () => {
  test("serves every large request on every round when the memory is there, and drains to a whole buddy", () => {
    const managed = 224 * MiB;
    const buddy = new BuddyAllocator({ bins: BitmapBins }); // 4 KiB pages, 16 MiB blocks
    buddy.addRange(16 * MiB, 16 * MiB + managed);
    const heap = new SlabAllocator({ pages: buddy });
    const rounds = [1, 2, 3].map((seed) => round(heap, seed, 150_000, 3000));
    for (const r of rounds) {
      // The memory is there: never more than a third of the buddy is live, and large requests were made.
      expect(r.peakLive).toBeLessThan(managed / 3);
      expect(r.large).toBeGreaterThan(5000);
    }
    expect(rounds.map((r) => r.failed)).toEqual([0, 0, 0]);
    expect(heap.stats().totals.activeObjects).toBe(0);
    heap.shrink();
    expect(heap.stats().totals.pages).toBe(0);
    expect(buddy.availableBytes).toBe(managed);
  }, 60_000);
});
