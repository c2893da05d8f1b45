"""A real Prometheus filled with a generated fleet history, for `joulebench fleet` tests and
bench/fleet_prometheus.sh: OpenMetrics text -> promtool tsdb create-blocks-from openmetrics ->
prometheus on a free loopback port over that data dir."""
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def labels_text(labels):
    return ",".join(f'{k}="{v}"' for k, v in labels.items())


def write_openmetrics(path, gauges, counters):
    """gauges / counters: {family: [(labels, [(unix_s, value), ...]), ...]}. OpenMetrics wants
    each family contiguous, each series in time order, timestamps in seconds and '# EOF'."""
    with open(path, "w") as out:
        for family, series in gauges.items():
            out.write(f"# TYPE {family} gauge\n")
            for labels, points in series:
                head = f"{family}{{{labels_text(labels)}}}"
                out.writelines(f"{head} {v:g} {t}\n" for t, v in points)
        for family, series in counters.items():
            out.write(f"# TYPE {family} counter\n")
            for labels, points in series:
                head = f"{family}_total{{{labels_text(labels)}}}"
                out.writelines(f"{head} {v:g} {t}\n" for t, v in points)
        out.write("# EOF\n")


def load_blocks(openmetrics, data_dir):
    subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", str(openmetrics), str(data_dir)],
                   check=True, capture_output=True, text=True)


class LoopbackServer:
    """A server binary on 127.0.0.1 (self.url), started by _start() and ready when `ready_path`
    answers 200; stop() ends it."""

    def _start(self, argv, ready_path):
        name = os.path.basename(argv[0])
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{name} exited: " + self.process.stderr.read()
            try:
                with _OPENER.open(self.url + ready_path, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                pass  # not listening yet
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"{name} not ready after 60 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Prometheus(LoopbackServer):
    """`prometheus` over `data_dir` on 127.0.0.1:PORT until stop()."""

    def __init__(self, tmp_path, data_dir):
        self.port = free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text("global: {scrape_interval: 1m}\nscrape_configs: []\n")
        self.url = f"http://127.0.0.1:{self.port}"
        self._start([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={data_dir}",
                     "--storage.tsdb.retention.time=30d",
                     f"--web.listen-address=127.0.0.1:{self.port}"], "/-/ready")


VICTORIA_METRICS = shutil.which("victoria-metrics")


class VictoriaMetrics(LoopbackServer):
    """Single-node `victoria-metrics` over a temporary storage dir on 127.0.0.1:PORT until stop();
    data goes in through its Prometheus text import API."""

    def __init__(self, storage_dir, extra_args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._start([VICTORIA_METRICS, f"-storageDataPath={storage_dir}",
                     f"-httpListenAddr=127.0.0.1:{self.port}", "-retentionPeriod=100y",
                     "-search.disableCache", *extra_args], "/health")

    def import_prometheus(self, text):
        request = urllib.request.Request(self.url + "/api/v1/import/prometheus", data=text.encode(), method="POST")
        with _OPENER.open(request, timeout=120) as answer:
            assert answer.status in (200, 204), answer.status
        # Imported rows become searchable once flushed from the in-memory buffers.
        with _OPENER.open(self.url + "/internal/force_flush", timeout=60) as answer:
            assert answer.status == 200

