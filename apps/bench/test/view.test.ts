import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpKind, parseOpTrace } from "@mm/trace";
import { describe, expect, it } from "vitest";
import { makeBuddy, SEED_BASE_SIZE } from "../src/backends.js";
import { main } from "../src/cli.js";
import { exampleOpTracePath } from "../src/data.js";
import { diagnoseFailure } from "../src/diagnosis.js";
import type { CommandIO } from "../src/io.js";
import { loadTraceFile } from "../src/trace-file.js";
import { buildViewData, type ViewStep } from "../src/view-model.js";

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** The viewer's own bookkeeping (as in the page): free blocks and counts after applying steps. */
class Model {
  readonly free = new Map<number, number>();
  readonly allocated = new Map<number, number>();
  apply(s: ViewStep, forward: boolean): void {
    const [goneF, cameF, goneA, cameA] = forward ? [s.fr, s.fa, s.ar, s.aa] : [s.fa, s.fr, s.aa, s.ar];
    for (let i = 0; goneF && i < goneF.length; i += 2) expect(this.free.delete(goneF[i]!)).toBe(true);
    for (let i = 0; cameF && i < cameF.length; i += 2) this.free.set(cameF[i]!, cameF[i + 1]!);
    for (let i = 0; goneA && i < goneA.length; i += 2) expect(this.allocated.delete(goneA[i]!)).toBe(true);
    for (let i = 0; cameA && i < cameA.length; i += 2) this.allocated.set(cameA[i]!, cameA[i + 1]!);
  }
}

describe("view data", () => {
  it("each step's differences rebuild the allocator's free blocks exactly, forwards and backwards", () => {
    const file = loadTraceFile(exampleOpTracePath("ex-basic"));
    if (file.kind !== "op-trace") throw new Error("ex-basic is an op-trace");
    const data = buildViewData(file, "sorted-array", 10_000);
    expect(data.steps).toHaveLength(file.trace.length);
    // A second allocator replays the same ops; after every step the model must hold its free blocks.
    const buddy = makeBuddy("red-black-tree");
    const ids = new Map<number, [number, number]>();
    const model = new Model();
    const { trace } = file;
    for (let i = 0; i < trace.length; i++) {
      const kind = trace.kinds[i];
      if (kind === OpKind.Add) {
        buddy.addRange(trace.starts[i]! * SEED_BASE_SIZE, (trace.starts[i]! + trace.counts[i]!) * SEED_BASE_SIZE);
      } else if (kind === OpKind.Alloc) {
        const addr = buddy.allocate(trace.orders[i]!);
        if (addr !== undefined) ids.set(trace.ids[i]!, [addr, trace.orders[i]!]);
        expect(data.steps[i]!.ok).toBe(addr === undefined ? 0 : 1);
      } else if (kind === OpKind.Free) {
        const [addr, order] = ids.get(trace.ids[i]!)!;
        buddy.free(addr, order);
      }
      model.apply(data.steps[i]!, true);
      const expected = new Map<number, number>();
      buddy.forEachFreeBlock((addr, order) => expected.set(addr / SEED_BASE_SIZE, order));
      expect(model.free).toEqual(expected);
    }
    for (let i = trace.length - 1; i >= 0; i--) model.apply(data.steps[i]!, false);
    expect(model.free.size).toBe(0);
    expect(model.allocated.size).toBe(0);
    expect(data.steps.filter((s) => s.ok === 0)).toHaveLength(trace.expect!.failed);
    for (const s of data.steps.filter((x) => x.ok === 0)) expect(s.why).toMatch(/failed: /);
  });

  it("a malloc trace's steps show the heap's pages as slab takes and returns them", () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-view-"));
    const path = join(dir, "small.trace");
    // 200 objects of 3000 bytes (slab takes pages: 20 slabs of 8), then all freed (slab keeps a few emptied slabs,
    // at most 32 pages on so small a heap, and gives the rest back).
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => `m ${i} 3000`),
      ...Array.from({ length: 200 }, (_, i) => `f ${i}`),
    ];
    writeFileSync(path, `${lines.join("\n")}\n`);
    const data = buildViewData(loadTraceFile(path), "bitmap", 1000);
    expect(data.kind).toBe("malloc-trace");
    expect(data.steps).toHaveLength(401);
    const model = new Model();
    for (const s of data.steps) model.apply(s, true);
    const taken = data.steps.filter((s) => s.aa).length;
    expect(taken).toBeGreaterThan(0);
    expect(model.allocated.size).toBeLessThan(taken); // slab gave pages back when its objects died
  });

  it("a diagnosis says the largest free order, the counts, and whether memory is short or fragmented", () => {
    const buddy = makeBuddy("bitmap");
    buddy.addRange(0, 16 * SEED_BASE_SIZE);
    const pages = Array.from({ length: 16 }, () => buddy.allocate(0)!);
    for (let i = 0; i < 16; i += 2) buddy.free(pages[i]!, 0);
    expect(buddy.allocate(1)).toBeUndefined();
    expect(diagnoseFailure(buddy.stats(), 1)).toBe(
      "order 1 (8 KiB) failed: the largest free block is order 0 (4 KiB); 32 KiB is free in all, enough, but fragmented into smaller blocks; free blocks per order 0:8 1:0 2:0 3:0 4:0 5:0 6:0 7:0 8:0 9:0 10:0 11:0 12:0",
    );
    expect(diagnoseFailure(buddy.stats(), 4)).toMatch(/only 32 KiB is free in all: not enough memory/);
    for (let i = 1; i < 16; i += 2) buddy.free(pages[i]!, 0);
    for (let i = 0; i < 16; i++) buddy.allocate(0);
    expect(diagnoseFailure(buddy.stats(), 0)).toBe("order 0 (4 KiB) failed: nothing is free (64 KiB allocated)");
  });
});

describe("mm-bench view", () => {
  it("writes a self-contained page and says what it holds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-view-"));
    const out = join(dir, "page.html");
    const io = capture();
    expect(await main(["view", "--steps", "100", "--out", out, exampleOpTracePath("ex-churn")], io)).toBe(0);
    expect(io.stdout).toEqual([`${out}: 100 of 40139 steps, 1 range, 0 failed allocations (open it in a browser)`]);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toMatch(/the first 100 of 40139 steps/);
    expect(parseOpTrace(readFileSync(exampleOpTracePath("ex-churn"), "utf8")).length).toBe(40139);
  });

  it("exits 2 on a malformed trace (file:line), a bad --steps or backend", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-view-"));
    const bad = join(dir, "bad.trace");
    writeFileSync(bad, "add 0 64\nalloc 0 1\nfree 7\n");
    const io = capture();
    expect(await main(["view", "--out", join(dir, "x.html"), bad], io)).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/bad\.trace:3: free of ID 7, which names no live block/);
    expect(await main(["view", "--steps", "0", bad], capture())).toBe(2);
    expect(await main(["view", "--bins", "heap", bad], capture())).toBe(2);
    expect(await main(["view"], capture())).toBe(2);
  });
});
