import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SEED_BASE_SIZE } from "../src/backends.js";
import { dataPath } from "../src/data.js";
import { WORKLOADS } from "../src/workloads/index.js";
import { parseWorkloadFile, WorkloadFileError, type WorkloadFileSources } from "../src/workloads/workload-file.js";
import type { PhaseContext } from "../src/workloads/workload-spec.js";
import { specWorkload } from "../src/workloads/workload-spec.js";

const IOMEM = "00001000-0009fbff : System RAM\n00100000-3fffffff : System RAM\n40000000-4fffffff : Reserved\n";

/** Sources that know one policy and one data file, and record which data files were read. */
function sources(read: string[] = [], policy: (context: PhaseContext<string>) => void = () => {}): WorkloadFileSources {
  return {
    policies: { mine: policy },
    readData: (name) => {
      read.push(name);
      if (name !== "iomem.txt") throw new Error(`no data file ${name}`);
      return IOMEM;
    },
  };
}

/** A file of one workload: `w` overrides the fields of a small valid one. */
function fileOf(w: Record<string, unknown>, orderMixes: Record<string, unknown> = {}): string {
  const base = {
    id: "w",
    title: "W",
    description: "a test workload",
    seed: "0x0c0c",
    memory: { poolBytes: "64 KiB" },
    counts: { ops: { quick: 2, full: 5 } },
    phases: [{ kind: "churn", ops: "ops", pAlloc: 0.5, orders: 0 }],
  };
  return JSON.stringify({ orderMixes, workloads: [{ ...base, ...w }] });
}

const parse = (text: string, s = sources()) => parseWorkloadFile(text, "test.json", s);

/** The message of the WorkloadFileError that parsing `text` throws. */
function errorOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkloadFileError);
    return (error as Error).message;
  }
  throw new Error("parsed without an error");
}

describe("parseWorkloadFile", () => {
  it("resolves sizes, hex seeds, mix names and count names into a spec", () => {
    const { specs, orderMixes } = parse(
      fileOf(
        {
          memory: { poolBytes: "2 MiB" },
          phases: [{ kind: "allocate", count: "ops", orders: "tiny", every: { nth: 2, order: 1 } }],
        },
        {
          tiny: {
            about: "two orders",
            weights: [
              [0, 3],
              [1, 1],
            ],
          },
        },
      ),
    );
    expect(orderMixes).toEqual({
      tiny: [
        [0, 3],
        [1, 1],
      ],
    });
    expect(specs).toHaveLength(1);
    const spec = specs[0]!;
    expect(spec.seed).toBe(0x0c0c);
    expect(spec.memory).toEqual({ poolBytes: 2 * 2 ** 20 });
    expect(spec.counts).toEqual({ ops: { quick: 2, full: 5 } });
    expect(spec.phases).toEqual([
      {
        kind: "allocate",
        count: "ops",
        orders: [
          [0, 3],
          [1, 1],
        ],
        every: { nth: 2, order: 1 },
      },
    ]);
  });

  it("spreads equal ranges over a span, each one range-size below its slot's end", () => {
    const { specs } = parse(fileOf({ memory: { spread: { ranges: 4, rangeBytes: "1 MiB", span: "1 GiB" } } }));
    const slot = 2 ** 28;
    const MiB = 2 ** 20;
    expect(specs[0]!.memory).toEqual({
      ranges: [1, 2, 3, 4].map((i) => ({ start: i * slot - 2 * MiB, end: i * slot - MiB })),
      summary: "ranges=4x1MiB span=1073741824 bytes",
    });
  });

  it("reads an iomem memory's System RAM from the data file it names", () => {
    const read: string[] = [];
    const { specs } = parse(fileOf({ memory: { iomem: "iomem.txt", summary: "two ranges" } }), sources(read));
    expect(read).toEqual(["iomem.txt"]);
    expect(specs[0]!.memory).toEqual({
      ranges: [
        { start: 0x1000, end: 0x9fc00 },
        { start: 0x100000, end: 0x40000000 },
      ],
      summary: "two ranges",
    });
  });

  it("runs a named policy with the counts and the whole frames of the memory", () => {
    const seen: { frames: number; counts: Readonly<Record<string, number>> }[] = [];
    const policy = ({ frames, counts }: PhaseContext<string>) => void seen.push({ frames, counts });
    const text = fileOf({ memory: { iomem: "iomem.txt", summary: "s" }, phases: [{ kind: "policy", policy: "mine" }] });
    const [spec] = parse(text, sources([], policy)).specs;
    specWorkload(spec!).generate({ quick: true });
    // 0x1000-0x9fbff holds frames 1..158 whole (the last is cut at 0x9fc00); 0x100000-0x3fffffff holds 2^18 − 256.
    expect(seen).toEqual([{ frames: 158 + 2 ** 18 - 256, counts: { ops: 2 } }]);
  });

  it.each([
    [
      "an unknown phase kind",
      { phases: [{ kind: "fil", order: 0 }] },
      "workloads[0] (w).phases[0].kind: expected one of allocate, fill",
    ],
    [
      "a misspelled field",
      { phases: [{ kind: "churn", ops: 1, pAloc: 0.5, orders: 0 }] },
      "phases[0].pAlloc: expected a value",
    ],
    [
      "an extra field",
      { phases: [{ kind: "drain", order: 0 }] },
      "phases[0].order: expected no such field (fields: kind), got 0",
    ],
    [
      "an unknown count name",
      { phases: [{ kind: "churn", ops: "opz", pAlloc: 0.5, orders: 0 }] },
      "phases[0].ops: expected an integer ≥ 0 or a count name (ops)",
    ],
    [
      "an unknown order mix",
      {
        phases: [
          { kind: "fill", order: 0 },
          { kind: "churn", ops: 1, pAlloc: 0.5, orders: "kernal" },
        ],
      },
      'phases[1].orders: expected an order mix (none), got "kernal"',
    ],
    [
      "a probability above 1",
      { phases: [{ kind: "churn", ops: 1, pAlloc: 50, orders: 0 }] },
      "pAlloc: expected a number from 0 to 1, got 50",
    ],
    [
      "a size in no known unit",
      { memory: { poolBytes: "64 MB" } },
      'memory.poolBytes: expected a byte count > 0 below 2^53, or "<n> KiB|MiB|GiB|TiB|PiB", got "64 MB"',
    ],
    [
      "a count name that is an Object property",
      { phases: [{ kind: "churn", ops: "toString", pAlloc: 0.5, orders: 0 }] },
      'phases[0].ops: expected an integer ≥ 0 or a count name (ops), got "toString"',
    ],
    [
      "a mix name that is an Object property",
      { phases: [{ kind: "churn", ops: 1, pAlloc: 0.5, orders: "constructor" }] },
      'orders: expected an order mix (none), got "constructor"',
    ],
    ["a decimal seed", { seed: 3084 }, "seed: expected a non-empty string, got 3084"],
    [
      "a seed past 32 bits",
      { seed: "0x123456789" },
      'seed: expected a 32-bit hex string such as "0xb007", got "0x123456789"',
    ],
    [
      "an unknown policy",
      { phases: [{ kind: "policy", policy: "theirs" }] },
      'phases[0].policy: expected a policy (mine), got "theirs"',
    ],
    [
      "a data file path",
      { memory: { iomem: "../iomem.txt", summary: "s" } },
      'memory.iomem: expected a file name in data/, got "../iomem.txt"',
    ],
    [
      "two kinds of memory",
      { memory: { poolBytes: 4096, spread: {} } },
      "memory.spread: expected no such field (fields: poolBytes)",
    ],
    [
      "ranges wider than their slots",
      { memory: { spread: { ranges: 4, rangeBytes: "1 MiB", span: "4 MiB" } } },
      "memory.spread: expected at least one range, each slot (span / ranges) at least 2 · rangeBytes",
    ],
  ])("refuses %s, naming the field", (_, w, message) => {
    expect(errorOf(fileOf(w))).toContain(message);
  });

  it("names the file when it is not JSON at all", () => {
    expect(errorOf('{ "orderMixes": {}, "workloads": [ }')).toMatch(/^test\.json: not JSON \(/);
  });

  it("refuses two workloads with one id and weights that are not [[order, weight], …]", () => {
    const one = JSON.parse(fileOf({})).workloads[0];
    expect(errorOf(JSON.stringify({ orderMixes: {}, workloads: [one, one] }))).toBe(
      'test.json: workloads: expected distinct ids, got "w"',
    );
    expect(errorOf(fileOf({}, { bad: { weights: [[0, 1, 2]] } }))).toBe(
      "test.json: orderMixes.bad.weights: expected [[order, weight > 0], …], got [[0,1,2]]",
    );
  });
});

describe("data/workloads.json", () => {
  const { specs } = parseWorkloadFile(readFileSync(dataPath("workloads.json"), "utf8"), "workloads.json", {
    policies: { "fragment-rounds": () => {} },
    readData: (name) => readFileSync(dataPath(name), "utf8"),
  });

  it("is the suite's workloads, in its order", () => {
    expect(WORKLOADS.map((w) => w.id)).toEqual(specs.map((s) => s.id));
  });

  it("fills order0-churn's pool half with single pages before its churn, as its description says", () => {
    const spec = specs.find((s) => s.id === "order0-churn")!;
    expect(spec.description).toContain("pool half full of single pages");
    expect(spec.memory).toEqual({ poolBytes: 64 * 2 ** 20 });
    expect(spec.phases[0]).toEqual({ kind: "allocate", count: (64 * 2 ** 20) / SEED_BASE_SIZE / 2, orders: 0 });
  });
});
