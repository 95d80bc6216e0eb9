import { buddyOf, PAGE_ALLOCATED, PAGE_FREE, PAGE_ORDER_MASK, PAGE_RUN } from "@mm/hal";
import type { BuddyAllocator } from "../../src/index.js";

/**
 * Rebuilds the free map of `allocator` through its public API and checks the buddy invariants; throws with a
 * description of the first violation. `allocated` (start → bytes), when given, must not overlap free memory.
 */
export function checkInvariants(allocator: BuddyAllocator, allocated?: ReadonlyMap<number, number>): void {
  const { baseSize, maxOrder } = allocator;
  const ranges = allocator.managedRanges();
  const inManaged = (start: number, end: number) => ranges.some((r) => r.start <= start && end <= r.end);
  const blocks: [number, number][] = []; // [start, end)
  let total = 0;
  const stats = allocator.stats();
  for (let k = 0; k <= maxOrder; k++) {
    let previous = -1;
    let count = 0;
    const size = baseSize * 2 ** k;
    allocator.forEachFreeBlock((addr, order) => {
      if (order !== k) return;
      count++;
      if (addr <= previous) throw new Error(`bin ${k} not ascending at 0x${addr.toString(16)}`);
      previous = addr;
      if (addr % size !== 0) throw new Error(`block 0x${addr.toString(16)} in bin ${k} is misaligned`);
      if (!inManaged(addr, addr + size)) throw new Error(`block 0x${addr.toString(16)} (order ${k}) is not managed`);
      if (k < maxOrder && allocator.isFree(buddyOf(addr, size), k)) {
        throw new Error(`buddies 0x${addr.toString(16)} and its buddy are both free at order ${k}`);
      }
      blocks.push([addr, addr + size]);
      total += size;
    });
    if (stats.nrFree[k] !== count) throw new Error(`nrFree[${k}] = ${stats.nrFree[k]} but bin holds ${count}`);
  }
  if (total !== allocator.availableBytes) {
    throw new Error(`availableBytes ${allocator.availableBytes} != sum of free blocks ${total}`);
  }
  if (allocated !== undefined) for (const [start, bytes] of allocated) blocks.push([start, start + bytes]);
  blocks.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i][0] < blocks[i - 1][1]) {
      throw new Error(`blocks overlap: [0x${blocks[i - 1][0].toString(16)}, …) and 0x${blocks[i][0].toString(16)}`);
    }
  }
}

/**
 * The page table's invariant, which the hot paths rely on (stated in buddy-allocator.ts's header): state
 * FREE|k at a head ⇔ the block is in bin k (below the top order, whose blocks carry no state); ALLOCATED|k ⇔ an
 * allocated block of order k starts there (`allocated`: start → order, when the caller knows it); RUN pieces
 * only inside `runs` (start → bytes); and no owner anywhere (the buddy never writes one). Read straight from
 * `buddy.pageTable` and the bins (`forEachFreeBlock`), so it checks the table itself, not a view of it.
 */
export function checkPageTableInvariant(
  buddy: BuddyAllocator,
  allocated?: ReadonlyMap<number, number>,
  runs?: ReadonlyMap<number, number>,
): void {
  const free = new Set<string>();
  buddy.forEachFreeBlock((addr, order) => {
    if (order < buddy.maxOrder) free.add(`${order}@${addr}`);
  });
  let freeHeads = 0;
  let allocatedHeads = 0;
  buddy.pageTable.forEachState((addr, state) => {
    const at = `0x${addr.toString(16)}`;
    const order = state & PAGE_ORDER_MASK;
    const kind = state & PAGE_RUN;
    if (kind === PAGE_FREE) {
      if (!free.has(`${order}@${addr}`)) throw new Error(`FREE|${order} at ${at}, but bin ${order} lacks it`);
      freeHeads++;
    } else if (kind === PAGE_ALLOCATED) {
      if (allocated !== undefined && allocated.get(addr) !== order) {
        throw new Error(`ALLOCATED|${order} at ${at}, but no such block was handed out`);
      }
      allocatedHeads++;
    } else if (kind === PAGE_RUN) {
      if (runs !== undefined && ![...runs].some(([start, bytes]) => addr >= start && addr < start + bytes)) {
        throw new Error(`RUN|${order} at ${at} outside every exact run`);
      }
    } else {
      throw new Error(`state 0x${state.toString(16)} at ${at} is no head state`);
    }
  });
  if (freeHeads !== free.size) throw new Error(`${free.size} free blocks below the top order, ${freeHeads} FREE heads`);
  if (allocated !== undefined && allocatedHeads !== allocated.size) {
    throw new Error(`${allocated.size} blocks handed out, ${allocatedHeads} ALLOCATED heads`);
  }
  buddy.pageTable.forEachOwner((addr, owner) => {
    throw new Error(`owner ${owner} at 0x${addr.toString(16)}: the buddy writes no owners`);
  });
}
