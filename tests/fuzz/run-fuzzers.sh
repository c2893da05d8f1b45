#!/usr/bin/env bash
# Runs every libFuzzer target of joulebench for SECONDS each, starting from the seed corpus
# in tests/fuzz/corpus/<target>/; exits 1 when a target crashes, hangs, leaks or trips a
# sanitizer (the input that did it is kept under BUILD_DIR/fuzz-work/<target>/artifacts/).
#
#   usage: tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS
#   (BUILD_DIR configured with CXX=clang++ -DJOULEBENCH_FUZZ=ON; see tests/fuzz/CMakeLists.txt)
set -euo pipefail

if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)

# One fuzz target per core at a time (libFuzzer itself is single-threaded), so the whole set
# takes SECONDS x targets / cores; each target's report is printed when it ends.
parallel=${FUZZ_PARALLEL:-$(nproc)}

# Runs one target; its exit status says whether it found something.
fuzz_one() {
  local seeds=$1 target binary work
  target=$(basename "$seeds")
  binary="$build_dir/fuzz/$target"
  # New inputs go to a work corpus in the build directory; the seeds stay untouched.
  work="$build_dir/fuzz-work/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192
                 -print_final_stats=1 -artifact_prefix="$work/artifacts/")
  if [[ -f $here/$target.dict ]]; then options+=(-dict="$here/$target.dict"); fi
  if "$binary" "${options[@]}" "$work/corpus" "$seeds" >"$work/log.txt" 2>&1; then
    echo "== $target: ${seconds} s, $(grep -E "^stat::number_of_executed_units" "$work/log.txt" | tail -1)"
  else
    echo "error: $target found a problem; log: $work/log.txt, inputs: $work/artifacts/" >&2
    tail -n 40 "$work/log.txt" >&2
    return 1
  fi
}

for seeds in "$here"/corpus/*/; do
  binary="$build_dir/fuzz/$(basename "$seeds")"
  if [[ ! -x $binary ]]; then
    echo "error: $binary is not built (cmake --build $build_dir --target fuzzers)" >&2
    exit 2
  fi
done

status=0
running=0
for seeds in "$here"/corpus/*/; do
  if (( running >= parallel )); then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$seeds" &
  running=$((running + 1))
done
while (( running > 0 )); do
  wait -n || status=1
  running=$((running - 1))
done
exit "$status"
