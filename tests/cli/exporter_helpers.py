"""Starting `joulebench exporter` and a fake serving engine for the exporter's CLI tests."""
import http.server
import os
import select
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

from conftest import BIN

# Loopback only: never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url, timeout=5):
    """(status, body text) of a GET; HTTP errors are answers too."""
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def parse_metrics(text):
    """{(name, frozenset(labels.items())): value} of a Prometheus text page (no escapes used)."""
    values = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, value = line.rsplit(" ", 1)
        labels = {}
        if "{" in head:
            name, rest = head.split("{", 1)
            for pair in rest.rstrip("}").split('",'):
                if pair:
                    key, val = pair.split('="', 1)
                    labels[key] = val.rstrip('"')
        else:
            name = head
        values[(name, frozenset(labels.items()))] = float(value)
    return values


def pick(values, metric, /, **labels):
    """The values of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return [v for (n, l), v in values.items() if n == metric and wanted <= set(l)]


class Exporter:
    """`joulebench exporter --listen 127.0.0.1:0 ARGS` until stop(); .url is where it serves."""

    def __init__(self, args, env):
        full_env = dict(os.environ)
        full_env.setdefault("JOULEBENCH_POWERCAP_ROOT", "/nonexistent/powercap")
        full_env.update(env)
        self.process = subprocess.Popen([str(BIN), "exporter", "--listen", "127.0.0.1:0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=full_env)
        self.url = self._wait_for_address()

    def _wait_for_address(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stderr], [], [], 0.1)
            if ready:
                line = self.process.stderr.readline()
                if line.startswith("listening on "):
                    return line.split()[-1]
                if line == "" and self.process.poll() is not None:
                    break
        self.process.kill()
        raise AssertionError("exporter did not start: " + self.process.stderr.read())

    def get(self, path):
        return http_get(self.url + path)

    def metrics(self):
        status, body = self.get("/metrics")
        assert status == 200
        return parse_metrics(body)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out, err


class MetricsPage:
    """A Prometheus text page on 127.0.0.1 whose body `render()` writes on every GET."""

    def __init__(self, render):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = render().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/metrics"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class FakeEngine:
    """A vLLM-style /metrics on 127.0.0.1 whose token counter grows `rate` tokens a second of
    wall time; `restart()` sets it back to 0 as an engine restart does."""

    def __init__(self, rate, model="llama-test", metric="vllm:generation_tokens_total"):
        self.rate, self.model, self.metric = rate, model, metric
        self.start = time.monotonic()
        self.served = []
        self.page = MetricsPage(self.render)
        self.url = self.page.url

    def render(self):
        value = int(self.rate * (time.monotonic() - self.start))
        self.served.append(value)
        return (f"# HELP {self.metric} Number of generation tokens processed.\n"
                f"# TYPE {self.metric} counter\n"
                f'{self.metric}{{model_name="{self.model}"}} {value}.0\n')

    def restart(self):
        self.start = time.monotonic()

    def close(self):
        self.page.close()
