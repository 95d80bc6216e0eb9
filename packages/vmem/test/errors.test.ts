/** Bad input: a typed AllocatorError with a stable code, a message naming the value, and the arena unchanged. */
import type { AllocatorErrorCode } from "@mm/hal";
import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { Arena, MAX_CAPACITY } from "../src/index.js";

function arena(): Arena {
  const a = new Arena({ name: "gpu", base: 2 ** 32, size: 2 ** 20, quantum: 4 });
  a.alloc(100);
  a.alloc(200);
  return a;
}

const cases: [string, AllocatorErrorCode, (a: Arena) => unknown][] = [
  ["alloc size 0", "INVALID_ARGUMENT", (a) => a.alloc(0)],
  ["alloc size as a string", "INVALID_ARGUMENT", (a) => a.alloc("64" as never)],
  ["alloc size as a BigInt", "INVALID_ARGUMENT", (a) => a.alloc(64n as never)],
  ["alloc size with valueOf", "INVALID_ARGUMENT", (a) => a.alloc({ valueOf: () => 64 } as never)],
  ["alloc size 1.5", "INVALID_ARGUMENT", (a) => a.alloc(1.5)],
  ["alloc size NaN", "INVALID_ARGUMENT", (a) => a.alloc(Number.NaN)],
  ["alloc size −1", "INVALID_ARGUMENT", (a) => a.alloc(-1)],
  ["alloc size −0", "INVALID_ARGUMENT", (a) => a.alloc(-0)],
  ["alloc size 2^32 + 0.5", "INVALID_ARGUMENT", (a) => a.alloc(2 ** 32 + 0.5)],
  ["alloc size 2^53", "OUT_OF_RANGE", (a) => a.alloc(2 ** 53)],
  ["alloc size that rounds past 2^53", "OUT_OF_RANGE", (a) => a.alloc(2 ** 53 - 2)],
  ["alloc unknown policy", "INVALID_ARGUMENT", (a) => a.alloc(8, "worst-fit" as never)],
  ["xalloc align 3", "INVALID_ARGUMENT", (a) => a.xalloc(8, { align: 3 })],
  ["xalloc align below the quantum", "INVALID_ARGUMENT", (a) => a.xalloc(8, { align: 2 })],
  ["xalloc phase ≥ align", "INVALID_ARGUMENT", (a) => a.xalloc(8, { align: 16, phase: 16 })],
  ["xalloc phase off the quantum", "MISALIGNED", (a) => a.xalloc(8, { align: 16, phase: 2 })],
  ["xalloc nocross smaller than the size", "INVALID_ARGUMENT", (a) => a.xalloc(64, { nocross: 32 })],
  ["xalloc nocross not a power of two", "INVALID_ARGUMENT", (a) => a.xalloc(8, { nocross: 48 })],
  ["xalloc window too small", "INVALID_RANGE", (a) => a.xalloc(64, { minAddr: 0, maxAddr: 32 })],
  ["xalloc minAddr off the quantum", "MISALIGNED", (a) => a.xalloc(8, { minAddr: 2 })],
  ["free of free space", "DOUBLE_FREE", (a) => a.free(2 ** 32 + 4096)],
  ["double free", "DOUBLE_FREE", () => undefined],
  ["free inside a segment", "INTERIOR_POINTER", (a) => a.free(2 ** 32 + 4)],
  ["free outside every span", "NOT_MANAGED", (a) => a.free(0)],
  ["free with the wrong size", "WRONG_ORDER", (a) => a.free(2 ** 32, 104)],
  ["free of a string address", "INVALID_ARGUMENT", (a) => a.free("4294967296" as never)],
  ["free of a fractional address", "INVALID_ARGUMENT", (a) => a.free(2 ** 32 + 0.5)],
  ["free of NaN", "INVALID_ARGUMENT", (a) => a.free(Number.NaN)],
  ["free of a segment start with valueOf", "INVALID_ARGUMENT", (a) => a.free({ valueOf: () => 2 ** 32 } as never)],
  ["addSpan overlapping", "ALREADY_MANAGED", (a) => a.addSpan(2 ** 32 + 2 ** 19, 2 ** 33)],
  ["addSpan reversed", "INVALID_RANGE", (a) => a.addSpan(8, 4)],
  ["addSpan misaligned", "MISALIGNED", (a) => a.addSpan(2, 64)],
  ["addSpan end 2^53", "OUT_OF_RANGE", (a) => a.addSpan(0, 2 ** 53)],
  ["removeSpan over allocated space", "NOT_FREE", (a) => a.removeSpan(2 ** 32, 2 ** 32 + 4096)],
  ["removeSpan outside spans", "NOT_MANAGED", (a) => a.removeSpan(0, 4096)],
  ["resize of free space", "DOUBLE_FREE", (a) => a.resize(2 ** 32 + 4096, 8)],
];

describe("bad input", () => {
  it.each(cases)("%s → %s, arena unchanged", (_, code, call) => {
    const a = arena();
    const state = () => JSON.stringify([a.segments(), a.stats()]);
    // Set-up calls inside `call` (the double-free case frees one segment first) happen before the snapshot.
    if (code === "DOUBLE_FREE" && _ === "double free") {
      const x = a.alloc(8)!;
      a.free(x);
      expectAllocatorError(() => a.free(x), code, { state });
      return;
    }
    expectAllocatorError(() => call(a), code, { state });
    a.audit();
  });

  it("names addresses in short hex and says what was expected", () => {
    const a = arena();
    try {
      a.free(2 ** 32 + 4);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain("0x100000004");
      expect((e as Error).message).toContain("expected the segment's start 0x100000000");
    }
  });
});

describe("addresses near 2^53", () => {
  it("allocates, aligns and frees exactly at the top of the safe range", () => {
    const top = 2 ** 53 - 2 ** 20;
    const a = new Arena({ base: top, size: 2 ** 20 - 4096, quantum: 4096 });
    const x = a.xalloc(4096, { align: 2 ** 16, phase: 4096 })!;
    expect(x % 2 ** 16).toBe(4096);
    const y = a.alloc(2 ** 20 - 3 * 4096)!;
    expect(y + a.sizeOf(y)).toBeLessThanOrEqual(2 ** 53 - 4096);
    a.free(x);
    a.free(y);
    expect(a.stats().largestFree).toBe(2 ** 20 - 4096);
    a.audit();
  });

  it("nocross keeps a range off a 4 GiB boundary above 2^32", () => {
    const a = new Arena({ base: 2 ** 32 - 2 ** 16, size: 2 ** 17 });
    const x = a.xalloc(2 ** 15 + 1, { nocross: 2 ** 32, minAddr: 2 ** 32 - 2 ** 15 })!;
    expect(x).toBe(2 ** 32);
  });
});

describe("capacity", () => {
  it.each([
    ["-1", -1],
    ["1.5", 1.5],
    ["a string", "64"],
    ["past MAX_CAPACITY", MAX_CAPACITY + 1],
  ])("refuses a capacity of %s with INVALID_CONFIG", (_, capacity) => {
    expectAllocatorError(() => new Arena({ base: 0, size: 4096, capacity: capacity as number }), "INVALID_CONFIG");
  });

  it("answers as an arena without it, past the room made up front", () => {
    const sized = new Arena({ base: 0, size: 2 ** 20, capacity: 100 });
    const plain = new Arena({ base: 0, size: 2 ** 20 });
    const live: number[] = [];
    for (let i = 0; i < 600; i++) {
      if (i % 3 === 2) {
        const addr = live.splice((i * 7) % live.length, 1)[0]!;
        sized.free(addr);
        plain.free(addr);
      } else {
        const got = sized.alloc(1 + ((i * 37) % 300));
        expect(got).toBe(plain.alloc(1 + ((i * 37) % 300)));
        live.push(got!);
      }
    }
    sized.audit();
    expect(sized.segments()).toEqual(plain.segments());
  });
});

describe("resize at a span's end", () => {
  it("does not grow into the free space of an adjacent span", () => {
    const a = new Arena({ base: 0, size: 64, quantum: 16 });
    a.addSpan(64, 80);
    const x = a.alloc(32)!;
    const y = a.alloc(32)!;
    a.free(x);
    const before = JSON.stringify(a.segments());
    expect(a.resize(y, 48)).toBe(false);
    expect(JSON.stringify(a.segments())).toBe(before);
    expect(a.growableBy(y)).toBe(0);
    a.audit();
  });
});
