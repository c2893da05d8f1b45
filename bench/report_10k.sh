#!/usr/bin/env bash
# How long `joulebench report` takes over 10,000 result documents (the issue asks that it stay
# interactive). Writes N `run` documents (10 measured iterations + 1 warm-up each, labels over
# 4 precisions x 5 batch sizes = 20 configurations, every iteration with a one-GPU measurement
# as `run` writes it) into a temporary directory, then times `report` in each format over the
# directory, imports them into a results store (`runs import`, one array) and times
# `report --label model=8b --db ...` over the 10,000 stored runs.
# Usage: bench/report_10k.sh [BUILD_DIR] [N]   (results: docs/benchmarks.md, "Reports")
set -euo pipefail
build=${1:-build}
count=${2:-10000}
bin="$build/joulebench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/results" "$count" <<'PY'
import json, os, random, sys
out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
rng = random.Random(42)
precisions = {"fp16": 1.0, "fp8": 0.7, "int8": 0.8, "nf4": 1.1}
for n in range(count):
    precision = list(precisions)[n % 4]
    batch = [1, 2, 4, 8, 16][(n // 4) % 5]
    base = precisions[precision] * 4.0 / batch ** 0.5
    iterations = []
    for i in range(11):
        j = base * rng.gauss(1.0, 0.03)
        tps = 60.0 * batch ** 0.8 * rng.gauss(1.0, 0.02)
        iterations.append({
            "index": i, "warmup": i == 0, "exit_code": 0, "scope": "command windows",
            "duration_s": 10.0, "peak_power_w": j * tps * 1.2, "output_tokens": tps * 10,
            "tokens_source": "control", "measured_duration_s": 10.0, "output_tokens_per_s": tps,
            "energy_j": j * tps * 10, "idle_energy_j": None, "net_energy_j": None,
            "j_per_output_token": j, "j_per_output_token_net": None, "tokens_per_j": 1 / j,
            "tokens_per_j_net": None, "avg_power_w": j * tps, "figures_reason": None,
            "windows": [{"name": "decode", "start_s": 10.0 * i, "duration_s": 10.0, "energy_j": j * tps * 10,
                         "tokens": tps * 10}],
            "validity": {"verdict": "valid", "checks": []},
            "measurement": {"start_s": 10.0 * i, "duration_s": 10.0, "energy_j": j * tps * 10,
                            "avg_power_w": j * tps, "devices": [{"id": "nvml:0", "name": "NVIDIA H100 80GB HBM3",
                                                                  "energy_j": j * tps * 10, "method": "counter"}]},
            "warnings": []})
    document = {"schema_version": 1, "kind": "run", "command": ["python3", "decode.py"],
                "labels": {"precision": precision, "batch": str(batch), "model": "8b"},
                "start_time": "2026-11-25T10:00:00Z", "interval_s": 0.1, "iterations": iterations,
                "failed_iterations": 0, "validity": {"verdict": "valid", "checks": []},
                "provenance": {"tool": "joulebench", "tool_version": "0.1.0", "host": f"node-{n % 16}",
                               "sensors": ["nvml"], "simulated": False}}
    with open(os.path.join(out, f"run-{n:05d}.json"), "w") as f:
        json.dump(document, f)
PY
python3 - "$work/results" "$work/all.json" <<'PY'
import json, os, sys
folder = sys.argv[1]
with open(sys.argv[2], "w") as f:
    json.dump([json.load(open(os.path.join(folder, name))) for name in sorted(os.listdir(folder))], f)
PY
echo "$count documents, $(du -sh "$work/results" | cut -f1)"
timed() {  # LABEL OUTPUT COMMAND...: wall time and peak memory of one command
  local label=$1 output=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$@"
  read -r seconds kib <"$work/time"
  printf '%-22s %6.2f s  %6d MiB  (%s bytes)\n' "$label" "$seconds" $((kib / 1024)) "$(stat -c %s "$output")"
}
for format in md html csv json; do
  timed "files, $format" "$work/report.$format" "$bin" report "$work/results" --format "$format" -o "$work/report.$format"
done
/usr/bin/time -f "%e" -o "$work/time" "$bin" runs import "$work/all.json" --db "$work/results.db" 2>/dev/null
echo "runs import of $count documents: $(cat "$work/time") s"
for format in md html; do
  timed "store, $format" "$work/store.$format" \
    "$bin" report --label model=8b --db "$work/results.db" --format "$format" -o "$work/store.$format"
done
