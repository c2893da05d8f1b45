"""A fleet as dcgm-exporter and the serving engines write it, for `joulebench fleet --metrics
dcgm` tests: the labels are those of dcgm-exporter with Kubernetes pod mapping (Hostname,
modelName, UUID, pci_bus_id, device, gpu, namespace, pod, container, MIG's GPU_I_PROFILE and
GPU_I_ID) and of vLLM/SGLang/TGI scraped through Kubernetes service discovery.

The fleet (all figures constant over 3 h at 1-minute samples):
- node-1: 2 x A100-SXM4-80GB for pod vllm-llama-0, 300 W each by the energy counter;
  vLLM serves "meta-llama/Llama-3.1-8B-Instruct" at 1000 tok/s -> 0.6 J/token.
- node-2: 4 x RTX A5000 for pod vllm-sleepy-0, 80 W each by the power gauge only (no
  counter); vLLM "sleepy" at 0 tok/s -> a consolidation candidate.
- node-3: one A100 split by MIG into 3g.40gb (pod vllm-small-0, "small" at 100 tok/s) and
  4g.40gb (pod sglang-qwen-0, SGLang "qwen" at 200 tok/s); both instance series report the
  GPU's 280 W -> 120 W and 160 W by compute slices, 1.2 and 0.8 J/token.
- node-4: 1 A100 with no pod (not allocated): in no model.
- node-5: 1 A100 for pod tgi-mistral-0, container "mistral", TGI at 50 tok/s, 150 W.
- joulebench's stored idle baseline for the A100 (50 W); the A5000 has none (catalog's).
"""
A100 = "NVIDIA A100-SXM4-80GB"
A5000 = "NVIDIA RTX A5000"
STEP = 60
SPAN = 180 * 60
TENANT_HEADER = ("X-Scope-OrgID", "team-a")

LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


def _gpu(host, index, model_name, pod=None, container="vllm", mig=None):
    labels = {"gpu": str(index), "UUID": f"GPU-{host}-{index:04d}-7c1e-4b1a-9d1f",
              "pci_bus_id": f"00000000:{7 + index:02X}:00.0", "device": f"nvidia{index}",
              "modelName": model_name, "Hostname": host, "DCGM_FI_DRIVER_VERSION": "535.104.05",
              "instance": f"{host}:9400", "job": "dcgm-exporter"}
    if pod:
        labels.update({"namespace": "inference", "pod": pod, "container": container})
    if mig:
        labels.update({"GPU_I_PROFILE": mig[0], "GPU_I_ID": mig[1]})
    return labels


def _engine(pod, container, **extra):
    return {"namespace": "inference", "pod": pod, "container": container,
            "instance": f"10.0.0.{len(pod)}:8000", "job": "inference-engines", **extra}


def series(end):
    """[(metric name, labels, [(unix_s, value)])] over the SPAN before `end`."""
    times = list(range(end - SPAN, end + 1, STEP))
    t0 = times[0]

    def counter(per_s):
        return [(t, per_s * (t - t0)) for t in times]

    def gauge(value):
        return [(t, value) for t in times]

    out = []
    energy, power = "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "DCGM_FI_DEV_POWER_USAGE"
    gpus = [(_gpu("node-1", i, A100, "vllm-llama-0"), 300.0, True) for i in range(2)]
    gpus += [(_gpu("node-2", i, A5000, "vllm-sleepy-0"), 80.0, False) for i in range(4)]
    gpus += [(_gpu("node-3", 0, A100, "vllm-small-0", mig=("3g.40gb", "1")), 280.0, True),
             (_gpu("node-3", 0, A100, "sglang-qwen-0", container="sglang", mig=("4g.40gb", "2")), 280.0, True),
             (_gpu("node-4", 0, A100), 90.0, True),
             (_gpu("node-5", 0, A100, "tgi-mistral-0", container="mistral"), 150.0, True)]
    for labels, watts, has_counter in gpus:
        out.append((power, labels, gauge(watts)))
        if has_counter:
            out.append((energy, labels, counter(watts * 1000.0)))  # millijoules
    out.append(("vllm:generation_tokens_total", _engine("vllm-llama-0", "vllm", model_name=LLAMA), counter(1000.0)))
    out.append(("vllm:generation_tokens_total", _engine("vllm-sleepy-0", "vllm", model_name="sleepy"), counter(0.0)))
    out.append(("vllm:generation_tokens_total", _engine("vllm-small-0", "vllm", model_name="small"), counter(100.0)))
    out.append(("sglang:generation_tokens_total", _engine("sglang-qwen-0", "sglang", model_name="qwen"), counter(200.0)))
    out.append(("tgi_request_generated_tokens_sum", _engine("tgi-mistral-0", "mistral"), counter(50.0)))
    out.append(("joulebench_gpu_idle_power_watts", {"name": A100, "hostname": "node-1", "gpu": "0"}, gauge(50.0)))
    return out


def _labels_text(labels):
    return ",".join(f'{k}="{v}"' for k, v in labels.items())


def openmetrics(all_series):
    """For promtool tsdb create-blocks-from openmetrics: every family typed gauge (rate() reads
    counters whatever their type), seconds, each family contiguous, '# EOF'."""
    families = {}
    for name, labels, points in all_series:
        families.setdefault(name, []).append((labels, points))
    lines = []
    for name, members in families.items():
        lines.append(f"# TYPE {name} gauge")
        for labels, points in members:
            lines.extend(f"{name}{{{_labels_text(labels)}}} {v:g} {t}" for t, v in points)
    return "\n".join(lines) + "\n# EOF\n"


def exposition(all_series):
    """Prometheus text format with millisecond timestamps, for VictoriaMetrics'
    /api/v1/import/prometheus."""
    lines = []
    for name, labels, points in all_series:
        lines.extend(f"{name}{{{_labels_text(labels)}}} {v:.17g} {t * 1000}" for t, v in points)
    return "\n".join(lines) + "\n"
