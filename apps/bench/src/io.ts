import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { TraceReplayError, TraceSyntaxError } from "@mm/trace";

/** Reads a malloc trace's `.trace` or `.trace.gz` file (gzip recognised by its magic bytes, not the name). */
export function readMallocTraceText(path: string): string {
  const bytes = readFileSync(path);
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const raw = gz ? gunzipSync(bytes) : bytes;
  // latin1 keeps every byte one character (fast, and traces are ASCII); a UTF-8 byte-order mark is dropped here,
  // since in latin1 it would read as three characters the line reader does not know.
  const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  return (bom ? raw.subarray(3) : raw).toString("latin1");
}

/**
 * The one-line message for a trace that does not parse or cannot be replayed: `mm-bench CMD: FILE:LINE: what`
 * (an editor's jump-to-error form), or `FILE: op N: what` for a trace without source lines.
 */
export function traceErrorMessage(command: string, path: string, error: TraceSyntaxError | TraceReplayError): string {
  const where = error.line > 0 ? `${path}:${error.line}` : path;
  return `mm-bench ${command}: ${where}: ${error.message.replace(/^line \d+: /, "")}`;
}

/** Where a command writes, so tests can call commands directly and read what they printed. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** A usage problem: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Minimal flag parsing: `--name value`, `--flag`, positionals. Unknown flags are usage errors. */
export function parseArgs(
  args: readonly string[],
  spec: { readonly values?: readonly string[]; readonly flags?: readonly string[] },
): { values: Map<string, string>; flags: Set<string>; positionals: string[] } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") continue; // `pnpm bench -- --quick` may pass the separator through
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (spec.values?.includes(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        values.set(name, value);
      } else if (spec.flags?.includes(name) && eq < 0) {
        flags.add(name);
      } else {
        throw new UsageError(`unknown option ${arg}`);
      }
    } else {
      positionals.push(arg);
    }
  }
  return { values, flags, positionals };
}

/** `--repeat N`: a positive integer, default 1. */
export function repeatOf(values: Map<string, string>): number {
  const text = values.get("repeat");
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(n))
    throw new UsageError("--repeat needs a positive integer");
  return n;
}
