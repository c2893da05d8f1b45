"""`bench openai` never stores a failed load as a measurement, measures the GPUs that serve,
and says which devices it summed; `cost`, `runs list` and `report` act on the level people
would (valid, within the SLO)."""
import json
import socket

from conftest import run
from test_bench_openai import IDLE_W, PER_STREAM_W, bench, scenario_env, server  # noqa: F401


def stored_runs(db):
    listed = run(["runs", "list", "--db", str(db), "--json"])
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_probe_stops_at_once_with_the_servers_own_words(server, fake_nvml, tmp_path):
    url, load_file = server("--strict-model")
    db = tmp_path / "results.db"
    result = bench(url, scenario_env(fake_nvml, load_file), "--concurrency", "1,4",
                   "--duration", "1s", "--db", str(db))
    assert result.returncode == 2, result.stderr
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("error: the server failed the probe request"), first
    assert "HTTP 404" in first and "The model `test-model` does not exist." in first
    assert result.stdout == ""
    assert not db.exists() or stored_runs(db) == []


def test_probe_stops_when_nothing_listens(fake_nvml, tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = bench(url, fake_nvml({"devices": [{"power_w": 100}]}), "--duration", "1s")
    assert result.returncode == 2
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("error: the server failed the probe request to " + url), first


def test_failed_requests_invalidate_the_level_and_a_run_with_no_valid_level_fails(
        server, fake_nvml, tmp_path):
    # Every 2nd request answers HTTP 500; the probe (request 1) passes.
    url, load_file = server("--fail-every", "2")
    db = tmp_path / "results.db"
    result = bench(url, scenario_env(fake_nvml, load_file), "--concurrency", "2",
                   "--duration", "1.5s", "--db", str(db))
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    [level] = doc["levels"]
    assert level["validity"]["verdict"] == "invalid"
    [check] = [c for c in level["validity"]["checks"] if c["name"] == "failed_requests"]
    assert check["status"] == "fail"
    assert "> 1% maximum" in check["message"]
    assert '"HTTP 500: internal error (simulated)"' in check["message"]
    assert level["first_errors"] == ["HTTP 500: internal error (simulated)"]
    assert doc["most_efficient"] is None
    assert doc["failed_because"].startswith("no level is valid: c 2: ")
    assert "error: the bench failed: no level is valid" in result.stderr
    [stored] = stored_runs(db)
    assert stored["status"] == "failed"


def test_max_failed_accepts_a_percentage(server, fake_nvml):
    url, load_file = server("--fail-every", "2")
    result = bench(url, scenario_env(fake_nvml, load_file), "--concurrency", "2",
                   "--duration", "1.5s", "--max-failed", "60%", "--no-store")
    assert result.returncode == 0, result.stderr
    [level] = json.loads(result.stdout)["levels"]
    [check] = [c for c in level["validity"]["checks"] if c["name"] == "failed_requests"]
    assert check["status"] == "pass", check
    bad = bench(url, scenario_env(fake_nvml, "/nonexistent"), "--max-failed", "150%")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: --max-failed: '150%' is not a share between 0 and 1")


def two_gpus(fake_nvml, load_file, server_pid=None):
    busy = {"name": "NVIDIA H100 80GB HBM3", "load_file": str(load_file), "idle_power_w": IDLE_W,
            "power_per_load_w": PER_STREAM_W, "counter_update_period_s": 0.001,
            "gpu_utilization_pct": 90}
    if server_pid is not None:
        busy["compute_pids"] = [server_pid]
    idle = {"name": "NVIDIA H100 80GB HBM3", "power_w": 60, "counter_update_period_s": 0.001,
            "gpu_utilization_pct": 0}
    return fake_nvml({"devices": [busy, idle]})


def test_the_gpus_that_run_the_server_are_measured_by_default(server, fake_nvml):
    url, load_file = server()
    pid = server.processes[-1].pid
    env = two_gpus(fake_nvml, load_file, server_pid=pid)
    result = bench(url, env, "--concurrency", "2", "--duration", "1s", "--no-store")
    assert result.returncode == 0, result.stderr
    assert f"measuring the GPUs that run the server's processes: nvml:0 (PID {pid})" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["provenance"]["devices_measured"] == ["nvml:0 NVIDIA H100 80GB HBM3"]
    [level] = doc["levels"]
    assert [d["id"] for d in level["measurement"]["devices"]] == ["nvml:0"]
    assert "devices measured (summed): nvml:0 NVIDIA H100 80GB HBM3" in result.stderr


def test_an_idle_gpu_in_the_sum_is_named_with_the_gpus_that_leave_it_out(server, fake_nvml):
    url, load_file = server()
    env = two_gpus(fake_nvml, load_file)
    result = bench(url, env, "--concurrency", "2", "--duration", "1s", "--no-store",
                   "--gpus", "0,1")
    # The idle GPU also fails the level's utilisation check: no valid level, exit 1.
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["provenance"]["devices_measured"]) == 2
    assert doc["provenance"]["devices_note"] == "GPUs chosen with --gpus 0,1"
    [level] = doc["levels"]
    [warning] = [w for w in level["warnings"] if "stayed idle" in w]
    assert warning.startswith("nvml:1 stayed idle through this level (utilization 0.0%, 60 W)")
    assert warning.endswith("--gpus 0 would leave it out")
    assert "c 2: warning: nvml:1 stayed idle" in result.stderr


def test_the_trace_is_recorded_relative_to_the_result_and_reported(server, fake_nvml, tmp_path):
    url, load_file = server()
    out = tmp_path / "out"
    out.mkdir()
    result = bench(url, scenario_env(fake_nvml, load_file), "--concurrency", "1",
                   "--duration", "1s", "--no-store", "-o", str(out / "b1.json"),
                   "--trace", str(out / "t.csv"), "--label", "hardware=simulated")
    assert result.returncode == 0, result.stderr
    doc = json.loads((out / "b1.json").read_text())
    assert doc["trace"] == "t.csv"
    html = run(["report", str(out / "b1.json"), "--format", "html", "-o", "-"])
    assert html.returncode == 0, html.stderr
    assert '<svg id="chart-power-0"' in html.stdout
    # The fake NVML is simulated hardware, not "Simulated: no" (that column meant "replayed").
    assert "<td>simulated (labelled hardware=simulated)</td>" in html.stdout


def bench_document(tmp_path, levels, slo_ms=None):
    """A bench-openai result with the given (concurrency, J/token, valid, ttft_p90_ms) levels."""
    path = tmp_path / "bench.json"
    path.write_text(json.dumps({
        "schema_version": 1, "kind": "bench-openai", "labels": {}, "url": "http://x", "model": "m",
        "slo": {"ttft_p90_ms": slo_ms, "itl_p90_ms": None},
        "levels": [{"concurrency": c, "j_per_output_token": j, "output_tokens_per_s": 100.0 * c,
                    "tokens_per_j": 1 / j, "ttft_ms": {"p90": ttft},
                    "slo_met": None if slo_ms is None else ttft <= slo_ms,
                    "validity": {"verdict": "valid" if valid else "invalid", "checks": []}}
                   for c, j, valid, ttft in levels]}))
    return path


def test_cost_prices_the_most_efficient_valid_level_within_the_slo(tmp_path):
    # c 32 is cheapest but broke the 500 ms TTFT SLO; c 16 is invalid; c 8 is the answer.
    path = bench_document(tmp_path, [(1, 2.0, True, 100), (8, 0.9, True, 300),
                                     (16, 0.7, False, 450), (32, 0.5, True, 1362)], slo_ms=500)
    out = run(["cost", str(path), "--price-kwh", "0.1", "--json"])
    assert out.returncode == 0, out.stderr
    assert "concurrency 8 (most efficient within the SLO)" in json.loads(out.stdout)["inputs"]["taken_from"]
    named = run(["cost", str(path), "--price-kwh", "0.1", "--level", "32", "--json"])
    assert named.returncode == 0, named.stderr
    assert "warning: concurrency 32 did not meet the result's SLO" in named.stderr
    invalid = run(["cost", str(path), "--price-kwh", "0.1", "--level", "16", "--json"])
    assert "warning: concurrency 16 is not a valid measurement" in invalid.stderr


def test_cost_refuses_a_result_with_no_valid_level(tmp_path):
    path = bench_document(tmp_path, [(1, 2.0, False, 100), (4, 1.0, False, 100)])
    out = run(["cost", str(path), "--price-kwh", "0.1"])
    assert out.returncode == 2
    assert "none of its 2 level(s) is valid; name one with --level" in out.stderr


def test_runs_list_shows_the_verdict_of_the_level_cost_would_use(tmp_path):
    path = bench_document(tmp_path, [(1, 2.0, True, 100), (8, 0.9, False, 300)])
    db = tmp_path / "r.db"
    assert run(["runs", "import", str(path), "--db", str(db)]).returncode == 0
    [listed] = stored_runs(db)
    assert listed["verdict"] == "valid, 1/2 levels valid"
    assert listed["j_per_output_token"] == 2.0
    table = run(["runs", "list", "--db", str(db)])
    assert "valid, 1/2 levels valid" in table.stdout
