#!/usr/bin/env bash
# Replays malloc traces as range allocations on @mm/vmem (`mm-bench arena`) and on OffsetAllocator natively
# (../shared/reference/offset-allocator, built: copy the folder somewhere writable and run its build.sh),
# alternating the two round by round (the machine is noisy); prints each one's line of the last round and the
# median ns/op of each over all rounds, with the ratio.
#
#   apps/bench/scripts/arena-vs-offset-allocator.sh OA_REPLAY [--rounds N] [--size-factor F] [--policy P] TRACE...
#
# Traces may be .trace or .trace.gz (decompressed to a temporary file for the native replayer).
set -euo pipefail
oa=$1; shift
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
rounds=5; size_factor=2; policy=instant-fit
take_options "rounds: size-factor: policy:" "$@"; set -- "${operands[@]}"
cli="$(dirname "$0")/../dist/cli.js"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ns() { sed -n 's/.*ns_per_op=\([0-9.]*\).*/\1/p'; }
med() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for trace in "$@"; do
  name=$(basename "$trace"); name=${name%.gz}; name=${name%.trace}
  plain="$trace"
  case "$trace" in *.gz) plain="$tmp/$name.trace"; zcat "$trace" > "$plain" ;; esac
  : > "$tmp/oa"; : > "$tmp/vm"
  for ((r = 0; r < rounds; r++)); do
    if (( r % 2 == 0 )); then
      oa_line=$("$oa" "$plain" --repeat 3 --size-factor "$size_factor"); vm_line=$(node "$cli" arena --repeat 3 --size-factor "$size_factor" --policy "$policy" "$plain")
    else
      vm_line=$(node "$cli" arena --repeat 3 --size-factor "$size_factor" --policy "$policy" "$plain"); oa_line=$("$oa" "$plain" --repeat 3 --size-factor "$size_factor")
    fi
    echo "$oa_line" | ns >> "$tmp/oa"; echo "$vm_line" | ns >> "$tmp/vm"
  done
  o=$(med < "$tmp/oa"); v=$(med < "$tmp/vm")
  echo "$name (size factor $size_factor, $rounds rounds)"
  echo "  OffsetAllocator: $oa_line"
  echo "  vmem $policy:  $vm_line"
  echo "  median ns/op: OffsetAllocator $o, vmem $v, ratio $(awk -v a="$v" -v b="$o" 'BEGIN {printf "%.2f", a / b}')×"
done
