/**
 * The built CLI on a directory of bad trace files: every one exits 2 with `mm-bench CMD: FILE:LINE: …` on stderr
 * and no stack trace; the odd-but-valid ones (a byte-order mark, IDs far apart) replay; a `# expect` mismatch
 * exits 1 saying what differed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mm-bench-bad-"));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** name → [file contents, the line the message must name] */
const BAD_OP_TRACES: Record<string, [string, number]> = {
  "unknown-op": ["add 0 16\nmalloc 0 1\n", 2],
  "uppercase-op": ["ADD 0 16\n", 1],
  "non-decimal-id": ["add 0 16\nalloc x 0\n", 2],
  "hex-number": ["add 0x10 16\n", 1],
  exponent: ["add 0 16\nalloc 1e3 0\n", 2],
  "plus-sign": ["add +0 16\n", 1],
  "negative-number": ["add -1 16\n", 1],
  "fractional-order": ["add 0 16\nalloc 0 1.5\n", 2],
  "leading-zero": ["add 01 16\n", 1],
  "missing-field": ["add 0\n", 1],
  "free-without-id": ["add 0 16\nfree\n", 2],
  "extra-field": ["add 0 16\nfree 0 1\n", 2],
  "avail-with-operand": ["avail 1\n", 1],
  "two-spaces": ["add  0 16\n", 1],
  "tab-separated": ["add\t0\t16\n", 1],
  "trailing-space": ["add 0 16 \n", 1],
  "blank-but-spaces": ["add 0 16\n   \n", 2],
  "lone-cr-inside": ["add 0 16\ralloc 0 0\n", 1],
  "nul-bytes": ["add 0 16\n\0\0\0\n", 2],
  "bom-not-at-start": ["add 0 16\n\uFEFFavail\n", 2],
  "order-above-40": ["add 0 16\nalloc 0 41\n", 2],
  "id-past-2^32": ["add 0 16\nalloc 4294967295 0\n", 2],
  "number-past-2^53": ["add 9007199254740993 1\n", 1],
  "range-end-past-2^53-frames": ["add 9007199254740990 10\n", 1],
  "add-past-2^53-bytes": ["add 2251799813685248 16\n", 1],
  "order-13-max-12": ["# header\nadd 0 8192\nalloc 0 13\n", 3],
  "overlapping-add": ["add 0 64\nadd 32 64\n", 2],
  "overlapping-add-inside": ["add 0 64\nalloc 0 0\nadd 1 1\n", 3],
  "free-of-unknown-id": ["add 0 16\nfree 3\n", 2],
  "double-free": ["add 0 16\nalloc 0 0\nfree 0\nfree 0\n", 4],
  "free-of-failed-alloc": ["add 0 1\nalloc 0 1\nfree 0\n", 3],
  "reused-live-id": ["add 0 64\nalloc 5 0\nalloc 5 0\n", 3],
  "reused-huge-live-id": ["add 0 64\nalloc 200000000 0\nalloc 200000000 1\n", 3],
  "ten-million-char-line": [`add 0 16\nalloc ${"1".repeat(10_000_000)} 0\n`, 2],
};

const BAD_MALLOC_TRACES: Record<string, [string, number]> = {
  "m-unknown-event": ["m 0 1\nx 0\n", 2],
  "m-free-of-dead-id": ["# h\nm 0 10\nf 1\n", 3],
  "m-double-free": ["m 0 10\nf 0\nf 0\n", 3],
  "m-live-id-reused": ["m 0 10\nm 0 20\n", 2],
  "m-realloc-into-live-id": ["m 0 10\nm 1 10\nr 0 1 5\n", 3],
  "m-realloc-of-dead-id": ["m 0 10\nr 1 2 5\n", 2],
  "m-missing-field": ["m 0\n", 1],
  "m-extra-field": ["m 0 1 2\n", 1],
  "m-non-decimal-size": ["m 0 ten\n", 1],
  "m-size-past-2^53": ["m 0 9007199254740993\n", 1],
  "m-id-past-2^32": ["m 4294967295 1\n", 1],
  "m-ten-million-char-line": [`m 0 ${"7".repeat(10_000_000)}\n`, 1],
};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`build the bench first (${CLI} is missing)`);
  for (const [name, [text]] of Object.entries(BAD_OP_TRACES)) writeFileSync(join(dir, `${name}.trace`), text);
  for (const [name, [text]] of Object.entries(BAD_MALLOC_TRACES)) writeFileSync(join(dir, `${name}.trace`), text);
  writeFileSync(join(dir, "m-gzipped.trace.gz"), gzipSync("m 0 10\nf 0\nf 0\n"));
});

const STACK_FRAME = /^\s+at /m;

describe("mm-bench on bad trace files (the built CLI)", () => {
  it("has at least 30 kinds of bad file", () => {
    expect(Object.keys(BAD_OP_TRACES).length + Object.keys(BAD_MALLOC_TRACES).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(BAD_OP_TRACES))("replay %s: exit 2, FILE:LINE, no stack trace", (name, [, line]) => {
    const file = join(dir, `${name}.trace`);
    const r = run("replay", "--bins", "bitmap", file);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(`mm-bench replay: ${file}:${line}: `), r.stderr.slice(0, 300)).toBe(true);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it.each(Object.entries(BAD_MALLOC_TRACES))("malloc %s: exit 2, FILE:LINE, no stack trace", (name, [, line]) => {
    const file = join(dir, `${name}.trace`);
    const r = run("malloc", file);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.startsWith(`mm-bench malloc: ${file}:${line}: `), r.stderr.slice(0, 300)).toBe(true);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it("a gzipped malloc trace names its line too", () => {
    const file = join(dir, "m-gzipped.trace.gz");
    const r = run("malloc", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mm-bench malloc: .*m-gzipped\.trace\.gz:3: ID 0 names no live object/);
  });
});

describe("odd but valid trace files", () => {
  it("a UTF-8 byte-order mark is accepted by replay and malloc", () => {
    const op = join(dir, "bom.trace");
    writeFileSync(op, "\uFEFF# expect ops=2 allocs=1 failed=0 checksum=2\nadd 0 16\nalloc 0 2\n");
    const r = run("replay", "--bins", "sorted-array", op);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ops=2 allocs=1 failed=0 checksum=2 /);
    const m = join(dir, "bom-malloc.trace");
    writeFileSync(m, "\uFEFFm 0 10\nf 0\n");
    const rm = run("malloc", m);
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toMatch(/^ops=2 allocs=1 failed=0 /);
  });

  it("IDs far apart replay without a table sized by the largest ID", () => {
    const op = join(dir, "huge-ids.trace");
    writeFileSync(op, "add 0 16\nalloc 200000000 0\nalloc 4294967294 1\nfree 200000000\n");
    const r = spawnSync(process.execPath, ["--max-old-space-size=128", CLI, "replay", "--bins", "bitmap", op], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ops=4 allocs=2 failed=0 /);
    const m = join(dir, "huge-ids-malloc.trace");
    writeFileSync(m, "m 200000000 10\nr 200000000 4294967294 20\nf 4294967294\n");
    const rm = spawnSync(process.execPath, ["--max-old-space-size=128", CLI, "malloc", m], { encoding: "utf8" });
    expect(rm.status, rm.stderr).toBe(0);
  });

  it("a # expect mismatch exits 1 and says what differed, naming the expect line", () => {
    const op = join(dir, "wrong-expect.trace");
    writeFileSync(op, "# made by hand\n# expect ops=2 allocs=1 failed=0 checksum=7\nadd 0 16\nalloc 0 1\n");
    const r = run("replay", "--bins", "red-black-tree", op);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ops=2 allocs=1 failed=0 checksum=1 /);
    expect(r.stderr.trim()).toBe(
      `mm-bench replay: ${op}:2: the replay does not match the # expect line: checksum=1 (expected checksum=7)`,
    );
  });
});
