#!/usr/bin/env bash
# Fuzzes every parser for a bounded time (docs/fuzzing.md): builds the libFuzzer targets of tests/fuzz in
# build-fuzz/ with clang-14 (-fsanitize=fuzzer,address,undefined), then runs each one on a copy of its seed
# corpus (tests/fuzz/corpus/<target>, which is never written to) with its dictionary (tests/fuzz/dict/<target>.dict)
# when it has one, as many at once as there are cores.
#   packaging/fuzz.sh [--seconds N]     N seconds per target (default 60)
# Exits non-zero when any target finds a crash, a leak, a timeout (10 s) or more than 2 GiB of memory, and
# prints the input that did it; keep it as tests/fuzz/corpus/<target>/regress-<what> once fixed.
set -euo pipefail
CUSTODY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$CUSTODY_ROOT/packaging/common.sh"

seconds=60
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    *) echo "usage: packaging/fuzz.sh [--seconds N]" >&2; exit 2 ;;
  esac
done

targets=(csv jsonl npy idx labels image dsse note keyfile content)
dir="$CUSTODY_ROOT/build-fuzz"

install_packages
say "Configuring $dir (clang-14, libFuzzer, ASan + UBSan)"
cmake -S "$CUSTODY_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUSTODY_FUZZ=ON \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
say "Building the fuzz targets"
cmake --build "$dir" --target fuzzers -j "$(nproc)"

work=$(mktemp -d /tmp/custody-fuzz.XXXXXX)
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# run TARGET: fuzzes it in $work/TARGET/, its log in $work/TARGET.log; the exit status is libFuzzer's.
run() {
  local t=$1
  mkdir -p "$work/$t/corpus" "$work/$t/found"
  cp "$CUSTODY_ROOT/tests/fuzz/corpus/$t/"* "$work/$t/corpus/"
  local dict=()
  [ -f "$CUSTODY_ROOT/tests/fuzz/dict/$t.dict" ] && dict=(-dict="$CUSTODY_ROOT/tests/fuzz/dict/$t.dict")
  (cd "$work/$t" && "$dir/tests/fuzz/fuzz_$t" corpus "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
     -timeout=10 -artifact_prefix="$work/$t/found/" -print_final_stats=1) >"$work/$t.log" 2>&1
}

say "Fuzzing ${#targets[@]} targets for ${seconds}s each, $(nproc) at a time (work in $work)"
declare -A pids
failed=()
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
  run "$t" &
  pids[$t]=$!
done
for t in "${targets[@]}"; do
  if wait "${pids[$t]}"; then
    printf '  %-8s ok: %s\n' "$t" "$(grep -ho 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$') runs"
  else
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  for t in "${failed[@]}"; do
    printf '\n\033[1;31m==> fuzz_%s failed\033[0m (log: %s)\n' "$t" "$work/$t.log"
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work/$t.log" | head -n 20 || true
    for input in "$work/$t/found/"*; do
      [ -e "$input" ] && echo "crashing input: $input (reproduce: $dir/tests/fuzz/fuzz_$t $input)"
    done
  done
  exit 1
fi
rm -rf "$work"
say "No crash in ${#targets[@]} targets"
