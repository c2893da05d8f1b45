#!/usr/bin/env bash
# The README's main job on a machine without a GPU: `joulebench bench openai` end to end
# against the project's test LLM server, measured on SIMULATED hardware (the fake NVML
# library from tests/fake_nvml, whose power follows the server's load), results written.
#
#   scripts/demo.sh BUILD_DIR OUT_DIR
#
# Nothing here is a measurement of real hardware: the device is named "SIMULATED ..." and
# every result carries the label hardware=simulated. On a GPU machine, point
# `joulebench bench openai` at your own server instead (see the README).
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
work=$(mktemp -d)
server_pid=
trap '[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

# The simulated serving stack: 20 ms per decode step, at most 16 streams decoding at once
# (more wait in a queue, as in a real engine's scheduler), and a GPU drawing 70 W idle plus
# 20 W per decoding stream.
"$build/tests/joulebench-test-llm-server" --port 0 --token-delay-ms 20 --batch-limit 16 \
  --load-file "$work/load.txt" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do
  grep -q "listening on" "$work/server.log" 2>/dev/null && break
  sleep 0.05
done
address=$(grep -o '127.0.0.1:[0-9]*' "$work/server.log" | head -1)
if [[ -z $address ]]; then
  echo "error: the test LLM server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

cat >"$work/scenario.json" <<JSON
{"driver_version": "simulated (joulebench fake NVML)",
 "devices": [{"name": "SIMULATED H100 80GB (fake NVML)", "load_file": "$work/load.txt",
              "idle_power_w": 70, "power_per_load_w": 20, "counter_update_period_s": 0.1,
              "gpu_utilization_pct": 85, "power_limit_w": 700}]}
JSON

echo "demo: SIMULATED hardware (fake NVML) and a test LLM server at http://$address" >&2
JOULEBENCH_NVML_LIBRARY="$build/tests/libjoulebench_fake_nvml.so" \
JOULEBENCH_FAKE_NVML_SCENARIO="$work/scenario.json" \
  "$build/joulebench" bench openai --url "http://$address/v1" --model joulebench-test-model \
    --sensor nvml --concurrency 1,4,16,32 --prompt-tokens 128 --output-tokens 64 \
    --warmup 2s --duration 8s --idle 3s --min-duration 8s --slo-ttft-ms 500 \
    --idle-baseline-file "$work/idle-baselines.json" \
    --label hardware=simulated --label server=joulebench-test-llm-server \
    --db "$out/results.db" --trace "$out/demo-trace.csv" \
    --output "$out/demo-bench-openai.json" --csv "$out/demo-bench-openai.csv"
echo "demo: results in $out/demo-bench-openai.json and $out/demo-bench-openai.csv" >&2
# One self-contained page with charts (power over time with each level's window shaded,
# J/token against concurrency) from the stored run and its trace.
"$build/joulebench" report --label hardware=simulated --db "$out/results.db" --format html -o "$out/demo-report.html"
echo "demo: report in $out/demo-report.html (open it in a browser; it loads nothing)" >&2
# What the result costs at the seed's three electricity prices, from the stored run.
"$build/joulebench" cost "$out/demo-bench-openai.json" --hardware-cost 30000 --region WORLD
"$build/joulebench" runs --db "$out/results.db" list
