"""`joulebench exporter` end to end: the fake NVML behind it, HTTP in front of it."""
import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import run
from exporter_helpers import Exporter, FakeEngine, http_get, parse_metrics, pick

GIB = 1 << 30
GPU = {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-aaaaaaaa-0000-0000-0000-000000000000",
       "power_w": 300, "temperature_c": 61, "gpu_utilization_pct": 95, "memory_used_bytes": GIB,
       "throttle": [[0.0, 1000.0, 0x40]], "counter_update_period_s": 0.001}


@pytest.fixture
def exporter_env(fake_nvml, tmp_path):
    """Fake NVML with one busy GPU and one idle one, and a stored idle baseline for the first."""
    env = fake_nvml({"devices": [GPU, {"uuid": "GPU-bbbbbbbb-0000-0000-0000-000000000000",
                                       "power_w": 60, "counter_update_period_s": 0.001}]})
    baselines = tmp_path / "idle.json"
    baselines.write_text(json.dumps({"baselines": [{
        "host": socket.gethostname(), "device_key": GPU["uuid"], "device_id": "nvml:0",
        "idle_power_w": 55.5}]}))
    env["JOULEBENCH_TEST_BASELINES"] = str(baselines)
    return env


def start(env, *args):
    return Exporter(["--sensor", "nvml", "--interval", "50ms",
                     "--idle-baseline-file", env["JOULEBENCH_TEST_BASELINES"], *args], env)


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_metrics_match_the_scenario(exporter_env):
    exporter = start(exporter_env)
    try:
        values = wait_for(lambda: (v := exporter.metrics()) and
                          pick(v, "joulebench_sampling_rounds_total") and
                          pick(v, "joulebench_sampling_rounds_total")[0] >= 5 and v)
        gpu0 = {"gpu": "0", "uuid": GPU["uuid"], "name": GPU["name"], "hostname": socket.gethostname()}
        assert pick(values, "joulebench_gpu_power_watts", **gpu0) == [300.0]
        assert pick(values, "joulebench_gpu_power_watts", gpu="1") == [60.0]
        assert pick(values, "joulebench_gpu_temperature_celsius", gpu="0") == [61.0]
        assert pick(values, "joulebench_gpu_utilization_ratio", gpu="0") == [0.95]
        assert pick(values, "joulebench_gpu_memory_used_bytes", gpu="0") == [float(GIB)]
        assert pick(values, "joulebench_gpu_throttle_active", gpu="0", reason="hw_thermal") == [1.0]
        assert pick(values, "joulebench_gpu_throttle_active", gpu="0", reason="sw_thermal") == [0.0]
        assert pick(values, "joulebench_gpu_idle_power_watts", gpu="0") == [55.5]
        assert pick(values, "joulebench_gpu_idle_power_watts", gpu="1") == []  # none stored
        assert pick(values, "joulebench_sensor_up", sensor="nvml") == [1.0]
        assert pick(values, "joulebench_sensor_up", sensor="rapl") == []  # not asked for
        # Energy from the counter: the two GPUs' energies stand in the ratio of their powers.
        e0 = pick(values, "joulebench_gpu_energy_joules_total", gpu="0")[0]
        e1 = pick(values, "joulebench_gpu_energy_joules_total", gpu="1")[0]
        assert e0 > 0 and abs(e0 / e1 - 5.0) < 0.05
        status, body = exporter.get("/healthz")
        assert (status, body) == (200, "ok\n")
        status, page = exporter.get("/")
        assert status == 200 and "<svg" in page and "/metrics" in page
        assert "http://" not in page and "https://" not in page  # self-contained
    finally:
        code, out, _ = exporter.stop()
    assert code == 0
    assert "rounds:" in out


def test_only_get_and_bounded_requests(exporter_env):
    exporter = start(exporter_env, "--rate-limit", "5", "--json")
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(exporter.url + "/metrics", data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(request, timeout=5)
        assert refused.value.code == 405
        statuses = [http_get(exporter.url + "/healthz")[0] for _ in range(20)]
        assert 429 in statuses  # 5/s with bursts of 1: most of 20 back-to-back GETs are refused
        assert http_get(exporter.url + "/nope")[0] in (404, 429)
    finally:
        code, out, _ = exporter.stop()
    summary = json.loads(out)
    assert code == 0 and summary["schema_version"] == 1
    assert summary["rate_limited"] >= 1 and summary["requests"] >= 21


def test_tokens_from_a_vllm_style_endpoint(exporter_env):
    # 3000 tokens/s against 300 W + 60 W: 3000 / 360 tokens per joule over all GPUs.
    engine = FakeEngine(rate=3000)
    exporter = start(exporter_env, "--tokens-from", engine.url, "--window", "1s")
    try:
        time.sleep(2.0)
        values = exporter.metrics()
        total = pick(values, "joulebench_tokens_total", model="llama-test")
        assert len(total) == 1 and total[0] in engine.served and total[0] > 0
        ratio = pick(values, "joulebench_tokens_per_joule", model="llama-test")
        assert len(ratio) == 1 and abs(ratio[0] - 3000 / 360) < 0.15 * 3000 / 360, ratio
        assert pick(values, "joulebench_tokens_source_up", url=engine.url) == [1.0]
        # An engine restart: its counter starts over, ours keeps counting.
        before = total[0]
        engine.restart()
        time.sleep(0.5)
        after = pick(exporter.metrics(), "joulebench_tokens_total", model="llama-test")[0]
        assert after >= before
    finally:
        exporter.stop()
        engine.close()


def test_a_custom_counter_and_a_down_source(exporter_env):
    engine = FakeEngine(rate=100, metric="my_engine_tokens_total", model="m")
    exporter = start(exporter_env, "--tokens-from", engine.url, "--tokens-metric",
                     "my_engine_tokens_total", "--tokens-from", "http://127.0.0.1:9/metrics")
    try:
        values = wait_for(lambda: (v := exporter.metrics()) and
                          pick(v, "joulebench_tokens_total", model="m") and v)
        assert pick(values, "joulebench_tokens_source_up", url=engine.url) == [1.0]
        assert pick(values, "joulebench_tokens_source_up", url="http://127.0.0.1:9/metrics") == [0.0]
    finally:
        exporter.stop()
        engine.close()


@pytest.mark.parametrize("args,flag", [
    (["--listen", "nowhere"], "--listen"),
    (["--listen", "127.0.0.1:99999"], "--listen"),
    (["--interval", "20s"], "--interval"),
    (["--window", "10ms"], "--window"),
    (["--tokens-metric", "x"], "--tokens-metric"),
    (["--tokens-from", "ftp://x/metrics"], "--tokens-from"),
    (["--rate-limit", "0"], "--rate-limit"),
    (["--threads", "0"], "--threads"),
])
def test_bad_flags_exit_2_with_one_line(exporter_env, args, flag):
    result = run(["exporter", "--sensor", "nvml", *args], env=exporter_env, timeout=10)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and flag in lines[0], result.stderr


def test_healthz_is_503_without_readings(fake_nvml):
    env = fake_nvml({"devices": [{"power_w": 100, "lost_at_s": 0.3}]})
    exporter = Exporter(["--sensor", "nvml", "--interval", "50ms", "--idle-baseline-file",
                         "/nonexistent/idle.json"], env)
    try:
        status, body = wait_for(lambda: (r := exporter.get("/healthz"))[0] == 503 and r)
        assert "no sensor" in body
    finally:
        exporter.stop()


def test_help():
    result = run(["exporter", "--help"])
    assert result.returncode == 0
    for flag in ("--listen", "--tokens-from", "--tokens-metric", "--window", "--interval"):
        assert flag in result.stdout


def test_a_sensor_never_available_is_not_reported_down(exporter_env):
    """With the default `auto` sensors, RAPL without powercap access was never available:
    it is named with its reason, and has no joulebench_sensor_up (which alerts watch)."""
    exporter = Exporter(["--interval", "50ms", "--idle-baseline-file",
                         exporter_env["JOULEBENCH_TEST_BASELINES"]], exporter_env)
    try:
        values = wait_for(lambda: (v := exporter.metrics()) and
                          pick(v, "joulebench_sensor_up", sensor="nvml") and v)
        assert pick(values, "joulebench_sensor_up", sensor="nvml") == [1.0]
        assert pick(values, "joulebench_sensor_up", sensor="rapl") == []
        [(labels, value)] = [(dict(l), v) for (n, l), v in values.items()
                             if n == "joulebench_sensor_unavailable" and dict(l)["sensor"] == "rapl"]
        assert value == 1.0
        assert labels["hostname"] == socket.gethostname()
        assert "powercap" in labels["reason"]
        assert pick(values, "joulebench_sensor_unavailable", sensor="nvml") == []
    finally:
        exporter.stop()


def test_a_sensor_that_goes_down_is_down(fake_nvml):
    env = fake_nvml({"devices": [{"power_w": 100, "lost_at_s": 0.3}]})
    exporter = Exporter(["--sensor", "nvml", "--interval", "50ms", "--idle-baseline-file",
                         "/nonexistent/idle.json"], env)
    try:
        values = wait_for(lambda: (v := exporter.metrics()) and
                          pick(v, "joulebench_sensor_up", sensor="nvml") == [0.0] and v)
        assert pick(values, "joulebench_sensor_unavailable") == []
    finally:
        exporter.stop()


@pytest.mark.parametrize("args, env, hostname", [
    ([], {"NODE_NAME": "gpu-node-7"}, "gpu-node-7"),                      # the DaemonSet's
    (["--hostname", "rack3-n2"], {"NODE_NAME": "gpu-node-7"}, "rack3-n2"),  # the flag wins
    ([], {"NODE_NAME": ""}, socket.gethostname()),
])
def test_the_hostname_label_is_the_node_name_where_given(exporter_env, args, env, hostname):
    exporter = start({**exporter_env, **env}, *args)
    try:
        values = wait_for(lambda: (v := exporter.metrics()) and
                          pick(v, "joulebench_gpu_power_watts", gpu="0") and v)
        assert pick(values, "joulebench_gpu_power_watts", gpu="0", hostname=hostname) == [300.0]
        assert pick(values, "joulebench_sensor_up", sensor="nvml", hostname=hostname) == [1.0]
    finally:
        exporter.stop()


def test_an_empty_hostname_flag_is_refused(exporter_env):
    result = run(["exporter", "--sensor", "nvml", "--hostname", ""], env=exporter_env, timeout=10)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --hostname")


class SlowClients:
    """`count` loopback connections that each send one byte of a request head a second
    (Slowloris), for at most `seconds`, on one thread; .closed counts those the server ended."""

    def __init__(self, url, count=200, seconds=20):
        host, port = url.split("//", 1)[1].rstrip("/").split(":")
        self.address = (host, int(port))
        self.count, self.seconds = count, seconds
        self.closed = 0
        self.error = None
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        head = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        sockets = []
        try:
            for _ in range(self.count):
                sock = socket.create_connection(self.address, timeout=10)
                sock.setblocking(False)
                sockets.append(sock)
        except OSError as error:
            self.error = f"connection {len(sockets) + 1} of {self.count}: {error!r}"
            for sock in sockets:
                sock.close()
            return
        self.connected.set()
        sent = 0
        deadline = time.monotonic() + self.seconds
        while sockets and time.monotonic() < deadline:
            for sock in list(sockets):
                try:
                    if sock.recv(1024, socket.MSG_DONTWAIT) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    pass
                except OSError:
                    sockets.remove(sock)
                    sock.close()
                    self.closed += 1
                    continue
                try:
                    sock.send(head[sent % len(head):sent % len(head) + 1])
                except BlockingIOError:
                    pass
                except OSError:
                    sockets.remove(sock)
                    sock.close()
                    self.closed += 1
            sent += 1
            time.sleep(1.0)
        for sock in sockets:
            sock.close()

    def join(self):
        self.thread.join(timeout=self.seconds + 30)


def test_slow_clients_do_not_starve_metrics(exporter_env):
    """200 connections trickling a request head (more than --threads 64): /metrics still
    answers within its usual timeout, the slow ones are cut off, sampling misses no round."""
    exporter = Exporter(["--sensor", "nvml", "--interval", "250ms", "--idle-baseline-file",
                         exporter_env["JOULEBENCH_TEST_BASELINES"]], exporter_env)
    try:
        before = wait_for(lambda: (v := exporter.metrics()) and
                          pick(v, "joulebench_sampling_rounds_total") and v)
        slow = SlowClients(exporter.url, count=200, seconds=20)
        assert slow.connected.wait(timeout=30), slow.error
        rounds = [pick(before, "joulebench_sampling_rounds_total")[0]]
        for _ in range(5):
            time.sleep(0.5)
            status, body = http_get(exporter.url + "/metrics", timeout=5)
            assert status == 200
            values = parse_metrics(body)
            rounds.append(pick(values, "joulebench_sampling_rounds_total")[0])
        slow.join()
        # Each had a few seconds in total for its head, however slowly it came.
        assert slow.closed == 200
        # Sampling went on through the attack, on schedule.
        assert rounds == sorted(rounds) and rounds[-1] > rounds[0]
        assert (pick(values, "joulebench_sampling_missed_rounds_total") ==
                pick(before, "joulebench_sampling_missed_rounds_total"))
    finally:
        code, _, _ = exporter.stop()
    assert code == 0
