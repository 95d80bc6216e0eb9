import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { COMMAND_USAGE, HELP, main } from "../src/cli.js";
import { exampleOpTracePath, mallocTracePath } from "../src/data.js";
import type { CommandIO } from "../src/io.js";
import { readMallocTraceText } from "../src/io.js";
import type { Report } from "../src/report/model.js";
import { alignColumns, formatTable } from "../src/report/table.js";

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}
const dir = mkdtempSync(join(tmpdir(), "mm-bench-compare-"));
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("mm-bench compare", () => {
  it("replays an op-trace and a gzipped malloc trace (kind from content) on every backend, in the suite's shape", async () => {
    const events = readMallocTraceText(mallocTracePath("git-log-p"))
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .slice(0, 3000);
    // A misleading name: the kind comes from the content.
    const malloc = file("heap.data", gzipSync(`# a malloc trace\n${events.join("\n")}\n`));
    const out = join(dir, "out");
    const io = capture();
    expect(
      await main(
        ["compare", "--quick", "--repeat", "6", "--json", "--out", out, exampleOpTracePath("ex-fragment"), malloc],
        io,
      ),
    ).toBe(0);
    const report = JSON.parse(io.stdout.join("\n")) as Report;
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toEqual(report);
    expect(readFileSync(join(out, "index.html"), "utf8")).toMatch(/Recommended: /);
    expect(report.workloads.map((w) => [w.id, w.kind])).toEqual([
      ["ex-fragment", "op-trace"],
      ["heap.data", "malloc-trace"],
    ]);
    const [ops, heap] = report.workloads;
    expect(ops!.rows.map((r) => r.backend)).toEqual(["sorted-array", "red-black-tree", "bitmap"]);
    expect(ops!.outcome).toEqual({ allocs: 266, failed: 9, checksum: 1012232 }); // its # expect line
    expect(ops!.notes).toContain("every backend reproduced the trace's # expect line");
    expect(ops!.notes.join("\n")).toMatch(
      /first failed allocation at line 393: order 1 \(8 KiB\) failed: the largest free block is order 0 \(4 KiB\); 512 KiB is free in all, enough, but fragmented/,
    );
    expect(heap!.ops).toBe(3000);
    expect(heap!.rows.map((r) => [r.backend, r.baseline])).toEqual([
      ["sorted-array", false],
      ["red-black-tree", false],
      ["bitmap", false],
      ["@thi.ng/malloc", true],
      ["@mm/vmem arena", true],
    ]);
    for (const w of report.workloads) {
      const rec = w.recommendation!;
      expect(rec.tied).toContain(rec.backend);
      expect(rec.reason).toMatch(/minimum gap/);
      expect(rec.runs).toBeGreaterThanOrEqual(6); // --repeat 6: at least 6 timed runs
      for (const r of w.rows) expect(r.samplesNsPerOp).toHaveLength(r.runs);
    }
  });

  it("malformed files exit 2 with file:line before anything is timed", async () => {
    const cases: [string, string, RegExp][] = [
      [
        "bad-op.trace",
        "# buddy op-trace v1\nadd 0 64\nalloc 0 1\nalloc one 2\n",
        /bad-op\.trace:4: expected a decimal ID in field 2: "alloc one 2"/,
      ],
      ["bad-malloc.trace", "m 1 16\nf 1\nf 1\n", /bad-malloc\.trace:3: ID 1 names no live object/],
      [
        "neither.trace",
        "# hello\n\nwhat is this\n",
        /neither\.trace:3: neither a buddy op-trace line .* nor a malloc-trace event/,
      ],
      ["dead-free.trace", "add 0 64\nalloc 0 1\nfree 0\nfree 0\n", /dead-free\.trace:4: free of ID 0/],
      ["huge.trace", "add 0 64\nalloc 0 13\n", /huge\.trace:2: alloc of order 13, above the largest order/],
      ["empty.trace", "# nothing\n", /empty\.trace: no events/],
    ];
    for (const [name, text, message] of cases) {
      const io = capture();
      expect(await main(["compare", "--quick", "--out", join(dir, "x"), file(name, text)], io), name).toBe(2);
      expect(io.stdout).toEqual([]);
      expect(io.stderr.join("\n")).toMatch(message);
    }
    const missing = capture();
    expect(await main(["compare", join(dir, "absent.trace")], missing)).toBe(2);
    expect(missing.stderr.join("\n")).toMatch(/absent\.trace: cannot read/);
    const none = capture();
    expect(await main(["compare", "--quick"], none)).toBe(2);
    expect(none.stderr.join("\n")).toMatch(/expected at least one FILE[\s\S]*usage: mm-bench compare/);
  });
});

describe("CLI manners", () => {
  it("every command's --help prints its usage on stdout and exits 0", async () => {
    for (const command of ["replay", "malloc", "compare", "view", "workloads"]) {
      const io = capture();
      expect(await main([command, "--help"], io), command).toBe(0);
      expect(io.stderr).toEqual([]);
      expect(io.stdout.join("\n")).toBe(COMMAND_USAGE[command]);
      expect(io.stdout.join("\n")).toMatch(new RegExp(`^usage: mm-bench ${command}`));
    }
    const io = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/mm-bench compare .*FILE\.\.\.[\s\S]*mm-bench view/);
  });

  it("a name of Object.prototype is no command: the suite's help, or its usage error", async () => {
    const help = capture();
    expect(await main(["constructor", "--help"], help)).toBe(0);
    expect(help.stdout.join("\n")).toBe(HELP);
    const unknown = capture();
    expect(await main(["toString"], unknown)).toBe(2);
    expect(unknown.stderr.join("\n")).toMatch(/^mm-bench: unknown command toString\n/);
  });

  it("--only with an unknown workload exits 2 and lists the known ones", async () => {
    const io = capture();
    expect(await main(["--quick", "--only", "order0,nope", "--out", join(dir, "y")], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join("\n")).toMatch(
      /--only nope matches no workload; known workloads: boot, fill-drain, .*malloc-git-log-p/,
    );
  });
});

describe("the terminal table", () => {
  it("aligns columns: text left, numbers right", () => {
    expect(
      alignColumns(
        [
          ["a", "1.5"],
          ["long name", "10.25"],
        ],
        new Set([1]),
      ),
    ).toEqual([`a${" ".repeat(12)}1.5`, "long name  10.25"]);
  });

  it("has no Markdown, marks baselines and prefixes, explains failures, ends with a verdict per backend", async () => {
    const events = readMallocTraceText(mallocTracePath("python3-compileall"))
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    const malloc = file("py.trace", `${events.slice(0, 2000).join("\n")}\n`);
    const io = capture();
    expect(
      await main(["compare", "--quick", "--out", join(dir, "t"), exampleOpTracePath("ex-fragment"), malloc], io),
    ).toBe(0);
    const text = io.stdout.join("\n");
    expect(text).not.toMatch(/\*\*|\| ---|^\|/m);
    const lines = text.split("\n");
    const head = lines.findIndex((l) => l.startsWith("workload"));
    // Every table row ends its ns/op column where the header does.
    const end = lines[head]!.indexOf("ns/op") + "ns/op".length;
    for (const l of lines.slice(head + 2, head + 2 + 7)) expect(l.slice(0, end)).toMatch(/\d$/);
    expect(text).toMatch(/@thi\.ng\/malloc \(baseline\)/); // 2000 events: it replays them all, no prefix
    expect(text).toMatch(/failed: allocations that found no free block\. .*ex-fragment \(9\)/);
    expect(text).toMatch(/\n {2}ex-fragment: first failed allocation at line 393: order 1 \(8 KiB\) failed/);
    expect(text).toMatch(/Verdict per backend:\n {2}sorted-array +recommended for \d of 2,/);
    expect(text).toMatch(/\n {2}red-black-tree +recommended for \d of 2,/);
  });

  it("says so when a baseline replays a prefix", () => {
    const row = (backend: string, ops: number, baseline: boolean) => ({
      backend,
      baseline,
      ops,
      runs: 3,
      nsPerOp: { min: 1, q1: 1, median: 1, q3: 1, max: 1 },
      samplesNsPerOp: [1, 1, 1],
      opsPerSec: 1e9,
      relative: 1,
      metadataBytesPerFrame: null,
      failed: 0,
    });
    const report: Report = {
      tool: "mm-bench",
      generatedAt: "",
      quick: true,
      warmup: 2,
      runs: 3,
      durationMs: 0,
      machine: { cpu: "c", cores: 1, memoryBytes: 1, platform: "p", arch: "a", node: "n", v8: "v" },
      workloads: [
        {
          id: "w",
          title: "w",
          description: "",
          kind: "malloc-trace",
          ops: 100,
          outcome: { allocs: 1, failed: 0 },
          rows: [row("bitmap", 100, false), row("@thi.ng/malloc", 20, true)],
          recommendation: undefined,
          notes: [],
        },
      ],
    };
    const text = formatTable(report);
    expect(text).toMatch(/@thi\.ng\/malloc \(baseline, prefix\)/);
    expect(text).toMatch(/prefix: the baseline replays only the start of the workload.*first 20 of 100 ops/);
  });
});

describe("mm-bench workloads --seed", () => {
  it("draws every workload again with its seed XOR N: other traces of the same programs; 0 gives the suite's", async () => {
    const write = async (...extra: string[]) => {
      const out = mkdtempSync(join(tmpdir(), "mm-workloads-"));
      const io = capture();
      expect(await main(["workloads", "--quick", ...extra, "--out", out], io)).toBe(0);
      return (name: string) => readFileSync(join(out, name), "utf8");
    };
    const suite = await write();
    const zero = await write("--seed", "0");
    const other = await write("--seed", "0x7");
    for (const name of ["order0-churn.trace", "malloc-compiler.trace", "malloc-database.trace"]) {
      expect(zero(name), name).toBe(suite(name));
      expect(other(name), name).not.toBe(suite(name));
      // The same program: the same kinds of events, in about the same numbers.
      const events = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
      expect(events(other(name)) / events(suite(name)), name).toBeGreaterThan(0.8);
      expect(events(other(name)) / events(suite(name)), name).toBeLessThan(1.25);
    }
    // The op-trace states the seed it was drawn with.
    const seedOf = (text: string) => /prng=mulberry32 seed=(0x[0-9a-f]+)/.exec(text)![1]!;
    expect(Number(seedOf(other("order0-churn.trace")))).toBe(Number(seedOf(suite("order0-churn.trace"))) ^ 7);
    const bad = capture();
    expect(await main(["workloads", "--seed", "-1"], bad)).toBe(2);
    expect(bad.stderr.join("\n")).toMatch(/--seed: expected an integer in 0…4294967295.*got "-1"/);
    // mm-bench gpu reads its seed the same way.
    const gpu = capture();
    expect(await main(["gpu", "--seed", "2x"], gpu)).toBe(2);
    expect(gpu.stderr.join("\n")).toMatch(/--seed: expected an integer in 0…4294967295.*got "2x"/);
  });
});
