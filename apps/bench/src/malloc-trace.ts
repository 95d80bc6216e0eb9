/**
 * Malloc traces (`../data/malloc-traces/*.trace.gz`): a real program's malloc/free/realloc calls, recorded with
 * LD_PRELOAD. One event per line, `#` comments in the header:
 *
 * ```text
 * m ID SIZE          allocate SIZE bytes as ID (malloc, calloc)
 * f ID               free ID
 * r ID NEWID SIZE    realloc: ID is freed, NEWID allocated with SIZE bytes
 * ```
 *
 * Parsed into typed columns (no object per event: traces have half a million events).
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export const MallocOp = { Malloc: 0, Free: 1, Realloc: 2 } as const;

export interface MallocTrace {
  readonly length: number;
  readonly kinds: Uint8Array;
  /** m: ID; f: ID; r: old ID. */
  readonly id: Uint32Array;
  /** r: new ID. */
  readonly newId: Uint32Array;
  /** m, r: requested bytes. */
  readonly size: Float64Array;
  /** One more than the largest ID. */
  readonly idSlots: number;
  /** Largest sum of live requested bytes over the trace. */
  readonly peakLiveBytes: number;
  readonly comments: readonly string[];
}

/** A malloc trace line that does not parse; the message names the line. */
export class MallocTraceSyntaxError extends Error {
  override readonly name = "MallocTraceSyntaxError";
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly text: string,
  ) {
    super(`line ${line}: ${reason}: ${JSON.stringify(text)}`);
  }
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** A copy of `array` with room for `capacity` elements. */
function grown<T extends Uint8Array | Uint32Array | Float64Array>(array: T, capacity: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array);
  return copy;
}

/** Reads a `.trace` or `.trace.gz` file (by content: gzip magic bytes). */
export function readMallocTraceText(path: string): string {
  const bytes = readFileSync(path);
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gz ? gunzipSync(bytes) : bytes).toString("latin1");
}

/** Parses malloc-trace text, checking IDs (no use of a dead ID, no reuse of a live one). `limit` keeps the first N events. */
export function parseMallocTrace(text: string, limit = Number.POSITIVE_INFINITY): MallocTrace {
  let capacity = 1 << 16;
  let kinds = new Uint8Array(capacity);
  let id = new Uint32Array(capacity);
  let newId = new Uint32Array(capacity);
  let size = new Float64Array(capacity);
  const comments: string[] = [];
  let liveSize = new Float64Array(1024).fill(-1);
  let live = 0;
  let peak = 0;
  let n = 0;
  let lineNo = 0;
  let start = 0;
  const ensureId = (x: number) => {
    if (x >= liveSize.length) {
      const grown = new Float64Array(Math.max(x + 1, liveSize.length * 2)).fill(-1);
      grown.set(liveSize);
      liveSize = grown;
    }
  };
  while (start < text.length && n < limit) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.length === 0) continue;
    if (line.charCodeAt(0) === 35) {
      comments.push(line.replace(/^# ?/, ""));
      continue;
    }
    const parts = line.split(" ");
    const bad = (reason: string): never => {
      throw new MallocTraceSyntaxError(lineNo, reason, line);
    };
    const num = (i: number, what: string): number => {
      const f = parts[i];
      if (f === undefined || !DECIMAL.test(f)) bad(`expected a decimal ${what} in field ${i + 1}`);
      const v = Number(f);
      if (what !== "size" && v > 0xfffffffe) bad(`${what} out of range`);
      if (!Number.isSafeInteger(v)) bad(`${what} is not below 2^53`);
      return v;
    };
    if (n === capacity) {
      capacity *= 2;
      kinds = grown(kinds, capacity);
      id = grown(id, capacity);
      newId = grown(newId, capacity);
      size = grown(size, capacity);
    }
    const alloc = (x: number, bytes: number) => {
      ensureId(x);
      if (liveSize[x]! >= 0) bad(`ID ${x} is already live`);
      liveSize[x] = bytes;
      live += bytes;
      if (live > peak) peak = live;
    };
    const release = (x: number) => {
      if (x >= liveSize.length || liveSize[x]! < 0) bad(`ID ${x} names no live object`);
      live -= liveSize[x]!;
      liveSize[x] = -1;
    };
    switch (parts[0]) {
      case "m": {
        if (parts.length !== 3) bad("expected 3 fields");
        const x = num(1, "ID");
        const s = num(2, "size");
        kinds[n] = MallocOp.Malloc;
        id[n] = x;
        size[n] = s;
        alloc(x, s);
        break;
      }
      case "f": {
        if (parts.length !== 2) bad("expected 2 fields");
        const x = num(1, "ID");
        kinds[n] = MallocOp.Free;
        id[n] = x;
        release(x);
        break;
      }
      case "r": {
        if (parts.length !== 4) bad("expected 4 fields");
        const x = num(1, "ID");
        const y = num(2, "new ID");
        const s = num(3, "size");
        kinds[n] = MallocOp.Realloc;
        id[n] = x;
        newId[n] = y;
        size[n] = s;
        release(x);
        alloc(y, s);
        break;
      }
      default:
        bad("unknown event (expected m, f or r)");
    }
    n++;
  }
  return {
    length: n,
    kinds: kinds.subarray(0, n),
    id: id.subarray(0, n),
    newId: newId.subarray(0, n),
    size: size.subarray(0, n),
    idSlots: liveSize.length,
    peakLiveBytes: peak,
    comments,
  };
}
