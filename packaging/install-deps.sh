#!/usr/bin/env bash
# The install step on its own: installs every Debian 12 package that building, testing, packaging and the demo
# need (the list is CUSTODY_PACKAGES in common.sh), through sudo when you are not root. demo.sh and test.sh
# run the same step first; packaging/fresh-check.sh runs this script in a fresh Debian 12 root.
set -euo pipefail
CUSTODY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$CUSTODY_ROOT/packaging/common.sh"

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${CUSTODY_PACKAGES[@]}"
  exit 0
fi
install_packages
