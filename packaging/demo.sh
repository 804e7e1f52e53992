#!/usr/bin/env bash
# Quick start, command one: installs what Custody needs on Debian 12, builds it, and opens the desktop app
# on the demo workspace (Fashion-MNIST: a clean baseline and an incoming batch with planted poison).
set -euo pipefail
CUSTODY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$CUSTODY_ROOT/packaging/common.sh"

install_packages
build "$CUSTODY_ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "No display found (DISPLAY / WAYLAND_DISPLAY unset): run it inside a desktop session, or try"
  say "  xvfb-run -a $CUSTODY_ROOT/build/app/custody --demo"
  exit 1
fi
say "Opening Custody on the demo workspace (built on first run, about 10 seconds)"
exec "$CUSTODY_ROOT/build/app/custody" --demo "$@"
