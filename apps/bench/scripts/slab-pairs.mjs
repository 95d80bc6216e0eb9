#!/usr/bin/env node
// The loop slab-pair-instructions.sh counts (see there): node --allow-natives-syntax slab-pairs.mjs CHECKOUT MODE N SIZE.
// os.loadavg() and os.uptime() mark where callgrind zeroes and dumps its counters.
import os from "node:os";

const [checkout, mode, countText, sizeText] = process.argv.slice(2);
const { BuddyAllocator } = await import(`${checkout}/packages/buddy/dist/index.js`);
const { SlabAllocator } = await import(`${checkout}/packages/slab/dist/index.js`);
const buddy = new BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 });
buddy.addRange(1 << 24, (1 << 24) + 2 ** 30);
const slab = new SlabAllocator({ pages: buddy });
const size = Number(sizeText);
const LIVE = 5000;
const live = new Float64Array(LIVE);
const grown = new Uint8Array(LIVE);
for (let k = 0; k < LIVE; k++) live[k] = slab.alloc(size);

function run(n) {
  let k = 0;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    k = (k + 7919) % LIVE;
    if (mode === "pairs") {
      slab.free(live[k]);
      live[k] = slab.alloc(size);
    } else if (mode === "move") {
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
