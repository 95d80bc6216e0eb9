/** /proc/iomem parsing, on a copy of a real listing (test/fixtures/iomem.txt) and on hand-made edge cases. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseIomem, parseIomemEntries, trimRange } from "../src/index.js";
import { expectAllocatorError } from "./expect-error.js";

const snapshot = readFileSync(new URL("./fixtures/iomem.txt", import.meta.url), "utf8");

/** The snapshot's top-level System RAM lines, inclusive ends turned half-open. */
const SNAPSHOT_RAM = [
  { start: 0x1000, end: 0x9fc00 }, // 00001000-0009fbff
  { start: 0x100000, end: 0xc0000000 }, // 00100000-bfffffff
  { start: 0x100000000, end: 0x640000000 }, // 100000000-63fffffff (above 2^32)
];

describe("parseIomem on the snapshot", () => {
  it("returns exactly the top-level System RAM ranges, half-open", () => {
    expect(parseIomem(snapshot)).toEqual(SNAPSHOT_RAM);
  });

  it("trims to whole 4 KiB frames", () => {
    expect(parseIomem(snapshot).map((range) => trimRange(range, 4096))).toEqual([
      { start: 0x1000, end: 0x9f000 }, // the partial frame 0x9f000..0x9fc00 is dropped
      { start: 0x100000, end: 0xc0000000 },
      { start: 0x100000000, end: 0x640000000 },
    ]);
  });

  it("parseIomemEntries keeps every line with its depth", () => {
    const entries = parseIomemEntries(snapshot);
    expect(entries).toHaveLength(10);
    expect(entries[0]).toEqual({ start: 0, end: 0x1000, name: "Reserved", depth: 0 });
    expect(entries.filter((e) => e.depth === 1).map((e) => e.name)).toEqual([
      "Kernel code",
      "Kernel rodata",
      "Kernel data",
      "Kernel bss",
    ]);
    expect(entries[4]).toEqual({ start: 0x1000000, end: 0x220bb08, name: "Kernel code", depth: 1 });
  });
});

describe("parseIomem edge cases", () => {
  it("ignores nested System RAM (e.g. under a PCI window) and sorts by address", () => {
    const text = [
      "100000000-1ffffffff : System RAM",
      "c0000000-fbffffff : PCI Bus 0000:00",
      "  c0000000-c0ffffff : System RAM",
      "00001000-00001fff : System RAM",
    ].join("\n");
    expect(parseIomem(text)).toEqual([
      { start: 0x1000, end: 0x2000 },
      { start: 0x100000000, end: 0x200000000 },
    ]);
  });

  it("accepts CRLF, blank lines, whitespace-only lines and no final newline", () => {
    const text =
      "\r\n00001000-0009fbff : System RAM\r\n\r\n   \r\n  01000000-0220bb07 : Kernel code\r\n00100000-bfffffff : System RAM";
    expect(parseIomem(text)).toEqual(SNAPSHOT_RAM.slice(0, 2));
    expect(parseIomem(snapshot.replaceAll("\n", "\r\n"))).toEqual(SNAPSHOT_RAM);
  });

  it("returns nothing for an empty listing", () => {
    expect(parseIomem("")).toEqual([]);
    expect(parseIomem("\n\n")).toEqual([]);
  });

  it("names the line number of a malformed line", () => {
    const text = "00001000-0009fbff : System RAM\n\n0009fc00 000fffff Reserved\n";
    const error = expectAllocatorError(() => parseIomem(text), "INVALID_ARGUMENT");
    expect(error.message).toContain("line 3");
    expect(error.message).toContain("0009fc00 000fffff Reserved");
    expect(error.details.line).toBe(3);
    expect(error.value).toBe("0009fc00 000fffff Reserved");
  });

  it("rejects non-hex bounds", () => {
    const error = expectAllocatorError(() => parseIomem("0000g000-0009fbff : System RAM"), "INVALID_ARGUMENT");
    expect(error.details.line).toBe(1);
  });

  it("rejects an end before its start with INVALID_RANGE", () => {
    const error = expectAllocatorError(
      () => parseIomem("00001000-0009fbff : System RAM\n00200000-001fffff : System RAM"),
      "INVALID_RANGE",
    );
    expect(error.message).toContain("line 2");
    expect(error.details.line).toBe(2);
  });

  it("accepts a one-byte entry (end = start)", () => {
    expect(parseIomem("00001000-00001000 : System RAM")).toEqual([{ start: 0x1000, end: 0x1001 }]);
  });

  it("rejects addresses above 2^53 − 1 with OUT_OF_RANGE", () => {
    const start = expectAllocatorError(() => parseIomem("20000000000000-20000000000fff : System RAM"), "OUT_OF_RANGE");
    expect(start.message).toContain("0x20000000000000");
    expect(start.details.line).toBe(1);
    const end = expectAllocatorError(
      () => parseIomem("00001000-0009fbff : System RAM\n1000-ffffffffffffffff : Reserved"),
      "OUT_OF_RANGE",
    );
    expect(end.message).toContain("line 2");
  });

  it("rejects an inclusive end of 2^53 − 1, whose half-open end 2^53 is not a safe address", () => {
    expect(parseIomem("1ffffffffff000-1ffffffffffffe : System RAM")).toEqual([
      { start: 2 ** 53 - 4096, end: 2 ** 53 - 1 },
    ]);
    expectAllocatorError(() => parseIomem("1ffffffffff000-1fffffffffffff : System RAM"), "OUT_OF_RANGE");
  });
});
