#!/usr/bin/env node
// What a replay loop costs on its own: the loop of one replayer run on a target that does nothing, so that
// replay-loop-instructions.sh can count its instructions per event under callgrind (os.loadavg() before the timed
// runs, where callgrind zeroes its counters; os.uptime() after, where it dumps them).
//
//   node apps/bench/scripts/replay-loop-cost.mjs CHECKOUT LOOP TRACE RUNS
//
// LOOP:
//   generic      @mm/trace's replayMallocTrace on a MallocTarget of closures, as `mm-bench malloc` built it up
//                to s23 (`(size) => heap.alloc(size === 0 ? 1 : size)` …), no observer
//   heap         @mm/trace's replayMallocHeap (the timed loop of `mm-bench malloc`), on a do-nothing heap class
//                called through its own methods (alloc/free/realloc), as a program would call SlabAllocator
//   arena        `mm-bench arena`'s loop (arena-replay-loop.mjs) on a do-nothing arena class
//   wasm-js      a JS loop of the shape of the wasm TLSF replayer's `--from-js` (realloc as free + malloc,
//                Int32Array kind/id/size columns, a Uint32Array live table, exported functions called directly),
//                calling a wasm module whose malloc returns its argument + 16 and whose free does nothing
//
// CHECKOUT is a built checkout (its packages/*/dist are imported); `heap` needs one that has replayMallocHeap.
import { readFileSync } from "node:fs";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import { arenaPlan, compileArenaReplay } from "./arena-replay-loop.mjs";
import { importPackage } from "./lib/checkout.mjs";

const [checkout, loop, file, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const trace = await importPackage(checkout, "trace");
let bytes = readFileSync(file);
if (file.endsWith(".gz")) bytes = gunzipSync(bytes);
const parsed = trace.parseMallocTrace(bytes.toString("latin1"));

/** A heap that hands out an address and keeps nothing: what is left to count is the loop. */
class NopHeap {
  alloc(size) {
    return 4096 + size;
  }
  free(_addr) {}
  realloc(addr, _size) {
    return addr;
  }
}

/** A wasm module: (func malloc (param i32) (result i32) local.get 0 i32.const 16 i32.add), (func free (param i32)). */
const NOP_WASM = Buffer.from(
  [
    "0061736d01000000", // magic, version
    "010a0260017f017f60017f00", // types: (i32) -> i32, (i32) -> ()
    "0303020001", // functions: type 0, type 1
    "071102066d616c6c6f63000004667265650001", // exports: malloc, free
    "0a0c020700200041106a0b02000b", // bodies
  ].join(""),
  "hex",
);

function genericLoop() {
  const heap = new NopHeap();
  const target = {
    malloc: (size) => heap.alloc(size === 0 ? 1 : size),
    free: (addr) => heap.free(addr),
    realloc: (addr, size) => heap.realloc(addr, size === 0 ? 1 : size),
  };
  const live = new Float64Array(parsed.slotCount);
  return () => trace.replayMallocTrace(parsed, target, undefined, live).failed;
}

function heapLoop() {
  if (typeof trace.replayMallocHeap !== "function") throw new Error(`${checkout}: no replayMallocHeap`);
  const heap = new NopHeap();
  const plan = trace.planMallocReplay(parsed, { zeroSizeAs: 1 });
  const live = new Float64Array(parsed.slotCount);
  return () => trace.replayMallocHeap(plan, heap, live).failed;
}

function arenaLoop() {
  const replay = compileArenaReplay();
  const plan = arenaPlan(parsed);
  const arena = new NopHeap();
  const addr = new Int32Array(parsed.slotCount).fill(-1);
  return () => replay(plan, arena, addr);
}

async function wasmJsLoop() {
  // The columns as that replayer decodes them: a realloc becomes a free row and a malloc row, IDs index the table.
  const kind = [];
  const id = [];
  const size = [];
  let maxId = 0;
  const row = (k, x, bytes) => {
    kind.push(k);
    id.push(x);
    size.push(bytes);
  };
  for (let i = 0; i < parsed.length; i++) {
    const k = parsed.kinds[i];
    if (k !== 0) row(1, parsed.id[i], 0);
    if (k === 1) continue;
    const to = k === 0 ? parsed.id[i] : parsed.newId[i];
    row(0, to, parsed.size[i]);
    if (to > maxId) maxId = to;
  }
  const { instance } = await WebAssembly.instantiate(NOP_WASM);
  const K = Int32Array.from(kind);
  const I = Int32Array.from(id);
  const S = Int32Array.from(size);
  const n = K.length;
  const live = new Uint32Array(maxId + 1);
  const { malloc, free } = instance.exports;
  return () => {
    let failed = 0;
    for (let i = 0; i < n; i++) {
      if (K[i] === 0) {
        const p = malloc(S[i]);
        if (p === 0) failed++;
        live[I[i]] = p;
      } else {
        free(live[I[i]]);
        live[I[i]] = 0;
      }
    }
    return failed;
  };
}

const loops = { generic: genericLoop, heap: heapLoop, arena: arenaLoop, "wasm-js": wasmJsLoop };
if (!(loop in loops)) throw new Error(`unknown loop ${loop}: one of ${Object.keys(loops).join(", ")}`);
const replay = await loops[loop]();
// At least three runs and a million events, so the timed runs run the fully optimised loop, not the on-stack
// replacement compiled during the first run.
for (let run = 0, ops = 0; run < 3 || ops < 1_000_000; run++, ops += parsed.length) replay();
os.loadavg();
let failed = 0;
for (let run = 0; run < runs; run++) failed += replay();
os.uptime();
console.log(`ops=${parsed.length} runs=${runs} failed=${failed}`);
