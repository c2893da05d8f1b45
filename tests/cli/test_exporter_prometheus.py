"""Live: a real Prometheus scrapes `joulebench exporter` on the fake NVML; the series it
stores carry the values the fake delivered, and the shipped recording rules evaluate on them."""
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse

import pytest

from conftest import SOURCE_DIR
from exporter_helpers import Exporter, http_get

PROMETHEUS = shutil.which("prometheus")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(base, prometheus, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert prometheus.poll() is None, "prometheus exited: " + prometheus.stderr.read()
        try:
            if http_get(base + "/-/ready", timeout=1)[0] == 200:
                return
        except urllib.error.URLError:
            pass  # not listening yet
        time.sleep(0.2)
    raise AssertionError(f"Prometheus not ready after {timeout} s")


def query(base, expr):
    status, body = http_get(base + "/api/v1/query?query=" + urllib.parse.quote(expr))
    assert status == 200, body
    return json.loads(body)["data"]["result"]


def wait_for_result(base, expr, count, timeout=25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = query(base, expr)
        if len(result) >= count:
            return result
        time.sleep(0.25)
    raise AssertionError(f"Prometheus has no {expr} after {timeout} s")


def wait_for_rules_evaluated(base, timeout=15):
    """The number of rules Prometheus evaluated without error, once every rule has run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = http_get(base + "/api/v1/rules")
        assert status == 200, body
        rules = [rule for group in json.loads(body)["data"]["groups"] for rule in group["rules"]]
        assert all(rule["health"] != "err" for rule in rules), rules
        if rules and all(rule["health"] == "ok" for rule in rules):
            return len(rules)
        time.sleep(0.25)
    raise AssertionError("the rules were not evaluated in time")


@pytest.mark.skipif(PROMETHEUS is None, reason="prometheus not installed (Debian package prometheus)")
def test_prometheus_stores_what_the_fake_nvml_delivered(fake_nvml, tmp_path):
    env = fake_nvml({"devices": [{"power_w": 300, "temperature_c": 61},
                                 {"power_w": 60, "temperature_c": 35}]})
    exporter = Exporter(["--sensor", "nvml", "--interval", "100ms",
                         "--idle-baseline-file", "/nonexistent/idle.json"], env)
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        f"rule_files: ['{SOURCE_DIR / 'deploy' / 'prometheus' / 'joulebench-rules.yml'}']\n"
        "scrape_configs:\n"
        "  - job_name: joulebench\n"
        f"    static_configs: [{{targets: ['{exporter.url.removeprefix('http://')}']}}]\n")
    prometheus = subprocess.Popen(
        [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, prometheus)
        power = wait_for_result(base, "joulebench_gpu_power_watts", 2)
        by_gpu = {series["metric"]["gpu"]: float(series["value"][1]) for series in power}
        assert by_gpu == {"0": 300.0, "1": 60.0}
        assert all(series["metric"]["job"] == "joulebench" for series in power)
        temperature = query(base, "joulebench_gpu_temperature_celsius")
        assert {s["metric"]["gpu"]: float(s["value"][1]) for s in temperature} == {"0": 61.0, "1": 35.0}
        # Energy counters run from the exporter's start: 300 W against 60 W is a ratio of 5.
        energy = query(base, "joulebench_gpu_energy_joules_total")
        energy_by_gpu = {s["metric"]["gpu"]: float(s["value"][1]) for s in energy}
        assert abs(energy_by_gpu["0"] / energy_by_gpu["1"] - 5.0) < 0.1, energy_by_gpu
        # The shipped rules load and evaluate on the live series.
        assert wait_for_rules_evaluated(base) >= 5
        up = query(base, "joulebench_sensor_up")
        assert [float(s["value"][1]) for s in up] == [1.0]
    finally:
        prometheus.terminate()
        try:
            prometheus.wait(timeout=15)
        except subprocess.TimeoutExpired:
            prometheus.kill()
        exporter.stop()
