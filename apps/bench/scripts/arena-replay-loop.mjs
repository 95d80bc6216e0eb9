// The replay loop of apps/bench/src/arena-command.ts (realloc = free + alloc, the trace decoded first as its
// `arenaPlan` does: slots and sizes in 32-bit columns when they fit, a 0-byte request as 1 byte), shared by the
// arena scripts. Each call compiles a copy of its own, so two builds timed in one process never share a loop
// (and with it the feedback V8 keeps about the classes it has seen).
const SOURCE = `return function replay(plan, arena, addr) {
  const { ops, to, size, length } = plan;
  let failed = 0;
  for (let i = 0; i < length; i++) {
    const op = ops[i];
    const kind = op & 3;
    let x = op >> 2;
    if (kind !== 0) {
      const a = addr[x];
      if (a >= 0) {
        arena.free(a);
        addr[x] = -1;
      }
      if (kind === 1) continue;
      x = to[i];
    }
    const a = arena.alloc(size[i]);
    if (a === undefined) failed++;
    else addr[x] = a;
  }
  return failed;
}`;

/** A fresh copy of the replay loop: `replay(plan, arena, addr)` → failed allocations. */
export function compileArenaReplay() {
  return new Function(SOURCE)();
}

/** The trace decoded as `mm-bench arena` decodes it (`arenaPlan`), without needing a checkout that has it. */
export function arenaPlan(trace) {
  const { kinds, slot, newSlot, size, length } = trace;
  const ops = new Int32Array(length);
  const to = new Int32Array(length);
  const sizes = size.subarray(0, length).every((s) => s < 2 ** 31) ? new Int32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    ops[i] = slot[i] * 4 + kinds[i];
    if (kinds[i] === 2) to[i] = newSlot[i];
    if (kinds[i] !== 1) sizes[i] = size[i] || 1;
  }
  return { ops, to, size: sizes, length };
}
