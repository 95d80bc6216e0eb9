// A measurement prototype, not an allocator: the fast path of PERFORMANCE.md's "one set of tables for all
// classes" (s24), for slab-pair-instructions.sh to count against SlabAllocator. Page owners are global slab ids;
// per slab, its class, first object, live count and the start of its objects' states in one state array shared
// by all classes; per class, its geometry and the top and bounds of its part of three shared stack arrays. alloc
// and free pop and push in these tables alone, with no cache object between. Only what a pair loop on classes up
// to 128 bytes reaches is here: no slab ever empties, no error is typed, nothing is undone.
//
//   apps/bench/scripts/slab-pair-instructions.sh apps/bench/scripts/lib/shared-tables-prototype.mjs pairs 112
const OBJECT_FREE = 1;
const OBJECT_ALLOCATED = 2;
const OBJECT_PARKED = 3;
const LOCAL_BITS = 20;
const LOCAL_MASK = 2 ** LOCAL_BITS - 1;
const CLASSES = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128];
const STACK = 64;
const SLABS = 4096;
const PAGE = 4096;
const BASE = 2 ** 24;

/** The page-table cursor's shape (its chunk's owners), as SlabAllocator reads it. */
class Cursor {
  owners = new Int32Array(2 ** 16).fill(-1);
}

export class SlabAllocator {
  largestClass = CLASSES[CLASSES.length - 1];
  #busy = false;
  #pages;
  #classOf = new Uint8Array(this.largestClass + 1);
  /** The cursor's chunk unboxed, as in SlabAllocator: first byte, bytes, 1 / page. */
  #near = new Float64Array([BASE, PAGE * 2 ** 16, 1 / PAGE]);
  #cursor = new Cursor();
  #slabClient = 3;
  // Per global slab id.
  #slabClass = new Uint8Array(SLABS);
  #first = new Float64Array(SLABS);
  #live = new Int32Array(SLABS);
  #stateBase = new Int32Array(SLABS);
  #head = new Int32Array(SLABS);
  #bump = new Int32Array(SLABS);
  // Per object, all classes.
  #state = new Uint8Array(SLABS * 512);
  #next = new Int32Array(SLABS * 512);
  // Per class.
  #stride = new Int32Array(CLASSES.length);
  #inverseStride = new Float64Array(CLASSES.length);
  #perSlab = new Int32Array(CLASSES.length);
  #current = new Int32Array(CLASSES.length).fill(-1);
  /** Absolute tops in the shared stacks, and each class's part of them: [low, end). */
  #top = new Int32Array(CLASSES.length);
  #stackLow = new Int32Array(CLASSES.length);
  #stackEnd = new Int32Array(CLASSES.length);
  // The stacks of all classes.
  #stackAddr = new Float64Array(CLASSES.length * STACK);
  #stackSlot = new Int32Array(CLASSES.length * STACK);
  #stackSlab = new Int32Array(CLASSES.length * STACK);
  /** Whether the last alloc came off a stack: the record an undo (realloc's) needs, kept to count its store. */
  #lastPopped = false;
  #slabs = 0;
  #objects = 0;

  constructor({ pages }) {
    this.#pages = pages;
    let c = 0;
    for (let n = 1; n <= this.largestClass; n++) {
      if (n > CLASSES[c]) c++;
      this.#classOf[n] = c;
    }
    CLASSES.forEach((size, k) => {
      this.#stride[k] = size;
      this.#inverseStride[k] = 1 / size;
      this.#perSlab[k] = Math.floor(PAGE / size);
      this.#stackLow[k] = k * STACK;
      this.#top[k] = k * STACK;
      this.#stackEnd[k] = k * STACK + STACK;
    });
  }

  /** Whether the last alloc came off a stack. */
  get lastPopped() {
    return this.#lastPopped;
  }

  alloc(size) {
    if (this.#busy === true) throw new Error("busy");
    if (typeof size === "number" && size <= this.largestClass && size >= 1 && (size | 0) === size) {
      const c = this.#classOf[size];
      const t = this.#top[c] - 1;
      if (t >= this.#stackLow[c]) {
        this.#top[c] = t;
        this.#state[this.#stackSlot[t]] = OBJECT_ALLOCATED;
        this.#live[this.#stackSlab[t]]++;
        this.#lastPopped = true;
        return this.#stackAddr[t];
      }
      return this.#allocFromSlab(c);
    }
    throw new RangeError(`size ${size}`);
  }

  /** A bump or free-list object of the class's current slab, or of a new one (never given back). */
  #allocFromSlab(c) {
    this.#lastPopped = false;
    let s = this.#current[c];
    if (s < 0 || (this.#head[s] < 0 && this.#bump[s] === this.#perSlab[c])) {
      s = this.#slabs++;
      const base = this.#pages.allocate(0);
      this.#cursor.owners[(base - BASE) / PAGE] = this.#slabClient * 2 ** LOCAL_BITS + s;
      this.#first[s] = base;
      this.#slabClass[s] = c;
      this.#stateBase[s] = this.#objects;
      this.#objects += this.#perSlab[c];
      this.#head[s] = -1;
      this.#bump[s] = 0;
      this.#current[c] = s;
    }
    let obj = this.#head[s];
    if (obj < 0) obj = this.#bump[s]++;
    else this.#head[s] = this.#next[this.#stateBase[s] + obj];
    this.#state[this.#stateBase[s] + obj] = OBJECT_ALLOCATED;
    this.#live[s]++;
    return this.#first[s] + obj * this.#stride[c];
  }

  free(addr) {
    if (this.#busy === true) throw new Error("busy");
    if (typeof addr !== "number") throw new TypeError(`address ${addr}`);
    const owner = this.#pageOwner(addr);
    if (owner >>> LOCAL_BITS === this.#slabClient) {
      const s = owner & LOCAL_MASK;
      const c = this.#slabClass[s];
      const offset = addr - this.#first[s];
      const obj = (offset * this.#inverseStride[c] + 0.5) | 0;
      const i = this.#stateBase[s] + obj;
      if (
        obj >= 0 &&
        obj < this.#perSlab[c] &&
        obj * this.#stride[c] === offset &&
        this.#state[i] === OBJECT_ALLOCATED
      ) {
        const live = this.#live[s];
        const t = this.#top[c];
        if (live > 1 && t < this.#stackEnd[c]) {
          this.#state[i] = OBJECT_PARKED;
          this.#live[s] = live - 1;
          this.#stackSlot[t] = i;
          this.#stackSlab[t] = s;
          this.#stackAddr[t] = addr;
          this.#top[c] = t + 1;
          return;
        }
        this.#freeToSlab(s, i);
        return;
      }
      throw new RangeError(`no object at ${addr}`);
    }
    throw new RangeError(`no slab at ${addr}`);
  }

  #freeToSlab(s, i) {
    this.#live[s]--;
    this.#state[i] = OBJECT_FREE;
    this.#next[i] = this.#head[s];
    this.#head[s] = i - this.#stateBase[s];
  }

  #pageOwner(addr) {
    const near = this.#near;
    const offset = addr - near[0];
    if (offset >= 0 && offset < near[1]) return this.#cursor.owners[(offset * near[2]) | 0] ?? -1;
    return -1;
  }
}
