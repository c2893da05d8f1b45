"""`joulebench monitor` end to end on the replay sensor (no GPU needed)."""
import json
import signal
import subprocess
import time

import pytest

from conftest import BIN, DATA, ctrl_c_three_times, run, run_json

A100 = DATA / "nvidia-smi" / "A100-transient.csv"


def constant_trace(tmp_path, watts=100.0, seconds=60, step=0.1):
    """An nvidia-smi log with constant power, so energy = watts x time exactly."""
    lines = ["timestamp, index, name, power.draw [W], power.draw.instant [W]"]
    step_ms = int(round(step * 1000))
    for t_ms in range(0, seconds * 1000 + 1, step_ms):
        whole, millis = divmod(t_ms, 1000)
        lines.append(f"2024/01/01 00:{whole // 60:02d}:{whole % 60:02d}.{millis:03d}, 0, Test GPU, "
                     f"{watts:.2f} W, {watts:.2f} W")
    path = tmp_path / "constant.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_monitor_writes_the_documented_json(tmp_path):
    out = tmp_path / "run.json"
    result = run(["monitor", "--sensor", f"replay:{A100}", "--interval", "20ms",
                  "--output", str(out), "--", "sleep", "1"])
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    for key in ("schema_version", "command", "exit_code", "start_time", "duration_s",
                "interval_s", "energy_j", "avg_power_w", "peak_power_w", "devices", "warnings"):
        assert key in doc, key
    assert doc["command"] == ["sleep", "1"]
    assert doc["exit_code"] == 0
    assert doc["interval_s"] == 0.02
    assert doc["start_time"].endswith("Z") and "T" in doc["start_time"]
    assert doc["provenance"]["simulated"] is True
    assert doc["provenance"]["replay_sources"] == [str(A100)]
    device = doc["devices"][0]
    for key in ("id", "name", "uuid", "sensor", "method", "energy_j", "avg_power_w",
                "peak_power_w", "samples", "temperature_c", "gpu_utilization_pct",
                "throttle_events"):
        assert key in device, key
    assert device["sensor"] == "replay"
    # An nvidia-smi log has no energy counter: energy is integrated, and says so.
    assert device["method"] == "integrated"
    assert device["counter_energy_j"] is None
    assert device["samples"] >= 2
    # The first second of this A100 trace is idle at 56-60 W.
    assert 50.0 < device["avg_power_w"] < 65.0
    assert abs(doc["avg_power_w"] * doc["duration_s"] - doc["energy_j"]) < 1e-6 * doc["energy_j"] + 1e-9
    # The summary table goes to stderr.
    assert "replay:0" in result.stderr


def test_constant_power_gives_power_times_duration(tmp_path):
    trace = constant_trace(tmp_path, watts=250.0)
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", f"replay:{trace}", "--interval", "10ms",
                       "--quiet", "--", "sleep", "0.5"])
    device = doc["devices"][0]
    assert abs(device["avg_power_w"] - 250.0) < 1e-6
    assert abs(device["peak_power_w"] - 250.0) < 1e-9


def test_exit_code_of_the_command_is_passed_through(tmp_path):
    out = tmp_path / "run.json"
    result = run(["monitor", "--sensor", f"replay:{A100}", "--quiet", "--output", str(out),
                  "--", "sh", "-c", "exit 3"])
    assert result.returncode == 3
    assert json.loads(out.read_text())["exit_code"] == 3


def test_command_that_cannot_start_exits_127():
    result = run(["monitor", "-o", "-", "--sensor", f"replay:{A100}", "--quiet", "--",
                  "joulebench-no-such-command"])
    assert result.returncode == 127
    assert "error: command not found: joulebench-no-such-command" in result.stderr


def test_ctrl_c_is_forwarded_and_the_measurement_is_written(tmp_path):
    out = tmp_path / "run.json"
    ready = tmp_path / "ready"
    script = f"trap 'exit 130' INT; touch {ready}; while :; do sleep 0.05; done"
    process = subprocess.Popen([str(BIN), "monitor", "--sensor", f"replay:{A100}", "--quiet",
                                "--output", str(out), "--", "sh", "-c", script],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ready.exists()
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 130
    doc = json.loads(out.read_text())
    assert doc["interrupted_by"] == "SIGINT"
    assert doc["devices"][0]["samples"] >= 2
    assert doc["energy_j"] > 0


def test_trace_then_analyze_gives_the_same_energy(tmp_path):
    trace = tmp_path / "trace.csv"
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", f"replay:{A100}", "--interval", "10ms", "--quiet",
                       "--trace", str(trace), "--", "sleep", "2"])
    analyzed, _ = run_json(["analyze", str(trace), "--json"])
    assert analyzed["format"] == "joulebench-trace"
    assert abs(analyzed["energy_j"] - doc["energy_j"]) <= 1e-6 * doc["energy_j"]
    assert analyzed["devices"][0]["samples"] == doc["devices"][0]["samples"]


def stored_runs(db):
    listed = run(["runs", "list", "--db", str(db), "--json"])
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.mark.parametrize("command, exit_code, reason", [
    (["joulebench-no-such-command"], 127, "command not found: joulebench-no-such-command"),
    (["sh", "-c", "exit 3"], 3, "exit status 3"),
    (["sh", "-c", "kill -SEGV $$"], 139, "killed by signal SIGSEGV"),
    (["sh", "-c", "kill -KILL $$"], 137, "killed by signal SIGKILL"),
])
def test_a_failed_command_is_stored_as_failed_with_its_exit_status(tmp_path, command, exit_code,
                                                                     reason):
    db = tmp_path / "results.db"
    out = tmp_path / "run.json"
    result = run(["monitor", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db),
                  "--output", str(out), "--", *command])
    # The shell's convention: the command's own code, 128 + N for signal N.
    assert result.returncode == exit_code, result.stderr
    assert reason in result.stderr
    doc = json.loads(out.read_text())
    assert doc["failed_because"] == reason
    assert doc["exit_code"] == exit_code
    [stored] = stored_runs(db)
    assert stored["status"] == "failed"
    shown = run(["runs", "show", stored["id"], "--db", str(db)])
    assert "failed" in shown.stdout


def test_a_command_that_succeeds_has_no_failure(tmp_path):
    db = tmp_path / "results.db"
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db),
                       "--", "true"])
    assert doc["failed_because"] is None
    assert [r["status"] for r in stored_runs(db)] == ["complete"]


def test_repeated_ctrl_c_escalates_to_sigterm_then_sigkill(tmp_path):
    """A command that ignores SIGINT and SIGTERM: the third Ctrl-C kills it, and the
    measurement so far is still written and stored as interrupted."""
    db = tmp_path / "results.db"
    out = tmp_path / "run.json"
    returncode, _, stderr = ctrl_c_three_times(
        ["monitor", "--sensor", f"replay:{A100}", "--quiet", "--db", str(db), "--output", str(out),
         "--"], tmp_path)
    assert returncode == 128 + signal.SIGKILL, stderr
    assert "sending SIGTERM" in stderr and "sending SIGKILL" in stderr
    doc = json.loads(out.read_text())
    assert doc["interrupted_by"] == "SIGINT"
    assert doc["failed_because"] is None
    assert doc["devices"][0]["samples"] >= 2
    assert [r["status"] for r in stored_runs(db)] == ["interrupted"]
