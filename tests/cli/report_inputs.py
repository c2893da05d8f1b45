"""Real result documents for the report tests: `joulebench run` against the fake NVML, one
run per precision, and a power trace that lines up with a run's measured windows."""
import json
import statistics

from conftest import FAKE_NVML, run

POWER_W = {"fp16": 200.0, "nf4": 150.0}
SCRIPT = ('echo "begin decode" > "$JOULEBENCH_CONTROL"; sleep 0.15; '
          'echo "tokens 60" > "$JOULEBENCH_CONTROL"; echo "end decode" > "$JOULEBENCH_CONTROL"')


def make_runs(directory):
    """Writes fp16.json and nf4.json (3 measured iterations each); returns their paths."""
    paths = {}
    (directory / "scenarios").mkdir()
    for precision, power_w in POWER_W.items():
        scenario = directory / "scenarios" / f"{precision}.json"
        scenario.write_text(json.dumps({"devices": [{"name": "NVIDIA H100 80GB HBM3", "power_w": power_w,
                                                     "counter_update_period_s": 0.001}]}))
        env = {"JOULEBENCH_NVML_LIBRARY": str(FAKE_NVML), "JOULEBENCH_FAKE_NVML_SCENARIO": str(scenario)}
        path = directory / f"{precision}.json"
        result = run(["run", "--sensor", "nvml", "--interval", "10ms", "--quiet", "--iterations", "3",
                      "--warmup-iterations", "1", "--label", f"precision={precision}", "--label", "batch=8",
                      "-o", str(path), "--", "sh", "-c", SCRIPT], env=env, timeout=120)
        assert result.returncode in (0, 1), result.stderr
        paths[precision] = str(path)
    return paths


def measured(path, key):
    """The measured iterations' values of `key`, read here independently of joulebench."""
    document = json.loads(open(path).read())
    return [it[key] for it in document["iterations"] if not it["warmup"] and it["exit_code"] == 0]


def mean_of(path, key):
    return statistics.mean(measured(path, key))


def write_trace(path, result_path):
    """A joulebench trace v1 at 100 W, 400 W inside every measured window of the result."""
    document = json.loads(open(result_path).read())
    windows = [(w["start_s"], w["start_s"] + w["duration_s"]) for it in document["iterations"]
               if not it["warmup"] for w in it["windows"]]
    end_s = max(end for _, end in windows) + 0.2
    lines = ["# joulebench-trace v1", '# tool="joulebench test"', "# start_time=2026-11-25T10:00:00Z",
             "# interval_s=0.01",
             '# device index=0 id=nvml:0 sensor=nvml name="NVIDIA H100 80GB HBM3" power_kind=instantaneous cap.power=yes',
             "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,"
             "memory_used_bytes,throttle_mask"]
    steps = int(end_s / 0.01)
    for i in range(steps + 1):
        t = i * 0.01
        power = 400.0 if any(lo <= t <= hi for lo, hi in windows) else 100.0
        lines.append(f"{t:.6f},0,{power},,,,,,")
    path.write_text("\n".join(lines) + "\n")
    return str(path)
