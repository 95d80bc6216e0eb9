/**
 * The one "this call is refused" check of the workspace's tests. Other packages' tests import it by relative path
 * (`../../hal/test/expect-error.js`): it is test code, never part of a published package.
 */
import { expect } from "vitest";
import { AllocatorError, type AllocatorErrorCode } from "../src/index.js";

/** What `call` throws. Fails the test when it returns instead. */
export function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  return expect.fail("expected a throw");
}

/** The code of the {@link AllocatorError} `call` throws; what it throws if that is something else; or "no error". */
export function codeOf(call: () => unknown): AllocatorErrorCode | "no error" | unknown {
  try {
    call();
  } catch (e) {
    return e instanceof AllocatorError ? e.code : e;
  }
  return "no error";
}

/** What else a refusal must show besides its code. */
export interface Refusal {
  /** A fresh reading (a copy, not a live view) of the target's state; it must read the same after the refusal. */
  readonly state?: () => unknown;
  /** The message must match this. */
  readonly message?: RegExp | string;
}

/**
 * Runs `call`, asserts it throws an {@link AllocatorError} with `code` and leaves `refusal.state` as it was (bad input
 * changes nothing), and returns the error for more checks.
 */
export function expectAllocatorError(
  call: () => unknown,
  code: AllocatorErrorCode,
  refusal: Refusal = {},
): AllocatorError {
  const before = refusal.state?.();
  const thrown = thrownBy(call);
  expect(thrown, String(thrown)).toBeInstanceOf(AllocatorError);
  const error = thrown as AllocatorError;
  expect(error.code, error.message).toBe(code);
  if (refusal.message !== undefined) expect(error.message).toMatch(refusal.message);
  if (refusal.state !== undefined) expect(refusal.state(), "the state after the refusal").toEqual(before);
  return error;
}
