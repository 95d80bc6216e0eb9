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
  /** Always `"TraceSyntaxError"`, so logs and `String(error)` name the type. */
  override readonly name = "TraceSyntaxError";
  /** The offending line's text, cut to 80 characters. */
  readonly text: string;
  /**
   * Thrown by the parsers; the message is `line LINE: REASON: "TEXT"` (the text quoted, cut to 80 characters).
   * @param line - 1-based line number
   * @param reason - what was wrong, without the line number
   * @param text - the offending line's text, in full (cut when stored and quoted)
   */
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
  /** Always `"TraceReplayError"`, so logs and `String(error)` name the type. */
  override readonly name = "TraceReplayError";
  /**
   * Thrown by the replayers; the message is `line LINE: REASON`, or `op N: REASON` (N 1-based) when the line is
   * unknown.
   * @param op - 0-based index of the op (or event) that failed
   * @param line - its 1-based source line, or 0 when unknown (a built trace)
   * @param reason - what was wrong, without the line or op number
   * @param options - `cause`: the allocator's (or observer's) error, when it threw
   */
  constructor(
    /** 0-based index of the op (or event) that failed. */
    readonly op: number,
    /** 1-based source line of the op, or 0 when unknown (a built trace). */
    readonly line: number,
    /** What was wrong, without the line or op number. */
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(line > 0 ? `line ${line}: ${reason}` : `op ${op + 1}: ${reason}`, options);
  }
}
