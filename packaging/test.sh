#!/usr/bin/env bash
# Quick start, command two: installs what Custody needs on Debian 12, builds it, and runs every test.
#   packaging/test.sh             normal build (build/), all Qt Test suites through CTest
#   packaging/test.sh --sanitize  the same under AddressSanitizer + UndefinedBehaviorSanitizer (build-sanitize/)
set -euo pipefail
CUSTODY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$CUSTODY_ROOT/packaging/common.sh"

dir="$CUSTODY_ROOT/build"
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  dir="$CUSTODY_ROOT/build-sanitize"
  args=(-DCMAKE_BUILD_TYPE=Debug -DCUSTODY_SANITIZE=ON -DCUSTODY_BUILD_BENCH=OFF)
fi

install_packages
build "$dir" "${args[@]}"
say "Running the tests (GUI tests use QT_QPA_PLATFORM=offscreen)"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
