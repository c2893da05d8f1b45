"""Fixtures for the tests of the Python bindings: the package the CMake build puts in
BUILD/python (PYTHONPATH), measuring the fake NVML library with a constant-power scenario."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("JOULEBENCH_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = Path(os.environ.get("JOULEBENCH_BIN", SOURCE_DIR / "build" / "joulebench"))
TEST_BIN_DIR = Path(os.environ.get("JOULEBENCH_TEST_BIN_DIR", BIN.parent / "tests"))
FAKE_NVML = TEST_BIN_DIR / "libjoulebench_fake_nvml.so"

# Two GPUs at constant power without an energy counter: energy is the trapezoid integral of
# constant power, so average power equals the scenario's power exactly, however long a
# window happens to last on a slow machine.
GPU_POWER_W = (100.0, 150.0)
TOTAL_POWER_W = sum(GPU_POWER_W)
GPU_TEMPERATURE_C = (40.0, 45.0)
GPU_MEMORY_USED_BYTES = (1 << 30, 2 << 30)
SCENARIO = {"devices": [
    {"power_w": power, "energy_counter": False, "temperature_c": temperature,
     "memory_used_bytes": memory}
    for power, temperature, memory in zip(GPU_POWER_W, GPU_TEMPERATURE_C, GPU_MEMORY_USED_BYTES)]}

INTERVAL_S = 0.01


def fake_nvml_env(scenario_path):
    return {"JOULEBENCH_NVML_LIBRARY": str(FAKE_NVML),
            "JOULEBENCH_FAKE_NVML_SCENARIO": str(scenario_path),
            # Never touch the host's RAPL zones, AMD GPUs or hwmon devices from a test.
            "JOULEBENCH_POWERCAP_ROOT": "/nonexistent/powercap",
            "JOULEBENCH_AMDSMI_LIBRARY": "/nonexistent/libamd_smi.so",
            "JOULEBENCH_HWMON_ROOT": "/nonexistent/hwmon"}


@pytest.fixture(scope="session", autouse=True)
def fake_nvml_scenario(tmp_path_factory):
    """Points this process at the fake NVML. The fake reads its scenario once per process
    (at the first nvmlInit), so every in-process test shares SCENARIO; a test that needs
    another scenario runs a subprocess (run_python)."""
    assert FAKE_NVML.exists(), f"{FAKE_NVML} not built (target joulebench_fake_nvml)"
    path = tmp_path_factory.mktemp("scenario") / "scenario.json"
    path.write_text(json.dumps(SCENARIO))
    os.environ.update(fake_nvml_env(path))
    os.environ.pop("CUDA_VISIBLE_DEVICES", None)
    return path


@pytest.fixture
def monitor():
    """A running monitor of the two fake GPUs; stopped after the test if still running."""
    import joulebench
    mon = joulebench.EnergyMonitor(sensors="nvml", interval=INTERVAL_S)
    mon.start()
    yield mon
    if mon.running:
        mon.stop()


def run_python(code, env=None, timeout=120):
    """Runs `code` in a fresh interpreter with this process's environment (PYTHONPATH and
    the fake NVML included) plus `env`."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full_env, timeout=timeout)


def run_cli(args, env=None, timeout=60):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout)
