/**
 * A trace file of either kind, told apart by its content (not its name): a buddy op-trace (`add`, `alloc`,
 * `free`, `avail` lines) or a malloc trace (`m`, `f`, `r` events), plain or gzip-compressed. Every problem is a
 * {@link TraceFileError} naming the file and, where there is one, the line.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type MallocTrace, type OpTrace, parseMallocTrace, parseOpTrace, TraceSyntaxError } from "@mm/trace";
import type { CommandIO } from "./io.js";

export type TraceKind = "op-trace" | "malloc-trace";

export type TraceFile =
  | { readonly kind: "op-trace"; readonly path: string; readonly text: string; readonly trace: OpTrace }
  | { readonly kind: "malloc-trace"; readonly path: string; readonly text: string; readonly trace: MallocTrace };

/** A trace file that cannot be read or parsed: `file:line: reason` (no line when it is about the whole file). */
/** For io.ts's `runCommand`: prints a {@link TraceFileError} as `PREFIX: file:line: reason` and exits 2. */
export const fileErrors =
  (io: CommandIO, prefix: string) =>
  (e: unknown): number | undefined => {
    if (!(e instanceof TraceFileError)) return undefined;
    io.err(`${prefix}: ${e.message}`);
    return 2;
  };

export class TraceFileError extends Error {
  override readonly name = "TraceFileError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
  }
}

const OP_WORDS = new Set(["add", "alloc", "free", "avail"]);
const MALLOC_WORDS = new Set(["m", "f", "r"]);

/** The kind of trace `text` is, from its first event line; throws naming that line when it is neither. */
export function detectTraceKind(path: string, text: string): TraceKind {
  let lineNo = 0;
  for (const raw of text.split("\n", 1000)) {
    lineNo++;
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      if (/^#\s*buddy op-trace/.test(line)) return "op-trace";
      continue;
    }
    const word = line.split(/\s+/, 1)[0]!;
    if (OP_WORDS.has(word)) return "op-trace";
    if (MALLOC_WORDS.has(word)) return "malloc-trace";
    throw new TraceFileError(
      path,
      lineNo,
      `neither a buddy op-trace line (add, alloc, free, avail) nor a malloc-trace event (m, f, r): ${JSON.stringify(line.slice(0, 60))}`,
    );
  }
  throw new TraceFileError(path, 0, "no events: an empty trace, or comments only");
}

/** Reads and parses a trace file of either kind (gzip by its magic bytes). */
export function loadTraceFile(path: string): TraceFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TraceFileError(path, 0, `cannot read: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("latin1");
  } catch (e) {
    throw new TraceFileError(path, 0, `not a readable gzip file: ${(e as Error).message}`);
  }
  const kind = detectTraceKind(path, text);
  try {
    return kind === "op-trace"
      ? { kind, path, text, trace: parseOpTrace(text) }
      : { kind, path, text, trace: parseMallocTrace(text) };
  } catch (e) {
    if (e instanceof TraceSyntaxError) {
      throw new TraceFileError(path, e.line, `${e.reason}: ${JSON.stringify(e.text)}`);
    }
    throw e;
  }
}

/** A short name for a trace file: its base name without `.trace` / `.trace.gz` / `.gz`. */
export function traceName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.gz$/, "").replace(/\.trace$/, "") || base;
}
