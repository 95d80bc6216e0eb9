// Compiled with tsc --strict against the installed packages' .d.ts (skipLibCheck off), under moduleResolution
// nodenext and bundler; the nodenext output is run too. The @ts-expect-error lines prove the types are real.
import {
  BitmapBins,
  BuddyAllocator,
  type BuddyAllocatorOptions,
  type BuddyStats,
  type FreeBins,
  type FreeBinsConfig,
  SortedArrayBins,
} from "@mm/buddy";
import { type AllocatorErrorCode, isAllocatorError, PAddr } from "@mm/hal";
import { type PageSource, SlabAllocator } from "@mm/slab";

const options: BuddyAllocatorOptions = { bins: BitmapBins, maxOrder: 10 };
const buddy = new BuddyAllocator(options);
buddy.addRange(0, 16 * 1024 * 1024);
const pages: PageSource = buddy;
const heap = new SlabAllocator({ pages });
const address: number | undefined = heap.alloc(64);

class CountingBins extends SortedArrayBins {
  inserts = 0;
  override insert(order: number, addr: number): void {
    this.inserts++;
    super.insert(order, addr);
  }
}
const counted = new BuddyAllocator({ bins: CountingBins });
counted.addRange(0, 8 * 4096);
const fromFactory = new BuddyAllocator({ bins: (config: FreeBinsConfig): FreeBins => new SortedArrayBins(config) });
const base: PAddr = PAddr(0x1000);

/** Never called: each line must fail to compile, or tsc fails on the unused @ts-expect-error. */
export function misuses(): void {
  // @ts-expect-error: a plain number is not a PAddr
  const unbranded: PAddr = 0x1000;
  // @ts-expect-error: only the built-in names are names
  new BuddyAllocator({ bins: "splay-tree" });
  // @ts-expect-error: baseSize is a number
  new BuddyAllocator({ baseSize: "4096" });
  console.log(unbranded);
}

let code: AllocatorErrorCode | undefined;
try {
  buddy.free(4096 + 1, 0);
} catch (error) {
  if (isAllocatorError(error)) code = error.code;
}
const stats: BuddyStats = buddy.stats();
if (code !== "MISALIGNED" || address === undefined || stats.nrFree.length !== 11) throw new Error("unexpected results");
console.log(`typed ok: ${code}, ${fromFactory.binsName}, ${base}, ${counted.binsName}`);
