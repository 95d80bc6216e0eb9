// The replay loop of apps/bench/src/arena-command.ts (realloc = free + alloc, size 0 as 1 byte), shared by the
// arena scripts. Each call compiles a copy of its own, so two builds timed in one process never share a loop
// (and with it the feedback V8 keeps about the classes it has seen).
const SOURCE = `return function replay(trace, sizes, arena, addr) {
  const { kinds, slot, newSlot, length } = trace;
  let failed = 0;
  for (let i = 0; i < length; i++) {
    const kind = kinds[i];
    if (kind !== 0) {
      const x = slot[i];
      const a = addr[x];
      if (a >= 0) arena.free(a);
      addr[x] = -1;
      if (kind === 1) continue;
    }
    const a = arena.alloc(sizes[i] || 1);
    const target = kind === 0 ? slot[i] : newSlot[i];
    if (a === undefined) {
      failed++;
      addr[target] = -1;
    } else addr[target] = a;
  }
  return failed;
}`;

/** A fresh copy of the replay loop: `replay(trace, sizes, arena, addr)` → failed allocations. */
export function compileArenaReplay() {
  return new Function(SOURCE)();
}

/** The trace's sizes as the command holds them: 32-bit integers when they fit, doubles otherwise. */
export function replaySizes(trace) {
  const sizes = trace.size.subarray(0, trace.length);
  return sizes.every((s) => s < 2 ** 31) ? Int32Array.from(sizes) : sizes;
}
