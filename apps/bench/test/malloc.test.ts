import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MallocTarget, parseMallocTrace, replayMallocTrace } from "@mm/trace";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { mallocTracePath } from "../src/data.js";
import type { CommandIO } from "../src/io.js";
import { readMallocTraceText } from "../src/io.js";
import { BlockChecker } from "../src/malloc-replay.js";

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** The first `events` event lines of a shared trace (header kept), as a plain .trace file. */
function truncated(name: string, events: number): string {
  const lines = readMallocTraceText(mallocTracePath(name)).split("\n");
  const out: string[] = [];
  let n = 0;
  for (const line of lines) {
    if (line.startsWith("#")) out.push(line);
    else if (line && n++ < events) out.push(line);
  }
  const dir = mkdtempSync(join(tmpdir(), "mm-bench-"));
  const file = join(dir, `${name}-head.trace`);
  writeFileSync(file, `${out.join("\n")}\n`);
  return file;
}

const LINE =
  /^ops=(\d+) allocs=(\d+) failed=(\d+) peak_live_bytes=(\d+) footprint_bytes=(\d+) ns_per_op=\d+\.\d{2} replay_ms=\d+\.\d{3} verified=ok$/;

describe("mm-bench malloc", () => {
  it.each(["git-log-p", "python3-compileall"])("--verify passes on the first 40k events of %s", async (name) => {
    const file = truncated(name, 40_000);
    for (const bins of ["bitmap", "red-black-tree"]) {
      const io = capture();
      expect(await main(["malloc", "--bins", bins, "--verify", file], io), io.stderr.join("\n")).toBe(0);
      const m = LINE.exec(io.stdout[0]!);
      expect(m, io.stdout[0]).not.toBeNull();
      expect(+m![1]!).toBe(40_000);
      expect(+m![3]!).toBe(0);
      expect(+m![5]!).toBeGreaterThanOrEqual(+m![4]!);
    }
  });

  it("reports the most failures of any run when a timed run on the reused heap fails where the warm-up did not", async () => {
    // A long mixed trace leaves the reused heap fragmented enough that a later run fails requests of a few MiB
    // the fresh warm-up heap served: the command still prints its line, with those failures counted.
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-"));
    const file = join(dir, "mixed-7.trace");
    const script = fileURLToPath(new URL("../scripts/big-malloc-trace.mjs", import.meta.url));
    writeFileSync(
      file,
      execFileSync(process.execPath, [script, "200000", "20000", "mixed", "7"], { maxBuffer: 2 ** 26 }),
    );
    const once = capture();
    expect(await main(["malloc", file], once), once.stderr.join("\n")).toBe(0);
    const io = capture();
    expect(await main(["malloc", "--repeat", "2", file], io), io.stderr.join("\n")).toBe(0);
    const failed = (out: string[]) => Number(/ failed=(\d+) /.exec(out[0]!)![1]);
    expect(failed(io.stdout)).toBeGreaterThanOrEqual(failed(once.stdout));
  }, 60_000);

  it("replays every timed run on the same heap, freeing what each run left live", async () => {
    // 40 MB stays live after every run; the bench gives the heap 4× the peak, so without the frees between
    // runs the fourth run would find no room and disagree with the warm-up run.
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-"));
    const file = join(dir, "leaves-live.trace");
    writeFileSync(file, "m 0 40000000\nm 1 64\nm 2 5000\nf 1\n");
    const io = capture();
    expect(await main(["malloc", "--repeat", "7", file], io), io.stderr.join("\n")).toBe(0);
    expect(io.stdout[0]).toMatch(/^ops=4 allocs=3 failed=0 /);
  });

  it("reads .trace.gz and agrees with the trace header's peak live bytes", () => {
    const trace = parseMallocTrace(readMallocTraceText(mallocTracePath("git-log-p")));
    expect(trace.length).toBe(514234);
    expect(trace.peakLiveBytes).toBe(89557796);
  });

  /** A target that places each malloc where `malloc` says (no free, no realloc), for the checker to judge. */
  const placing = (malloc: () => number | undefined, usableSize?: (addr: number) => number): MallocTarget => ({
    malloc,
    free: () => {},
    realloc: () => undefined,
    ...(usableSize ? { usableSize } : {}),
  });

  it("the checker catches overlapping blocks and short blocks", () => {
    const trace = parseMallocTrace("m 0 100\nm 1 100\n");
    const overlapping = placing(() => 4096);
    expect(() => replayMallocTrace(trace, overlapping, new BlockChecker(overlapping))).toThrow(
      /handed out while still live/,
    );
    let next = 4096;
    const short = placing(
      () => (next += 64),
      () => 64,
    );
    expect(() => replayMallocTrace(trace, short, new BlockChecker(short))).toThrow(/holds 64 bytes, 100 asked/);
    let base = 4096;
    const overlap = placing(
      () => (base += 50),
      () => 100,
    );
    expect(() => replayMallocTrace(trace, overlap, new BlockChecker(overlap))).toThrow(/overlaps live block/);
    // A block inside a multi-page one, and one reaching into it from below, whatever the sizes.
    const big = parseMallocTrace("m 0 1048576\nm 1 64\n");
    for (const [second, usable] of [
      [4096 + 524288, 64],
      [64, 8192],
    ] as const) {
      const addrs = [4096, second];
      const nested = placing(
        () => addrs.shift(),
        (a) => (a === 4096 ? 1048576 : usable),
      );
      expect(() => replayMallocTrace(big, nested, new BlockChecker(nested))).toThrow(
        /event 2: block .* overlaps live block \[0x1000, 0x101000\)/,
      );
    }
    // Freed blocks leave no trace: the same place may be handed out again.
    const reuse = parseMallocTrace("m 0 100\nf 0\nm 1 100\nf 1\n");
    const same = placing(() => 4096);
    const checker = new BlockChecker(same);
    replayMallocTrace(reuse, same, checker);
    expect(checker.checked).toBe(2);
  });

  it("a malformed malloc trace exits 2 naming the line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-"));
    const file = join(dir, "bad.trace");
    writeFileSync(file, "# x\nm 0 10\nf 1\n");
    const io = capture();
    expect(await main(["malloc", file], io)).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/bad\.trace:3: ID 1 names no live object/);
  });
});
