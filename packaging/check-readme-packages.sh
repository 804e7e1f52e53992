#!/usr/bin/env bash
# Test: the README's "Building by hand" package list is exactly CUSTODY_PACKAGES from common.sh, so a person
# installing by hand gets what the scripts install (a package left out there once broke a fresh machine).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"
scripts=$(printf '%s\n' "${CUSTODY_PACKAGES[@]}" | sort)
# The list is the fenced block that follows the line "Debian 12 packages" in the README's Building by hand part.
readme=$(awk '/^## Building by hand/ { part = 1 } part && /^Debian 12 packages/ { list = 1; next }
              list && /^```/ { if (inside) exit; inside = 1; next } inside { print }' "$here/../README.md" \
         | tr -s ' \t' '\n' | sed '/^$/d' | sort)
if [ -z "$readme" ]; then
  echo "README.md: no package list found under '## Building by hand' / 'Debian 12 packages'" >&2
  exit 1
fi
if [ "$scripts" != "$readme" ]; then
  echo "README.md's package list differs from packaging/common.sh (< scripts only, > README only):" >&2
  diff <(echo "$scripts") <(echo "$readme") | grep '^[<>]' >&2
  exit 1
fi
echo "README lists the same ${#CUSTODY_PACKAGES[@]} packages as packaging/common.sh"
