/**
 * The two outside heaps the malloc workloads are judged against, run on the same trace when their replayers are
 * built: glibc's malloc replaying natively, and AssemblyScript's TLSF in wasm called once per event from JS.
 * Both replayers live outside this repository (../shared/reference/ on the project machine); point the bench at
 * them with environment variables, or the workload notes say how to build them.
 *
 *   MM_BENCH_GLIBC_REPLAY=/path/to/replay-native        (gcc -O2 -o replay-native replay-native.c -lz)
 *   MM_BENCH_WASM_TLSF=/path/to/wasm-tlsf               (npm install; npx asc replay.ts … -O3 --noAssert)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A baseline's ns/op on one trace, or why it was not run. */
export interface NativeBaseline {
  readonly name: string;
  readonly nsPerOp?: number;
  readonly note: string;
}

const HOW = {
  glibc:
    "set MM_BENCH_GLIBC_REPLAY to a replay-native binary (gcc -O2 -o replay-native replay-native.c -lz, from the malloc-replay reference)",
  tlsf: "set MM_BENCH_WASM_TLSF to a built wasm-tlsf reference directory (npm install && npx asc replay.ts --runtime minimal -O3 --noAssert --outFile build/replay.wasm --initialMemory 1)",
};

function nsPerOp(output: string): number | undefined {
  const m = /ns_per_op=([0-9.]+)/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** Runs whichever baselines are configured on the malloc trace `text` (median of `repeat` runs each). */
export function nativeBaselines(text: string, repeat = 5): NativeBaseline[] {
  const glibc = process.env.MM_BENCH_GLIBC_REPLAY;
  const tlsf = process.env.MM_BENCH_WASM_TLSF;
  if (!glibc && !tlsf) {
    return [
      { name: "glibc malloc", note: `not run: ${HOW.glibc}` },
      { name: "wasm TLSF", note: `not run: ${HOW.tlsf}` },
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), "mm-bench-malloc-"));
  const file = join(dir, "trace.trace");
  writeFileSync(file, text);
  const out: NativeBaseline[] = [];
  try {
    const run = (name: string, how: string, command: string | undefined, args: (f: string) => string[]) => {
      if (!command) return void out.push({ name, note: `not run: ${how}` });
      try {
        const ns = nsPerOp(execFileSync(command, args(file), { encoding: "utf8", maxBuffer: 1 << 20 }));
        out.push({ name, nsPerOp: ns, note: ns === undefined ? "no ns_per_op in its output" : "" });
      } catch (e) {
        out.push({ name, note: `failed: ${(e as Error).message.split("\n")[0]}` });
      }
    };
    run("glibc malloc", HOW.glibc, glibc, (f) => [f, "--repeat", String(repeat)]);
    run("wasm TLSF", HOW.tlsf, tlsf ? process.execPath : undefined, (f) => [
      join(tlsf ?? "", "replay.mjs"),
      f,
      "--repeat",
      String(repeat),
      "--from-js",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
