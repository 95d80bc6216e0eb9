import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import type { CommandIO } from "../src/io.js";
import type { Report } from "../src/report/model.js";

/** `mm-bench --quick --json --only ONLY --out DIR`: the printed report and the folder it wrote. */
async function quickSuite(only: string): Promise<{ out: string; report: Report }> {
  const out = mkdtempSync(join(tmpdir(), "mm-bench-report-"));
  const stdout: string[] = [];
  const io: CommandIO = { out: (t) => stdout.push(t), err: () => {} };
  expect(await main(["--quick", "--json", "--only", only, "--out", out], io)).toBe(0);
  return { out, report: JSON.parse(stdout.join("\n")) as Report };
}

/** The one workload a quick suite of `only` ran, checked to be of `kind` and without a recommended backend. */
async function comparedHeaps(only: string, kind: string) {
  const { out, report } = await quickSuite(only);
  expect(report.workloads.map((w) => w.id)).toEqual([only]);
  const [w] = report.workloads;
  expect(w.kind).toBe(kind);
  expect(w.recommendation).toBeUndefined();
  return { out, w: w! };
}

describe("suite report", () => {
  it("a small suite writes report.json and a self-contained index.html", async () => {
    const { out, report } = await quickSuite("fragmentation,order0,span-1GiB");
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toEqual(report);
    expect(report.machine.node).toBe(process.version);
    expect(report.workloads.map((w) => w.id)).toEqual(["order0-churn", "fragmentation", "span-1GiB"]);
    for (const w of report.workloads) {
      expect(w.rows.filter((r) => !r.baseline).map((r) => r.backend)).toEqual([
        "sorted-array",
        "red-black-tree",
        "bitmap",
      ]);
      expect(w.recommendation?.reason).toBeTruthy();
      expect(w.addressSpace?.ranges.length).toBeGreaterThan(0);
    }
    expect(report.workloads[0]!.rows.some((r) => r.backend === "int32-free-stack" && r.baseline)).toBe(true);
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link[^>]+href/i);
    expect(html).toMatch(/<svg /);
    expect(html).toMatch(/\/proc\/buddyinfo/);
    expect(html).toMatch(/Recommended: /);
  });
});

describe("GPU-buffer workload in the suite", () => {
  it("reports failed requests per occupancy for vmem and buddy + allocateExact, with both buffers' pictures", async () => {
    const { out, w } = await comparedHeaps("gpu-buffer", "gpu-buffer");
    expect(w.rows.map((r) => [r.backend, r.baseline])).toEqual([
      ["vmem", true],
      ["buddy + allocateExact", true],
    ]);
    expect(w.gpu!.map((c) => c.heap)).toEqual(["vmem", "buddy + allocateExact"]);
    for (const curve of w.gpu!) {
      expect(curve.steps.map((s) => s.occupancy)).toEqual([
        0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95,
      ]);
      // The picture's free bytes are the buffer's: what the last step left unallocated.
      expect(curve.addressSpace.managedBytes).toBe(256 * 2 ** 20);
      expect(curve.addressSpace.freeBytes).toBeGreaterThan(0);
    }
    const [vmem, buddy] = w.gpu!;
    const failed = (c: typeof vmem) => c!.steps.reduce((n, s) => n + s.failed, 0);
    expect(w.rows.map((r) => r.failed)).toEqual([failed(vmem), failed(buddy)]);
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toMatch(/Failed requests at each occupancy/);
    expect(html.match(/aria-label="free blocks by order along the address space"/g)).toHaveLength(2);
    const table: string[] = [];
    expect(
      await main(["--quick", "--only", "gpu-buffer", "--out", out], { out: (t) => table.push(t), err: () => {} }),
    ).toBe(0);
    expect(table.join("\n")).toMatch(/gpu-buffer, vmem: failed\/requests by occupancy 10% 0\//);
    // Its recommendation line says why there is no backend, with each heap's failures.
    const requests = (c: typeof vmem) => c!.steps.reduce((n, s) => n + s.requests, 0);
    expect(table.join("\n")).toContain(
      `gpu-buffer  –: heaps compared, no bin backend to choose: vmem failed ${failed(vmem)} of ${requests(vmem)} requests; ` +
        `buddy + allocateExact failed ${failed(buddy)} of ${requests(buddy)} requests`,
    );
  });
});

describe("packet-ID workload in the suite", () => {
  it("times number-allocator and vmem first-fit on the same checked steps, and says how they compare", async () => {
    const { out, w } = await comparedHeaps("packet-ids", "packet-ids");
    expect(w.rows.map((r) => [r.backend, r.baseline, r.ops])).toEqual([
      ["number-allocator", true, 200_000],
      ["vmem first-fit", true, 200_000],
    ]);
    // About half the steps allocate, and the ~2 000 IDs in flight never fill [1, 65535].
    expect(w.outcome.allocs).toBeGreaterThan(90_000);
    expect(w.outcome.allocs).toBeLessThan(110_000);
    expect(w.outcome.failed).toBe(0);
    const [base, ours] = w.rows.map((r) => r.nsPerOp.median);
    expect(w.notes[0]).toContain(`(${(base! / ours!).toFixed(2)}× faster)`);
    const table: string[] = [];
    expect(
      await main(["--quick", "--only", "packet-ids", "--out", out], { out: (t) => table.push(t), err: () => {} }),
    ).toBe(0);
    expect(table.join("\n")).toMatch(
      /packet-ids +–: ID allocators compared, no bin backend to choose: vmem first-fit [0-9.]+× as fast as number-allocator, the same IDs/,
    );
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain(
      "Packet IDs: vmem first-fit against number-allocator",
    );
  });
});
