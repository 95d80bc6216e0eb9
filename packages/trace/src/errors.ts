/**
 * The two ways a trace file can be wrong, shared by op-traces and malloc traces: a line that does not parse
 * ({@link TraceSyntaxError}) and a trace that parses but cannot be replayed ({@link TraceReplayError}). Both name
 * the source line, so a command-line tool can print `FILE:LINE: …` and exit without a stack trace.
 */

/** Longest piece of a line quoted in an error message; a trace line can be megabytes long. */
export const MAX_QUOTED_CHARS = 80;

/** `text` as a JSON string, cut to {@link MAX_QUOTED_CHARS} characters with the full length noted. */
export function quoteLine(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_CHARS))}… (${text.length} characters)`;
}

/**
 * A line of a trace that does not parse. `line` is 1-based and the message names it.
 *
 * @example
 * ```ts
 * try { parseOpTrace("add 0 16\nalloc x 0\n") } catch (e) {
 *   if (e instanceof TraceSyntaxError) console.error(e.message) // "line 2: expected a decimal ID in field 2: \"alloc x 0\""
 * }
 * ```
 */
export class TraceSyntaxError extends Error {
  override readonly name = "TraceSyntaxError";
  /** The offending line's text, cut to {@link MAX_QUOTED_CHARS} characters. */
  readonly text: string;
  constructor(
    /** 1-based line number. */
    readonly line: number,
    /** What was wrong, without the line number. */
    readonly reason: string,
    text: string,
  ) {
    super(`line ${line}: ${reason}: ${quoteLine(text)}`);
    this.text = text.slice(0, MAX_QUOTED_CHARS);
  }
}

/**
 * A trace that parses but cannot be replayed: it frees an ID that names no live block, allocates under an ID that
 * is still live, adds frames whose byte addresses pass 2^53, or the allocator refuses one of its operations (the
 * allocator's error is the `cause`). `op` is the 0-based op index, `line` the source line when known (0 otherwise).
 */
export class TraceReplayError extends Error {
  override readonly name = "TraceReplayError";
  constructor(
    readonly op: number,
    readonly line: number,
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(line > 0 ? `line ${line}: ${reason}` : `op ${op + 1}: ${reason}`, options);
  }
}
