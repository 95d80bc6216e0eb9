#!/usr/bin/env bash
# Makes sure a headless Chromium is installed for the browser tests (Debian's package; npm's Playwright cannot
# download its own browsers here) and prints its path on stdout. Idempotent: does nothing when one is there.
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
{
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
} >&2
echo /usr/bin/chromium
