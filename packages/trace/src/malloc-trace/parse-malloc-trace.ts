import { grown } from "../grow.js";
import { LineReader } from "../line-reader.js";
import { MallocOp, type MallocTrace } from "./malloc-trace.js";

/** Largest ID a malloc trace may use (IDs sit in a `Uint32Array`). */
const MAX_MALLOC_ID = 0xfffffffe;

/**
 * Parses malloc-trace text, checking IDs (no use of a dead ID, no reuse of a live one). `limit` keeps the first
 * `limit` events.
 *
 * @throws {TraceSyntaxError} naming the first line that does not parse or misuses an ID.
 * @example
 * ```ts
 * const trace = parseMallocTrace("# demo\nm 0 100\nr 0 1 200\nf 1\n");
 * trace.peakLiveBytes; // 200
 * ```
 */
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
  const reader = new LineReader(text);
  const ensureId = (x: number) => {
    if (x >= liveSize.length) {
      const table = new Float64Array(Math.max(x + 1, liveSize.length * 2)).fill(-1);
      table.set(liveSize);
      liveSize = table;
    }
  };
  const idField = (fields: readonly string[], i: number, what: string): number => {
    const x = reader.decimal(fields, i, what);
    if (x > MAX_MALLOC_ID) throw reader.error(`${what} out of range`);
    return x;
  };
  const alloc = (x: number, bytes: number) => {
    ensureId(x);
    if (liveSize[x]! >= 0) throw reader.error(`ID ${x} is already live`);
    liveSize[x] = bytes;
    live += bytes;
    if (live > peak) peak = live;
  };
  const release = (x: number) => {
    if (x >= liveSize.length || liveSize[x]! < 0) throw reader.error(`ID ${x} names no live object`);
    live -= liveSize[x]!;
    liveSize[x] = -1;
  };
  while (n < limit && reader.next()) {
    if (reader.isComment) {
      comments.push(reader.comment());
      continue;
    }
    const fields = reader.fields();
    if (n === capacity) {
      capacity *= 2;
      kinds = grown(kinds, capacity);
      id = grown(id, capacity);
      newId = grown(newId, capacity);
      size = grown(size, capacity);
    }
    switch (fields[0]) {
      case "m": {
        if (fields.length !== 3) throw reader.error("expected 3 fields");
        const x = idField(fields, 1, "ID");
        const s = reader.decimal(fields, 2, "size");
        kinds[n] = MallocOp.Malloc;
        id[n] = x;
        size[n] = s;
        alloc(x, s);
        break;
      }
      case "f": {
        if (fields.length !== 2) throw reader.error("expected 2 fields");
        const x = idField(fields, 1, "ID");
        kinds[n] = MallocOp.Free;
        id[n] = x;
        release(x);
        break;
      }
      case "r": {
        if (fields.length !== 4) throw reader.error("expected 4 fields");
        const x = idField(fields, 1, "ID");
        const y = idField(fields, 2, "new ID");
        const s = reader.decimal(fields, 3, "size");
        kinds[n] = MallocOp.Realloc;
        id[n] = x;
        newId[n] = y;
        size[n] = s;
        release(x);
        alloc(y, s);
        break;
      }
      default:
        throw reader.error("unknown event (expected m, f or r)");
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
