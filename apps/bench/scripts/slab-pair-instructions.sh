#!/usr/bin/env bash
# Machine instructions of SlabAllocator's fast path alone, under callgrind: a loop of free + alloc pairs
# (`pairs`), of reallocs that move an object between two classes and back (`move`), of the same two calls as
# `pairs` on a target that does nothing (`calls`: the loop and the interpreter's calls, about 500 instructions
# per iteration over `none`), or of nothing (`none`, the loop's own cost), 400 000 iterations on 5 000 live
# objects of SIZE bytes (default 100) that stay on the fast-path stacks. The loop itself runs in the interpreter
# (%NeverOptimizeFunction), so SlabAllocator's alloc, free and realloc are compiled on their own as they are in
# any caller, not inlined into this loop (which would make the count depend on the loop's inlining budget).
# Prints instructions per iteration; `pairs` − `calls` is what the allocator itself costs per pair. CHECKOUT may
# also be a module file exporting a SlabAllocator-shaped class (a prototype, e.g. lib/shared-tables-prototype.mjs).
#
#   apps/bench/scripts/slab-pair-instructions.sh CHECKOUT|PROTOTYPE.mjs pairs|move|calls|none [SIZE]
set -euo pipefail
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
out=$(mktemp -d)
valgrind --tool=callgrind --zero-before=uv_loadavg --dump-before=uv_uptime --smc-check=all-non-file \
  --callgrind-out-file="$out/cg.%p" node --allow-natives-syntax --no-concurrent-recompilation \
  "$(dirname "$0")/slab-pairs.mjs" "$1" "$2" 400000 "${3:-100}" >/dev/null 2>&1
ir=$(grep -h '^totals:' "$out"/cg.*.1 | awk '{print $2}')
rm -rf "$out"
awk -v ir="$ir" 'BEGIN {printf "%.1f\n", ir / 400000}'
