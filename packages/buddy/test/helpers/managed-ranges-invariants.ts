/**
 * Checks a {@link ManagedRanges} through its `inspect()` view and throws a descriptive Error on the first broken
 * invariant (the file header's list): leaf ids 0 … leaves − 1 each listed once, every leaf holding 1 … L ranges,
 * each recorded first start equal to its leaf's first range, the ranges sorted and apart across leaves,
 * neighbouring leaves holding more than half a leaf together, and `count` and `bytes` equal to what the leaves
 * hold.
 */
import type { ManagedRanges } from "../../src/structures/managed-ranges.js";

export function checkManagedRanges(set: ManagedRanges): void {
  const view = set.inspect();
  const fail = (what: string): never => {
    throw new Error(`ManagedRanges invariant broken: ${what} (${view.leaves.length} leaves, ${view.count} ranges)`);
  };
  const ids = view.leaves.map(({ leaf }) => leaf).sort((a, b) => a - b);
  ids.forEach((id, i) => {
    if (id !== i) fail(`leaf ids are ${ids.join(",")}, not 0 … ${ids.length - 1}`);
  });
  let count = 0;
  let bytes = 0;
  let previousEnd = Number.NEGATIVE_INFINITY;
  view.leaves.forEach(({ firstStart, leaf, ranges }, p) => {
    if (ranges.length < 1 || ranges.length > view.leafRanges) fail(`leaf ${leaf} holds ${ranges.length} ranges`);
    if (firstStart !== ranges[0]![0])
      fail(`position ${p} records first start ${firstStart}, leaf has ${ranges[0]![0]}`);
    for (const [start, end] of ranges) {
      if (!(previousEnd < start && start < end)) fail(`range [${start}, ${end}) after one ending at ${previousEnd}`);
      previousEnd = end;
      count++;
      bytes += end - start;
    }
  });
  view.leaves.forEach(({ ranges }, p) => {
    const next = view.leaves[p + 1];
    if (next && ranges.length + next.ranges.length <= view.leafRanges / 2) {
      fail(`positions ${p} and ${p + 1} hold ${ranges.length} + ${next.ranges.length} ranges, at most half a leaf`);
    }
  });
  if (count !== view.count) fail(`count ${view.count}, leaves hold ${count}`);
  if (bytes !== view.bytes) fail(`bytes ${view.bytes}, leaves hold ${bytes}`);
}
