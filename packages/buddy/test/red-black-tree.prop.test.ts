/**
 * Model-based test: random command sequences run against the tree and against a sorted array (the obviously
 * correct model); every answer must match and every red-black invariant must hold after every command.
 * Seeded: set FC_SEED to replay a reported failure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RedBlackTree } from "../src/structures/red-black-tree.js";
import { checkRedBlackInvariants } from "./helpers/red-black-tree-invariants.js";

const SEED = Number(process.env.FC_SEED ?? 20261124);

/** The model: keys in ascending order. */
interface Model {
  keys: number[];
}

/** Index of the first model key ≥ key, `keys.length` when there is none (a linear scan: the model stays obvious). */
function lowerBound(keys: number[], key: number): number {
  const i = keys.findIndex((k) => k >= key);
  return i < 0 ? keys.length : i;
}

function settle(model: Model, tree: RedBlackTree): void {
  checkRedBlackInvariants(tree);
  expect(tree.size).toBe(model.keys.length);
  if (model.keys.length === 0) expect(tree.min()).toBeNaN();
  else expect(tree.min()).toBe(model.keys[0]);
}

/** One command: its name in a counterexample, and what it does to the model and the tree (then both are settled). */
class Step implements fc.Command<Model, RedBlackTree> {
  constructor(
    readonly name: string,
    readonly apply: (model: Model, tree: RedBlackTree) => void,
  ) {}
  check = () => true;
  run(model: Model, tree: RedBlackTree): void {
    this.apply(model, tree);
    settle(model, tree);
  }
  toString = () => this.name;
}

const insert = (key: number) =>
  new Step(`insert(${key})`, (model, tree) => {
    const i = lowerBound(model.keys, key);
    const absent = model.keys[i] !== key;
    if (absent) model.keys.splice(i, 0, key);
    expect(tree.insert(key)).toBe(absent);
  });

const remove = (key: number) =>
  new Step(`delete(${key})`, (model, tree) => {
    const i = lowerBound(model.keys, key);
    const present = model.keys[i] === key;
    if (present) model.keys.splice(i, 1);
    expect(tree.delete(key)).toBe(present);
  });

const has = (key: number) =>
  new Step(`has(${key})`, (model, tree) => {
    expect(tree.has(key)).toBe(model.keys[lowerBound(model.keys, key)] === key);
  });

const floorAndCeiling = (key: number) =>
  new Step(`floor/ceiling(${key})`, (model, tree) => {
    const i = lowerBound(model.keys, key); // first key ≥ key
    const atOrAbove = i < model.keys.length ? model.keys[i] : Number.NaN;
    const atOrBelow = model.keys[i] === key ? key : i > 0 ? model.keys[i - 1] : Number.NaN;
    expect(tree.floor(key)).toBe(atOrBelow);
    expect(tree.ceiling(key)).toBe(atOrAbove);
  });

const deleteMin = new Step("deleteMin()", (model, tree) => {
  const expected = model.keys.length === 0 ? Number.NaN : (model.keys.shift() as number);
  expect(tree.deleteMin()).toBe(expected);
});

const forEach = new Step("forEach()", (model, tree) => {
  const seen: number[] = [];
  tree.forEach((key) => {
    seen.push(key);
  });
  expect(seen).toEqual(model.keys);
});

const clear = new Step("clear()", (model, tree) => {
  model.keys.length = 0;
  tree.clear();
});

const MAX = Number.MAX_SAFE_INTEGER;
/** Few distinct page-aligned keys, so inserts collide and deletes hit. */
const smallPool = fc.integer({ min: 0, max: 40 }).map((i) => i * 4096);
/** Anywhere in 0..2^53 − 1, and clustered around 2^32, 2^52 and 2^53 − 1, where 32-bit or float slips show. */
const wideKey = fc.oneof(
  fc.maxSafeNat(),
  fc.integer({ min: -64, max: 64 }).map((d) => 2 ** 32 + d),
  fc.integer({ min: -64, max: 64 }).map((d) => 2 ** 52 + d),
  fc.integer({ min: 0, max: 64 }).map((d) => MAX - d),
);

function commandsOver(key: fc.Arbitrary<number>, maxCommands: number) {
  // One weighted arbitrary: inserts dominate so trees grow deep; clear is rare so it does not keep them small.
  const command: fc.Arbitrary<fc.Command<Model, RedBlackTree>> = fc.oneof(
    { weight: 30, arbitrary: key.map(insert) },
    { weight: 15, arbitrary: key.map(remove) },
    { weight: 5, arbitrary: key.map(has) },
    { weight: 5, arbitrary: key.map(floorAndCeiling) },
    { weight: 10, arbitrary: fc.constant(deleteMin) },
    { weight: 5, arbitrary: fc.constant(forEach) },
    { weight: 1, arbitrary: fc.constant(clear) },
  );
  return fc.commands([command], { maxCommands, size: "large" });
}

function runModel(key: fc.Arbitrary<number>, numRuns: number, maxCommands: number, seedOffset: number): void {
  const seed = SEED + seedOffset;
  fc.assert(
    fc.property(commandsOver(key, maxCommands), (commands) => {
      fc.modelRun(() => ({ model: { keys: [] }, real: new RedBlackTree({ initialCapacity: 2 }) }), commands);
    }),
    { seed, numRuns, verbose: 1 },
  );
}

describe("RedBlackTree against a sorted-array model (seed printed on failure)", () => {
  it(`small key pool, many collisions (seed ${SEED})`, () => {
    runModel(smallPool, 150, 300, 0);
  });

  it(`full safe-integer range incl. near 2^32, 2^52, 2^53 − 1 (seed ${SEED + 1})`, () => {
    runModel(wideKey, 100, 300, 1);
  });

  it(`mixed pools (seed ${SEED + 2})`, () => {
    runModel(fc.oneof(smallPool, wideKey), 100, 300, 2);
  });
});
