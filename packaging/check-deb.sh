#!/usr/bin/env bash
# Test: builds the .deb from a finished build folder with CPack and checks what it holds and declares: both
# programs, the desktop entry, the metainfo and the icons; Depends computed by dpkg-shlibdeps (Qt, SQLite,
# OpenSSL, OpenBLAS); Recommends dataset-fashion-mnist. Leaves it in BUILD/package/ for fresh-check.sh --deb.
#   packaging/check-deb.sh BUILD_DIR
set -euo pipefail
build=$(realpath "${1:?usage: check-deb.sh BUILD_DIR}")
out="$build/package"
rm -rf "$out"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" >"$build/cpack.log" 2>&1 \
  || { cat "$build/cpack.log"; echo "cpack failed" >&2; exit 1; }
shopt -s nullglob
debs=("$out"/custody_*_amd64.deb "$out"/custody_*_"$(dpkg --print-architecture)".deb)
[ ${#debs[@]} -ge 1 ] || { ls -l "$out" >&2; echo "no custody_<version>_<arch>.deb in $out" >&2; exit 1; }
deb=${debs[0]}
errors=0
files=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/bin/custody /usr/bin/custody-cli /usr/share/applications/org.custody.Custody.desktop \
         /usr/share/metainfo/org.custody.Custody.metainfo.xml /usr/share/icons/hicolor/scalable/apps/org.custody.Custody.svg \
         /usr/share/icons/hicolor/48x48/apps/org.custody.Custody.png /usr/share/icons/hicolor/256x256/apps/org.custody.Custody.png; do
  grep -qxF "$f" <<<"$files" || { echo "$(basename "$deb") lacks $f" >&2; errors=1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6core6 libqt6widgets6 libqt6charts6 libqt6svg6 libsqlite3-0 libssl3 libopenblas0; do
  grep -q "$lib" <<<"$depends" || { echo "Depends lacks $lib: $depends" >&2; errors=1; }
done
[ "$(dpkg-deb -f "$deb" Recommends)" = dataset-fashion-mnist ] || { echo "Recommends is not dataset-fashion-mnist" >&2; errors=1; }
[ "$errors" -eq 0 ] || exit 1
echo "$deb: $(wc -c <"$deb") bytes; Depends: $depends"
