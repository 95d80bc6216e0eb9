/** AllocatorError, its guard and value rendering. */
import { describe, expect, it } from "vitest";
import { AllocatorError, describeValue, isAllocatorError, PAddr } from "../src/index.js";

describe("AllocatorError", () => {
  const error = new AllocatorError("DOUBLE_FREE", "double free: block 0x1000 of order 0 is already free", {
    value: 0x1000,
    expected: "an allocated block",
    order: 0,
  });

  it("is an Error with a name, code, message and fields", () => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AllocatorError);
    expect(error.name).toBe("AllocatorError");
    expect(error.code).toBe("DOUBLE_FREE");
    expect(error.message).toBe("double free: block 0x1000 of order 0 is already free");
    expect(error.value).toBe(0x1000);
    expect(error.expected).toBe("an allocated block");
    expect(error.details).toEqual({ value: 0x1000, expected: "an allocated block", order: 0 });
    expect(error.stack).toContain("AllocatorError");
    expect(String(error)).toBe("AllocatorError: double free: block 0x1000 of order 0 is already free");
  });

  it("defaults details to an empty object", () => {
    const bare = new AllocatorError("INVALID_CONFIG", "bad options");
    expect(bare.details).toEqual({});
    expect(bare.value).toBeUndefined();
    expect(bare.expected).toBeUndefined();
  });
});

describe("isAllocatorError", () => {
  const error = new AllocatorError("MISALIGNED", "misaligned");

  it("recognises AllocatorErrors with or without a code", () => {
    expect(isAllocatorError(error)).toBe(true);
    expect(isAllocatorError(error, "MISALIGNED")).toBe(true);
    expect(isAllocatorError(error, "DOUBLE_FREE")).toBe(false);
  });

  it("rejects everything else", () => {
    const lookalike = Object.assign(new Error("misaligned"), { code: "MISALIGNED", name: "AllocatorError" });
    for (const other of [
      new Error("x"),
      new TypeError("x"),
      lookalike,
      { code: "MISALIGNED" },
      null,
      undefined,
      "MISALIGNED",
    ]) {
      expect(isAllocatorError(other)).toBe(false);
      expect(isAllocatorError(other, "MISALIGNED")).toBe(false);
    }
  });

  it("narrows a caught value", () => {
    try {
      PAddr(-1);
      expect.unreachable();
    } catch (e) {
      if (!isAllocatorError(e, "INVALID_ARGUMENT")) throw e;
      expect(e.value).toBe(-1); // typed as AllocatorError here
    }
  });
});

describe("describeValue", () => {
  it.each([
    [4096, "4096"],
    [-0, "-0"],
    [Number.NaN, "NaN"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [2 ** 53, "9007199254740992"],
    [4096n, "4096n"],
    ["4096", '"4096"'],
    [null, "null"],
    [undefined, "undefined"],
    [true, "true"],
    [{}, "an object"],
    [[1], "an object"],
    [() => 1, "a function"],
    [Symbol("s"), "a symbol"],
  ])("%s → %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
