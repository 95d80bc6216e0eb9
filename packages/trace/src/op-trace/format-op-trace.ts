import { OP_ADD, OP_ALLOC, OP_FREE } from "../constants.js";
import { EXPECT_COMMENT, type OpTrace, type OpTraceResult } from "./op-trace.js";

/** Options for {@link formatOpTrace}. */
export interface FormatOpTraceOptions {
  /** Header comment lines (without `#`); defaults to the trace's own comments. */
  readonly comments?: readonly string[];
  /** The `# expect …` line to write; defaults to the trace's own {@link OpTrace.expect}. */
  readonly expect?: OpTraceResult;
}

/** Every line break a reader might honour: a comment must never end early and start an op line. */
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/;

/**
 * Writes a trace as op-trace text (format v1), header comments first, one op per line, ending in a newline.
 * `parseOpTrace(formatOpTrace(t))` gives back the same ops. A comment with line breaks becomes several comment
 * lines; comments that look like a `# expect` line are dropped, and the one `# expect` line written comes from
 * `options.expect` or the trace.
 *
 * @example
 * ```ts
 * formatOpTrace(new OpTraceBuilder().add(0, 16).alloc(0, 1).free(0).build(["demo"]));
 * // "# demo\nadd 0 16\nalloc 0 1\nfree 0\n"
 * ```
 */
export function formatOpTrace(trace: OpTrace, options: FormatOpTraceOptions = {}): string {
  const out: string[] = [];
  for (const comment of options.comments ?? trace.comments) {
    for (const line of String(comment).split(LINE_BREAK)) {
      if (!EXPECT_COMMENT.test(line)) out.push(line.length === 0 ? "#" : `# ${line}`);
    }
  }
  const expect = options.expect ?? trace.expect;
  if (expect) {
    out.push(`# expect ops=${expect.ops} allocs=${expect.allocs} failed=${expect.failed} checksum=${expect.checksum}`);
  }
  const { kinds, ids, orders, starts, counts } = trace;
  for (let i = 0; i < trace.length; i++) {
    switch (kinds[i]) {
      case OP_ADD:
        out.push(`add ${starts[i]} ${counts[i]}`);
        break;
      case OP_ALLOC:
        out.push(`alloc ${ids[i]} ${orders[i]}`);
        break;
      case OP_FREE:
        out.push(`free ${ids[i]}`);
        break;
      default:
        out.push("avail");
    }
  }
  out.push("");
  return out.join("\n");
}
