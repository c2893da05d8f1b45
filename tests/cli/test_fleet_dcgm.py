"""`joulebench fleet` on the metrics a cluster already has: dcgm-exporter's GPU series and the
serving engines' token counters (tests/cli/dcgm_fleet.py), in a real Prometheus (promtool
blocks) and a real VictoriaMetrics (its import API), and through a gateway that wants a
tenant header, a bearer token or basic auth, answers partially, or speaks HTTPS."""
import base64
import http.server
import json
import shutil
import ssl
import subprocess
import threading
import time
import urllib.request

import pytest

import dcgm_fleet
from conftest import run
from fleet_helpers import (PROMETHEUS, PROMTOOL, VICTORIA_METRICS, Prometheus, VictoriaMetrics, load_blocks,
                           free_port)

RANGE = ["--range", "2h"]


@pytest.fixture(scope="module")
def history_end():
    return int(time.time()) // 60 * 60 - 120


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory, history_end):
    if PROMETHEUS is None or PROMTOOL is None:
        pytest.skip("prometheus/promtool not installed (Debian package prometheus)")
    tmp = tmp_path_factory.mktemp("dcgm-prometheus")
    (tmp / "fleet.om").write_text(dcgm_fleet.openmetrics(dcgm_fleet.series(history_end)))
    load_blocks(tmp / "fleet.om", tmp / "data")
    server = Prometheus(tmp, tmp / "data")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def victoria(tmp_path_factory, history_end):
    if VICTORIA_METRICS is None:
        pytest.skip("victoria-metrics not installed (Debian package victoria-metrics)")
    server = VictoriaMetrics(tmp_path_factory.mktemp("dcgm-victoria"))
    server.import_prometheus(dcgm_fleet.exposition(dcgm_fleet.series(history_end)))
    yield server
    server.stop()


def fleet_doc(url, *extra, env=None):
    result = run(["fleet", "--prometheus", url, *RANGE, "--format", "json", *extra], env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    return {m["model"]: m for m in doc["models"]}, doc, result


def check_dcgm_figures(models, doc):
    assert set(models) == {dcgm_fleet.LLAMA, "sleepy", "small", "qwen", "mistral"}  # node-4 has no pod
    # The counter where a GPU has one (node-2's A5000s have only the gauge).
    assert doc["power_source"].startswith("rate(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION[")
    assert "else the DCGM_FI_DEV_POWER_USAGE gauge" in doc["power_source"]
    assert "compute slices" in doc["power_source"]  # how MIG instances split their GPU
    llama = models[dcgm_fleet.LLAMA]
    assert llama["gpus"] == 2 and llama["gpu_type"] == "A100-SXM4-80GB"
    assert llama["mean_power_w"] == pytest.approx(600.0, rel=0.01)
    assert llama["tokens_per_s"] == pytest.approx(1000.0, rel=0.01)
    assert llama["j_per_token"] == pytest.approx(0.6, rel=0.02)
    # Idle: joulebench's stored baseline for the A100, the catalog's for the A5000.
    assert llama["idle_attribution"]["source"].startswith("joulebench_gpu_idle_power_watts")
    assert llama["idle_attribution"]["idle_fraction"] == pytest.approx(100.0 / 600.0, rel=0.02)
    assert llama["right_sizing"]["reason"] or llama["right_sizing"]["gpus_needed"] is not None
    sleepy = models["sleepy"]
    assert sleepy["gpus"] == 4 and sleepy["mean_power_w"] == pytest.approx(320.0, rel=0.01)
    assert sleepy["idle_attribution"]["source"].startswith("catalog")
    assert sleepy["j_per_token"] is None and sleepy["consolidation"]["candidate"]
    # MIG: one GPU, 280 W, split 3:4 by the instances' compute slices.
    assert models["small"]["gpus"] == 1 and models["qwen"]["gpus"] == 1
    assert models["small"]["mean_power_w"] == pytest.approx(120.0, rel=0.01)
    assert models["qwen"]["mean_power_w"] == pytest.approx(160.0, rel=0.01)
    assert models["small"]["j_per_token"] == pytest.approx(1.2, rel=0.02)
    assert models["qwen"]["j_per_token"] == pytest.approx(0.8, rel=0.02)
    # TGI has no model label: its container names it.
    assert models["mistral"]["j_per_token"] == pytest.approx(3.0, rel=0.02)


def test_auto_detects_dcgm_in_prometheus_and_joins_models_through_pods(prometheus):
    models, doc, _ = fleet_doc(prometheus.url)
    assert "metrics auto: dcgm-exporter's" in doc["source"]
    check_dcgm_figures(models, doc)


def test_victoria_metrics_gives_the_same_figures(victoria):
    models, doc, _ = fleet_doc(victoria.url, "--metrics", "dcgm")
    assert "metrics dcgm" in doc["source"]
    check_dcgm_figures(models, doc)


def test_models_yaml_maps_dcgm_hostnames_and_gpu_indices(prometheus, tmp_path):
    models_file = tmp_path / "models.yaml"
    models_file.write_text(f"models:\n  {dcgm_fleet.LLAMA}:\n    hosts: [node-1]\n    gpus: [1]\n"
                           "  spare:\n    hosts: [node-4]\n")
    models, _, _ = fleet_doc(prometheus.url, "--metrics", "dcgm", "--models", str(models_file))
    assert set(models) == {dcgm_fleet.LLAMA, "spare"}
    assert models[dcgm_fleet.LLAMA]["gpus"] == 1
    assert models[dcgm_fleet.LLAMA]["mean_power_w"] == pytest.approx(300.0, rel=0.01)
    assert models[dcgm_fleet.LLAMA]["j_per_token"] == pytest.approx(0.3, rel=0.02)
    assert models["spare"]["mean_power_w"] == pytest.approx(90.0, rel=0.01)


def test_metrics_joulebench_on_a_dcgm_only_server_says_what_is_missing(prometheus):
    result = run(["fleet", "--prometheus", prometheus.url, *RANGE, "--metrics", "joulebench"], timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no joulebench_gpu_power_watts series"), result.stderr


class Gateway:
    """A reverse proxy in front of a back end that refuses (401) requests without the
    headers it wants, records what arrived, and can add a Thanos-style partial-response
    warning and VictoriaMetrics' isPartial to every answer; HTTPS when given a cert."""

    def __init__(self, upstream, wanted, partial=False, cert=None):
        self.seen = []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                gateway.seen.append(dict(self.headers))
                for name, value in wanted.items():
                    if self.headers.get(name) != value:
                        self.send_response(401)
                        self.end_headers()
                        self.wfile.write(b'{"status":"error","errorType":"unauthorized","error":"missing ' +
                                         name.encode() + b'"}')
                        return
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(upstream + self.path) as up:
                    body = json.loads(up.read())
                if partial:
                    body["warnings"] = ["partial response: store 10.0.0.7:10901 unavailable"]
                    body["isPartial"] = True
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        scheme = "http"
        if cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_factory():
    started = []

    def start(*args, **kwargs):
        started.append(Gateway(*args, **kwargs))
        return started[-1]

    yield start
    for gateway in started:
        gateway.stop()


def test_tenant_header_and_bearer_token_reach_the_back_end(victoria, gateway_factory, tmp_path):
    token = tmp_path / "token"
    token.write_text("s3cr3t-token\n")
    gateway = gateway_factory(victoria.url, {"X-Scope-OrgID": "team-a", "Authorization": "Bearer s3cr3t-token",
                                             "X-Extra": "two: colons"})
    models, _, _ = fleet_doc(gateway.url, "--header", "X-Scope-OrgID: team-a", "--header", "X-Extra: two: colons",
                             "--bearer-token-file", str(token))
    assert models[dcgm_fleet.LLAMA]["j_per_token"] == pytest.approx(0.6, rel=0.02)
    assert len(gateway.seen) >= 4 and all(h.get("X-Scope-OrgID") == "team-a" for h in gateway.seen)
    # Without the header the gateway's 401 is the error, naming the HTTP status.
    result = run(["fleet", "--prometheus", gateway.url, *RANGE, "--bearer-token-file", str(token)])
    assert result.returncode == 2 and "HTTP 401" in result.stderr, result.stderr


def test_basic_auth_comes_from_the_environment(victoria, gateway_factory):
    wanted = "Basic " + base64.b64encode(b"alice:pa ss").decode()
    gateway = gateway_factory(victoria.url, {"Authorization": wanted})
    env = {"JOULEBENCH_PROMETHEUS_USER": "alice", "JOULEBENCH_PROMETHEUS_PASSWORD": "pa ss"}
    models, _, result = fleet_doc(gateway.url, env=env)
    assert models["qwen"]["mean_power_w"] == pytest.approx(160.0, rel=0.01)
    assert "pa ss" not in result.stdout + result.stderr  # the password is never printed


def test_partial_responses_are_warned_on_stderr_and_in_the_json(victoria, gateway_factory):
    gateway = gateway_factory(victoria.url, {}, partial=True)
    _, doc, result = fleet_doc(gateway.url)
    assert doc["warnings"] == ["partial response: store 10.0.0.7:10901 unavailable"]
    assert "warning: partial response: store 10.0.0.7:10901 unavailable" in result.stderr


def test_cacert_trusts_a_private_https_back_end(victoria, gateway_factory, tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not installed (Debian package openssl) to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    gateway = gateway_factory(victoria.url, {}, cert=(str(cert), str(key)))
    models, _, _ = fleet_doc(gateway.url, "--cacert", str(cert))
    assert models["small"]["mean_power_w"] == pytest.approx(120.0, rel=0.01)
    untrusted = run(["fleet", "--prometheus", gateway.url, *RANGE])
    assert untrusted.returncode == 2 and "certificate" in untrusted.stderr, untrusted.stderr


@pytest.mark.parametrize("args, env, message", [
    (["--header", "no colon here"], {}, "error: --header: 'no colon here' is not 'Name: value'"),
    (["--bearer-token-file", "/nonexistent/token"], {}, "error: --bearer-token-file: "),
    (["--cacert", "/nonexistent/ca.pem"], {}, "error: --cacert: "),
    (["--metrics", "graphite"], {}, "--metrics"),
    ([], {"JOULEBENCH_PROMETHEUS_PASSWORD": "x"}, "error: JOULEBENCH_PROMETHEUS_PASSWORD: set JOULEBENCH_PROMETHEUS_USER"),
])
def test_bad_back_end_flags_are_usage_errors(args, env, message):
    result = run(["fleet", "--prometheus", "http://127.0.0.1:9", "--range", "1h", *args], env=env)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr


def test_back_end_flags_are_refused_with_a_csv_history(tmp_path):
    history = tmp_path / "h.csv"
    history.write_text("time,model,gpu_type,gpus,power_w,tokens_per_s\n0,m,A100,1,100,10\n")
    result = run(["fleet", "--input-csv", str(history), "--header", "X-Scope-OrgID: a"])
    assert result.returncode == 2 and "--header" in result.stderr
