/**
 * A WebGPU-style sub-allocation of one 256 MiB GPUBuffer: vertex/index buffers of 1 KiB–4 MiB (log-uniform,
 * sizes multiples of 4, copy offsets multiples of 4) and uniform buffers of 256 B–64 KiB whose binding offsets
 * must be multiples of 256 (`minUniformBufferOffsetAlignment`). For each target occupancy (10 % … 95 % of the
 * buffer), requests arrive while the live bytes are below the target and random buffers are released above it;
 * failed requests are counted per occupancy. Run on a @mm/vmem Arena (quantum 4: copy sizes and offsets are
 * multiples of 4; uniforms with `align: 256`; every range with `nocross: maxBufferSize`, as a WebGPU program
 * keeps each sub-allocation inside one GPUBuffer) and on a BuddyAllocator (256-byte frames, `allocateExact`),
 * each driven by the same seeded stream.
 */
import { BuddyAllocator } from "@mm/buddy";
import { Arena } from "@mm/vmem";
import { arenaAddressSpace, captureAddressSpace } from "./address-space.js";
import { mulberry32, randomInt } from "./prng.js";
import type { AddressSpace } from "./report/model.js";

export const GPU_BUFFER_BYTES = 256 * 2 ** 20;
/** WebGPU's default `maxBufferSize` limit: no sub-allocation may cross a multiple of it. */
export const MAX_BUFFER_SIZE = 256 * 2 ** 20;
export const OCCUPANCIES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] as const;
const REQUESTS_PER_STEP = 8_000;
/** Steps (allocation requests and releases) of one run of the workload. */
export const GPU_WORKLOAD_STEPS = OCCUPANCIES.length * REQUESTS_PER_STEP;

export interface GpuHeap {
  readonly name: string;
  /** A vertex buffer (offset a multiple of 4) or a uniform buffer (offset a multiple of 256). */
  alloc(bytes: number, uniform: boolean): number | undefined;
  free(offset: number, bytes: number): void;
  largestFree(): number;
  /** The buffer's free space now, for the report's picture. */
  addressSpace(): AddressSpace;
}

const VERTEX = { nocross: MAX_BUFFER_SIZE } as const;
const UNIFORM = { align: 256, nocross: MAX_BUFFER_SIZE } as const;

export function vmemHeap(): GpuHeap {
  const arena = new Arena({ name: "gpu", base: 0, size: GPU_BUFFER_BYTES, quantum: 4 });
  return {
    name: "vmem",
    alloc: (bytes, uniform) => arena.xalloc(bytes, uniform ? UNIFORM : VERTEX),
    free: (offset, bytes) => arena.free(offset, bytes),
    largestFree: () => arena.stats().largestFree,
    addressSpace: () => arenaAddressSpace(arena),
  };
}

export function buddyHeap(): GpuHeap {
  const buddy = new BuddyAllocator({ baseSize: 256, maxOrder: 20 });
  buddy.addRange(0, GPU_BUFFER_BYTES);
  return {
    name: "buddy + allocateExact",
    alloc: (bytes) => buddy.allocateExact(bytes),
    free: (offset, bytes) => buddy.freeExact(offset, bytes),
    largestFree: () => {
      let largest = 0;
      buddy.forEachFreeBlock((_, order) => {
        largest = Math.max(largest, 256 * 2 ** order);
      });
      return largest;
    },
    addressSpace: () => captureAddressSpace(buddy),
  };
}

export interface GpuStep {
  readonly occupancy: number;
  readonly requests: number;
  readonly failed: number;
  /** Live bytes and largest free block at the end of the step. */
  readonly liveBytes: number;
  readonly largestFree: number;
}

export function runGpuWorkload(heap: GpuHeap, seed = 1): GpuStep[] {
  const random = mulberry32(seed);
  const offsets: number[] = [];
  const sizes: number[] = [];
  let live = 0;
  const steps: GpuStep[] = [];
  for (const occupancy of OCCUPANCIES) {
    const target = occupancy * GPU_BUFFER_BYTES;
    let requests = 0;
    let failed = 0;
    for (let i = 0; i < REQUESTS_PER_STEP; i++) {
      const uniform = random() < 0.3;
      const bytes = uniform
        ? 256 * Math.ceil(2 ** (random() * 8)) // 256 B … 64 KiB
        : 4 * Math.ceil(2 ** (8 + random() * 12)); // 1 KiB … 4 MiB
      if (live < target || offsets.length === 0) {
        requests++;
        const offset = heap.alloc(bytes, uniform);
        if (offset === undefined) failed++;
        else {
          offsets.push(offset);
          sizes.push(bytes);
          live += bytes;
        }
      } else {
        const k = randomInt(random, offsets.length);
        heap.free(offsets[k]!, sizes[k]!);
        live -= sizes[k]!;
        offsets[k] = offsets[offsets.length - 1]!;
        sizes[k] = sizes[sizes.length - 1]!;
        offsets.pop();
        sizes.pop();
      }
    }
    steps.push({ occupancy, requests, failed, liveBytes: live, largestFree: heap.largestFree() });
  }
  return steps;
}
