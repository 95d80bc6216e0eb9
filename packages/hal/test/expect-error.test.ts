/** The shared refusal check must itself fail on each way a refusal can go wrong. */
import { describe, expect, it } from "vitest";
import { AllocatorError } from "../src/index.js";
import { expectAllocatorError, thrownBy } from "./expect-error.js";

const refuse = () => {
  throw new AllocatorError("OUT_OF_RANGE", "order 13 is above the maximum order 12");
};

describe("expectAllocatorError", () => {
  it("passes a refusal with the code, the message and the state unchanged, and returns the error", () => {
    const state = { frames: [1, 2] };
    const error = expectAllocatorError(refuse, "OUT_OF_RANGE", { state: () => state.frames, message: /order 13/ });
    expect(error.message).toBe("order 13 is above the maximum order 12");
  });

  it("fails when the call returns, throws something else, gives another code or message, or changes the state", () => {
    const state = { frames: [1, 2] };
    const cases: (() => unknown)[] = [
      () => expectAllocatorError(() => 0, "OUT_OF_RANGE"),
      () =>
        expectAllocatorError(() => {
          throw new RangeError("order 13");
        }, "OUT_OF_RANGE"),
      () => expectAllocatorError(refuse, "INVALID_ARGUMENT"),
      () => expectAllocatorError(refuse, "OUT_OF_RANGE", { message: /order 14/ }),
      () =>
        expectAllocatorError(
          () => {
            state.frames.push(3);
            refuse();
          },
          "OUT_OF_RANGE",
          { state: () => [...state.frames] },
        ),
    ];
    for (const check of cases) expect(thrownBy(check)).toBeInstanceOf(Error);
  });
});
