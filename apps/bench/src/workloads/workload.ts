/**
 * What a workload is: a named, seeded generator of an op-trace. A workload is generated once (by driving an
 * {@link OpTraceRecorder} over a real allocator with a seeded policy) and then replayed on every backend, so all
 * backends see exactly the same operations, and the trace can be written out (`mm-bench workloads --out DIR`)
 * and replayed elsewhere, by the seed's own replayer too.
 */
import { type OpTrace, OpTraceRecorder } from "@mm/trace";
import { makeBuddy, SEED_BASE_SIZE } from "../backends.js";
import type { Random } from "../prng.js";

/** How big to make a generated workload. */
export interface Scale {
  /** `--quick`: a short run. */
  readonly quick: boolean;
  /**
   * `mm-bench workloads --seed N`: each workload's seed XOR this, the same program drawn again (0 or absent: the
   * suite's own traces).
   */
  readonly reseed?: number;
}

export interface Workload {
  /** Stable id, used in the report and as the file name when written out. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences: what it exercises and why. */
  readonly description: string;
  /** Also time the Int32Array free-stack floor (order-0 only workloads). */
  readonly floorBaseline?: boolean;
  /** Part of a group drawn as one chart (the span-growth series). */
  readonly group?: string;
  generate(scale: Scale): OpTrace;
}

/** A live block a generator may free later. */
export type LiveBlock = { addr: number; order: number };

/** The live set of a generator, with O(1) removal of a random member (swap with last). */
export class LiveSet {
  readonly items: LiveBlock[] = [];
  get size(): number {
    return this.items.length;
  }
  push(addr: number | undefined, order: number): boolean {
    if (addr === undefined) return false;
    this.items.push({ addr, order });
    return true;
  }
  takeRandom(random: Random): LiveBlock | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const i = Math.floor(random() * n);
    const picked = this.items[i]!;
    this.items[i] = this.items[n - 1]!;
    this.items.pop();
    return picked;
  }
}

/** Runs `policy` on a recorder over a fresh allocator and returns what it recorded. */
export function record(comments: readonly string[], policy: (recorder: OpTraceRecorder) => void): OpTrace {
  const recorder = new OpTraceRecorder(makeBuddy("bitmap"), { baseSize: SEED_BASE_SIZE, comments });
  policy(recorder);
  return recorder.toTrace();
}

/** Weights `[[order, weight], …]` to draw a block order from. */
export type OrderWeights = readonly (readonly [number, number])[];

/** Draws an order from weights `[[order, weight], …]`. */
export function pickOrder(random: Random, weights: OrderWeights): number {
  let total = 0;
  for (const [, w] of weights) total += w;
  let x = random() * total;
  for (const [order, w] of weights) {
    x -= w;
    if (x < 0) return order;
  }
  return weights[weights.length - 1]![0];
}

/** Steady churn: allocate with probability `pAlloc` (order from `orders`), else free a random live block. */
export function churn(
  recorder: OpTraceRecorder,
  random: Random,
  live: LiveSet,
  ops: number,
  pAlloc: number,
  orders: (random: Random) => number,
  availEvery = 0,
): void {
  for (let i = 0; i < ops; i++) {
    if (live.size === 0 || random() < pAlloc) {
      const order = orders(random);
      live.push(recorder.allocate(order), order);
    } else {
      const block = live.takeRandom(random)!;
      recorder.free(block.addr, block.order);
    }
    if (availEvery > 0 && i % availEvery === availEvery - 1) void recorder.availableBytes;
  }
}
