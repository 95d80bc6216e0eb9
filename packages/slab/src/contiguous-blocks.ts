/**
 * A run of contiguous largest blocks from a page source, for a request above its largest block: a buddy
 * allocator never hands out more than `baseSize · 2^maxOrder` bytes at once, but its neighbouring top-order blocks
 * are as good as one when they are all free.
 *
 * ```text
 *   take() …  0x400_0000  0x500_0000  0x900_0000  0xa00_0000  0xb00_0000      (need 3)
 *   runs:     [──── 2 ────]            [────────── 3 ──────────] ◄─ kept; the others go back
 * ```
 *
 * Blocks are taken one by one (a buddy allocator gives the lowest first, so they mostly come in address order)
 * until `count` of them are adjacent, or the source runs out (then the blocks taken are searched in address
 * order); the ones outside the run are given back. Cold path: it allocates a JS array.
 */

/**
 * Start of `count` adjacent blocks of `blockBytes` each, taken with `take` (which returns a checked block
 * address, or `undefined` when the source is out of memory); every other block taken goes back through `give`.
 * `undefined` (everything given back) when no such run could be found. When `take` throws, what was taken goes
 * back and the error propagates.
 */
export function takeContiguousBlocks(
  take: () => number | undefined,
  give: (addr: number) => void,
  blockBytes: number,
  count: number,
): number | undefined {
  const taken: number[] = [];
  let runStart = -1;
  let runCount = 0;
  try {
    for (;;) {
      const addr = take();
      if (addr === undefined) break;
      taken.push(addr);
      if (runCount > 0 && addr === runStart + runCount * blockBytes) runCount++;
      else if (runCount > 0 && addr + blockBytes === runStart) {
        runStart = addr;
        runCount++;
      } else {
        runStart = addr;
        runCount = 1;
      }
      if (runCount === count) break;
    }
    if (runCount < count) runStart = runIn(taken, blockBytes, count);
  } catch (error) {
    for (const addr of taken) give(addr);
    throw error;
  }
  const runEnd = runStart + count * blockBytes;
  for (const addr of taken) if (runStart < 0 || addr < runStart || addr >= runEnd) give(addr);
  return runStart < 0 ? undefined : runStart;
}

/** The start of `count` adjacent blocks among `blocks` (sorted here), or −1. */
function runIn(blocks: number[], blockBytes: number, count: number): number {
  blocks.sort((a, b) => a - b);
  let start = 0;
  for (let i = 1; i <= blocks.length; i++) {
    if (i - start === count) return blocks[start];
    if (i < blocks.length && blocks[i] !== blocks[i - 1] + blockBytes) start = i;
  }
  return -1;
}
