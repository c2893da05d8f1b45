"""Power-limit and clock sweeps (--power-limits, --gpu-clocks, --mem-clocks) against the fake
NVML, whose settings persist in a state file like a real GPU's: every setting is measured, the
GPU always ends as it was found, and a killed sweep is undone by `joulebench restore`."""
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import BIN, run

BUSY_POWER_W = 600.0
UUID = "GPU-5eed0000-0000-0000-0000-000000000001"

# A workload whose speed follows the fake GPU's settings, as a real model's would: slower
# with a locked clock (linear) and under a limit below its power (square root).
WORKLOAD = r"""
import json, os, sys, time
state = {}
try:
    state = json.load(open(os.environ["JOULEBENCH_FAKE_NVML_STATE_FILE"])).get(sys.argv[1], {})
except (OSError, ValueError):
    pass
limit_w = state.get("power_limit_mw", 700000) / 1000
clock = state.get("gpu_locked_mhz", [1980, 1980])[1]
speed = min(1.0, clock / 1980) * min(1.0, limit_w / 600) ** 0.5
control = open(os.environ["JOULEBENCH_CONTROL"], "w")
control.write("begin decode\n"); control.flush()  # the window leaves python's start-up out
time.sleep(float(sys.argv[2]) / speed)
control.write("tokens 100\nend decode\n"); control.flush()
"""


def device(**extra):
    return {"name": "NVIDIA H100 80GB HBM3", "uuid": UUID, "power_w": BUSY_POWER_W,
            "power_limit_w": 700, "power_limit_min_w": 200, "counter_update_period_s": 0.001,
            "graphics_clocks_mhz": [1980, 1500, 1200, 990], "memory_clocks_mhz": [2619, 1593],
            **extra}


@pytest.fixture
def gpu(tmp_path):
    """Returns a function giving the env of a fake GPU (scenario, state file, own journal)."""

    def make(**extra):
        scenario = tmp_path / "scenario.json"
        scenario.write_text(json.dumps({"devices": [device(**extra)]}))
        return {"JOULEBENCH_NVML_LIBRARY": str(BIN.parent / "tests" / "libjoulebench_fake_nvml.so"),
                "JOULEBENCH_FAKE_NVML_SCENARIO": str(scenario),
                "JOULEBENCH_FAKE_NVML_STATE_FILE": str(tmp_path / "gpu-state.json"),
                "XDG_DATA_HOME": str(tmp_path / "data"),
                "JOULEBENCH_DB": str(tmp_path / "results.db")}

    return make


def gpu_state(env):
    path = env["JOULEBENCH_FAKE_NVML_STATE_FILE"]
    if not os.path.exists(path):
        return None
    return json.load(open(path)).get(UUID)


def journal_path(env):
    return os.path.join(env["XDG_DATA_HOME"], "joulebench", "gpu-restore.json")


def workload(seconds=0.2):
    return ["python3", "-c", WORKLOAD, UUID, str(seconds)]


def sweep(env, *flags, seconds=0.2):
    return run(["run", "--sensor", "nvml", "--interval", "10ms", "--iterations", "3",
                "--warmup-iterations", "0", "--min-iterations", "3", "--min-duration", "0s",
                *flags, "--", *workload(seconds)], env=env, timeout=180)


def test_power_limit_sweep_measures_each_setting_and_ends_as_found(gpu, tmp_path):
    env = gpu()
    out = tmp_path / "sweep.json"
    result = sweep(env, "--power-limits", "400,default", "--max-slowdown", "30%", "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["kind"] == "gpu-settings-sweep"
    by_name = {s["setting"]: s for s in doc["settings"]}
    assert list(by_name) == ["power-limit 400 W", "power-limit default"]
    capped, default = by_name["power-limit 400 W"], by_name["power-limit default"]
    assert capped["requested"] == {"power_limit_w": 400}
    assert default["requested"] == {"power_limit_w": "default"}
    assert capped["read_back"][0]["power_limit_w"] == 400
    assert default["read_back"][0]["power_limit_w"] == 700
    assert capped["settled"] is True
    # The fake caps the power at the limit; the workload slows down less than power drops.
    assert capped["figures"]["avg_power_w"]["mean"] == pytest.approx(400, rel=0.03)
    assert default["figures"]["avg_power_w"]["mean"] == pytest.approx(BUSY_POWER_W, rel=0.03)
    assert capped["figures"]["avg_power_w"]["n"] == 3
    ci = capped["figures"]["tokens_per_j"]["ci95"]
    assert ci["lower"] <= capped["figures"]["tokens_per_j"]["mean"] <= ci["upper"]
    assert doc["baseline"] == "power-limit default"
    assert doc["most_efficient"] == "power-limit 400 W"
    assert doc["most_efficient_within_slowdown"] == "power-limit 400 W"
    assert doc["max_slowdown_pct"] == 30
    [line] = doc["comparisons"]
    assert re.fullmatch(r"power-limit 400 W: power -33% \(p < 0\.001\), "
                        r"throughput [+-]\d+% \(p [<=] [0-9.e-]+\), tokens/J \+\d+% \(p [<=] [0-9.e-]+\)",
                        line), line
    # Ends as found: the limit back at the default, the journal gone.
    assert gpu_state(env) == {}
    assert not os.path.exists(journal_path(env))
    assert "restored GPU 0" in result.stderr
    # Each setting's run was stored with the setting it ran at, requested and read back.
    runs = run(["runs", "export", "--label", "power_limit_w=400"], env=env)
    assert runs.returncode == 0, runs.stderr
    [stored] = json.loads(runs.stdout)
    labels = stored["labels"]
    assert labels["power_limit_read_back_w"] == "400"
    assert labels["gpu_sweep"] == doc["sweep_id"]
    # report draws tokens/J and throughput against the limit, with confidence intervals.
    page = tmp_path / "report.html"
    drawn = run(["report", "--label", "gpu_sweep=" + doc["sweep_id"], "--format", "html",
                 "-o", str(page)], env=env)
    assert drawn.returncode == 0, drawn.stderr
    html = page.read_text()
    for chart in ("chart-power_limit_w-tokens_per_j", "chart-power_limit_w-output_tokens_per_s"):
        assert f'id="{chart}"' in html
    section = html[html.index('id="chart-power_limit_w-tokens_per_j"'):]
    assert section.index("400 W") < section.index("default")  # by limit, the default last
    assert "95% confidence interval" in section


def test_clock_sweep_locks_and_unlocks_the_graphics_clock(gpu, tmp_path):
    env = gpu()
    out = tmp_path / "sweep.json"
    result = sweep(env, "--gpu-clocks", "990,max", "--settle-timeout", "5s", "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    locked, unlocked = doc["settings"]
    assert locked["setting"] == "gpu-clock 990 MHz" and unlocked["setting"] == "gpu-clock max"
    assert locked["read_back"][0]["graphics_clock_mhz"] == 990
    # Half the clock: half the power in the fake.
    assert locked["figures"]["avg_power_w"]["mean"] == pytest.approx(300, rel=0.03)
    assert unlocked["figures"]["avg_power_w"]["mean"] == pytest.approx(BUSY_POWER_W, rel=0.03)
    assert gpu_state(env) == {}


def test_out_of_range_values_are_refused_before_anything_changes(gpu):
    env = gpu()
    for flags, words in [(["--power-limits", "400,800"], ["--power-limits", "800 W", "200-700 W"]),
                         (["--gpu-clocks", "2500"], ["--gpu-clocks", "2500 MHz", "990-1980 MHz"]),
                         (["--mem-clocks", "3000"], ["--mem-clocks", "3000 MHz", "1593-2619 MHz"]),
                         (["--power-limits", "lots"], ["--power-limits", "'lots'"]),
                         (["--power-limits", "400", "--max-slowdown", "150%"], ["--max-slowdown"])]:
        result = sweep(env, *flags)
        assert result.returncode == 2, (flags, result.stderr)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error: ")
        assert all(word in line for word in words), line
        assert gpu_state(env) is None, flags
        assert not os.path.exists(journal_path(env))


def test_no_permission_is_one_line_naming_root_and_changes_nothing(gpu):
    env = gpu(failures=[{"function": "nvmlDeviceSetPowerManagementLimit", "error": "NO_PERMISSION"}])
    result = sweep(env, "--power-limits", "400,default")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "needs root" in line and "NO_PERMISSION" in line and "nothing was changed" in line
    assert gpu_state(env) is None
    assert not os.path.exists(journal_path(env))


def test_unsupported_settings_are_refused(gpu):
    env = gpu(unsupported=["nvmlDeviceGetPowerManagementLimitConstraints",
                           "nvmlDeviceGetSupportedMemoryClocks"])
    result = sweep(env, "--power-limits", "400")
    assert result.returncode == 2
    assert "cannot change its power limit" in result.stderr and "Not Supported" in result.stderr
    result = sweep(env, "--gpu-clocks", "1200")
    assert result.returncode == 2
    assert "cannot lock its graphics clock" in result.stderr
    assert gpu_state(env) is None


def test_dry_run_prints_the_plan_and_the_journal_and_changes_nothing(gpu):
    env = gpu()
    result = run(["run", "--power-limits", "300,default", "--gpu-clocks", "1200,max",
                  "--mem-clocks", "1593", "--dry-run", "--", "true"], env=env)
    assert result.returncode == 0, result.stderr
    assert "setting 1/4: power-limit 300 W, gpu-clock 1200 MHz, mem-clock 1593 MHz" in result.stdout
    assert "setting 4/4: power-limit default, gpu-clock max, mem-clock 1593 MHz" in result.stdout
    journal = json.loads(result.stdout[result.stdout.index("{"):])
    assert journal["kind"] == "gpu-restore-journal"
    [entry] = journal["gpus"]
    assert entry["uuid"] == UUID and entry["power_limit_mw"] == 700000
    assert entry["reset_gpu_clocks"] and entry["reset_memory_clocks"]
    assert journal_path(env) in result.stdout
    assert gpu_state(env) is None and not os.path.exists(journal_path(env))


def test_dry_run_and_max_slowdown_need_a_sweep(gpu):
    for flag in (["--dry-run"], ["--max-slowdown", "10%"], ["--settle-timeout", "1s"]):
        result = run(["run", *flag, "--", "true"], env=gpu())
        assert result.returncode == 2
        assert result.stderr.startswith("error: " + flag[0] + ": needs --power-limits")


def test_bench_commands_take_the_sweep_flags(gpu):
    env = gpu()
    result = run(["bench", "openai", "--url", "http://127.0.0.1:9", "--model", "m",
                  "--power-limits", "250,default", "--dry-run"], env=env)
    assert result.returncode == 0, result.stderr
    assert "setting 1/2: power-limit 250 W" in result.stdout
    result = run(["bench", "synthetic", "--gpu-clocks", "1500,max", "--dry-run"], env=env)
    assert result.returncode == 0, result.stderr
    assert "setting 1/2: gpu-clock 1500 MHz" in result.stdout
    result = run(["bench", "synthetic", "--power-limits", "900"], env=env)
    assert result.returncode == 2 and "200-700 W" in result.stderr
    assert gpu_state(env) is None


def start_sweep(env, tmp_path):
    """Starts a three-setting sweep of long iterations; returns it once the first limit is set."""
    process = subprocess.Popen(
        [str(BIN), "run", "--sensor", "nvml", "--iterations", "2", "--warmup-iterations", "0",
         "--power-limits", "300,400,default", "--", *workload(1.0)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (gpu_state(env) or {}).get("power_limit_mw") == 300000:
            time.sleep(0.5)  # inside the first iteration
            return process
        time.sleep(0.05)
    process.kill()
    pytest.fail("the sweep never set the first power limit")


def test_ctrl_c_mid_sweep_restores_the_gpu(gpu, tmp_path):
    env = gpu()
    process = start_sweep(env, tmp_path)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "sweep interrupted after 1 of 3 settings; GPUs restored" in stderr
    assert gpu_state(env) == {}
    assert not os.path.exists(journal_path(env))


def test_sigterm_mid_sweep_restores_the_gpu(gpu, tmp_path):
    env = gpu()
    process = start_sweep(env, tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert "GPUs restored" in stderr
    assert gpu_state(env) == {}


def test_sigkill_leaves_a_journal_that_the_next_command_reports_and_restore_undoes(gpu, tmp_path):
    env = gpu()
    process = start_sweep(env, tmp_path)
    process.kill()
    process.wait(timeout=30)
    assert gpu_state(env) == {"power_limit_mw": 300000}  # left changed, as on a real GPU
    assert os.path.exists(journal_path(env))

    # Any next command reports it.
    devices = run(["devices", "--sensor", "nvml"], env=env)
    assert "ended without restoring its GPUs" in devices.stderr
    assert "power limit back to 700 W" in devices.stderr
    assert "joulebench restore" in devices.stderr
    # A new sweep refuses to start over it.
    refused = sweep(env, "--power-limits", "400")
    assert refused.returncode == 2
    assert "run `joulebench restore` first" in refused.stderr

    dry = run(["restore", "--dry-run"], env=env)
    assert dry.returncode == 0, dry.stderr
    assert "would restore GPU 0" in dry.stdout
    assert gpu_state(env) == {"power_limit_mw": 300000}

    restored = run(["restore", "--json"], env=env)
    assert restored.returncode == 0, restored.stderr
    doc = json.loads(restored.stdout)
    assert doc["kind"] == "gpu-restore" and doc["journal_removed"] is True
    [entry] = doc["gpus"]
    assert entry["uuid"] == UUID and entry["restored"] is True
    assert gpu_state(env) == {}
    assert not os.path.exists(journal_path(env))

    again = run(["restore"], env=env)
    assert again.returncode == 0
    assert "nothing to restore" in again.stdout
    assert "ended without restoring" not in again.stderr


def test_restore_touches_only_the_journaled_gpus(gpu, tmp_path):
    env = gpu()
    os.makedirs(os.path.dirname(journal_path(env)), exist_ok=True)
    other = "GPU-0the0000-0000-0000-0000-000000000009"
    journal = {"kind": "gpu-restore-journal", "pid": 2 ** 22 + 7, "started_at": "t", "command": "run",
               "gpus": [{"uuid": other, "index": 1, "name": "gone", "power_limit_mw": 500000,
                         "reset_gpu_clocks": False, "reset_memory_clocks": False}]}
    with open(journal_path(env), "w") as f:
        json.dump(journal, f)
    result = run(["restore"], env=env)
    assert result.returncode == 1
    assert "no GPU with UUID " + other in result.stdout
    assert gpu_state(env) is None  # the present GPU was not touched
    assert os.path.exists(journal_path(env))  # kept for a later try


def test_restore_help():
    result = run(["restore", "--help"])
    assert result.returncode == 0
    assert "--dry-run" in result.stdout and "--json" in result.stdout


def test_bench_openai_sweep_runs_every_level_at_each_setting_and_answers_within_the_slo(
        gpu, tmp_path):
    from test_bench_openai import SERVER
    load_file = tmp_path / "load.txt"
    server = subprocess.Popen([str(SERVER), "--port", "0", "--token-delay-ms", "10",
                               "--load-file", str(load_file)], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        url = f"http://{line.split(' ')[-1]}/v1"
        env = gpu()
        result = run(["bench", "openai", "--json", "--url", url, "--model", "test-model",
                      "--sensor", "nvml", "--interval", "10ms", "--output-tokens", "20",
                      "--prompt-tokens", "16", "--warmup", "0.3s", "--min-duration", "0.5s",
                      "--concurrency", "1,2", "--duration", "1s", "--slo-ttft-ms", "10000",
                      "--power-limits", "400,default", "--max-slowdown", "50%"],
                     env=env, timeout=180)
        assert result.returncode in (0, 1), result.stderr
        doc = json.loads(result.stdout)
        assert doc["command"] == "bench openai"
        assert [s["setting"] for s in doc["settings"]] == ["power-limit 400 W",
                                                            "power-limit default"]
        assert all(s["slo_met"] is True for s in doc["settings"])
        assert doc["most_efficient_within_slo"] in ("power-limit 400 W", "power-limit default")
        assert doc["settings"][0]["read_back"][0]["power_limit_w"] == 400
        assert gpu_state(env) == {}
        assert not os.path.exists(journal_path(env))
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_command_that_cannot_start_still_ends_with_the_gpu_restored(gpu):
    env = gpu()
    result = run(["run", "--sensor", "nvml", "--iterations", "1", "--power-limits", "300,default",
                  "--", "/nonexistent/joulebench-no-such-command"], env=env, timeout=120)
    assert result.returncode == 127, result.stderr
    assert "restored GPU 0" in result.stderr
    assert gpu_state(env) == {}
    assert not os.path.exists(journal_path(env))


def test_a_limit_that_cannot_be_read_back_is_not_swept(gpu):
    env = gpu(unsupported=["nvmlDeviceGetPowerManagementLimit",
                           "nvmlDeviceGetPowerManagementDefaultLimit"])
    result = sweep(env, "--power-limits", "400")
    assert result.returncode == 2
    assert "could not be put back; nothing was changed" in result.stderr
    assert gpu_state(env) is None
