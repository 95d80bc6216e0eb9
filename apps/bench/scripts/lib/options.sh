# Sourced by the bench scripts, so that every one reads its options the same way:
#
#   take_options "rounds: base: sync" "$@"; set -- "${operands[@]}"
#
# reads the leading `--name VALUE` options named in the list (`name:` takes a value, stored in the shell variable
# `name` with a dash read as `_`; a bare `name` is a flag, set to 1), stops at the first argument that is not an
# option (or after `--`), and leaves the rest in the array `operands`. An option not in the list, or one without
# its value, is refused with exit status 2: a mistyped option must not be taken for a trace file.
take_options() {
  local names=" $1 " option
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --) shift; break ;;
      --*) option=${1#--} ;;
      *) break ;;
    esac
    if [[ $names == *" $option: "* ]]; then
      if [ $# -lt 2 ]; then echo "$1 needs a value" >&2; exit 2; fi
      printf -v "${option//-/_}" '%s' "$2"
      shift 2
    elif [[ $names == *" $option "* ]]; then
      printf -v "${option//-/_}" '%s' 1
      shift
    else
      echo "unknown option $1" >&2
      exit 2
    fi
  done
  operands=("$@")
}

# After take_options, for scripts run as `SCRIPT [OPTIONS] [CHECKOUT] TRACE...`:
#
#   take_checkout_and_traces "USAGE" "$@"; set -- "${operands[@]}"
#
# sets `checkout` to the leading operand when it is a directory (else the checkout holding the scripts) and leaves
# the traces in `operands`; without a trace, prints the usage and exits with status 2.
take_checkout_and_traces() {
  local usage=$1
  shift
  checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
  if [ $# -gt 0 ] && [ -d "$1" ]; then checkout="$(cd "$1" && pwd)"; shift; fi
  if [ $# -eq 0 ]; then echo "usage: $usage" >&2; exit 2; fi
  operands=("$@")
}
