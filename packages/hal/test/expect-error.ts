import { expect } from "vitest";
import { AllocatorError, type AllocatorErrorCode } from "../src/index.js";

/** Runs `fn`, asserts it throws an {@link AllocatorError} with `code`, and returns the error for more checks. */
export function expectAllocatorError(fn: () => unknown, code: AllocatorErrorCode): AllocatorError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected a throw").toBeInstanceOf(AllocatorError);
  const error = thrown as AllocatorError;
  expect(error.code, error.message).toBe(code);
  return error;
}
