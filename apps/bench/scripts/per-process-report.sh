# Sourced by the instruction-count scripts (replay-instructions.sh, timed-instructions.sh): runs the caller's
# `per_op CHECKOUT TRACE` once per process for every trace, this checkout ($here) and the base ($base_dir, when
# --base was given) alternately, and prints the median of each with every process's figure.
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report_per_process() {
  local trace mine theirs name p
  for trace in "$@"; do
    mine=""
    theirs=""
    for ((p = 0; p < processes; p++)); do
      mine+="$(per_op "$here" "$trace") "
      if [ -n "$base" ]; then theirs+="$(per_op "$base_dir" "$trace") "; fi
    done
    name=$(basename "$trace" .trace)
    printf '%-22s %-15s instructions/op: median %s (processes: %s)\n' "$name" "$bins" "$(echo "$mine" | median)" "$mine"
    if [ -n "$base" ]; then
      printf '%-22s %-15s instructions/op: median %s (processes: %s)\n' "$name" "base $bins" "$(echo "$theirs" | median)" "$theirs"
    fi
  done
}
