import { grown } from "@mm/hal";
import { LineReader } from "../line-reader.js";
import { EXPECT_COMMENT, MAX_TRACE_ID, MAX_TRACE_ORDER, type OpTrace, type OpTraceResult } from "./op-trace.js";
import { OpTraceBuilder } from "./op-trace-builder.js";

/**
 * Parses op-trace text (format v1). Blank lines and `#` comments are skipped; a `# expect …` comment fills
 * {@link OpTrace.expect}. Fields are separated by exactly one space and numbers are plain decimals (no sign, no
 * leading zeros), as the seed's replayer requires.
 *
 * @throws {TraceSyntaxError} naming the first line that does not parse (unknown op, missing or extra fields, a
 *   number that is not a decimal or not below 2^53, an order above 40).
 * @example
 * ```ts
 * const trace = parseOpTrace(readFileSync("ex-basic.trace", "utf8"));
 * trace.length; // 2005
 * ```
 */
export function parseOpTrace(text: string): OpTrace {
  const builder = new OpTraceBuilder();
  const comments: string[] = [];
  let expect: OpTraceResult | undefined;
  let expectLine = 0;
  let lines = new Uint32Array(1024);
  const reader = new LineReader(text);
  while (reader.next()) {
    if (reader.isComment) {
      const comment = reader.comment();
      comments.push(comment);
      const m = EXPECT_COMMENT.exec(comment);
      if (m) {
        expect = { ops: +m[1]!, allocs: +m[2]!, failed: +m[3]!, checksum: +m[4]! };
        expectLine = reader.lineNo;
      }
      continue;
    }
    const fields = reader.fields();
    let arity: number;
    switch (fields[0]) {
      case "add": {
        const startFrame = reader.decimal(fields, 1, "start frame");
        const count = reader.decimal(fields, 2, "frame count");
        if (!Number.isSafeInteger(startFrame + count)) throw reader.error("range end is not below 2^53");
        arity = 3;
        if (fields.length === arity) builder.add(startFrame, count);
        break;
      }
      case "alloc": {
        const id = reader.decimal(fields, 1, "ID");
        const order = reader.decimal(fields, 2, "order");
        if (id > MAX_TRACE_ID) throw reader.error("ID out of range (at most 2^32 - 2)");
        if (order > MAX_TRACE_ORDER) throw reader.error(`order above ${MAX_TRACE_ORDER}`);
        arity = 3;
        if (fields.length === arity) builder.alloc(id, order);
        break;
      }
      case "free": {
        const id = reader.decimal(fields, 1, "ID");
        if (id > MAX_TRACE_ID) throw reader.error("ID out of range (at most 2^32 - 2)");
        arity = 2;
        if (fields.length === arity) builder.free(id);
        break;
      }
      case "avail":
        arity = 1;
        if (fields.length === arity) builder.avail();
        break;
      default:
        throw reader.error("unknown op (expected add, alloc, free or avail)");
    }
    if (fields.length !== arity) throw reader.error(`expected ${arity} field${arity === 1 ? "" : "s"}`);
    const i = builder.length - 1;
    if (i === lines.length) lines = grown(lines, new Uint32Array(lines.length * 2));
    lines[i] = reader.lineNo;
  }
  const trace = builder.build(comments, expect);
  return { ...trace, lines: lines.subarray(0, trace.length), ...(expect ? { expectLine } : {}) };
}
