import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { TraceReplayError, TraceSyntaxError } from "@mm/trace";

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

/** For {@link runCommand}: prints a trace that does not parse or replay as {@link traceErrorMessage} does, exit 2. */
export const traceErrors =
  (io: CommandIO, command: string, path: () => string | undefined) =>
  (e: unknown): number | undefined => {
    if (!(e instanceof TraceSyntaxError || e instanceof TraceReplayError)) return undefined;
    io.err(traceErrorMessage(command, path() ?? "", e));
    return 2;
  };

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

/** `--NAME N`: a positive integer, `fallback` when the option is absent. */
export function positiveIntegerOption(values: Map<string, string>, name: string, fallback: number): number {
  const text = values.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(n))
    throw new UsageError(`--${name} needs a positive integer`);
  return n;
}

/** `--seed N`: a PRNG seed, an integer in 0 … 2^32 − 1 (decimal or 0x hex), `fallback` when the option is absent. */
export function seedOption(values: Map<string, string>, fallback: number): number {
  const text = values.get("seed");
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^(?:[0-9]+|0x[0-9a-f]+)$/i.test(text) || n > 0xffffffff) {
    throw new UsageError(`--seed: expected an integer in 0…4294967295 (decimal or 0x…), got ${JSON.stringify(text)}`);
  }
  return n;
}

/** `--repeat N`: a positive integer, default 1. */
export const repeatOf = (values: Map<string, string>): number => positiveIntegerOption(values, "repeat", 1);

/** The arguments of a command that writes a report: `--quick`, `--json`, `--out DIR`, `--help`, and `values`. */
export function parseReportArgs(
  args: readonly string[],
  values: readonly string[],
): { values: Map<string, string>; positionals: string[]; quick: boolean; json: boolean; help: boolean } {
  const parsed = parseArgs(args, { values: ["out", ...values], flags: ["quick", "json", "help"] });
  const has = (flag: string) => parsed.flags.has(flag);
  return {
    values: parsed.values,
    positionals: parsed.positionals,
    quick: has("quick"),
    json: has("json"),
    help: has("help"),
  };
}

/**
 * The arguments of a command that replays one FILE `--repeat N` times (`repeat` is added to `spec.values`): the
 * options, the file's path and the repeat count.
 */
export function parseReplayArgs(
  args: readonly string[],
  spec: { readonly values?: readonly string[]; readonly flags?: readonly string[] },
): { values: Map<string, string>; flags: Set<string>; path: string; repeat: number } {
  const { values, flags, positionals } = parseArgs(args, { ...spec, values: [...(spec.values ?? []), "repeat"] });
  return { values, flags, path: onePositional(positionals, "FILE"), repeat: repeatOf(values) };
}

/** A malloc trace file's text, or a {@link CommandFailure} (exit 2) saying why it cannot be read. */
export const readMallocTraceFile = (path: string): string => readInput(path, readMallocTraceText);

/** The one positional argument a command takes (`what` names it in the usage error). */
export function onePositional(positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return positionals[0]!;
}

/** A command's own failure: printed as `mm-bench COMMAND: message`, ending the command with `exitCode`. */
export class CommandFailure extends Error {
  override readonly name = "CommandFailure";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** `read(path)`, or a {@link CommandFailure} (exit 2) saying the file cannot be read and why. */
export function readInput(path: string, read: (path: string) => string): string {
  try {
    return read(path);
  } catch (e) {
    throw new CommandFailure(`cannot read ${path}: ${(e as Error).message}`, 2);
  }
}

/**
 * Runs a command's body, sync or async, and turns its expected failures into exit codes: a {@link UsageError}
 * prints `PREFIX: message` and `usage` (exit 2), a {@link CommandFailure} prints `PREFIX: message`, and `onError`
 * may print and map the command's own error types (returning undefined for the rest). Anything else propagates:
 * it is a bug, not a user error.
 */
export function runCommand<R extends number | Promise<number>>(
  prefix: string,
  usage: string,
  io: CommandIO,
  body: () => R,
  onError?: (error: unknown) => number | undefined,
): R {
  const fail = (e: unknown): number => {
    if (e instanceof UsageError) {
      io.err(`${prefix}: ${e.message}\n${usage}`);
      return 2;
    }
    if (e instanceof CommandFailure) {
      io.err(`${prefix}: ${e.message}`);
      return e.exitCode;
    }
    const code = onError?.(e);
    if (code === undefined) throw e;
    return code;
  };
  try {
    const result = body();
    return (result instanceof Promise ? result.catch(fail) : result) as R;
  } catch (e) {
    return fail(e) as R;
  }
}
