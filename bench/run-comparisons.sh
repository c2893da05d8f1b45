#!/usr/bin/env bash
# The side-by-side benchmarks whose figures go to docs/benchmarks.md. Each one runs
# joulebench and the Python tool it is compared with in one go, on this machine.
#
#   bench/run-comparisons.sh BUILD_DIR sampler|analyze|openai|all
#
# BUILD_DIR is a Release or RelWithDebInfo build with tests and benchmarks (it holds the fake
# NVML, the test LLM server and bench/). Needs python3-pandas and python3-aiohttp
# (scripts/install-deps.sh --bench). Prints one JSON object per measurement.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR sampler|analyze|openai|all" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
what=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; [[ -n ${server_pid:-} ]] && kill "$server_pid" 2>/dev/null; true' EXIT

# Debian's interpreter, which has python3-pandas and python3-aiohttp (not a pyenv shim).
python=${PYTHON:-/usr/bin/python3}
fake_nvml="$build/tests/libjoulebench_fake_nvml.so"

sampler() {
  echo "== sampler overhead: joulebench Monitor vs Python ctypes NVML loop (fake NVML, 1 GPU)"
  for hz in 10 1000; do
    seconds=$([[ $hz == 10 ]] && echo 60 || echo 20)
    "$build/bench/sampler_overhead" --library "$fake_nvml" --hz "$hz" --seconds "$seconds"
    "$python" "$here/python/nvml_ctypes_loop.py" --library "$fake_nvml" --hz "$hz" \
      --seconds "$seconds" --gpus 1
    # The floor both share: waking at the rate with no read at all.
    "$build/bench/sampler_overhead" --sleep-only --hz "$hz" --seconds "$seconds"
    "$python" "$here/python/nvml_ctypes_loop.py" --sleep-only --hz "$hz" --seconds "$seconds"
  done
  echo "== one sample's work without the sleep: joulebench NvmlSensor::read (Google Benchmark)"
  "$build/bench/micro_benchmarks" --benchmark_filter=BM_NvmlSensorRead --benchmark_min_time=2 \
    --benchmark_format=json | "$python" -c 'import json,sys; b=json.load(sys.stdin)["benchmarks"][0]; print(json.dumps({"tool": "joulebench NvmlSensor::read", "cpu_us_per_sample": b["cpu_time"] / 1000.0}))'
}

analyze() {
  echo "== analyze of a 10,000,000-row nvidia-smi log (8 GPUs): joulebench vs pandas"
  local log="$work/smi-10M.csv"
  "$python" "$here/python/make_nvidia_smi_log.py" --rows 10000000 --gpus 8 --output "$log"
  ls -l "$log"
  cat "$log" >/dev/null  # both tools start from a warm page cache
  /usr/bin/time -f '{"tool": "joulebench analyze", "wall_s": %e, "cpu_s": %U+%S, "max_rss_kb": %M}' \
    "$build/joulebench" analyze "$log" --json >"$work/jb.json"
  "$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"joulebench_energy_j": d["energy_j"]}))' "$work/jb.json"
  /usr/bin/time -f '{"tool": "pandas", "wall_s": %e, "cpu_s": %U+%S, "max_rss_kb": %M}' \
    "$python" "$here/python/analyze_pandas.py" "$log" >"$work/pandas.json"
  "$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"pandas_energy_j": d["energy_j"]}))' "$work/pandas.json"
}

start_server() {
  "$build/tests/joulebench-test-llm-server" --port 0 --token-delay-ms "$1" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q "listening on" "$work/server.log" 2>/dev/null && break
    sleep 0.05
  done
  server_url="http://$(grep -o '127.0.0.1:[0-9]*' "$work/server.log" | head -1)"
}

openai() {
  echo "== OpenAI streaming client: joulebench (C++, libcurl multi) vs Python asyncio + aiohttp"
  start_server 5
  for concurrency in 16 64 128 256; do
    "$build/bench/openai_client_throughput" --url "$server_url" --concurrency "$concurrency" \
      --requests $((concurrency * 8)) --output-tokens 256
    "$python" "$here/python/openai_aiohttp_client.py" --url "$server_url" \
      --concurrency "$concurrency" --requests $((concurrency * 8)) --output-tokens 256
    # The floor under any client: epoll + recv + a timestamp per event, no parsing.
    "$build/bench/openai_socket_floor" --port "${server_url##*:}" \
      --concurrency "$concurrency" --requests $((concurrency * 8)) --output-tokens 256
  done
  echo "== 1,000 concurrent streams (joulebench client)"
  "$build/bench/openai_client_throughput" --url "$server_url" --concurrency 1000 \
    --requests 3000 --output-tokens 128
  kill "$server_pid"
  server_pid=
}

case $what in
  sampler) sampler ;;
  analyze) analyze ;;
  openai) openai ;;
  all) sampler; analyze; openai ;;
  *) echo "error: unknown benchmark '$what' (sampler, analyze, openai or all)" >&2; exit 2 ;;
esac
