#!/usr/bin/env bash
# `joulebench fleet` over a week of a 1,000-GPU fleet in a real Prometheus: the history is
# generated as OpenMetrics, one file per 2-hour block (promtool reads its whole input once
# per block it writes, so one big file would be parsed 84 times), loaded with
# `promtool tsdb create-blocks-from openmetrics`, and served by `prometheus`. Then fleet runs
# once under /usr/bin/time: wall seconds, peak RSS, and how many series and points it
# received, which shows the per-GPU series were summed inside Prometheus.
#
#   usage: bench/fleet_prometheus.sh BUILD_DIR [GPUS] [DAYS]      (defaults 1000 and 7)
# GPUs are 8 to a host and a model (GPUS/8 models); one step is one minute.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [GPUS] [DAYS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
gpus=${2:-1000}
days=${3:-7}
for tool in prometheus promtool /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (scripts/install-deps.sh --bench)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill "${prometheus_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/om" "$work/data"

echo "generating $gpus GPUs x $days days at 1-minute steps..." >&2
start_gen=$(date +%s.%N)
python3 - "$work/om" "$gpus" "$days" <<'PY'
import math, os, sys, time
out_dir, gpus, days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
step, block = 60, 7200
end = int(time.time()) // step * step - 300
start = end - days * 86400 - 3600          # an hour before the range, for rate()'s window
models = (gpus + 7) // 8
heads = []
for g in range(gpus):
    m, i = divmod(g, 8)
    heads.append((m, f'joulebench_gpu_power_watts{{gpu="{i}",uuid="GPU-{g:06d}",name="NVIDIA A100-SXM4-80GB",'
                     f'hostname="node-{m:04d}",model="model-{m:04d}"}} '))
# Every fifth model is idle; the others follow a daily cycle of traffic.
def load(m, t):
    if m % 5 == 4:
        return 0.0
    return 0.5 + 0.45 * math.sin(2 * math.pi * (t / 86400.0 + m / models))
tokens = [0.0] * models
first = start // block * block
for block_start in range(first, end + 1, block):
    times = [t for t in range(max(block_start, start), min(block_start + block, end + 1), step)]
    if not times:
        continue
    lines = ["# TYPE joulebench_gpu_power_watts gauge\n"]
    for m, head in heads:
        lines.extend(f"{head}{60 + 300 * load(m, t):.1f} {t}\n" for t in times)
    lines.append("# TYPE joulebench_tokens counter\n")
    for m in range(models):
        head = f'joulebench_tokens_total{{model="model-{m:04d}"}} '
        for t in times:
            tokens[m] += 2000.0 * load(m, t) * step
            lines.append(f"{head}{tokens[m]:.0f} {t}\n")
    lines.append("# EOF\n")
    with open(os.path.join(out_dir, f"{block_start}.om"), "w") as f:
        f.writelines(lines)
PY
files=$(ls "$work/om" | wc -l)
bytes=$(du -sb "$work/om" | cut -f1)
echo "generated $files files, $((bytes / 1048576)) MiB in $(echo "$(date +%s.%N) - $start_gen" | bc) s" >&2

start_load=$(date +%s.%N)
# Two at a time (the blocks do not overlap); each writes its block into its own folder first.
ls "$work/om"/*.om | xargs -P 2 -I{} sh -c 'promtool tsdb create-blocks-from openmetrics -q "$1" "$2/data" >/dev/null' _ {} "$work"
echo "promtool loaded $(ls "$work/data" | wc -l) blocks in $(echo "$(date +%s.%N) - $start_load" | bc) s" >&2
rm -rf "$work/om"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'global: {scrape_interval: 1m}\nscrape_configs: []\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --storage.tsdb.retention.time=60d --web.listen-address="127.0.0.1:$port" 2>"$work/prometheus.log" &
prometheus_pid=$!
for _ in $(seq 300); do
  curl -sf --noproxy '*' "http://127.0.0.1:$port/-/ready" >/dev/null && break
  sleep 0.5
done
curl -sf --noproxy '*' "http://127.0.0.1:$port/-/ready" >/dev/null || { echo "error: prometheus not ready" >&2; tail "$work/prometheus.log" >&2; exit 1; }

url="http://127.0.0.1:$port"
# The power query alone through curl: Prometheus' share of the time (evaluation + JSON).
end_s=$(( $(date +%s) / 60 * 60 )); start_s=$(( end_s - days * 86400 ))
/usr/bin/time -f "%e" -o "$work/curl_time" curl -sf --noproxy '*' -o "$work/power.json" -G "$url/api/v1/query_range" \
  --data-urlencode 'query=sum by (model) (joulebench_gpu_power_watts{model!=""})' \
  -d start="$start_s" -d end="$end_s" -d step=60
echo "power query alone (curl): $(cat "$work/curl_time") s, $(( $(stat -c %s "$work/power.json") / 1048576 )) MiB of JSON"
for run in warm-up measured; do
  /usr/bin/time -f "%e %M" -o "$work/time" "$build/joulebench" fleet --prometheus "$url" --range "${days}d" \
    --step 1m --timeout 300s --format json -o "$work/fleet.json"
done
read -r seconds peak_kb < "$work/time"
python3 - "$work/fleet.json" "$gpus" "$days" "$seconds" "$peak_kb" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
gpus, days, seconds, peak_kb = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
stored = gpus * days * 1440
models = doc["models"]
print(f"fleet over {gpus} GPUs x {days} d at 1 min: {stored:,} power samples stored in Prometheus")
print(f"joulebench fleet: {seconds:.2f} s wall, {peak_kb / 1024:.1f} MiB peak RSS")
print(f"received {doc['series_received']} series, {doc['points_received']:,} points "
      f"({len(models)} models; {sum(m['consolidation']['candidate'] for m in models)} consolidation candidates)")
PY
