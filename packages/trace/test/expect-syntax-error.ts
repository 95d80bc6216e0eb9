import { expect } from "vitest";
import { thrownBy } from "../../hal/test/expect-error.js";
import { TraceSyntaxError } from "../src/index.js";

/** `parse(text)` throws a TraceSyntaxError naming `line`, its message `line N: …` matching `message`. */
export function expectSyntaxError(parse: (text: string) => unknown, text: string, line: number, message: RegExp): void {
  const error = thrownBy(() => parse(text));
  expect(error).toBeInstanceOf(TraceSyntaxError);
  expect((error as TraceSyntaxError).line).toBe(line);
  expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
  expect((error as Error).message).toMatch(message);
}
