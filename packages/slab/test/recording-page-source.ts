/** Wraps a page source and records every live block, so model tests can check what the slab layer holds. */
import type { PageSource } from "../src/index.js";

export class RecordingPageSource implements PageSource {
  readonly live = new Map<number, number>();
  readonly #inner: PageSource;
  constructor(inner: PageSource) {
    this.#inner = inner;
  }
  get baseSize(): number {
    return this.#inner.baseSize;
  }
  get maxOrder(): number {
    return this.#inner.maxOrder;
  }
  allocate(order: number): number | undefined {
    const addr = this.#inner.allocate(order);
    if (addr !== undefined) {
      if (this.live.has(addr)) throw new Error(`page source handed out ${addr} twice`);
      this.live.set(addr, order);
    }
    return addr;
  }
  free(addr: number, order: number): void {
    if (this.live.get(addr) !== order) throw new Error(`slab layer freed ${addr} (order ${order}) it does not hold`);
    this.live.delete(addr);
    this.#inner.free(addr, order);
  }
  /** Bytes in live blocks. */
  get bytes(): number {
    let n = 0;
    for (const order of this.live.values()) n += this.baseSize * 2 ** order;
    return n;
  }
  /** Start of the live block that holds [addr, addr + size), if one does. */
  blockOf(addr: number, size: number): number | undefined {
    for (const [start, order] of this.live) {
      if (addr >= start && addr + size <= start + this.baseSize * 2 ** order) return start;
    }
    return undefined;
  }
}
