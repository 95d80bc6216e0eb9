/**
 * Packet IDs the way mqtt.js hands them out with number-allocator: IDs 1‥65535, always the lowest free one,
 * freed in random order while about `live` are in flight. The same seeded sequence drives a @mm/vmem first-fit
 * Arena (quantum 1), whose answers must be exactly number-allocator's.
 */
import { Arena } from "@mm/vmem";
import NumberAllocatorModule from "number-allocator";
import { mulberry32, randomInt } from "./prng.js";

const { NumberAllocator } = NumberAllocatorModule;

export const ID_MIN = 1;
export const ID_MAX = 65535;

/** An ID allocator as the workload drives it: `alloc` gives the lowest free ID or undefined. */
export interface IdAllocator {
  alloc(): number | undefined;
  free(id: number): void;
}

export function numberAllocator(): IdAllocator {
  const ids = new NumberAllocator(ID_MIN, ID_MAX);
  return { alloc: () => ids.alloc() ?? undefined, free: (id) => ids.free(id) };
}

export function arenaIds(): IdAllocator {
  const ids = new Arena({ name: "ids", base: ID_MIN, size: ID_MAX - ID_MIN + 1, quantum: 1, policy: "first-fit" });
  return { alloc: () => ids.alloc(1), free: (id) => ids.free(id) };
}

/**
 * Runs `ops` steps: allocate while fewer than `live` are in flight (sometimes a burst to the top), else free a
 * random one. Returns every ID handed out, in order (undefined as 0), so two allocators can be compared.
 */
export function runIds(target: IdAllocator, ops: number, live: number, seed = 7): Uint32Array {
  const random = mulberry32(seed);
  const inFlight = new Uint32Array(ID_MAX);
  let count = 0;
  const out = new Uint32Array(ops);
  for (let i = 0; i < ops; i++) {
    const burst = i % 50_000 < 2_000;
    if (count === 0 || (count < (burst ? ID_MAX : live) && random() < 0.5) || (burst && count < ID_MAX)) {
      const id = target.alloc();
      out[i] = id ?? 0;
      if (id !== undefined) inFlight[count++] = id;
    } else {
      const k = randomInt(random, count);
      target.free(inFlight[k]!);
      inFlight[k] = inFlight[--count]!;
    }
  }
  return out;
}
