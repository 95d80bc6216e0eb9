/**
 * A tiny page source for tests: pages of a fixed range handed out first-fit, each block aligned to its size.
 * It records every live block, so tests can check that objects lie in pages it handed out and that all of
 * its memory comes back. Deliberately simple (linear scans), not fast.
 */
import type { PageSource } from "../src/index.js";

export class ToyPageSource implements PageSource {
  readonly baseSize: number;
  readonly maxOrder: number;
  readonly start: number;
  readonly pageCount: number;
  /** Live blocks: address → order. */
  readonly live = new Map<number, number>();
  allocations = 0;
  frees = 0;
  readonly #used: Uint8Array;

  constructor(options: { start?: number; pages: number; baseSize?: number; maxOrder?: number }) {
    this.baseSize = options.baseSize ?? 4096;
    this.maxOrder = options.maxOrder ?? 10;
    this.start = options.start ?? 0x10_0000;
    this.pageCount = options.pages;
    this.#used = new Uint8Array(options.pages);
  }

  allocate(order: number): number | undefined {
    const n = 2 ** order;
    const firstPage = this.start / this.baseSize;
    // Start at the first page index whose absolute page number is a multiple of n.
    let i = (n - (firstPage % n)) % n;
    for (; i + n <= this.pageCount; i += n) {
      let free = true;
      for (let j = i; j < i + n; j++) {
        if (this.#used[j]) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      this.#used.fill(1, i, i + n);
      const addr = this.start + i * this.baseSize;
      this.live.set(addr, order);
      this.allocations++;
      return addr;
    }
    return undefined;
  }

  free(addr: number, order: number): void {
    if (this.live.get(addr) !== order) throw new Error(`toy page source: bad free ${addr.toString(16)} order ${order}`);
    this.live.delete(addr);
    const i = (addr - this.start) / this.baseSize;
    this.#used.fill(0, i, i + 2 ** order);
    this.frees++;
  }

  get freePages(): number {
    let n = 0;
    for (const u of this.#used) if (u === 0) n++;
    return n;
  }

  /** The live block containing [addr, addr + size), if any. */
  blockOf(addr: number, size: number): number | undefined {
    for (const [start, order] of this.live) {
      if (addr >= start && addr + size <= start + this.baseSize * 2 ** order) return start;
    }
    return undefined;
  }
}
