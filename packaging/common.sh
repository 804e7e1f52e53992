# Shared by install-deps.sh, demo.sh and test.sh: install Debian 12 packages when missing, configure and build.
# shellcheck shell=bash

# Every package the build, the tests, the .deb and the demo need, named explicitly: nothing may arrive only
# through Recommends (qt6-base-dev merely recommends libqt6opengl6-dev, which Qt Charts' CMake package needs).
# The README's "Building by hand" list is this list; the test packaging.readme_lists_packages compares them.
CUSTODY_PACKAGES=(
  build-essential dpkg-dev cmake ninja-build pkg-config file
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev qt6-svg-dev libgl-dev
  libsqlite3-dev libssl-dev libeigen3-dev libopenblas-dev zlib1g-dev libboost-math-dev
  desktop-file-utils appstream
  clang-14 libfuzzer-14-dev
  dataset-fashion-mnist
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_packages() {
  local missing=()
  for p in "${CUSTODY_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "Debian packages: all present"
    return
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# build DIR [extra cmake arguments...]
build() {
  local dir=$1; shift
  say "Configuring $dir"
  cmake -S "$CUSTODY_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  say "Building in $dir (this takes a few minutes the first time)"
  cmake --build "$dir" -j "$(nproc)"
}
