"""Cost and CO2 from Python come from the same C++ as `joulebench cost`; a run stopped with
store=True is in the results store for `joulebench runs`, `compare` and `report`."""
import json
import time

import pytest

import joulebench
from conftest import run_cli

TOKENS = 500.0


def measured_window(monitor, seconds=0.3):
    with joulebench.measure("decode", tokens=TOKENS, monitor=monitor, sync=None) as window:
        time.sleep(seconds)
    return window


def cli_cost(j_per_token, tokens_per_s, *args):
    result = run_cli(["cost", "--j-per-token", repr(j_per_token), "--tokens-per-s",
                      repr(tokens_per_s), "--json", *args])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cost_matches_the_cli_for_the_same_j_per_token(monitor):
    window = measured_window(monitor)
    energy = window.token_energy
    cost = window.cost(price_kwh=0.12, pue=1.3, hardware_cost_usd=30000, utilization=0.5)
    expected = cli_cost(energy.joules_per_token, energy.tokens_per_second, "--price-kwh", "0.12",
                        "--pue", "1.3", "--hardware-cost", "30000", "--utilization", "50%")
    [scenario] = expected["scenarios"]
    for key in ("energy_usd_per_million_tokens", "energy_usd_per_hour",
                "all_in_usd_per_million_tokens", "wall_kwh_per_million_tokens"):
        assert cost[key] == pytest.approx(scenario[key], rel=1e-12), key
    assert cost["j_per_token"] == pytest.approx(energy.joules_per_token, rel=1e-12)
    assert cost["facility_factor"] == 1.3
    # The arithmetic itself: J/token x 1e6 / 3.6e6 kWh x PUE x price.
    assert cost["energy_usd_per_million_tokens"] == pytest.approx(
        energy.joules_per_token * 1e6 / 3.6e6 * 1.3 * 0.12, rel=1e-9)


def test_co2_for_a_region_and_an_intensity(monitor):
    window = measured_window(monitor)
    by_region = window.co2(region="FR")
    expected = cli_cost(window.joules_per_token, window.token_energy.tokens_per_second,
                        "--region", "FR")["carbon"]
    assert by_region["g_co2_per_million_tokens"] == pytest.approx(
        expected["g_co2_per_million_tokens"], rel=1e-12)
    assert "FR" in by_region["intensity_source"]
    given = window.co2(grid_gco2_kwh=400.0)
    assert given["g_co2_per_million_tokens"] == pytest.approx(
        window.joules_per_token * 1e6 / 3.6e6 * 400.0, rel=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda w: w.cost(price_kwh=-1), "price_kwh"),
    (lambda w: w.cost(pue=0.5), "pue"),
    (lambda w: w.co2(region="Atlantis"), "region"),
    (lambda w: w.co2(), "region= (e.g. 'FR') or grid_gco2_kwh="),
])
def test_bad_arguments_are_named_as_python_arguments(monitor, call, message):
    window = measured_window(monitor, seconds=0.05)
    with pytest.raises(ValueError) as raised:
        call(window)
    assert message in str(raised.value)
    assert "--" not in str(raised.value)  # no CLI flag names


def test_no_tokens_means_no_cost_with_the_reason(monitor):
    with joulebench.measure("no-tokens", monitor=monitor, sync=None) as window:
        time.sleep(0.05)
    with pytest.raises(ValueError, match="cost: no J/token to price"):
        window.cost()


def test_a_stored_run_is_listed_by_the_cli_with_its_labels(tmp_path):
    db = tmp_path / "results.db"
    monitor = joulebench.EnergyMonitor(sensors="nvml", interval=0.01)
    monitor.start()
    time.sleep(0.2)
    result = monitor.stop(store=True, labels={"precision": "fp16", "engine": "hf"}, db=str(db))
    assert result.run_id
    assert result.to_dict()["labels"] == {"engine": "hf", "precision": "fp16"}
    listed = run_cli(["runs", "list", "--db", str(db), "--label", "precision=fp16", "--json"])
    assert listed.returncode == 0, listed.stderr
    [run] = json.loads(listed.stdout)
    assert run["id"] == result.run_id and run["kind"] == "monitor"


def test_labels_are_checked_before_the_run_is_stopped(monitor):
    with pytest.raises(ValueError, match="labels: 'a=b' is not a label name"):
        monitor.stop(labels={"a=b": "x"})
    assert monitor.running  # nothing was lost: the run goes on
