"""`--energy-from`: GPUs of other hosts measured in the same windows as the local ones.

Two `joulebench exporter`s on loopback stand for two remote hosts, each over its own fake NVML:
host A's GPU power follows the test LLM server's load (the server's load file), host B's is
constant. The bench also measures, locally, a fake NVML with the same two GPUs: the local
figures are what the remote ones must equal."""
import json
import subprocess
import threading
import time
import urllib.parse

import pytest

from conftest import FAKE_NVML, TEST_BIN_DIR, run
from exporter_helpers import Exporter, MetricsPage, http_get
from fleet_helpers import PROMETHEUS, free_port

SERVER = TEST_BIN_DIR / "joulebench-test-llm-server"
IDLE_W, PER_STREAM_W, HOST_B_W = 100.0, 50.0, 200.0
TOKEN_DELAY_S = 0.01


def loaded_gpu(load_file, uuid):
    return {"name": "NVIDIA H100 80GB HBM3", "uuid": uuid, "load_file": str(load_file),
            "idle_power_w": IDLE_W, "power_per_load_w": PER_STREAM_W,
            "counter_update_period_s": 0.001, "gpu_utilization_pct": 90}


def steady_gpu(uuid):
    return {"name": "NVIDIA H100 80GB HBM3", "uuid": uuid, "power_w": HOST_B_W,
            "counter_update_period_s": 0.001, "gpu_utilization_pct": 90}


def nvml_env(tmp_path, name, devices):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"devices": devices}))
    return {"JOULEBENCH_NVML_LIBRARY": str(FAKE_NVML), "JOULEBENCH_FAKE_NVML_SCENARIO": str(path)}


@pytest.fixture
def llm_server(tmp_path):
    load_file = tmp_path / "load.txt"
    process = subprocess.Popen([str(SERVER), "--port", "0", "--token-delay-ms",
                                str(TOKEN_DELAY_S * 1000), "--load-file", str(load_file)],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("listening on 127.0.0.1:"), line
    yield f"http://{line.split(' ')[-1]}/v1", load_file
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def hosts(tmp_path, llm_server):
    """Exporters for host A (loaded) and host B (steady), and the URL of the server."""
    url, load_file = llm_server
    started = []

    def exporter(name, devices, interval="20ms"):
        started.append(Exporter(["--sensor", "nvml", "--interval", interval, "--hostname", name,
                                 "--idle-baseline-file", "/nonexistent/idle.json"],
                                nvml_env(tmp_path, name, devices)))
        return started[-1]

    a = exporter("host-a", [loaded_gpu(load_file, "GPU-aaaaaaaa-0000-0000-0000-000000000001")])
    b = exporter("host-b", [steady_gpu("GPU-bbbbbbbb-0000-0000-0000-000000000002")])
    yield {"url": url, "load_file": load_file, "a": a, "b": b, "exporter": exporter}
    for e in started:
        if e.process.poll() is None:
            e.stop()


def local_twin(tmp_path, load_file):
    """The local fake NVML with the same two GPUs as hosts A and B."""
    return nvml_env(tmp_path, "local", [
        loaded_gpu(load_file, "GPU-aaaaaaaa-0000-0000-0000-00000000000a"),
        steady_gpu("GPU-bbbbbbbb-0000-0000-0000-00000000000b")])


def bench(url, env, *extra, timeout=120):
    return run(["bench", "openai", "--json", "--url", url, "--model", "test-model",
                "--interval", "10ms", "--output-tokens", "50", "--prompt-tokens", "32",
                "--warmup", "0.5s", "--min-duration", "1s", *extra], env=env, timeout=timeout)


def split_energy(level):
    devices = level["measurement"]["devices"]
    local = [d for d in devices if d["source"]["kind"] == "local"]
    remote = [d for d in devices if d["source"]["kind"] == "remote"]
    return local, remote


def test_j_per_token_sums_both_hosts_and_matches_the_local_twin(hosts, tmp_path):
    a, b = hosts["a"], hosts["b"]
    result = bench(hosts["url"], local_twin(tmp_path, hosts["load_file"]),
                   "--sensor", "nvml", "--concurrency", "2,4", "--duration", "3s",
                   "--energy-from", a.url + "/metrics", "--energy-from", b.url + "/metrics")
    # Exit 1 would only say that a level's load was not steady enough (a busy machine).
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert "remote: " + a.url + "/metrics: 1 GPU(s) (joulebench)" in result.stderr
    for level in doc["levels"]:
        local, remote = split_energy(level)
        assert len(local) == 2 and len(remote) == 2
        assert {d["source"]["host"] for d in remote} == {"host-a", "host-b"}
        for device in remote:
            source = device["source"]
            assert source["update_interval_s"] == pytest.approx(0.02)
            assert "Date header" in source["clock_offset_basis"]
            assert abs(source["clock_offset_s"]) <= 1.0  # one clock: within the Date's second
            assert device["method"] == "counter"
        local_j = sum(d["energy_j"] for d in local)
        remote_j = sum(d["energy_j"] for d in remote)
        assert remote_j == pytest.approx(local_j, rel=0.02), level["measurement"]
        # J/token is over every device, local and remote.
        assert level["measurement"]["energy_j"] == pytest.approx(local_j + remote_j, rel=1e-9)
        assert level["j_per_output_token"] is not None
        check = next(c for c in level["validity"]["checks"] if c["name"] == "remote_sources")
        assert check["status"] == "pass", check
    # The devices list says where each remote GPU was read.
    measured = doc["provenance"]["devices_measured"]
    assert any(d.startswith("remote:host-b/") and "(from " + b.url in d for d in measured)


def test_a_host_that_stops_answering_makes_the_level_invalid(hosts, tmp_path):
    b = hosts["b"]
    killer = threading.Timer(2.0, b.process.kill)
    killer.start()
    try:
        result = bench(hosts["url"], {}, "--concurrency", "2", "--duration", "4s",
                       "--energy-from", hosts["a"].url + "/metrics",
                       "--energy-from", b.url + "/metrics")
    finally:
        killer.cancel()
    doc = json.loads(result.stdout)
    level = doc["levels"][0]
    assert level["validity"]["verdict"] == "invalid"
    check = next(c for c in level["validity"]["checks"] if c["name"] == "remote_sources")
    assert check["status"] == "fail"
    assert "stopped answering" in check["message"] and b.url in check["message"]
    # Never silently smaller: the total and J/token are unknown, not host A's alone.
    assert level["measurement"]["energy_j"] is None
    assert level["j_per_output_token"] is None


class DcgmExporter:
    """A dcgm-exporter-shaped /metrics: the energy counter in mJ growing at `watts`, or (with
    power_only) only DCGM_FI_DEV_POWER_USAGE."""

    LABELS = ('gpu="0",UUID="GPU-dcgm0000-0000-0000-0000-000000000000",pci_bus_id='
              '"00000000:07:00.0",device="nvidia0",modelName="NVIDIA A100-SXM4-80GB",'
              'Hostname="gpu-node-7",namespace="llm",pod="vllm-0",container="vllm"')

    def __init__(self, watts, power_only=False):
        self.watts, self.power_only = watts, power_only
        self.start = time.monotonic()
        self.page = MetricsPage(self.render)
        self.url = self.page.url

    def render(self):
        millijoules = int(1e9 + self.watts * (time.monotonic() - self.start) * 1000)
        lines = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).",
                 "# TYPE DCGM_FI_DEV_POWER_USAGE gauge",
                 f"DCGM_FI_DEV_POWER_USAGE{{{self.LABELS}}} {self.watts:.3f}"]
        if not self.power_only:
            lines += ["# HELP DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION Total energy "
                      "consumption since boot (in mJ).",
                      "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter",
                      f"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{{{self.LABELS}}} {millijoules}"]
        return "\n".join(lines) + "\n"

    def close(self):
        self.page.close()


@pytest.mark.parametrize("power_only", [False, True])
def test_run_reads_dcgm_exporter_energy_or_integrates_its_power(power_only, tmp_path):
    dcgm = DcgmExporter(300.0, power_only)
    out = tmp_path / "run.json"
    try:
        result = run(["run", "-o", str(out), "--iterations", "2", "--warmup-iterations", "0",
                      "--tokens", "100", "--interval", "50ms", "--spread-phases", "off",
                      "--energy-from", dcgm.url + "?interval=100ms", "--",
                      "python3", "-c", "import time; time.sleep(1.5)"], timeout=60)
    finally:
        dcgm.close()
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(out.read_text())
    for iteration in doc["iterations"]:
        [device] = iteration["measurement"]["devices"]
        source = device["source"]
        assert source["format"] == ("dcgm-power" if power_only else "dcgm-energy")
        assert source["host"] == "gpu-node-7"
        assert source["url"] == dcgm.url + "?interval=100ms"
        assert source["update_interval_s"] == pytest.approx(0.1)
        assert "Date header" in source["clock_offset_basis"]
        assert abs(source["clock_offset_s"]) <= 1.0
        assert device["method"] == ("integrated" if power_only else "counter")
        duration = iteration["measurement"]["duration_s"]
        assert device["energy_j"] == pytest.approx(300.0 * duration, rel=0.03)


def test_dcgm_exporters_default_interval_is_refused_for_short_windows(llm_server):
    url, _ = llm_server
    dcgm = DcgmExporter(300.0)
    try:
        result = bench(url, {}, "--concurrency", "1", "--duration", "20s",
                       "--energy-from", dcgm.url)
    finally:
        dcgm.close()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: --duration: " + dcgm.url + " updates every 30 s")
    assert "-c 1000" in lines[-1] and "--collect-interval" in lines[-1]


def test_refusals_name_the_flag(hosts):
    url = hosts["url"]
    bad = bench(url, {}, "--concurrency", "1", "--energy-from", "node1:9400/metrics")
    assert bad.returncode == 2 and "error: --energy-from: 'node1:9400/metrics'" in bad.stderr
    closed = f"http://127.0.0.1:{free_port()}/metrics"
    unreachable = bench(url, {}, "--concurrency", "1", "--energy-from", closed)
    assert unreachable.returncode == 2
    assert f"error: --energy-from {closed}: unreachable" in unreachable.stderr
    slow = hosts["exporter"]("host-c", [steady_gpu("GPU-cccccccc-0000-0000-0000-000000000003")],
                             interval="1s")
    short = bench(url, {}, "--concurrency", "1", "--duration", "2s",
                  "--energy-from", slow.url + "/metrics")
    assert short.returncode == 2
    assert "error: --duration: " in short.stderr and "at least 10 updates, 10 s" in short.stderr


class Prometheus:
    """A real Prometheus scraping `targets` every 250 ms."""

    def __init__(self, tmp_path, targets):
        self.port = free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text(json.dumps({
            "global": {"scrape_interval": "250ms", "scrape_timeout": "200ms"},
            "scrape_configs": [{"job_name": "joulebench", "static_configs": [{"targets": targets}]}]}))
        self.process = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_for_samples(self, selector, count, timeout=60):
        deadline = time.monotonic() + timeout
        query = urllib.parse.quote(f"count_over_time({selector}[1m])")
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "prometheus exited: " + self.process.stderr.read()
            try:
                status, body = http_get(f"{self.url}/api/v1/query?query={query}", timeout=1)
                result = json.loads(body)["data"]["result"] if status == 200 else []
                if result and float(result[0]["value"][1]) >= count:
                    return
            except (OSError, ValueError, KeyError):
                pass  # not up yet
            time.sleep(0.2)
        raise AssertionError(f"Prometheus has no {count} samples of {selector}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


@pytest.mark.skipif(PROMETHEUS is None, reason="prometheus not installed (Debian package)")
def test_prometheus_api_source_matches_the_local_twin(hosts, tmp_path):
    a = hosts["a"]
    prometheus = Prometheus(tmp_path, [a.url.removeprefix("http://")])
    try:
        selector = 'joulebench_gpu_energy_joules_total{hostname="host-a"}'
        prometheus.wait_for_samples(selector, 4)
        env = nvml_env(tmp_path, "local", [loaded_gpu(hosts["load_file"],
                                                      "GPU-aaaaaaaa-0000-0000-0000-00000000000a")])
        source = "prometheus+" + prometheus.url + "?selector=" + urllib.parse.quote(selector)
        result = bench(hosts["url"], env, "--sensor", "nvml", "--concurrency", "4",
                       "--duration", "4s", "--energy-from", source)
    finally:
        prometheus.stop()
    assert result.returncode in (0, 1), result.stderr
    level = json.loads(result.stdout)["levels"][0]
    local, remote = split_energy(level)
    assert remote[0]["source"]["format"] == "prometheus"
    assert remote[0]["source"]["update_interval_s"] == pytest.approx(0.25, rel=0.2)
    assert "time()" in remote[0]["source"]["clock_offset_basis"]
    assert remote[0]["energy_j"] == pytest.approx(local[0]["energy_j"], rel=0.03)
