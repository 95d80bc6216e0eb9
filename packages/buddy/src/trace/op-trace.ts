/**
 * Buddy op-traces (format version 1): a recorded sequence of allocator operations that any allocator with the
 * seed's placement rule (lowest free address of the smallest order that fits) replays to the same result.
 *
 * ```text
 * # buddy op-trace v1              ← comments start with '#'; the header says how the trace was made
 * # expect ops=4 allocs=2 failed=0 checksum=33
 * add 0 1024                       ← frames 0..1023 become free (sizes and positions in frames)
 * alloc 0 2                        ← a block of 2^2 frames, remembered under ID 0
 * free 0                           ← give it back (its order is the one it was allocated with)
 * avail                            ← how many frames are free now (folded into the checksum)
 * ```
 *
 * Parsed traces are columns of typed arrays, not an object per op: benchmark traces reach a million ops, and
 * replaying them must measure the allocator, not the garbage collector. IDs and orders sit in integer columns, so
 * the replay loop hands the allocator small integers, as a caller's own code would (the seed's replayer holds
 * them as native integers too); only `add`'s frame numbers, which may pass 2^32, are doubles.
 *
 * The checksum is an unsigned 32-bit sum: each successful alloc adds `(firstFrame · 31 + order) mod 2^32`, each
 * `avail` adds the free-frame count mod 2^32. Frame numbers reach 2^40 and beyond, so nothing here uses 32-bit
 * integer operators on them: `firstFrame · 31` stays exact below 2^53 and `%` reduces it exactly.
 */

/**
 * Operation codes stored in {@link OpTrace.kinds}. An enum, so the bundler writes its values into the replay
 * loop as literals (an object's fields would be loaded and checked on every op).
 */
export enum OpKind {
  /** `add START COUNT`: operands in `starts` and `counts`. */
  Add = 0,
  /** `alloc ID ORDER`: operands in `ids` and `orders`. */
  Alloc = 1,
  /** `free ID`: operand in `ids`. */
  Free = 2,
  /** `avail`: no operands. */
  Avail = 3,
}

/** What a replayer prints (apart from timings), and what a trace's `# expect` line promises. */
export interface OpTraceResult {
  /** Operation lines: add, alloc, free and avail. */
  readonly ops: number;
  /** Alloc lines. */
  readonly allocs: number;
  /** Allocs that got no block. */
  readonly failed: number;
  /** The unsigned 32-bit checksum defined above. */
  readonly checksum: number;
}

/**
 * A parsed op-trace: op `i` is `kinds[i]` with its operands at index `i` of the columns its kind uses (see
 * {@link OpKind}); the other columns hold 0 there. Only the first `length` entries count.
 */
export interface OpTrace {
  /** Number of operations. */
  readonly length: number;
  /** The op code of each op, an {@link OpKind}. */
  readonly kinds: Uint8Array;
  /** `alloc`/`free`: the ID (at most 2^32 − 2). */
  readonly ids: Uint32Array;
  /** `alloc`: the order. */
  readonly orders: Uint8Array;
  /** `add`: the first frame (below 2^53). */
  readonly starts: Float64Array;
  /** `add`: the frame count (start + count below 2^53). */
  readonly counts: Float64Array;
  /** Source line of each op (1-based), for error messages; 0 when the trace was built, not parsed. */
  readonly lines?: Uint32Array;
  /** One more than the largest ID used: the size of the ID table a replayer needs. */
  readonly idSlots: number;
  /** Comment lines of the source, without the leading `#` and one following space. */
  readonly comments: readonly string[];
  /** The `# expect ops=… allocs=… failed=… checksum=…` line, when there is one. */
  readonly expect?: OpTraceResult;
}

/** Largest order a trace may ask for (the seed's parser allows up to 40). */
export const MAX_TRACE_ORDER = 40;

/**
 * A line of an op-trace that does not parse. `line` is 1-based and the message names it.
 *
 * @example
 * ```ts
 * try { parseOpTrace("add 0 16\nalloc x 0\n") } catch (e) {
 *   if (e instanceof OpTraceSyntaxError) console.error(e.message) // "line 2: expected a decimal ID in field 2: \"alloc x 0\""
 * }
 * ```
 */
export class OpTraceSyntaxError extends Error {
  /** Always `"OpTraceSyntaxError"`. */
  override readonly name = "OpTraceSyntaxError";
  /** The message is `line N: reason: "text"`. */
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
export class OpTraceReplayError extends Error {
  /** Always `"OpTraceReplayError"`. */
  override readonly name = "OpTraceReplayError";
  /** The message is `line N: reason` when the line is known, else `op N: reason`. */
  constructor(
    /** 0-based index of the op that failed. */
    readonly op: number,
    /** 1-based source line of that op, or 0 for a trace built in code. */
    readonly line: number,
    /** What was wrong, without the position. */
    readonly reason: string,
  ) {
    super(line > 0 ? `line ${line}: ${reason}` : `op ${op}: ${reason}`);
  }
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const EXPECT = /^expect ops=(\d+) allocs=(\d+) failed=(\d+) checksum=(\d+)\s*$/;

/**
 * Builds an {@link OpTrace} one op at a time, growing its typed arrays by doubling.
 *
 * @example
 * ```ts
 * const trace = new OpTraceBuilder().add(0, 1024).alloc(0, 3).avail().free(0).build();
 * replayOpTrace(trace, new BuddyAllocator({ bins: BitmapBins })); // { ops: 4, allocs: 1, failed: 0, checksum: 1027 }
 * ```
 */
export class OpTraceBuilder {
  #kinds = new Uint8Array(1024);
  #ids = new Uint32Array(1024);
  #orders = new Uint8Array(1024);
  #starts = new Float64Array(1024);
  #counts = new Float64Array(1024);
  #length = 0;
  #idSlots = 0;

  /** Number of ops so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends an op with zero operands, returning its index. */
  #push(kind: OpKind): number {
    if (this.#length === this.#kinds.length) {
      const capacity = this.#kinds.length * 2;
      this.#kinds = grown(this.#kinds, new Uint8Array(capacity));
      this.#ids = grown(this.#ids, new Uint32Array(capacity));
      this.#orders = grown(this.#orders, new Uint8Array(capacity));
      this.#starts = grown(this.#starts, new Float64Array(capacity));
      this.#counts = grown(this.#counts, new Float64Array(capacity));
    }
    const i = this.#length++;
    this.#kinds[i] = kind;
    return i;
  }

  #id(id: number): void {
    if (!Number.isSafeInteger(id) || id < 0 || id > 0xfffffffe) throw new RangeError(`bad trace ID ${id}`);
    if (id >= this.#idSlots) this.#idSlots = id + 1;
  }

  /** `add START COUNT`: frames `start .. start + count - 1` become free. */
  add(startFrame: number, frameCount: number): this {
    if (!Number.isSafeInteger(startFrame) || startFrame < 0 || !Number.isSafeInteger(frameCount) || frameCount < 0) {
      throw new RangeError(`bad add ${startFrame} ${frameCount}`);
    }
    const i = this.#push(OpKind.Add);
    this.#starts[i] = startFrame;
    this.#counts[i] = frameCount;
    return this;
  }

  /** `alloc ID ORDER`. */
  alloc(id: number, order: number): this {
    this.#id(id);
    if (!Number.isInteger(order) || order < 0 || order > MAX_TRACE_ORDER) throw new RangeError(`bad order ${order}`);
    const i = this.#push(OpKind.Alloc);
    this.#ids[i] = id;
    this.#orders[i] = order;
    return this;
  }

  /** `free ID`. */
  free(id: number): this {
    this.#id(id);
    const i = this.#push(OpKind.Free); // before reading #ids: the push may replace it
    this.#ids[i] = id;
    return this;
  }

  /** `avail`. */
  avail(): this {
    this.#push(OpKind.Avail);
    return this;
  }

  /** The trace so far (the builder's arrays are shared until the next push grows them: build once, at the end). */
  build(comments: readonly string[] = [], expect?: OpTraceResult): OpTrace {
    const n = this.#length;
    return {
      length: n,
      kinds: this.#kinds.subarray(0, n),
      ids: this.#ids.subarray(0, n),
      orders: this.#orders.subarray(0, n),
      starts: this.#starts.subarray(0, n),
      counts: this.#counts.subarray(0, n),
      idSlots: this.#idSlots,
      comments: [...comments],
      ...(expect ? { expect } : {}),
    };
  }
}

/**
 * Parses op-trace text (format v1). Blank lines and `#` comments are skipped; a `# expect …` comment fills
 * {@link OpTrace.expect}. Fields are separated by exactly one space and numbers are plain decimals (no sign, no
 * leading zeros), as the seed's replayer requires.
 *
 * @throws {OpTraceSyntaxError} naming the first line that does not parse (unknown op, missing or extra fields, a
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
  let lines = new Uint32Array(1024);
  const length = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.length === 0) continue;
    if (line.charCodeAt(0) === 35 /* # */) {
      const comment = line.startsWith("# ") ? line.slice(2) : line.slice(1);
      comments.push(comment);
      const m = EXPECT.exec(comment);
      if (m) expect = { ops: +m[1]!, allocs: +m[2]!, failed: +m[3]!, checksum: +m[4]! };
      continue;
    }
    const parts = line.split(" ");
    const num = (i: number, what: string): number => {
      const field = parts[i];
      if (field === undefined || !DECIMAL.test(field)) {
        throw new OpTraceSyntaxError(lineNo, `expected a decimal ${what} in field ${i + 1}`, line);
      }
      const value = Number(field);
      if (!Number.isSafeInteger(value))
        throw new OpTraceSyntaxError(lineNo, `${what} ${field} is not below 2^53`, line);
      return value;
    };
    let arity: number;
    switch (parts[0]) {
      case "add": {
        const startFrame = num(1, "start frame");
        const count = num(2, "frame count");
        if (!Number.isSafeInteger(startFrame + count)) {
          throw new OpTraceSyntaxError(lineNo, "range end is not below 2^53", line);
        }
        arity = 3;
        if (parts.length === arity) builder.add(startFrame, count);
        break;
      }
      case "alloc": {
        const id = num(1, "ID");
        const order = num(2, "order");
        if (id > 0xfffffffe) throw new OpTraceSyntaxError(lineNo, "ID out of range (at most 2^32 - 2)", line);
        if (order > MAX_TRACE_ORDER) throw new OpTraceSyntaxError(lineNo, `order above ${MAX_TRACE_ORDER}`, line);
        arity = 3;
        if (parts.length === arity) builder.alloc(id, order);
        break;
      }
      case "free": {
        const id = num(1, "ID");
        if (id > 0xfffffffe) throw new OpTraceSyntaxError(lineNo, "ID out of range (at most 2^32 - 2)", line);
        arity = 2;
        if (parts.length === arity) builder.free(id);
        break;
      }
      case "avail":
        arity = 1;
        if (parts.length === arity) builder.avail();
        break;
      default:
        throw new OpTraceSyntaxError(lineNo, "unknown op (expected add, alloc, free or avail)", line);
    }
    if (parts.length !== arity) {
      throw new OpTraceSyntaxError(lineNo, `expected ${arity} field${arity === 1 ? "" : "s"}`, line);
    }
    const i = builder.length - 1;
    if (i === lines.length) {
      lines = grown(lines, new Uint32Array(lines.length * 2));
    }
    lines[i] = lineNo;
  }
  const trace = builder.build(comments, expect);
  return { ...trace, lines: lines.subarray(0, trace.length) };
}

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
  if (expect && !comments.some((c) => EXPECT.test(c))) {
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

/**
 * What {@link replayOpTrace} needs of an allocator: the buddy allocator's byte-address API. `BuddyAllocator`
 * satisfies it, and so does an {@link OpTraceRecorder}.
 */
export interface OpTraceTarget {
  /** An `add` line: frames `[start, end)` in bytes. */
  addRange(start: number, end: number): void;
  /** An `alloc` line: a block of `order`, or undefined when none is free (counted as failed). */
  allocate(order: number): number | undefined;
  /** A `free` line: the block an earlier `alloc` of the same ID returned. */
  free(addr: number, order: number): void;
  /** An `avail` line: free bytes, folded into the checksum. */
  readonly availableBytes: number;
}

/** Options for {@link replayOpTrace}. */
export interface ReplayOpTraceOptions {
  /**
   * Bytes in one frame (a power of two): byte address = frame · baseSize.
   * @defaultValue 4096 (the seed's frame size)
   */
  readonly baseSize?: number;
}

/**
 * Replays every op of `trace` on `allocator` and returns the counts and checksum a replayer prints. Each run
 * needs a fresh allocator (the trace's `add` lines hand it its memory). The loop allocates nothing per op.
 *
 * @throws {OpTraceReplayError} when the trace frees an ID that names no live block, or adds frames past 2^53 bytes.
 * @example
 * ```ts
 * const trace = parseOpTrace(text);
 * const result = replayOpTrace(trace, new BuddyAllocator({ bins: BitmapBins, baseSize: 4096, maxOrder: 12 }));
 * result.checksum === trace.expect?.checksum; // true for an allocator with the seed's placement
 * ```
 */
export function replayOpTrace(
  trace: OpTrace,
  allocator: OpTraceTarget,
  options: ReplayOpTraceOptions = {},
): OpTraceResult {
  const baseSize = options.baseSize ?? 4096;
  const framesPerByte = 1 / baseSize; // exact: the base size is a power of two
  const { kinds, ids, orders, starts, counts, length } = trace;
  // Per ID: the live block's address, or -1 (empty) / -2 (failed alloc); and its order.
  const slotAddr = new Float64Array(trace.idSlots).fill(-1);
  const slotOrder = new Uint8Array(trace.idSlots);
  let allocs = 0;
  let failed = 0;
  let checksum = 0; // an int32 running sum (see checksumStep), read as uint32 at the end
  // An if-chain, most frequent kinds first, with the error paths out of line: measured ~40% cheaper per op than
  // a switch here (this loop is timed against the seed's native one).
  for (let i = 0; i < length; i++) {
    const kind = kinds[i];
    if (kind === OpKind.Free) {
      const id = ids[i]!;
      const addr = slotAddr[id]!;
      if (addr < 0) throw badFree(trace, i, addr);
      slotAddr[id] = -1;
      allocator.free(addr, slotOrder[id]!);
    } else if (kind === OpKind.Alloc) {
      allocs++;
      const id = ids[i]!;
      const order = orders[i]!;
      const addr = allocator.allocate(order);
      if (addr === undefined) {
        failed++;
        slotAddr[id] = -2;
      } else {
        checksum = checksumStep(checksum, addr * framesPerByte * 31 + order);
        slotAddr[id] = addr;
        slotOrder[id] = order;
      }
    } else if (kind === OpKind.Avail) {
      checksum = checksumStep(checksum, allocator.availableBytes * framesPerByte);
    } else {
      const startFrame = starts[i]!;
      const end = (startFrame + counts[i]!) * baseSize;
      if (!Number.isSafeInteger(end))
        throw new OpTraceReplayError(i, trace.lines?.[i] ?? 0, "range ends past 2^53 bytes");
      allocator.addRange(startFrame * baseSize, end);
    }
  }
  return { ops: length, allocs, failed, checksum: checksum >>> 0 };
}

/** The error for a `free` of an ID that names no live block (out of the replay loop: it builds strings). */
function badFree(trace: OpTrace, i: number, addr: number): OpTraceReplayError {
  const id = trace.ids[i];
  const what = addr === -2 ? "a failed alloc" : "no live block";
  return new OpTraceReplayError(i, trace.lines?.[i] ?? 0, `free of ID ${id}, which names ${what}`);
}

/**
 * Adds one successful alloc or avail reading to a running checksum (exact for frames below 2^48). The sum is
 * kept as an int32: `| 0` wraps modulo 2^32 exactly as `>>> 0` would, but a uint32 above 2^31 would be boxed
 * on every op of the timed replay loop. Read the checksum with `>>> 0`. `value >>> 0` is ToUint32, which
 * reduces any integer below 2^53 modulo 2^32 exactly, in a couple of instructions where `%` on doubles is a
 * runtime call.
 */
export function checksumStep(checksum: number, value: number): number {
  return (checksum + (value >>> 0)) | 0;
}

/** `to` (a larger array of the same kind) with `from` copied into its start. */
function grown<T extends Uint8Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
