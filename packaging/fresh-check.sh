#!/usr/bin/env bash
# Proves the README's set-up on a fresh Debian 12: a minimal root made by debootstrap, the committed tree
# (git archive HEAD) copied in, and in a chroot the README's install step (packaging/install-deps.sh) and a
# CMake configure of the project. A machine that has everything installed by hand cannot prove this.
#
#   packaging/fresh-check.sh             install step + configure in a fresh root
#   packaging/fresh-check.sh --full      ... and build both programs there and run their --version
#   packaging/fresh-check.sh --deb FILE  only: install the .deb in a fresh root with apt (dependencies
#                                        resolved by apt), then run both programs there
#   --worktree                           copy the working tree (tracked and untracked, not ignored files)
#                                        instead of HEAD, to try a change before committing it
#
# Needs root (debootstrap, chroot, mount) and installs debootstrap when it is missing. The minimal root is
# cached as a tarball, and the packages apt downloads are kept beside it, in $CUSTODY_FRESH_CACHE
# (default /var/cache/custody/fresh-check): a second run skips debootstrap and the downloads.
set -euo pipefail
CUSTODY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${CUSTODY_FRESH_CACHE:-/var/cache/custody/fresh-check}
started=$SECONDS

say() { printf '\033[1m==> fresh-check: %s\033[0m\n' "$*"; }
fail() { printf 'fresh-check: %s\n' "$*" >&2; exit 1; }
elapsed() { printf '%dm%02ds' $(((SECONDS - $1) / 60)) $(((SECONDS - $1) % 60)); }

full=0 deb= worktree=0
while [ $# -gt 0 ]; do
  case $1 in
    --full) full=1 ;;
    --worktree) worktree=1 ;;
    --deb) [ $# -ge 2 ] || fail "--deb needs a file"; deb=$(realpath "$2"); shift ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
  shift
done
[ -z "$deb" ] || [ -f "$deb" ] || fail "no such package file: $deb"

[ "$(id -u)" -eq 0 ] || fail "needs root for debootstrap and chroot; run it as root (sudo $0)"
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap \
    || fail "debootstrap is missing and could not be installed with apt-get"
fi

# The Debian mirror this machine's apt already uses for bookworm, read from its sources (deb822 or one-line).
mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      { uri = ""; deb = 0; suite = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
          if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) suite = 1
          if ($i ~ /^URIs:/) { split($i, w, /[ \t]+/); uri = w[2] } }
        if (deb && suite && uri != "") { print uri; exit } }' "$f"
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i + 1) == "bookworm") print $i; break } }'
}
url=$(mirror | head -n 1) || true
[ -n "$url" ] || fail "found no bookworm mirror in /etc/apt/sources.list or /etc/apt/sources.list.d"

arch=$(dpkg --print-architecture)
tarball="$cache/minbase-bookworm-$arch.tar"
mkdir -p "$cache/archives/partial"
if [ ! -f "$tarball" ]; then
  t=$SECONDS
  say "creating a minimal Debian 12 root with debootstrap (cached for the next run)"
  base=$(mktemp -d /var/tmp/custody-debootstrap.XXXXXX)
  if ! debootstrap --variant=minbase bookworm "$base/root" "$url" >"$base/debootstrap.log" 2>&1; then
    tail -n 20 "$base/debootstrap.log" >&2
    rm -rf "$base"
    fail "debootstrap failed (log above)"
  fi
  tar -C "$base/root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf "$base"
  say "minimal root cached as $tarball in $(elapsed $t)"
fi

# Every root lives under one temporary folder; whatever happens, its mounts go before the folder does.
work=$(mktemp -d /var/tmp/custody-fresh.XXXXXX)
roots=()
cleanup() {
  local r m busy=0
  for r in "${roots[@]}"; do
    for m in var/cache/apt/archives dev/pts dev proc; do
      if mountpoint -q "$r/$m" 2>/dev/null; then
        umount -l "$r/$m" || busy=1
      fi
    done
  done
  # Never delete through a mount that is still there (the package cache, the host's /dev).
  if [ "$busy" -eq 0 ]; then
    rm -rf --one-file-system "$work"
  else
    echo "fresh-check: left $work in place: a mount inside it could not be removed" >&2
  fi
}
trap cleanup EXIT

# new_root NAME: sets root to a fresh copy of the cached minimal root, ready for apt and builds.
new_root() {
  local r="$work/$1"
  mkdir -p "$r"
  tar -C "$r" -xf "$tarball"
  roots+=("$r")
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" && chmod +x "$r/usr/sbin/policy-rc.d"
  mount -t proc proc "$r/proc"
  mount --bind /dev "$r/dev"
  mount --bind /dev/pts "$r/dev/pts"
  mount --bind "$cache/archives" "$r/var/cache/apt/archives"
  root=$r
}

# in_root ROOT COMMAND: runs a shell command in the chroot with a clean environment.
in_root() {
  chroot "$1" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -euo pipefail -c "$2"
}

if [ -n "$deb" ]; then
  t=$SECONDS
  # A root without the build packages: they would bring every runtime library and hide a missing Depends.
  new_root deb
  cp "$deb" "$root/tmp/"
  name=$(basename "$deb")
  say "installing $name with apt in a fresh root (dependencies resolved by apt, Recommends left out)"
  in_root "$root" "apt-get update -qq && apt-get install -y -qq --no-install-recommends ./tmp/$name >/tmp/apt.log 2>&1 \
    || { tail -n 30 /tmp/apt.log; exit 1; }"
  say "running the installed programs"
  in_root "$root" '
    custody-cli --version
    QT_QPA_PLATFORM=offscreen custody --version
    for f in /usr/share/applications/org.custody.Custody.desktop /usr/share/metainfo/org.custody.Custody.metainfo.xml \
             /usr/share/icons/hicolor/scalable/apps/org.custody.Custody.svg \
             /usr/share/icons/hicolor/128x128/apps/org.custody.Custody.png; do
      [ -f "$f" ] || { echo "missing from the package: $f"; exit 1; }
    done
    # A real workspace: SQLite, OpenSSL hashing and the object store, as installed.
    custody-cli init /tmp/ws >/dev/null
    printf "id,label,x\nr1,a,0.5\nr2,b,1.5\n" >/tmp/t.csv
    custody-cli ingest -w /tmp/ws --dataset t --version v1 --id-column id --label-column label /tmp/t.csv
    custody-cli verify -w /tmp/ws 2>/dev/null
    # Recommends were left out, so the demo data is absent: the demo must say which package brings it.
    if QT_QPA_PLATFORM=offscreen custody --demo >/tmp/demo.out 2>&1; then
      echo "custody --demo started without Fashion-MNIST"; exit 1
    fi
    grep -q "dataset-fashion-mnist" /tmp/demo.out || { cat /tmp/demo.out; echo "custody --demo did not name the package"; exit 1; }
    cat /tmp/demo.out'
  say "package check passed in $(elapsed $t) (total $(elapsed $started))"
  exit 0
fi

command -v git >/dev/null || fail "git is needed to copy the committed tree (git archive HEAD)"
git -C "$CUSTODY_ROOT" rev-parse --verify -q HEAD >/dev/null || fail "$CUSTODY_ROOT is not a git checkout with a commit"
if [ "$worktree" -eq 0 ] && [ -n "$(git -C "$CUSTODY_ROOT" status --porcelain --untracked-files=no)" ]; then
  say "note: uncommitted changes are not part of the check (it copies git archive HEAD; see --worktree)"
fi

t=$SECONDS
new_root setup
mkdir -p "$root/src"
if [ "$worktree" -eq 1 ]; then
  (cd "$CUSTODY_ROOT" && git ls-files -z --cached --others --exclude-standard \
     | xargs -0 -r stat --printf '%n\0' 2>/dev/null | tar --null -T - -cf -) | tar -x -C "$root/src"
else
  git -C "$CUSTODY_ROOT" archive --format=tar HEAD | tar -x -C "$root/src"
fi
say "fresh root ready in $(elapsed $t); running the README's install step there (packaging/install-deps.sh)"
t=$SECONDS
in_root "$root" 'cd /src && bash packaging/install-deps.sh'
say "install step done in $(elapsed $t); configuring"
t=$SECONDS
in_root "$root" 'cd /src && cmake -S . -B /tmp/build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/tmp/configure.log 2>&1 \
  || { cat /tmp/configure.log; exit 1; }'
say "configure done in $(elapsed $t)"
if [ "$full" -eq 1 ]; then
  t=$SECONDS
  say "building custody and custody-cli in the fresh root"
  in_root "$root" 'cmake --build /tmp/build --target custody custody-cli -j "$(nproc)" >/tmp/build.log 2>&1 \
    || { tail -n 40 /tmp/build.log; exit 1; }
    /tmp/build/app/custody-cli --version
    QT_QPA_PLATFORM=offscreen /tmp/build/app/custody --version'
  say "build done in $(elapsed $t)"
fi
say "passed in $(elapsed $started)"
