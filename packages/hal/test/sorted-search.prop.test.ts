/**
 * sorted-search.ts against a linear scan: for ascending keys laid out at any offset and stride (negative too, a
 * descending array read backwards), with duplicates and junk between the keys, both searches answer what the
 * scan answers. Seeded: set FC_SEED to replay a reported failure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstAbove, firstAtOrAbove } from "../src/index.js";

const SEED = Number(process.env.FC_SEED ?? 20261201);

/** The first i in [from, to) whose key passes `test`, else `to`: the obviously correct reference. */
function linearFirst(
  keys: Float64Array,
  from: number,
  to: number,
  offset: number,
  stride: number,
  test: (k: number) => boolean,
): number {
  for (let i = from; i < to; i++) if (test(keys[offset + stride * i])) return i;
  return to;
}

/** Keys drawn from few values, so that duplicates and exact hits are common; some near 2^53. */
const keyValue = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((k) => k * 4096),
  fc.integer({ min: 2 ** 53 - 8, max: 2 ** 53 - 1 }),
  fc.double({ noNaN: true }),
);

/** A layout: the sorted keys, stored `stride` apart from `offset` in an array whose other slots hold NaN junk. */
const layout = fc
  .record({
    sorted: fc.array(keyValue, { maxLength: 40 }).map((ks) => ks.sort((a, b) => a - b)),
    stride: fc.constantFrom(1, 2, 3, -1, -2),
    pad: fc.nat(3),
  })
  .chain(({ sorted, stride, pad }) => {
    const n = sorted.length;
    const keys = new Float64Array(pad + Math.abs(stride) * n + 2).fill(Number.NaN);
    const offset = stride > 0 ? pad : pad + -stride * (n - 1);
    for (let i = 0; i < n; i++) keys[offset + stride * i] = sorted[i];
    return fc.record({
      keys: fc.constant(keys),
      sorted: fc.constant(sorted),
      offset: fc.constant(offset),
      stride: fc.constant(stride),
      from: fc.nat(n),
      to: fc.nat(n),
      key: fc.oneof(keyValue, fc.constantFrom(...sorted, 0), fc.constantFrom(-Infinity, Infinity)),
    });
  })
  .map((c) => ({ ...c, from: Math.min(c.from, c.to), to: Math.max(c.from, c.to) }));

describe("firstAbove and firstAtOrAbove against a linear scan", () => {
  it("answer the first key > key and the first key ≥ key, or `to`", () => {
    fc.assert(
      fc.property(layout, ({ keys, offset, stride, from, to, key }) => {
        expect(firstAbove(keys, key, from, to, offset, stride)).toBe(
          linearFirst(keys, from, to, offset, stride, (k) => k > key),
        );
        expect(firstAtOrAbove(keys, key, from, to, offset, stride)).toBe(
          linearFirst(keys, from, to, offset, stride, (k) => k >= key),
        );
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("default to a contiguous array from index 0", () => {
    fc.assert(
      fc.property(fc.array(keyValue, { maxLength: 40 }), keyValue, (values, key) => {
        const keys = Float64Array.from(values.sort((a, b) => a - b));
        expect(firstAbove(keys, key, 0, keys.length)).toBe(linearFirst(keys, 0, keys.length, 0, 1, (k) => k > key));
        expect(firstAtOrAbove(keys, key, 0, keys.length)).toBe(
          linearFirst(keys, 0, keys.length, 0, 1, (k) => k >= key),
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("answer `from` for a NaN key (every comparison with NaN is false)", () => {
    const keys = new Float64Array([1, 2, 3, 4]);
    expect(firstAbove(keys, Number.NaN, 1, 4)).toBe(1);
    expect(firstAtOrAbove(keys, Number.NaN, 1, 4)).toBe(1);
  });
});
