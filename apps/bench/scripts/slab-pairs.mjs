#!/usr/bin/env node
// The loop slab-pair-instructions.sh counts (see there): node --allow-natives-syntax slab-pairs.mjs CHECKOUT MODE N SIZE.
// CHECKOUT is a built checkout, or a module file exporting a SlabAllocator-shaped class (a prototype, such as
// lib/shared-tables-prototype.mjs), then run on this checkout's BuddyAllocator. MODE `calls` makes the same two
// calls per iteration as `pairs` on a target that does nothing: pairs − calls is what the allocator itself costs.
// os.loadavg() and os.uptime() mark where callgrind zeroes and dumps its counters.
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [checkout, mode, countText, sizeText] = process.argv.slice(2);
const prototype = /\.m?js$/.test(checkout);
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const buddyFrom = prototype ? here : checkout;
const { BuddyAllocator } = await import(pathToFileURL(`${buddyFrom}/packages/buddy/dist/index.js`).href);
const { SlabAllocator } = await import(
  pathToFileURL(prototype ? path.resolve(checkout) : `${checkout}/packages/slab/dist/index.js`).href
);

/** The `calls` target: alloc and free of the allocator's shape that do nothing. */
class NoAllocator {
  #next = 2 ** 24;
  alloc(size) {
    return this.#next + size;
  }
  free(addr) {
    if (addr < 0) throw new RangeError(`no address: ${addr}`);
  }
}

const buddy = new BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 });
buddy.addRange(1 << 24, (1 << 24) + 2 ** 30);
const slab = mode === "calls" ? new NoAllocator() : new SlabAllocator({ pages: buddy });
const size = Number(sizeText);
const LIVE = 5000;
const live = new Float64Array(LIVE);
const grown = new Uint8Array(LIVE);
for (let k = 0; k < LIVE; k++) live[k] = slab.alloc(size);

// `calls` runs the loop of `pairs` on its own target: one test per iteration whatever the mode.
const pairs = mode === "pairs" || mode === "calls";
const move = mode === "move";

function run(n) {
  let k = 0;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    k = (k + 7919) % LIVE;
    if (pairs) {
      slab.free(live[k]);
      live[k] = slab.alloc(size);
    } else if (move) {
      grown[k] ^= 1;
      live[k] = slab.realloc(live[k], grown[k] ? 2 * size : size);
    }
    sum += live[k];
  }
  return sum;
}

// V8's natives syntax, out of the parser's sight (the flag makes the Function constructor accept it).
new Function("f", "%NeverOptimizeFunction(f);")(run);
run(200_000);
run(200_000);
os.loadavg();
const sum = run(Number(countText));
os.uptime();
console.log(`n=${countText} sum=${sum}`);
