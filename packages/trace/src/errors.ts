/**
 * The two ways a trace file can be wrong, shared by op-traces and malloc traces: a line that does not parse
 * ({@link TraceSyntaxError}) and a trace that parses but cannot be replayed ({@link TraceReplayError}). Both name
 * the source line, so a command-line tool can print `FILE:LINE: …` and exit without a stack trace.
 */

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
  constructor(
    /** 1-based line number. */
    readonly line: number,
    /** What was wrong, without the line number. */
    readonly reason: string,
    /** The offending line's text. */
    readonly text: string,
  ) {
    super(`line ${line}: ${reason}: ${JSON.stringify(text)}`);
  }
}

/**
 * A trace that parses but cannot be replayed: it frees an ID that names no live block, or it adds frames whose
 * byte addresses pass 2^53. `op` is the 0-based op index, `line` the source line when known (0 otherwise).
 */
export class TraceReplayError extends Error {
  override readonly name = "TraceReplayError";
  constructor(
    readonly op: number,
    readonly line: number,
    readonly reason: string,
  ) {
    super(line > 0 ? `line ${line}: ${reason}` : `op ${op}: ${reason}`);
  }
}
