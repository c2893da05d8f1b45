#!/usr/bin/env bash
# Builds joulebench three ways and runs every test:
#   1. clang + libFuzzer: each fuzz target runs for FUZZ_SECONDS (default 20), one per core
#   2. AddressSanitizer + UndefinedBehaviorSanitizer: the unit tests
#   3. the normal build: every test (unit, fake-NVML sensor, CLI end to end)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

echo "== fuzz build (clang, libFuzzer)"
CXX=clang++ cmake -S . -B build-fuzz "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DJOULEBENCH_FUZZ=ON -DJOULEBENCH_TESTS=OFF -DJOULEBENCH_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzzers
tests/fuzz/run-fuzzers.sh build-fuzz "${FUZZ_SECONDS:-20}"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build: unit tests"
cmake -S . -B build-asan "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DJOULEBENCH_SANITIZE=ON \
  -DJOULEBENCH_BENCH=OFF -DJOULEBENCH_PYTHON=OFF >/dev/null
cmake --build build-asan -j"$jobs" --target unit_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs"

echo "== normal build: all tests"
# Release (no debug info): the same optimised code users run, and the quickest full build.
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
