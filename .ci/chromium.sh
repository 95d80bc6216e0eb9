#!/usr/bin/env bash
# Prints the path of a Chromium that runs headless, installing Debian's `chromium` package first when there is
# none (CI machines start with Node and npm only; npm's browser downloads cannot reach their hosts here).
# Idempotent: a second run finds the binary and installs nothing. Everything but the path goes to stderr.
set -euo pipefail
find_chromium() {
  local candidate
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; return 0; fi
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
  done
  return 1
}
if ! find_chromium >/dev/null; then
  echo "chromium: not found, installing Debian's package" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
fi
find_chromium
