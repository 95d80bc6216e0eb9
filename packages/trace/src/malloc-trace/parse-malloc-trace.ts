import { grown } from "@mm/hal";
import { EVENT_FREE, EVENT_MALLOC, EVENT_REALLOC } from "../constants.js";
import { IdSlots } from "../id-slots.js";
import { LineReader } from "../line-reader.js";
import type { MallocTrace } from "./malloc-trace.js";

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
  let slot = new Uint32Array(capacity);
  let newSlot = new Uint32Array(capacity);
  let size = new Float64Array(capacity);
  let lines = new Uint32Array(capacity);
  const comments: string[] = [];
  const slots = new IdSlots();
  /** Per slot: the live object's requested size, or -1 while the ID is dead. */
  let liveSize = new Float64Array(1024).fill(-1);
  let live = 0;
  let peak = 0;
  let n = 0;
  const reader = new LineReader(text);
  const slotField = (fields: readonly string[], i: number, what: string): number => {
    const x = reader.decimal(fields, i, what);
    if (x > MAX_MALLOC_ID) throw reader.error(`${what} out of range (at most 2^32 - 2)`);
    const s = slots.slotOf(x);
    if (s >= liveSize.length) liveSize = grown(liveSize, new Float64Array(liveSize.length * 2).fill(-1));
    return s;
  };
  const alloc = (s: number, bytes: number, x: number) => {
    if (liveSize[s]! >= 0) throw reader.error(`ID ${x} is already live`);
    liveSize[s] = bytes;
    live += bytes;
    if (live > peak) peak = live;
  };
  const release = (s: number, x: number) => {
    if (liveSize[s]! < 0) throw reader.error(`ID ${x} names no live object`);
    live -= liveSize[s]!;
    liveSize[s] = -1;
  };
  while (n < limit && reader.next()) {
    if (reader.isComment) {
      comments.push(reader.comment());
      continue;
    }
    const fields = reader.fields();
    if (n === capacity) {
      capacity *= 2;
      kinds = grown(kinds, new Uint8Array(capacity));
      id = grown(id, new Uint32Array(capacity));
      newId = grown(newId, new Uint32Array(capacity));
      slot = grown(slot, new Uint32Array(capacity));
      newSlot = grown(newSlot, new Uint32Array(capacity));
      size = grown(size, new Float64Array(capacity));
      lines = grown(lines, new Uint32Array(capacity));
    }
    switch (fields[0]) {
      case "m": {
        if (fields.length !== 3) throw reader.error("expected 3 fields");
        const s = slotField(fields, 1, "ID");
        const bytes = reader.decimal(fields, 2, "size");
        kinds[n] = EVENT_MALLOC;
        id[n] = Number(fields[1]);
        slot[n] = s;
        size[n] = bytes;
        alloc(s, bytes, id[n]!);
        break;
      }
      case "f": {
        if (fields.length !== 2) throw reader.error("expected 2 fields");
        const s = slotField(fields, 1, "ID");
        kinds[n] = EVENT_FREE;
        id[n] = Number(fields[1]);
        slot[n] = s;
        release(s, id[n]!);
        break;
      }
      case "r": {
        if (fields.length !== 4) throw reader.error("expected 4 fields");
        const s = slotField(fields, 1, "ID");
        const t = slotField(fields, 2, "new ID");
        const bytes = reader.decimal(fields, 3, "size");
        kinds[n] = EVENT_REALLOC;
        id[n] = Number(fields[1]);
        newId[n] = Number(fields[2]);
        slot[n] = s;
        newSlot[n] = t;
        size[n] = bytes;
        release(s, id[n]!);
        alloc(t, bytes, newId[n]!);
        break;
      }
      default:
        throw reader.error("unknown event (expected m, f or r)");
    }
    lines[n] = reader.lineNo;
    n++;
  }
  return {
    length: n,
    kinds: kinds.subarray(0, n),
    id: id.subarray(0, n),
    newId: newId.subarray(0, n),
    slot: slot.subarray(0, n),
    newSlot: newSlot.subarray(0, n),
    size: size.subarray(0, n),
    slotCount: slots.count,
    lines: lines.subarray(0, n),
    peakLiveBytes: peak,
    comments,
  };
}
