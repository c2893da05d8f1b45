#!/usr/bin/env bash
# `joulebench fleet --metrics dcgm` over a week of a GPU fleet in VictoriaMetrics, as
# dcgm-exporter and vLLM would have written it: per GPU DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION
# (mJ) and DCGM_FI_DEV_POWER_USAGE (W) with dcgm-exporter's labels and Kubernetes pod
# mapping, per pod vllm:generation_tokens_total{model_name}. 8 GPUs to a host, one vLLM pod
# (and model) per host; every fifth model idle, the others on a daily cycle.
# The history goes in through /api/v1/import (JSON lines, a series per line), then fleet runs
# once under /usr/bin/time: wall, peak RSS and CPU seconds. fleet is single-threaded and
# blocks while the back end works, so wall - fleet's CPU is the time spent waiting on
# VictoriaMetrics (query evaluation and transfer).
#
#   usage: bench/fleet_victoria.sh BUILD_DIR [GPUS] [DAYS]      (defaults 10000 and 7)
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [GPUS] [DAYS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
gpus=${2:-10000}
days=${3:-7}
for tool in victoria-metrics curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (scripts/install-deps.sh --bench)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill "${vm_pid:-}" 2>/dev/null && wait "$vm_pid" 2>/dev/null; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
# Long queries over 10,000 GPUs: lift the 30 s query limit; no result cache, so the figure
# is a cold query.
victoria-metrics -storageDataPath="$work/data" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
  -search.maxQueryDuration=30m -search.disableCache -loggerLevel=ERROR 2>"$work/vm.log" &
vm_pid=$!
for _ in $(seq 300); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done

end=$(( $(date +%s) / 60 * 60 - 300 ))
echo "generating and importing $gpus GPUs x $days days at 1-minute steps..." >&2
start_import=$(date +%s.%N)
python3 - "$url" "$gpus" "$days" "$end" <<'PY'
import json, math, sys, urllib.request
url, gpus, days, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
step = 60
start = end - days * 86400 - 3600          # an hour before the range, for rate()'s window
times = list(range(start, end + 1, step))
stamps = ",".join(str(t * 1000) for t in times)
pods = (gpus + 7) // 8
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Load of each pod at each step, every fifth pod idle, the others on a daily cycle: the
# sine is tabulated once per phase (one in 64) so that the generator keeps up with the import.
phases = 64
cycle = [[0.5 + 0.45 * math.sin(2 * math.pi * (t / 86400.0 + p / phases)) for t in times] for p in range(phases)]
idle = [0.0] * len(times)
def load(pod):
    return idle if pod % 5 == 4 else cycle[pod % phases]
def line(metric, values_text):
    return '{"metric":' + json.dumps(metric) + ',"values":[' + values_text + '],"timestamps":[' + stamps + ']}\n'
def text(values):
    return ",".join(map(str, values))
def post(lines):
    body = "".join(lines).encode()
    request = urllib.request.Request(url + "/api/v1/import", data=body, method="POST")
    with opener.open(request, timeout=600) as answer:
        assert answer.status in (200, 204), answer.status
batch = []
for pod in range(pods):
    host, name = f"gpu-node-{pod:05d}", f"vllm-model-{pod:05d}-0"
    shape = load(pod)
    # The GPUs of a pod draw alike: their values are formatted once.
    watts = [round(60 + 300 * x) for x in shape]
    energy, total = [], 0
    for w in watts:
        total += w * step * 1000                     # millijoules since boot
        energy.append(total)
    watts_text, energy_text = text(watts), text(energy)
    for i in range(min(8, gpus - pod * 8)):
        labels = {"gpu": str(i), "UUID": f"GPU-{pod:05d}{i:03d}-7c1e-4b1a-9d1f-{pod:012x}",
                  "pci_bus_id": f"00000000:{7 + i:02X}:00.0", "device": f"nvidia{i}",
                  "modelName": "NVIDIA A100-SXM4-80GB", "Hostname": host, "DCGM_FI_DRIVER_VERSION": "535.104.05",
                  "namespace": "inference", "pod": name, "container": "vllm",
                  "instance": f"{host}:9400", "job": "dcgm-exporter"}
        batch.append(line({"__name__": "DCGM_FI_DEV_POWER_USAGE", **labels}, watts_text))
        batch.append(line({"__name__": "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", **labels}, energy_text))
    tokens, total = [], 0
    for x in shape:
        total += round(2000 * x * step)
        tokens.append(total)
    batch.append(line({"__name__": "vllm:generation_tokens_total", "model_name": f"model-{pod:05d}",
                       "namespace": "inference", "pod": name, "container": "vllm",
                       "instance": f"10.1.{pod // 250}.{pod % 250}:8000", "job": "vllm"}, text(tokens)))
    if len(batch) >= 400:
        post(batch)
        batch = []
if batch:
    post(batch)
PY
curl -sf "$url/internal/force_flush" >/dev/null
import_s=$(echo "$(date +%s.%N) - $start_import" | bc)
samples=$(curl -s "$url/api/v1/query" --data-urlencode "query=sum(count_over_time({__name__=~\"DCGM_FI_DEV_.*|vllm:generation_tokens_total\"}[$((days * 86400 + 3600))s]))" \
  --data-urlencode "time=$end" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
echo "imported $samples samples in $import_s s" >&2

/usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$build/joulebench" fleet --prometheus "$url" \
  --range "${days}d" --step 1m --end "$end" --timeout 1800s --max-answer-mib 1024 --format json -o "$work/fleet.json"
read -r wall_s rss_kib user_s sys_s < "$work/time.txt"
vm_rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$vm_pid/status")
python3 - "$work/fleet.json" "$wall_s" "$rss_kib" "$user_s" "$sys_s" "$vm_rss_kib" "$gpus" "$days" "$samples" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
wall, rss, user, sys_s, vm_rss = (float(v) for v in sys.argv[2:7])
gpus, days, samples = sys.argv[7], sys.argv[8], sys.argv[9]
cpu = user + sys_s
print(f"GPUs {gpus}, days {days}, samples stored {samples}")
print(f"fleet wall {wall:.1f} s, peak RSS {rss / 1024:.0f} MiB, CPU {cpu:.1f} s "
      f"(user {user:.1f} + sys {sys_s:.1f})")
print(f"waiting on VictoriaMetrics {wall - cpu:.1f} s = {100 * (wall - cpu) / wall:.0f}% of the wall time")
print(f"victoria-metrics peak RSS {vm_rss / 1024:.0f} MiB")
print(f"models {len(doc['models'])}, series received {doc['series_received']}, "
      f"points received {doc['points_received']}")
print(f"source: {doc['source']}")
PY
