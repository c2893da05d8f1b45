"""`joulebench bench openai` against the test LLM server, with the fake NVML's power driven
by the server's load, so the expected J/token is known exactly:
power = idle + per_stream x streams, tokens/s = streams / token_delay, hence
J/token = (idle + per_stream x C) x token_delay / C."""
import json
import subprocess

import pytest

from conftest import TEST_BIN_DIR, run

SERVER = TEST_BIN_DIR / "joulebench-test-llm-server"
IDLE_W = 100.0
PER_STREAM_W = 50.0
TOKEN_DELAY_S = 0.01


@pytest.fixture
def server(tmp_path):
    started = []

    def start(*extra):
        load_file = tmp_path / "load.txt"
        process = subprocess.Popen([str(SERVER), "--port", "0", "--token-delay-ms",
                                    str(TOKEN_DELAY_S * 1000), "--load-file", str(load_file),
                                    *extra], stdout=subprocess.PIPE, text=True)
        started.append(process)
        line = process.stdout.readline().strip()
        assert line.startswith("listening on 127.0.0.1:"), line
        return f"http://{line.split(' ')[-1]}/v1", load_file

    start.processes = started  # the servers' PIDs, for the fake NVML's compute processes
    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def scenario_env(fake_nvml, load_file):
    return fake_nvml({"devices": [{
        "name": "NVIDIA H100 80GB HBM3", "load_file": str(load_file), "idle_power_w": IDLE_W,
        "power_per_load_w": PER_STREAM_W, "counter_update_period_s": 0.001,
        "gpu_utilization_pct": 90}]})


def bench(url, env, *extra):
    return run(["bench", "openai", "--json", "--url", url, "--model", "test-model", "--sensor", "nvml",
                "--interval", "10ms", "--output-tokens", "50", "--prompt-tokens", "32",
                "--warmup", "0.5s", "--min-duration", "1s", *extra], env=env, timeout=120)


def test_j_per_token_matches_the_known_power_model(server, fake_nvml, tmp_path):
    url, load_file = server()
    env = scenario_env(fake_nvml, load_file)
    csv_path = tmp_path / "levels.csv"
    result = bench(url, env, "--concurrency", "1,4", "--duration", "2s", "--idle", "0.5s",
                   "--csv", str(csv_path), "--label", "precision=fp16")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert doc["labels"] == {"precision": "fp16"}
    assert doc["provenance"]["server_url"] == url
    assert doc["idle"]["power_w"] == pytest.approx(IDLE_W, rel=0.01)
    levels = doc["levels"]
    assert [level["concurrency"] for level in levels] == [1, 4]
    for level in levels:
        c = level["concurrency"]
        expected = (IDLE_W + PER_STREAM_W * c) * TOKEN_DELAY_S / c
        assert level["j_per_output_token"] == pytest.approx(expected, rel=0.06), level
        assert level["j_per_output_token_net"] == pytest.approx(PER_STREAM_W * TOKEN_DELAY_S, rel=0.1)
        assert level["tokens_per_j"] == pytest.approx(1 / level["j_per_output_token"], rel=1e-9)
        assert level["output_tokens_per_s"] == pytest.approx(c / TOKEN_DELAY_S, rel=0.06)
        assert level["tokens_source"] == "usage"
        assert level["failed_requests"] == 0
        for key in ("p50", "p90", "p99"):
            assert level["ttft_ms"][key] is not None and level["itl_ms"][key] is not None
        assert level["itl_ms"]["p50"] == pytest.approx(TOKEN_DELAY_S * 1000, rel=0.5)
        assert level["validity"]["verdict"] in ("valid", "invalid")
        assert {check["name"] for check in level["validity"]["checks"]} >= {"duration", "power_cv"}
    # Higher concurrency spreads the same fixed power over more tokens.
    assert doc["most_efficient"]["concurrency"] == 4
    assert [point["concurrency"] for point in doc["efficiency_curve"]] == [1, 4]
    assert csv_path.read_text().count("\n") == 3
    assert "most efficient" in result.stderr


def test_failed_requests_are_counted_and_the_run_goes_on(server, fake_nvml):
    url, load_file = server("--fail-every", "3", "--fail-mode", "http-500")
    env = scenario_env(fake_nvml, load_file)
    # A third of the requests fail: allowed here (--max-failed 50%) to see them counted.
    result = bench(url, env, "--concurrency", "2", "--duration", "1.5s", "--max-failed", "50%")
    assert result.returncode == 0, result.stderr
    level = json.loads(result.stdout)["levels"][0]
    assert level["failed_requests"] > 0
    assert level["failures_by_reason"].get("http_500", 0) == level["failed_requests"]
    assert level["output_tokens"] > 0


def test_trace_is_stored_and_the_report_shades_each_levels_window(server, fake_nvml, tmp_path):
    url, load_file = server()
    env = scenario_env(fake_nvml, load_file)
    db, trace = tmp_path / "results.db", tmp_path / "bench-trace.csv"
    result = bench(url, env, "--concurrency", "1,2", "--duration", "1.2s", "--quiet",
                   "--trace", str(trace), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert trace.read_text().count("\n") > 50  # 10 ms samples over several seconds
    [stored] = json.loads(run(["runs", "list", "--db", str(db), "--json"]).stdout)
    html = run(["report", stored["id"], "--db", str(db), "--format", "html"])
    assert html.returncode == 0, html.stderr
    assert 'id="chart-power-0"' in html.stdout
    assert html.stdout.count('class="jb-band"') == 2  # one steady-state window per level


def test_chunks_are_counted_when_the_server_sends_no_usage(server, fake_nvml):
    url, load_file = server("--no-usage")
    env = scenario_env(fake_nvml, load_file)
    result = bench(url, env, "--concurrency", "1", "--duration", "1s")
    assert result.returncode == 0, result.stderr
    level = json.loads(result.stdout)["levels"][0]
    assert level["tokens_source"] == "chunks"
    assert level["output_tokens_per_s"] == pytest.approx(1 / TOKEN_DELAY_S, rel=0.1)


def test_slo_picks_the_most_efficient_level_that_meets_it(server, fake_nvml):
    url, load_file = server("--batch-limit", "2")
    env = scenario_env(fake_nvml, load_file)
    # With a batch limit of 2, concurrency 4 queues requests: its TTFT p90 blows a 100 ms SLO.
    result = bench(url, env, "--concurrency", "1,2,4", "--duration", "1.5s", "--slo-ttft-ms", "100")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    met = {level["concurrency"]: level["slo_met"] for level in doc["levels"]}
    assert met[1] is True and met[2] is True and met[4] is False
    assert doc["most_efficient_within_slo"]["concurrency"] == 2


def test_bad_flags_are_named():
    for args, flag in ((["--concurrency", "0"], "--concurrency"), (["--rate", "x"], "--rate"),
                       (["--concurrency", "1", "--rate", "2"], "--rate"),
                       (["--api", "grpc"], "--api"), (["--duration", "soon"], "--duration")):
        result = run(["bench", "openai", "--url", "http://127.0.0.1:9/v1", "--model", "m", *args])
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ") and flag in result.stderr.splitlines()[0], \
            (args, result.stderr)
