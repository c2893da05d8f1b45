"""Shared fixtures for the end-to-end tests of the joulebench binary."""
import atexit
import json
import os
import shutil
import subprocess
import signal
import tempfile
import time
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("JOULEBENCH_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = Path(os.environ.get("JOULEBENCH_BIN", SOURCE_DIR / "build" / "joulebench"))
TEST_BIN_DIR = Path(os.environ.get("JOULEBENCH_TEST_BIN_DIR", BIN.parent / "tests"))
DATA = SOURCE_DIR / "tests" / "data"
FAKE_NVML = TEST_BIN_DIR / "libjoulebench_fake_nvml.so"

# Results and idle baselines of every joulebench started by these tests (run() and Popen
# alike) go to a directory of this test process, never to the user's data directory.
_DATA_HOME = tempfile.mkdtemp(prefix="joulebench-cli-tests-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME
os.environ["JOULEBENCH_DB"] = os.path.join(_DATA_HOME, "results.db")
atexit.register(shutil.rmtree, _DATA_HOME, True)
# Never measure the host's AMD GPUs or hwmon devices from a test ("auto" tries both); tests
# of those sensors point these at the fakes.
os.environ.setdefault("JOULEBENCH_AMDSMI_LIBRARY", "/nonexistent/libamd_smi.so")
os.environ.setdefault("JOULEBENCH_HWMON_ROOT", "/nonexistent/hwmon")
FAKE_AMDSMI = TEST_BIN_DIR / "libjoulebench_fake_amdsmi.so"


def run(args, env=None, timeout=60, **kwargs):
    """Runs joulebench with `args`; returns the CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    # Never touch a real GPU or the user's baselines from a test.
    full_env.setdefault("JOULEBENCH_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1")
    full_env.setdefault("JOULEBENCH_POWERCAP_ROOT", "/nonexistent/powercap")
    if env:
        full_env.update(env)
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, **kwargs)


def run_json(args, **kwargs):
    result = run(args, **kwargs)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result


@pytest.fixture
def fake_nvml(tmp_path):
    """Returns a function writing a fake-NVML scenario and giving the env to use it."""

    def make(scenario):
        path = tmp_path / "scenario.json"
        path.write_text(json.dumps(scenario))
        return {"JOULEBENCH_NVML_LIBRARY": str(FAKE_NVML),
                "JOULEBENCH_FAKE_NVML_SCENARIO": str(path)}

    return make


def ctrl_c_three_times(args, tmp_path, env=None):
    """Runs joulebench `args` (ending in `--`) over a python3 child that ignores SIGINT and
    SIGTERM, sends it three separate SIGINTs once the child is up, and returns
    (returncode, stdout, stderr)."""
    ready = tmp_path / "ready"
    child = ("import pathlib, signal, time\n"
             "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
             "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
             f"pathlib.Path({str(ready)!r}).touch()\n"
             "while True: time.sleep(0.05)\n")
    process = subprocess.Popen([str(BIN), *args, "python3", "-c", child],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists()
        for _ in range(3):
            time.sleep(0.3)  # separate signals: two pending SIGINTs would merge into one
            process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, stdout, stderr
