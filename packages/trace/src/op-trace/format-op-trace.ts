import { EXPECT_COMMENT, OpKind, type OpTrace, type OpTraceResult } from "./op-trace.js";

/** Options for {@link formatOpTrace}. */
export interface FormatOpTraceOptions {
  /** Header comment lines (without `#`); defaults to the trace's own comments. */
  readonly comments?: readonly string[];
  /** Writes a `# expect …` line (unless the comments already hold one). */
  readonly expect?: OpTraceResult;
}

/**
 * Writes a trace as op-trace text (format v1), header comments first, one op per line, ending in a newline.
 * `parseOpTrace(formatOpTrace(t))` gives back the same ops.
 *
 * @example
 * ```ts
 * formatOpTrace(new OpTraceBuilder().add(0, 16).alloc(0, 1).free(0).build(["demo"]));
 * // "# demo\nadd 0 16\nalloc 0 1\nfree 0\n"
 * ```
 */
export function formatOpTrace(trace: OpTrace, options: FormatOpTraceOptions = {}): string {
  const comments = options.comments ?? trace.comments;
  const out: string[] = comments.map((c) => (c.length === 0 ? "#" : `# ${c}`));
  const expect = options.expect ?? trace.expect;
  if (expect && !comments.some((c) => EXPECT_COMMENT.test(c))) {
    out.push(`# expect ops=${expect.ops} allocs=${expect.allocs} failed=${expect.failed} checksum=${expect.checksum}`);
  }
  const { kinds, ids, orders, starts, counts } = trace;
  for (let i = 0; i < trace.length; i++) {
    switch (kinds[i]) {
      case OpKind.Add:
        out.push(`add ${starts[i]} ${counts[i]}`);
        break;
      case OpKind.Alloc:
        out.push(`alloc ${ids[i]} ${orders[i]}`);
        break;
      case OpKind.Free:
        out.push(`free ${ids[i]}`);
        break;
      default:
        out.push("avail");
    }
  }
  out.push("");
  return out.join("\n");
}
