/**
 * Slab geometry: how a block of `2^slabOrder` pages is cut into objects, and which order to pick.
 *
 * ```text
 *   slab = 2^slabOrder pages = slabBytes
 *   ┌────────┬──────────┬──────────┬─────┬──────────┬───────────┐
 *   │ colour │ object 0 │ object 1 │  …  │ obj n−1  │ tail      │   n = objectsPerSlab
 *   └────────┴──────────┴──────────┴─────┴──────────┴───────────┘
 *            │◄ stride ►│  stride = objectSize rounded up to align
 *   n = ⌊slabBytes / stride⌋,  tailBytes = slabBytes − n · stride < stride,  colour ≤ tailBytes (cut from the tail)
 * ```
 *
 * Every byte of a slab is an object, padding inside a stride, colour or tail; nothing else. Bookkeeping (free
 * list, object states) lives outside the slab, in typed arrays of the cache, so the slab holds only objects.
 *
 * Choosing the order follows the idea of SLUB's `calculate_order`: the smallest order that holds at least
 * `minObjects` objects (fewer when even `maxSlabOrder` cannot) while wasting at most 1/16 of the slab, then 1/8,
 * then 1/4; failing all, the order in range with the least waste. With `minObjects = 12` and `maxSlabOrder = 3`
 * this reproduces the objects-per-slab and pages-per-slab of the kmalloc caches in a real `/proc/slabinfo`.
 *
 * With `maxTightSlabOrder`, a slab that would still waste more than 1/16 of itself (a few large objects: 9216-byte
 * objects leave 5 KiB of a 32 KiB slab unused) grows instead to the smallest order up to that one whose tail is at
 * most 1/16 (9216 bytes: 7 objects in 64 KiB, 1 KiB unused); without such an order it stays as chosen.
 */
import { alignUp, log2Floor, lowestSetBit, MAX_SUPPORTED_ORDER, pow2 } from "@mm/hal";
import { checkIntegerOption, checkOptionsObject, isPowerOfTwoNumber } from "./arguments.js";
import { MAX_SLAB_ORDER } from "./constants.js";
import { invalidConfig } from "./errors.js";

/** How a cache's slabs are laid out. Every field is in bytes unless its name says otherwise. */
export interface SlabLayout {
  /** The payload size asked for. */
  readonly objectSize: number;
  /** Alignment of every object (a power of two, at most the page size). */
  readonly align: number;
  /** Distance between consecutive objects: `objectSize` rounded up to `align` (slub's `slab_size`). */
  readonly stride: number;
  /** Each slab is a page-source block of this order (`gfporder`). */
  readonly slabOrder: number;
  /** `2^slabOrder` (the `pagesperslab` column). */
  readonly pagesPerSlab: number;
  /** `pageSize · 2^slabOrder`. */
  readonly slabBytes: number;
  /** Objects in one slab (the `objperslab` column, Bonwick's and SLAB's `num`). */
  readonly objectsPerSlab: number;
  /** Bytes left after the last object (room for colouring). */
  readonly tailBytes: number;
  /** Bytes of a slab that never hold payload: `slabBytes − objectsPerSlab · objectSize` (padding + tail). */
  readonly wastedBytes: number;
}

/** Inputs of {@link computeSlabLayout}. */
export interface SlabLayoutOptions {
  /** Bytes per object, ≥ 1. */
  readonly objectSize: number;
  /** @defaultValue the largest power of two dividing `objectSize`, at most `pageSize` */
  readonly align?: number;
  /** The page source's base size: a power of two. */
  readonly pageSize: number;
  /** The page source's largest order (inclusive). */
  readonly maxOrder: number;
  /** Force this order instead of choosing one. */
  readonly slabOrder?: number;
  /** @defaultValue 3 (the kernel's PAGE_ALLOC_COSTLY_ORDER) */
  readonly maxSlabOrder?: number;
  /** @defaultValue 12 */
  readonly minObjects?: number;
  /**
   * The highest order, above `maxSlabOrder`, a slab may take to waste at most 1/16 of its bytes when no order up
   * to `maxSlabOrder` does. @defaultValue `maxSlabOrder` (never above it)
   */
  readonly maxTightSlabOrder?: number;
}

/** Default alignment: natural for the size (its largest power-of-two divisor), capped at the page size. */
export function naturalAlign(objectSize: number, pageSize: number): number {
  return Math.min(lowestSetBit(objectSize), pageSize);
}

function layoutAt(objectSize: number, align: number, stride: number, pageSize: number, order: number): SlabLayout {
  const slabBytes = pageSize * pow2(order);
  const objectsPerSlab = Math.floor(slabBytes / stride);
  return {
    objectSize,
    align,
    stride,
    slabOrder: order,
    pagesPerSlab: pow2(order),
    slabBytes,
    objectsPerSlab,
    tailBytes: slabBytes - objectsPerSlab * stride,
    wastedBytes: slabBytes - objectsPerSlab * objectSize,
  };
}

/**
 * Picks the slab order for an object size and returns the resulting layout.
 * @throws {AllocatorError} `INVALID_CONFIG` for a non-positive or fractional size, an alignment that is not a power
 * of two ≤ `pageSize`, or a forced order that is above `maxOrder` or too small for one object.
 * @example
 * computeSlabLayout({ objectSize: 192, pageSize: 4096, maxOrder: 12 })
 * // → { stride: 192, slabOrder: 0, objectsPerSlab: 21, tailBytes: 64, … }   (kmalloc-192 in /proc/slabinfo)
 */
export function computeSlabLayout(options: SlabLayoutOptions): SlabLayout {
  checkOptionsObject(options, "computeSlabLayout");
  const { pageSize } = options;
  const objectSize = checkIntegerOption("objectSize", options.objectSize, 1, Number.MAX_SAFE_INTEGER, "an integer ≥ 1");
  if (!isPowerOfTwoNumber(pageSize) || pageSize > 2 ** 52) {
    throw invalidConfig("pageSize", pageSize, "a power of two ≤ 2^52");
  }
  const orderLimit = Math.min(MAX_SUPPORTED_ORDER, 53 - log2Floor(pageSize));
  const maxOrder = checkIntegerOption(
    "maxOrder",
    options.maxOrder,
    0,
    orderLimit,
    `an integer in 0..=${orderLimit} (pageSize · 2^maxOrder ≤ 2^53)`,
  );
  const align = options.align ?? naturalAlign(objectSize, pageSize);
  if (!isPowerOfTwoNumber(align) || align > pageSize) {
    throw invalidConfig("align", align, `a power of two ≤ the page size ${pageSize}`);
  }
  const stride = alignUp(objectSize, align);
  const largest = pageSize * pow2(maxOrder);
  if (stride > largest) {
    throw invalidConfig("objectSize", objectSize, `at most ${largest} bytes (the page source's largest block)`);
  }
  if (options.slabOrder !== undefined) {
    const order = options.slabOrder;
    if (
      typeof order !== "number" ||
      !Number.isInteger(order) ||
      order < 0 ||
      order > maxOrder ||
      pageSize * pow2(order) < stride
    ) {
      throw invalidConfig(
        "slabOrder",
        order,
        `an integer in 0..=${maxOrder} whose slab holds one ${stride}-byte object`,
      );
    }
    return layoutAt(objectSize, align, stride, pageSize, order);
  }
  const maxSlabOrder = checkIntegerOption(
    "maxSlabOrder",
    options.maxSlabOrder ?? MAX_SLAB_ORDER,
    0,
    Number.MAX_SAFE_INTEGER,
    "a non-negative integer",
  );
  const minObjects = checkIntegerOption(
    "minObjects",
    options.minObjects ?? 12,
    1,
    Number.MAX_SAFE_INTEGER,
    "an integer ≥ 1",
  );
  const maxTightSlabOrder = checkIntegerOption(
    "maxTightSlabOrder",
    options.maxTightSlabOrder ?? maxSlabOrder,
    maxSlabOrder,
    Number.MAX_SAFE_INTEGER,
    `an integer ≥ maxSlabOrder (${maxSlabOrder})`,
  );
  let order = chooseOrder(stride, pageSize, Math.min(maxSlabOrder, maxOrder), minObjects);
  if (!wastesAtMost(16, stride, pageSize, order)) {
    for (let tight = order + 1; tight <= Math.min(maxTightSlabOrder, maxOrder); tight++) {
      if (wastesAtMost(16, stride, pageSize, tight)) {
        order = tight;
        break;
      }
    }
  }
  return layoutAt(objectSize, align, stride, pageSize, order);
}

/** Whether a slab of `order` leaves at most `1/fraction` of its bytes after its objects. */
function wastesAtMost(fraction: number, stride: number, pageSize: number, order: number): boolean {
  const slabBytes = pageSize * pow2(order);
  return (slabBytes % stride) * fraction <= slabBytes;
}

/** The chooser of the header, up to order `maxSlabOrder` (or the smallest that holds one object, when above it). */
function chooseOrder(stride: number, pageSize: number, maxSlabOrder: number, minObjects: number): number {
  let low = 0;
  while (pageSize * pow2(low) < stride) low++;
  const high = Math.max(low, maxSlabOrder);
  const want = Math.max(1, Math.min(minObjects, Math.floor((pageSize * pow2(high)) / stride)));
  for (const fraction of [16, 8, 4]) {
    for (let order = low; order <= high; order++) {
      const n = Math.floor((pageSize * pow2(order)) / stride);
      if (n >= want && wastesAtMost(fraction, stride, pageSize, order)) return order;
    }
  }
  let best = high;
  let bestWaste = Number.POSITIVE_INFINITY;
  for (let order = low; order <= high; order++) {
    const slabBytes = pageSize * pow2(order);
    const waste = (slabBytes % stride) / slabBytes;
    if (waste < bestWaste) {
      best = order;
      bestWaste = waste;
    }
  }
  return best;
}
