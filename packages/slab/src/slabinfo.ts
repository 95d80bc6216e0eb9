/**
 * `/proc/slabinfo` (version 2.1) text for a set of caches, column for column as Linux prints it, so tools that
 * read the kernel's file (slabtop-style scripts) read ours. There are no per-CPU tunables here: they print as 0.
 *
 * ```text
 *   # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables … : slabdata <active_slabs> <num_slabs> <sharedavail>
 *   kmalloc-192         2184   2184    192   21    1 : tunables    0    0    0 : slabdata    104    104      0
 * ```
 */
import type { SlabCacheStats } from "./slab-cache.js";

const HEADER =
  "slabinfo - version: 2.1\n" +
  "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";

const pad = (value: number, width: number) => String(value).padStart(width);

/**
 * Renders caches' stats as a `/proc/slabinfo` file.
 * @example
 * formatSlabinfo(heap.stats().caches)
 * // "slabinfo - version: 2.1\n# name …\nkmalloc-8 …"
 */
export function formatSlabinfo(caches: readonly SlabCacheStats[]): string {
  let out = HEADER;
  for (const c of caches) {
    out +=
      `${c.name.padEnd(17)} ${pad(c.activeObjects, 6)} ${pad(c.totalObjects, 6)} ${pad(c.objectSize, 6)} ` +
      `${pad(c.objectsPerSlab, 4)} ${pad(c.pagesPerSlab, 4)} : tunables ${pad(0, 4)} ${pad(0, 4)} ${pad(0, 4)} : ` +
      `slabdata ${pad(c.activeSlabs, 6)} ${pad(c.totalSlabs, 6)} ${pad(0, 6)}\n`;
  }
  return out;
}
