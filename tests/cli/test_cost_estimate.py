"""`joulebench cost` and `joulebench estimate` end to end: figures, outputs, bad input."""
import json

import pytest

from conftest import DATA, run, run_json


def write_bench_result(path):
    """A bench-openai result document, as `bench openai --output` writes it (fields used here)."""
    path.write_text(json.dumps({
        "schema_version": 1, "kind": "bench-openai", "model": "m",
        "levels": [
            {"concurrency": 1.0, "j_per_output_token": 1.8, "j_per_output_token_net": 0.4,
             "output_tokens_per_s": 50.0, "validity": {"verdict": "valid"}},
            {"concurrency": 16.0, "j_per_output_token": 0.5, "j_per_output_token_net": 0.4,
             "output_tokens_per_s": 800.0, "validity": {"verdict": "valid"}},
        ]}))
    return path


def test_estimate_power_range_matches_the_seed_post():
    out, _ = run_json(["estimate", "--tokens-per-s", "41.8", "--power-w", "1500-3000", "--json"])
    row = out["rows"][0]
    assert out["kind"] == "estimate"
    assert row["j_per_token_low"] == pytest.approx(1500 / 41.8)
    assert row["j_per_token_high"] == pytest.approx(3000 / 41.8)
    assert row["kwh_per_million_tokens_low"] == pytest.approx(1500 / 41.8 / 3.6)


def test_estimate_from_the_catalog_and_a_csv(tmp_path):
    out, _ = run_json(["estimate", "--tokens-per-s", "100", "--gpu", "h100-sxm", "--gpu-count", "4", "--json"])
    assert out["power"]["high_w"] == pytest.approx(4 * 700 * 1.10)
    assert "datasheet" in out["power"]["basis"]
    csv = tmp_path / "rows.csv"
    csv.write_text("batch,tokens_per_s\n1,53.9\n8,319.8\n")
    table = run(["estimate", "--input-csv", str(csv), "--power-w", "1500-3000"])
    assert table.returncode == 0, table.stderr
    assert "27.829 - 55.659" in table.stdout  # batch 1: 1500/53.9 and 3000/53.9


def test_cost_of_a_bench_result_with_hardware_api_and_region(tmp_path):
    result = write_bench_result(tmp_path / "bench.json")
    out, _ = run_json(["cost", str(result), "--price-kwh", "0.2", "--hardware-cost", "87660",
                       "--years", "2", "--utilization", "0.5", "--api-price", "api=5",
                       "--region", "FR", "--json"])
    assert out["inputs"]["j_per_token"] == 0.5  # the most efficient level, gross
    assert "concurrency 16" in out["inputs"]["taken_from"]
    scenario = out["scenarios"][0]
    assert scenario["energy_usd_per_million_tokens"] == pytest.approx(0.5e6 / 3.6e6 * 0.2)
    assert scenario["hardware_usd_per_hour"] == pytest.approx(5.0)
    assert scenario["break_even"][0]["months"] > 0
    assert out["carbon"]["g_co2_per_kwh"] > 0
    assert "Ember" in out["carbon"]["intensity_source"]


def test_cost_defaults_to_the_seeds_three_prices(tmp_path):
    out, _ = run_json(["cost", "--j-per-token", "0.26", "--tokens-per-s", "2341", "--json"])
    assert [s["usd_per_kwh"] for s in out["scenarios"]] == [0.1, 0.2, 0.3]
    assert out["scenarios"][0]["all_in_usd_per_million_tokens"] is None  # no hardware given
    # -o FILE writes the JSON document; the table still goes to stdout.
    written = tmp_path / "cost.json"
    result = run(["cost", "--power-w", "597", "--tokens-per-s", "2341", "-o", str(written)])
    assert result.returncode == 0, result.stderr
    assert "0.255 J/token" in result.stdout
    assert json.loads(written.read_text())["inputs"]["j_per_token"] == pytest.approx(597 / 2341)


@pytest.mark.parametrize("args, flag", [
    (["estimate", "--tokens-per-s", "0", "--power-w", "100"], "--tokens-per-s"),
    (["estimate", "--tokens-per-s", "10", "--power-w", "-3"], "--power-w"),
    (["estimate", "--tokens-per-s", "10", "--gpu", "Voodoo2"], "--gpu"),
    (["estimate", "--tokens-per-s", "10"], "--power-w"),
    (["cost", "--j-per-token", "0.5", "--price-kwh", "-1"], "--price-kwh"),
    (["cost", "--j-per-token", "0.5", "--pue", "1.3", "--node-overhead", "0.2"], "--pue"),
    (["cost", "--j-per-token", "0.5", "--api-price", "nothing"], "--api-price"),
    (["cost", "--j-per-token", "0.5", "--region", "ATLANTIS"], "--region"),
    (["cost", "no-such-run"], "no-such-run"),
    (["cost"], "--j-per-token"),
])
def test_bad_input_is_one_line_naming_the_argument(args, flag):
    result = run(args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert flag in lines[0]


def test_cost_of_a_monitor_result_needs_tokens(tmp_path):
    monitor = tmp_path / "monitor.json"
    monitor.write_text(json.dumps({"schema_version": 1, "kind": "monitor", "energy_j": 1000.0,
                                   "duration_s": 10.0}))
    missing = run(["cost", str(monitor)])
    assert missing.returncode == 2 and "--tokens" in missing.stderr
    out, _ = run_json(["cost", str(monitor), "--tokens", "500", "--json"])
    assert out["inputs"]["j_per_token"] == 2.0
    assert out["inputs"]["tokens_per_s"] == 50.0


def test_estimate_reads_another_catalog(tmp_path):
    catalog = json.loads((DATA.parent.parent / "data" / "gpus.json").read_text())
    catalog["gpus"] = [{"name": "TestBoard", "aliases": [], "vendor": "Test", "tdp_w": 500,
                        "memory_gb": 10, "memory_bandwidth_gb_s": 100, "idle_w": None,
                        "idle_reason": "test", "source": "nvidia-h100"}]
    path = tmp_path / "gpus.json"
    path.write_text(json.dumps(catalog))
    out, _ = run_json(["estimate", "--tokens-per-s", "100", "--gpu", "TestBoard", "--gpu-count",
                       "2", "--node-overhead", "0", "--catalog", str(path), "--json"])
    assert out["power"]["high_w"] == pytest.approx(1000.0)  # 2 x 500 W, no overhead
    assert out["rows"][0]["j_per_token_high"] == pytest.approx(10.0)
    # The built-in catalog has no such board: the flag is what made it known.
    assert run(["estimate", "--tokens-per-s", "100", "--gpu", "TestBoard"]).returncode == 2
