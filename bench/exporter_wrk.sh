#!/usr/bin/env bash
# The exporter under load: `wrk` hammers /metrics on loopback while the exporter samples an
# 8-GPU fake NVML; reports scrapes per second and whether sampling stayed on schedule
# (joulebench_sampling_missed_rounds_total before and after; it must not grow).
#
#   usage: bench/exporter_wrk.sh BUILD_DIR [SECONDS]     (needs wrk: scripts/install-deps.sh --bench)
# BUILD_DIR holds the joulebench binary and tests/libjoulebench_fake_nvml.so (a Release build
# for published figures).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=${2:-20}
command -v wrk >/dev/null || { echo "error: wrk not found (scripts/install-deps.sh --bench)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "${exporter_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Eight H100s at constant load: the /metrics page of a full node (about 12 KB).
python3 - "$work/scenario.json" <<'PY'
import json, sys
gpu = lambda i: {"name": "NVIDIA H100 80GB HBM3", "uuid": f"GPU-{i:08x}-0000-0000-0000-000000000000",
                 "power_w": 400 + 10 * i, "temperature_c": 60, "gpu_utilization_pct": 90,
                 "memory_used_bytes": 60 << 30}
json.dump({"devices": [gpu(i) for i in range(8)]}, open(sys.argv[1], "w"))
PY
export JOULEBENCH_NVML_LIBRARY="$build/tests/libjoulebench_fake_nvml.so"
export JOULEBENCH_FAKE_NVML_SCENARIO="$work/scenario.json"

metric() {  # metric URL NAME: the value of an unlabelled metric
  curl -s --noproxy '*' "$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'
}

for interval in 100ms 1s; do
  "$build/joulebench" exporter --sensor nvml --listen 127.0.0.1:0 --interval "$interval" \
    --idle-baseline-file /nonexistent/idle.json --json --output "$work/summary.json" \
    2>"$work/stderr" &
  exporter_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/stderr" && break; sleep 0.05; done
  url=$(awk '/listening on/ { print $3 }' "$work/stderr")
  sleep 1
  missed_before=$(metric "$url" joulebench_sampling_missed_rounds_total)
  rounds_before=$(metric "$url" joulebench_sampling_rounds_total)
  bytes=$(curl -s --noproxy '*' "$url/metrics" | wc -c)
  echo "== interval $interval: wrk -t2 -c32 -d${seconds}s $url/metrics ($bytes bytes a page)"
  wrk -t2 -c32 -d"${seconds}s" "$url/metrics" | grep -E "Requests/sec|Latency|requests in|Non-2xx|Socket errors"
  missed_after=$(metric "$url" joulebench_sampling_missed_rounds_total)
  rounds_after=$(metric "$url" joulebench_sampling_rounds_total)
  kill -TERM "$exporter_pid"
  wait "$exporter_pid" || true
  echo "sampling rounds during the run: $((rounds_after - rounds_before)); missed rounds: $missed_before -> $missed_after"
  echo "exporter summary: $(tr -d '\n ' < "$work/summary.json")"
done
