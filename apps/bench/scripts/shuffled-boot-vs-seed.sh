#!/usr/bin/env bash
# Boot speed in any order: cuts this machine's /proc/iomem System RAM at seeded random points into PIECES pieces,
# adds them in shuffled order (shuffled-boot-trace.mjs), once per PRNG seed, and compares every backend with the
# Rust seed on those traces (compare-with-seed.sh: alternated rounds, medians, ratios to the seed).
#
#   apps/bench/scripts/shuffled-boot-vs-seed.sh SEED_REPLAY_BINARY [--pieces N] [--seeds "1 2 3"] [--rounds N]
#       [--base DIR] [--iomem FILE]
#
# Defaults: 200 pieces, seeds "1 2 3", 5 rounds. A trace is ~200 `add` lines and one `avail`, so ns/op is the
# cost of adding one piece. The seed frees every frame one by one, so the backends run hundreds of times faster:
# the table's last columns say how many times (the seed's median ns/op over the backend's, and over the base
# build's with --base).
set -euo pipefail
seed_bin=$1; shift
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
pieces=200
seeds="1 2 3"
rounds=5
base=""
iomem=""
take_options "pieces: seeds: rounds: base: iomem:" "$@"
if [ ${#operands[@]} -gt 0 ]; then echo "unexpected argument ${operands[0]}" >&2; exit 2; fi
pass=()
if [ -n "$base" ]; then pass=(--base "$base"); fi
iomem_file=()
if [ -n "$iomem" ]; then iomem_file=(--iomem "$iomem"); fi
here="$(dirname "$0")"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
traces=()
for s in $seeds; do
  trace="$dir/shuffled-boot-p$pieces-s$s.trace"
  node "$here/shuffled-boot-trace.mjs" "${iomem_file[@]}" --pieces "$pieces" --seed "$s" > "$trace"
  traces+=("$trace")
done
"$here/compare-with-seed.sh" "$seed_bin" --rounds "$rounds" "${pass[@]}" "${traces[@]}" | awk '
  NR == 1 { print $0 (NF > 6 ? "  x-faster base-x" : "  x-faster"); next }
  $2 == "seed" { seed = $3; print; next }
  { line = $0 sprintf("  %8.0f", seed / $3); if (NF > 6) line = line sprintf(" %8.0f", seed / $6); print line }'

