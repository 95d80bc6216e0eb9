/**
 * The data the viewer page replays: a trace run once here, op by op, on a real BuddyAllocator, recording after
 * every step what changed (free blocks removed and added, blocks handed out and given back, ranges added), so
 * the page only applies differences, forwards or backwards, and never needs an allocator of its own. For a
 * malloc trace the buddy allocator is the heap's page source under SlabAllocator: the page shows its pages.
 *
 * Addresses are in frames (byte address / baseSize). Each step diffs the whole free-block set, so the cost is
 * steps × free blocks; `maxSteps` bounds it.
 */
import type { BuddyAllocator } from "@mm/buddy";
import { formatAddress, formatBytes } from "@mm/hal";
import { SlabAllocator } from "@mm/slab";
import { MallocOp, OpKind } from "@mm/trace";
import { type BinsName, makeBuddy, SEED_BASE_SIZE, SEED_MAX_ORDER } from "./backends.js";
import { diagnoseFailure } from "./diagnosis.js";
import { managedBytesFor } from "./malloc-replay.js";
import { type TraceFile, TraceFileError } from "./trace-file.js";

export interface ViewStep {
  /** The op as text, with its result. */
  readonly t: string;
  /** Source line (op-traces). */
  readonly line?: number;
  /** 0: an allocation failed; 1: done. */
  readonly ok: 0 | 1;
  /** The block the op handed out or gave back: [frame, order]. */
  readonly mark?: readonly [number, number];
  /** Free blocks that went away / appeared, flat [frame, order, …]. */
  readonly fr?: readonly number[];
  readonly fa?: readonly number[];
  /** Allocated blocks that appeared / went away, flat [frame, order, …]. */
  readonly aa?: readonly number[];
  readonly ar?: readonly number[];
  /** A managed range added at this step: [first frame, end frame). */
  readonly rg?: readonly [number, number];
  /** Why the allocation failed. */
  readonly why?: string;
}

export interface ViewData {
  readonly title: string;
  readonly kind: TraceFile["kind"];
  readonly bins: string;
  readonly baseSize: number;
  readonly maxOrder: number;
  /** Every range managed by the end of the shown steps, [first frame, end frame). */
  readonly ranges: readonly (readonly [number, number])[];
  /** Steps in the trace, and how many of them the page holds. */
  readonly totalSteps: number;
  readonly steps: readonly ViewStep[];
}

/** Records the free-block differences between consecutive snapshots of a buddy allocator. */
class FreeDiff {
  #prev = new Map<number, number>();
  constructor(
    readonly buddy: BuddyAllocator,
    readonly baseSize: number,
  ) {}
  next(): { fr?: number[]; fa?: number[] } {
    const now = new Map<number, number>();
    this.buddy.forEachFreeBlock((addr, order) => now.set(addr / this.baseSize, order));
    const fr: number[] = [];
    const fa: number[] = [];
    for (const [f, o] of this.#prev) if (now.get(f) !== o) fr.push(f, o);
    for (const [f, o] of now) if (this.#prev.get(f) !== o) fa.push(f, o);
    this.#prev = now;
    return { ...(fr.length ? { fr } : {}), ...(fa.length ? { fa } : {}) };
  }
}

const hex = (n: number) => formatAddress(n, 1);

function opTraceSteps(file: TraceFile & { kind: "op-trace" }, bins: BinsName, maxSteps: number): ViewData {
  const { trace } = file;
  const base = SEED_BASE_SIZE;
  const buddy = makeBuddy(bins);
  const diff = new FreeDiff(buddy, base);
  const slotAddr = new Map<number, [number, number]>();
  const steps: ViewStep[] = [];
  const n = Math.min(trace.length, maxSteps);
  for (let i = 0; i < n; i++) {
    const line = trace.lines?.[i] ?? 0;
    const at = line > 0 ? { line } : {};
    const kind = trace.kinds[i];
    if (kind === OpKind.Add) {
      const start = trace.starts[i]!;
      const count = trace.counts[i]!;
      buddy.addRange(start * base, (start + count) * base);
      steps.push({
        t: `add ${start} ${count}: ${formatBytes(count * base)} at ${hex(start * base)}`,
        ...at,
        ok: 1,
        rg: [start, start + count],
        ...diff.next(),
      });
    } else if (kind === OpKind.Alloc) {
      const id = trace.ids[i]!;
      const order = trace.orders[i]!;
      if (order > SEED_MAX_ORDER) {
        throw new TraceFileError(
          file.path,
          line,
          `alloc of order ${order}, above the viewer's max order ${SEED_MAX_ORDER}`,
        );
      }
      const addr = buddy.allocate(order);
      if (addr === undefined) {
        steps.push({ t: `alloc ${id} ${order}: failed`, ...at, ok: 0, why: diagnoseFailure(buddy.stats(), order) });
      } else {
        const frame = addr / base;
        slotAddr.set(id, [frame, order]);
        steps.push({
          t: `alloc ${id} ${order}: frames ${frame}–${frame + 2 ** order - 1} (${hex(addr)})`,
          ...at,
          ok: 1,
          mark: [frame, order],
          aa: [frame, order],
          ...diff.next(),
        });
      }
    } else if (kind === OpKind.Free) {
      const id = trace.ids[i]!;
      const block = slotAddr.get(id);
      if (block === undefined) throw new TraceFileError(file.path, line, `free of ID ${id}, which names no live block`);
      slotAddr.delete(id);
      buddy.free(block[0] * base, block[1]);
      steps.push({
        t: `free ${id}: frames ${block[0]}–${block[0] + 2 ** block[1] - 1} (order ${block[1]})`,
        ...at,
        ok: 1,
        mark: block,
        ar: block,
        ...diff.next(),
      });
    } else {
      steps.push({ t: `avail: ${buddy.availableBytes / base} frames free`, ...at, ok: 1 });
    }
  }
  return {
    title: file.path,
    kind: file.kind,
    bins,
    baseSize: base,
    maxOrder: SEED_MAX_ORDER,
    ranges: buddy.managedRanges().map((r) => [+r.start / base, +r.end / base] as const),
    totalSteps: trace.length,
    steps,
  };
}

function mallocSteps(file: TraceFile & { kind: "malloc-trace" }, bins: BinsName, maxSteps: number): ViewData {
  const { trace } = file;
  const base = SEED_BASE_SIZE;
  const buddy = makeBuddy(bins);
  const diff = new FreeDiff(buddy, base);
  const managed = managedBytesFor(trace);
  const block = 16 * 2 ** 20; // as malloc-replay's slabOnBuddy: no object at address 0
  buddy.addRange(block, block + managed);
  const steps: ViewStep[] = [
    {
      t: `heap: ${formatBytes(managed)} of pages at ${hex(block)}`,
      ok: 1,
      rg: [block / base, (block + managed) / base],
      ...diff.next(),
    },
  ];
  // The slab layer's page requests, seen through a page source that records them.
  let aa: number[] = [];
  let ar: number[] = [];
  const pages = {
    baseSize: base,
    maxOrder: buddy.maxOrder,
    allocate(order: number) {
      const addr = buddy.allocate(order);
      if (addr !== undefined) aa.push(addr / base, order);
      return addr;
    },
    free(addr: number, order: number) {
      buddy.free(addr, order);
      ar.push(addr / base, order);
    },
  };
  const slab = new SlabAllocator({ pages });
  const addrOf = new Map<number, number>();
  const n = Math.min(trace.length, Math.max(0, maxSteps - 1));
  for (let i = 0; i < n; i++) {
    aa = [];
    ar = [];
    const kind = trace.kinds[i];
    const id = trace.id[i]!;
    let text: string;
    let ok: 0 | 1 = 1;
    if (kind === MallocOp.Malloc) {
      const size = trace.size[i]!;
      const addr = slab.alloc(size === 0 ? 1 : size);
      if (addr === undefined) ok = 0;
      else addrOf.set(id, addr);
      text = `malloc #${id} ${size} B: ${addr === undefined ? "failed" : hex(addr)}`;
    } else if (kind === MallocOp.Free) {
      const addr = addrOf.get(id);
      addrOf.delete(id);
      if (addr !== undefined) slab.free(addr);
      text = `free #${id}${addr === undefined ? " (its malloc failed)" : `: ${hex(addr)}`}`;
    } else {
      const size = trace.size[i]!;
      const old = addrOf.get(id);
      addrOf.delete(id);
      const addr = old === undefined ? slab.alloc(size === 0 ? 1 : size) : slab.realloc(old, size === 0 ? 1 : size);
      if (addr === undefined) {
        ok = 0;
        if (old !== undefined) slab.free(old);
      } else addrOf.set(trace.newId[i]!, addr);
      text = `realloc #${id} → #${trace.newId[i]} ${size} B: ${addr === undefined ? "failed" : hex(addr)}`;
    }
    const touched = aa.length > 0 || ar.length > 0;
    const mark = aa.length ? ([aa[0]!, aa[1]!] as const) : ar.length ? ([ar[0]!, ar[1]!] as const) : undefined;
    steps.push({
      t: touched
        ? `${text} (pages: ${aa.length ? `+order ${aa[1]} at frame ${aa[0]}` : ""}${ar.length ? `${aa.length ? ", " : ""}−order ${ar[1]} at frame ${ar[0]}` : ""})`
        : text,
      ok,
      ...(mark ? { mark } : {}),
      ...(aa.length ? { aa } : {}),
      ...(ar.length ? { ar } : {}),
      ...(touched ? diff.next() : {}),
      ...(ok === 0
        ? { why: `${diagnoseFailure(buddy.stats(), 0).replace(/^order 0 \([^)]*\) failed: /, "the heap's pages: ")}` }
        : {}),
    });
  }
  return {
    title: file.path,
    kind: file.kind,
    bins,
    baseSize: base,
    maxOrder: buddy.maxOrder,
    ranges: buddy.managedRanges().map((r) => [+r.start / base, +r.end / base] as const),
    totalSteps: trace.length + 1,
    steps,
  };
}

export function buildViewData(file: TraceFile, bins: BinsName, maxSteps: number): ViewData {
  return file.kind === "op-trace" ? opTraceSteps(file, bins, maxSteps) : mallocSteps(file, bins, maxSteps);
}
