"""`joulebench fleet` end to end: a real Prometheus over a generated history (promtool blocks),
the seed's CSV offline, and the error paths (unreachable, HTTP 400, empty result, bad flags)."""
import http.server
import json
import threading
import time

import pytest

from conftest import DATA, SOURCE_DIR, run
from fleet_helpers import PROMETHEUS, PROMTOOL, Prometheus, free_port, load_blocks, write_openmetrics

GPU = "NVIDIA A100-SXM4-80GB"
STEP = 60


def generated_history(now):
    """3 h 20 min of 1-minute samples ending 2 minutes ago:
    - llama on node-a, 2 GPUs at 300 W, 1000 tok/s, its token counter reset to 0 half-way
      (an engine restart) and a 30-minute gap in power;
    - sleepy on node-b, 4 GPUs at 60 W, 0 tok/s;
    - node-c, 1 GPU at 200 W with no model label (models.yaml maps it), 50 tok/s as `mapped`.
    """
    end = now - 120
    times = list(range(end - 200 * 60, end + 1, STEP))
    gap = set(times[100:130])

    def gpu(host, index, model=None):
        labels = {"gpu": str(index), "uuid": f"GPU-{host}-{index}", "name": GPU, "hostname": host}
        if model:
            labels["model"] = model
        return labels

    power = [(gpu("node-a", i, "llama"), [(t, 300.0) for t in times if t not in gap]) for i in range(2)]
    power += [(gpu("node-b", i, "sleepy"), [(t, 60.0) for t in times]) for i in range(4)]
    power += [(gpu("node-c", 0), [(t, 200.0) for t in times])]
    idle = [(gpu(host, 0), [(t, 50.0) for t in times]) for host in ("node-a", "node-b")]
    half = len(times) // 2
    llama = [(t, 1000.0 * STEP * (i if i < half else i - half)) for i, t in enumerate(times)]
    tokens = [({"model": "llama"}, llama), ({"model": "sleepy"}, [(t, 7.0) for t in times]),
              ({"model": "mapped"}, [(t, 50.0 * STEP * i) for i, t in enumerate(times)])]
    return {"joulebench_gpu_power_watts": power, "joulebench_gpu_idle_power_watts": idle}, {"joulebench_tokens": tokens}


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    if PROMETHEUS is None or PROMTOOL is None:
        pytest.skip("prometheus/promtool not installed (Debian package prometheus)")
    tmp = tmp_path_factory.mktemp("fleet-prometheus")
    now = int(time.time())
    gauges, counters = generated_history(now)
    write_openmetrics(tmp / "history.om", gauges, counters)
    load_blocks(tmp / "history.om", tmp / "data")
    server = Prometheus(tmp, tmp / "data")
    server.history_end = now - 120  # as generated_history() lays it out
    yield server
    server.stop()


def fleet_json(args):
    result = run(["fleet", *args, "--format", "json"], timeout=120)
    assert result.returncode == 0, result.stderr
    return {m["model"]: m for m in json.loads(result.stdout)["models"]}, json.loads(result.stdout)


def test_model_label_figures_match_the_generated_history(prometheus):
    models, doc = fleet_json(["--prometheus", prometheus.url, "--range", "3h", "--step", "1m", "--grid-gco2-kwh", "400"])
    assert set(models) == {"llama", "sleepy"}  # node-c has no model label
    llama = models["llama"]
    assert llama["gpus"] == 2 and llama["gpu_type"] == "A100-SXM4-80GB"
    assert llama["mean_power_w"] == pytest.approx(600.0)
    # rate() over the counter reset: still 1000 tok/s, not a negative or doubled rate.
    assert llama["tokens_per_s"] == pytest.approx(1000.0, rel=0.01)
    assert llama["j_per_token"] == pytest.approx(0.6, rel=0.01)
    assert llama["kg_co2_per_hour"] == pytest.approx(0.24)
    assert llama["idle_attribution"]["source"].startswith("joulebench_gpu_idle_power_watts")
    assert llama["idle_attribution"]["idle_fraction"] == pytest.approx(100.0 / 600.0)
    assert any("gaps" in note for note in llama["notes"]), llama["notes"]
    sleepy = models["sleepy"]
    assert sleepy["gpus"] == 4 and sleepy["mean_power_w"] == pytest.approx(240.0)
    assert sleepy["j_per_token"] is None and sleepy["j_per_token_reason"].startswith("idle")
    assert sleepy["consolidation"]["candidate"]
    assert sleepy["consolidation"]["kwh_saved_per_month"] == pytest.approx(240.0 * 730 / 1000)
    # Aggregated in Prometheus: per query one series per model (power, allocation, tokens)
    # plus one idle series per GPU name, not one per GPU.
    assert doc["series_received"] == 2 + 2 + 3 + 1


def iso_utc(unix_s):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_s))


def test_end_moves_the_range_back_in_time(prometheus):
    # The hour that ends 110 minutes before the history's end lies before llama's power gap
    # and its counter reset (both 100 minutes before the end): no gap note, the same figures.
    end = prometheus.history_end - 110 * 60
    for given in (iso_utc(end), str(end)):
        models, doc = fleet_json(["--prometheus", prometheus.url, "--range", "1h", "--end", given])
        llama = models["llama"]
        assert llama["mean_power_w"] == pytest.approx(600.0)
        assert llama["tokens_per_s"] == pytest.approx(1000.0, rel=0.01)
        assert not any("gaps" in note for note in llama["notes"]), llama["notes"]
        assert f"the 1h before {iso_utc(end // STEP * STEP)}" in doc["source"]


def test_end_before_any_data_says_which_period_was_empty(prometheus):
    result = run(["fleet", "--prometheus", prometheus.url, "--range", "1h", "--end", "2001-01-01T00:00:00Z"])
    assert result.returncode == 2
    assert result.stderr.startswith("error: --metrics auto: neither joulebench_gpu_power_watts nor "
                                    "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION/DCGM_FI_DEV_POWER_USAGE in "
                                    "the 1h before 2001-01-01T00:00:00Z"), result.stderr


def test_models_yaml_maps_hosts_to_models(prometheus, tmp_path):
    models_file = tmp_path / "models.yaml"
    models_file.write_text("models:\n  llama:\n    hosts: [node-a]\n    gpus: [0]\n  mapped:\n    hosts: [node-c]\n"
                           "  nowhere:\n    hosts: [node-z]\n")
    models, _ = fleet_json(["--prometheus", prometheus.url, "--range", "3h", "--models", str(models_file)])
    assert models["llama"]["gpus"] == 1 and models["llama"]["mean_power_w"] == pytest.approx(300.0)
    assert models["mapped"]["mean_power_w"] == pytest.approx(200.0)
    assert models["mapped"]["tokens_per_s"] == pytest.approx(50.0, rel=0.01)
    # A mapped model with no data is null with a reason, never 0.
    assert models["nowhere"]["mean_power_w"] is None
    assert models["nowhere"]["j_per_token_reason"] == "no power data"


def test_empty_result_is_an_error_that_says_what_to_check(prometheus, tmp_path):
    models_file = tmp_path / "models.yaml"
    models_file.write_text("models:\n  ghost:\n    hosts: [no-such-host]\n")
    result = run(["fleet", "--prometheus", prometheus.url, "--range", "1h", "--models", str(models_file)])
    assert result.returncode == 2
    assert result.stderr.startswith("error: no joulebench_gpu_power_watts series on the hosts of --models")


def test_empty_prometheus_is_an_error_that_says_what_to_check(tmp_path):
    if PROMETHEUS is None:
        pytest.skip("prometheus not installed (Debian package prometheus)")
    server = Prometheus(tmp_path, tmp_path / "empty-data")
    try:
        detected = run(["fleet", "--prometheus", server.url, "--range", "1h"])
        named = run(["fleet", "--prometheus", server.url, "--range", "1h", "--metrics", "joulebench"])
    finally:
        server.stop()
    assert detected.returncode == 2
    assert detected.stderr == ("error: --metrics auto: neither joulebench_gpu_power_watts nor "
                               "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION/DCGM_FI_DEV_POWER_USAGE in the last 1h "
                               "(check --range, --prometheus and, for a multi-tenant back end, --header "
                               "'X-Scope-OrgID: tenant')\n")
    # Told which metrics to read, fleet asks for those and suggests models.yaml.
    assert named.returncode == 2
    assert named.stderr == ("error: no joulebench_gpu_power_watts series with a `model` label in the last 1h "
                            "(give --models models.yaml to map hostnames to models, or check --range)\n")


def test_unreachable_prometheus():
    result = run(["fleet", "--prometheus", f"http://127.0.0.1:{free_port()}", "--range", "1h", "--timeout", "5s"])
    assert result.returncode == 2
    # The first query asks which metrics the server holds.
    assert result.stderr.startswith("error: cannot reach Prometheus for the metrics detection query: ")
    assert len(result.stderr.strip().splitlines()) == 1


class BadQueryHandler(http.server.BaseHTTPRequestHandler):
    """Answers as Prometheus does to a query it cannot parse."""

    def do_GET(self):
        body = json.dumps({"status": "error", "errorType": "bad_data",
                           "error": "invalid parameter \"query\": 1:1: parse error"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_http_400_carries_prometheus_message():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BadQueryHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run(["fleet", "--prometheus", f"http://127.0.0.1:{server.server_address[1]}", "--range", "1h"])
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 2
    assert result.stderr == ("error: HTTP 400 from Prometheus for the metrics detection query: Prometheus answered status "
                             "\"error\" (bad_data): invalid parameter \"query\": 1:1: parse error\n")


def test_seed_csv_offline_matches_the_golden_table():
    result = run(["fleet", "--input-csv", "tests/data/fleet/seed.csv", "--models", "tests/data/fleet/models.yaml",
                  "--idle-watts", "A6000=25", "--grid-gco2-kwh", "369"], cwd=SOURCE_DIR)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (SOURCE_DIR / "tests" / "golden" / "fleet" / "seed-table.txt").read_text()
    rows = [line.split() for line in result.stdout.splitlines()[2:7]]
    assert [(r[0], r[3], r[4]) for r in rows] == [("gpt-oss-120b", "597", "2341"), ("gemma-4-31B", "577", "360"),
                                                   ("Qwen3.5-397B", "783", "18"), ("Kimi-K2.5", "670", "~0"),
                                                   ("MiniMax-M2.5", "447", "~0")]


def test_seed_csv_html_and_output_file(tmp_path):
    out = tmp_path / "fleet.html"
    result = run(["fleet", "--input-csv", str(DATA / "fleet" / "seed.csv"), "--format", "html", "-o", str(out)])
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "consolidate" in page


@pytest.mark.parametrize("args, flag", [
    (["--format", "pdf"], "--format"),
    (["--idle-watts", "A100"], "--idle-watts"),
    (["--range", "a week"], "--range"),
    (["--end", "yesterday"], "--end"),
    (["--end", "2026-11-20T00:00:00"], "--end"),
    (["--input-csv", "history.csv", "--end", "1700000000"], "--end"),
    (["--step", "1s"], "--step"),
    (["--prometheus", "127.0.0.1:9090"], "--prometheus"),
    (["--price-kwh", "-1"], "--price-kwh"),
])
def test_bad_flags_name_the_flag(args, flag):
    base = ["--prometheus", "http://127.0.0.1:1"] if "--prometheus" not in args and "--input-csv" not in args else []
    result = run(["fleet", *base, *args])
    assert result.returncode == 2, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and flag in first, result.stderr


def test_needs_exactly_one_source():
    result = run(["fleet"])
    assert result.returncode == 2
    assert result.stderr == "error: fleet: give exactly one of --prometheus URL or --input-csv FILE\n"
    assert run(["fleet", "--help"]).returncode == 0


def counter_history(now):
    """2 h of 1-minute samples ending now (a live exporter's lag is under one scrape; an
    older end would make the last steps' windows reach past the data):
    - counted on node-x: the power gauge reads 250 W at every scrape, the energy counter
      rises 400 J/s (the load peaks between scrapes, which only the counter sees);
      its token counter starts 20 minutes before the end, at 500 tok/s;
    - gauged on node-y: a 300 W gauge and no energy counter, 100 tok/s throughout.
    """
    end = now
    times = list(range(end - 120 * 60, end + 1, STEP))
    x = {"gpu": "0", "uuid": "GPU-x", "name": GPU, "hostname": "node-x", "model": "counted"}
    y = {"gpu": "0", "uuid": "GPU-y", "name": GPU, "hostname": "node-y", "model": "gauged"}
    late = [t for t in times if t >= end - 20 * 60]
    gauges = {"joulebench_gpu_power_watts": [(x, [(t, 250.0) for t in times]), (y, [(t, 300.0) for t in times])]}
    counters = {"joulebench_gpu_energy_joules": [(x, [(t, 400.0 * (t - times[0])) for t in times])],
                "joulebench_tokens": [({"model": "counted"}, [(t, 500.0 * (t - late[0])) for t in late]),
                                      ({"model": "gauged"}, [(t, 100.0 * (t - times[0])) for t in times])]}
    return gauges, counters


@pytest.fixture(scope="module")
def counter_prometheus(tmp_path_factory):
    if PROMETHEUS is None or PROMTOOL is None:
        pytest.skip("prometheus/promtool not installed (Debian package prometheus)")
    tmp = tmp_path_factory.mktemp("fleet-counter-prometheus")
    gauges, counters = counter_history(int(time.time()))
    write_openmetrics(tmp / "history.om", gauges, counters)
    load_blocks(tmp / "history.om", tmp / "data")
    server = Prometheus(tmp, tmp / "data")
    yield server
    server.stop()


def test_power_comes_from_the_energy_counter_where_there_is_one(counter_prometheus):
    models, doc = fleet_json(["--prometheus", counter_prometheus.url, "--range", "1h", "--step", "1m"])
    # rate() of the counter, not the 250 W the gauge happened to read at each scrape.
    assert models["counted"]["mean_power_w"] == pytest.approx(400.0, rel=1e-3)
    assert models["gauged"]["mean_power_w"] == pytest.approx(300.0)
    assert doc["power_source"] == ("rate(joulebench_gpu_energy_joules_total[240s]) where a GPU has the counter, "
                                   "else the joulebench_gpu_power_watts gauge")
    # The window follows the 1-minute scrapes: max(4 x 60 s, 60 s step).
    assert "rate window 240s (max(4 x 60s scrape interval, 60s step))" in doc["source"], doc["source"]


def test_a_rate_over_a_partial_window_is_left_out_not_read_low(counter_prometheus):
    models, _ = fleet_json(["--prometheus", counter_prometheus.url, "--range", "1h", "--step", "1m"])
    counted = models["counted"]
    # The token counter began 20 minutes before the end: its first steps' windows reach
    # back before it and would read a fraction of 500 tok/s.
    assert counted["tokens_per_s"] == pytest.approx(500.0, rel=0.01)
    assert any("partial window" in note for note in counted["notes"]), counted["notes"]
    assert models["gauged"]["tokens_per_s"] == pytest.approx(100.0, rel=0.01)


def test_a_range_shorter_than_the_rate_window_says_so(counter_prometheus):
    _, doc = fleet_json(["--prometheus", counter_prometheus.url, "--range", "2m", "--step", "1m"])
    assert any("shorter than the rate window" in note for note in doc["notes"]), doc["notes"]


def test_an_explicit_rate_window_is_used_and_named(counter_prometheus):
    _, doc = fleet_json(["--prometheus", counter_prometheus.url, "--range", "1h", "--rate-window", "10m"])
    assert "rate(joulebench_gpu_energy_joules_total[600s])" in doc["power_source"]
    assert "rate window 600s (--rate-window)" in doc["source"]
