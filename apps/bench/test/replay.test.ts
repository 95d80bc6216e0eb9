import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN_BACKENDS } from "@mm/buddy";
import { parseOpTrace } from "@mm/trace";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { EXAMPLE_OP_TRACES, exampleOpTracePath } from "../src/data.js";
import type { CommandIO } from "../src/io.js";

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const LINE = /^ops=(\d+) allocs=(\d+) failed=(\d+) checksum=(\d+) ns_per_op=\d+\.\d{2} replay_ms=\d+\.\d{3}$/;

describe("mm-bench replay", () => {
  for (const name of EXAMPLE_OP_TRACES) {
    const path = exampleOpTracePath(name);
    const expected = parseOpTrace(readFileSync(path, "utf8")).expect!;
    it.each(BIN_BACKENDS)(`${name} on %s prints the # expect line's numbers`, async (bins) => {
      const io = capture();
      expect(await main(["replay", "--bins", bins, "--repeat", "3", path], io)).toBe(0);
      expect(io.stdout).toHaveLength(1);
      const m = LINE.exec(io.stdout[0]!);
      expect(m, io.stdout[0]).not.toBeNull();
      expect({ ops: +m![1]!, allocs: +m![2]!, failed: +m![3]!, checksum: +m![4]! }).toEqual(expected);
    });
  }

  /** Writes `text` as `name` in a fresh temporary directory and returns its path. */
  const traceFile = (name: string, text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), "mm-bench-")), name);
    writeFileSync(file, text);
    return file;
  };

  it("a malformed file exits 2 with a message naming the line", async () => {
    const file = traceFile("bad.trace", "# header\nadd 0 64\nalloc 0 1\nalloc one 2\nfree 0\n");
    const io = capture();
    expect(await main(["replay", "--bins", "bitmap", file], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join("\n")).toMatch(/bad\.trace:4: expected a decimal ID in field 2: "alloc one 2"/);
  });

  it("a free of a dead ID exits 2 naming the line; usage errors exit 2", async () => {
    const file = traceFile("dead.trace", "add 0 64\nalloc 0 1\nfree 0\nfree 0\n");
    const io = capture();
    expect(await main(["replay", "--bins", "sorted-array", file], io)).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/dead\.trace:4: free of ID 0/);
    expect(await main(["replay", "--bins", "nope", file], capture())).toBe(2);
    expect(await main(["replay", file], capture())).toBe(2);
    expect(await main(["replay", "--bins", "bitmap", "--repeat", "0", file], capture())).toBe(2);
  });
});
