#!/usr/bin/env bash
# Compares `mm-bench malloc` (SlabAllocator on BuddyAllocator, bitmap bins) with glibc's malloc replaying the same
# trace natively and with AssemblyScript's TLSF in wasm called from JS, alternating the three round by round (the
# machine is noisy), and prints per trace: median ns/op of each, our ratio to each (ratio of the medians), the
# footprint over the peak live bytes and the share of reallocs that stayed in place.
#
#   apps/bench/scripts/compare-malloc.sh GLIBC_REPLAY WASM_TLSF_DIR [--rounds N] [--min-events N] TRACE...
#
# Each replayer times the median of R runs of a trace, R the same for all three: 5, or more for a short trace, so
# that R runs replay at least --min-events events (default 1 000 000). The wasm replayer warms up for one run only
# and the native one runs compiled code from its first event: five runs of a trace of a few hundred events would
# time the wasm replayer's JIT still compiling (and ours after a warm-up it never got), not the allocators.
#
# GLIBC_REPLAY: the malloc-replay reference built (`gcc -O2 -o replay-native replay-native.c -lz`).
# WASM_TLSF_DIR: the wasm-tlsf reference built (`npm install && mkdir -p build && npx asc replay.ts --runtime
# minimal -O3 --noAssert --outFile build/replay.wasm --initialMemory 1`). Both replay a realloc as free + malloc;
# ours calls realloc. Traces: .trace or .trace.gz malloc traces (e.g. `mm-bench workloads --out DIR` writes three).
set -euo pipefail
glibc=$1; wasm=$2; shift 2
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
rounds=5; min_events=1000000
take_options "rounds: min-events:" "$@"; set -- "${operands[@]}"
here="$(dirname "$0")"
cli="$here/../dist/cli.js"
field() { grep -oE "$1=[0-9.]+" | head -1 | cut -d= -f2; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-28s %9s %9s %9s %9s %9s %11s %9s\n' trace ours glibc tlsf vs-glibc vs-tlsf footprint× in-place
for trace in "$@"; do
  ours=""; native=""; tlsf=""
  events=$(gzip -cdf "$trace" | grep -vc '^#')
  repeat=$(awk -v m="$min_events" -v e="$events" 'BEGIN {r = int((m + e - 1) / e); print (r > 5 ? r : 5)}')
  for ((r = 0; r < rounds; r++)); do
    line=$(node "$cli" malloc --repeat "$repeat" "$trace")
    ours+="$(echo "$line" | field ns_per_op) "
    native+="$("$glibc" "$trace" --repeat "$repeat" | field ns_per_op) "
    tlsf+="$(node "$wasm/replay.mjs" "$trace" --repeat "$repeat" --from-js | field ns_per_op) "
  done
  o=$(echo "$ours" | median); g=$(echo "$native" | median); t=$(echo "$tlsf" | median)
  peak=$(echo "$line" | field peak_live_bytes); fp=$(echo "$line" | field footprint_bytes)
  failed=$(echo "$line" | field failed)
  share=$(node "$here/realloc-in-place.mjs" "$trace" | grep -oE 'in_place_share=[0-9.-]+' | cut -d= -f2)
  printf '%-28s %9.2f %9.2f %9.2f %8.2fx %8.2fx %10.3fx %9s%s\n' "$(basename "$trace")" "$o" "$g" "$t" \
    "$(awk -v a="$o" -v b="$g" 'BEGIN {print a / b}')" "$(awk -v a="$o" -v b="$t" 'BEGIN {print a / b}')" \
    "$(awk -v a="$fp" -v b="$peak" 'BEGIN {print a / b}')" "$share" "$([ "$failed" = 0 ] || echo "  FAILED=$failed")"
done
